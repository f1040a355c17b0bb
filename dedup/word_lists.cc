// The tokenizer's word lists (word_lists.h), built from their folded words.
#include "dedup/word_lists.h"

#include <stdexcept>
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
constexpr std::pair<std::string_view, uint64_t> kScaleWords[] = {{"hundred", 100},
                                                                 {"thous", 1000},
                                                                 {"mln", 1000000},
                                                                 {"bln", 1000000000},
                                                                 {"trln", 1000000000000}};

// Number words read as digits (Abbreviations::Entry::number): English cardinals from two
// (AP spells out one to nine, other outlets write digits) and Russian ones in every case
// (folded: ё → е; not "семью", also "the family"), with the collectives ("двое", "трое").
struct SpelledNumber {
  std::string_view word;
  uint16_t value;
  bool after_tens_only = false;
};
constexpr SpelledNumber kSpelledNumbers[] = {
    {"one", 1, true},     {"two", 2},           {"three", 3},         {"four", 4},
    {"five", 5},          {"six", 6},           {"seven", 7},         {"eight", 8},
    {"nine", 9},          {"ten", 10},          {"eleven", 11},       {"twelve", 12},
    {"thirteen", 13},     {"fourteen", 14},     {"fifteen", 15},      {"sixteen", 16},
    {"seventeen", 17},    {"eighteen", 18},     {"nineteen", 19},     {"twenty", 20},
    {"thirty", 30},       {"forty", 40},        {"fifty", 50},        {"sixty", 60},
    {"seventy", 70},      {"eighty", 80},       {"ninety", 90},       {"один", 1, true},
    {"одна", 1, true},    {"одно", 1, true},    {"одного", 1, true},  {"одной", 1, true},
    {"одному", 1, true},  {"одним", 1, true},   {"одном", 1, true},   {"одну", 1, true},
    {"два", 2},           {"две", 2},           {"двух", 2},          {"двум", 2},
    {"двумя", 2},         {"двое", 2},          {"двоих", 2},         {"три", 3},
    {"трех", 3},          {"трем", 3},          {"тремя", 3},         {"трое", 3},
    {"троих", 3},         {"четыре", 4},        {"четырех", 4},       {"четырем", 4},
    {"четырьмя", 4},      {"четверо", 4},       {"пять", 5},          {"пяти", 5},
    {"пятью", 5},         {"пятеро", 5},        {"шесть", 6},         {"шести", 6},
    {"шестью", 6},        {"семь", 7},          {"семи", 7},          {"восемь", 8},
    {"восьми", 8},        {"восемью", 8},       {"девять", 9},        {"девяти", 9},
    {"девятью", 9},       {"десять", 10},       {"десяти", 10},       {"десятью", 10},
    {"одиннадцать", 11},  {"одиннадцати", 11},  {"двенадцать", 12},   {"двенадцати", 12},
    {"тринадцать", 13},   {"тринадцати", 13},   {"четырнадцать", 14}, {"четырнадцати", 14},
    {"пятнадцать", 15},   {"пятнадцати", 15},   {"шестнадцать", 16},  {"шестнадцати", 16},
    {"семнадцать", 17},   {"семнадцати", 17},   {"восемнадцать", 18}, {"восемнадцати", 18},
    {"девятнадцать", 19}, {"девятнадцати", 19}, {"двадцать", 20},     {"двадцати", 20},
    {"тридцать", 30},     {"тридцати", 30},     {"сорок", 40},        {"сорока", 40},
    {"пятьдесят", 50},    {"пятидесяти", 50},   {"шестьдесят", 60},   {"шестидесяти", 60},
    {"семьдесят", 70},    {"семидесяти", 70},   {"восемьдесят", 80},  {"восьмидесяти", 80},
    {"девяносто", 90},    {"девяноста", 90},    {"сто", 100},         {"ста", 100},
    {"двести", 200},      {"двухсот", 200},     {"триста", 300},      {"трехсот", 300},
    {"четыреста", 400},   {"четырехсот", 400},  {"пятьсот", 500},     {"пятисот", 500},
    {"шестьсот", 600},    {"шестисот", 600},    {"семьсот", 700},     {"семисот", 700},
    {"восемьсот", 800},   {"восьмисот", 800},   {"девятьсот", 900},   {"девятисот", 900},
};

// Russian "one and a half" in its case forms, in tenths: "полтора миллиона" is "1,5 млн".
constexpr std::string_view kOneAndAHalf[] = {"полтора", "полторы", "полутора"};

uint64_t ScaleOf(std::string_view short_form) {
  for (const auto& [name, scale] : kScaleWords) {
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
    Add(Entry{HashToken(full), HashToken(abbreviation), abbreviation, false,
              ScaleOf(abbreviation)});
  }
  for (const auto& [short_form, scale] : kScaleWords) {  // "mln" as written: a scale too
    Add(Entry{HashToken(short_form), HashToken(short_form), short_form, false, scale});
  }
  Add(Entry{HashToken(kCent), HashToken(kPercentToken), kPercentToken, /*after_per=*/true});
  for (const SpelledNumber& w : kSpelledNumbers) {
    Entry e{HashToken(w.word), HashToken(w.word), w.word};
    e.number = w.value;
    e.after_tens_only = w.after_tens_only;
    Add(e);
  }
  for (std::string_view word : kOneAndAHalf) {
    Entry e{HashToken(word), HashToken(word), word};
    e.number = 15;
    e.tenths = true;
    Add(e);
  }
}

void Abbreviations::Add(const Entry& entry) {
  if (entries_.size() > UINT8_MAX) throw std::length_error("Abbreviations: too many words");
  size_t i = entry.full >> kShift;
  while (keys_[i] != 0) i = (i + 1) & kMask;
  keys_[i] = entry.full;
  index_[i] = static_cast<uint8_t>(entries_.size());
  entries_.push_back(entry);
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
