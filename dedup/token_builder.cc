// TokenBuilder's rare paths (token_builder.h): percent words, look-alike letters,
// attributions and lines that are no part of the story; its numbers and the unusual tokens
// that may hold one are token_builder_numbers.cc's. Out of line, so that the hot per-token path
// stays small.
#include "dedup/token_builder.h"

#include <utility>

namespace newsd::dedup {

void TokenBuilder::AddPercentSign() {
  EndToken();
  FlushNumber();
  EmitWord(kPercentToken);
}

void TokenBuilder::EndNumber() {
  EndToken();
  FlushNumber();
  run_token_ = kNoDigits;  // "2 млн – 500 тыс" is a range, no figure.
}

void TokenBuilder::EndCent(uint64_t hash) {
  static const uint64_t kPer = HashToken("per");
  // "per" just before it, in the same line and clause ("per, cent" is no "per cent").
  const size_t n = out_->tokens.size();
  const bool after_per = line_open_ && n > out_->line_starts.back() && clause_start_ != n &&
                         out_->tokens.back() == kPer;
  FlushNumber();
  if (after_per) {
    DropLastToken();
    EmitWord(kPercentToken);
  } else {
    Emit(hash, false, View());
  }
  Reset();
}

std::string_view TokenBuilder::CurrencyAfterNumber(std::string_view word) {
  // Russian currency words after a number and their abbreviations ("5 млн рублей", "5 млн
  // руб."): the short form.
  static constexpr std::pair<std::string_view, std::string_view> kCurrencies[] = {
      {"рубль", "руб"},   {"рубля", "руб"},    {"рублей", "руб"},    {"руб", "руб"},
      {"доллар", "долл"}, {"доллара", "долл"}, {"долларов", "долл"}, {"долл", "долл"}};
  for (const auto& [name, short_form] : kCurrencies) {
    if (word == name) return short_form;
  }
  return word;
}

bool TokenBuilder::AddPercentWord(std::string_view token) {
  // Russian or Kazakh "процент" (a Russian ending dropped), or Kazakh "пайыз".
  const bool russian_stem = token.starts_with(kPercentWord);
  if (!russian_stem && !token.starts_with(kKazakhPercentWord)) return false;
  const std::string_view ending =
      token.substr(russian_stem ? kPercentWord.size() : kKazakhPercentWord.size());
  const bool russian =
      russian_stem && std::find(kRussianPercentEndings.begin(), kRussianPercentEndings.end(),
                                ending) != kRussianPercentEndings.end();
  if (!russian && !ending.empty() && !IsKazakhNumeralEnding(ending)) return false;
  FlushNumber();
  EmitWord(kPercentToken);
  if (!russian && !ending.empty()) EmitWord(ending);
  return true;
}

bool TokenBuilder::DropAttribution() {
  const size_t end = out_->tokens.size();
  const size_t line = out_->line_starts.back();
  size_t from = end;
  if (clause_start_ != kNoClause && clause_start_ > line && IsAttribution(clause_start_, end)) {
    from = clause_start_;
    // Two of them: "..., a government spokesman said today, Reuters reported."
    if (previous_clause_ != kNoClause && previous_clause_ > line &&
        IsAttribution(previous_clause_, from)) {
      from = previous_clause_;
    }
  } else if (out_->line_starts.size() > 1 && IsAttribution(line, end)) {
    from = line;
  }
  if (from == end) return false;
  DropFrom(from);
  return from == line;
}

void TokenBuilder::DropFrom(size_t from) {
  const size_t line = out_->line_starts.back();
  out_->Truncate(from);
  if (from == line) out_->line_starts.pop_back();
}

void TokenBuilder::DropMetaLine() {
  const size_t line = out_->line_starts.back();
  const size_t count = out_->tokens.size() - line;
  if (out_->line_starts.size() == 1) {
    stamp_line_ =
        count >= kMinStampTokens && std::all_of(out_->is_number.begin(), out_->is_number.end(),
                                                [](uint8_t n) { return n != 0; });
  } else if (RelatedLinkMarkers::Get().Opens(out_->tokens.data() + line, count)) {
    DropFrom(line);
  }
}

void TokenBuilder::DropStampLine() {
  stamp_line_ = false;
  DropFrom(0);
}

bool TokenBuilder::IsAttribution(size_t begin, size_t end) const {
  if (end - begin > kMaxAttribution || !HasReportingWord(begin, end)) return false;
  return std::all_of(out_->is_number.begin() + static_cast<std::ptrdiff_t>(begin),
                     out_->is_number.begin() + static_cast<std::ptrdiff_t>(end),
                     [](uint8_t n) { return n == 0; });
}

bool TokenBuilder::HasReportingWord(size_t begin, size_t end) const {
  const ReportingWords& words = ReportingWords::Get();
  for (size_t i = begin; i < end; ++i) {
    if (words.Contains(out_->tokens[i])) return true;
  }
  return false;
}

template <class Visit>
void TokenBuilder::ForEachCodePoint(Visit visit) const {
  const std::string_view token = View();
  for (size_t pos = 0; pos < token.size();) {
    const auto c = static_cast<unsigned char>(token[pos]);
    visit(c < 0x80 ? static_cast<char32_t>(token[pos++]) : DecodeUtf8(token, &pos));
  }
}

void TokenBuilder::ComposeMark(char32_t mark) {
  if (total_ != chars_) return;  // A letter read was not kept (a token past kMaxToken).
  size_t start = bytes_ - 1;
  while (start > 0 && (buffer_[start] & 0xC0) == 0x80) --start;
  size_t end = start;
  const char32_t base = buffer_[start] < 0x80 ? buffer_[start] : DecodeUtf8(View(), &end);
  const char32_t composed = ComposeFolded(base, mark);
  if (composed == 0 || composed == base) return;
  bytes_ = start + EncodeUtf8(composed, reinterpret_cast<char*>(buffer_ + start));
}

void TokenBuilder::FoldMixedScripts() {
  bool latin_only = false, cyrillic_only = false;  // A letter without a look-alike.
  size_t latin_i = 0;
  ForEachCodePoint([&](char32_t cp) {
    latin_only |= IsLatin(cp) && CyrillicLookalike(cp) == cp;
    cyrillic_only |= IsCyrillic(cp) && LatinLookalike(cp) == cp;
    latin_i += cp == 'i' || cp == 0x131;
  });
  // A word either script reads ("tоp", "thе" with a Cyrillic о or е; "сoк" with a Latin o)
  // goes to the script of most of its letters, a Latin i not counted (typed for Kazakh і:
  // "iрi", or a dotless ı); half and half ("tо"), to that of the words before it.
  const bool either = !latin_only && !cyrillic_only;
  const size_t not_i = latin_ - latin_i;
  const bool to_cyrillic = either ? (cyrillic_ != not_i ? cyrillic_ > not_i : !latin_context_)
                                  : !latin_only || (cyrillic_only && cyrillic_ >= latin_);
  const bool to_latin = !to_cyrillic && !cyrillic_only;
  if (!to_cyrillic && !to_latin) return;
  uint8_t folded[sizeof(buffer_)];
  size_t n = 0;
  size_t cyrillic = 0, latin = 0;
  ForEachCodePoint([&](char32_t cp) {
    cp = to_cyrillic ? CyrillicLookalike(cp) : LatinLookalike(cp);
    cyrillic += IsCyrillic(cp);
    latin += IsLatin(cp);
    n += EncodeUtf8(cp, reinterpret_cast<char*>(folded + n));
  });
  std::copy(folded, folded + n, buffer_);
  bytes_ = n;
  cyrillic_ = cyrillic;
  latin_ = latin;
}

void TokenBuilder::AddDigits(std::string_view token) {
  uint64_t value = 0;
  for (char c : token) value = value * 10 + static_cast<uint8_t>(c - '0');
  out_->digits.push_back(
      {static_cast<uint32_t>(out_->tokens.size() - 1), static_cast<uint32_t>(token.size()), value});
}

void TokenBuilder::EmitWord(std::string_view word) { Emit(HashToken(word), false, word); }

namespace {

// The names a Kazakh or Russian text abbreviates as a capital pair, as their full name's
// prefix: «Минздрава РК» is «Министерства здравоохранения Казахстана» («Казахстан»), «РФ» is
// «Россия». Two abbreviations still differ (РК, РФ), as do an abbreviation and another name.
std::string_view ExpandedAbbreviation(std::string_view token) {
  if (token == "рк") return "ка";
  if (token == "рф") return "ро";
  return token;
}

}  // namespace

void TokenBuilder::AddCapital(std::string_view token) {
  token = ExpandedAbbreviation(token);
  size_t bytes = 0;
  for (size_t n = 0; n < TokenizedText::kNamePrefix && bytes < token.size(); ++n) {
    const auto lead = static_cast<unsigned char>(token[bytes]);
    bytes += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  }
  bytes = std::min({bytes, token.size(), size_t{8}});  // letters of 1 or 2 bytes fit in 8
  uint64_t head = 0;
  std::memcpy(&head, token.data(), bytes);
  head *= 0x9E3779B97F4A7C15ULL;  // Spread the bytes over the top bits, then fold them down.
  out_->capitals.push_back(
      {static_cast<uint32_t>(out_->tokens.size() - 1), static_cast<uint32_t>((head >> 32) ^ head)});
}

}  // namespace newsd::dedup
