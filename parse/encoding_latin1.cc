// Telling a Cyrillic text in a single-byte code page from a Latin-1 text by the shapes of its
// words: read as Latin-1, a Cyrillic word is a run of letters 0xC0-0xFF ("Ïðàâèòåëüñòâî"),
// where French, German or Icelandic put one or two accented letters in a word of ASCII ones.
#include <array>
#include <cstdint>
#include <string_view>

#include "parse/ascii.h"
#include "parse/encoding_internal.h"

namespace newsd::parse {
namespace {

// A word's letters: ASCII letters, and bytes 0xC0-0xFF (Latin-1's accented letters, the
// letters of windows-1251 and KOI8-R).
bool IsWordLetter(char c) { return IsAsciiAlpha(c) || static_cast<unsigned char>(c) >= 0xC0; }

// The words of a text, by what their letters are.
struct WordShapes {
  size_t high_words = 0;      // words of kMinHighWordLetters or more letters, all 0xC0-0xFF
  size_t high_letters = 0;    // letters of words all 0xC0-0xFF, of any length
  size_t mixed_words = 0;     // words of ASCII letters and letters 0xC0-0xFF
  size_t accented_words = 0;  // mixed_words with no more letters 0xC0-0xFF than ASCII ones
  size_t letters = 0;         // letters of all words
  std::array<uint32_t, 64> high_word_bytes{};  // each byte 0xC0-0xFF's count in high_words
};

// Letters a word all of bytes 0xC0-0xFF needs to count as a high word: Latin-1 has words of
// one or two accented letters ("à", "é", "ó", "æð"), seldom one of three.
constexpr size_t kMinHighWordLetters = 3;

// Longest character reference skipped as no word ("&thetasym;").
constexpr size_t kMaxEntityLength = 10;

// SkipNonText, and markup escaped in text: a tag ("&lt;p&gt;", "&lt;/a&gt;") and a character
// reference ("&quot;", "&#1055;"), whose names are no words of the text.
size_t SkipMarkupInText(std::string_view s, size_t i) {
  if (s[i] != '&') return SkipNonText(s, i);
  if (s.compare(i, 4, "&lt;") == 0 && i + 4 < s.size() &&
      (IsAsciiAlpha(s[i + 4]) || s[i + 4] == '/' || s[i + 4] == '!')) {
    // An escaped tag never closed is no tag: its '&' alone is skipped.
    const size_t gt = s.find("&gt;", i + 4);
    return gt == std::string_view::npos ? i : gt + 3;
  }
  // Looked for within the longest reference only: a text of bare '&' stays linear.
  const size_t semicolon = s.substr(i, kMaxEntityLength + 1).find(';');
  return semicolon != std::string_view::npos ? i + semicolon : i;
}

// Adds `word`, of which `high` letters are bytes 0xC0-0xFF, to `w`.
void AddWord(std::string_view word, size_t high, WordShapes* w) {
  const size_t ascii = word.size() - high;
  w->letters += word.size();
  if (ascii == 0) {
    w->high_letters += high;
    if (high < kMinHighWordLetters) return;
    ++w->high_words;
    for (char c : word) ++w->high_word_bytes[static_cast<unsigned char>(c) - 0xC0];
  } else if (high > 0) {
    ++w->mixed_words;
    if (high <= ascii) ++w->accented_words;
  }
}

// The shapes of the words of `s` outside tags, links and escaped markup.
WordShapes CountWordShapes(std::string_view s) {
  WordShapes w;
  size_t i = 0;
  while (i < s.size()) {
    const size_t skip_to = SkipMarkupInText(s, i);
    if (skip_to == std::string_view::npos) break;
    if (skip_to != i || !IsWordLetter(s[i])) {
      i = skip_to + 1;
      continue;
    }
    const size_t start = i;
    size_t high = 0;
    for (; i < s.size() && IsWordLetter(s[i]); ++i) {
      high += static_cast<unsigned char>(s[i]) >= 0xC0 ? 1 : 0;
    }
    AddWord(s.substr(start, i - start), high, &w);
  }
  return w;
}

// GuessCyrillicUnderLatin1: words all of bytes 0xC0-0xFF needed (425 of the dev corpus's
// 437 Russian headlines have 4 or more, as a feed of one item), and how many of them per
// accented word (WordShapes::accented_words): a Latin-1 text has many of those and next to
// no high words; a Kazakh text written with a Latin "i" for "і" has a few ("iшi"), at most
// 1 per 11 high words in 99 % of the dev corpus's Kazakh texts.
constexpr size_t kMinCyrillicWords = 4;
constexpr size_t kCyrillicWordsPerAccented = 8;

// The bytes of KOI8-U's Ukrainian letters, box-drawing characters in KOI8-R.
constexpr std::string_view kKoi8uLetters = "\xA4\xA6\xA7\xAD\xB4\xB6\xB7\xBD";

// Bytes of a text GuessCyrillicUnderLatin1 looks at.
constexpr size_t kWordSample = size_t{64} * 1024;

}  // namespace

bool LooksCyrillicNotLatin(std::string_view s) {
  const WordShapes w = CountWordShapes(s);
  return w.high_words >= 3 && w.high_words > 4 * w.mixed_words;
}

const char* GuessCyrillicUnderLatin1(std::string_view s) {
  // A code page is the whole text's: its first 64 KiB show it as well as the rest. Most Latin-1
  // feeds have too few bytes 0xC0-0xFF to look at (English), or have them one at a time in
  // ASCII words (French, German: "für", "été"), where a Cyrillic word is a run of them: one
  // quick count says so.
  const std::string_view sample = s.substr(0, kWordSample);
  size_t high = 0, runs = 0;  // bytes 0xC0-0xFF, and those right after another
  bool after_high = false;
  for (char c : sample) {
    const bool is_high = static_cast<unsigned char>(c) >= 0xC0;
    high += is_high ? 1 : 0;
    runs += is_high && after_high ? 1 : 0;
    after_high = is_high;
  }
  if (high < kMinCyrillicWords * kMinHighWordLetters || runs * 2 < high) return nullptr;
  const WordShapes w = CountWordShapes(sample);
  if (w.high_words < kMinCyrillicWords ||
      w.high_words <= kCyrillicWordsPerAccented * w.accented_words ||
      w.high_letters * 3 < w.letters) {
    return nullptr;
  }
  const char* page = GuessRussianCodePage(w.high_word_bytes);
  if (page != nullptr && std::string_view(page) == "koi8-r") {
    // KOI8-U differs from KOI8-R only where KOI8-R draws boxes, which no text has: there it
    // keeps Ukrainian letters (є і ї ґ and their capitals).
    return sample.find_first_of(kKoi8uLetters) != std::string_view::npos ? "koi8-u" : page;
  }
  if (page == nullptr || std::string_view(page) != "windows-1251") return page;
  const char* kazakh = GuessKazakhCodePage(s);
  return kazakh != nullptr ? kazakh : page;
}

}  // namespace newsd::parse
