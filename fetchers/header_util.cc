#include "fetchers/header_util.h"

#include <algorithm>
#include <string>

#include "fetchers/curl_lib.h"

namespace newsd::fetchers::internal {

std::string_view TrimHeaderValue(std::string_view value) {
  constexpr std::string_view kTrim = " \t\r\n";
  const size_t begin = value.find_first_not_of(kTrim);
  if (begin == std::string_view::npos) return {};
  const size_t end = value.find_last_not_of(kTrim);
  return value.substr(begin, end - begin + 1);
}

bool SplitHeaderLine(std::string_view line, std::string_view* name, std::string_view* value) {
  // Obsolete line folding (a continuation line) starts with whitespace: not a header of its own.
  if (line.empty() || line.front() == ' ' || line.front() == '\t') return false;
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  *name = TrimHeaderValue(line.substr(0, colon));
  *value = TrimHeaderValue(line.substr(colon + 1));
  return !name->empty();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

bool IsSafeHeaderValue(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

namespace {

bool AllDigits(std::string_view v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Non-negative decimal; absurdly long values saturate ("a very long time").
int64_t Decimal(std::string_view v) {
  if (v.size() > 12) return int64_t{999'999'999'999};
  int64_t n = 0;
  for (char c : v) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

std::optional<int64_t> ParseHttpDate(std::string_view value) {
  value = TrimHeaderValue(value);
  if (value.empty()) return std::nullopt;
  // curl_getdate parses the HTTP-date forms (IMF-fixdate, RFC 850, asctime).
  const std::string copy(value);
  const time_t when = Curl().getdate(copy.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return static_cast<int64_t>(when);
}

std::optional<int64_t> CacheControlMaxAge(std::string_view value) {
  bool uncacheable = false;
  while (!value.empty()) {
    const size_t comma = value.find(',');
    std::string_view directive = TrimHeaderValue(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    const size_t eq = directive.find('=');
    std::string_view name = TrimHeaderValue(directive.substr(0, eq));
    if (eq == std::string_view::npos) {
      if (EqualsIgnoreCase(name, "no-store") || EqualsIgnoreCase(name, "no-cache")) {
        uncacheable = true;
      }
      continue;
    }
    std::string_view arg = TrimHeaderValue(directive.substr(eq + 1));
    if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') {
      arg = arg.substr(1, arg.size() - 2);
    }
    if (EqualsIgnoreCase(name, "max-age") && AllDigits(arg)) return Decimal(arg);
  }
  if (uncacheable) return 0;
  return std::nullopt;
}

std::optional<int64_t> FreshnessSeconds(std::string_view cache_control, std::string_view age,
                                        std::string_view expires, std::string_view date,
                                        int64_t now_unix) {
  if (auto max_age = CacheControlMaxAge(cache_control)) {
    const std::string_view a = TrimHeaderValue(age);
    const int64_t current_age = AllDigits(a) ? Decimal(a) : 0;
    return std::max<int64_t>(0, *max_age - current_age);
  }
  if (TrimHeaderValue(expires).empty()) return std::nullopt;
  const std::optional<int64_t> until = ParseHttpDate(expires);
  if (!until) return 0;  // "Expires: 0" and other junk: already expired
  const int64_t base = ParseHttpDate(date).value_or(now_unix);
  return std::max<int64_t>(0, *until - base);
}

std::optional<int64_t> ParseRetryAfter(std::string_view value, std::string_view date,
                                       int64_t now_unix) {
  value = TrimHeaderValue(value);
  if (value.empty()) return std::nullopt;
  if (AllDigits(value)) return Decimal(value);
  const std::optional<int64_t> when = ParseHttpDate(value);
  if (!when) return std::nullopt;
  // A date is the server's clock: counted from its Date when that is earlier than ours (a
  // server behind our clock asked for longer than our clock says), never shorter.
  const int64_t base = std::min(ParseHttpDate(date).value_or(now_unix), now_unix);
  return std::max<int64_t>(0, *when - base);
}

}  // namespace newsd::fetchers::internal
