#include "fetchers/header_util.h"

#include <curl/curl.h>

#include <algorithm>
#include <string>

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

std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_unix) {
  value = TrimHeaderValue(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 12) return int64_t{999'999'999'999};  // absurd, but "a long time"
    int64_t seconds = 0;
    for (char c : value) seconds = seconds * 10 + (c - '0');
    return seconds;
  }
  // curl_getdate parses the HTTP-date forms (IMF-fixdate, RFC 850, asctime).
  const std::string copy(value);
  const time_t when = curl_getdate(copy.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::max<int64_t>(0, static_cast<int64_t>(when) - now_unix);
}

}  // namespace newsd::fetchers::internal
