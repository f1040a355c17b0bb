#pragma once

// What one poll's outcome does to a feed's state: validators, health state, the next poll
// time (interval, backoff, Retry-After, floor, skipHours/skipDays) and permanent-redirect
// confirmation (FETCHER.md §1 and §3). Pure: no clock, no I/O, no randomness of its own —
// the caller passes "now" and a uniform random number, so tests can drive it exactly.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/time.h"
#include "fetchers/http_client.h"
#include "storage/records.h"

namespace newsd::daemon {

/// What parsing a 200's body found (all empty for other answers).
struct PollReport {
  bool parsed = false;  ///< A 200 whose body parsed as a feed.
  /// A 200 that is the response last parsed (FeedState::body_hash), so not parsed again: a
  /// good poll with no new items that keeps the hints (skipHours, ttl, …) of that parse.
  bool unchanged = false;
  uint64_t body_hash = 0;                ///< Of a 200 that parsed: becomes FeedState::body_hash.
  std::string parse_error;               ///< Why a 200 did not parse.
  std::optional<long> ttl_minutes;       ///< RSS <ttl>.
  std::optional<int64_t> update_period;  ///< sy:updatePeriod / updateFrequency, seconds.
  uint32_t skip_hours = 0;
  uint32_t skip_days = 0;
  uint64_t new_items = 0;
  uint64_t corrected = 0;  ///< Stored items re-put with a new title, text or link.
  /// What the parse recovered from or cut (FeedState::last_warning); empty when clean.
  std::string warning;
  /// The body ended with elements open (parse::Feed::cut_off): its validators are not kept,
  /// so that the next poll asks for the whole feed again rather than getting a 304, nor its
  /// hash (the same cut body served again is parsed again, and keeps none either).
  bool cut_off = false;
  /// The poll stopped at a redirect to a host that a Retry-After holds until then
  /// (FetchResult::held_at): no failure; the feed waits for the hold, and for its interval.
  UnixSeconds held_until = 0;
};

/// The most bytes of a publisher's text (an error message, a parse warning; half of it for a
/// redirect's Location) that ApplyPoll puts into a feed's last_error, status_reason and
/// last_warning, each cut in the middle saying how long it was (its start and its end kept):
/// a Location of 70 KB once made every line of `newsctl feeds list` that wide.
inline constexpr size_t kMaxStateText = 1024;
/// A permanent redirect to a longer URL is followed but never becomes the feed's URL.
inline constexpr size_t kMaxMovedUrl = 4096;

/// What the caller should do besides storing the new state.
struct PollDecision {
  bool ok = false;          ///< 200 parsed, or 304.
  bool throttled = false;   ///< 429/503 with Retry-After.
  int64_t retry_after = 0;  ///< Seconds, clamped, when throttled.
  bool url_moved = false;   ///< A permanent move was confirmed and applied now.
  std::string log;          ///< One line for the log when something changed state.
};

/// Seconds between polls for `feed` when nothing else is known: its interval, never below the
/// floor.
int64_t BaseInterval(const config::FeedConfig& feed, const config::PolitenessOptions& p);

/// Applies `fetch` (its body is not used) and `report` (the poll finished at `now`) to
/// `state`. `u` is uniform in [0, 1), for
/// the backoff's full jitter. Sets state.next_fetch; 0 means "not scheduled" (gone).
PollDecision ApplyPoll(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                       const fetchers::FetchResult& fetch, const PollReport& report,
                       UnixSeconds now, double u, storage::FeedState* state);

/// For a poll that ended a fraction of a second after `now` (ApplyPoll works in whole
/// seconds): the times it set later than `now` (next_fetch, retry_until) a second later, so a
/// poll never comes sooner than its interval or Retry-After, and a backoff reason's "next try
/// at" says the same time as next_fetch.
void RoundUpPollTimes(UnixSeconds now, storage::FeedState* state);

/// A backoff or dead reason that ends ", next try at BEFORE)" says AFTER instead (a start
/// that polls the feed at another time than its last poll planned: a lowered backoff_cap, a
/// Retry-After cut); other reasons are left as they are.
void RetimeReason(UnixSeconds before, UnixSeconds after, storage::FeedState* state);

/// The first time at or after `t` that is outside the feed's skipHours/skipDays (GMT);
/// `t` itself when nothing is skipped or everything would be.
UnixSeconds SkipForward(UnixSeconds t, uint32_t skip_hours, uint32_t skip_days);

/// When a feed with persisted `state` may be polled first after a start at `now`: when its
/// last poll scheduled it (the publisher's max-age, ttl and sy:updatePeriod kept), but never
/// later than its interval allows when that interval is set in the configuration; an active
/// feed whose interval changed since that poll is due that new interval after it, whether
/// shortened or lengthened; never before last_fetch + floor, never before a
/// Retry-After; not at all (0) when gone or disabled.
/// Feeds that are due get `now + u * startup_jitter`, so a restart does not burst. An active
/// feed due within `early` seconds from now counts as due now (OnceSlack), still never before
/// the floor or a Retry-After.
UnixSeconds FirstPollTime(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                          const storage::FeedState& state, UnixSeconds now, double u,
                          int64_t early = 0);

/// How early one round (`newsd --once`, from cron) polls a feed that is nearly due: 5 % of
/// its interval in force, at most 5 minutes. Without it, a feed polled a few seconds into
/// the last round is a few seconds short of due at the next one, an interval later, and waits
/// a whole round more.
int64_t OnceSlack(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                  const storage::FeedState& state);

}  // namespace newsd::daemon
