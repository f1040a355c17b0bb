#pragma once

// The archive's items of a span of days, found through the stories that hold them: what the
// dedup index let go of (expired with its window), read back to compare an older text with
// (newsctl check, and the ingestor's look back for articles dated before the index holds).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "storage/archive.h"

namespace newsd::storage {

/// Which items ItemsDatedWithin reads.
struct ItemSpan {
  UnixSeconds from = 0;  ///< Effective times (published, else arrived), inclusive.
  UnixSeconds to = 0;
  /// The dedup window: a copy joins a story within a window of any member, so a story founded
  /// up to kChainWindows windows before `from` may hold items of the span.
  int64_t window = 0;
  /// At most this many items, those dated nearest `center` (the rest are left out).
  size_t limit = std::numeric_limits<size_t>::max();
  UnixSeconds center = 0;
  static constexpr int64_t kChainWindows = 2;
};

/// The items read, oldest first (then by id): the order ingestion met them.
struct SpanItems {
  std::vector<ItemRecord> items;
  size_t left_out = 0;  ///< Items of the span over ItemSpan::limit, not read into `items`.
};

/// The items of stories founded from kChainWindows windows before span.from to one window
/// after span.to whose effective time is within [span.from, span.to]. Holds at most twice
/// span.limit records at a time. Errors: the archive's, reading it.
Result<SpanItems> ItemsDatedWithin(Archive& archive, const ItemSpan& span);

}  // namespace newsd::storage
