#pragma once

// Internal to fetchers/ (exposed for tests): small, pure helpers for HTTP response headers.

#include <cstdint>
#include <optional>
#include <string_view>

namespace newsd::fetchers::internal {

/// Trims CR, LF, spaces and tabs from both ends; every other byte is kept as received.
std::string_view TrimHeaderValue(std::string_view value);

/// Splits "Name: value\r\n" into the name and the trimmed value. False when there is no colon
/// or the name is empty (status lines, the blank end-of-headers line, folded continuations).
bool SplitHeaderLine(std::string_view line, std::string_view* name, std::string_view* value);

/// ASCII case-insensitive equality, for header names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

/// Parses a Retry-After value: delay-seconds, or an HTTP-date turned into seconds after
/// `now_unix` (clamped at 0). nullopt when the value is neither.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_unix);

}  // namespace newsd::fetchers::internal
