#pragma once

// The word lists of the tokenizer (token_builder.*): wire abbreviations, the percent word,
// reporting words of attributions, and related-story link markers. Internal to dedup/. Each
// list is built once from HashToken of its folded words; lookups are inline, as the
// tokenizer calls them per token or per line. Immutable after construction: safe to share
// between threads.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "dedup/word_table.h"

namespace newsd::dedup {

// kAbbreviations by the hash of the spelled-out form, and the number words: an
// open-addressed table of the words' hashes indexed by their top bits, so that a word that is
// none of them costs one load and compare.
class Abbreviations {
 public:
  struct Entry {
    uint64_t full = 0;      // HashToken of the spelled-out form.
    uint64_t hash = 0;      // HashToken of the short form.
    std::string_view text;  // The short form.
    // Read as the short form only after "per" ("per cent", which becomes one token "pct").
    bool after_per = false;
    // A scale word ("million", "mln", "bn"): after a number, the two read as the product's
    // digits (TokenBuilder), so that "1.5 million" matches "1,500,000". 0 for other words.
    uint64_t scale = 0;
    // A number word of English or Russian ("forty", "two", "пяти", "двести"): read as its
    // digits, after a tens or hundreds word as their sum ("forty-two", "сто двадцать пять";
    // TokenBuilder). 0 for other words.
    uint16_t number = 0;
    // "one", "один", "одна", ...: a number only after a tens word ("twenty-one"); alone they
    // are pronouns and articles as often ("one of", "no one", "одна из").
    bool after_tens_only = false;
    // `number` counts tenths: "полтора" (1.5) is 15. Read as a number only before a scale
    // word ("полтора миллиона"); "полтора года", "полутора метров" stay words.
    bool tenths = false;
  };

  static const Abbreviations& Get();

  /// The entry of the word whose token hash is `hash`, or null.
  [[gnu::always_inline]] const Entry* Find(uint64_t hash) const {
    for (size_t i = hash >> kShift;; i = (i + 1) & kMask) {
      const uint64_t key = keys_[i];
      if (key == hash) return &entries_[index_[i]];
      if (key == 0) return nullptr;
    }
  }

 private:
  static constexpr int kBits = 10;  // 1,024 slots: about a fifth used.
  static constexpr int kShift = 64 - kBits;
  static constexpr size_t kMask = (size_t{1} << kBits) - 1;

  Abbreviations();
  void Add(const Entry& entry);

  std::array<uint64_t, size_t{1} << kBits> keys_{};  // Entry::full; 0 for an empty slot
  std::array<uint8_t, size_t{1} << kBits> index_{};  // into entries_
  std::vector<Entry> entries_;
};

// "%", "percent", "pct", "процент(ов)" and Kazakh "процент(ке)", "пайыз(ға)" read as one
// token, so that "10%" and "10 percent" match.
constexpr std::string_view kPercentToken = "pct";
constexpr std::string_view kPercentWord = "процент";  // Russian and Kazakh, folded.
constexpr std::string_view kKazakhPercentWord = "пайыз";
// Russian noun endings of "процент": dropped ("10 процентов" reads as "10%").
constexpr std::array<std::string_view, 10> kRussianPercentEndings = {"",    "а",  "у", "ов", "ам",
                                                                     "ами", "ах", "ы", "ом", "е"};

// The first 8 bytes (four Cyrillic letters) of `word` as a little-endian word.
constexpr uint64_t HeadOf(std::string_view word) {
  uint64_t w = 0;
  for (size_t i = 0; i < 8; ++i) w |= uint64_t{static_cast<uint8_t>(word[i])} << (8 * i);
  return w;
}
// The heads of kPercentWord ("проц") and kKazakhPercentWord ("пайы").
constexpr uint64_t kPercentHead = HeadOf(kPercentWord);
constexpr uint64_t kKazakhPercentHead = HeadOf(kKazakhPercentWord);

// An attribution is at most this many tokens: "according to a Reuters report", "деп
// хабарлайды Tengrinews.kz тілшісі", "Об этом сообщает «Интерфакс»".
constexpr size_t kMaxAttribution = 6;

// The hashes of the reporting words that mark an attribution (folded forms).
class ReportingWords {
 public:
  static const ReportingWords& Get();
  bool Contains(uint64_t hash) const {
    if (!filter_.MaybeIn(hash)) return false;  // Most tokens stop here.
    return std::find(hashes_.begin(), hashes_.end(), hash) != hashes_.end();
  }

 private:
  ReportingWords();
  std::vector<uint64_t> hashes_;
  // Of hashes_. (A 64-bit one let two tokens in five through to the search of 31 words.)
  WordFilter filter_;
};

// The words that open a line linking to another story ("Read also: …", "Читайте также: …",
// "Толығырақ: …"; folded forms): such a line is no part of the text it follows.
class RelatedLinkMarkers {
 public:
  static const RelatedLinkMarkers& Get();
  /// True when tokens[0, count) open with a marker.
  bool Opens(const uint64_t* tokens, size_t count) const {
    if (count == 0 || (first_filter_ >> (tokens[0] >> 58) & 1) == 0) return false;  // Most lines.
    // The first words compared inline: a line the filter passes is rarely a marker's, and
    // std::equal over the whole marker is a call of memcmp.
    for (const std::vector<uint64_t>& marker : markers_) {
      if (marker.front() == tokens[0] && marker.size() <= count &&
          std::equal(marker.begin() + 1, marker.end(), tokens + 1)) {
        return true;
      }
    }
    return false;
  }

 private:
  RelatedLinkMarkers();
  std::vector<std::vector<uint64_t>> markers_;  // Each of one word or more.
  uint64_t first_filter_ = 0;  // Bit h >> 58 set for the first word h of each marker.
};

}  // namespace newsd::dedup
