#pragma once

// Russian and Kazakh dates, as RU/KZ feeds write them. Part of ParseFeedDate (dates.h).

#include <optional>
#include <string_view>

#include "core/time.h"

namespace newsd::parse {

/// Reads a date with Russian or Kazakh words: "3 декабря 2026 10:00 +0300",
/// "Чт, 03 дек. 2026 10:00:00 +0300", "03 желтоқсан 2026 10:00 +0300". Month names (Russian
/// nominative, genitive and abbreviations such as "дек." and "нояб."; Kazakh names and their
/// 3-letter abbreviations) in any case become English ones, "МСК" becomes +0300; weekday
/// names and abbreviations, "г."/"года"/"ж."/"жылғы" (year), "в" (at) and "сағат" (hour) are
/// dropped; the rest is read by ParseRfc822Date ("05.12.2026 10:00 МСК" too), in day, month,
/// year order when written in another ("12:00, 6 декабря 2026", "2026 жылғы 6 желтоқсан,
/// сағат 12:00"). nullopt when a Cyrillic word is none of these, or none is a month or a
/// zone. Without a zone the date is read in `zoneless`, as there.
std::optional<UnixSeconds> ParseCyrillicDate(std::string_view s, int zoneless = 0);

}  // namespace newsd::parse
