// Rules across keys of a read configuration (each key alone was checked while reading).

#include <sys/un.h>
#include <toml++/toml.h>

#include <algorithm>
#include <set>
#include <string>

#include "config/reader.h"
#include "core/time.h"

namespace newsd::config {

namespace {

// "file:line: " when the file sets `path` ("section.key"), else "file: " (a default).
std::string At(std::string_view file, const toml::table& root, std::string_view path) {
  const toml::node* node = root.at_path(path).node();
  if (node == nullptr || !node->source().begin) return std::string(file) + ": ";
  return std::string(file) + ":" + std::to_string(node->source().begin.line) + ": ";
}

bool Sets(const toml::table& root, std::string_view path) {
  return root.at_path(path).node() != nullptr;
}

bool HasControlCharacter(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
}

// Makes the error of a rule: "file:line: why", at the key `path` when the file sets it.
struct Fail {
  std::string_view file;
  const toml::table& root;
  Status operator()(std::string_view path, const std::string& why) const {
    return Status::InvalidArgument(At(file, root, path) + why);
  }
};

// The polling intervals, request time limits and error backoff.
Status CheckTimes(const Config& cfg, const Fail& fail) {
  const PolitenessOptions& p = cfg.politeness;
  if (p.max_interval < p.min_interval) {
    return Sets(fail.root, "politeness.max_interval")
               ? fail("politeness.max_interval",
                      "[politeness] max_interval must not be below min_interval")
               : fail("politeness.min_interval",
                      "[politeness] min_interval must not be above max_interval (" +
                          std::to_string(p.max_interval) + " s)");
  }
  // Every request has a time limit (0 would mean none: a trickling server holds a poll
  // forever). A connect_timeout of 0 is curl's default (300 s), within that limit.
  if (cfg.fetch.total_timeout_ms <= 0) {
    return fail("fetch.timeout",
                "[fetch] timeout must be longer than 0s (every request needs "
                "a time limit)");
  }
  // (The default connect_timeout above a short timeout set alone is simply cut by it.)
  if (cfg.fetch.connect_timeout_ms > cfg.fetch.total_timeout_ms &&
      Sets(fail.root, "fetch.connect_timeout")) {
    return fail("fetch.connect_timeout",
                "[fetch] connect_timeout must not be longer than timeout (the whole request's "
                "limit, connecting included)");
  }
  if (cfg.fetch.low_speed_seconds * 1000 > cfg.fetch.total_timeout_ms &&
      Sets(fail.root, "fetch.stall_timeout")) {
    return fail("fetch.stall_timeout",
                "[fetch] stall_timeout must not be longer than timeout (the whole request's "
                "limit would end a stalled transfer first); \"0s\" turns it off");
  }
  if (p.backoff_cap <= 0) {
    return fail("politeness.backoff_cap", "[politeness] backoff_cap must be longer than 0s");
  }
  if (p.dead_after <= 0) {
    return fail("politeness.dead_after",
                "[politeness] dead_after must be longer than 0s (a feed failing once would be "
                "marked dead)");
  }
  if (p.max_interval <= 0) {
    return fail("politeness.max_interval",
                "[politeness] max_interval must be longer than 0s (the longest a feed waits "
                "between polls; the default is 24h)");
  }
  if (p.retry_after_max <= 0) {
    return fail("politeness.retry_after_max",
                "[politeness] retry_after_max must be longer than 0s (0s would ignore every "
                "Retry-After a server sends; the default is 7d)");
  }
  if (cfg.daemon.storage_retry_seconds <= 0) {
    return fail("daemon.storage_retry",
                "[daemon] storage_retry must be at least 1s (how often a paused ingest tries a "
                "write again)");
  }
  if (p.host_spacing > p.max_interval) {
    return fail("politeness.host_spacing",
                "[politeness] host_spacing must not be above max_interval (" +
                    FormatDuration(p.max_interval) +
                    "): a host's feeds could not be polled within it");
  }
  return Status::Ok();
}

// The dedup window and how long the archive keeps what it matches against.
Status CheckRetention(const Config& cfg, const Fail& fail) {
  // A window of 0 compares nothing: every item would be a story of its own.
  if (cfg.dedup.window_seconds <= 0) {
    return fail("dedup.window",
                "[dedup] window must be longer than 0s (copies follow their "
                "story by minutes to days; the default is 72h)");
  }
  const int64_t retention = cfg.storage.retention_seconds;
  if (retention > 0 && retention < cfg.dedup.kept_seconds()) {
    const char* key = Sets(fail.root, "storage.retention") ? "storage.retention"
                      : Sets(fail.root, "dedup.late")      ? "dedup.late"
                                                           : "dedup.window";
    return fail(key,
                "[storage] retention must be \"0d\" (keep everything) or at least [dedup] window "
                "plus [dedup] late, " +
                    FormatDuration(cfg.dedup.kept_seconds()) +
                    " here (stories still matched against new copies must stay)");
  }
  if (retention > 0 && cfg.storage.seen_grace_seconds <= 0) {
    return fail(Sets(fail.root, "storage.seen_grace") ? "storage.seen_grace" : "storage.retention",
                "[storage] seen_grace must be longer than 0s while retention is on (an expired "
                "item that a feed still lists would be ingested again as new)");
  }
  return Status::Ok();
}

// The daemon's archive directory and admin socket.
Status CheckDaemonPaths(const Config& cfg, const Fail& fail) {
  if (cfg.daemon.data_dir.empty()) {
    return fail("daemon.data_dir", "[daemon] data_dir must not be empty");
  }
  // A Unix socket path has room for 107 bytes (sun_path); an empty one would bind an
  // abstract socket newsctl cannot name.
  const size_t max_socket = sizeof(sockaddr_un{}.sun_path) - 1;
  if (cfg.daemon.admin_socket.empty() || cfg.daemon.admin_socket.size() > max_socket) {
    return fail("daemon.admin_socket", "[daemon] admin_socket must be a path of 1 to " +
                                           std::to_string(max_socket) + " bytes (it is " +
                                           std::to_string(cfg.daemon.admin_socket.size()) + ")");
  }
  return Status::Ok();
}

}  // namespace

Status Validate(const Config& cfg, std::string_view file, const toml::table& root) {
  static const std::set<std::string, std::less<>> kLevels = {"trace", "debug", "info",
                                                             "warn",  "error", "off"};
  const Fail fail{file, root};
  if (!kLevels.count(cfg.daemon.log_level)) {
    return fail("daemon.log_level",
                "[daemon] log_level must be one of trace, debug, info, warn, error, off");
  }
  if (Status s = CheckTimes(cfg, fail); !s.ok()) return s;
  if (Status s = CheckRetention(cfg, fail); !s.ok()) return s;
  if (Status s = CheckDaemonPaths(cfg, fail); !s.ok()) return s;
  if (HasControlCharacter(cfg.fetch.user_agent)) {
    return fail("fetch.user_agent",
                "[fetch] user_agent must not contain control characters (CR, LF, tab, ...)");
  }
  return Status::Ok();
}

}  // namespace newsd::config
