#include "dedup/number_words.h"

#include <array>

namespace newsd::dedup {
namespace {

enum class Kind { kUnit, kHundred, kScale };

struct NumberWord {
  std::string_view stem;  // Folded (і→и, ү→у, ң→н, ғ→г, қ→к, ө→о).
  uint64_t value;
  Kind kind;
};

constexpr std::array<NumberWord, 22> kWords = {{
    {"бир", 1, Kind::kUnit},
    {"еки", 2, Kind::kUnit},
    {"уш", 3, Kind::kUnit},
    {"торт", 4, Kind::kUnit},
    {"бес", 5, Kind::kUnit},
    {"алты", 6, Kind::kUnit},
    {"жети", 7, Kind::kUnit},
    {"сегиз", 8, Kind::kUnit},
    {"тогыз", 9, Kind::kUnit},
    {"он", 10, Kind::kUnit},
    {"жиырма", 20, Kind::kUnit},
    {"отыз", 30, Kind::kUnit},
    {"кырык", 40, Kind::kUnit},
    {"елу", 50, Kind::kUnit},
    {"алпыс", 60, Kind::kUnit},
    {"жетпис", 70, Kind::kUnit},
    {"сексен", 80, Kind::kUnit},
    {"токсан", 90, Kind::kUnit},
    {"жуз", 100, Kind::kHundred},
    {"мын", 1000, Kind::kScale},
    {"миллион", 1000000, Kind::kScale},
    {"миллиард", 1000000000, Kind::kScale},
}};

constexpr size_t kMaxSuffixBytes = 16;  // 8 Cyrillic letters.

// The code point of the two-byte UTF-8 sequence at the start of `s`, else 0.
char32_t FirstTwoByteLetter(std::string_view s) {
  if (s.size() < 2) return 0;
  const auto b0 = static_cast<unsigned char>(s[0]), b1 = static_cast<unsigned char>(s[1]);
  if ((b0 & 0xE0) != 0xC0 || (b1 & 0xC0) != 0x80) return 0;
  return (static_cast<char32_t>(b0 & 0x1F) << 6) | (b1 & 0x3F);
}

// The stems by their first letter (U+0430..U+044F, а..я): indexes into kWords.
struct Initials {
  std::array<std::array<uint8_t, 4>, 32> words{};
  std::array<uint8_t, 32> count{};
  Initials() {
    for (size_t i = 0; i < kWords.size(); ++i) {
      const auto b1 = static_cast<unsigned char>(kWords[i].stem[1]);
      const auto b0 = static_cast<unsigned char>(kWords[i].stem[0]);
      const size_t letter = ((static_cast<size_t>(b0 & 0x1F) << 6) | (b1 & 0x3F)) - 0x430;
      words[letter][count[letter]++] = static_cast<uint8_t>(i);
    }
  }
};

// The number word `token` (starting with Cyrillic letter `initial`) starts with, if any; the
// longest stem wins.
const NumberWord* Match(std::string_view token, char32_t initial) {
  static const Initials kInitials;
  const size_t letter = initial - 0x430;
  const NumberWord* best = nullptr;
  for (size_t k = 0; k < kInitials.count[letter]; ++k) {
    const NumberWord& w = kWords[kInitials.words[letter][k]];
    if (token.size() < w.stem.size() || token.size() > w.stem.size() + kMaxSuffixBytes) continue;
    if (token.substr(0, w.stem.size()) != w.stem) continue;
    if (!best || w.stem.size() > best->stem.size()) best = &w;
  }
  return best;
}

}  // namespace

const std::array<uint32_t, 32> NumberWords::kPrefixes = [] {
  std::array<uint32_t, 32> prefixes{};
  for (const NumberWord& w : kWords) {
    const unsigned first = LetterIndex(w.stem[0], w.stem[1]);
    const unsigned second = LetterIndex(w.stem[2], w.stem[3]);
    prefixes[first] |= 1u << second;
  }
  return prefixes;
}();

bool NumberWords::Offer(std::string_view token, std::string_view* suffix) {
  *suffix = {};
  if (token.size() < 4) return false;  // Two letters at least.
  const char32_t initial = FirstTwoByteLetter(token);
  switch (initial) {  // First letters of the stems: a cheap reject for most words.
    case U'б':
    case U'е':
    case U'у':
    case U'т':
    case U'а':
    case U'ж':
    case U'с':
    case U'о':
    case U'к':
    case U'м':
      break;
    default:
      return false;
  }
  const NumberWord* w = Match(token, initial);
  if (!w) return false;
  // Short stems ("он", "уш") followed by a suffix are too often ordinary words.
  if (token.size() > w->stem.size() && w->stem.size() < 6) return false;  // < 3 letters.
  switch (w->kind) {
    case Kind::kUnit:
      current_ += w->value;
      break;
    case Kind::kHundred:
      current_ = (current_ ? current_ : 1) * w->value;
      break;
    case Kind::kScale:
      total_ += (current_ ? current_ : 1) * w->value;
      current_ = 0;
      break;
  }
  pending_ = true;
  *suffix = token.substr(w->stem.size());
  return true;
}

std::string NumberWords::Flush() {
  uint64_t value = total_ + current_;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + value % 10));
    value /= 10;
  } while (value > 0);
  pending_ = false;
  total_ = current_ = 0;
  return digits;
}

}  // namespace newsd::dedup
