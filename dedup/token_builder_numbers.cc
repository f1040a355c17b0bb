// TokenBuilder's numbers (token_builder.h): the digits just emitted and the scale word after
// them ("1.5 million", "2млн", "12,500 million"), number words ("forty-two", "two hundred and
// five", "one million") and the figure written out in parts ("three million two hundred
// thousand"), and the unusual tokens that may hold one (EndUnusualToken). Out of line, as the
// rest of TokenBuilder's rare paths (token_builder.cc).
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dedup/token_builder.h"

namespace newsd::dedup {

bool TokenBuilder::SplitScaleSuffix() {
  static constexpr std::pair<std::string_view, std::string_view> kScales[] = {
      {"m", "mln"},   {"mn", "mln"},      {"mln", "mln"},       {"million", "mln"},
      {"bn", "bln"},  {"billion", "bln"}, {"trillion", "trln"}, {"bln", "bln"},
      {"tn", "trln"}, {"trn", "trln"},    {"trln", "trln"}};
  const std::string_view token = View();
  if (bytes_ != total_ || token.size() > digits_ + 8) return false;
  for (size_t i = 0; i < digits_; ++i) {
    if (token[i] < '0' || token[i] > '9') return false;
  }
  const std::string_view suffix = token.substr(digits_);
  const auto* scale = std::find_if(std::begin(kScales), std::end(kScales),
                                   [&](const auto& s) { return s.first == suffix; });
  if (scale == std::end(kScales)) return false;
  FlushNumber();
  const std::string_view digits = token.substr(0, digits_);
  const uint64_t hash = HashToken(digits);
  Emit(hash, true, digits);
  NoteDigits(digits, hash);
  const Abbreviations::Entry* a = abbreviations_.Find(HashToken(scale->second));
  if (a == nullptr || !ScaleDigits(a->scale)) EmitWord(scale->second);
  return true;
}

namespace {

// True when number word `w` continues the number `before` read from number words just before
// it: a unit after tens ("forty-two", "сорок два"), tens or a unit after hundreds ("сто
// двадцать", "сто пять"). Not "ten two", "twenty thirty".
bool ContinuesNumber(uint64_t before, uint64_t w) {
  if (before >= 1000) return false;
  if (w < 10) return before >= 20 && before % 10 == 0;
  if (w < 100) return before >= 100 && before % 100 == 0;
  return false;
}

}  // namespace

bool TokenBuilder::AfterHundredsAnd(uint64_t w) const {
  static const uint64_t kAnd = HashToken("and");
  const size_t n = out_->tokens.size();
  return line_open_ && n >= 2 && !numbers_.pending() && number_word_token_ == n - 2 &&
         digits_token_ == n - 2 && out_->tokens[n - 2] == digits_hash_ &&
         out_->tokens[n - 1] == kAnd && (clause_start_ == kNoClause || clause_start_ <= n - 2) &&
         w < 100 && digits_value_ >= 100 && digits_value_ < 1000 && digits_value_ % 100 == 0;
}

void TokenBuilder::EndNumberWord(const Abbreviations::Entry& a) {
  // Hundreds after a scale word, and the tens and units after them: Russian in the run of
  // the scale ("две тысячи пятьсот" = 2500), English in the figure ("one thousand two
  // hundred fifty" = "1,250").
  if (!a.tenths && (numbers_.pending() ? numbers_.AddBelowScale(a.number)
                                       : figure_begin_ != kNoDigits && ExtendFigure(a.number))) {
    Reset();
    return;
  }
  const size_t n = out_->tokens.size();
  const bool continues = !numbers_.pending() && n > 0 && number_word_token_ == n - 1 &&
                         FollowsDigits() && ContinuesNumber(digits_value_, a.number);
  const bool after_and = !continues && !a.tenths && AfterHundredsAnd(a.number);
  FlushNumber();
  // "one of", "no one", "одна из", "полтора года": a word, unless a scale follows ("one
  // million", "полтора миллиона").
  if ((a.after_tens_only && !continues && !after_and) || a.tenths) {
    Emit(a.full, false, View());
    lone_word_token_ = out_->tokens.size() - 1;
    lone_word_tenths_ = a.tenths ? a.number : uint16_t{10} * a.number;
    Reset();
    return;
  }
  uint64_t value = a.number;
  // A sum across "and" ("two hundred and five", "... and twenty-five"): its two parts.
  const bool and_sum = after_and || (continues && and_token_ == n - 1);
  const uint64_t head = after_and ? digits_value_ : and_head_;
  const uint64_t tail = after_and ? a.number : and_tail_ + a.number;
  if (continues || after_and) {
    value += digits_value_;
    if (after_and) DropLastToken();  // "and"
    DropLastToken();
  }
  EmitNumber(value);
  if (and_sum) {
    and_token_ = out_->tokens.size() - 1;
    and_head_ = head;
    and_tail_ = tail;
  }
  Reset();
}

void TokenBuilder::EmitNumber(uint64_t value) {
  const std::string digits = std::to_string(value);
  const uint64_t hash = HashToken(digits);
  Emit(hash, true, digits);
  NoteDigits(digits, hash);  // a scale may follow: "two billion", "три тысячи"
  number_word_token_ = out_->tokens.size() - 1;
}

bool TokenBuilder::SplitAndSum(uint64_t scale) {
  static const std::string_view kAndWord = "and";
  const size_t n = out_->tokens.size();
  uint64_t tail = 0;
  if (FollowsFigure() && figure_and_ != 0) {
    // "one thousand two hundred and five" + "thousand": 1,200 and 5,000.
    if (scale != 100 && figure_low_ * scale < figure_scale_) return false;
    tail = figure_and_;
    ReplaceFigure(figure_value_ - tail, figure_scale_, figure_low_ - tail);
  } else if (scale == 100 && FollowsDigits() && and_token_ == n - 1 &&
             number_word_token_ == n - 1 && digits_value_ == and_head_ + and_tail_) {
    // "two hundred and three" + "hundred": 200 and 300, not 20,300.
    tail = and_tail_;
    DropLastToken();
    const std::string head = std::to_string(and_head_);
    Emit(HashToken(head), true, head);
  } else {
    return false;
  }
  EmitWord(kAndWord);
  EmitNumber(tail);
  return true;
}

void TokenBuilder::ReadLoneWordAsDigits() {
  const uint16_t tenths = lone_word_tenths_;
  DropLastToken();
  const std::string whole = std::to_string(tenths / 10);
  uint64_t hash = HashToken(whole);
  Emit(hash, true, whole);
  if (tenths % 10 != 0) {  // "полтора": "1,5"
    JoinNextNumber(/*comma=*/true);
    const std::string tenth = std::to_string(tenths % 10);
    hash = HashToken(tenth);
    Emit(hash, true, tenth);
    NoteDigits(tenth, hash);
    return;
  }
  NoteDigits(whole, hash);
}

void TokenBuilder::EndScale(const Abbreviations::Entry& a) {
  const bool lone = FollowsLoneWord();
  const bool digits = SplitAndSum(a.scale) || FollowsDigits();
  const size_t n = out_->tokens.size();
  if (ScaleFigure(a.scale, digits, lone)) {
    Reset();
    return;
  }
  if (digits || lone || FollowsArticle()) {
    // The number it multiplies was written out: "two", "two hundred", "one", "a".
    const bool words = !digits || number_word_token_ == n - 1;
    if (!digits) {
      if (!lone) lone_word_tenths_ = 10;  // "a million": "1 million"
      ReadLoneWordAsDigits();             // "one million"
    }
    if (!ScaleDigits(a.scale)) {
      Emit(a.hash, false, a.text);
    } else if (words && a.scale >= 1000 && (!lone || lone_word_tenths_ % 10 == 0)) {
      SetFigure(scaled_begin_, scaled_value_, a.scale, 0);
    }
  } else {
    Emit(a.hash, false, a.text);  // After a figure it does not complete ("two million thousand").
  }
  Reset();
}

bool TokenBuilder::MayScale() const { return FollowsFigure() || FollowsArticle(); }

bool TokenBuilder::FollowsArticle() const {
  static const uint64_t kArticle = HashToken("a");
  const size_t n = out_->tokens.size();
  return line_open_ && n > 0 && out_->tokens.back() == kArticle &&
         (clause_start_ == kNoClause || clause_start_ < n);
}

bool TokenBuilder::FigureEndsAt(size_t end) const {
  return figure_begin_ != kNoDigits && line_open_ && figure_end_ == end && end > figure_begin_ &&
         end <= out_->tokens.size() && out_->tokens[end - 1] == figure_hash_ &&
         out_->line_starts.back() <= figure_begin_ &&
         (clause_start_ == kNoClause || clause_start_ <= figure_begin_);
}

bool TokenBuilder::ExtendFigure(uint64_t w) {
  static const uint64_t kAnd = HashToken("and");
  const size_t n = out_->tokens.size();
  if (figure_low_ == 0)
    return false;  // "two thousand five": two numbers, as in "five million
                   // two years ago"
  constexpr uint64_t kNone = UINT64_MAX;
  uint64_t and_part = figure_and_ != 0 ? figure_and_ : kNone;  // what "and" added, if anything
  if (FollowsFigure()) {
    if (!ContinuesNumber(figure_low_, w)) return false;  // "two hundred fifty", "... fifty-five"
  } else if (n == 0 || out_->tokens.back() != kAnd || !FigureEndsAt(n - 1) || w >= 100 ||
             figure_low_ % 100 != 0) {
    return false;
  } else {
    DropLastToken();  // "two hundred and five": "and"
    and_part = 0;
  }
  ReplaceFigure(figure_value_ + w, figure_scale_, figure_low_ + w);
  figure_and_ = and_part == kNone ? 0 : and_part + w;
  return true;
}

bool TokenBuilder::ScaleFigure(uint64_t scale, bool digits, bool lone) {
  if (figure_begin_ == kNoDigits) return false;
  const size_t n = out_->tokens.size();
  uint64_t low = 0;  // What the scale multiplies.
  bool own_token = false;
  if (FollowsFigure()) {  // "three million two hundred" + "thousand"
    if (figure_low_ == 0 || scale == 100) return false;
    low = figure_low_;
  } else if (n > 0 && FigureEndsAt(n - 1) &&
             (lone ? lone_word_tenths_ % 10 == 0 : digits && number_word_token_ == n - 1)) {
    low = lone ? lone_word_tenths_ / 10 : digits_value_;  // "one thousand" + "two" + "hundred"
    own_token = true;
    if (scale == 100 ? low >= 10 : low >= 1000) return false;
  } else {
    return false;
  }
  const uint64_t part = low * scale;
  if (low == 0 || part >= figure_scale_) return false;  // "two thousand three thousand"
  const uint64_t high = figure_value_ - (own_token ? 0 : figure_low_);
  if (own_token) DropLastToken();
  if (scale == 100) {
    ReplaceFigure(high + part, figure_scale_, part);
  } else {
    ReplaceFigure(high + part, scale, 0);
  }
  return true;
}

void TokenBuilder::ReplaceFigure(uint64_t value, uint64_t scale, uint64_t low) {
  while (out_->tokens.size() > figure_begin_) DropLastToken();
  const size_t begin = out_->tokens.size();
  EmitGroups(value);
  SetFigure(begin, value, scale, low);
}

void TokenBuilder::SetFigure(size_t begin, uint64_t value, uint64_t scale, uint64_t low) {
  figure_begin_ = begin;
  figure_end_ = out_->tokens.size();
  figure_hash_ = out_->tokens.back();
  figure_value_ = value;
  figure_scale_ = scale;
  figure_low_ = low;
  figure_and_ = 0;
  digits_token_ = number_word_token_ = lone_word_token_ = kNoDigits;
}

void TokenBuilder::EmitGroups(uint64_t value) {
  const std::string digits = std::to_string(value);
  size_t group = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  for (size_t at = 0; at < digits.size(); at += group, group = 3) {
    if (at > 0) JoinNextNumber();
    const std::string_view part = std::string_view(digits).substr(at, group);
    Emit(HashToken(part), true, part);
  }
}

void TokenBuilder::AddLeadingZero() {
  EndToken();
  FlushNumber();
  const std::string_view zero = "0";
  const uint64_t hash = HashToken(zero);
  Emit(hash, true, zero);
  NoteDigits(zero, hash);
  JoinNextNumber();
}

bool TokenBuilder::ScaleDigits(uint64_t scale) {
  const std::optional<ScaledNumber> number = NumberBeforeScale(/*english=*/true);
  if (!number) return false;
  const uint64_t value = number->value, divisor = number->divisor;
  if (value == 0 || scale % divisor != 0 || value > UINT64_MAX / (scale / divisor)) return false;
  const uint64_t product = value * (scale / divisor);
  for (size_t i = 0; i < number->tokens; ++i) DropLastToken();
  // In groups of three, as English writes the figure out ("1,500,000"): the tokens of that.
  scaled_begin_ = out_->tokens.size();
  scaled_value_ = product;
  EmitGroups(product);
  digits_token_ = kNoDigits;                         // "1.5 million thousand" multiplies once
  if (scale == 100 && divisor == 1 && value < 10) {  // "two hundred": 200, as "двести" is
    const std::string digits = std::to_string(product);
    NoteDigits(digits, HashToken(digits));
    number_word_token_ = out_->tokens.size() - 1;
  }
  return true;
}

bool TokenBuilder::SplitCyrillicScale() {
  const std::string_view token = View();
  size_t d = 0;
  uint64_t value = 0;
  while (d < token.size() && IsAsciiDigit(token[d])) value = value * 10 + (token[d++] - '0');
  if (d != digits_ || d > kMaxScaledDigits) return false;
  // After a decimal comma ("1,5млрд"), the digits before it are the fraction's whole part.
  const size_t n = out_->tokens.size();
  const std::vector<TokenizedText::Digits>& digits = out_->digits;
  const bool fraction = join_at_ == n && n > 0 && out_->is_number[n - 1] == 1 && !digits.empty() &&
                        digits.back().token == n - 1 && digits.back().count <= kMaxScaledDigits &&
                        (digits.back().count == 1 ||
                         digits.back().value >= Pow10(digits.back().count - 1));  // not "05,5"
  // A fraction whose whole part is no number of its own ("05,5млн") stays as written, as
  // "05,5 млн" does: its digits alone are no figure either.
  if (!fraction && (join_at_ == n || (d > 1 && token[0] == '0'))) return false;
  const uint64_t divisor = fraction ? Pow10(d) : 1;
  if (fraction) value += digits.back().value * divisor;
  std::string_view suffix;
  if (!numbers_.OfferScaleAfter(value, divisor, token.substr(d), &suffix)) return false;
  if (fraction) DropLastToken();
  if (!suffix.empty()) {  // "5мыңнан": 5000 and "нан"
    FlushNumber();
    EmitWord(suffix);
  }
  return true;
}

void TokenBuilder::EndUnusualToken() {
  if (digits_ > 0 && digits_ < total_ &&
      (cyrillic_ == 0 ? SplitScaleSuffix() : latin_ == 0 && SplitCyrillicScale())) {
    Reset();
    return;
  }
  if (latin_ > 0 && cyrillic_ > 0) FoldMixedScripts();
  std::string_view view(reinterpret_cast<const char*>(buffer_), bytes_);
  if (digits_ == 0) {
    const Abbreviations::Entry* a = abbreviations_.Find(HashPadded(buffer_, bytes_));
    if (a != nullptr && a->number != 0) {  // "два" after a number, "семь" (a Kazakh prefix)
      EndNumberWord(*a);
      return;
    }
    if (a != nullptr && !a->after_per) view = a->text;  // "cent": EndCent's, not here
  }
  std::string_view suffix;
  // Each branch's work is in its condition; the empty ones differ in what they called.
  // NOLINTNEXTLINE(bugprone-branch-clone)
  if (cyrillic_ > 0 && digits_ == 0 && AddPercentWord(view)) {
    // Done: "pct" and any Kazakh ending were emitted.
  } else if (cyrillic_ > 0 && digits_ == 0 && numbers_.OfferConjunction(view)) {
    // Held: the next token says whether it is a decimal comma or a word.
  } else if (cyrillic_ > 0 && digits_ == 0 &&
             (FollowsDigits() ? OfferScale(view, &suffix)
                              : FollowsLoneWord() && OfferScaleAfterLoneWord(view, &suffix))) {
    // The digits (with the whole part of a fraction: "1,5 млн") are now the start of a run
    // ("34 мың" = 34000; 1500000).
    if (!suffix.empty()) {
      FlushNumber();
      EmitWord(suffix);
    }
  } else if (cyrillic_ > 0 && digits_ == 0 && numbers_.Offer(view, &suffix)) {
    if (std::string digits; numbers_.TakeCompleted(&digits)) {
      Emit(HashToken(digits), true, digits);
    }
    if (!suffix.empty()) {
      FlushNumber();
      EmitWord(suffix);
    }
  } else {
    // Right after a number of this clause ("5 млн рублей", "1 500 рублей"; not "7,5. Рубль",
    // "500, рубль" or the name "Рублёв").
    const size_t n = out_->tokens.size();
    const bool after_number =
        !capital_ && (numbers_.pending() || (line_open_ && n > out_->line_starts.back() &&
                                             out_->is_number.back() != 0 && clause_start_ != n));
    FlushNumber();
    if (cyrillic_ > 0 && after_number) view = CurrencyAfterNumber(view);
    const uint64_t hash =
        view.data() == View().data() ? HashPadded(buffer_, bytes_) : HashToken(view);
    Emit(hash, digits_ == total_, view);
    if (digits_ == total_) NoteDigits(View(), hash);
  }
  Reset();
}

void TokenBuilder::NoteDigits(std::string_view digits, uint64_t hash) {
  digits_token_ = kNoDigits;
  and_token_ = kNoDigits;
  number_word_token_ = kNoDigits;
  lone_word_token_ = kNoDigits;
  if (digits.empty() || digits.size() > kMaxScaledDigits) return;
  uint64_t value = 0;
  for (char c : digits) {
    if (!IsAsciiDigit(c)) return;
    value = value * 10 + (c - '0');
  }
  digits_value_ = value;
  digits_count_ = digits.size();
  digits_hash_ = hash;
  digits_token_ = out_->tokens.size() - 1;
}

bool TokenBuilder::OfferScale(std::string_view word, std::string_view* suffix) {
  const std::optional<ScaledNumber> number = NumberBeforeScale(/*english=*/false);
  if (!number || !numbers_.OfferScaleAfter(number->value, number->divisor, word, suffix)) {
    return false;
  }
  const bool part = number->tokens == 1 && number->value < 1000 && RunBeforeLast();
  for (size_t i = 0; i < number->tokens; ++i) DropLastToken();
  if (part) JoinRunBefore();
  return true;
}

bool TokenBuilder::OfferScaleAfterLoneWord(std::string_view word, std::string_view* suffix) {
  if (!numbers_.OfferScaleAfter(lone_word_tenths_, 10, word, suffix)) return false;
  const bool part = RunBeforeLast();
  DropLastToken();
  if (part) JoinRunBefore();
  return true;
}

void TokenBuilder::JoinRunBefore() {
  if (!numbers_.JoinFlushed()) return;
  DropLastToken();  // "1 млн 200 тыс": the run "1 млн", now in the pending one
  run_token_ = kNoDigits;
}

bool TokenBuilder::RunBeforeLast() const {
  const size_t n = out_->tokens.size();
  return line_open_ && n >= 2 && run_token_ == n - 2 && out_->line_starts.back() <= run_token_ &&
         (clause_start_ == kNoClause || clause_start_ <= run_token_);
}

std::optional<TokenBuilder::ScaledNumber> TokenBuilder::NumberBeforeScale(bool english) const {
  const size_t n = out_->tokens.size();
  if (out_->is_number[n - 1] != TokenizedText::kNumberPart) {
    // Whole digits; with a leading zero they are no number of their own ("05 млн").
    if (digits_count_ > 1 && digits_value_ < Pow10(digits_count_ - 1)) return std::nullopt;
    return ScaledNumber{digits_value_, 1, 1};
  }
  const std::vector<TokenizedText::Digits>& d = out_->digits;
  if (english && comma_join_at_ == n - 1 && digits_count_ == 3) {
    // Thousands grouped by commas, as English writes them ("12,500 million", "1,234,500
    // thousand"): the groups of three back to the first group, a number of its own.
    uint64_t value = 0, factor = 1;
    for (size_t i = d.size(), tokens = 1; i-- > 0 && d[i].token == n - tokens; ++tokens) {
      const TokenizedText::Digits& group = d[i];
      if (out_->is_number[group.token] == TokenizedText::kNumberPart) {
        if (group.count != 3 || tokens > kMaxScaledDigits / 3) return std::nullopt;
        value += group.value * factor;
        factor *= 1000;
        continue;
      }
      if (group.count > kMaxScaledDigits || tokens < 2 ||
          (group.count > 1 && group.value < Pow10(group.count - 1))) {
        return std::nullopt;
      }
      if (group.value > (UINT64_MAX - value) / factor) return std::nullopt;
      return ScaledNumber{value + group.value * factor, 1, tokens};
    }
    return std::nullopt;
  }
  // A fraction ("1,5", "1.05"): read whole with the digits before its comma or point, when
  // those are a number of their own ("1,5 млн" = 1500000 = "1 500 000"; not "05,5", "1.2.5").
  if (n < 2 || out_->is_number[n - 2] != 1 || d.size() < 2 || d.back().token != n - 1 ||
      d[d.size() - 2].token != n - 2 || d[d.size() - 2].count > kMaxScaledDigits) {
    return std::nullopt;
  }
  const TokenizedText::Digits& whole = d[d.size() - 2];
  if (whole.count > 1 && whole.value < Pow10(whole.count - 1)) return std::nullopt;
  const uint64_t divisor = Pow10(digits_count_);
  return ScaledNumber{whole.value * divisor + digits_value_, divisor, 2};
}

bool TokenBuilder::FollowsDigits() const {
  const size_t n = out_->tokens.size();
  return line_open_ && n > 0 && digits_token_ == n - 1 && out_->tokens.back() == digits_hash_ &&
         (clause_start_ == kNoClause || clause_start_ <= digits_token_);
}

void TokenBuilder::DropLastToken() {
  out_->Truncate(out_->tokens.size() - 1);
  if (out_->line_starts.back() == out_->tokens.size()) {
    out_->line_starts.pop_back();  // It opened the line: the next token opens it again.
    line_open_ = false;
  }
  digits_token_ = kNoDigits;
  lone_word_token_ = kNoDigits;
}

}  // namespace newsd::dedup
