#include "dedup/number_words.h"

#include <array>

namespace newsd::dedup {
namespace {

enum class Kind { kUnit, kHundred, kScale };

struct NumberWord {
  std::u32string_view stem;  // Folded (і→и, ү→у, ң→н, ғ→г, қ→к, ө→о).
  uint64_t value;
  Kind kind;
};

constexpr std::array<NumberWord, 22> kWords = {{
    {U"бир", 1, Kind::kUnit},
    {U"еки", 2, Kind::kUnit},
    {U"уш", 3, Kind::kUnit},
    {U"торт", 4, Kind::kUnit},
    {U"бес", 5, Kind::kUnit},
    {U"алты", 6, Kind::kUnit},
    {U"жети", 7, Kind::kUnit},
    {U"сегиз", 8, Kind::kUnit},
    {U"тогыз", 9, Kind::kUnit},
    {U"он", 10, Kind::kUnit},
    {U"жиырма", 20, Kind::kUnit},
    {U"отыз", 30, Kind::kUnit},
    {U"кырык", 40, Kind::kUnit},
    {U"елу", 50, Kind::kUnit},
    {U"алпыс", 60, Kind::kUnit},
    {U"жетпис", 70, Kind::kUnit},
    {U"сексен", 80, Kind::kUnit},
    {U"токсан", 90, Kind::kUnit},
    {U"жуз", 100, Kind::kHundred},
    {U"мын", 1000, Kind::kScale},
    {U"миллион", 1000000, Kind::kScale},
    {U"миллиард", 1000000000, Kind::kScale},
}};

constexpr size_t kMaxSuffix = 8;

// The number word `token` starts with, if any; the longest stem wins.
const NumberWord* Match(std::u32string_view token) {
  const NumberWord* best = nullptr;
  for (const NumberWord& w : kWords) {
    if (w.stem[0] != token[0]) continue;
    if (token.size() < w.stem.size() || token.size() > w.stem.size() + kMaxSuffix) continue;
    if (token.substr(0, w.stem.size()) != w.stem) continue;
    if (!best || w.stem.size() > best->stem.size()) best = &w;
  }
  return best;
}

}  // namespace

bool NumberWords::Offer(std::u32string_view token, std::u32string_view* suffix) {
  *suffix = {};
  if (token.size() < 2) return false;
  switch (token[0]) {  // First letters of the stems: a cheap reject for most words.
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
  const NumberWord* w = Match(token);
  if (!w) return false;
  // Short stems ("он", "уш") followed by a suffix are too often ordinary words.
  if (token.size() > w->stem.size() && w->stem.size() < 3) return false;
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

std::u32string NumberWords::Flush() {
  uint64_t value = total_ + current_;
  std::u32string digits;
  do {
    digits.insert(digits.begin(), static_cast<char32_t>(U'0' + value % 10));
    value /= 10;
  } while (value > 0);
  pending_ = false;
  total_ = current_ = 0;
  return digits;
}

}  // namespace newsd::dedup
