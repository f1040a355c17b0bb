#include "dedup/normalize.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <array>

#include "dedup/fold_table.h"
#include "dedup/html.h"
#include "dedup/number_words.h"

namespace newsd::dedup {
namespace {

bool IsCyrillic(char32_t cp) { return cp >= 0x400 && cp <= 0x52F; }
// 1 for ASCII letters, 2 for digits, 0 otherwise.
constexpr std::array<uint8_t, 256> kAsciiAlnum = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = 2;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 'a' + 'A'] = 1;
  return t;
}();
bool IsLatin(char32_t cp) { return (cp >= 'a' && cp <= 'z') || cp == 0x259; }

// Latin letters that look like (folded) Cyrillic ones.
char32_t CyrillicLookalike(char32_t cp) {
  switch (cp) {
    case 'a':
      return U'а';
    case 'b':
      return U'в';
    case 'c':
      return U'с';
    case 'e':
      return U'е';
    case 'h':
      return U'н';
    case 'i':
      return U'и';  // і (folded to и) written as Latin i.
    case 'k':
      return U'к';
    case 'm':
      return U'м';
    case 'o':
      return U'о';
    case 'p':
      return U'р';
    case 't':
      return U'т';
    case 'x':
      return U'х';
    case 'y':
      return U'у';
    case 0x259:
      return U'а';  // ə for ә (folded to а).
    default:
      return cp;
  }
}

// Wire-service abbreviations and their spelled-out forms map to one token.
const std::array<std::pair<std::u32string_view, std::u32string_view>, 8> kAbbreviations = {{
    {U"million", U"mln"},
    {U"billion", U"bln"},
    {U"percent", U"pct"},
    {U"dollars", U"dlrs"},
    {U"dollar", U"dlr"},
    {U"thousand", U"thous"},
    {U"trillion", U"trln"},
    {U"cents", U"cts"},
}};

// Builds tokens from folded code points and appends them to a TokenizedText.
class TokenBuilder {
 public:
  TokenBuilder(TokenizedText* out, bool keep_text) : out_(out), keep_text_(keep_text) {}

  void Add(char32_t cp, CharClass cls) {
    switch (cls) {
      case CharClass::kLetter:
        if (IsCyrillic(cp)) ++cyrillic_;
        if (IsLatin(cp)) ++latin_;
        Append(cp);
        return;
      case CharClass::kDigit:
        ++digits_;
        Append(cp);
        return;
      case CharClass::kIgnore:
        return;
      case CharClass::kSeparator:
        EndToken();
        return;
    }
  }

  // The run of ASCII letters and digits at text[pos] (the common case, without per-character
  // dispatch); returns the position after it.
  size_t AddAsciiRun(std::string_view text, size_t pos) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const size_t size = text.size();
    char32_t* token = token_;
    size_t n = 0, digits = 0, length = length_;  // Locals: kept in registers.
    for (; pos < size; ++pos, ++n) {
      const unsigned char c = p[pos];
      const uint8_t cls = kAsciiAlnum[c];  // 0 other, 1 letter, 2 digit.
      if (cls == 0) break;
      token[length] = c | (c >= 'A' ? 0x20 : 0);  // Lower case (digits are below 'A').
      length += length < kMaxToken;               // Past the limit, the spare cell takes the write.
      digits += cls >> 1;
    }
    length_ = length;
    digits_ += digits;
    latin_ += n - digits;
    total_ += n;
    return pos;
  }

  // The run of two-byte UTF-8 sequences at text[pos] that fold to one code point each
  // (Cyrillic text); returns the position after it.
  size_t AddTwoByteRun(const FoldTable& table, std::string_view text, size_t pos) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    while (pos + 1 < text.size() && p[pos] >= 0xC2 && p[pos] < 0xE0 &&
           (p[pos + 1] & 0xC0) == 0x80) {
      const char32_t cp = (static_cast<char32_t>(p[pos] & 0x1F) << 6) | (p[pos + 1] & 0x3F);
      FoldedChar folded;
      if (!table.FoldSingle(cp, &folded)) break;
      Add(folded.cp, folded.cls);
      pos += 2;
    }
    return pos;
  }

  void EndLine() {
    EndToken();
    FlushNumber();
    line_open_ = false;
  }

  void EndToken() {
    if (length_ == 0) return;
    if (latin_ > 0 && cyrillic_ >= latin_) {
      for (size_t i = 0; i < length_; ++i) token_[i] = CyrillicLookalike(token_[i]);
    }
    std::u32string_view view(token_, length_);
    if (cyrillic_ == 0 && digits_ == 0 && view.size() >= 5 && view.size() <= 8) {
      for (const auto& [full, abbrev] : kAbbreviations) {
        if (view == full) view = abbrev;
      }
    }
    std::u32string_view suffix;
    if (cyrillic_ > 0 && digits_ == 0 && numbers_.Offer(view, &suffix)) {
      if (!suffix.empty()) {
        FlushNumber();
        Emit(suffix, false);
      }
    } else {
      FlushNumber();
      Emit(view, digits_ == total_);
    }
    length_ = total_ = 0;
    cyrillic_ = latin_ = digits_ = 0;
  }

 private:
  // Tokens longer than this (URLs, junk) are matched on their first kMaxToken code points.
  static constexpr size_t kMaxToken = 64;

  void Append(char32_t cp) {
    if (length_ < kMaxToken) token_[length_++] = cp;
    ++total_;
  }

  void FlushNumber() {
    if (numbers_.pending()) Emit(numbers_.Flush(), true);
  }

  void Emit(std::u32string_view token, bool is_number) {
    if (!line_open_) {
      out_->line_starts.push_back(static_cast<uint32_t>(out_->tokens.size()));
      line_open_ = true;
    }
    out_->tokens.push_back(HashToken(token));
    out_->is_number.push_back(is_number ? 1 : 0);
    if (keep_text_) out_->text.emplace_back(token);
  }

  TokenizedText* out_;
  NumberWords numbers_;
  bool keep_text_;
  bool line_open_ = false;
  char32_t token_[kMaxToken + 1];  // One spare cell for AddAsciiRun.
  size_t length_ = 0, total_ = 0;
  size_t cyrillic_ = 0, latin_ = 0, digits_ = 0;
};

// Decodes one UTF-8 sequence at s[*pos]; returns U+FFFD-like separator (0) when invalid.
char32_t DecodeUtf8(std::string_view s, size_t* pos) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(*pos);
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || *pos + len > s.size()) {
    ++*pos;
    return 0;
  }
  char32_t cp = c & (0x7F >> len);
  for (int i = 1; i < len; ++i) {
    unsigned char cc = b(*pos + i);
    if ((cc & 0xC0) != 0x80) {
      ++*pos;
      return 0;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *pos += len;
  return cp;
}

struct AsciiTable {
  std::array<char32_t, 128> folded;
  std::array<CharClass, 128> cls;
  AsciiTable() {
    for (char32_t c = 0; c < 128; ++c) {
      folded[c] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
      cls[c] = ClassifyCodePoint(c);
    }
  }
};

void AddCodePoint(const FoldTable& table, char32_t cp, TokenBuilder* builder) {
  FoldedChar one;
  if (table.FoldSingle(cp, &one)) [[likely]] {
    builder->Add(one.cp, one.cls);
    return;
  }
  FoldedChar folded[4];
  int n = table.Fold(cp, folded);
  for (int i = 0; i < n; ++i) builder->Add(folded[i].cp, folded[i].cls);
}

}  // namespace

void TokenizedText::Clear() {
  tokens.clear();
  is_number.clear();
  line_starts.clear();
  text.clear();
}

uint64_t HashToken(std::u32string_view token) {
  return XXH3_64bits(token.data(), token.size() * sizeof(char32_t));
}

void Tokenize(std::string_view text, TokenizedText* out, bool keep_text) {
  static const AsciiTable ascii;
  const FoldTable& table = FoldTable::Get();
  out->Clear();
  TokenBuilder builder(out, keep_text);
  size_t pos = 0;
  while (pos < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c >= 0x80) {
      // Two-byte sequences (Cyrillic, Latin-1) are the common case: decode them inline.
      const size_t end = builder.AddTwoByteRun(table, text, pos);
      if (end != pos) {
        pos = end;
        continue;
      }
      char32_t cp = DecodeUtf8(text, &pos);
      AddCodePoint(table, cp, &builder);
      continue;
    }
    if (c == '\n') {
      builder.EndLine();
    } else if (c == '<') {
      bool line_break = false;
      if (SkipHtmlTag(text, &pos, &line_break)) {
        line_break ? builder.EndLine() : builder.EndToken();
        continue;
      }
    } else if (c == '&') {
      bool line_break = false;
      if (SkipEscapedHtmlTag(text, &pos, &line_break)) {
        line_break ? builder.EndLine() : builder.EndToken();
        continue;
      }
      char32_t cp = 0;
      if (DecodeHtmlEntity(text, &pos, &cp)) {
        AddCodePoint(table, cp, &builder);
        continue;
      }
    }
    if (ascii.cls[c] == CharClass::kLetter || ascii.cls[c] == CharClass::kDigit) {
      pos = builder.AddAsciiRun(text, pos);
      continue;
    }
    builder.Add(ascii.folded[c], ascii.cls[c]);
    ++pos;
  }
  builder.EndLine();
}

std::string NormalizeForMatching(std::string_view text) {
  TokenizedText tokens;
  Tokenize(text, &tokens, /*keep_text=*/true);
  std::string result;
  size_t line = 0;
  for (size_t i = 0; i < tokens.text.size(); ++i) {
    if (i > 0) {
      bool new_line = line + 1 < tokens.LineCount() && tokens.LineBegin(line + 1) == i;
      if (new_line) ++line;
      result += new_line ? '\n' : ' ';
    }
    for (char32_t cp : tokens.text[i]) {
      char buf[4];
      int n = 0;
      if (cp < 0x80) {
        buf[n++] = static_cast<char>(cp);
      } else if (cp < 0x800) {
        buf[n++] = static_cast<char>(0xC0 | (cp >> 6));
        buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        buf[n++] = static_cast<char>(0xE0 | (cp >> 12));
        buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        buf[n++] = static_cast<char>(0xF0 | (cp >> 18));
        buf[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
      }
      result.append(buf, n);
    }
  }
  return result;
}

}  // namespace newsd::dedup
