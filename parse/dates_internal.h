#pragma once

// Shared by the date parsers of dates.cc (RFC 822 and the localized forms) and dates_w3c.cc
// (W3C-DTF). Not part of the module's API.

#include <cstdint>
#include <optional>

#include "core/time.h"

namespace newsd::parse {

/// The instant of a local date and time at `offset_seconds` east of UTC; nullopt when a field
/// is out of range (year 1-9999, a day past its month's end, hour 24 only as 24:00:00, second
/// up to 60).
std::optional<UnixSeconds> Compose(int64_t y, int mo, int d, int h, int mi, int s,
                                   int offset_seconds);

}  // namespace newsd::parse
