// The tokenizer's word lists (word_lists.h), built from their folded words.
#include "dedup/word_lists.h"

#include <utility>

#include "dedup/normalize.h"

namespace newsd::dedup {
namespace {

// Wire-service abbreviations and the words they stand for read as one token, the short form:
// Reuters' "mln", "dlrs", "Shr", "Revs", "stg" match "million", "dollars", "Share",
// "Revenues", "sterling" in a rewritten copy, AP-style month abbreviations the names, and
// the British "bn", "mn" ("£1.5 bn") Reuters' "bln", "mln".
constexpr std::pair<std::string_view, std::string_view> kAbbreviations[] = {
    {"million", "mln"},    {"billion", "bln"},  {"trillion", "trln"}, {"thousand", "thous"},
    {"percent", "pct"},    {"dollars", "dlrs"}, {"dollar", "dlr"},    {"cents", "cts"},
    {"share", "shr"},      {"shares", "shrs"},  {"revenues", "revs"}, {"revenue", "rev"},
    {"sterling", "stg"},   {"quarter", "qtr"},  {"months", "mths"},   {"average", "avg"},
    {"operating", "oper"}, {"january", "jan"},  {"february", "feb"},  {"march", "mar"},
    {"april", "apr"},      {"june", "jun"},     {"july", "jul"},      {"august", "aug"},
    {"september", "sep"},  {"sept", "sep"},     {"october", "oct"},   {"november", "nov"},
    {"december", "dec"},   {"mn", "mln"},       {"bn", "bln"},
};
// "per cent": the two words read as one "pct" (TokenBuilder).
constexpr std::string_view kCent = "cent";

// English scale words by their short form, and the short forms themselves: after a number they
// multiply it (Abbreviations::Entry::scale).
constexpr std::pair<std::string_view, uint64_t> kScales[] = {
    {"thous", 1000}, {"mln", 1000000}, {"bln", 1000000000}, {"trln", 1000000000000}};

uint64_t ScaleOf(std::string_view short_form) {
  for (const auto& [name, scale] : kScales) {
    if (name == short_form) return scale;
  }
  return 0;
}

}  // namespace

const Abbreviations& Abbreviations::Get() {
  static const Abbreviations kTable;
  return kTable;
}

Abbreviations::Abbreviations() {
  for (const auto& [full, abbreviation] : kAbbreviations) {
    const uint64_t hash = HashToken(full);
    size_t i = hash >> kShift;
    while (slots_[i].full != 0) i = (i + 1) & kMask;
    slots_[i] = Entry{hash, HashToken(abbreviation), abbreviation, false, ScaleOf(abbreviation)};
  }
  for (const auto& [short_form, scale] : kScales) {  // "mln" as written: a scale too
    const uint64_t hash = HashToken(short_form);
    size_t i = hash >> kShift;
    while (slots_[i].full != 0) i = (i + 1) & kMask;
    slots_[i] = Entry{hash, hash, short_form, false, scale};
  }
  const uint64_t cent = HashToken(kCent);
  size_t i = cent >> kShift;
  while (slots_[i].full != 0) i = (i + 1) & kMask;
  slots_[i] = Entry{cent, HashToken(kPercentToken), kPercentToken, /*after_per=*/true};
}

const ReportingWords& ReportingWords::Get() {
  static const ReportingWords kWords;
  return kWords;
}

ReportingWords::ReportingWords() {
  static constexpr std::string_view kWords[] = {
      // English
      "said", "says", "reported", "reports", "according", "told",
      // Russian
      "сообщает", "сообщил", "сообщила", "сообщили", "сообщило", "сообщается", "сообщают",
      "передает", "передал", "передала", "передают", "пишет", "пишут", "заявил", "заявила",
      "заявили", "говорится", "информирует", "отмечается",
      // Kazakh (folded: мәлімдеді → малимдеди, деді → деди, дереккөз → дереккоз)
      "хабарлайды", "хабарлады", "жазады", "малимдеди", "деди", "дереккоз"};
  for (std::string_view w : kWords) {
    hashes_.push_back(HashToken(w));
    filter_.Add(hashes_.back());
  }
}

const RelatedLinkMarkers& RelatedLinkMarkers::Get() {
  static const RelatedLinkMarkers kMarkers;
  return kMarkers;
}

RelatedLinkMarkers::RelatedLinkMarkers() {
  static constexpr std::array<std::array<std::string_view, 3>, 17> kMarkers = {{
      // English
      {"read", "also"},
      {"also", "read"},
      {"read", "more"},
      {"see", "also"},
      // Russian
      {"читайте", "также"},
      {"читай", "также"},
      {"читать", "также"},
      {"также", "читайте"},
      {"смотрите", "также"},
      {"подробнее"},
      {"по", "теме"},
      // Kazakh (folded: толығырақ → толыгырак, оқыңыз → окыныз, тағы → тагы)
      {"толыгырак"},
      {"сондай", "ак", "окыныз"},
      {"тагы", "окыныз"},
      {"окыныз"},
      {"толык", "окыныз"},
      {"кара", "сондай"},
  }};
  for (const auto& words : kMarkers) {
    std::vector<uint64_t> marker;
    for (std::string_view w : words) {
      if (!w.empty()) marker.push_back(HashToken(w));
    }
    first_filter_ |= uint64_t{1} << (marker.front() >> 58);
    markers_.push_back(std::move(marker));
  }
}

}  // namespace newsd::dedup
