#pragma once

// Checks on configuration text and feed URLs that need no TOML tree, shared by the files of
// config/ (url.cc, key_depth.cc; used by read.cc and config.cc). Not part of the module's API.

#include <cstddef>
#include <string>
#include <string_view>

namespace newsd::config {

// Keys nested deeper than this (dotted keys, table headers) are refused before parsing: the
// TOML library builds one table per level recursively, and a line of 50,000 dotted parts
// overflowed the stack (newsd crashed, the running daemon too when it was reloaded).
inline constexpr size_t kMaxKeyDepth = 32;
// Dots outside strings and comments on one line: enough for any real line (a float is one).
inline constexpr size_t kMaxLineDots = 256;

// The first line of `text` whose key has more than kMaxKeyDepth dotted parts, or that holds
// more than kMaxLineDots dots outside strings and comments (dotted keys inside an inline
// table, `y = {x.x.x... = 1}`, nest as deep); line 0 if none. Strings
// are skipped with their escapes, multi-line ones (""" and ''') across lines.
struct TooDeep {
  size_t line = 0;   ///< 0: none
  size_t count = 0;  ///< dotted parts of the key, or dots on the line
  bool key = true;   ///< the key is too deep (else the line has too many dots)
};
TooDeep TooDeepKey(std::string_view text);

// Lower-cases a URL's scheme (schemes are case-insensitive; "HTTP://" is http://).
void LowerScheme(std::string* url);

// True for a proxy URL curl takes: "host:port", or "SCHEME://host[:port][/]" with SCHEME
// http, https, socks4, socks4a, socks5 or socks5h (any case), user:password@ allowed.
bool IsProxyUrl(std::string_view url);

// Why `url` (scheme lower-cased) can never be fetched; "" when it may be.
std::string UrlProblem(std::string_view url);

}  // namespace newsd::config
