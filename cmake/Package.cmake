# `cpack -G DEB` in a build directory makes newsd_<version>-<release>_<arch>.deb from the install
# rules (cmake/Install.cmake) and packaging/deb/. docs/PACKAGING.md describes the package;
# tests/integration/deb_test.sh checks it (contents, conffiles, lintian, an install in a chroot).
set(NEWSD_DEB_MAINTAINER "newsd maintainers <newsd@example.org>"
    CACHE STRING "Maintainer field of the .deb (the default is a placeholder)")
set(_deb ${CMAKE_CURRENT_SOURCE_DIR}/packaging/deb)

# Debian wants these two in /usr/share/doc/<package>/; the changelog compressed like man pages.
install(FILES ${_deb}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/deb/changelog.Debian.gz
  COMMAND ${CMAKE_COMMAND} -E copy ${_deb}/changelog ${CMAKE_BINARY_DIR}/deb/changelog.Debian
  COMMAND ${GZIP_EXECUTABLE} -9nf ${CMAKE_BINARY_DIR}/deb/changelog.Debian
  DEPENDS ${_deb}/changelog VERBATIM)
add_custom_target(newsd_deb_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/deb/changelog.Debian.gz)
install(FILES ${CMAKE_BINARY_DIR}/deb/changelog.Debian.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${_deb}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME newsd)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME newsd)
set(CPACK_PACKAGE_CONTACT "${NEWSD_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # with their debug info the RelWithDebInfo binaries are 7x larger
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "news-feed ingest daemon that keeps each syndicated story once")
# The long description; CPack puts the summary above it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"newsd polls the RSS, Atom and JSON Feed feeds of news agencies and outlets
(UTF-8 and legacy code pages such as windows-1251), parses every item and
recognises when it is a copy of a story already seen: the same wire story under
another headline, with an agency prefix or a site footer, or cut down to an RSS
snippet. Each story is kept once, with the list of its copies, in a RocksDB
archive.

newsctl, the operators' command-line tool, queries and steers the running
daemon over its admin socket, or reads the archive directly. The package runs
newsd as a sandboxed systemd service under its own system user.")
# The version must match the top entry of packaging/deb/changelog (deb_test.sh checks it).
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps (dpkg-dev); adduser is postinst's fallback
# when systemd-sysusers is missing, as in a container without systemd. libcurl4 is named here:
# newsd loads it at run time (fetchers/curl_lib.h), so dpkg-shlibdeps does not see it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, libcurl4 (>= 7.88)")
# CPack marks no conffiles by itself: without the list dpkg would overwrite an edited
# /etc/newsd/newsd.toml on upgrade.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${_deb}/conffiles ${_deb}/postinst ${_deb}/prerm ${_deb}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
