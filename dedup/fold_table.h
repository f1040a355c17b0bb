#pragma once

#include <cstdint>
#include <vector>

namespace newsd::dedup {

/// How a folded code point takes part in tokenisation.
enum class CharClass : uint8_t {
  kSeparator = 0,  ///< Ends a token (space, punctuation, symbols).
  kLetter = 1,     ///< Part of a word.
  kDigit = 2,      ///< Part of a number.
  kIgnore = 3,     ///< Dropped without ending a token (combining marks, format characters).
};

/// One folded output code point.
struct FoldedChar {
  char32_t cp;
  CharClass cls;
};

/// A precomputed map from a code point to its matching form: NFKC, Unicode case folding, ё→е
/// and the Kazakh letters folded to base Cyrillic (ә→а, ғ→г, қ→к, ң→н, ө/ѳ→о, ұ/ү→у, һ→х,
/// і/ї→и).
/// Built once from utf8proc (the first call of Get() costs a few milliseconds); afterwards a
/// lookup is one array read. Thread-safe: immutable after construction.
class FoldTable {
 public:
  /// The process-wide table.
  static const FoldTable& Get();

  /// Writes the folded form of `cp` (0..3 code points, usually 1) to `out`; returns the count.
  int Fold(char32_t cp, FoldedChar out[4]) const;

  /// The common case of Fold, inline: true and *out set when `cp` (any code point) is in the
  /// BMP and folds to exactly one code point; false otherwise (then call Fold).
  bool FoldSingle(char32_t cp, FoldedChar* out) const {
    if (cp >= bmp_.size()) return false;
    const Entry& e = bmp_[cp];
    if (e.n != 1) return false;
    *out = FoldedChar{static_cast<char32_t>(e.value), e.cls};
    return true;
  }

 private:
  FoldTable();

  struct Entry {
    uint32_t value;  ///< The single output code point, or an offset into multi_ when n > 1.
    CharClass cls;
    uint8_t n;  ///< Number of output code points (0 = dropped).
  };
  std::vector<Entry> bmp_;  ///< Indexed by code point, 0..0xFFFF.
  std::vector<FoldedChar> multi_;
};

/// Folds one already NFKC-case-folded code point with the Cyrillic/Kazakh rules (ё→е, ә→а, ...).
char32_t FoldCyrillic(char32_t cp);

/// The folded form of the letter `base` (folded already) followed by the combining mark
/// `mark`, when the two compose to one code point (NFC: "и" + U+0306 = "й", "e" + U+0301 =
/// "é"; a text in decomposed form reads as the same text composed); 0 when they do not. The
/// base is the folded letter: one the folding changed composes as that (Ukrainian "і" with
/// U+0308 reads "ӥ", not "ї"; no such letter in English, Russian or Kazakh).
char32_t ComposeFolded(char32_t base, char32_t mark);

/// Classifies a folded code point for tokenisation.
CharClass ClassifyCodePoint(char32_t cp);

/// True when `cp` is an upper-case (or title-case) letter (Unicode categories Lu, Lt).
bool IsUpperCaseLetter(char32_t cp);

/// The base letter of a Latin letter with diacritics (U+00C0-U+024F, U+1E00-U+1EFF: "é" → "e",
/// "ş" → "s", "ǖ" → "u"), from its canonical decomposition; `cp` itself for every other code
/// point (letters without a decomposition such as "ß" or "ı", and other scripts: "й" stays).
char32_t LatinBase(char32_t cp);

}  // namespace newsd::dedup
