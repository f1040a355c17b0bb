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
/// "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)", with 't' or a space for 'T', 'z' for 'Z', and an
/// offset of "±HHMM" or the hours alone ("+03"); seconds left out are :00 (ISO 8601's reduced
/// precision). Returns nullopt for anything else: a time without its zone among them.
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

/// The largest offset from UTC a zone has, seconds (UTC+14: Kiribati).
inline constexpr int kMaxUtcOffset = 14 * 3600;

/// An offset from UTC as the `zoneless_dates` settings take it: "+hh:mm", "-hh:mm", "+hhmm",
/// "+hh", or "UTC"/"Z" for 0. Seconds east of UTC; nullopt when malformed or beyond 14 h.
std::optional<int> ParseUtcOffset(std::string_view s);

/// What ParseUtcOffset takes, for error messages: "... must be " + kUtcOffsetHint.
inline constexpr char kUtcOffsetHint[] =
    "an offset from UTC such as \"+05:00\" (Kazakhstan), \"+03:00\" (Moscow) or \"-04:30\"; "
    "\"UTC\" for none";

/// "+05:00", "-03:30", "+00:00": the inverse of ParseUtcOffset.
std::string FormatUtcOffset(int seconds);

}  // namespace newsd
