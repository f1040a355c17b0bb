#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsd::dedup {

/// A text reduced to what matching needs: one 64-bit hash per normalised token, in order, with
/// the token positions where lines start. Reused across calls to avoid allocation.
struct TokenizedText {
  std::vector<uint64_t> tokens;  ///< xxh3 of each normalised token.
  /// Where the token is all digits: 1, or kNumberPart when it continues the number just before
  /// it across a '.' or ',' between digits ("12.35", "448,5", "1,234"); else 0.
  std::vector<uint8_t> is_number;
  static constexpr uint8_t kNumberPart = 2;
  /// The digits of each all-digit token, in token order: its index, its digits read as a
  /// decimal number (modulo 2^64) and how many there are. So "164,000" and "164000" can be
  /// read as one figure (Fingerprint::figures); "164 000" is one token, "164000", already.
  struct Digits {
    uint32_t token;
    uint32_t count;
    uint64_t value;
  };
  std::vector<Digits> digits;
  std::vector<uint32_t> line_starts;  ///< Index of the first token of each non-empty line.
  /// The word tokens whose first letter the text writes in upper case ("Almaty", "Алматы"),
  /// but for the first of a line (a sentence's first word), in token order: the token's index and a
  /// hash of its first kNamePrefix code points (normalised), so that "Sonora" and its misspelling
  /// "Sonoira", or "Алматы" and "Алматыда", read alike (Fingerprint::names).
  struct Capital {
    uint32_t token;
    uint32_t prefix;
  };
  static constexpr size_t kNamePrefix = 2;
  std::vector<Capital> capitals;
  std::vector<std::string> text;  ///< The tokens themselves (UTF-8), only when asked for.
  /// The tokens are a document's title's: its text had no words (set by the engine).
  bool from_title = false;
  /// The text ends with an ellipsis ("…", "..."): a snippet cut mid-sentence, whose last
  /// words may be the start of a run of names (Fingerprint::names leaves such a run out).
  bool cut = false;

  void Clear();
  /// Keeps the first `n` tokens (and what refers to them).
  void Truncate(size_t n);
  size_t LineCount() const { return line_starts.size(); }
  /// Token range [begin, end) of line `i`.
  uint32_t LineBegin(size_t i) const { return line_starts[i]; }
  uint32_t LineEnd(size_t i) const {
    return i + 1 < line_starts.size() ? line_starts[i + 1] : static_cast<uint32_t>(tokens.size());
  }
};

/// Normalises `text` for matching and splits it into tokens:
/// * HTML tags are removed (block tags such as <p>, <br>, <div>, <li> end a line) and
///   character entities decoded;
/// * every code point goes through FoldTable (NFKC, case folding, ё→е, Kazakh letters → base
///   Cyrillic);
/// * tokens are runs of letters and digits (numbers are kept; combining marks and format
///   characters such as soft hyphens are dropped without splitting); the numero sign is the
///   token "no" on its own ("№123" = "№ 123" = "No 123");
/// * in a token of both scripts, homoglyphs (a, e, o, p, c, x, y, i, k, m, t, h, b, ə and their
///   Cyrillic look-alikes) become the letters of one script: the only one that can read the
///   whole token; when both can, the script of most of its letters ("tоp" with a Cyrillic о
///   is "top"), and half and half ("tо"), that of the words before it;
/// * a few English wire abbreviations are canonicalised (million → mln, percent → pct, ...);
/// * attributions are dropped: the last clause of a line (after its last ',') when it has at
///   most 6 tokens and one of them is a reporting word (said, reported, according, сообщает,
///   передает, пишет, хабарлайды, хабарлады, ...: ", Reuters reported", ", деп хабарлайды
///   DKnews.kz"), and the clause before it when it is one too (", a spokesman said today,
///   Reuters reported"); or a whole line of at most 6 tokens holding one that is not the
///   text's first ("Об этом сообщает «Интерфакс»."); unless `attributions` is kKeep. A ',' or a
///   dash ("төрт жүз – бес жүз", a range) also ends a number read from words;
/// * with attributions dropped (matching), lines that are no part of the story go too: a line
///   after the first opening with a link to another story ("Read also:", "Читайте также:",
///   "Толығырақ:"), and a first line of at least 3 numbers alone ("02.03.2021 22:43", a time
///   stamp above the text) once another line follows it;
/// * with attributions dropped (matching), links (http://, https://, www.) and hashtags
///   ("#новости", after white space or a tag) are read as a space: outlets add their own.
///   Search (kKeep) keeps them.
/// Lines end at '\n', at block tags, and after a '.', '!' or '?' followed by white space (so
/// a line is at most a sentence: learned boilerplate works on lines), but for a '.' closing a
/// scale abbreviation that a lower-case word follows ("5 тыс. человек" reads as "5 тысяч
/// человек"). Invalid UTF-8 bytes act as
/// separators. Never fails.
enum class Attributions { kDrop, kKeep };
void Tokenize(std::string_view text, TokenizedText* out, bool keep_text = false,
              Attributions attributions = Attributions::kDrop);

/// The normalised tokens of `text` joined by single spaces, lines by '\n' (tests, "explain").
std::string NormalizeForMatching(std::string_view text);

/// NormalizeForMatching with attributions kept (Attributions::kKeep), and Latin letters with
/// diacritics as their base letters (LatinBase: "São" reads "sao"): what `search` compares,
/// so that "сообщает ТАСС" finds the items that say it, and "Nestle" finds "Nestlé".
std::string NormalizeForSearch(std::string_view text);

/// Hash of one normalised token given as UTF-8 (what Tokenize stores).
uint64_t HashToken(std::string_view token);

}  // namespace newsd::dedup
