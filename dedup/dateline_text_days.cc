// TextDays: the days, months and weekdays a text names, and the dates an outlet puts over its
// copy (its dateline's, its own time), with the readers of day numbers they are built on.
#include <algorithm>
#include <span>
#include <string_view>
#include <vector>

#include "dedup/dateline.h"
#include "dedup/dateline_internal.h"
#include "dedup/normalize.h"
#include "dedup/weekdays.h"
#include "dedup/word_table.h"

namespace newsd::dedup {

const TokenizedText::Digits* DigitsOf(const TokenizedText& t, size_t k) {
  if (k >= t.tokens.size() || t.is_number[k] != 1) return nullptr;
  const auto d = std::lower_bound(
      t.digits.begin(), t.digits.end(), k,
      [](const TokenizedText::Digits& x, size_t token) { return x.token < token; });
  return d != t.digits.end() && d->token == k ? &*d : nullptr;
}

int DayOf(const TokenizedText& t, size_t k) {
  const TokenizedText::Digits* d = DigitsOf(t, k);
  return d != nullptr && d->count <= 2 && d->value >= 1 && d->value <= 31
             ? static_cast<int>(d->value)
             : 0;
}

namespace {

// True when number tokens `hour` and `minute` (next to each other) read as a clock time
// ("10:00", "9:30"): an hour of 0-23 and two digits below 60. (Tokens hold no punctuation: a
// range "20-30" reads alike, so callers ask only where a time is likelier.)
bool IsClockTime(const TokenizedText& t, size_t hour, size_t minute) {
  const TokenizedText::Digits* h = DigitsOf(t, hour);
  const TokenizedText::Digits* m = DigitsOf(t, minute);
  return h != nullptr && m != nullptr && h->count <= 2 && h->value <= 23 && m->count == 2 &&
         m->value < 60;
}

// Day numbers next to month name `name` at token `k` within [begin, end), as DatelineDay
// values, into days[0..]: the run before it ("20-30 ноября", "13 March"), else the run after
// it ("November 20-30"), two at most. Returns how many, and in *first the run's first token.
size_t DaysNamed(const TokenizedText& t, const MonthNames::Name& name, size_t k, size_t begin,
                 size_t end, uint16_t days[2], size_t* first) {
  size_t n = 0;
  *first = k;
  if (name.day == DayAt::kNone) return 0;
  for (size_t j = k; name.day != DayAt::kAfter && n < 2 && j > begin;) {
    const int day = DayOf(t, --j);
    // "с 9:30 12 ноября": the 30 is a time's minutes, not a range's first day.
    if (day == 0 || (n > 0 && j > begin && IsClockTime(t, j - 1, j))) break;
    days[n++] = static_cast<uint16_t>(name.month * 32 + day);
    *first = j;
  }
  if (n > 0 || name.day == DayAt::kBefore) return n;
  // A second number is a range's end only when later than the first: "November 12, 10:35"
  // and "on November 12, 9 people" name one day.
  for (size_t j = k + 1; j < end && n < 2; ++j) {
    const int day = DayOf(t, j);
    // "November 5, 10:00": the 10 is a time's hour, not a range's last day.
    if (day == 0 || (n > 0 && (name.month * 32 + day <= days[0] ||
                               (j + 1 < end && IsClockTime(t, j, j + 1))))) {
      break;
    }
    days[n++] = static_cast<uint16_t>(name.month * 32 + day);
  }
  return n;
}

// True when tokens (begin, first) of a line are all capitalised words (its first token, at
// `begin`, is a sentence's first word): a place before a dateline's day.
bool OnlyCapitalsBefore(const TokenizedText& t, size_t begin, size_t first) {
  auto c = std::lower_bound(
      t.capitals.begin(), t.capitals.end(), begin + 1,
      [](const TokenizedText::Capital& x, size_t token) { return x.token < token; });
  size_t j = begin + 1;
  for (; j < first && c != t.capitals.end() && c->token == j; ++j, ++c) {
  }
  return j >= first;
}

// The words a date line holds beside its numbers and capitalised words: for "year", "at", a
// time's zone and half of the day, and what heads an outlet's own time ("Updated 10:15").
bool IsDateWord(uint64_t token) {
  static const std::vector<uint64_t> kWords = [] {
    std::vector<uint64_t> hashes;
    for (std::string_view word : {"г",
                                  "года",
                                  "год",
                                  "ж",
                                  "жыл",
                                  "жылы",
                                  "жылгы",
                                  "мск",
                                  "am",
                                  "pm",
                                  "a",
                                  "p",
                                  "m",
                                  "utc",
                                  "gmt",
                                  "в",
                                  "at",
                                  "сагат",
                                  "today",
                                  "yesterday",
                                  "сегодня",
                                  "вчера",
                                  "бугин",
                                  "кеше",
                                  "updated",
                                  "published",
                                  "posted",
                                  "обновлено",
                                  "опубликовано",
                                  "жарияланды",
                                  "жанартылды"}) {
      hashes.push_back(HashToken(word));
    }
    return hashes;
  }();
  return std::find(kWords.begin(), kWords.end(), token) != kWords.end();
}

// True when tokens [from, end) of a line hold nothing but what a date line puts after its
// day: numbers (the year, the time), capitalised words (an agency) and IsDateWord words
// ("12 ноября 2024 г., 10:35", "November 12, 2024 at 10:35 AM", "12 қараша 2024 ж.").
bool OnlyDateAfter(const TokenizedText& t, size_t from, size_t end) {
  auto c = std::lower_bound(
      t.capitals.begin(), t.capitals.end(), from,
      [](const TokenizedText::Capital& x, size_t token) { return x.token < token; });
  for (size_t j = from; j < end; ++j) {
    while (c != t.capitals.end() && c->token < j) ++c;
    const bool capital = c != t.capitals.end() && c->token == j;
    if (!capital && t.is_number[j] == 0 && !IsDateWord(t.tokens[j])) return false;
  }
  return true;
}

// True when token `k` is a year (four digits, 1900-2099).
bool IsYear(const TokenizedText& t, size_t k) {
  const TokenizedText::Digits* d = DigitsOf(t, k);
  return d != nullptr && d->count == 4 && d->value >= 1900 && d->value < 2100;
}

// The end of a date that runs on from token `from` of a line ending at `end`: past its year,
// its clock time and the IsDateWord words between them ("2026 г., 10:15", ", 2026 at 10:15
// am"), not past a word that no number follows ("6 декабря. В Алматы ...").
size_t DateEnd(const TokenizedText& t, size_t from, size_t end) {
  size_t j = from, date_end = from;
  while (j < end) {
    if (j + 1 < end && IsClockTime(t, j, j + 1)) {
      j += 2;
    } else if (IsYear(t, j)) {
      ++j;
    } else if (IsDateWord(t.tokens[j])) {
      ++j;
      continue;
    } else {
      break;
    }
    date_end = j;
  }
  return date_end;
}

// True when line [begin, end) is an outlet's time over its text ("Today, 10:15", "Обновлено
// 10:15", "06.12.2026 10:15"): a few tokens, a clock time among them, all numbers or
// IsDateWord words.
bool IsTimeLine(const TokenizedText& t, size_t begin, size_t end) {
  constexpr size_t kMaxTokens = 8;
  if (end - begin > kMaxTokens || end - begin < 2) return false;
  bool clock = false;
  for (size_t j = begin; j < end; ++j) {
    if (t.is_number[j] == 0 && !IsDateWord(t.tokens[j])) return false;
    clock = clock || (j + 1 < end && IsClockTime(t, j, j + 1));
  }
  return clock;
}

// True when the day and month at tokens [first, last] of line [begin, end) stand as a
// dateline's do: among the line's first kDatelineTokens tokens, after capitalised words only
// ("NEW YORK, March 3 -", "МОСКВА, 25 мая."), or alone in their line ("6 наурыз." between
// "Қарағанды." and "DKnews.kz –"). Not after a preposition opening the line ("On 12
// November, ...", "С 1 по 30 ноября"), nor opening a sentence that goes on ("12 ноября с
// 09:00 будет отключена ...").
bool LooksLikeDateline(const TokenizedText& t, size_t begin, size_t end, size_t first,
                       size_t last) {
  if (first - begin >= kDatelineTokens) return false;
  if (first == begin) return OnlyDateAfter(t, last + 1, end);
  // "10:35, 12 ноября 2024": a time, then the day, as some outlets head their items.
  if (first == begin + 2 && IsClockTime(t, begin, begin + 1)) {
    return OnlyDateAfter(t, last + 1, end);
  }
  static const std::vector<uint64_t> kPrepositions = [] {
    std::vector<uint64_t> hashes;
    for (std::string_view word :
         {"on", "in", "at", "from", "by", "until", "since", "for", "of", "в", "во",
          "с",  "со", "на", "по",   "к",  "ко",    "от",    "из",  "за", "до"}) {
      hashes.push_back(HashToken(word));
    }
    return hashes;
  }();
  // "By November 30, all lenders must ..." opens with a preposition; "By Jane Doe, November
  // 12, 2024" is a byline (a capitalised name after "by").
  static const uint64_t kBy = HashToken("by");
  static const std::vector<uint64_t> kWeekdays = [] {
    std::vector<uint64_t> hashes;
    for (std::string_view word :
         {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}) {
      hashes.push_back(HashToken(word));
    }
    return hashes;
  }();
  // ("By Friday, November 29, ..." is a deadline: a weekday is no byline's name.)
  const bool byline =
      t.tokens[begin] == kBy && begin + 1 < first && OnlyCapitalsBefore(t, begin, begin + 2) &&
      std::find(kWeekdays.begin(), kWeekdays.end(), t.tokens[begin + 1]) == kWeekdays.end();
  if (!byline && std::find(kPrepositions.begin(), kPrepositions.end(), t.tokens[begin]) !=
                     kPrepositions.end()) {
    return false;
  }
  return OnlyCapitalsBefore(t, begin, first);
}

// True when line `line` is among the first kDatelineLines lines not marked in `dropped`.
bool InFirstLines(const std::vector<uint8_t>& dropped, size_t line) {
  size_t kept = 0;
  for (size_t i = 0; i < line && kept < kDatelineLines; ++i) {
    kept += dropped.empty() || dropped[i] == 0 ? 1 : 0;
  }
  return kept < kDatelineLines;
}

// True when month name `name` at token `k`, without a day, names its month (Alone).
bool NamesItsMonth(const TokenizedText& t, const MonthNames::Name& name, size_t k) {
  static const std::vector<uint64_t> kBefore = [] {
    std::vector<uint64_t> hashes;
    for (std::string_view word :
         // (Not "and", "for", "late": "Blenkinsop and Jan Strupczewski", "the late August
         // Wilson".)
         {"in", "since", "until", "till", "from", "through", "during", "of", "last", "next",
          "early", "mid", "this", "before", "after", "between"}) {
      hashes.push_back(HashToken(word));
    }
    return hashes;
  }();
  static const std::vector<uint64_t> kMonthWord = [] {
    std::vector<uint64_t> hashes;
    // айы, айында, айындағы, айынан, айына, айдан, айда, айларында
    for (std::string_view word :
         {"айы", "айында", "айындагы", "айынан", "айына", "айдан", "айда", "айларында"}) {
      hashes.push_back(HashToken(word));
    }
    return hashes;
  }();
  auto in = [](const std::vector<uint64_t>& words, uint64_t token) {
    return std::find(words.begin(), words.end(), token) != words.end();
  };
  switch (name.alone) {
    case Alone::kAlways:
      return true;
    case Alone::kAfterPreposition:
      return k > 0 && in(kBefore, t.tokens[k - 1]);
    case Alone::kBeforeMonthWord:
      return k + 1 < t.tokens.size() && in(kMonthWord, t.tokens[k + 1]);
    case Alone::kNever:
      break;
  }
  return false;
}

// Appends to *days, up to `limit` in all, the months the text names without a day ("в
// октябре", "in October", "қарашада") in lines not marked in `dropped`, as day 0 of the month,
// once per month and only for a month no day in *days names. Looks only at the tokens
// `candidates` lists, in ascending order: at least those MonthNames::filter passes.
void AddMonthsAlone(const TokenizedText& t, std::span<const uint32_t> candidates,
                    const std::vector<uint8_t>& dropped, size_t limit,
                    std::vector<uint16_t>* days) {
  const MonthNames& months = MonthNames::Get();
  size_t line = 0;
  for (const size_t k : candidates) {
    if (days->size() >= limit) return;
    const MonthNames::Name* name = months.Find(t.tokens[k]);
    if (name == nullptr || !NamesItsMonth(t, *name, k) || (k > 0 && DayOf(t, k - 1) != 0) ||
        DayOf(t, k + 1) != 0) {
      continue;
    }
    while (line + 1 < t.line_starts.size() && t.line_starts[line + 1] <= k) ++line;
    if (!dropped.empty() && dropped[line] != 0) continue;
    const auto month = static_cast<uint16_t>(name->month * 32);
    if (std::none_of(days->begin(), days->end(),
                     [month](uint16_t day) { return (day & ~31) == month; })) {
      days->push_back(month);
    }
  }
}

// Appends to *days the weekdays the text names as its events' days (FindWeekdays) in lines not
// marked in `dropped` (FindWeekdays), as WeekdayEntry values under their WeekdayKey, once each; not
// a weekday before a day or a month ("Monday, December 6", "в понедельник, 6 декабря"): that is a
// date, counted as one. `candidates`: as FindWeekdays takes them.
void AddWeekdays(const TokenizedText& t, std::span<const uint32_t> candidates,
                 const std::vector<uint8_t>& dropped, std::vector<uint16_t>* days) {
  thread_local std::vector<WeekdayToken> found;
  found.clear();
  FindWeekdays(t, candidates, &found);
  const MonthNames& months = MonthNames::Get();
  size_t line = 0;
  for (const auto [k, weekday] : found) {
    while (line + 1 < t.line_starts.size() && t.line_starts[line + 1] <= k) ++line;
    if (!dropped.empty() && dropped[line] != 0) continue;
    // "Monday, December 6", "понедельник, 6 декабря": a date's weekday ("в понедельник, 3
    // аналитика" is none).
    const size_t end = t.LineEnd(line);
    auto month_at = [&](size_t j) { return j < end && months.Find(t.tokens[j]) != nullptr; };
    if (month_at(k + 1) || (k + 1 < end && DayOf(t, k + 1) != 0 && month_at(k + 2))) continue;
    const uint16_t entry = WeekdayEntry(WeekdayKey(t, k, t.LineBegin(line)), weekday);
    if (std::find(days->begin(), days->end(), entry) == days->end()) days->push_back(entry);
  }
}

}  // namespace

void TextDays(const TokenizedText& t, const std::vector<uint8_t>& dropped, size_t limit,
              std::vector<uint16_t>* days, std::vector<TokenSpan>* date_spans) {
  const size_t spans_before = date_spans != nullptr ? date_spans->size() : 0;
  // The month names next to a day number, which are few, in text order; then each month's
  // days as DatelineDay reads them.
  const MonthNames& months = MonthNames::Get();
  thread_local std::vector<uint32_t> named_months;
  named_months.clear();
  for (const TokenizedText::Digits& d : t.digits) {
    if (d.count > 2 || d.value < 1 || d.value > 31) continue;
    for (const size_t k : {size_t{d.token} - 1, size_t{d.token} + 1}) {  // (-1 wraps at 0)
      if (k < t.tokens.size() && months.Find(t.tokens[k]) != nullptr) {
        named_months.push_back(static_cast<uint32_t>(k));
      }
    }
  }
  std::sort(named_months.begin(), named_months.end());
  named_months.erase(std::unique(named_months.begin(), named_months.end()), named_months.end());
  for (const uint32_t k : named_months) {
    if (days->size() >= limit) return;
    const size_t line =
        static_cast<size_t>(std::upper_bound(t.line_starts.begin(), t.line_starts.end(), k) -
                            t.line_starts.begin() - 1);
    if (!dropped.empty() && dropped[line] != 0) continue;
    const size_t begin = t.LineBegin(line), end = t.LineEnd(line);
    uint16_t named[2];
    size_t first = k;
    const MonthNames::Name& name = *months.Find(t.tokens[k]);
    const size_t n = DaysNamed(t, name, k, begin, end, named, &first);
    if (n == 0) continue;
    const size_t last = first == k ? k + n : k;
    if (name.dateline && (first < kDatelineTokens || InFirstLines(dropped, line)) &&
        LooksLikeDateline(t, begin, end, first, last)) {
      if (date_spans != nullptr) {
        // "10:35, 12 ноября 2024": the time before the day too.
        const size_t from = first == begin + 2 && IsClockTime(t, begin, begin + 1) ? begin : first;
        date_spans->push_back(
            {static_cast<uint32_t>(from), static_cast<uint32_t>(DateEnd(t, last + 1, end))});
      }
      continue;
    }
    for (size_t i = 0; i < n && days->size() < limit; ++i) {
      if (std::find(days->begin(), days->end(), named[i]) == days->end()) {
        days->push_back(named[i]);
      }
    }
  }
  // One scan of the tokens for the month names and the weekdays both.
  static const WordFilter kDayWords = [] {
    WordFilter words = MonthNames::Get().filter();
    words.Merge(WeekdayFilter());
    return words;
  }();
  thread_local std::vector<uint32_t> candidates;
  candidates.clear();
  kDayWords.Scan(t.tokens, &candidates);
  AddMonthsAlone(t, candidates, dropped, limit, days);
  AddWeekdays(t, candidates, dropped, days);
  if (date_spans == nullptr) return;
  for (size_t line = 0, kept = 0; line < t.LineCount() && kept < kDatelineLines; ++line) {
    if (!dropped.empty() && dropped[line] != 0) continue;
    ++kept;
    if (IsTimeLine(t, t.LineBegin(line), t.LineEnd(line))) {
      date_spans->push_back({t.LineBegin(line), t.LineEnd(line)});
    }
  }
  std::sort(date_spans->begin() + static_cast<std::ptrdiff_t>(spans_before), date_spans->end(),
            [](const TokenSpan& a, const TokenSpan& b) { return a.begin < b.begin; });
}

}  // namespace newsd::dedup
