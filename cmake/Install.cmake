# Installation layout (the .deb packaging, cmake/Package.cmake, builds on this).
include(GNUInstallDirs)
if(TARGET newsd AND TARGET newsctl)
  install(TARGETS newsd newsctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# The unit goes where this system's systemd looks, not under the prefix: /lib/systemd/system on
# Debian 12, which must not move under /usr before merged-/usr is finished in dpkg (trixie).
pkg_get_variable(_newsd_unitdir systemd systemdsystemunitdir)
if(NOT _newsd_unitdir)
  set(_newsd_unitdir /lib/systemd/system)
endif()
set(NEWSD_SYSTEMD_UNITDIR ${_newsd_unitdir} CACHE PATH "Where newsd.service is installed")
install(FILES systemd/newsd.service DESTINATION ${NEWSD_SYSTEMD_UNITDIR})
install(FILES systemd/newsd.sysusers DESTINATION lib/sysusers.d RENAME newsd.conf)
install(FILES systemd/newsd.tmpfiles DESTINATION lib/tmpfiles.d RENAME newsd.conf)
install(FILES config/newsd.example.toml DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/newsd/examples)

# /etc/newsd/newsd.toml is the path in the unit's ExecStart. A package stages into an empty
# DESTDIR and dpkg guards the file as a conffile; a `cmake --install` onto a live system must
# not overwrite an operator's edits, so an existing file is left alone.
install(CODE "set(_newsd_example_conf \"${CMAKE_CURRENT_SOURCE_DIR}/config/newsd.example.toml\")")
install(CODE [[
  if(EXISTS "$ENV{DESTDIR}/etc/newsd/newsd.toml")
    message(STATUS "Keeping existing: $ENV{DESTDIR}/etc/newsd/newsd.toml")
  else()
    file(INSTALL DESTINATION /etc/newsd TYPE FILE RENAME newsd.toml FILES "${_newsd_example_conf}")
  endif()
]])

# Man pages ship gzip -9n compressed (Debian policy 12.1; -n keeps the archive reproducible).
find_program(GZIP_EXECUTABLE gzip REQUIRED)
set(_newsd_man_gz)
foreach(page daemon/newsd.8 newsctl/newsctl.1)
  get_filename_component(name ${page} NAME)
  set(gz ${CMAKE_BINARY_DIR}/man/${name}.gz)
  add_custom_command(OUTPUT ${gz}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/${page} ${CMAKE_BINARY_DIR}/man/${name}
    COMMAND ${GZIP_EXECUTABLE} -9nf ${CMAKE_BINARY_DIR}/man/${name}
    DEPENDS ${CMAKE_SOURCE_DIR}/${page} VERBATIM)
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${name})
  install(FILES ${gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
  list(APPEND _newsd_man_gz ${gz})
endforeach()
add_custom_target(newsd_man_pages ALL DEPENDS ${_newsd_man_gz})

install(FILES daemon/newsd.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME newsd)
install(FILES newsctl/newsctl.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME newsctl)
