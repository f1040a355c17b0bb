#pragma once

// TokenBuilder's runs (token_builder.h, which includes this at its end): the hot loops that
// read a run of ASCII letters and digits, or of two-byte UTF-8 characters, into the token.
// Inline, as the rest of the hot path is: Tokenize (normalize.cc) calls them per run.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "dedup/fold_table.h"
#include "dedup/token_builder.h"
#include "dedup/token_chars.h"

namespace newsd::dedup {

inline size_t TokenBuilder::AddAsciiRun(std::string_view text, size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  if (bytes_ == 0) capital_ = p[pos] >= 'A' && p[pos] <= 'Z';
  size_t n = 0, digits = 0;
  while (pos + 8 <= size) {
    uint64_t word;
    std::memcpy(&word, p + pos, 8);
    uint64_t digit_bits = 0;
    const uint64_t letter_bits = AsciiLetters(word, &digit_bits);
    const uint64_t stop = ~(letter_bits | digit_bits) & kHighBits;
    const size_t run = stop == 0 ? 8 : static_cast<size_t>(std::countr_zero(stop)) / 8;
    const uint64_t lower = word | (letter_bits >> 2);  // 0x80 >> 2 = 0x20: lower case.
    const uint64_t keep = run == 8 ? ~uint64_t{0} : (uint64_t{1} << (run * 8)) - 1;
    digits += CountHighBits(digit_bits & keep);
    AppendAscii(lower, run);
    n += run;
    pos += run;
    if (run < 8) break;
  }
  if (pos + 8 > size) {  // The tail, one byte at a time.
    for (; pos < size; ++pos, ++n) {
      const unsigned char c = p[pos];
      const uint8_t cls = kAsciiAlnum[c];  // 0 other, 1 letter, 2 digit.
      if (cls == 0) break;
      AppendAscii(c | (c >= 'A' ? 0x20 : 0), 1);  // Digits are below 'A'.
      digits += cls >> 1;
    }
  }
  digits_ += digits;
  latin_ += n - digits;
  total_ += n;
  return pos;
}

inline size_t TokenBuilder::AddTwoByteRun(const TwoByteTable& table, std::string_view text,
                                          size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  for (;;) {
    // Letters and digits, with the token's state in locals (stores to buffer_ may alias
    // members, which would otherwise be reloaded after every byte).
    size_t bytes = bytes_, chars = chars_, total = total_;
    size_t cyrillic = cyrillic_, latin = latin_, digits = digits_;
    uint8_t* buffer = buffer_;
    // A token starting here: is its first letter a capital? (Once per token, not per byte.)
    if (bytes == 0 && pos + 1 < size && p[pos] >= 0xC2 && p[pos] < 0xE0) {
      capital_ = table[(static_cast<char32_t>(p[pos] & 0x1F) << 6) | (p[pos + 1] & 0x3F)].upper;
    }
    const TwoByteEntry* stop = nullptr;
    // Four lower-case а..я at a time while they come (most of a Russian word); given up for
    // this token once a lower-case letter starts fewer than four of them.
    bool four_at_a_time = table.lower_cyrillic_kept();
    while (pos + 1 < size) {
      if (four_at_a_time && pos + 8 <= size && chars + 4 <= kMaxToken) {
        uint64_t word;
        std::memcpy(&word, p + pos, 8);
        const uint64_t other = NotLowerCyrillic(word);
        if (other == 0) {
          std::memcpy(buffer + bytes, p + pos, 8);  // They fold to themselves.
          pos += 8;
          bytes += 8;
          chars += 4;
          total += 4;
          cyrillic += 4;
          continue;
        }
        four_at_a_time = (other & 0x8000) != 0;  // The first is not one: try after it.
      }
      const unsigned char b0 = p[pos], b1 = p[pos + 1];
      if (b0 < 0xC2 || b0 >= 0xE0 || (b1 & 0xC0) != 0x80) break;
      const TwoByteEntry& e = table[(static_cast<char32_t>(b0 & 0x1F) << 6) | (b1 & 0x3F)];
      if (e.length == 0 || (e.cls != CharClass::kLetter && e.cls != CharClass::kDigit)) {
        stop = &e;
        break;
      }
      pos += 2;
      cyrillic += e.script == kCyrillicScript;
      latin += e.script == kLatinScript;
      digits += e.cls == CharClass::kDigit;
      ++total;
      const bool room = chars < kMaxToken;
      std::memcpy(buffer + bytes, e.bytes, 2);  // The buffer has spare bytes.
      bytes += room ? e.length : 0;
      chars += room;
    }
    bytes_ = bytes;
    chars_ = chars;
    total_ = total;
    cyrillic_ = cyrillic;
    latin_ = latin;
    digits_ = digits;
    if (stop == nullptr || stop->length == 0) return pos;  // Not a simple two-byte character.
    pos += 2;                                              // A separator, or a character to ignore.
    if (stop->cls == CharClass::kSeparator) {
      EndToken();
    } else if ((p[pos - 2] == 0xCC || p[pos - 2] == 0xCD) && bytes_ > 0) {
      // A combining mark (U+0300-U+036F) after a letter: "и" + U+0306 is "й".
      ComposeMark((static_cast<char32_t>(p[pos - 2] & 0x1F) << 6) | (p[pos - 1] & 0x3F));
    }
  }
}

}  // namespace newsd::dedup
