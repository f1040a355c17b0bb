# Installation layout (the .deb packaging builds on this).
include(GNUInstallDirs)
if(TARGET newsd AND TARGET newsctl)
  install(TARGETS newsd newsctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES systemd/newsd.service DESTINATION lib/systemd/system)
install(FILES systemd/newsd.sysusers DESTINATION lib/sysusers.d RENAME newsd.conf)
install(FILES systemd/newsd.tmpfiles DESTINATION lib/tmpfiles.d RENAME newsd.conf)
install(FILES config/newsd.example.toml DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/newsd/examples)
install(FILES daemon/newsd.8 DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES newsctl/newsctl.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES daemon/newsd.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME newsd)
install(FILES newsctl/newsctl.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME newsctl)
