#pragma once

// Character tests, UTF-8 decoding and token hashing for the tokenizer (normalize.cc and
// token_builder.*): internal to dedup/. Inline, as the tokenizer's inner loops call them per
// byte or per token.

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "dedup/fold_table.h"

namespace newsd::dedup {

inline bool IsCyrillic(char32_t cp) { return cp >= 0x400 && cp <= 0x52F; }
// 1 for ASCII letters, 2 for digits, 0 otherwise.
constexpr std::array<uint8_t, 256> kAsciiAlnum = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = 2;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 'a' + 'A'] = 1;
  return t;
}();
inline bool IsLatin(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || cp == 0x259 || cp == 0x275 || cp == 0x131;
}

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// High bit of each byte of `word` in [lo, hi]; valid for bytes below 0x80.
constexpr uint64_t BytesInRange(uint64_t word, uint8_t lo, uint8_t hi) {
  const uint64_t w = word | kHighBits;  // No borrow crosses a byte below.
  return (w - lo * kOnes) & ~(w - (hi + 1) * kOnes) & kHighBits;
}

// High bit of each ASCII letter byte of `word`; *digits gets those of the ASCII digits.
inline uint64_t AsciiLetters(uint64_t word, uint64_t* digits) {
  const uint64_t ascii = ~word & kHighBits;
  *digits = BytesInRange(word, '0', '9') & ascii;
  return BytesInRange(word | 0x2020202020202020ULL, 'a', 'z') & ascii;
}

// Number of bytes of `bits` (only high bits set) whose high bit is set; no popcnt needed.
inline size_t CountHighBits(uint64_t bits) {
  return static_cast<size_t>(((bits >> 7) * kOnes) >> 56);
}

// 1 for an ASCII letter or digit (either case).
inline bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Latin letters that look like (folded) Cyrillic ones, else the letter itself.
char32_t CyrillicLookalike(char32_t cp);
// The Latin letter a (folded) Cyrillic one looks like, else the letter itself.
char32_t LatinLookalike(char32_t cp);

// Decodes one UTF-8 sequence at s[*pos]; returns U+FFFD-like separator (0) when invalid.
inline char32_t DecodeUtf8(std::string_view s, size_t* pos) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(*pos);
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || *pos + len > s.size()) {
    ++*pos;
    return 0;
  }
  char32_t cp = c & (0x7F >> len);
  for (int i = 1; i < len; ++i) {
    unsigned char cc = b(*pos + i);
    if ((cc & 0xC0) != 0x80) {
      ++*pos;
      return 0;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *pos += len;
  return cp;
}

constexpr size_t kMaxTokenBytes = size_t{64} * 4;

// The hash of the `n` bytes at `p`, reading whole 8-byte words: the 7 bytes after them must be
// readable (they do not change the result). A multiply-xorshift per word and the murmur3
// finaliser: token hashes need to be distinct and uniform, not keyed.
[[gnu::always_inline]] inline uint64_t HashPadded(const uint8_t* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xC2B2AE3D27D4EB4FULL);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 29;
  }
  if (i < n) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    w &= ~uint64_t{0} >> (64 - 8 * (n - i));  // Little-endian: keep the first n - i bytes.
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
  }
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

// Which letters a token counts, to decide on homoglyph folding.
enum Script : uint8_t { kOtherScript = 0, kCyrillicScript = 1, kLatinScript = 2 };

inline Script ScriptOf(char32_t cp) {
  return IsCyrillic(cp) ? kCyrillicScript : IsLatin(cp) ? kLatinScript : kOtherScript;
}

// The fold of every two-byte code point (U+0080..U+07FF: Latin-1, Greek, Cyrillic) whose
// folded form is one code point that also fits in two bytes: the inner loop of Cyrillic text.
struct TwoByteEntry {
  uint8_t bytes[2];
  uint8_t length;  // 0: not simple, take the general path.
  CharClass cls;
  Script script;
  bool upper;  // The original is an upper-case letter (a token it opens may be a name).
};

class TwoByteTable {
 public:
  TwoByteTable();  // From FoldTable::Get().
  const TwoByteEntry& operator[](char32_t cp) const { return entries_[cp]; }
  // Every lower-case letter а..я (U+0430..U+044F) folds to itself, a Cyrillic letter: a run
  // of them may be copied as it is (FourLowerCyrillic). True with every fold table so far.
  bool lower_cyrillic_kept() const { return lower_cyrillic_kept_; }

 private:
  std::array<TwoByteEntry, 0x800> entries_;
  bool lower_cyrillic_kept_ = false;
};

// The high bit of each 16-bit lane of `x` that is not zero (no carry crosses a lane).
constexpr uint64_t NonZeroLanes16(uint64_t x) {
  constexpr uint64_t kLow = 0x7FFF7FFF7FFF7FFFULL;
  return (((x & kLow) + kLow) | x) & ~kLow;
}

// The high bit of each 16-bit lane of `word` (8 bytes of UTF-8 read little-endian, starting at
// a sequence) that is not a lower-case а..я: D0 B0..BF or D1 80..8F. Zero: four such letters.
constexpr uint64_t NotLowerCyrillic(uint64_t word) {
  const uint64_t m = word & 0xF0FFF0FFF0FFF0FFULL;  // lead byte, high half of the second
  return NonZeroLanes16(m ^ 0xB0D0B0D0B0D0B0D0ULL) & NonZeroLanes16(m ^ 0x80D180D180D180D1ULL);
}

}  // namespace newsd::dedup
