#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace newsd::admin {

// What operators see of stories, copies and feeds: the payloads of the protocol's results,
// shared by the daemon (over the socket) and newsctl (--db, read-only archive), so both
// print the same thing. Times are Unix seconds here and ISO-8601 UTC in JSON.

struct ItemView {
  std::string id, story, feed, source, url, title;
  std::optional<UnixSeconds> published;
  UnixSeconds arrived = 0;
  UnixSeconds revised = 0;  ///< When a later version replaced its title, text or link; 0 = never.
  bool canonical = false;
  double similarity = 1.0;
  std::string path;  ///< How it was matched: new, lsh, lead, title, same-page.
  std::string text;  ///< As received; only in export lines.
};

struct StoryView {
  std::string id;
  std::string title;   ///< The canonical copy's title.
  std::string source;  ///< The canonical copy's outlet.
  UnixSeconds time = 0;
  uint32_t copies = 0;
};

struct FeedView {
  std::string id, url, name;
  int64_t interval = 0;  ///< In force now (adaptive), seconds.
  /// The configured interval (config file or `feeds add --interval`), seconds; 0 = the
  /// default. What an OPML export carries, so an import does not pin the adaptive one.
  int64_t configured_interval = 0;
  UnixSeconds last_fetch = 0, next_fetch = 0;
  long last_http_status = 0;
  std::string last_error;
  uint64_t fetches = 0, items_new = 0;
  std::string state;         ///< active, backoff, gone, dead, disabled.
  std::string state_reason;  ///< Why (empty when active).
  UnixSeconds last_ok = 0;
  std::string moved_to;  ///< A permanent redirect being confirmed.
  std::string warning;   ///< What the last parse recovered from or cut (FeedState).
  /// "config" (declared in the file), "newsctl" (added at run time), or, read with --db (no
  /// configuration at hand), "archive": a record the configuration declares or once declared.
  std::string origin;
  bool paused = false;  ///< Paused with newsctl.
  /// The feed's own zoneless_dates ("+05:00": config file or `feeds add --zoneless-dates`),
  /// "" when [parse] zoneless_dates applies to it.
  std::string zoneless_dates;
};

struct StatusView {
  std::string version;
  uint64_t feeds = 0;
  uint64_t indexed_items = 0;
  uint64_t index_bytes = 0;  ///< Heap the dedup index holds (0 while it is read back).
  UnixSeconds started = 0;
  UnixSeconds last_round = 0;
  std::string state;         ///< "running", "paused" (archive writes fail), "stopping".
  std::string state_reason;  ///< Why paused, since when, and what to do (empty otherwise).
  std::string data_dir;      ///< The archive's directory (newsctl opens it read-only for "dupes").
  std::string metrics;       ///< Where Prometheus metrics are served ("127.0.0.1:9464"), or "".
  /// The configuration file the daemon read (absolute): newsctl's dupes explain and check
  /// judge by its [dedup] settings.
  std::string config;
  /// Sections of that file changed since the start that only a restart applies ("[daemon]"),
  /// as the last reload found them; empty when none.
  std::vector<std::string> restart_needed;
  /// Their keys that changed ("[fetch] timeout"), for the operator to see what waits.
  std::vector<std::string> restart_keys;
  /// "TIME: why" when the last reload was refused (the running configuration stays, and the
  /// file as it is would be refused at the next start); empty once a reload is applied.
  std::string reload_refused;
};

nlohmann::json ToJson(const ItemView& v);
nlohmann::json ToJson(const StoryView& v);
nlohmann::json ToJson(const FeedView& v);
nlohmann::json ToJson(const StatusView& v);

/// One export line (newsctl export --format jsonl): id, story, feed, source, url, title,
/// published (ISO-8601 UTC or null), arrived, revised (null when never), canonical, text.
nlohmann::json ExportLine(const ItemView& v);

}  // namespace newsd::admin
