#include "dedup/dateline.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "dedup/boilerplate.h"
#include "dedup/normalize.h"

namespace newsd::dedup {
namespace {

constexpr uint64_t kDayMask = 0x1FF;  // month * 32 + day < 512

// Hashes of the folded month names (HashToken), each with its month.
class MonthNames {
 public:
  static const MonthNames& Get() {
    static const MonthNames kNames;
    return kNames;
  }
  // The month (1-12) token `hash` names, or 0.
  int Month(uint64_t hash) const {
    if ((filter_ >> (hash >> 58) & 1) == 0) return 0;  // Most tokens stop here.
    for (const auto& [h, month] : names_) {
      if (h == hash) return month;
    }
    return 0;
  }

 private:
  MonthNames() {
    // Folded as Tokenize folds them: English names become their wire abbreviations ("march"
    // is "mar"), ё is е, Kazakh letters are their base Cyrillic ones (қаңтар → кантар).
    static constexpr std::pair<std::string_view, int> kNames[] = {
        {"jan", 1},
        {"feb", 2},
        {"mar", 3},
        {"apr", 4},
        {"may", 5},
        {"jun", 6},
        {"jul", 7},
        {"aug", 8},
        {"sep", 9},
        {"oct", 10},
        {"nov", 11},
        {"dec", 12},
        // Russian, genitive ("25 мая") and nominative.
        {"января", 1},
        {"февраля", 2},
        {"марта", 3},
        {"апреля", 4},
        {"мая", 5},
        {"июня", 6},
        {"июля", 7},
        {"августа", 8},
        {"сентября", 9},
        {"октября", 10},
        {"ноября", 11},
        {"декабря", 12},
        {"январь", 1},
        {"февраль", 2},
        {"март", 3},
        {"апрель", 4},
        {"май", 5},
        {"июнь", 6},
        {"июль", 7},
        {"август", 8},
        {"сентябрь", 9},
        {"октябрь", 10},
        {"ноябрь", 11},
        {"декабрь", 12},
        // Kazakh: қаңтар, ақпан, наурыз, сәуір, мамыр, маусым, шілде, тамыз, қыркүйек,
        // қазан, қараша, желтоқсан.
        {"кантар", 1},
        {"акпан", 2},
        {"наурыз", 3},
        {"сауир", 4},
        {"мамыр", 5},
        {"маусым", 6},
        {"шилде", 7},
        {"тамыз", 8},
        {"кыркуйек", 9},
        {"казан", 10},
        {"караша", 11},
        {"желтоксан", 12}};
    for (const auto& [name, month] : kNames) {
      names_.emplace_back(HashToken(name), month);
      filter_ |= uint64_t{1} << (names_.back().first >> 58);
    }
  }
  std::vector<std::pair<uint64_t, int>> names_;
  uint64_t filter_ = 0;  // Bit h >> 58 set for each name's hash h.
};

// The day number token `k` holds (1-31, one or two digits), or 0.
int DayAt(const TokenizedText& t, size_t k) {
  if (k >= t.tokens.size() || t.is_number[k] != 1) return 0;
  for (const TokenizedText::Digits& d : t.digits) {
    if (d.token > k) break;
    if (d.token == k)
      return d.count <= 2 && d.value >= 1 && d.value <= 31 ? static_cast<int>(d.value) : 0;
  }
  return 0;
}

}  // namespace

uint16_t DatelineDay(const TokenizedText& t) {
  const MonthNames& months = MonthNames::Get();
  const size_t end = std::min(t.tokens.size(), kDatelineTokens);
  for (size_t k = 0; k < end; ++k) {
    const int month = months.Month(t.tokens[k]);
    if (month == 0) continue;
    // "March 13" (English), else "13 March", "25 мая", "6 наурыз".
    int day = DayAt(t, k + 1);
    if (day == 0 && k > 0) day = DayAt(t, k - 1);
    if (day != 0) return static_cast<uint16_t>(month * 32 + day);
  }
  return 0;
}

uint64_t FilingKey(std::string_view source, uint16_t dateline_day) {
  if (dateline_day == 0) return 0;
  return (HashSource(source) & ~kDayMask) | dateline_day;
}

}  // namespace newsd::dedup
