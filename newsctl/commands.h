#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace newsd::newsctl {

/// Exit codes: 0 ok, 1 failed, 2 usage, 3 daemon not running or unavailable now (an
/// Unavailable status, also when the daemon answers it: starting, stopping, paused), 4 not
/// found.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotRunning = 3;
inline constexpr int kExitNotFound = 4;
inline constexpr int kExitInterrupted = 130;  ///< Stopped by Ctrl-C or SIGTERM (128 + SIGINT).

/// Options that come before the subcommand.
struct GlobalArgs {
  std::string socket = "/run/newsd/admin.sock";
  std::string db;  ///< Non-empty: read this archive directly instead of asking the daemon.
  bool json = false;
  /// How long to wait for the daemon's answer: --timeout (0 = as long as it takes); -1 = the
  /// command's default (see ConnectSocket).
  int64_t timeout_seconds = -1;
};

/// Prints `s` (stderr; also as a JSON error on stdout when `json`) and returns the exit
/// code for it: 3 daemon not running or unavailable, 4 not found, else 1.
int Fail(const Status& s, bool json);
/// Fail for a value the command line gave that is wrong (a bad --since, an empty search): exit
/// 2, as for the errors CLI11 finds itself.
int FailUsage(const Status& s, bool json);
/// The JSON error object --json prints on standard output for `s`:
/// {"error":{"code":"InvalidArgument","message":"..."}}.
void PrintErrorObject(const Status& s);

enum class Printer {
  kStatus,
  kFeeds,
  kHosts,
  kStories,
  kStory,
  kReparse,
  kReload,
  kFeed,
  kFeedChange,  ///< feeds add|remove|pause|resume|poll
  kSearch,
};

/// Runs one protocol command against the daemon (or --db) and returns its result.
Result<nlohmann::json> CallOnce(const GlobalArgs& g, const std::string& cmd,
                                const nlohmann::json& args);

/// Runs one protocol command against the daemon (or --db) and prints the result as a table,
/// or as JSON with --json. Returns the exit code.
int RunCall(const GlobalArgs& g, const std::string& cmd, const nlohmann::json& args,
            Printer printer);

/// `export --format jsonl`: one line per item (see admin::ExportLine) in arrival order, each
/// with the cursor that resumes after it.
struct ExportArgs {
  std::string since;    ///< ISO-8601 time or date, or a duration ("24h": that long ago); "" = all.
  std::string cursor;   ///< Resume after the line that carried it; "" = from the start.
  bool follow = false;  ///< Keep going: print items as they are committed, until interrupted.
  double poll_seconds = 1.0;  ///< --follow: how often to ask for more.
};
int RunExport(const GlobalArgs& g, const ExportArgs& a);

}  // namespace newsd::newsctl
