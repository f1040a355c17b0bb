#pragma once

#include <optional>
#include <string_view>

#include "core/time.h"

namespace newsd::parse {

/// Parses RFC 822/1123 dates and the variants feeds use: optional weekday, comments in
/// parentheses, missing spaces, 1-digit days, 2-digit years (<50 is 20xx), full month names,
/// missing seconds, asctime order ("Sun Jan  4 16:29:06 2004"), RFC 850's "05-Dec-26", the
/// day-first "05.12.2026" and "05.12.26" of Russian and Kazakh sites, "2006/09/15", and day and
/// month slashed in either order ("12/6/2026 12:00:00 PM" month first on a 12-hour clock, as
/// .NET and US sites write it; on a 24-hour clock only when a field over 12 is the
/// day), numeric offsets with or without a colon ("+5:00" too), "GMT+hh:mm" and "GMT +hhmm"
/// (the offset is the zone), named North-American/European zones and military letters. Zones
/// of Russia and Central Asia (MSK, YEKT, ALMT, UZT, ...) and tz database names without
/// daylight saving time ("Asia/Almaty") too; ALMT (+6, +5 from 2024-03-01) and QYZT (+6, +5
/// from 2018-12-21) by the date they come with. Another alphabetic zone of 2-5 letters or tz
/// database name reads as zoneless. A date without a zone is read at `zoneless` seconds east
/// of UTC (default 0: UTC, as feedparser reads it). Returns nullopt for anything it cannot
/// read with confidence.
std::optional<UnixSeconds> ParseRfc822Date(std::string_view s, int zoneless = 0);

/// Parses W3C-DTF / ISO 8601 dates: YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD, ordinal YYYY-DDD and
/// YYDDD, "-YY-MM", then an optional time (T or space, hh:mm[:ss[.f]]) and zone (Z, ±hh:mm,
/// ±hhmm, ±hh, or a zone name ParseRfc822Date knows: "2026-12-03T10:00:00 MSK", "... GMT+0500",
/// "... Asia/Almaty"; an unknown tz database name reads as no zone). Missing parts default to
/// the start of the period, a missing zone to `zoneless` (as for ParseRfc822Date).
/// Out-of-range fields and trailing garbage give nullopt.
std::optional<UnixSeconds> ParseW3cDate(std::string_view s, int zoneless = 0);

/// Tries W3C-DTF, then RFC 822, then a Unix timestamp of 10 digits (13: milliseconds) in
/// 2001-2099, then the localized forms some engines emit (Korean with
/// 년/월/일 or 오전/오후 in KST, Greek and Hungarian month names, Russian and Kazakh month and
/// weekday names: dates_cyrillic.h). No-break spaces (U+00A0) read as spaces. A date without a
/// zone is read at `zoneless` seconds east of UTC (Options::zoneless_offset); the Korean forms
/// are always KST. The parser for every date element in feeds.
std::optional<UnixSeconds> ParseFeedDate(std::string_view s, int zoneless = 0);

}  // namespace newsd::parse
