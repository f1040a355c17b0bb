#include "core/time.h"

#include <cstdio>

namespace newsd {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string FormatIso8601(UnixSeconds t) {
  int64_t days = t / 86400;
  int64_t secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    days -= 1;
  }
  // civil_from_days (Howard Hinnant's algorithm).
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += (m <= 2);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m,
                d, static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

namespace {

bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// The zone of an ISO 8601 time, from `pos` (after the seconds and any fraction) to the end of
// `s`: its offset from UTC in seconds; nullopt when it is missing or malformed.
std::optional<int64_t> ParseZone(std::string_view s, size_t pos) {
  int64_t offset = 0;
  if (pos == s.size()) return std::nullopt;  // zone required
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const bool negative = s[pos] == '-';
    int oh, om = 0;
    if (!ReadDigits(s, pos + 1, 2, &oh)) return std::nullopt;
    size_t mpos = pos + 3;
    if (mpos == s.size()) {  // "+03": ISO 8601 allows the hours alone
      pos = mpos;
    } else {
      if (s[mpos] == ':') ++mpos;
      if (!ReadDigits(s, mpos, 2, &om)) return std::nullopt;
      pos = mpos + 2;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset = (int64_t{oh} * 3600 + int64_t{om} * 60) * (negative ? -1 : 1);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return offset;
}

}  // namespace

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

std::optional<UnixSeconds> ParseIso8601(std::string_view s) {
  int y, mo, d, h, mi, se = 0;
  if (!ReadDigits(s, 0, 4, &y) || s.size() < 17 || s[4] != '-' || !ReadDigits(s, 5, 2, &mo) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !ReadDigits(s, 11, 2, &h) || s[13] != ':' || !ReadDigits(s, 14, 2, &mi)) {
    return std::nullopt;
  }
  size_t pos = 16;  // after the minutes: the seconds may be left out ("10:00Z")
  if (s[pos] == ':') {
    if (!ReadDigits(s, pos + 1, 2, &se)) return std::nullopt;
    pos += 3;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 || se > 60) {
    return std::nullopt;  // 2021-02-29 is no date (not 2021-03-01)
  }
  if (pos < s.size() && s[pos] == '.' && pos == 19) {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  const std::optional<int64_t> offset = ParseZone(s, pos);
  if (!offset) return std::nullopt;
  return DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         int64_t{h} * 3600 + int64_t{mi} * 60 + se - *offset;
}

std::optional<UnixSeconds> ParseIso8601DateOrTime(std::string_view s) {
  int y, mo, d;
  if (s.size() != 10) return ParseIso8601(s);
  if (!ReadDigits(s, 0, 4, &y) || s[4] != '-' || !ReadDigits(s, 5, 2, &mo) || s[7] != '-' ||
      !ReadDigits(s, 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) {
    return std::nullopt;
  }
  return DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400;
}

std::optional<int64_t> ParseDuration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    int64_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      n = n * 10 + (s[i] - '0');
      if (n > 100'000'000) return std::nullopt;
      ++i;
    }
    if (i == s.size()) return std::nullopt;  // unit required
    switch (s[i]) {
      case 's':
        total += n;
        break;
      case 'm':
        total += n * 60;
        break;
      case 'h':
        total += n * 3600;
        break;
      case 'd':
        total += n * 86400;
        break;
      default:
        return std::nullopt;
    }
    ++i;
  }
  return total;
}

std::string FormatDuration(int64_t seconds) {
  if (seconds == 0) return "0s";
  std::string out;
  const std::pair<int64_t, char> units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (auto [size, unit] : units) {
    if (seconds >= size) {
      out += std::to_string(seconds / size);
      out += unit;
      seconds %= size;
    }
  }
  return out;
}

std::optional<int> ParseUtcOffset(std::string_view s) {
  if (s == "UTC" || s == "Z") return 0;
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  std::string digits;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == ':' && i == 3 && s.size() == 6) continue;
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    digits.push_back(s[i]);
  }
  if (digits.size() != 2 && digits.size() != 4) return std::nullopt;
  const int hours = std::stoi(digits.substr(0, 2));
  const int minutes = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
  if (minutes > 59 || hours * 3600 + minutes * 60 > kMaxUtcOffset) return std::nullopt;
  return (s[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
}

std::string FormatUtcOffset(int seconds) {
  const int minutes = (seconds < 0 ? -seconds : seconds) / 60;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", seconds < 0 ? '-' : '+', minutes / 60,
                minutes % 60);
  return buf;
}

}  // namespace newsd
