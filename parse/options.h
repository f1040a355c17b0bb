#pragma once

#include <cstddef>
#include <optional>

namespace newsd::parse {

/// Bounds on what one feed document may produce (ARCHITECTURE.md invariant 5). Hitting one is
/// reported in Feed::limits_hit, never a crash. Plain struct: config/ fills it.
struct Options {
  /// Items kept per feed document, the newest by date; the rest are dropped. Default: 5000.
  size_t max_items = 5000;
  /// Bytes kept per text field (title, summary, content); longer values are cut at a UTF-8
  /// boundary. Default: 1 MiB.
  size_t max_field_bytes = 1u << 20;
  /// Deepest XML element nesting accepted. Default: 256.
  size_t max_depth = 256;
  /// Seconds east of UTC of dates that name no zone ("Wed, 03 Dec 2026 14:05:00",
  /// "2026-12-03 14:05"). Unset (the default): UTC, as feedparser reads them, and
  /// Feed::dates_without_zone tells when a document has such dates. A written zone always wins.
  std::optional<int> zoneless_offset;

  friend bool operator==(const Options&, const Options&) = default;
};

}  // namespace newsd::parse
