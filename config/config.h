#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/status.h"
#include "dedup/options.h"
#include "fetchers/options.h"
#include "parse/options.h"
#include "storage/options.h"

namespace newsd::config {

/// One `[[feed]]` table.
struct FeedConfig {
  FeedId id;                ///< Stable identity (required), see core/ids.h.
  std::string url;          ///< http://, https:// or file:// (required).
  std::string name;         ///< Outlet name shown to operators. Default: the id.
  int64_t interval = 3600;  ///< Seconds between polls. Default: "60m".
};

/// `[daemon]`.
struct DaemonOptions {
  /// Archive directory. Default: $STATE_DIRECTORY, else "/var/lib/newsd".
  std::string data_dir;
  /// Admin socket path. Default: $RUNTIME_DIRECTORY/admin.sock, else "/run/newsd/admin.sock".
  std::string admin_socket;
  /// trace, debug, info, warn, error. Default: "info".
  std::string log_level = "info";
};

/// The whole validated configuration.
struct Config {
  std::string path;  ///< File it came from ("" for defaults).
  DaemonOptions daemon;
  storage::Options storage;  ///< storage.data_dir mirrors daemon.data_dir.
  fetchers::Options fetch;
  parse::Options parse;
  dedup::Options dedup;
  std::vector<FeedConfig> feeds;
};

/// Defaults only (no feeds): used by `newsd import` without --config.
Config Defaults();

/// Reads and validates a TOML file. Unknown keys, wrong types, bad values and duplicate feed
/// ids are refused with InvalidArgument "FILE:LINE: reason"; an unreadable file gives
/// NotFound/IOError naming the file.
Result<Config> LoadFile(const std::string& path);

/// The same for in-memory text; `source_name` stands for the file name in messages.
Result<Config> LoadString(std::string_view text, std::string_view source_name);

}  // namespace newsd::config
