// newsd's modes besides the batch import (main_import.cc): the service or one poll round,
// the configuration check and a reparse with the daemon stopped.
#include "daemon/main_modes.h"

#include <pwd.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/plural.h"
#include "core/time.h"
#include "daemon/admin_server.h"
#include "daemon/daemon.h"
#include "daemon/heap.h"
#include "daemon/logging.h"
#include "daemon/reparse.h"
#include "storage/archive.h"

namespace newsd::daemon {

namespace {

/// True when the service runs as another user than this process: the unit's User=newsd
/// exists (systemd/newsd.sysusers) and is not who runs this.
bool ServiceUserIsAnother() {
  const passwd* service = ::getpwnam("newsd");
  return service != nullptr && service->pw_uid != ::geteuid();
}

/// Feeds whose configured interval is below [politeness] min_interval are polled at that
/// floor: says so once, naming a few of them.
void WarnOfRaisedIntervals(const config::Config& config, const std::string& config_path) {
  const int64_t floor = config.politeness.min_interval;
  std::vector<std::string> raised;
  for (const config::FeedConfig& feed : config.feeds) {
    if (feed.interval_set && feed.interval < floor) raised.push_back(feed.id);
  }
  if (raised.empty()) return;
  constexpr size_t kNamed = 3;
  std::string named;
  for (size_t i = 0; i < std::min(raised.size(), kNamed); ++i) {
    named += (i > 0 ? ", " : "") + raised[i];
  }
  if (raised.size() > kNamed) named += ", ...";
  spdlog::warn(
      "{}: {} an interval below [politeness] min_interval ({}): polled every {} ({}); lower "
      "min_interval to poll {} more often",
      config_path,
      raised.size() == 1 ? "1 feed sets" : std::to_string(raised.size()) + " feeds set",
      newsd::FormatDuration(floor), newsd::FormatDuration(floor), named,
      raised.size() == 1 ? "it" : "them");
}

}  // namespace

int FailWith(int code, const std::string& message) {
  ReportFatal(message);
  return code;
}

int RunReparse(const config::Config& config, const std::string& feed, bool dry_run) {
  auto report = ReparseStopped(config, feed, dry_run);
  if (!report) return FailWith(kExitFailure, "reparse failed: " + report.error().ToString());
  for (const std::string& error : report->errors) spdlog::warn("feed={} {}", feed, error);
  ReportResult(fmt::format(
      "feed={} reparse of {} ({} unreadable), {}: {} added, {} updated, {} unchanged{}", feed,
      newsd::Counted(report->bodies, "raw body", "raw bodies"), report->unreadable,
      newsd::Counted(report->entries, "entry", "entries"), report->added, report->updated,
      report->unchanged, dry_run ? " (dry run: nothing stored)" : ""));
  return kExitOk;
}

/// The daemon's configuration checks beyond parsing: a data_dir it cannot use (exit 78), and
/// with --check-config (`check_only`) the admin socket too, then "OK" (exit 0). nullopt: go on
/// and start.
std::optional<int> CheckDaemonConfig(const config::Config& config, const std::string& config_path,
                                     bool check_only) {
  // Caught here, not when the archive opens: restarting would not help. An operator who
  // checks the file as another user than the service's (the unit's User=newsd) may not
  // write the directory: only a warning then. Checked as that user, or where there is no
  // such user (newsd run by hand, from cron, in a container), it is refused.
  const std::string& at = config.data_dir_at.empty() ? config_path : config.data_dir_at;
  if (std::filesystem::path(config.storage.data_dir).is_relative()) {
    std::error_code ec;
    spdlog::warn(
        "{}: [daemon] data_dir \"{}\" is relative: it is read from the working directory, here "
        "{} (systemd starts the service in /): write an absolute path",
        at, config.storage.data_dir,
        std::filesystem::absolute(config.storage.data_dir, ec).lexically_normal().string());
  }
  if (auto s = storage::CheckDataDir(config.storage.data_dir); !s.ok()) {
    if (!check_only || s.code() != newsd::Status::Code::kPermissionDenied ||
        !ServiceUserIsAnother()) {
      return FailWith(kExitConfig, "bad configuration: " + at + ": " + s.message());
    }
    spdlog::warn("{}: {} (this user; the service's user must be able to)", at, s.message());
  }
  WarnOfRaisedIntervals(config, config_path);
  if (!check_only) return std::nullopt;
  if (auto s = AdminServer::CheckPath(config.daemon.admin_socket); !s.ok()) {
    return FailWith(kExitConfig, "bad configuration: " + config_path + ": " + s.message());
  }
  const std::filesystem::path socket_dir =
      std::filesystem::path(config.daemon.admin_socket).parent_path();
  std::error_code ec;
  if (!socket_dir.empty() && !std::filesystem::is_directory(socket_dir, ec)) {
    // The unit's RuntimeDirectory=newsd makes /run/newsd at each start; another is the
    // operator's to make.
    const bool runtime_dir = socket_dir == "/run/newsd";
    spdlog::warn(
        "{}: [daemon] admin_socket {}: its directory {} does not exist{}; the service needs it "
        "to start{}",
        config_path, config.daemon.admin_socket, socket_dir.string(), runtime_dir ? " (yet)" : "",
        runtime_dir ? " (systemd's RuntimeDirectory= makes /run/newsd)"
                    : ": create it, or put the socket under /run/newsd");
  }
  std::printf("%s: OK, %zu %s\n", config_path.c_str(), config.feeds.size(),
              config.feeds.size() == 1 ? "feed" : "feeds");
  return kExitOk;
}

/// The service, or with `once` one poll round; `time_scale` > 1 runs its clock faster (tests).
int RunDaemon(config::Config config, bool once, double time_scale) {
  spdlog::debug("heap: {}", TuneHeapForPolling(/*one_round=*/once));
  // One round and out (from cron, say): its compactions must not be cut off at every exit.
  config.storage.finish_compactions_at_close = once;
  const auto mode = once ? Daemon::Mode::kOnce : Daemon::Mode::kService;
  if (time_scale != 1) {
    newsd::ScaledClock clock(time_scale);
    spdlog::warn("testing clock: time runs {}x faster from {} (--time-scale)", time_scale,
                 newsd::FormatIso8601(clock.NowSeconds()));
    return Daemon(std::move(config), clock).Run(mode);
  }
  newsd::SystemClock clock;
  return Daemon(std::move(config), clock).Run(mode);
}

}  // namespace newsd::daemon
