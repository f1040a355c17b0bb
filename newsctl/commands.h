#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace newsd::newsctl {

/// Exit codes: 0 ok, 1 failed, 2 usage, 3 daemon not running, 4 not found.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotRunning = 3;
inline constexpr int kExitNotFound = 4;

/// Options that come before the subcommand.
struct GlobalArgs {
  std::string socket = "/run/newsd/admin.sock";
  std::string db;  ///< Non-empty: read this archive directly instead of asking the daemon.
  bool json = false;
};

/// Prints `s` (stderr; also as a JSON error on stdout when `json`) and returns the exit
/// code for it: 3 daemon not running, 4 not found, else 1.
int Fail(const Status& s, bool json);

enum class Printer { kStatus, kFeeds, kHosts, kStories, kStory, kReparse, kReload, kFeed };

/// Runs one protocol command against the daemon (or --db) and prints the result as a table,
/// or as JSON with --json. Returns the exit code.
int RunCall(const GlobalArgs& g, const std::string& cmd, const nlohmann::json& args,
            Printer printer);

/// `export --format jsonl`: one line per item (see admin::ExportLine).
int RunExport(const GlobalArgs& g);

}  // namespace newsd::newsctl
