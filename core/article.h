#pragma once

#include <optional>
#include <string>

#include "core/ids.h"
#include "core/time.h"

namespace newsd {

/// A publication time more than this after the item's arrival is not believed (a wrong year; a
/// wrong time zone is at most 14 h off).
inline constexpr UnixSeconds kMaxPublishedAhead = 24 * 3600;

/// A publication date as newsd files it: none for the Unix epoch itself
/// (1970-01-01T00:00:00Z, a publisher's unset timestamp), which would otherwise file the item
/// in 1970 (first published 1970 by it, removed at retention's next pass).
inline std::optional<UnixSeconds> KnownDate(std::optional<UnixSeconds> t) {
  return t && *t != 0 ? t : std::nullopt;
}

/// The time an item counts at for dedup windows, the canonical choice and retention: its
/// publication time, else its arrival; its arrival also when the publication time is more
/// than kMaxPublishedAhead after a known (positive) arrival, or is the Unix epoch itself
/// (KnownDate; an item stored before it was kept from its date).
inline UnixSeconds EffectiveTime(std::optional<UnixSeconds> published, UnixSeconds arrived) {
  if (!published || *published == 0 || (arrived > 0 && *published > arrived + kMaxPublishedAhead)) {
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
