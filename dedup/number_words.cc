#include "dedup/number_words.h"

#include <algorithm>
#include <array>

namespace newsd::dedup {

enum class NumberKind { kUnit, kHundred, kScale };

struct NumberWord {
  std::string_view stem;  // Folded (і→и, ү→у, ң→н, ғ→г, қ→к, ө→о).
  uint64_t value;
  NumberKind kind;
  // A scale word read only after a number ("2 млн", "бес млрд", "5 тыс", "3 тысячи"):
  // abbreviations and Russian words, which alone are words ("шекарадан тыс", "outside").
  bool after_number_only = false;
  // A scale word that takes a Russian ending after a number ("2 миллиона", "5 миллионов",
  // "3 тысячи"), which is dropped.
  bool russian_endings = false;
  // An after_number_only word whose singular alone reads as one of it too ("тысяча",
  // "тысячу": 1000, as "мың" and "миллион" alone do); its other forms alone are words
  // ("тысячи людей", "десятки тысяч": thousands).
  bool singular_alone = false;
};

namespace {

using Kind = NumberKind;

constexpr std::array<NumberWord, 28> kWords = {{
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
    {"миллион", 1000000, Kind::kScale, false, true},
    {"миллиард", 1000000000, Kind::kScale, false, true},
    {"триллион", 1000000000000, Kind::kScale, true, true},
    {"млн", 1000000, Kind::kScale, true},
    {"млрд", 1000000000, Kind::kScale, true},
    {"трлн", 1000000000000, Kind::kScale, true},
    {"тыс", 1000, Kind::kScale, true},
    {"тысяч", 1000, Kind::kScale, true, true, true},
}};

// Russian endings a scale word takes after a numeral ("2 миллиона", "5 миллионов",
// "3 тысячи", "1 тысяча", "1 тысячу"): dropped, so that they read as "2 млн", "5 млн", "3 тыс".
constexpr std::array<std::string_view, 4> kRussianScaleEndings = {"а", "ов", "и", "у"};
// Those of them that only the singular takes ("тысяча", "тысячу"): "тысячи" is also plural.
constexpr std::array<std::string_view, 2> kRussianSingularEndings = {"а", "у"};

constexpr size_t kMaxSuffixBytes = 16;  // 8 Cyrillic letters.

// "And" between number words: a decimal comma, or nothing ("жүз де он тоғыз", 119).
constexpr std::array<std::string_view, 4> kConjunctions = {"да", "де", "та", "те"};

// The code point of the two-byte UTF-8 sequence at the start of `s`, else 0.
char32_t FirstTwoByteLetter(std::string_view s) {
  if (s.size() < 2) return 0;
  const auto b0 = static_cast<unsigned char>(s[0]), b1 = static_cast<unsigned char>(s[1]);
  if ((b0 & 0xE0) != 0xC0 || (b1 & 0xC0) != 0x80) return 0;
  return (static_cast<char32_t>(b0 & 0x1F) << 6) | (b1 & 0x3F);
}

// The stems by their first letter (U+0430..U+044F, а..я): indexes into kWords.
struct Initials {
  std::array<std::array<uint8_t, 8>, 32> words{};
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
// longest stem wins. Inline, as Recognize.
inline const NumberWord* Match(std::string_view token, char32_t initial) {
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

// Removes `part` from the front of *s when it is there.
bool Eat(std::string_view* s, std::string_view part) {
  if (s->substr(0, part.size()) != part) return false;
  s->remove_prefix(part.size());
  return true;
}

// Removes the first of `parts` that *s starts with (longest listed first where one is a
// prefix of another).
template <size_t N>
bool EatAny(std::string_view* s, const std::array<std::string_view, N>& parts) {
  for (std::string_view part : parts) {
    if (Eat(s, part)) return true;
  }
  return false;
}

// Case endings (folded) a numeral takes directly ("мыңнан", "жүзге", "бірден").
constexpr std::array<std::string_view, 29> kCases = {
    "ден", "тен", "дан", "тан", "нен", "нан", "дин", "дын", "тин", "тын",
    "нин", "нын", "мен", "бен", "пен", "ге",  "ке",  "га",  "ка",  "де",
    "те",  "да",  "та",  "ди",  "ды",  "ти",  "ты",  "ни",  "ны"};
// ... and after a possessive ending ("біріне", "бірінде", "бірін").
constexpr std::array<std::string_view, 11> kPossessedCases = {
    "нде", "нда", "нен", "нан", "нин", "нын", "мен", "не", "на", "ге", "н"};
constexpr std::array<std::string_view, 4> kPossessives = {"си", "сы", "и", "ы"};
// Approximations ("жүздеген", "жүздей").
constexpr std::array<std::string_view, 8> kApproximations = {"деген", "даган", "теген", "таган",
                                                             "дей",   "дай",   "тей",   "тай"};

// True when `s` (folded, not empty) is an ending a Kazakh numeral of kind `kind` takes: an
// ordinal ("-інші", "-ыншы"), a possessive, a case ending, a collective ("-еу") or an
// approximation, in that order, so that "бірақ", "мына" or "жүзеге" are not numbers.
bool IsNumeralEnding(std::string_view s, Kind kind) {
  if (kind == Kind::kUnit && (s == "еу" || s == "ау")) return true;  // Collective.
  std::string_view rest = s;
  // An ordinal, with its linking vowel ("бір-і-нші", "жиырма-сы-ншы"), may take the endings
  // below too ("біріншіден").
  std::string_view ordinal = rest;
  EatAny(&ordinal, kPossessives);
  if (Eat(&ordinal, "нш") && (Eat(&ordinal, "и") || Eat(&ordinal, "ы"))) rest = ordinal;
  if (rest.empty()) return true;
  std::string_view approximated = rest, cased = rest;
  if (EatAny(&approximated, kApproximations) && approximated.empty()) return true;
  if (EatAny(&cased, kCases) && cased.empty()) return true;
  if (!EatAny(&rest, kPossessives)) return false;
  return rest.empty() || (EatAny(&rest, kPossessedCases) && rest.empty());
}

// True when `ending` is a Russian ending scale word `w` takes after a numeral.
bool IsRussianScaleEnding(const NumberWord& w, std::string_view ending) {
  return w.russian_endings && std::find(kRussianScaleEndings.begin(), kRussianScaleEndings.end(),
                                        ending) != kRussianScaleEndings.end();
}

// True when `token`, read as after_number_only word `w` after no number, is its singular,
// which reads as one of it ("тысяча", "тысячу": 1000); false for its other forms ("тысячи",
// "тысяч": thousands) and other words ("тыс"). Out of line: Recognize stays small.
[[gnu::noinline]] bool IsSingularAlone(const NumberWord& w, std::string_view token) {
  const std::string_view ending = token.substr(w.stem.size());
  return w.singular_alone &&
         std::find(kRussianSingularEndings.begin(), kRussianSingularEndings.end(), ending) !=
             kRussianSingularEndings.end();
}

// True when number word `w` continues a run whose value below the thousands is `current`:
// a unit fills an empty ones place, a ten an empty tens place ("жиырма бес", 25), a hundred
// multiplies a unit; otherwise it starts a new number ("бес-алты", five to six).
bool Extends(uint64_t current, const NumberWord& w) {
  switch (w.kind) {
    case Kind::kUnit:
      return current % (w.value < 10 ? 10 : 100) == 0;
    case Kind::kHundred:
      return current < 10;
    case Kind::kScale:
      return true;
  }
  return true;
}

}  // namespace

bool IsKazakhNumeralEnding(std::string_view s) { return IsNumeralEnding(s, Kind::kHundred); }

const std::array<uint32_t, 32> NumberWords::kPrefixes = [] {
  std::array<uint32_t, 32> prefixes{};
  for (const NumberWord& w : kWords) {
    // Offered after a number whatever their letters (a singular read alone aside).
    if (w.after_number_only && !w.singular_alone) continue;
    const unsigned first = LetterIndex(w.stem[0], w.stem[1]);
    const unsigned second = LetterIndex(w.stem[2], w.stem[3]);
    prefixes[first] |= 1u << second;
  }
  return prefixes;
}();

namespace {

// The number word `token` is (a stem, and a numeral's ending if any), else null. Right after
// a number (`after_number`) the scale words read only there count too, and a scale word may
// take a Russian ending (then `*russian` is set: the ending is no token); elsewhere only
// their singular does ("тысяча"). Inline: GCC inlines it into Offer and OfferScaleAfter only with
// the hint (out of line, newsd_dedup_trace ran 0.04 % more instructions).
inline const NumberWord* Recognize(std::string_view token, bool after_number, bool* russian) {
  *russian = false;
  if (token.size() < 4) return nullptr;  // Two letters at least.
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
      return nullptr;
  }
  const NumberWord* w = Match(token, initial);
  if (!w) return nullptr;
  if (w->after_number_only && !after_number) {  // "тысяча" alone: "1 тыс", its ending no token
    if (!IsSingularAlone(*w, token)) return nullptr;
    *russian = true;
    return w;
  }
  const std::string_view ending = token.substr(w->stem.size());
  if (ending.empty()) return w;
  if (after_number && IsRussianScaleEnding(*w, ending)) {
    *russian = true;
    return w;
  }
  // Short stems ("он", "уш") followed by a suffix are too often ordinary words, and so is a
  // stem followed by anything but a numeral's ending ("бірақ", "мына").
  if (w->after_number_only || w->stem.size() < 6) return nullptr;  // < 3 letters.
  if (!IsNumeralEnding(ending, w->kind)) return nullptr;
  return w;
}

}  // namespace

bool NumberWords::OfferScaleAfter(uint64_t value, uint64_t divisor, std::string_view token,
                                  std::string_view* suffix) {
  bool russian = false;
  const NumberWord* w = pending_ ? nullptr : Recognize(token, /*after_number=*/true, &russian);
  if (w == nullptr || w->kind != Kind::kScale || w->value % divisor != 0) return false;
  // Left as written: zero, a product too big for 64 bits, and a year before a Russian plural
  // ("в 2022 тысячи казахстанцев уехали").
  const bool russian_form = russian || (w->after_number_only && w->russian_endings);
  constexpr uint64_t kFirstYear = 1900, kEndYears = 2100;
  const uint64_t scale = w->value / divisor;
  if (value == 0 || value > UINT64_MAX / scale ||
      (divisor == 1 && russian_form && value >= kFirstYear && value < kEndYears)) {
    return false;
  }
  pending_ = true;
  if (divisor > 1) {  // "1,5 млн": 15 times 100000, as Take's scale would add it
    conjunction_ = 0;
    total_ = value * scale;
    current_ = 0;
    scale_ = w->value;
    *suffix = token.substr(w->stem.size());
  } else {
    current_ = value;  // "34 мың" = "отыз төрт мың": the scale multiplies it.
    Take(*w, token, suffix);
  }
  if (russian) *suffix = {};  // "2 миллиона" reads as "2 млн".
  return true;
}

bool NumberWords::Offer(std::string_view token, std::string_view* suffix) {
  *suffix = {};
  bool russian = false;
  // After a number word, the abbreviations continue it too ("бес млрд" = "5 млрд").
  const NumberWord* w = Recognize(token, /*after_number=*/pending_, &russian);
  if (!w) return false;
  Take(*w, token, suffix);
  if (russian) *suffix = {};
  return true;
}

void NumberWords::Take(const NumberWord& w, std::string_view token, std::string_view* suffix) {
  // "бес-алты" (five to six) is two numbers, and so is "бір де жеті" (1,7).
  if (pending_ && !Extends(current_, w)) Complete();
  conjunction_ = 0;  // A decimal comma, or "and" inside one number: dropped either way.
  switch (w.kind) {
    case Kind::kUnit:
      current_ += w.value;
      break;
    case Kind::kHundred:
      current_ = (current_ ? current_ : 1) * w.value;
      break;
    case Kind::kScale:
      total_ += (current_ ? current_ : 1) * w.value;
      current_ = 0;
      scale_ = w.value;
      break;
  }
  pending_ = true;
  *suffix = token.substr(w.stem.size());
}

namespace {

std::string Decimal(uint64_t value) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + value % 10));
    value /= 10;
  } while (value > 0);
  return digits;
}

}  // namespace

bool NumberWords::AddBelowScale(uint64_t value) {
  if (!pending_ || conjunction_ != 0 || total_ == 0 || value >= 1000) return false;
  if (current_ == 0) {  // Right after the scale: only hundreds ("две тысячи пятьсот").
    if (value < 100 || value % 100 != 0) return false;
  } else if (value >= 100 || current_ < 100 || current_ % (value < 10 ? 10 : 100) != 0) {
    return false;  // Tens and units continue the hundreds ("двести пятьдесят", "двести пять").
  }
  current_ += value;
  return true;
}

bool NumberWords::OfferConjunction(std::string_view token) {
  if (!pending_ || conjunction_ != 0) return false;
  const auto* found = std::find(kConjunctions.begin(), kConjunctions.end(), token);
  if (found == kConjunctions.end()) return false;
  conjunction_ = static_cast<uint8_t>(1 + (found - kConjunctions.begin()));
  return true;
}

bool NumberWords::JoinFlushed() {
  if (!pending_ || flushed_scale_ == 0 || current_ != 0 || total_ >= flushed_scale_ ||
      total_ > UINT64_MAX - flushed_) {
    return false;
  }
  total_ += flushed_;
  flushed_scale_ = 0;
  return true;
}

void NumberWords::Complete() {
  completed_ = total_ + current_;
  has_completed_ = true;
  pending_ = false;
  total_ = current_ = scale_ = 0;
  flushed_scale_ = 0;  // What it joins is no longer the run flushed last.
}

bool NumberWords::TakeCompleted(std::string* digits) {
  if (!has_completed_) return false;
  *digits = Decimal(completed_);
  has_completed_ = false;
  return true;
}

std::string NumberWords::Flush(std::string_view* conjunction) {
  const uint64_t value = total_ + current_;
  *conjunction = conjunction_ != 0 ? kConjunctions[conjunction_ - 1] : std::string_view();
  flushed_ = value;
  flushed_scale_ = current_ == 0 && conjunction_ == 0 ? scale_ : 0;
  pending_ = false;
  conjunction_ = 0;
  total_ = current_ = scale_ = 0;
  return Decimal(value);
}

}  // namespace newsd::dedup
