#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsd::dedup {

struct TokenizedText;

/// The day a wire dateline at the start of a text names, as month * 32 + day (1..415), or 0
/// when there is none: the first month name next to a day number (1-31) among the text's
/// first kDatelineTokens tokens, the whole text's (header lines, and the title when the text
/// has no words). English writes the day either side ("WASHINGTON, March 13 -", "NEW YORK, Apr
/// 9 (Reuters) -", "LONDON, 13 March -"; the day before the month is tried first, and "may" is
/// read only as "May 13": "up to 20 may have died" is no date), Russian and Kazakh before it
/// ("МОСКВА, 25 мая. /ТАСС/.", "Қарағанды. 6 наурыз. DKnews.kz –"). Months are read from the
/// folded tokens (English names and abbreviations, Russian in the genitive and nominative,
/// Kazakh, also with the locative, ablative and dative endings: "12 наурызда"), so case, ё
/// and Kazakh letters do not matter. A date among the opening words counts
/// as well ("CALGARY, Alberta - Qtr ends Dec 31" names Dec 31).
uint16_t DatelineDay(const TokenizedText& tokens);
inline constexpr size_t kDatelineTokens = 10;
inline constexpr size_t kDatelineLines = 2;  ///< (TextDays) a caption line, then the dateline

/// TextDays' value for weekday `weekday` (1-7) under WeekdayKey `key` (0-127): past any day
/// of a month (kWeekdayEntries and up).
inline constexpr uint16_t kWeekdayEntries = 512;
inline constexpr uint16_t WeekdayEntry(unsigned key, int weekday) {
  return static_cast<uint16_t>(kWeekdayEntries + key * 8 + weekday);
}

/// Tokens [begin, end) of a text.
struct TokenSpan {
  uint32_t begin, end;
};

/// Appends to *days the days (DatelineDay values) the text names, read as DatelineDay reads
/// them, within a line, in lines not marked in `dropped` (the source's boilerplate; empty:
/// none), at most `limit`, distinct; both ends of a range ("20-30 November" and "November
/// 20-30" alike); but for a dateline's: a day in the first kDatelineLines lines kept or the
/// text's first kDatelineTokens tokens, among the first kDatelineTokens tokens of its line,
/// with nothing before it there but capitalised
/// words ("NEW YORK, March 3 -" under a photo caption, "МОСКВА, 25 мая.", a line "6
/// наурыз."), as an outlet dates its copy of a wire story with its own day. "В связи с
/// работами 12 ноября", "С 1 по 30 ноября", "On 12 November, ..." and "12 ноября с 09:00
/// будет ..." count (a preposition opens the line, or the sentence goes on after the day).
/// Then, while under `limit`, the months named without a day ("в октябре", "in October",
/// "қарашада"; not "may" or "march") as day 0 of the month (month * 32), once per month and only
/// for a month no day found names. Then, beyond `limit`, the weekdays named as events' days
/// (FindWeekdays: "on Monday", "в понедельник", "дүйсенбі күні") as WeekdayEntry values, once
/// each, but for a weekday before a month, or a day and a month, in its line ("Monday,
/// December 6": a date).
/// When `date_spans` is given, appends to it, in text order, the tokens of the dates skipped as
/// datelines (the day, its month and the year and time after them: "АСТАНА, 6 декабря 2026
/// в 10:15", "ASTANA, Dec. 6, 2026 /PRNewswire/") and of the date lines among the first
/// kDatelineLines lines kept ("6 декабря 2026 в 10:15", "Today, 10:15", "Обновлено 10:15"):
/// an outlet's own date and time, whose numbers are no part of the story's.
void TextDays(const TokenizedText& t, const std::vector<uint8_t>& dropped, size_t limit,
              std::vector<uint16_t>* days, std::vector<TokenSpan>* date_spans = nullptr);

/// "Mar 13" for a DatelineDay value; "" for 0.
std::string DatelineName(uint16_t day);

/// A dated filing: the source that published a text and the day its dateline names, packed
/// into one value (0: the text names no day). Two items of one source whose datelines name
/// other days are separate filings (a wire story sent again the next day with its new
/// figures: "NEW YORK, March 12 - ... As reported yesterday, ..."), never copies of each other.
uint64_t FilingKey(std::string_view source, uint16_t dateline_day);

/// The dateline day a FilingKey holds (0 for none).
inline uint16_t FilingDay(uint64_t filing) { return static_cast<uint16_t>(filing & 0x1FF); }

/// True when `a` and `b` (FilingKey values) are filings of one source dated on other days.
inline bool OtherFiling(uint64_t a, uint64_t b) {
  return a != 0 && b != 0 && a != b && (a >> 9) == (b >> 9);
}

}  // namespace newsd::dedup
