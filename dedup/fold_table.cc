#include "dedup/fold_table.h"

#include <utf8proc.h>

#include <cstdlib>

namespace newsd::dedup {
namespace {

constexpr char32_t kBmpSize = 0x10000;
constexpr int kMaxExpansion = 3;

// NFKC + case fold of one code point through utf8proc. Returns the number of code points
// written (at most kMaxExpansion; longer expansions, e.g. U+FDFA, are truncated).
int MapWithUtf8proc(char32_t cp, char32_t out[kMaxExpansion]) {
  utf8proc_int32_t buffer[16];
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                      UTF8PROC_CASEFOLD | UTF8PROC_STABLE);
  int last_boundclass = 0;
  utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buffer, 16,
                                               options, &last_boundclass);
  if (n < 0 || n > 16) {
    out[0] = cp;
    return 1;
  }
  n = utf8proc_normalize_utf32(buffer, n, options);  // Composes in place (NFKC).
  if (n < 0) {
    out[0] = cp;
    return 1;
  }
  int count = 0;
  for (utf8proc_ssize_t i = 0; i < n && count < kMaxExpansion; ++i) {
    out[count++] = static_cast<char32_t>(buffer[i]);
  }
  return count;
}

}  // namespace

char32_t FoldCyrillic(char32_t cp) {
  switch (cp) {
    case U'ё':
      return U'е';
    case U'ә':
      return U'а';
    case U'ғ':
      return U'г';
    case U'қ':
      return U'к';
    case U'ң':
      return U'н';
    case U'ө':
    case U'ѳ':  // fita, typed for ө
      return U'о';
    case U'ұ':
    case U'ү':
      return U'у';
    case U'һ':
      return U'х';
    case U'і':
    case U'ї':  // typed for і
      return U'и';
    default:
      return cp;
  }
}

char32_t ComposeFolded(char32_t base, char32_t mark) {
  utf8proc_int32_t pair[2] = {static_cast<utf8proc_int32_t>(base),
                              static_cast<utf8proc_int32_t>(mark)};
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE);
  if (utf8proc_normalize_utf32(pair, 2, options) != 1) return 0;
  char32_t mapped[kMaxExpansion];
  if (MapWithUtf8proc(static_cast<char32_t>(pair[0]), mapped) != 1) return 0;
  return FoldCyrillic(mapped[0]);
}

char32_t LatinBase(char32_t cp) {
  constexpr char32_t kFirst = 0xC0, kLast = 0x1EFF;
  if (cp < kFirst || cp > kLast || (cp > 0x24F && cp < 0x1E00)) return cp;
  // Built once: a code point's base, or 0 when it has none.
  static const std::vector<char32_t> kBase = [] {
    std::vector<char32_t> base(kLast - kFirst + 1, 0);
    for (char32_t c = kFirst; c <= kLast; ++c) {
      utf8proc_int32_t parts[8];
      utf8proc_int32_t last = 0;
      const utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), parts, 8,
                                                         UTF8PROC_DECOMPOSE, &last);
      if (n < 2 || n > 8 || utf8proc_category(parts[0]) == UTF8PROC_CATEGORY_MN) continue;
      bool marks = true;
      for (utf8proc_ssize_t i = 1; i < n; ++i) {
        marks = marks && utf8proc_category(parts[i]) == UTF8PROC_CATEGORY_MN;
      }
      if (marks) base[c - kFirst] = static_cast<char32_t>(parts[0]);
    }
    return base;
  }();
  const char32_t b = kBase[cp - kFirst];
  return b != 0 ? b : cp;
}

bool IsUpperCaseLetter(char32_t cp) {
  const utf8proc_category_t c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

CharClass ClassifyCodePoint(char32_t cp) {
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return CharClass::kLetter;
    if (cp >= '0' && cp <= '9') return CharClass::kDigit;
    return CharClass::kSeparator;
  }
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return CharClass::kLetter;
    case UTF8PROC_CATEGORY_ND:
      return CharClass::kDigit;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
      return CharClass::kIgnore;
    default:
      return CharClass::kSeparator;
  }
}

const FoldTable& FoldTable::Get() {
  static const FoldTable* const kTable = new FoldTable();
  return *kTable;
}

FoldTable::FoldTable() : bmp_(kBmpSize) {
  for (char32_t cp = 0; cp < kBmpSize; ++cp) {
    char32_t mapped[kMaxExpansion];
    int n = (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : MapWithUtf8proc(cp, mapped);
    if (n == 0) {
      bmp_[cp] = Entry{0, CharClass::kSeparator, 0};
      continue;
    }
    if (n == 1) {
      char32_t folded = FoldCyrillic(mapped[0]);
      bmp_[cp] = Entry{static_cast<uint32_t>(folded), ClassifyCodePoint(folded), 1};
      continue;
    }
    bmp_[cp] =
        Entry{static_cast<uint32_t>(multi_.size()), CharClass::kLetter, static_cast<uint8_t>(n)};
    for (int i = 0; i < n; ++i) {
      char32_t folded = FoldCyrillic(mapped[i]);
      multi_.push_back(FoldedChar{folded, ClassifyCodePoint(folded)});
    }
  }
  // The numero sign reads as the word "no" on its own: NFKC's "No" would join the number
  // after it ("№123" read "no123", "№ 123" read "no 123").
  bmp_[U'№'] = Entry{static_cast<uint32_t>(multi_.size()), CharClass::kLetter, 4};
  multi_.insert(multi_.end(),
                {FoldedChar{U' ', CharClass::kSeparator}, FoldedChar{U'n', CharClass::kLetter},
                 FoldedChar{U'o', CharClass::kLetter}, FoldedChar{U' ', CharClass::kSeparator}});
}

int FoldTable::Fold(char32_t cp, FoldedChar out[4]) const {
  if (cp >= kBmpSize) {
    char32_t mapped[kMaxExpansion];
    int n = MapWithUtf8proc(cp, mapped);
    for (int i = 0; i < n; ++i) {
      char32_t folded = FoldCyrillic(mapped[i]);
      out[i] = FoldedChar{folded, ClassifyCodePoint(folded)};
    }
    return n;
  }
  const Entry& e = bmp_[cp];
  if (e.n == 1) {
    out[0] = FoldedChar{static_cast<char32_t>(e.value), e.cls};
    return 1;
  }
  for (int i = 0; i < e.n; ++i) out[i] = multi_[e.value + i];
  return e.n;
}

}  // namespace newsd::dedup
