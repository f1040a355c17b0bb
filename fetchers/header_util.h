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

/// Whether `v` can go out byte-exact inside a header line (a validator sent back): no CR, LF
/// or NUL that would end the line.
bool IsSafeHeaderValue(std::string_view v);

/// Parses an HTTP-date (IMF-fixdate, RFC 850 or asctime form) into Unix seconds.
std::optional<int64_t> ParseHttpDate(std::string_view value);

/// The `max-age` of a Cache-Control value (nullopt when absent or malformed); `no-store` and
/// `no-cache` count as max-age 0 when no max-age is given. Directive names are
/// case-insensitive; a quoted value is accepted.
std::optional<int64_t> CacheControlMaxAge(std::string_view value);

/// How long a response stays fresh, by RFC 9111 §4.2.1 as SimplePie does it: Cache-Control
/// max-age minus Age when max-age is there; else Expires minus Date (or `now_unix` without a
/// Date), where an unparsable Expires (such as "0") means already stale. nullopt when the
/// response says nothing. Never negative. Empty arguments mean "header absent".
std::optional<int64_t> FreshnessSeconds(std::string_view cache_control, std::string_view age,
                                        std::string_view expires, std::string_view date,
                                        int64_t now_unix);

/// Parses a Retry-After value: delay-seconds, or an HTTP-date turned into seconds after the
/// response's `date` (its Date header; empty: absent) or `now_unix`, whichever is earlier, so
/// a server whose clock is behind ours is waited for as long as it asked (clamped at 0).
/// nullopt when the value is neither.
std::optional<int64_t> ParseRetryAfter(std::string_view value, std::string_view date,
                                       int64_t now_unix);

}  // namespace newsd::fetchers::internal
