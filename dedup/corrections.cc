#include "dedup/corrections.h"

#include <algorithm>
#include <array>

#include "dedup/normalize.h"

namespace newsd::dedup {
namespace {

bool IsAsciiLetter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// A byte of a two-byte Cyrillic letter (lead 0xD0-0xD3 or a continuation byte).
bool IsCyrillicByte(char c) {
  const auto b = static_cast<unsigned char>(c);
  return (b >= 0xD0 && b <= 0xD3) || (b >= 0x80 && b <= 0xBF);
}

// True when the first word of `title` is set apart as a notice: followed by a dash, colon,
// bar, slash, parenthesis, full stop or opening quote ("CORRECTED - ...", "ИСПРАВЛЕНО: ...",
// "CORRECTED «...»"), by "версия" or "version" ("Исправленная версия", "Corrected version:"),
// or by nothing. Not a headline that opens with the word
// ("Correction deepens as stocks slide", "Исправление ошибок").
bool NoticeFollows(std::string_view title) {
  size_t end = 0;
  while (end < title.size() && (IsAsciiLetter(title[end]) || IsCyrillicByte(title[end]))) ++end;
  std::string_view rest = title.substr(end);
  // Spaces, no-break and thin ones too ("ИСПРАВЛЕНО&#160;— ...", as Russian typography sets
  // a dash).
  bool spaced = false;
  for (bool skipped = true; skipped;) {
    skipped = false;
    for (std::string_view space : {" ", "\t", "\u00a0", "\u2009", "\u202f"}) {
      if (rest.starts_with(space)) {
        rest.remove_prefix(space.size());
        skipped = spaced = true;
      }
    }
  }
  if (rest.empty() || std::string_view("-:|/(.").find(rest.front()) != std::string_view::npos) {
    return true;
  }
  if (spaced && rest.front() == '"') return true;  // an opening quote; not "\"Corrected\" ..."
  for (std::string_view mark : {"\u2013", "\u2014", "\u00ab", "\u201c", "версия", "Версия",
                                "ВЕРСИЯ", "version", "Version", "VERSION"}) {
    if (rest.starts_with(mark)) return true;
  }
  return false;
}

}  // namespace

bool AnnouncesCorrection(std::string_view title) {
  // Cheap first: most titles open with no word of these letters.
  const size_t start = title.find_first_not_of(" \t\r\n\"'([*-");
  if (start == std::string_view::npos) return false;
  const std::string_view head = title.substr(start, 2);
  const bool latin_c = (head[0] | 0x20) == 'c';
  // И, и, Т, т in UTF-8: the first letters of the Russian and Kazakh words.
  const bool cyrillic =
      head == "\xD0\x98" || head == "\xD0\xB8" || head == "\xD0\xA2" || head == "\xD1\x82";
  if (!latin_c && !cyrillic) return false;
  static const std::array<uint64_t, 6> kWords = {
      HashToken("corrected"),    HashToken("correction"),  HashToken("исправлено"),
      HashToken("исправленная"), HashToken("исправление"), HashToken("тузетилди")};
  // The first word, folded as the tokenizer folds it (case, Kazakh letters).
  constexpr size_t kMaxWord = 64;
  const std::string folded = NormalizeForMatching(title.substr(start, kMaxWord));
  const std::string_view word = std::string_view(folded).substr(0, folded.find(' '));
  const uint64_t hash = HashToken(word);
  if (std::find(kWords.begin(), kWords.end(), hash) == kWords.end()) return false;
  return NoticeFollows(title.substr(start));
}

}  // namespace newsd::dedup
