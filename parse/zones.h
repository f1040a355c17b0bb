#pragma once

// Time zones of dates in feeds. Part of the date parsers (dates.h).

#include <cstdint>
#include <optional>
#include <string_view>

namespace newsd::parse {

/// "+hhmm", "-hh:mm", "+h:mm", "+hh" -> seconds east of UTC; nullopt when malformed or out of
/// range.
std::optional<int> ParseNumericOffset(std::string_view z);

/// The offset (seconds east of UTC) of a zone name, any case: "GMT+03:00", "Etc/GMT", RFC 822
/// and common North-American, European, Asian and Australian abbreviations, those of Russia and
/// Central Asia, tz database names without daylight saving time ("Asia/Almaty"), military
/// letters. Names whose offset changed (ALMT, QYZT) take the one in
/// force on `local_day`, the date they come with (days since 1970-01-01). nullopt if unknown.
std::optional<int> ParseZoneName(std::string_view zone, int64_t local_day);

/// GMT and its synonyms (UT, UTC, Z): a numeric offset after them is the zone ("GMT +0300").
bool IsUtcName(std::string_view zone);

/// "Asia/Almaty", "America/Argentina/Buenos_Aires": the shape of a tz database zone name, under
/// one of its areas (Africa, America, ..., Europe, Pacific, Etc).
/// ParseZoneName knows those without daylight saving time in Russia and Central Asia and a few
/// more; a date under another reads as zoneless.
bool IsZoneId(std::string_view tok);

/// "MSD", "ALMT": 2 to 5 letters, the shape of a time zone abbreviation.
bool IsZoneAbbreviation(std::string_view tok);

}  // namespace newsd::parse
