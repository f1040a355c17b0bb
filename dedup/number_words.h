#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace newsd::dedup {

struct NumberWord;  // number_words.cc

/// True when `s` (folded, not empty) is an ending a Kazakh numeral or measure word takes
/// directly: ordinal, possessive, case or approximation ("-інші", "-сы", "-ке", "-дей").
bool IsKazakhNumeralEnding(std::string_view s);

/// Kazakh number words (after folding: бир, еки, ..., жуз, мын, миллион) read as numbers, so
/// that "жүз отыз біріне" and "131-іне" give the same tokens ("131", "ине"). A run of number
/// words is summed the usual way (hundreds multiply, thousands and up close a group); the last
/// word of a run may carry a numeral's ending (ordinal, possessive, case, collective or
/// approximation: "біріншіден", "мыңнан", "жүздеген"), which becomes its own token; a stem
/// followed by anything else is a word, not a number ("бірақ", "мына", "жүзеге").
///
/// Kazakh news mixes digits and number words ("34 мың", "1, 7 миллиард"); two habits of that
/// spelling are followed so that both forms give the same tokens:
/// * a scale word after digits multiplies them, as after number words: "34 мың" is 34000 like
///   "отыз төрт мың" and "34000" (OfferScaleAfter);
/// * "да", "де", "та", "те" between two number words is a decimal comma when the second does
///   not continue the first ("бір де жеті миллиард" = "1, 7 миллиард": 1 and 7000000000) and
///   joins them when it does ("жүз де он тоғыз" = 119); it is dropped either way, and kept as a
///   word when no number word follows.
class NumberWords {
 public:
  /// Offers one folded token. Returns true when it was consumed as (part of) a number; the
  /// caller then emits nothing for it. `*suffix` is set when the word ended the run with a
  /// suffix: the caller must then call Flush() and emit the suffix as a token. While a run is
  /// pending, the words OfferScaleAfter reads after digits continue it too ("бес млрд").
  /// Russian "тысяча" and "тысячу" alone are one thousand, as "мың" and "миллион" are;
  /// "тысячи" and "тысяч" alone are thousands, words ("тысячи людей", "десятки тысяч").
  /// Tokens are folded UTF-8.
  bool Offer(std::string_view token, std::string_view* suffix);

  /// False when Offer would surely refuse `token` (a cheap test on its first two letters).
  static bool MayStart(std::string_view token) {
    if (token.size() < 4) return false;
    const unsigned first = LetterIndex(token[0], token[1]);
    const unsigned second = LetterIndex(token[2], token[3]);
    return first < 32 && second < 32 && (kPrefixes[first] >> second & 1);
  }

  /// While a run is pending, offers a token that may be a decimal "да"/"де"/"та"/"те": returns
  /// true when it was one, held until the next token says what it is (see the class comment).
  bool OfferConjunction(std::string_view token);

  /// True when a run is pending.
  bool pending() const { return pending_; }

  /// With no run pending: when `token` is a scale word (мың, миллион, миллиард; a numeral's
  /// ending allowed; also, read only after a number, the abbreviations млн, млрд, трлн, тыс,
  /// Russian тысяча and триллион, and a Russian ending of these: "2 миллиона", "5 тысяч",
  /// which is dropped), starts a run of `value` (a number just read from digits) times it and
  /// returns true, as Offer does; else false, also for 0, a product that would not fit in 64
  /// bits, and a year (1900-2099) before a Russian form ("в 2022 тысячи казахстанцев"). So
  /// "2 млн", "2 миллиона", "2 миллион" and "екі миллион" all read as 2000000. With `divisor`
  /// (a power of ten, 1 for whole digits), `value` is a decimal fraction's digits ("1,5": 15
  /// and 10) and the run starts at value / divisor times the scale, when that is whole:
  /// "1,5 млн" reads as 1500000, as "1 500 000" does; false when it is not ("1,2345 тыс").
  bool OfferScaleAfter(uint64_t value, uint64_t divisor, std::string_view token,
                       std::string_view* suffix);

  /// While a run is pending whose last word was a scale ("две тысячи", "три миллиона", "5
  /// тыс"): takes the value of a number word read outside this class (Russian "двести",
  /// "пятьсот") as the hundreds below that scale and returns true, so that "две тысячи
  /// пятьсот" reads as 2500, as "2 500" does; the tens and units after the hundreds then
  /// continue it ("одна тысяча двести пятьдесят один" = 1251). False for anything else, which
  /// then ends the run: a tens or unit word right after the scale ("пять миллионов два года
  /// назад" is two numbers), a word that does not continue the hundreds ("двести двести"), a
  /// run held at a conjunction.
  bool AddBelowScale(uint64_t value);

  /// Right after OfferScaleAfter started a run ("200 тыс"): when the run Flush ended last ("1
  /// млн") had nothing below its smallest scale and this run is below that scale, adds that
  /// run's value to this one and returns true, so that "1 млн 200 тыс" reads as 1200000, as
  /// "1 200 000" does, and "три миллиона пятьдесят тысяч" as 3050000; the run goes on from
  /// there ("2 млрд 300 млн 500 тыс"). False otherwise ("1 тыс 200 млн", "две тысячи пятьсот"
  /// + "5 тыс"). The caller tells that nothing but the number this run multiplies came
  /// between the two.
  bool JoinFlushed();

  /// After an Offer that returned true: when the offered word could not continue the pending
  /// run ("бес алты" is 5 and 6, not 11), that run ended and this returns true once with its
  /// digits, to be emitted before anything else.
  bool TakeCompleted(std::string* digits);

  /// Ends the pending run; returns its value in decimal digits, and sets *conjunction to a
  /// held conjunction that no number word followed (else empty), to be emitted after them.
  std::string Flush(std::string_view* conjunction);

 private:
  // The index (0..31) of a lower-case Cyrillic letter а..я given as two UTF-8 bytes, else ≥ 32.
  static unsigned LetterIndex(char lead, char trail) {
    const auto b = static_cast<unsigned char>(trail);
    if (lead == '\xD0') return b - 0xB0u;          // а..п: D0 B0..BF (wraps when below).
    if (lead == '\xD1') return b - 0x80u + 0x10u;  // р..я: D1 80..8F.
    return 32;
  }
  // kPrefixes[i] bit j: some number word starts with the letters а+i, а+j.
  static const std::array<uint32_t, 32> kPrefixes;
  void Complete();  // Ends the pending run into completed_.
  // Adds number word `w` (`token`, read as it) to the run; sets *suffix to its ending.
  void Take(const NumberWord& w, std::string_view token, std::string_view* suffix);

  bool pending_ = false;
  bool has_completed_ = false;
  uint8_t conjunction_ = 0;  // 1 + index of a held conjunction, else 0.
  // No std::string member: this class lives in a hot loop's frame.
  uint64_t completed_ = 0;
  uint64_t total_ = 0;
  uint64_t current_ = 0;
  uint64_t scale_ = 0;  // The pending run's last scale word's value, else 0.
  // The run Flush ended last: its value, and its last scale when nothing followed that
  // scale (else 0; see JoinFlushed).
  uint64_t flushed_ = 0;
  uint64_t flushed_scale_ = 0;
};

}  // namespace newsd::dedup
