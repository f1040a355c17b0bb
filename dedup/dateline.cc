// The dateline: the month names' table, the day a text's dateline names (DatelineDay), and
// days and filings named (DatelineName, FilingKey). The other days a text names (TextDays) are
// read in dateline_text_days.cc.
#include "dedup/dateline.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "dedup/boilerplate.h"
#include "dedup/dateline_internal.h"
#include "dedup/normalize.h"

namespace newsd::dedup {
namespace {

constexpr uint64_t kDayMask = 0x1FF;  // month * 32 + day < 512

}  // namespace

MonthNames::MonthNames() {
  // Folded as Tokenize folds them: English names become their wire abbreviations ("march"
  // is "mar"), ё is е, Kazakh letters are their base Cyrillic ones (қаңтар → кантар).
  static constexpr std::string_view kEnglish[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  static constexpr std::string_view kRussianGenitive[] = {
      "января", "февраля", "марта",    "апреля",  "мая",    "июня",
      "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
  static constexpr std::string_view kRussian[] = {"январь",   "февраль", "март",   "апрель",
                                                  "май",      "июнь",    "июль",   "август",
                                                  "сентябрь", "октябрь", "ноябрь", "декабрь"};
  // қаңтар, ақпан, наурыз, сәуір, мамыр, маусым, шілде, тамыз, қыркүйек, қазан, қараша,
  // желтоқсан.
  static constexpr std::string_view kKazakh[] = {"кантар",   "акпан",  "наурыз", "сауир",
                                                 "мамыр",    "маусым", "шилде",  "тамыз",
                                                 "кыркуйек", "казан",  "караша", "желтоксан"};
  // The same with the endings a day takes in a sentence: "15 маусымда" (on), "22 маусымнан"
  // (from), "30 маусымға" (until), by the vowel and last letter of each name.
  static constexpr std::string_view kKazakhOn[] = {
      "кантарда", "акпанда", "наурызда",   "сауирде", "мамырда",  "маусымда",
      "шилдеде",  "тамызда", "кыркуйекте", "казанда", "карашада", "желтоксанда"};
  static constexpr std::string_view kKazakhFrom[] = {
      "кантардан", "акпаннан", "наурыздан",   "сауирден", "мамырдан",  "маусымнан",
      "шилдеден",  "тамыздан", "кыркуйектен", "казаннан", "карашадан", "желтоксаннан"};
  static constexpr std::string_view kKazakhTo[] = {
      "кантарга", "акпанга", "наурызга",   "сауирге", "мамырга",  "маусымга",
      "шилдеге",  "тамызга", "кыркуйекке", "казанга", "карашага", "желтоксанга"};
  // "12 наурыздағы" (of the 12th): the locative with -ғы/-гі.
  static constexpr std::string_view kKazakhOf[] = {
      "кантардагы", "акпандагы", "наурыздагы",   "сауирдеги", "мамырдагы",  "маусымдагы",
      "шилдедеги",  "тамыздагы", "кыркуйектеги", "казандагы", "карашадагы", "желтоксандагы"};
  // "в октябре": a month without a day only.
  static constexpr std::string_view kRussianPrepositional[] = {
      "январе", "феврале", "марте",    "апреле",  "мае",    "июне",
      "июле",   "августе", "сентябре", "октябре", "ноябре", "декабре"};
  for (int m = 0; m < 12; ++m) {
    // "may" and "mar" ("a protest march") are a month only next to a day.
    Add(kEnglish[m], m + 1, m == 4 ? DayAt::kAfter : DayAt::kAfterOrBefore,
        m == 2 || m == 4 ? Alone::kNever : Alone::kAfterPreposition);
    Add(kRussianGenitive[m], m + 1, DayAt::kBefore, Alone::kAlways);
    Add(kRussian[m], m + 1, DayAt::kBefore, m == 4 ? Alone::kNever : Alone::kAlways);
    Add(kKazakh[m], m + 1, DayAt::kBefore, Alone::kBeforeMonthWord);
    // "қарашада" (in November) alone too, but not "Қазанда" (in Kazan) or "маусымда" (in the
    // season).
    Add(kKazakhOn[m], m + 1, DayAt::kBefore, m == 5 || m == 9 ? Alone::kNever : Alone::kAlways,
        /*dateline=*/false);
    for (const auto* names : {kKazakhFrom, kKazakhTo, kKazakhOf}) {
      Add(names[m], m + 1, DayAt::kBefore, Alone::kNever, /*dateline=*/false);
    }
    Add(kRussianPrepositional[m], m + 1, DayAt::kNone, Alone::kAlways);
  }
}

void MonthNames::Add(std::string_view name, int month, DayAt day, Alone alone, bool dateline) {
  words_.Add({HashToken(name), month, day, alone, dateline});
}

namespace {

// The day month name `name` at token `k` names with the number next to it within tokens
// [begin, end), or 0. The day before the month first: "LONDON, 13 March - 5 people died" is
// March 13.
uint16_t DayNamed(const TokenizedText& t, const MonthNames::Name& name, size_t k, size_t begin,
                  size_t end) {
  if (name.day == DayAt::kNone) return 0;
  int day = name.day != DayAt::kAfter && k > begin ? DayOf(t, k - 1) : 0;
  if (day == 0 && name.day != DayAt::kBefore && k + 1 < end) day = DayOf(t, k + 1);
  return day != 0 ? static_cast<uint16_t>(name.month * 32 + day) : 0;
}

}  // namespace

uint16_t DatelineDay(const TokenizedText& t) {
  const MonthNames& months = MonthNames::Get();
  const size_t end = std::min(t.tokens.size(), kDatelineTokens);
  for (size_t k = 0; k < end; ++k) {
    const MonthNames::Name* name = months.Find(t.tokens[k]);
    if (name == nullptr || !name->dateline) continue;
    if (const uint16_t day = DayNamed(t, *name, k, 0, t.tokens.size()); day != 0) return day;
  }
  return 0;
}

std::string DatelineName(uint16_t day) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int month = day / 32;
  if (month < 1 || month > 12) return "";
  return std::string(kMonths[month - 1]) + " " + std::to_string(day % 32);
}

uint64_t FilingKey(std::string_view source, uint16_t dateline_day) {
  if (dateline_day == 0) return 0;
  return (HashSource(source) & ~kDayMask) | dateline_day;
}

}  // namespace newsd::dedup
