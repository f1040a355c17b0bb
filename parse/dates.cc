#include "parse/dates.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "parse/ascii.h"
#include "parse/dates_cyrillic.h"
#include "parse/dates_internal.h"
#include "parse/zones.h"

namespace newsd::parse {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

}  // namespace

std::optional<UnixSeconds> Compose(int64_t y, int mo, int d, int h, int mi, int s,
                                   int offset_seconds) {
  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h < 0 ||
      h > 24 || mi < 0 || mi > 59 || s < 0 || s > 60 || (h == 24 && (mi != 0 || s != 0))) {
    return std::nullopt;
  }
  return DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         int64_t{h} * 3600 + int64_t{mi} * 60 + s - offset_seconds;
}

namespace {

int MonthFromName(std::string_view word) {
  static constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                                 "may",       "june",     "july",     "august",
                                                 "september", "october",  "november", "december"};
  if (word.size() < 3) return 0;
  std::string w = AsciiLower(word);
  if (w == "sept") w = "sep";
  for (int i = 0; i < 12; ++i) {
    if (kMonths[i].substr(0, w.size()) == w) return i + 1;
  }
  return 0;
}

bool IsDayName(std::string_view word) {
  static constexpr std::string_view kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                               "friday", "saturday", "sunday"};
  if (word.size() < 2) return false;
  std::string w = AsciiLower(word);
  if (w.size() > 3 && w.substr(0, 3) == "thu" && w.size() <= 5) w = "thu";  // "Thur", "Thurs"
  if (w == "tues") w = "tue";
  for (auto d : kDays) {
    if (w.size() >= 3 && d.substr(0, w.size()) == w) return true;
  }
  return false;
}

// "AM" or "pm" after a time (not "a.m.").
bool IsMeridiem(std::string_view tok) {
  if (tok.size() != 2 || (tok[1] | 0x20) != 'm') return false;
  return (tok[0] | 0x20) == 'a' || (tok[0] | 0x20) == 'p';
}

// Up to kMaxTokens words of a date, as views into `text`.
constexpr size_t kMaxTokens = 16;
struct Tokens {
  std::string text;  // the input with comments blanked out
  std::string_view at[kMaxTokens];
  size_t size = 0;
  bool overflow = false;
};

// Splits on whitespace and commas after removing (nested, escaped) comments.
void Tokenize(std::string_view s, Tokens* t) {
  t->text.assign(s);
  int depth = 0;
  for (size_t i = 0; i < t->text.size(); ++i) {
    char& c = t->text[i];
    if (depth > 0) {
      if (c == '\\' && i + 1 < t->text.size()) {
        t->text[++i] = ' ';
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      }
      c = ' ';
    } else if (c == '(') {
      ++depth;
      c = ' ';
    } else if (c == ',') {
      c = ' ';
    }
  }
  std::string_view v = t->text;
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && IsXmlSpace(v[i])) ++i;
    size_t start = i;
    while (i < v.size() && !IsXmlSpace(v[i])) ++i;
    if (i == start) break;
    if (t->size == kMaxTokens) {
      t->overflow = true;
      return;
    }
    t->at[t->size++] = v.substr(start, i - start);
  }
}

bool ParseClock(std::string_view t, int* h, int* mi, int* s) {
  size_t c1 = t.find(':');
  if (c1 == std::string_view::npos) return false;
  size_t c2 = t.find(':', c1 + 1);
  std::string_view hs = t.substr(0, c1);
  std::string_view ms = t.substr(c1 + 1, c2 == std::string_view::npos ? c2 : c2 - c1 - 1);
  std::string_view ss = c2 == std::string_view::npos ? "0" : t.substr(c2 + 1);
  if (size_t dot = ss.find('.'); dot != std::string_view::npos && AllDigits(ss.substr(dot + 1)))
    ss = ss.substr(0, dot);
  if (!AllDigits(hs) || !AllDigits(ms) || !AllDigits(ss) || hs.size() > 2 || ms.size() != 2 ||
      ss.size() > 2) {
    return false;
  }
  *h = DigitsValue(hs), *mi = DigitsValue(ms), *s = DigitsValue(ss);
  return true;
}

// The fields of an RFC 822 date read so far.
struct Rfc822Fields {
  int64_t year = -1;
  int month = 0, day = 0, h = 0, mi = 0, sec = 0, offset = 0;
  bool have_time = false, have_zone = false, year_two_digits = false;
  bool twelve_hour = false;               // "AM"/"PM" after the clock
  int slash_first = 0, slash_second = 0;  // "12/6/2026": day and month, order not yet known
  std::string_view pending_zone;          // "+0000" glued to the clock
  std::string_view zone_name;             // read once the date is known: some offsets changed
};

// A token holding a clock ("10:00:00", "10:00:00+0300").
bool ReadClockToken(std::string_view tok, Rfc822Fields* f) {
  size_t z = tok.find_first_of("+-", 1);
  if (z != std::string_view::npos) {
    f->pending_zone = tok.substr(z);
    tok = tok.substr(0, z);
  }
  if (!ParseClock(tok, &f->h, &f->mi, &f->sec)) return false;
  f->have_time = true;
  return true;
}

// A token of digits only: the year, the day, or a two-digit year.
bool ReadNumberToken(std::string_view tok, Rfc822Fields* f) {
  if (tok.size() >= 3 && f->year < 0) {
    f->year = DigitsValue(tok);
    f->year_two_digits = tok.size() == 3;  // "099": a short year; "0001" is year 1
  } else if (tok.size() <= 2 && f->day == 0 && (f->year < 0 || f->month != 0)) {
    f->day = DigitsValue(tok);
  } else if (tok.size() <= 2 && f->year < 0) {
    f->year = DigitsValue(tok);
    f->year_two_digits = true;
  } else {
    return false;
  }
  return true;
}

// Month and day of a slashed date whose order ResolveSlashOrder decides once the clock is read.
constexpr int kSlashPending = -1;

// "12/6/2026", "06/12/2026": day and month in either order, a year of four digits.
bool ReadSlashDayMonth(std::string_view tok, size_t a, size_t b, Rfc822Fields* f) {
  const std::string_view first = tok.substr(0, a), second = tok.substr(a + 1, b - a - 1);
  const std::string_view year = tok.substr(b + 1);
  if (!AllDigits(first) || !AllDigits(second) || !AllDigits(year) || first.size() > 2 ||
      second.size() > 2 || year.size() != 4) {
    return false;
  }
  f->slash_first = DigitsValue(first), f->slash_second = DigitsValue(second);
  f->month = kSlashPending, f->day = kSlashPending;
  f->year = DigitsValue(year);
  return true;
}

// The order of "12/6/2026": a field over 12 is the day; else month first on a 12-hour clock
// (.NET's and US sites' "12/6/2026 12:00:00 PM"). On a 24-hour clock both orders are written
// ("12/06/2026 14:00:00" by .NET's invariant culture, "06/12/2026 14:00" in Britain): no
// date, rather than a wrong one (month and day 0).
void ResolveSlashOrder(Rfc822Fields* f) {
  if (f->month != kSlashPending) return;
  const bool month_first = f->slash_second > 12 || (f->slash_first <= 12 && f->twelve_hour) ||
                           f->slash_first == f->slash_second;  // "05/05/2026": either way
  const bool day_first = f->slash_first > 12;
  if (!month_first && !day_first) {
    f->month = f->day = 0;
    return;
  }
  f->month = month_first ? f->slash_first : f->slash_second;
  f->day = month_first ? f->slash_second : f->slash_first;
}

// "2006/09/15", or day and month in either order before the year (ReadSlashDayMonth).
bool ReadSlashDate(std::string_view tok, Rfc822Fields* f) {
  size_t a = tok.find('/'), b = tok.find('/', a + 1);
  if (b != std::string_view::npos && a <= 2 && tok.find('/', b + 1) == std::string_view::npos) {
    return ReadSlashDayMonth(tok, a, b, f);
  }
  if (b == std::string_view::npos || a != 4 || !AllDigits(tok.substr(0, a)) ||
      !AllDigits(tok.substr(a + 1, b - a - 1)) || !AllDigits(tok.substr(b + 1)) || b - a - 1 > 2 ||
      tok.size() - b - 1 > 2) {
    return false;
  }
  f->year = DigitsValue(tok.substr(0, a)), f->month = DigitsValue(tok.substr(a + 1, b - a - 1));
  f->day = DigitsValue(tok.substr(b + 1));
  return true;
}

// "05-Dec-26", "05-Dec-2026" (RFC 850, cookies' dates) or "05.12.2026", "05.12.26" (day first,
// as Russian, Kazakh and German sites write dates): the whole date in one token.
bool ReadJoinedDate(std::string_view tok, Rfc822Fields* f) {
  const char sep = tok.find('-') != std::string_view::npos ? '-' : '.';
  const size_t a = tok.find(sep), b = tok.find(sep, a + 1);
  if (a == std::string_view::npos || b == std::string_view::npos ||
      tok.find(sep, b + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view day = tok.substr(0, a), month = tok.substr(a + 1, b - a - 1);
  const std::string_view year = tok.substr(b + 1);
  if (!AllDigits(day) || day.size() > 2 || !AllDigits(year)) return false;
  if (sep == '-') {
    if (year.size() != 2 && year.size() != 4) return false;
    f->month = MonthFromName(month);
  } else {
    if ((year.size() != 4 && year.size() != 2) || !AllDigits(month) || month.size() > 2) {
      return false;  // "05.12.2026", "05.12.26"
    }
    f->month = DigitsValue(month);
  }
  if (f->month < 1 || f->month > 12) return false;
  f->day = DigitsValue(day);
  f->year = DigitsValue(year);
  f->year_two_digits = year.size() == 2;
  return true;
}

// A token after the clock that starts with a letter: AM/PM or a zone name.
bool ReadWordAfterClock(std::string_view tok, Rfc822Fields* f) {
  if (!f->have_zone && IsMeridiem(tok)) {
    // "04:00:00 PM": a 12-hour clock.
    if (f->h < 1 || f->h > 12) return false;
    const bool pm = (tok[0] | 0x20) == 'p';
    f->h = f->h % 12 + (pm ? 12 : 0);
    f->twelve_hour = true;
    return true;
  }
  // A zone name. One the table lacks (CHOT, WITA, Europe/Berlin) reads as a date without a zone
  // (UTC unless the feed's zoneless offset is set, as feedparser reads it): a few hours off beats
  // no time at all. A second zone after the first ("+0000 GMT") changes nothing.
  if (!ParseZoneName(tok, 0) && !IsZoneAbbreviation(tok) && !IsZoneId(tok)) return false;
  if (!f->have_zone) f->zone_name = tok;
  f->have_zone = true;
  return true;
}

// Reads one token of an RFC 822 date into `f`; false when it cannot belong to one.
bool ReadRfc822Token(std::string_view tok, Rfc822Fields* f) {
  if (tok.find(':') != std::string_view::npos && !f->have_time && IsAsciiDigit(tok[0])) {
    return ReadClockToken(tok, f);
  }
  if (AllDigits(tok)) return ReadNumberToken(tok, f);
  if ((tok[0] == '+' || tok[0] == '-') && f->have_time &&
      (!f->have_zone || IsUtcName(f->zone_name))) {
    // "GMT +0300": the offset from GMT is the zone.
    auto off = ParseNumericOffset(tok);
    if (!off) return false;
    f->offset = *off, f->have_zone = true, f->zone_name = {};
    return true;
  }
  if ((tok[0] == '+' || tok[0] == '-') && f->have_zone && f->zone_name.empty()) {
    // "+0300 +0300": an offset given twice (a template that appends the zone to a date that
    // has one). The first stands, as feedparser reads it.
    return ParseNumericOffset(tok).has_value();
  }
  if (IsAsciiAlpha(tok[0]) && f->month == 0 && !f->have_time && MonthFromName(tok) != 0) {
    f->month = MonthFromName(tok);
    return true;
  }
  if (IsAsciiAlpha(tok[0]) && f->month == 0 && f->day == 0 && IsDayName(tok)) return true;
  if (tok.find('/') != std::string_view::npos && IsAsciiDigit(tok[0]) && f->month == 0) {
    return ReadSlashDate(tok, f);
  }
  if (tok.find_first_of("-.") != std::string_view::npos && IsAsciiDigit(tok[0]) && f->month == 0 &&
      f->day == 0 && f->year < 0 && !f->have_time) {
    return ReadJoinedDate(tok, f);
  }
  if (IsAsciiAlpha(tok[0]) && f->have_time) return ReadWordAfterClock(tok, f);
  return false;
}

}  // namespace

std::optional<UnixSeconds> ParseRfc822Date(std::string_view s, int zoneless) {
  if (s.size() > 200) return std::nullopt;
  Tokens tokens;
  Tokenize(s, &tokens);
  if (tokens.overflow) return std::nullopt;
  Rfc822Fields f;
  for (size_t i = 0; i < tokens.size || !f.pending_zone.empty(); ++i) {
    std::string_view tok;
    if (!f.pending_zone.empty()) {
      tok = f.pending_zone;
      f.pending_zone = {};
      --i;
    } else {
      tok = tokens.at[i];
    }
    if (!ReadRfc822Token(tok, &f)) return std::nullopt;
  }
  ResolveSlashOrder(&f);
  if (f.year < 0 || f.month == 0 || f.day == 0) return std::nullopt;
  if (f.year_two_digits) f.year += f.year < 50 ? 2000 : 1900;
  if (!f.zone_name.empty()) {
    const int64_t local_day =
        DaysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
    f.offset = ParseZoneName(f.zone_name, local_day).value_or(zoneless);
  }
  if (!f.have_zone) f.offset = zoneless;
  return Compose(f.year, f.month, f.day, f.h, f.mi, f.sec, f.offset);
}

namespace {

// U+00A0 in UTF-8: "&#160;" or "&nbsp;" between the fields of a date.
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
  return s;
}

// Reads the unsigned numbers of `s` in order (at most `max`), skipping everything else.
size_t Numbers(std::string_view s, int* out, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < s.size() && n < max;) {
    if (!IsAsciiDigit(s[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < s.size() && IsAsciiDigit(s[i]) && i - start < 5) ++i;
    out[n++] = DigitsValue(s.substr(start, i - start));
  }
  return n;
}

// Korean blog engines: "2004년 05월 28일  01:31:15" and "2004-05-25 오후 11:23:17", in KST.
std::optional<UnixSeconds> ParseKoreanDate(std::string_view s) {
  bool pm = s.find("오후") != std::string_view::npos;
  bool am = s.find("오전") != std::string_view::npos;
  bool hangul_units = s.find("년") != std::string_view::npos;
  if (!pm && !am && !hangul_units) return std::nullopt;
  int v[6] = {};
  if (Numbers(s, v, 6) != 6) return std::nullopt;
  int hour = v[3];
  if (pm && hour < 12) hour += 12;
  if (am && hour == 12) hour = 0;
  return Compose(v[0], v[1], v[2], hour, v[4], v[5], 9 * 3600);
}

// Greek RFC 822 dates: day and month abbreviations mapped to English.
std::optional<UnixSeconds> ParseGreekDate(std::string_view s, int zoneless) {
  static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
      {"Ιαν", "Jan"},  {"Φεβ", "Feb"}, {"Μάώ", "Mar"},  {"Μαώ", "Mar"}, {"Μάρ", "Mar"},
      {"Μαρ", "Mar"},  {"Απρ", "Apr"}, {"Μάι", "May"},  {"Μαϊ", "May"}, {"Μαι", "May"},
      {"Ιούν", "Jun"}, {"Ιον", "Jun"}, {"Ιούλ", "Jul"}, {"Ιολ", "Jul"}, {"Αύγ", "Aug"},
      {"Αυγ", "Aug"},  {"Σεπ", "Sep"}, {"Οκτ", "Oct"},  {"Νοέ", "Nov"}, {"Νοε", "Nov"},
      {"Δεκ", "Dec"},  {"Κυρ", "Sun"}, {"Δευ", "Mon"},  {"Τρι", "Tue"}, {"Τετ", "Wed"},
      {"Πεμ", "Thu"},  {"Παρ", "Fri"}, {"Σαβ", "Sat"}};
  std::string t(s);
  for (const auto& [greek, english] : kWords) t = ReplaceAll(std::move(t), greek, english);
  if (t == s) return std::nullopt;
  return ParseRfc822Date(t, zoneless);
}

// Hungarian W3C-DTF with month names: "2004-július-13T9:15-05:00".
std::optional<UnixSeconds> ParseHungarianDate(std::string_view s, int zoneless) {
  static constexpr std::pair<std::string_view, std::string_view> kMonths[] = {
      {"január", "01"},   {"februári", "02"},  {"február", "02"},    {"március", "03"},
      {"április", "04"},  {"máujus", "05"},    {"május", "05"},      {"június", "06"},
      {"július", "07"},   {"augusztus", "08"}, {"szeptember", "09"}, {"október", "10"},
      {"november", "11"}, {"december", "12"}};
  std::string t(s);
  for (const auto& [name, number] : kMonths) t = ReplaceAll(std::move(t), name, number);
  if (t == s) return std::nullopt;
  size_t tpos = t.find('T');  // one-digit hour: "T9:15"
  if (tpos != std::string::npos && tpos + 2 < t.size() && t[tpos + 2] == ':') {
    t.insert(tpos + 1, "0");
  }
  return ParseW3cDate(t, zoneless);
}

// `s` without one "[Zone/Name]" suffix (letters, digits, "/_+-") and the spaces before it, or
// `s` itself when it has none or is longer than a date.
std::string_view WithoutZoneId(std::string_view s) {
  constexpr size_t kMaxDate = 200;
  if (s.size() > kMaxDate || s.empty() || s.back() != ']') return s;
  const size_t open = s.rfind('[');
  if (open == std::string_view::npos || open == 0) return s;
  const std::string_view zone = s.substr(open + 1, s.size() - open - 2);
  const bool zone_like = !zone.empty() && std::all_of(zone.begin(), zone.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '_' || c == '+' || c == '-';
  });
  if (!zone_like) return s;
  std::string_view stamp = s.substr(0, open);
  while (!stamp.empty() && stamp.back() == ' ') stamp.remove_suffix(1);
  return stamp;
}

// A CMS that writes its database's timestamp as the date ("1709625780", PHP's time(); 13
// digits: milliseconds, JavaScript's Date.now()): read when it falls in 2001-2099, the years
// such a number of 10 or 13 digits can be a publication date in.
std::optional<UnixSeconds> ParseUnixTimestamp(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if ((s.size() != 10 && s.size() != 13) ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int64_t value = 0;
  for (char c : s.substr(0, 10)) value = value * 10 + (c - '0');
  constexpr int64_t kYear2001 = 978'307'200, kYear2100 = 4'102'444'800;
  if (value < kYear2001 || value >= kYear2100) return std::nullopt;
  return value;
}

}  // namespace

std::optional<UnixSeconds> ParseFeedDate(std::string_view s, int zoneless) {
  if (s.find(kNoBreakSpace) != std::string_view::npos && s.size() <= 200) {
    return ParseFeedDate(ReplaceAll(std::string(s), kNoBreakSpace, " "), zoneless);
  }
  if (auto t = ParseW3cDate(s, zoneless)) return t;
  if (auto t = ParseRfc822Date(s, zoneless)) return t;
  // A time zone's name in brackets after the offset, as Java's ZonedDateTime and RFC 9557
  // write it ("2026-12-05T10:00:00+03:00[Europe/Moscow]"): the offset says the time.
  if (std::string_view stamp = WithoutZoneId(s); stamp.size() < s.size()) {
    if (auto t = ParseW3cDate(stamp, zoneless)) return t;
    return ParseRfc822Date(stamp, zoneless);
  }
  if (auto t = ParseUnixTimestamp(s)) return t;
  bool non_ascii = false;
  for (char c : s) non_ascii |= static_cast<unsigned char>(c) >= 0x80;
  if (!non_ascii || s.size() > 200) return std::nullopt;
  if (auto t = ParseKoreanDate(s)) return t;
  if (auto t = ParseGreekDate(s, zoneless)) return t;
  if (auto t = ParseHungarianDate(s, zoneless)) return t;
  return ParseCyrillicDate(s, zoneless);
}

}  // namespace newsd::parse
