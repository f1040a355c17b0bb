# Third-party libraries (Debian 12 packages; scripts/setup installs them).
# Each I/O or format library is linked by exactly one module (see docs/ARCHITECTURE.md).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(tl-expected CONFIG REQUIRED)      # core
find_package(spdlog CONFIG REQUIRED)           # logging (daemon, fetchers, storage)
find_package(RocksDB CONFIG REQUIRED)          # storage only
find_package(pugixml CONFIG REQUIRED)          # parse only
find_package(CURL REQUIRED)                    # fetchers only (headers; loaded at run time)
find_package(Boost 1.74 REQUIRED)              # Asio: fetchers/asio.h only
find_package(tomlplusplus CONFIG REQUIRED)     # config only
find_package(nlohmann_json CONFIG REQUIRED)    # admin protocol, exports
find_package(CLI11 CONFIG REQUIRED)            # the two binaries
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)  # dedup
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)      # core ids, dedup
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)    # daemon (sd_notify)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)          # storage (raw bodies)
# The allocator of newsd and its tests (daemon/heap.cc only): mimalloc, which spends about half
# of glibc's malloc CPU when one thread frees what another allocated (the poller's parse pool,
# the ingest and the commit threads all do). Sanitizer builds keep glibc's malloc: they
# replace it with their own.
if(NOT NEWSD_SANITIZE AND NOT NEWSD_TSAN AND NOT NEWSD_FUZZ)
  find_package(mimalloc CONFIG REQUIRED)
  set(NEWSD_MIMALLOC ON)
endif()
