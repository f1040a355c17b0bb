#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/time.h"

namespace newsd::storage {

/// One copy of a story, as stored.
struct ItemRecord {
  ItemId id;
  StoryId story;
  FeedId feed;
  std::string source;
  std::string url;
  std::string title;
  std::string text;  ///< As received (HTML or plain).
  std::optional<UnixSeconds> published;
  UnixSeconds arrived = 0;
  double similarity = 1.0;  ///< Similarity to the item it matched (1 for a story's founder).
  std::string match_path;   ///< "new", "lsh", "lead", "title", "same-page".
  uint32_t shingles = 0;    ///< Shingle count after boilerplate removal (fuller text wins).
  /// When a later version replaced the stored title, text or link (a correction its feed
  /// published under the same id, or `newsctl reparse`); 0 = never. A re-put with a `revised`
  /// other than the stored one moves the item to the end of the export order, so that export
  /// cursors past it send it again (Archive::ItemsFrom).
  UnixSeconds revised = 0;
  /// For an item whose feed reused its guid for other stories (a bulletin, a daily rate under
  /// one guid): the id of the latest such story's item (daemon::ReusedGuidId), so that a
  /// correction of that story is found; empty when the guid was never reused.
  ItemId reused_by{};

  friend bool operator==(const ItemRecord&, const ItemRecord&) = default;
};

/// A story: a cluster of copies, named by the item that founded it.
struct StoryRecord {
  StoryId id;
  ItemId canonical;      ///< The copy shown as the story.
  UnixSeconds time = 0;  ///< Effective time of the founding item; orders listings.
  uint32_t copies = 0;   ///< Number of items, the canonical included.
  /// Effective time of its newest item, which retention goes by; 0 = not known (records
  /// written before it existed: retention then reads the items).
  UnixSeconds newest = 0;

  friend bool operator==(const StoryRecord&, const StoryRecord&) = default;
};

/// Health of a feed, as operators see it.
enum class FeedStatus : uint8_t {
  kActive = 0,  ///< Polled on its interval.
  kBackoff,     ///< Failing; retried after a growing, jittered delay (or a Retry-After).
  kGone,        ///< Answered 410 Gone: no longer polled until re-enabled.
  kDead,        ///< Failing without a break for [politeness] dead_after; retried rarely.
  kDisabled,    ///< Disabled by the operator.
};
inline constexpr int kFeedStatusCount = 5;

/// "active", "backoff", "gone", "dead", "disabled".
inline std::string_view FeedStatusName(FeedStatus status) {
  switch (status) {
    case FeedStatus::kActive:
      return "active";
    case FeedStatus::kBackoff:
      return "backoff";
    case FeedStatus::kGone:
      return "gone";
    case FeedStatus::kDead:
      return "dead";
    case FeedStatus::kDisabled:
      return "disabled";
  }
  return "unknown";
}

/// A confirmed permanent move of a feed (the audit trail of URL changes).
struct UrlMove {
  UnixSeconds at = 0;
  std::string from, to;
  uint32_t confirmations = 0;  ///< 301/308 answers seen before the move was applied.

  friend bool operator==(const UrlMove&, const UrlMove&) = default;
};

/// A feed's persisted state: validators and schedule. Written in the same batch as its items.
struct FeedState {
  FeedId id;
  std::string url;
  std::string etag;           ///< Byte-exact, as last received.
  std::string last_modified;  ///< Byte-exact, as last received.
  UnixSeconds last_fetch = 0;
  UnixSeconds next_fetch = 0;
  /// The HTTP status of the last poll's answer when it was received whole; 0 when the poll
  /// got none (no connection, a timeout, a body over the cap or cut short: last_error says).
  long last_http_status = 0;
  std::string last_error;  ///< Empty after a successful poll.
  uint32_t consecutive_failures = 0;
  uint64_t fetches = 0;
  uint64_t items_new = 0;

  // Polling health and schedule (records written before these existed decode with defaults).
  std::string config_url;  ///< URL the configuration gave; `url` differs after a confirmed move.
  FeedStatus status = FeedStatus::kActive;
  std::string status_reason;         ///< Why, e.g. "HTTP 429, Retry-After 600 s".
  UnixSeconds last_ok = 0;           ///< Last poll answered 200 or 304.
  UnixSeconds failing_since = 0;     ///< Start of the current run of failures; 0 = none.
  UnixSeconds retry_until = 0;       ///< Retry-After: not polled before this.
  int64_t interval = 0;              ///< Interval in force (adaptive), seconds; 0 = not yet set.
  int64_t item_gap = 0;              ///< Smoothed seconds between polls that brought new items.
  UnixSeconds last_new_items = 0;    ///< Last poll that brought new items.
  uint32_t skip_hours = 0;           ///< The feed's <skipHours> (bit h = hour h GMT).
  uint32_t skip_days = 0;            ///< The feed's <skipDays> (bit d = day d, 0 = Sunday).
  std::string moved_to;              ///< A permanent redirect's target, being confirmed.
  uint32_t moved_seen = 0;           ///< Polls that saw moved_to so far.
  UnixSeconds moved_first = 0;       ///< When moved_to was first seen.
  std::vector<UrlMove> url_history;  ///< Confirmed moves, oldest first (the last 16).
  /// What the last parsed response had wrong but was read anyway: ill-formed XML recovered,
  /// parser limits hit (items dropped, fields cut, nesting cut). Empty when clean; kept
  /// across 304s.
  std::string last_warning;
  /// Hash of the last 200 response that parsed (its body, Content-Type, final URL and the
  /// parser's identity; see the daemon), so that the same response again is not parsed
  /// again; 0 = none (never parsed, or the last 200 did not parse).
  uint64_t body_hash = 0;
  /// The configured interval (seconds) in force when `interval` was last set; 0 = not known
  /// (records written before it existed, whose `interval` then stands for their hints).
  int64_t base_interval = 0;
  /// What the last parsed body's hints asked (ttl, sy:updatePeriod, item rate), seconds; 0 none.
  int64_t hint_interval = 0;
  /// The freshness lifetime (Cache-Control max-age / Expires) of the stored response; 0 none.
  int64_t fresh_interval = 0;
  /// "host:port" the last answered poll's redirects led to, when not the URL's own host ("":
  /// none): its next poll waits on that host's limits and Retry-After, after a restart too.
  std::string answered_by;
  /// The Content-Encoding the feed's server sends though it names no compression ("UTF-8",
  /// "aws-chunked": a misconfigured server, the body is plain). Set when such an answer was
  /// read by asking again; while set, polls ask without compression at once, after a restart
  /// too. Empty: none. A new URL (configured or moved to) starts without it.
  std::string sent_encoding;

  friend bool operator==(const FeedState&, const FeedState&) = default;
};

/// One raw response body of a feed as fetched (HTTP 200), kept so that `newsctl reparse` can
/// run it through a newer parser. The archive keeps the last Options::raw_bodies per feed.
struct RawBody {
  FeedId feed;
  UnixSeconds fetched_at = 0;
  std::string url;           ///< The URL that answered (after redirects): base of relative links.
  std::string content_type;  ///< The Content-Type header as received (it may name a charset).
  std::string body;

  friend bool operator==(const RawBody&, const RawBody&) = default;
};

/// Politeness counters of one host:port, kept in the archive (the politeness report).
struct HostStats {
  std::string host;               ///< "example.com:443".
  uint64_t requests = 0;          ///< Requests started.
  uint64_t conditional = 0;       ///< ...of which carried If-None-Match or If-Modified-Since.
  uint64_t not_modified = 0;      ///< Answers 304.
  uint64_t throttled = 0;         ///< Answers 429 or 503.
  uint64_t retry_after = 0;       ///< ...of which carried a Retry-After.
  uint64_t retry_violations = 0;  ///< Requests started while a Retry-After was in force.
  int64_t min_gap_ms = -1;        ///< Shortest time between two requests to the host; -1 = n/a.
  int64_t min_feed_gap = -1;      ///< Shortest time between two polls of one feed, s; -1 = n/a.
  int64_t last_request_ms = 0;    ///< Unix milliseconds of the last request start.
  UnixSeconds blocked_until = 0;  ///< A host-wide Retry-After in force until then.

  friend bool operator==(const HostStats&, const HostStats&) = default;
};

/// What an operator changed about a feed at run time (`newsctl feeds add|pause|resume`),
/// kept in the archive so it survives restarts. A feed declared in the configuration file
/// stays authoritative for what it declares (URL, name, interval, enabled): `added` is only
/// ever set for feeds the file does not declare; `paused` applies to either kind.
struct FeedControl {
  FeedId id;
  bool added = false;    ///< Added with `newsctl feeds add` (url, name and interval below).
  std::string url;       ///< The added feed's URL.
  std::string name;      ///< The added feed's outlet name (empty: the id).
  int64_t interval = 0;  ///< The added feed's interval, seconds (0: the default).
  bool paused = false;   ///< Not polled until resumed.
  UnixSeconds added_at = 0;
  UnixSeconds paused_at = 0;
  /// The added feed's `zoneless_dates`: seconds east of UTC of its dates that name no zone
  /// (unset: [parse] zoneless_dates applies). Stored only when set, so records without it
  /// read as before.
  std::optional<int> zoneless_offset;

  friend bool operator==(const FeedControl&, const FeedControl&) = default;
};

/// An item with its place in the archive's arrival order (Archive::ItemsFrom).
struct SequencedItem {
  uint64_t seq = 0;
  ItemRecord item;
};

}  // namespace newsd::storage
