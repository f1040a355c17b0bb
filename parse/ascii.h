#pragma once

// ASCII character tests and case mapping for the parser's byte-level code: dates, zones,
// charset labels, XML preparation, URLs. Locale-free; a byte of 0x80 and above is never a
// letter, digit or space here.

#include <string>
#include <string_view>

namespace newsd::parse {

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/// XML white space (the S production): space, tab, CR, LF.
inline bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// ASCII whitespace as the URL standard has it: XML's and form feed.
inline bool IsAsciiWhitespace(char c) { return IsXmlSpace(c) || c == '\f'; }

/// The value of a run of ASCII digits (the caller has checked that they are digits), saturating
/// at 999,999,999: more digits than any date field holds give that, not an overflow.
inline int DigitsValue(std::string_view digits) {
  constexpr int kMax = 999'999'999;
  int v = 0;
  for (char c : digits) {
    if (v > (kMax - 9) / 10) return kMax;
    v = v * 10 + (c - '0');
  }
  return v;
}

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

/// True when `a` and `b` are equal but for the case of A-Z.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

/// `s` with A-Z lower-cased; other bytes unchanged.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

/// True when `s` holds XML white space. A loop, not find_first_of: libstdc++'s runs a memchr
/// of the set for every byte.
inline bool HasXmlSpace(std::string_view s) {
  for (char c : s) {
    if (IsXmlSpace(c)) return true;
  }
  return false;
}

}  // namespace newsd::parse
