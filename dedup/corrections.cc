#include "dedup/corrections.h"

#include <array>

#include "dedup/normalize.h"

namespace newsd::dedup {

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
  for (uint64_t w : kWords) {
    if (w == hash) return true;
  }
  return false;
}

}  // namespace newsd::dedup
