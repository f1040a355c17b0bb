// W3C-DTF / ISO 8601 dates (ParseW3cDate), with their truncated, ordinal and basic forms.
#include <cstdint>
#include <optional>
#include <string_view>

#include "parse/ascii.h"
#include "parse/dates.h"
#include "parse/dates_internal.h"
#include "parse/zones.h"

namespace newsd::parse {
namespace {

// A two-digit year: 00-49 are 2000-2049, 50-99 are 1950-1999.
int64_t TwoDigitYear(int yy) { return yy + (yy < 50 ? 2000 : 1900); }

// The offset of a zone name after an ISO 8601 time ("2026-12-03T10:00:00 MSK", "... GMT+0500",
// "... Asia/Almaty"): a name the zone table knows (not a military letter).
std::optional<int> IsoZoneName(std::string_view zone, int64_t y, int mo, int d) {
  if (zone.size() < 2 || !IsAsciiAlpha(zone[0])) return std::nullopt;
  return ParseZoneName(zone, DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)));
}

// A W3C-DTF date being read: the text and the position of the next character.
struct W3cCursor {
  std::string_view s;
  size_t p = 0;

  // True when the next character is `c`.
  bool At(char c) const { return p < s.size() && s[p] == c; }
  // Up to `max` digits from the position, consumed.
  std::string_view Digits(size_t max) {
    size_t start = p;
    while (p < s.size() && p - start < max && IsAsciiDigit(s[p])) ++p;
    return s.substr(start, p - start);
  }
};

// The calendar date of a W3C-DTF date; a nonzero `ordinal` is a day of the year instead of
// month and day.
struct W3cDay {
  int64_t year = 0;
  int month = 1, day = 1;
  int ordinal = 0;
};

// "-YY-MM" or "-YYMM", after the '-'.
bool ReadCenturyless(W3cCursor* c, W3cDay* d) {
  std::string_view yy = c->Digits(2);
  if (yy.size() != 2) return false;
  d->year = 2000 + DigitsValue(yy);
  if (c->At('-')) ++c->p;
  std::string_view mm = c->Digits(2);
  if (mm.size() != 2) return false;
  d->month = DigitsValue(mm);
  return true;
}

// YY-MM-DD, after YY (`first`) and its '-'.
bool ReadTwoDigitYearDate(std::string_view first, W3cCursor* c, W3cDay* d) {
  std::string_view mm = c->Digits(2);
  if (mm.size() != 2 || !c->At('-')) return false;
  ++c->p;
  std::string_view dd = c->Digits(2);
  if (dd.size() != 2) return false;
  d->year = TwoDigitYear(DigitsValue(first)), d->month = DigitsValue(mm), d->day = DigitsValue(dd);
  return true;
}

// YYYY (`first`), then nothing, -MM, -MM-DD or -DDD.
bool ReadFullYearDate(std::string_view first, W3cCursor* c, W3cDay* d) {
  d->year = DigitsValue(first);
  if (!c->At('-')) return true;
  ++c->p;
  std::string_view second = c->Digits(3);
  if (second.empty()) return false;
  if (c->At('-')) {
    ++c->p;
    std::string_view dd = c->Digits(2);
    if (dd.empty()) return false;
    d->month = DigitsValue(second), d->day = DigitsValue(dd);
  } else if (second.size() == 3) {
    d->ordinal = DigitsValue(second);
  } else {
    d->month = DigitsValue(second);
  }
  return true;
}

// The date part of a W3C-DTF date, or of its truncated, two-digit-year and basic forms.
bool ReadW3cDay(W3cCursor* c, W3cDay* d) {
  if (c->s.substr(0, 1) == "-") {  // "-YY-MM" or "-YYMM"
    ++c->p;
    return ReadCenturyless(c, d);
  }
  std::string_view first = c->Digits(8);
  if (first.size() == 2 && c->At('-')) {  // YY-MM-DD
    ++c->p;
    return ReadTwoDigitYearDate(first, c, d);
  }
  if (first.size() == 6) {  // YYMMDD
    d->year = TwoDigitYear(DigitsValue(first.substr(0, 2)));
    d->month = DigitsValue(first.substr(2, 2));
    d->day = DigitsValue(first.substr(4, 2));
  } else if (first.size() == 5) {  // YYDDD
    d->year = 2000 + DigitsValue(first.substr(0, 2));
    d->ordinal = DigitsValue(first.substr(2));
  } else if (first.size() == 7) {  // YYYYDDD
    d->year = DigitsValue(first.substr(0, 4));
    d->ordinal = DigitsValue(first.substr(4));
  } else if (first.size() == 8) {
    d->year = DigitsValue(first.substr(0, 4));
    d->month = DigitsValue(first.substr(4, 2));
    d->day = DigitsValue(first.substr(6, 2));
  } else if (first.size() == 4) {
    return ReadFullYearDate(first, c, d);
  } else {
    return false;
  }
  return true;
}

// Turns a day of the year into month and day; false past the end of the year.
bool ResolveOrdinal(W3cDay* d) {
  if (d->ordinal == 0) return true;
  if (d->ordinal > (IsLeapYear(d->year) ? 366 : 365)) return false;
  d->month = 1;
  while (d->ordinal > DaysInMonth(d->year, d->month)) {
    d->ordinal -= DaysInMonth(d->year, d->month++);
  }
  d->day = d->ordinal;
  return true;
}

// The time of a W3C-DTF date and its zone's offset.
struct W3cTime {
  int h = 0, mi = 0, sec = 0, offset = 0;
  bool zoned = false;  ///< A zone was written.
};

// The zone after a time, if any: "Z", a numeric offset or a zone name, to the end of the text.
bool ReadW3cZone(W3cCursor* c, const W3cDay& d, W3cTime* t) {
  while (c->At(' ')) ++c->p;
  if (c->p >= c->s.size()) return true;
  std::string_view zone = c->s.substr(c->p);
  if (zone == "Z" || zone == "z") {
    t->offset = 0;
  } else if (auto off = ParseNumericOffset(zone)) {
    t->offset = *off;
  } else if (auto named = IsoZoneName(zone, d.year, d.month, d.day)) {
    t->offset = *named;
  } else if (IsZoneId(zone)) {
    c->p = c->s.size();  // a tz database name the table lacks: the date reads as zoneless
    return true;
  } else {
    return false;
  }
  c->p = c->s.size();
  t->zoned = true;
  return true;
}

// The time after the date, if any: "T", "t" or " ", then hh[:]mm[[:]ss[.fff]] and a zone.
bool ReadW3cTime(W3cCursor* c, const W3cDay& d, W3cTime* t) {
  if (!c->At('T') && !c->At('t') && !c->At(' ')) return true;
  ++c->p;
  std::string_view hh = c->Digits(2);
  if (hh.empty()) return false;
  t->h = DigitsValue(hh);
  bool colon = c->At(':');
  if (colon) ++c->p;
  std::string_view mm = c->Digits(2);
  if (mm.size() != 2) return false;
  t->mi = DigitsValue(mm);
  if (c->At(':') || (!colon && c->p < c->s.size() && IsAsciiDigit(c->s[c->p]))) {
    if (c->At(':')) ++c->p;
    std::string_view ss = c->Digits(2);
    if (ss.size() != 2) return false;
    t->sec = DigitsValue(ss);
    if (c->At('.') || c->At(',')) {
      ++c->p;
      if (c->Digits(20).empty()) return false;
    }
  }
  return ReadW3cZone(c, d, t);
}

}  // namespace

std::optional<UnixSeconds> ParseW3cDate(std::string_view s, int zoneless) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  W3cCursor c{s};
  W3cDay d;
  if (!ReadW3cDay(&c, &d) || !ResolveOrdinal(&d)) return std::nullopt;
  W3cTime t;
  if (!ReadW3cTime(&c, d, &t)) return std::nullopt;
  if (c.p != s.size()) return std::nullopt;
  if (!t.zoned) t.offset = zoneless;
  return Compose(d.year, d.month, d.day, t.h, t.mi, t.sec, t.offset);
}

}  // namespace newsd::parse
