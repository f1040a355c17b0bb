#pragma once

// What the two halves of dedup/dateline.h both use: the month names (MonthNames, whose table
// dateline.cc builds) and the readers of day numbers (DigitsOf, DayOf, defined in
// dateline_text_days.cc beside TextDays, their hot caller). dateline.cc reads a text's dateline
// (DatelineDay) and names days and filings; dateline_text_days.cc reads the other days a text
// names (TextDays). Internal to dedup/: only those two include this. Immutable once built:
// safe to read from any thread.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dedup/normalize.h"
#include "dedup/word_table.h"

namespace newsd::dedup {

// Where a month name's day may stand: "March 13" and "13 March" in English, only "25 мая" and
// "6 наурыз" in Russian and Kazakh, only "May 20" for "may" ("up to 20 may have died").
enum class DayAt : uint8_t { kAfterOrBefore, kBefore, kAfter, kNone };

// When a month name without a day names its month: never ("may", "mar": "a protest march",
// "май": Kazakh "butter"), always (Russian "в октябре", "итоги марта"), after a preposition
// (English: "in October", not "Reporting by Jan Strupczewski", "June Smith"), or before the
// Kazakh word for month ("қазан айында", not "Қазан" the city or "маусым" a season).
enum class Alone : uint8_t { kNever, kAlways, kAfterPreposition, kBeforeMonthWord };

// Hashes of the folded month names (HashToken), each with its month and where its day stands.
class MonthNames {
 public:
  struct Name {
    uint64_t hash;
    int month;
    DayAt day;
    Alone alone;  // Also a month without a day ("в октябре", "in October"), and when.
    // May date a dateline: not a Kazakh form with a case ending ("12 наурызда" is in a
    // sentence; a dateline writes "6 наурыз.").
    bool dateline;
  };
  static const MonthNames& Get() {
    static const MonthNames kNames;
    return kNames;
  }
  // Passes every month name and one in 40 other tokens, for a scan of every token.
  const WordFilter& filter() const { return words_.filter(); }
  // The month token `hash` names, or null.
  const Name* Find(uint64_t hash) const { return words_.Find(hash); }

 private:
  MonthNames();  // dateline.cc
  void Add(std::string_view name, int month, DayAt day, Alone alone, bool dateline = true);
  WordTable<Name> words_;  // 108 names
};

// The digits of number token `k`, or null. Digits are in token order: found in log time.
const TokenizedText::Digits* DigitsOf(const TokenizedText& t, size_t k);

// The day number token `k` holds (1-31, one or two digits), or 0.
int DayOf(const TokenizedText& t, size_t k);

}  // namespace newsd::dedup
