#pragma once

// The token builder of Tokenize (normalize.cc): internal to dedup/.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "core/utf8.h"
#include "dedup/fold_table.h"
#include "dedup/normalize.h"
#include "dedup/number_words.h"
#include "dedup/token_chars.h"
#include "dedup/word_lists.h"

namespace newsd::dedup {

// Builds tokens from folded code points (kept as UTF-8) and appends their hashes to a
// TokenizedText.
class TokenBuilder {
 public:
  TokenBuilder(TokenizedText* out, bool keep_text, Attributions attributions)
      : out_(out),
        abbreviations_(Abbreviations::Get()),
        keep_text_(keep_text),
        drop_attributions_(attributions == Attributions::kDrop) {}

  // Before the folded code points of `original` (the general path): notes whether it opens
  // the token in upper case.
  void NoteOriginal(char32_t original) {
    if (bytes_ == 0) capital_ = IsUpperCaseLetter(original);
  }

  // One folded code point of any class.
  void Add(char32_t cp, CharClass cls) {
    switch (cls) {
      case CharClass::kLetter: {
        const Script script = ScriptOf(cp);
        cyrillic_ += script == kCyrillicScript;
        latin_ += script == kLatinScript;
        Append(cp);
        return;
      }
      case CharClass::kDigit:
        ++digits_;
        Append(cp);
        return;
      case CharClass::kIgnore:
        if (cp >= 0x300 && cp < 0x370 && bytes_ > 0) ComposeMark(cp);
        return;
      case CharClass::kSeparator:
        EndToken();
        return;
    }
  }

  // The run of ASCII letters and digits at text[pos] (the common case), lower-cased eight
  // bytes at a time; returns the position after it.
  size_t AddAsciiRun(std::string_view text, size_t pos);

  // The run of two-byte UTF-8 sequences at text[pos] with a simple fold (Cyrillic text);
  // returns the position after it.
  [[gnu::always_inline]] size_t AddTwoByteRun(const TwoByteTable& table, std::string_view text,
                                              size_t pos);

  // The next token, when all digits and right after a token of digits, continues that
  // number ("12.35" is one figure for the number guard): TokenizedText::kNumberPart.
  // `comma`: they are apart by a comma ("1,5", "12,500"), which an English scale word after
  // them reads as grouping thousands when three digits follow it (NumberBeforeScale).
  void JoinNextNumber(bool comma = false) {
    join_at_ = out_->tokens.size();
    comma_join_at_ = comma ? join_at_ : SIZE_MAX;
  }

  // A '%' sign: reads as the word "percent".
  [[gnu::noinline]] void AddPercentSign();

  // A decimal point with no digits before it (".5 million", "$.75"): reads as "0." does, so
  // that ".5" and "0.5" are one figure and ".5 million" is half a million.
  [[gnu::noinline]] void AddLeadingZero();

  void EndLine() {
    EndToken();
    FlushNumber();
    join_at_ = SIZE_MAX;
    if (line_open_ && drop_attributions_ && !DropAttribution()) DropMetaLine();
    lone_word_token_ = kNoDigits;  // (its token may have been dropped with the attribution)
    figure_begin_ = kNoDigits;
    run_token_ = kNoDigits;
    line_open_ = false;
    clause_start_ = kNoClause;
    previous_clause_ = kNoClause;
  }

  // A dash ends the token and any number being read: "төрт жүз – бес жүз" is the range
  // "400 – 500", not one number.
  [[gnu::noinline]] void EndNumber();

  // A ',' ends the token and any number being read; the next token starts a clause.
  [[gnu::always_inline]] void EndClause() {
    EndToken();
    FlushNumber();
    if (line_open_) {
      previous_clause_ = clause_start_;
      clause_start_ = out_->tokens.size();
    }
  }

  [[gnu::always_inline]] void EndToken() {
    if (bytes_ == 0) return;
    // The common case: no homoglyphs, number word or pending number.
    const bool plain = (latin_ == 0 || cyrillic_ == 0) && !numbers_.pending() &&
                       (cyrillic_ == 0 ? digits_ == 0 || digits_ == total_
                        : digits_ > 0  ? !IsAsciiDigit(buffer_[0])  // "2млн": a scale?
                                       : !NumberWords::MayStart(View()) && !MayBePercentWord() &&
                                            !AfterNumber() && !FollowsLoneWord());
    if (plain) [[likely]] {
      uint64_t hash = HashPadded(buffer_, bytes_);
      std::string_view view = View();
      if (digits_ == 0) {
        if (const Abbreviations::Entry* a = abbreviations_.Find(hash)) {
          if (a->number != 0) [[unlikely]] {
            EndNumberWord(*a);
            return;
          }
          if (a->after_per) [[unlikely]] {
            EndCent(hash);
            return;
          }
          if (a->scale != 0 && (FollowsDigits() || FollowsLoneWord() || MayScale())) [[unlikely]] {
            EndScale(*a);
            return;
          }
          hash = a->hash;
          view = a->text;
        }
      }
      Emit(hash, digits_ == total_, view);
      if (digits_ == total_) NoteDigits(View(), hash);
      Reset();
      return;
    }
    EndUnusualToken();
  }

 private:
  std::string_view View() const { return {reinterpret_cast<const char*>(buffer_), bytes_}; }

  void Reset() {
    if (latin_ != cyrillic_) latin_context_ = latin_ > cyrillic_;
    capital_ = false;
    bytes_ = chars_ = total_ = 0;
    cyrillic_ = latin_ = digits_ = 0;
  }

  [[gnu::noinline]] void EndUnusualToken();

  // The combining mark `mark` after the token's last letter: the letter becomes the one the
  // two compose to, if any ("и" + U+0306 = "й"); else the mark is dropped.
  [[gnu::noinline]] void ComposeMark(char32_t mark);

  // True when the token follows a number (a scale or a currency word may follow).
  bool AfterNumber() const { return !out_->is_number.empty() && out_->is_number.back() != 0; }

  // True when the last token emitted is a number word EndNumberWord left a word ("one",
  // "один", "одна", ..., "полтора"), in the same clause: a scale word after it makes it a
  // number ("one million" is "1 million", "полтора миллиона" "1,5 млн").
  bool FollowsLoneWord() const {
    const size_t n = out_->tokens.size();
    return lone_word_token_ == n - 1 && n > 0 && line_open_ &&
           (clause_start_ == kNoClause || clause_start_ <= lone_word_token_);
  }

  // Besides FollowsDigits and FollowsLoneWord (tested first, inline), true when a scale word
  // now would multiply something (EndScale): the article "a" ("a million"), or the part of a
  // figure written out that the number words after it read so far (FollowsFigure). Out of
  // line: only scale words ask.
  [[gnu::noinline]] bool MayScale() const;

  // True when the last token emitted is the article "a" in the same clause: a scale word
  // after it reads it as 1 ("a million people" is "1 million people", "a hundred" 100).
  bool FollowsArticle() const;

  // True when the figure written out (figure_begin_) ends right before token `end`, in the
  // same line and clause as it.
  bool FigureEndsAt(size_t end) const;
  bool FollowsFigure() const { return FigureEndsAt(out_->tokens.size()); }

  // The number word `w` after the figure written out, continuing the hundreds read after its
  // scale ("one thousand two hundred fifty", "... two hundred and five"): the figure is written
  // again with it and true is returned; else false.
  bool ExtendFigure(uint64_t w);

  // The scale word `scale` after the figure written out: multiplies the number words read
  // after it when the product is below the figure's scale ("three million" + "two hundred"
  // + "thousand": 3,200,000; "one thousand" + "two" + "hundred": 1,200), and the figure is
  // written again with the product added; else false. `digits`, `lone`: FollowsDigits and
  // FollowsLoneWord, before.
  bool ScaleFigure(uint64_t scale, bool digits, bool lone);

  // Drops the figure's tokens and writes `value` in their place, in groups of three; it keeps
  // `scale` as its smallest scale and `low` as the hundreds read after it (SetFigure).
  void ReplaceFigure(uint64_t value, uint64_t scale, uint64_t low);

  // The tokens from `begin` to the last one are the figure `value` written out, whose smallest
  // scale is `scale` and `low` the hundreds, tens and units read after it (figure_begin_).
  void SetFigure(size_t begin, uint64_t value, uint64_t scale, uint64_t low);

  // The scale word `scale` after a number read across "and" that it cannot multiply ("two
  // hundred and three" + "hundred", "one thousand two hundred and five" + "thousand": the
  // ranges "200 and 300", "1,200 and 5,000"): writes the number again as its two parts and
  // "and", the second as number words just read (FollowsDigits), and returns true; else false.
  bool SplitAndSum(uint64_t scale);

  // Emits `value` as one token of digits read from number words (NoteDigits).
  void EmitNumber(uint64_t value);

  // Emits `value`'s digits in groups of three, the number English writes out ("1,500,000").
  void EmitGroups(uint64_t value);

  // True when the last two tokens are a whole number of hundreds below a thousand read from
  // words and "and", in the same clause, and number word `w` (below 100) may end it: British
  // "two hundred and five" is 205 as "two hundred five" is.
  bool AfterHundredsAnd(uint64_t w) const;

  // FollowsLoneWord's word, replaced by its digits ("1", or "1,5": two tokens), which
  // FollowsDigits then sees.
  void ReadLoneWordAsDigits();

  // The token "cent" (hash `hash`): after "per" in the same line, the two read as "pct".
  [[gnu::noinline]] void EndCent(uint64_t hash);

  // The number word `a` (Abbreviations::Entry::number): its digits, or, right after the
  // digits of a tens or hundreds word, their sum in place of those ("forty-two" = "42", "сто
  // двадцать пять" = "125"); "one" and "одна" not after tens, and "полтора", stay words
  // unless a scale word follows (FollowsLoneWord).
  [[gnu::noinline]] void EndNumberWord(const Abbreviations::Entry& a);

  // The English scale word `a` where MayScale: the digits, "one" or "a", or the fraction they
  // end ("1.5 million"), and the word read as the product written out in groups of three
  // ("1,500,000": "1 500 000"), when it is whole; else the word's short form. A product of
  // number words and a scale of a thousand or more ("two thousand") is a figure written out:
  // the hundreds and smaller scales after it add to it ("two thousand five hundred" is
  // "2,500", "three million two hundred thousand" "3,200,000"; ScaleFigure).
  [[gnu::noinline]] void EndScale(const Abbreviations::Entry& a);

  // The digits just emitted (FollowsDigits), or the fraction they end, times `scale`: when
  // the product is whole and fits, they are replaced by its digits in groups of three and
  // true is returned. A whole number of hundreds below a thousand ("two hundred") reads as
  // digits just emitted again: a tens or unit word adds to it ("two hundred five" = 205) and
  // a larger scale multiplies it ("three hundred thousand" = 300000).
  // scaled_begin_ and scaled_value_ are set to the first token written and the product.
  bool ScaleDigits(uint64_t scale);

  // A token of ASCII digits and letters: when it is digits and a scale's short form ("1.5m",
  // "£2bn", "$3tn"), emits the digits and the scale's wire abbreviation ("mln", "bln",
  // "trln") and returns true. ("2b" and "50k" are left: a trial's phase, gold's carats.)
  bool SplitScaleSuffix();

  // `word` (folded, Cyrillic) after a number: a currency's short form for its Russian names
  // after numerals ("рубль", "рубля", "рублей" → "руб"; "долларов" → "долл"), else `word`
  // (Kazakh case forms, "долларға", keep their ending).
  static std::string_view CurrencyAfterNumber(std::string_view word);

  // A token of digits and Cyrillic letters: when it is digits and a scale word written
  // together ("2млн", "5тыс"), reads it as the two apart ("2 млн": 2000000) and returns true.
  bool SplitCyrillicScale();

  static bool IsAsciiDigit(uint8_t c) { return c >= '0' && c <= '9'; }

  // A cheap test on the token's first 8 bytes; AddPercentWord decides.
  bool MayBePercentWord() const {
    uint64_t head;
    std::memcpy(&head, buffer_, 8);  // The buffer is longer than 8 bytes.
    return head == kPercentHead || head == kKazakhPercentHead;
  }

  // "процент" with a Russian noun ending or a Kazakh one: emits "pct" (and the Kazakh
  // ending) and returns true; false for any other word ("процентный").
  bool AddPercentWord(std::string_view token);

  // A first line of at least this many numbers alone is a date and time ("27.02.1987 23:26").
  static constexpr size_t kMinStampTokens = 3;
  // Tokens longer than this (URLs, junk) are matched on their first kMaxToken code points.
  static constexpr size_t kMaxToken = 64;
  static constexpr size_t kNoClause = SIZE_MAX;
  static constexpr size_t kNoDigits = SIZE_MAX;
  // Digits a following scale word may multiply: at most this many (no overflow).
  static constexpr size_t kMaxScaledDigits = 9;

  // Drops the line's attribution (see Tokenize): its last clause, when short and holding a
  // reporting word (and the clause before it, when that is one too), or the whole line, when it is
  // a short sentence holding one and not the first line of the text. True when the whole line
  // went.
  bool DropAttribution();

  // Drops tokens [from, end), and the line when they are all of it.
  void DropFrom(size_t from);

  // A line that is no part of the story (see Tokenize): a link to another story after the
  // first line is dropped now; a first line of numbers alone (a date and time above the text)
  // once another line follows it (DropStampLine), so that a text of numbers keeps them.
  [[gnu::noinline]] void DropMetaLine();

  [[gnu::noinline]] void DropStampLine();

  // Tokens [begin, end) read as an attribution: short, with a reporting word, and no number
  // (", 12 workers were reported injured" is news, and its figure counts for the guard).
  bool IsAttribution(size_t begin, size_t end) const;

  bool HasReportingWord(size_t begin, size_t end) const;

  // Appends the first `count` (≤ 8) bytes of `bytes` (ASCII code points, little-endian).
  void AppendAscii(uint64_t bytes, size_t count) {
    const size_t room = kMaxToken - std::min(chars_, kMaxToken);
    std::memcpy(buffer_ + bytes_, &bytes, 8);  // The buffer has 8 spare bytes.
    count = std::min(count, room);
    bytes_ += count;
    chars_ += count;
  }

  void Append(char32_t cp) {
    ++total_;
    if (chars_ >= kMaxToken) return;
    bytes_ += EncodeUtf8(cp, reinterpret_cast<char*>(buffer_ + bytes_));
    ++chars_;
  }

  // A token of Latin and Cyrillic letters is one word typed with look-alikes ("iрi" for
  // "ірі", "Rеuters" with a Cyrillic "е"): it is rewritten in Cyrillic when each of its Latin
  // letters has a Cyrillic look-alike, else in Latin when each Cyrillic one has a Latin
  // look-alike, else (letters of both scripts without one) as far as it can in the script of
  // most of its letters, Cyrillic on a tie.
  [[gnu::noinline]] void FoldMixedScripts();

  template <class Visit>
  void ForEachCodePoint(Visit visit) const;

  void FlushNumber() {
    if (!numbers_.pending()) return;
    std::string_view conjunction;
    const std::string digits = numbers_.Flush(&conjunction);
    Emit(HashToken(digits), true, digits);
    run_token_ = out_->tokens.size() - 1;
    if (!conjunction.empty()) EmitWord(conjunction);
  }

  // True when the token before the last is the run FlushNumber wrote last (run_token_, which
  // only JoinRunBefore drops), in the same line and clause: the number just emitted and a
  // scale word after it may continue that run ("1 млн" + "200" + "тыс").
  bool RunBeforeLast() const;
  // Right after OfferScale or OfferScaleAfterLoneWord took back the number that RunBeforeLast
  // followed: the run they started joins that run when it may (NumberWords::JoinFlushed),
  // whose token is then dropped.
  void JoinRunBefore();

  // Remembers the token just emitted, `digits` (hash `hash`), for a scale word that may
  // follow; nothing when it is not all digits or too long to scale.
  [[gnu::noinline]] void NoteDigits(std::string_view digits, uint64_t hash);

  // True when the last token emitted is the one NoteDigits saw, in the same clause.
  bool FollowsDigits() const;
  // The scale word `word` after the digits just emitted (FollowsDigits): those digits, or the
  // fraction they end ("1,5"), become the start of a number run and are taken back
  // (NumberWords::OfferScaleAfter); false when the word is no scale or the number stays.
  // Whole digits below a thousand right after a run that ended at a larger scale are that
  // run's next part, and the two runs one (RunBeforeLast, NumberWords::JoinFlushed): "1 млн
  // 200 тыс" is 1200000, "три миллиона пятьдесят тысяч" 3050000; "1 млн 200 человек" stays
  // two numbers.
  bool OfferScale(std::string_view word, std::string_view* suffix);
  // OfferScale for a scale word after FollowsLoneWord's word ("одна тысяча", "полтора
  // миллиона"): that word is taken back and the run starts at its value times the scale,
  // joining a run before it as OfferScale's digits do ("три миллиона одна тысяча").
  bool OfferScaleAfterLoneWord(std::string_view word, std::string_view* suffix);

  // The number a scale word after the digits just emitted (FollowsDigits) would multiply:
  // those digits, or the fraction they end (`value` / `divisor`), and how many tokens it
  // takes back; nullopt when it is no number of its own (a leading zero: "05 млн").
  // `english`: a comma before three digits groups thousands ("12,500 million"); else it is a
  // decimal comma, as Russian and Kazakh write it ("1,5 млн").
  struct ScaledNumber {
    uint64_t value, divisor;
    size_t tokens;
  };
  std::optional<ScaledNumber> NumberBeforeScale(bool english) const;
  static constexpr uint64_t Pow10(size_t n) {
    uint64_t p = 1;
    while (n-- > 0) p *= 10;
    return p;
  }

  void DropLastToken();

  // Out of line: the rare tokens' path, kept out of the hot loop's inlining budget.
  [[gnu::noinline]] void EmitWord(std::string_view word);

  [[gnu::always_inline]] void Emit(uint64_t hash, bool is_number, std::string_view token) {
    if (!line_open_) {
      if (stamp_line_) DropStampLine();
      out_->line_starts.push_back(static_cast<uint32_t>(out_->tokens.size()));
      line_open_ = true;
    }
    const bool part = is_number && join_at_ == out_->tokens.size() && !out_->tokens.empty() &&
                      out_->is_number.back() != 0;
    join_at_ = SIZE_MAX;  // only the token right after the separator joins
    out_->tokens.push_back(hash);
    out_->is_number.push_back(part ? TokenizedText::kNumberPart : is_number ? 1 : 0);
    if (is_number) AddDigits(token);
    // A sentence's first word is written with a capital whatever it is: not noted.
    if (capital_ && !is_number && out_->line_starts.back() + 1 != out_->tokens.size()) {
      AddCapital(token);
    }
    if (keep_text_) out_->text.emplace_back(token);
  }

  [[gnu::noinline]] void AddDigits(std::string_view token);
  [[gnu::noinline]] void AddCapital(std::string_view token);

  TokenizedText* out_;
  const Abbreviations& abbreviations_;
  NumberWords numbers_;
  bool keep_text_;
  bool drop_attributions_;
  bool line_open_ = false;
  bool stamp_line_ = false;               // The first line is numbers alone (DropMetaLine).
  size_t clause_start_ = kNoClause;       // Token index after the line's last ',', if any.
  size_t previous_clause_ = kNoClause;    // The clause_start_ before it, if any.
  size_t digits_token_ = kNoDigits;       // See NoteDigits.
  size_t number_word_token_ = kNoDigits;  // The token EndNumberWord emitted last, until digits.
  size_t lone_word_token_ = kNoDigits;    // See FollowsLoneWord.
  size_t run_token_ = kNoDigits;          // See RunBeforeLast.
  uint16_t lone_word_tenths_ = 0;         // Its value in tenths: "one" 10, "полтора" 15.
  // A figure written out with number words and a scale of a thousand or more ("three
  // million", "one thousand two hundred"), which the number words after it may complete.
  size_t figure_begin_ = kNoDigits;  // Its first token, else kNoDigits.
  size_t figure_end_ = 0;            // The count of tokens when it was written.
  uint64_t figure_hash_ = 0;         // Its last token's hash.
  uint64_t figure_value_ = 0;        // 3200000 for "three million two hundred thousand".
  uint64_t figure_scale_ = 0;        // Its smallest scale: what follows adds below it.
  uint64_t figure_low_ = 0;          // The hundreds, tens and units after that scale, if any.
  uint64_t figure_and_ = 0;          // What of figure_low_ came after "and" ("and five").
  // The number EndNumberWord made across "and" ("two hundred and five": 205), its token and
  // the two parts (200, 5); see SplitAndSum.
  size_t and_token_ = kNoDigits;
  uint64_t and_head_ = 0, and_tail_ = 0;
  size_t scaled_begin_ = 0;  // See ScaleDigits.
  uint64_t scaled_value_ = 0;
  size_t join_at_ = SIZE_MAX;        // See JoinNextNumber.
  size_t comma_join_at_ = SIZE_MAX;  // The last join after a comma (JoinNextNumber).
  uint64_t digits_value_ = 0, digits_hash_ = 0;
  size_t digits_count_ = 0;  // Of digits_value_, leading zeros included.
  // Folded UTF-8 bytes of the token: at most kMaxToken code points of up to 4 bytes (2 after
  // homoglyph folding of a 1-byte letter), plus a spare cell for AddAsciiRun.
  uint8_t buffer_[kMaxToken * 4 + 16];
  size_t bytes_ = 0, chars_ = 0, total_ = 0;
  size_t cyrillic_ = 0, latin_ = 0, digits_ = 0;
  bool capital_ = false;  // The token's first letter is written in upper case.
  // The last token with more letters of one script was mostly Latin (FoldMixedScripts).
  bool latin_context_ = false;
};

}  // namespace newsd::dedup

#include "dedup/token_builder_runs.h"  // IWYU pragma: export
