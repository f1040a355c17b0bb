#pragma once

#include <cstdint>
#include <map>
#include <optional>
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
  /// `interval` was given (in the configuration, or by `newsctl feeds add --interval`): after
  /// a restart it governs, over what the publisher asked (see FirstPollTime).
  bool interval_set = false;
  bool enabled = true;  ///< false: never polled (state `disabled`). Default: true.
  /// `zoneless_dates`: seconds east of UTC of this feed's dates that name no zone. Unset:
  /// `[parse] zoneless_dates` (parse::Options::zoneless_offset).
  std::optional<int> zoneless_offset;

  friend bool operator==(const FeedConfig&, const FeedConfig&) = default;
};

/// `[politeness]`: how hard newsd may press on publishers (FETCHER.md §3). Durations in
/// seconds.
struct PolitenessOptions {
  /// Requests in flight at once per host:port; 0 = no limit. Default: 2.
  int host_inflight = 2;
  /// Least time between the starts of two requests to one host:port. Default: "1s".
  int64_t host_spacing = 1;
  /// The floor: no feed is polled more often than this, restarts included. Default: "15m".
  int64_t min_interval = 15 * 60;
  /// The ceiling of the adaptive interval (slow feeds, publisher hints). Default: "24h".
  int64_t max_interval = 24 * 3600;
  /// Feeds due at start-up are spread evenly over this much time. Default: "5m".
  int64_t startup_jitter = 5 * 60;
  /// Largest error backoff (full jitter below it). Default: "24h".
  int64_t backoff_cap = 24 * 3600;
  /// A feed failing without a break for this long is `dead` (still retried every
  /// backoff_cap). Default: "7d".
  int64_t dead_after = 7 * 24 * 3600;
  /// Longest Retry-After honoured; longer ones are clamped. Default: "7d".
  int64_t retry_after_max = 7 * 24 * 3600;
  /// A 301/308 replaces the feed URL only after this many polls saw it... Default: 3.
  int redirect_confirmations = 3;
  /// ...spread over at least this long. Default: "24h".
  int64_t redirect_period = 24 * 3600;

  friend bool operator==(const PolitenessOptions&, const PolitenessOptions&) = default;
};

/// `[daemon]`.
struct DaemonOptions {
  /// Archive directory. Default: $STATE_DIRECTORY, else "/var/lib/newsd".
  std::string data_dir;
  /// Admin socket path. Default: $RUNTIME_DIRECTORY/admin.sock, else "/run/newsd/admin.sock".
  std::string admin_socket;
  /// trace, debug, info, warn, error or off. Default: "info".
  std::string log_level = "info";
  /// While archive writes fail (disk full, read-only file system), ingest pauses and a small
  /// test write is tried this often (seconds, at least 1). Default: 30.
  int64_t storage_retry_seconds = 30;
  /// Prometheus metrics over HTTP at "127.0.0.1:PORT" or "[::1]:PORT" (loopback only; port 0
  /// picks a free one, shown by `newsctl status`). Empty: off. Default: off.
  std::string metrics;

  friend bool operator==(const DaemonOptions&, const DaemonOptions&) = default;
};

/// The whole validated configuration.
struct Config {
  std::string path;  ///< File it came from ("" for defaults).
  /// Where data_dir is set, "FILE:LINE", for checks made after loading (a data_dir that is a
  /// file); `path` when the file leaves it to its default.
  std::string data_dir_at;
  DaemonOptions daemon;
  storage::Options storage;  ///< storage.data_dir mirrors daemon.data_dir.
  fetchers::Options fetch;
  PolitenessOptions politeness;
  parse::Options parse;
  dedup::Options dedup;
  std::vector<FeedConfig> feeds;
  /// Every key the file sets outside [[feed]], as "section.key" ("fetch.timeout") mapped to
  /// its value as TOML text ("\"30s\"").
  /// What a reload compares to name the keys it changed; empty for Defaults().
  std::map<std::string, std::string> settings;
};

/// The keys of [section] ("fetch") that `a` and `b` set to other values (a key set in one
/// file only counts when its value is not the default; "0s" and "0m" are the same value),
/// without the section's name, sorted: "timeout", "user_agent".
std::vector<std::string> ChangedKeys(const Config& a, const Config& b, std::string_view section);

/// The parser options for `feed`: `base` with the feed's own zoneless_dates, if it has one.
parse::Options FeedParseOptions(const parse::Options& base, const FeedConfig& feed);

/// Defaults only (no feeds): used by `newsd import` without --config.
Config Defaults();

/// Reads and validates a TOML file. Unknown keys, wrong types, bad values and duplicate feed
/// ids are refused with InvalidArgument "FILE:LINE: reason"; so is a file of nothing but
/// blanks and comments (a file cut short would otherwise stop every feed); an unreadable file
/// gives NotFound/IOError naming the file.
Result<Config> LoadFile(const std::string& path);

/// The same for in-memory text; `source_name` stands for the file name in messages.
Result<Config> LoadString(std::string_view text, std::string_view source_name);

/// Why feed URL `url` can never be fetched (spaces, no host, a bad port, another scheme than
/// http, https or file, a relative file:// path), as "url ..." for a message; "" when it may
/// be. The scheme's case does not matter.
std::string FeedUrlProblem(std::string_view url);

/// What two feed URLs share when they name one resource, so one publisher is not polled twice:
/// scheme and host lower-cased, the scheme's default port and an empty port left out, "./"
/// path segments and the fragment (never sent) dropped. Path and query case matter. file://
/// URLs are compared as given.
std::string SameUrlKey(std::string_view url);

}  // namespace newsd::config
