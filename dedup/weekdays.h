#pragma once

#include <cstddef>
#include <vector>

namespace newsd::dedup {

struct TokenizedText;

/// A weekday token of a text: where it stands, and which day (1 Monday … 7 Sunday).
struct WeekdayToken {
  size_t token;
  int weekday;
};

/// Appends to *out, in text order, the tokens of `t` that name a weekday as the day of an
/// event: English "Monday" … "Sunday" anywhere ("said on Monday", "said Monday"); Russian after
/// a preposition ("в понедельник", "во вторник", "на среду", "до пятницы", "со среды"); Kazakh
/// before "күні" ("дүйсенбі күні") or in the locative ("сейсенбіде"). Not "по понедельникам"
/// (every Monday), "окружающую среду", "жұмада".
void FindWeekdays(const TokenizedText& t, std::vector<WeekdayToken>* out);

/// A 7-bit key of the words that tell the event of the weekday at token `k`: the token before
/// it past prepositions ("rose on Monday", "подорожала во вторник", "сот дүйсенбі күні": "rose",
/// "подорожала", "сот"), 0 at a line's start (`line_begin`). Two reports from one template
/// name other weekdays under the same key; a copy names the same.
unsigned WeekdayKey(const TokenizedText& t, size_t k, size_t line_begin);

}  // namespace newsd::dedup
