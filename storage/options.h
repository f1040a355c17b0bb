#pragma once

#include <cstddef>
#include <string>

namespace newsd::storage {

/// How the archive is opened. Plain struct: config/ fills it.
struct Options {
  /// Directory holding the archive (the daemon's data_dir). Created if missing (read-write).
  std::string data_dir;
  /// fsync the WAL on every commit: survives power loss, not only process crashes.
  /// Default: true.
  bool sync_writes = true;
  /// RocksDB block cache in MiB. Default: 64.
  size_t block_cache_mb = 64;
};

}  // namespace newsd::storage
