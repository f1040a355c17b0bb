#pragma once

// newsd's modes, which main.cc chooses from its command line. Each logs what went wrong and
// returns the process's exit code (daemon.h: kExitOk, kExitFailure, kExitConfig...).

#include <optional>
#include <string>

#include "config/config.h"

namespace newsd::daemon {

/// Logs `message` as the run's error (ReportFatal) and returns `code`.
int FailWith(int code, const std::string& message);

/// `newsd import FILE --db D` (`config` with D as its data_dir, in bulk-load mode): ingests
/// the JSON Lines file (- for stdin). A file it cannot read (missing, a directory,
/// compressed) is refused before the archive is touched; an archive it created and stored
/// nothing in is removed. Exit 128 + signal when interrupted (what was stored stays).
int RunImport(const config::Config& config, const std::string& file);

/// `newsd reparse FEED` with the daemon stopped: parses the feed's kept raw responses again
/// and stores what changed (nothing with `dry_run`).
int RunReparse(const config::Config& config, const std::string& feed, bool dry_run);

/// The daemon's checks of `config` beyond parsing: a data_dir it cannot use (exit 78), and
/// with --check-config (`check_only`) the admin socket too, then "OK" (exit 0). nullopt: go
/// on and start.
std::optional<int> CheckDaemonConfig(const config::Config& config, const std::string& config_path,
                                     bool check_only);

/// The service until SIGTERM, or with `once` one poll round; `time_scale` > 1 runs its clock
/// faster (tests).
int RunDaemon(config::Config config, bool once, double time_scale);

}  // namespace newsd::daemon
