#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace newsd {

/// Seconds since the Unix epoch, UTC. Publication and arrival times of articles use it.
using UnixSeconds = int64_t;

/// "2024-01-31T12:00:00Z".
std::string FormatIso8601(UnixSeconds t);

/// Parses the RFC 3339 forms newsd itself writes and that JSONL imports use:
/// "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)", with 't' or a space for 'T', 'z' for 'Z', and an
/// offset of "±HHMM" or the hours alone ("+03"). Returns nullopt for anything else.
std::optional<UnixSeconds> ParseIso8601(std::string_view s);

/// ParseIso8601, or a calendar date alone ("YYYY-MM-DD", read as its 00:00 UTC): what an
/// imported article's "published" may hold. Returns nullopt for anything else.
std::optional<UnixSeconds> ParseIso8601DateOrTime(std::string_view s);

/// Days since 1970-01-01 for a proleptic Gregorian date (no range checks).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
/// True for a Gregorian leap year.
bool IsLeapYear(int64_t y);
/// Days in month `m` (1-12) of year `y`.
int DaysInMonth(int64_t y, int m);

/// Parses a duration such as "30m", "1h30m", "90s", "2d", "0s" into seconds.
/// Units: s, m, h, d. A bare number is refused (the unit is required).
std::optional<int64_t> ParseDuration(std::string_view s);

/// "1h30m" style, the inverse of ParseDuration.
std::string FormatDuration(int64_t seconds);

}  // namespace newsd
