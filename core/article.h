#pragma once

#include <optional>
#include <string>

#include "core/ids.h"
#include "core/time.h"

namespace newsd {

/// A publication time more than this after the item's arrival is not believed (a wrong year; a
/// wrong time zone is at most 14 h off).
inline constexpr UnixSeconds kMaxPublishedAhead = 24 * 3600;

/// Dates before this (1000-01-01T00:00:00Z) are a publisher's unset timestamp, not a date:
/// Go's and .NET's zero time (0001-01-01), Hugo's "Mon, 01 Jan 0001".
inline constexpr UnixSeconds kOldestKnownDate = -30'610'224'000;

/// A publication date as newsd files it: none for a publisher's unset timestamp, the Unix
/// epoch itself (1970-01-01T00:00:00Z) or a date before kOldestKnownDate, which would
/// otherwise file the item there (first published 1970 by it, removed at retention's next
/// pass).
inline std::optional<UnixSeconds> KnownDate(std::optional<UnixSeconds> t) {
  if (!t || *t == 0 || *t < kOldestKnownDate) return std::nullopt;
  return t;
}

/// The time an item counts at for dedup windows, the canonical choice and retention: its
/// publication time, else its arrival; its arrival also when the publication time is more
/// than kMaxPublishedAhead after a known (positive) arrival, or is no KnownDate (an item
/// stored before that rule keeps its raw date).
inline UnixSeconds EffectiveTime(std::optional<UnixSeconds> published, UnixSeconds arrived) {
  if (!KnownDate(published) || (arrived > 0 && *published > arrived + kMaxPublishedAhead)) {
    return arrived;
  }
  return *published;
}

/// One copy of a story as received: from a feed item or an imported JSONL line. Fields are kept
/// as received after decoding (ARCHITECTURE.md invariant 4); normalised text exists only inside
/// dedup/.
struct Article {
  ItemId id;           ///< See ids.h for the scheme.
  FeedId feed;         ///< The feed it came from; for imports, the `source` field.
  std::string source;  ///< Outlet name shown to operators (feed title or id; JSONL `source`).
  std::string url;     ///< Absolute link, may be empty.
  std::string title;   ///< Plain text.
  std::string text;    ///< Body: HTML or plain text as received (summary or full content).
  std::optional<UnixSeconds> published;  ///< Publication time, absent when unknown/invalid.
  UnixSeconds arrived = 0;               ///< When newsd received it.

  /// The time used for dedup windows: see newsd::EffectiveTime.
  UnixSeconds EffectiveTime() const { return newsd::EffectiveTime(published, arrived); }
};

}  // namespace newsd
