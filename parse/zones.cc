#include "parse/zones.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "core/time.h"
#include "parse/ascii.h"

namespace newsd::parse {
namespace {

// Zones of Russia and Central Asia whose offset changed: from a local date (days since
// 1970-01-01) on, the hours in force, until the zone's next row (tz database: Russia moved
// every zone an hour ahead on 2011-03-27 and back on 2014-10-26; Novosibirsk and Magadan moved
// again in 2016; Kazakhstan's zones became one, UTC+5, on 2024-03-01).
struct ZoneRow {
  std::string_view name;
  int64_t from_day;
  int hours;
};

std::optional<int> ChangedZoneHours(std::string_view z, int64_t local_day) {
  constexpr int64_t kEver = INT64_MIN;
  static const int64_t k2011 = DaysFromCivil(2011, 3, 27);
  static const int64_t k2014 = DaysFromCivil(2014, 10, 26);
  static const ZoneRow kRows[] = {
      {"msk", kEver, 3},
      {"msk", k2011, 4},
      {"msk", k2014, 3},
      {"yekt", kEver, 5},
      {"yekt", k2011, 6},
      {"yekt", k2014, 5},
      {"omst", kEver, 6},
      {"omst", k2011, 7},
      {"omst", k2014, 6},
      {"novt", kEver, 6},
      {"novt", k2011, 7},
      {"novt", k2014, 6},
      {"novt", DaysFromCivil(2016, 7, 24), 7},
      {"krat", kEver, 7},
      {"krat", k2011, 8},
      {"krat", k2014, 7},
      {"irkt", kEver, 8},
      {"irkt", k2011, 9},
      {"irkt", k2014, 8},
      {"yakt", kEver, 9},
      {"yakt", k2011, 10},
      {"yakt", k2014, 9},
      {"vlat", kEver, 10},
      {"vlat", k2011, 11},
      {"vlat", k2014, 10},
      {"magt", kEver, 11},
      {"magt", k2011, 12},
      {"magt", k2014, 10},
      {"magt", DaysFromCivil(2016, 4, 24), 11},
      {"almt", kEver, 6},
      {"almt", DaysFromCivil(2024, 3, 1), 5},
      // "KZT", as Kazakh sites write Almaty's time (no official abbreviation).
      {"kzt", kEver, 6},
      {"kzt", DaysFromCivil(2024, 3, 1), 5},
      {"qyzt", kEver, 6},
      {"qyzt", DaysFromCivil(2018, 12, 21), 5},
      {"europe/kaliningrad", kEver, 2},
      {"europe/kaliningrad", k2011, 3},
      {"europe/kaliningrad", k2014, 2},
  };
  std::optional<int> hours;
  for (const ZoneRow& row : kRows) {  // a zone's rows are in date order
    if (row.name == z && row.from_day <= local_day) hours = row.hours;
  }
  return hours;
}

// The tz database's names of zones without daylight saving time (in Russia and Central Asia
// since 2014, elsewhere for longer), as the abbreviation whose offset they follow or, after
// "=", their offset in minutes. Zones with daylight saving time are left out: their offset
// needs rules this parser does not carry, and a date under one reads as zoneless.
std::string_view ZoneIdAlias(std::string_view id) {
  static constexpr std::pair<std::string_view, std::string_view> kIds[] = {
      {"asia/almaty", "almt"},      {"asia/qostanay", "almt"},
      {"asia/qyzylorda", "qyzt"},   {"asia/aqtobe", "aqtt"},
      {"asia/aqtau", "aqtt"},       {"asia/atyrau", "aqtt"},
      {"asia/oral", "orat"},        {"europe/moscow", "msk"},
      {"europe/samara", "samt"},    {"asia/yekaterinburg", "yekt"},
      {"asia/omsk", "omst"},        {"asia/novosibirsk", "novt"},
      {"asia/krasnoyarsk", "krat"}, {"asia/irkutsk", "irkt"},
      {"asia/yakutsk", "yakt"},     {"asia/vladivostok", "vlat"},
      {"asia/magadan", "magt"},     {"europe/kaliningrad", "europe/kaliningrad"},
      {"asia/tashkent", "uzt"},     {"asia/samarkand", "uzt"},
      {"asia/bishkek", "kgt"},      {"asia/dushanbe", "tjt"},
      {"asia/ashgabat", "=300"},    {"europe/minsk", "=180"},
      {"europe/istanbul", "=180"},  {"asia/tbilisi", "=240"},
      {"asia/dubai", "=240"},       {"asia/kolkata", "=330"},
      {"asia/calcutta", "=330"},    {"asia/shanghai", "=480"},
      {"asia/hong_kong", "=480"},   {"asia/singapore", "=480"},
      {"asia/tokyo", "=540"},       {"asia/seoul", "=540"},
  };
  for (const auto& [name, alias] : kIds) {
    if (id == name) return alias;
  }
  return "";
}

}  // namespace

std::optional<int> ParseNumericOffset(std::string_view z) {
  if (z.size() < 2 || (z[0] != '+' && z[0] != '-')) return std::nullopt;
  int sign = z[0] == '-' ? -1 : 1;
  std::string digits;
  for (size_t i = 1; i < z.size(); ++i) {
    if (IsAsciiDigit(z[i])) {
      digits.push_back(z[i]);
    } else if (z[i] != ':' || (i != 3 && !(i == 2 && z.size() == 5))) {
      return std::nullopt;
    }
  }
  int h, m = 0;
  if (z.size() == 5 && z[2] == ':') {  // "+5:00", an hour of one digit
    h = DigitsValue(digits.substr(0, 1));
    m = DigitsValue(digits.substr(1));
  } else if (digits.size() == 4) {
    h = DigitsValue(digits.substr(0, 2));
    m = DigitsValue(digits.substr(2));
  } else if (digits.size() == 2 || digits.size() == 1) {
    h = DigitsValue(digits);
  } else if (digits.size() == 3 && z.find(':') == std::string_view::npos) {
    // A digit lost. The hour's leading zero, when what is left reads as H:MM with a zone's
    // minutes ("+530" India's +05:30, "+100", "-330"); else the minutes' last digit, as
    // feedparser reads it ("+030" is +03:00).
    const int tail = DigitsValue(digits.substr(1));
    if (digits[0] != '0' && (tail == 0 || tail == 15 || tail == 30 || tail == 45)) {
      h = DigitsValue(digits.substr(0, 1)), m = tail;
    } else {
      h = DigitsValue(digits.substr(0, 2)), m = DigitsValue(digits.substr(2));
    }
  } else {
    return std::nullopt;
  }
  if (h > 23 || m > 59) return std::nullopt;
  return sign * (h * 3600 + m * 60);
}

std::optional<int> ParseZoneName(std::string_view zone, int64_t local_day) {
  std::string z = AsciiLower(zone);
  // The tz database's "Etc/GMT-5" is five hours east of UTC: POSIX signs, the other way round.
  const bool posix_sign = z.substr(0, 4) == "etc/";
  if (posix_sign) z.erase(0, 4);
  for (std::string_view prefix : {"gmt", "utc", "ut"}) {
    if (z.size() > prefix.size() && z.substr(0, prefix.size()) == prefix &&
        (z[prefix.size()] == '+' || z[prefix.size()] == '-')) {
      const std::optional<int> offset =
          ParseNumericOffset(std::string_view(z).substr(prefix.size()));
      return offset && posix_sign ? std::optional<int>(-*offset) : offset;
    }
  }
  if (z.find('/') != std::string::npos) {
    const std::string_view alias = ZoneIdAlias(z);
    if (alias.empty()) return std::nullopt;
    if (alias[0] == '=') return DigitsValue(alias.substr(1)) * 60;
    if (auto hours = ChangedZoneHours(alias, local_day)) return *hours * 3600;
    z = alias;
  }
  // From "msd" on: Russia and Central Asia (Kazakhstan, Uzbekistan, Kyrgyzstan, Tajikistan);
  // the zones whose offset changed are in ChangedZoneHours.
  static constexpr std::pair<std::string_view, int> kZones[] = {
      {"ut", 0},    {"utc", 0},   {"gmt", 0},   {"z", 0},     {"wet", 0},  {"est", -5},
      {"edt", -4},  {"cst", -6},  {"cdt", -5},  {"mst", -7},  {"mdt", -6}, {"pst", -8},
      {"pdt", -7},  {"et", -5},   {"ct", -6},   {"mt", -7},   {"pt", -8},  {"ast", -4},
      {"adt", -3},  {"akst", -9}, {"akdt", -8}, {"hst", -10}, {"met", 1},  {"cet", 1},
      {"cest", 2},  {"mest", 2},  {"bst", 1},   {"west", 1},  {"eet", 2},  {"eest", 3},
      {"jst", 9},   {"kst", 9},   {"hkt", 8},   {"sgt", 8},   {"awst", 8}, {"acst", 9},
      {"aest", 10}, {"aedt", 11}, {"nzst", 12}, {"nzdt", 13}, {"ist", 0},  {"at", -4},
      {"msd", 4},   {"samt", 4},  {"aqtt", 5},  {"orat", 5},  {"uzt", 5},  {"kgt", 6},
      {"tjt", 5},
  };
  for (const auto& [name, hours] : kZones) {
    if (z == name) return hours * 3600;
  }
  if (auto hours = ChangedZoneHours(z, local_day)) return *hours * 3600;
  if (z.size() == 1 && z[0] >= 'a' && z[0] <= 'z' && z[0] != 'j') {  // military
    char c = z[0];
    int h = c <= 'i' ? -(c - 'a' + 1) : c <= 'm' ? -(c - 'a') : c <= 'y' ? c - 'n' + 1 : 0;
    return h * 3600;
  }
  return std::nullopt;
}

bool IsUtcName(std::string_view zone) {
  const std::string z = AsciiLower(zone);
  return z == "gmt" || z == "ut" || z == "utc" || z == "z";
}

bool IsZoneId(std::string_view tok) {
  const size_t slash = tok.find('/');
  if (slash == std::string_view::npos || tok.size() > 40 || tok.back() == '/') return false;
  // The tz database's areas: not any "a/b" ("and/or").
  static constexpr std::string_view kAreas[] = {"africa", "america", "antarctica", "arctic", "asia",
                                                "atlantic", "australia", "europe", "indian",
                                                "pacific", "etc",
                                                // The backward-compatible ones ("US/Eastern").
                                                "us", "canada", "brazil", "mexico", "chile"};
  const std::string area = AsciiLower(tok.substr(0, slash));
  if (std::find(std::begin(kAreas), std::end(kAreas), area) == std::end(kAreas)) return false;
  for (char c : tok) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '/' && c != '_' && c != '-' && c != '+') {
      return false;
    }
  }
  return IsAsciiAlpha(tok[0]);
}

bool IsZoneAbbreviation(std::string_view tok) {
  if (tok.size() < 2 || tok.size() > 5) return false;
  for (char c : tok) {
    if (!IsAsciiAlpha(c)) return false;
  }
  return true;
}

}  // namespace newsd::parse
