#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dedup/word_table.h"

namespace newsd::dedup {

struct TokenizedText;

/// A weekday token of a text: where it stands, and which day (1 Monday … 7 Sunday).
struct WeekdayToken {
  size_t token;
  int weekday;
};

/// Passes every token that is a weekday word (and few others): a scan of a text's tokens for
/// the candidates of FindWeekdays, which may look for other words too (WordFilter::Merge).
const WordFilter& WeekdayFilter();

/// Appends to *out, in text order, the tokens of `t` that name a weekday as the day of an
/// event: English "Monday" … "Sunday" anywhere ("said on Monday", "said Monday"); Russian after
/// a preposition ("в понедельник", "во вторник", "на среду", "до пятницы", "со среды"); Kazakh
/// before "күні" ("дүйсенбі күні") or in the locative ("сейсенбіде"). Not "по понедельникам"
/// (every Monday), "окружающую среду", "жұмада". Looks only at the tokens `candidates` lists,
/// in ascending order: at least those WeekdayFilter passes.
void FindWeekdays(const TokenizedText& t, std::span<const uint32_t> candidates,
                  std::vector<WeekdayToken>* out);

/// A 7-bit key of the words that tell the event of the weekday at token `k`: the token before
/// it past prepositions ("rose on Monday", "подорожала во вторник", "сот дүйсенбі күні": "rose",
/// "подорожала", "сот"), 0 at a line's start (`line_begin`). Two reports from one template
/// name other weekdays under the same key; a copy names the same.
unsigned WeekdayKey(const TokenizedText& t, size_t k, size_t line_begin);

}  // namespace newsd::dedup
