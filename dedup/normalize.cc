#include "dedup/normalize.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <iterator>

#include "core/utf8.h"
#include "dedup/fold_table.h"
#include "dedup/html.h"
#include "dedup/links.h"
#include "dedup/token_builder.h"
#include "dedup/token_chars.h"

namespace newsd::dedup {
namespace {

// The abbreviations after numbers a '.' may close inside a sentence ("5 тыс. человек", "5 млн
// руб. в месяц").
constexpr std::string_view kScaleAbbreviations[] = {"тыс", "млн", "млрд", "трлн", "руб", "долл"};

// True when the '.' at `dot` closes a scale abbreviation that a lower-case word follows
// ("5 тыс. человек", "2 млн. рублей"): the sentence goes on.
[[gnu::noinline]] bool ClosesScaleAbbreviation(std::string_view text, size_t dot) {
  const bool abbreviation = std::any_of(
      std::begin(kScaleAbbreviations), std::end(kScaleAbbreviations), [&](std::string_view a) {
        if (dot < a.size() || text.substr(dot - a.size(), a.size()) != a) return false;
        if (dot == a.size()) return true;
        const auto before = static_cast<unsigned char>(text[dot - a.size() - 1]);
        const auto lower = static_cast<unsigned char>(before | 0x20);
        return before < 0x80 && !(lower >= 'a' && lower <= 'z');  // the whole word ("5тыс.")
      });
  if (!abbreviation) return false;
  size_t next = dot + 1;
  while (next < text.size() && (text[next] == ' ' || text[next] == '\t')) ++next;
  if (text.substr(next, 6) == "США") return true;  // "долл. США"
  if (next + 1 >= text.size()) return false;
  // A lower-case Cyrillic letter: а..п (D0 B0..BF) or р..я (D1 80..8F).
  const auto b0 = static_cast<unsigned char>(text[next]);
  const auto b1 = static_cast<unsigned char>(text[next + 1]);
  return (b0 == 0xD0 && b1 >= 0xB0 && b1 <= 0xBF) || (b0 == 0xD1 && b1 >= 0x80 && b1 <= 0x8F);
}

// True when the '.' at `dot` closes an English month's abbreviation that a day follows ("Dec.
// 6, 2026", "Sept. 30"): a wire dateline's date goes on.
bool ClosesMonthAbbreviation(std::string_view text, size_t dot) {
  static constexpr std::string_view kMonths[] = {"jan", "feb",  "mar", "apr", "aug",
                                                 "sep", "sept", "oct", "nov", "dec"};
  size_t next = dot + 1;
  while (next < text.size() && (text[next] == ' ' || text[next] == '\t')) ++next;
  if (next >= text.size() || text[next] < '0' || text[next] > '9') return false;
  return std::any_of(std::begin(kMonths), std::end(kMonths), [&](std::string_view m) {
    if (dot < m.size()) return false;
    for (size_t i = 0; i < m.size(); ++i) {
      if ((static_cast<unsigned char>(text[dot - m.size() + i]) | 0x20) != m[i]) return false;
    }
    if (dot == m.size()) return true;
    const auto before = static_cast<unsigned char>(text[dot - m.size() - 1]);
    const auto lower = static_cast<unsigned char>(before | 0x20);
    return before < 0x80 && !(lower >= 'a' && lower <= 'z');  // the whole word
  });
}

// True when a '.', '!' or '?' just before `next` ends a sentence: followed by white space or
// the end of the text (so "3.5", "e.g.x" and URLs do not split), unless it is a '.' closing a
// scale abbreviation that a lower-case word follows on the same line, or a month's that a day
// follows.
bool EndsSentence(std::string_view text, size_t next) {
  if (next == text.size()) return true;
  const char c = text[next];
  if (c == '\r' || c == '\n') return true;
  if (c != ' ' && c != '\t') return false;
  return text[next - 1] != '.' ||
         !(ClosesScaleAbbreviation(text, next - 1) || ClosesMonthAbbreviation(text, next - 1));
}

// True when text[pos] (a '.' or ',') has an ASCII digit on both sides: a decimal point or a
// thousands separator.
bool BetweenDigits(std::string_view text, size_t pos) {
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  return pos > 0 && digit(pos - 1) && digit(pos + 1);
}

// True when the code point that ends at `end` (a UTF-8 sequence of 2 or 3 bytes) is a letter
// of the Latin-1 supplement and beyond (Cyrillic, Kazakh, accented Latin).
bool PrecededByLetter(std::string_view text, size_t end) {
  size_t start = end;
  while (start > 0 && end - start < 4 &&
         (static_cast<unsigned char>(text[start - 1]) & 0xC0) == 0x80) {
    --start;
  }
  if (start == 0) return false;
  --start;  // the lead byte
  size_t at = start;
  const char32_t cp = DecodeUtf8(text, &at);
  return at == end && cp >= 0xC0 && ClassifyCodePoint(cp) == CharClass::kLetter;
}

// True when text[pos] (a '.') is a decimal point with no digits before it: a digit after it,
// and before it the start or anything but a letter, a digit or another '.' (".5", "$.75",
// "-.5", "(.3%)", "<p>.5", "“.5"); not "1.2.5", "v.5", "в.5" or an ellipsis before a number.
bool LeadsFraction(std::string_view text, size_t pos) {
  if (text[pos] != '.' || pos + 1 >= text.size() || text[pos + 1] < '0' || text[pos + 1] > '9') {
    return false;
  }
  if (pos == 0) return true;
  const auto before = static_cast<unsigned char>(text[pos - 1]);
  if (before < 0x80) return !IsAsciiAlnum(before) && before != '.';
  return !PrecededByLetter(text, pos);
}

// GroupsThousands (below) for white space that follows a digit.
[[gnu::noinline]] bool GroupsThousandsAfterDigit(std::string_view text, size_t pos, size_t length) {
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  size_t before = 0;
  while (before < 4 && before < pos && digit(pos - 1 - before)) ++before;
  if (before == 0 || before > 3) return false;
  if (pos > before) {
    // Not after a number's or a word's end ("1.500 000", "топ-5 100", "12:30 000", "в1 000").
    const size_t at = pos - 1 - before;
    const auto c = static_cast<unsigned char>(text[at]);
    if (c == '.' || c == ',' || c == '-' || c == ':' || c == '/' || IsAsciiAlnum(c)) return false;
    if (c >= 0x80 && PrecededByLetter(text, at + 1)) return false;
  }
  const size_t after = pos + length;
  if (!digit(after) || !digit(after + 1) || !digit(after + 2)) return false;
  if (after + 3 == text.size()) return true;
  // After the group: ASCII punctuation or space, or a no-break space, dash or quote (UTF-8
  // lead bytes C2 and E2); not a letter.
  const auto next = static_cast<unsigned char>(text[after + 3]);
  return next < 0x80 ? !IsAsciiAlnum(next) && next != '-' : next == 0xC2 || next == 0xE2;
}

// True when the `length` bytes of white space at `pos` group thousands: 1 to 3 digits before
// them (not part of a longer number), exactly 3 after, and no digit, letter or '-' after those
// ("164 000", "1 234 567" as Russian and Kazakh write them; not "2019 300" or "5 100-метровых").
// The common case, white space after a word, is decided inline.
inline bool GroupsThousands(std::string_view text, size_t pos, size_t length) {
  if (pos == 0 || text[pos - 1] < '0' || text[pos - 1] > '9') [[likely]]
    return false;
  return GroupsThousandsAfterDigit(text, pos, length);
}

// The length of the space at `pos` that may group digits: U+00A0, U+2009 or U+202F; else 0.
size_t GroupSpaceLength(std::string_view text, size_t pos) {
  if (pos > 0 && (text[pos - 1] < '0' || text[pos - 1] > '9')) return 0;  // after a digit only
  const std::string_view rest = text.substr(pos, 3);
  if (rest.starts_with("\xC2\xA0")) return 2;
  if (rest == "\xE2\x80\x89" || rest == "\xE2\x80\xAF") return 3;
  return 0;
}

// What the main loop of Tokenize does with a byte.
enum class ByteKind : uint8_t {
  kAlnum,      // ASCII letter or digit: a run of them.
  kSeparator,  // ASCII separator (space, punctuation other than below).
  kHigh,       // Start (or stray continuation) of a multi-byte UTF-8 sequence.
  kNewline,    // '\n': ends the line.
  kStop,       // '.', '!', '?': may end a sentence.
  kComma,      // ',': ends a clause (see TokenBuilder::EndClause).
  kTag,        // '<': maybe an HTML tag.
  kAmpersand,  // '&': maybe an entity or an escaped tag.
  kOther,      // Anything else (control characters, '%'): the general path.
};

struct AsciiTable {
  std::array<char32_t, 128> folded;
  std::array<CharClass, 128> cls;
  std::array<ByteKind, 256> kind;
  AsciiTable() {
    for (char32_t c = 0; c < 128; ++c) {
      folded[c] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
      cls[c] = ClassifyCodePoint(c);
      kind[c] = cls[c] == CharClass::kLetter || cls[c] == CharClass::kDigit ? ByteKind::kAlnum
                : cls[c] == CharClass::kSeparator                           ? ByteKind::kSeparator
                                                                            : ByteKind::kOther;
    }
    for (int c = 128; c < 256; ++c) kind[c] = ByteKind::kHigh;
    kind['\n'] = ByteKind::kNewline;
    kind['.'] = kind['!'] = kind['?'] = ByteKind::kStop;
    kind[','] = ByteKind::kComma;
    kind['%'] = ByteKind::kOther;  // Read as a word: see Tokenize.
    kind['<'] = ByteKind::kTag;
    kind['&'] = ByteKind::kAmpersand;
  }
};

void AddCodePoint(const FoldTable& table, char32_t cp, TokenBuilder* builder) {
  builder->NoteOriginal(cp);
  FoldedChar one;
  if (table.FoldSingle(cp, &one)) [[likely]] {
    builder->Add(one.cp, one.cls);
    return;
  }
  FoldedChar folded[4];
  int n = table.Fold(cp, folded);
  for (int i = 0; i < n; ++i) builder->Add(folded[i].cp, folded[i].cls);
}

// A hyphen or dash (U+2010-U+2015) ends any number being read, as in a range "400 – 500";
// any other code point is added.
void AddCodePointOrDash(const FoldTable& table, char32_t cp, TokenBuilder* builder) {
  if (cp >= 0x2010 && cp <= 0x2015) {
    builder->EndNumber();
    return;
  }
  AddCodePoint(table, cp, builder);
}

}  // namespace

void TokenizedText::Clear() {
  tokens.clear();
  is_number.clear();
  digits.clear();
  line_starts.clear();
  capitals.clear();
  text.clear();
  from_title = false;
  cut = false;
}

void TokenizedText::Truncate(size_t n) {
  tokens.resize(n);
  is_number.resize(n);
  while (!digits.empty() && digits.back().token >= n) digits.pop_back();
  while (!capitals.empty() && capitals.back().token >= n) capitals.pop_back();
  if (text.size() > n) text.resize(n);
}

uint64_t HashToken(std::string_view token) {
  uint8_t padded[kMaxTokenBytes + 8];
  if (token.size() > kMaxTokenBytes) {  // Not made by Tokenize: hash a padded copy.
    std::string copy(token);
    copy.append(8, '\0');
    return HashPadded(reinterpret_cast<const uint8_t*>(copy.data()), token.size());
  }
  std::memcpy(padded, token.data(), token.size());
  return HashPadded(padded, token.size());
}

namespace {

// True when the text ends with an ellipsis ("…", "...", "&hellip;", "&#8230;", "&#x2026;"),
// white space, closing brackets and quotes ("[…]", "…»") and end tags ("…</p>") aside: an RSS
// snippet cut mid-sentence.
bool EndsCut(std::string_view text) {
  static constexpr std::string_view kClosers[] = {
      " ", "\n", "\r", "\t", "]", ")", "\"", "'", "\u00BB", "\u201D", "\u2019", "\u00A0"};
  static constexpr std::string_view kEllipses[] = {"\u2026", "...", "&hellip;", "&#8230;",
                                                   "&#x2026;"};
  // A link an outlet puts after the cut ("и… Подробнее", "... Read more").
  static constexpr std::string_view kReadMore[] = {
      "Подробнее", "подробнее", "Читать далее",     "читать далее", "Читать полностью", "Read more",
      "read more", "Read More", "Continue reading", "Толығырақ",    "толығырақ"};
  // Its last bytes only: linear in what is looked at, whatever the text ends with.
  constexpr size_t kTail = 256;
  if (text.size() > kTail) text.remove_prefix(text.size() - kTail);
  // As text.ends_with(s) (s not empty), the last bytes compared first: most texts end with
  // none of these, and a call of memcmp per string cost more than the rest of this function.
  auto ends_with = [&text](std::string_view s) {
    return !text.empty() && text.back() == s.back() && text.ends_with(s);
  };
  for (bool trimmed = true; trimmed && !text.empty();) {
    trimmed = false;
    for (std::string_view closer : kClosers) {
      if (ends_with(closer)) {
        text.remove_suffix(closer.size());
        trimmed = true;
      }
    }
    for (std::string_view more : kReadMore) {
      if (ends_with(more)) {
        text.remove_suffix(more.size());
        trimmed = true;
      }
    }
    // A tag: "…</p>", a <br/>, the link around a read-more ("… <a href=...>Read more</a>").
    if (text.ends_with('>')) {
      if (const size_t open = text.rfind('<'); open != std::string_view::npos) {
        text = text.substr(0, open);
        trimmed = true;
      }
    }
  }
  return std::any_of(std::begin(kEllipses), std::end(kEllipses), ends_with);
}

}  // namespace

// One function with one loop and a switch, not a step function per kind of byte: split
// that way (always inlined) the loop ran 4 % more instructions (callgrind).
void Tokenize(std::string_view text, TokenizedText* out, bool keep_text,
              Attributions attributions) {
  static const AsciiTable kAscii;
  static const TwoByteTable kTwoByte;
  const FoldTable& table = FoldTable::Get();
  thread_local std::string cleaned;
  if (attributions == Attributions::kDrop) text = WithoutLinksAndHashtags(text, &cleaned);
  out->Clear();
  TokenBuilder builder(out, keep_text, attributions);
  RawTextMisses raw_text_misses;
  size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    switch (kAscii.kind[c]) {
      case ByteKind::kAlnum:
        pos = builder.AddAsciiRun(text, pos);
        // Words apart by one separator (a space, mostly) without going round the switch.
        while (pos + 1 < text.size() &&
               kAscii.kind[static_cast<unsigned char>(text[pos])] == ByteKind::kSeparator &&
               kAscii.kind[static_cast<unsigned char>(text[pos + 1])] == ByteKind::kAlnum) {
          // A space grouping thousands ("164 000") goes: the digits read as "164000".
          if (text[pos] != ' ' || !GroupsThousands(text, pos, 1)) builder.EndToken();
          pos = builder.AddAsciiRun(text, pos + 1);
        }
        continue;
      case ByteKind::kSeparator:
        if (c == ' ' && GroupsThousands(text, pos, 1)) {  // "164 000" reads as "164000"
          ++pos;
          continue;
        }
        c == '-' ? builder.EndNumber() : builder.EndToken();
        ++pos;
        continue;
      case ByteKind::kHigh: {
        // A no-break or thin space between digit groups ("164\u00a0000", "164\u2009000"):
        // the digits read as one number, "164000".
        if (const size_t n = GroupSpaceLength(text, pos); n > 0 && GroupsThousands(text, pos, n)) {
          pos += n;
          continue;
        }
        // Two-byte sequences (Cyrillic, Latin-1) are the common case: decode them inline.
        const size_t end = builder.AddTwoByteRun(kTwoByte, text, pos);
        if (end != pos) {
          pos = end;
          continue;
        }
        AddCodePointOrDash(table, DecodeUtf8(text, &pos), &builder);
        continue;
      }
      case ByteKind::kNewline:
        builder.EndLine();
        ++pos;
        continue;
      case ByteKind::kStop:
        // Sentences count as lines (boilerplate is learned per line).
        EndsSentence(text, pos + 1) ? builder.EndLine() : builder.EndToken();
        if (BetweenDigits(text, pos)) {
          builder.JoinNextNumber();  // "12.35"
        } else if (LeadsFraction(text, pos)) {
          builder.AddLeadingZero();  // ".5 million" as "0.5 million"
        }
        ++pos;
        continue;
      case ByteKind::kComma:
        builder.EndClause();
        if (BetweenDigits(text, pos)) builder.JoinNextNumber(/*comma=*/true);  // "448,5", "1,234"
        ++pos;
        continue;
      case ByteKind::kTag: {
        bool line_break = false;
        if (SkipHtmlTag(text, &pos, &line_break, &raw_text_misses)) {
          line_break ? builder.EndLine() : builder.EndToken();
          continue;
        }
        break;
      }
      case ByteKind::kAmpersand: {
        bool line_break = false;
        if (SkipEscapedHtmlTag(text, &pos, &line_break, &raw_text_misses)) {
          line_break ? builder.EndLine() : builder.EndToken();
          continue;
        }
        char32_t cp = 0;
        const size_t entity = pos;
        if (DecodeHtmlEntity(text, &pos, &cp)) {
          // "8&nbsp;000": a space grouping thousands, as the character itself.
          if ((cp == 0xA0 || cp == 0x2009 || cp == 0x202F) &&
              GroupsThousands(text, entity, pos - entity)) {
            continue;
          }
          AddCodePointOrDash(table, cp, &builder);  // "&ndash;" is a dash too
          continue;
        }
        break;
      }
      case ByteKind::kOther:
        break;
    }
    c == '%' ? builder.AddPercentSign() : builder.Add(kAscii.folded[c], kAscii.cls[c]);
    ++pos;
  }
  builder.EndLine();
  out->cut = EndsCut(text);
}

namespace {

std::string Normalize(std::string_view text, Attributions attributions) {
  TokenizedText tokens;
  Tokenize(text, &tokens, /*keep_text=*/true, attributions);
  std::string result;
  size_t line = 0;
  for (size_t i = 0; i < tokens.text.size(); ++i) {
    if (i > 0) {
      bool new_line = line + 1 < tokens.LineCount() && tokens.LineBegin(line + 1) == i;
      if (new_line) ++line;
      result += new_line ? '\n' : ' ';
    }
    result += tokens.text[i];
  }
  return result;
}

}  // namespace

std::string NormalizeForMatching(std::string_view text) {
  return Normalize(text, Attributions::kDrop);
}

std::string NormalizeForSearch(std::string_view text) {
  const std::string normalized = Normalize(text, Attributions::kKeep);
  // Accents are no part of what a searcher types: "Sao Paulo" finds "São Paulo", and "café"
  // finds "cafe" (Latin letters only: "й" is a letter of its own, and ё is е already).
  std::string out;
  out.reserve(normalized.size());
  for (size_t i = 0; i < normalized.size();) {
    if (static_cast<unsigned char>(normalized[i]) < 0x80) {
      out += normalized[i++];
      continue;
    }
    const size_t start = i;
    const char32_t cp = DecodeUtf8(normalized, &i);
    const char32_t base = LatinBase(cp);
    if (base == cp) {
      out.append(normalized, start, i - start);
    } else {
      AppendUtf8(base, &out);
    }
  }
  return out;
}

}  // namespace newsd::dedup
