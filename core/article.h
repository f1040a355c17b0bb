#pragma once

#include <optional>
#include <string>

#include "core/ids.h"
#include "core/time.h"

namespace newsd {

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

  /// The time used for dedup windows: published, else arrival.
  UnixSeconds EffectiveTime() const { return published.value_or(arrived); }
};

}  // namespace newsd
