#include "dedup/dateline.h"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>
#include <vector>

#include "dedup/normalize.h"

namespace newsd::dedup {
namespace {

uint16_t Day(std::string_view text) {
  TokenizedText t;
  Tokenize(text, &t);
  return DatelineDay(t);
}

constexpr uint16_t On(int month, int day) { return static_cast<uint16_t>(month * 32 + day); }

std::vector<uint16_t> Days(std::string_view text) {
  TokenizedText t;
  Tokenize(text, &t);
  std::vector<uint16_t> days;
  TextDays(t, {}, 8, &days);
  return days;
}

// The days a text names for its events: not its dateline's (capitalised words before it).
TEST(DatelineTest, TextDaysAreTheEventsNotTheDateline) {
  using Days_ = std::vector<uint16_t>;
  EXPECT_EQ(Days("NEW YORK, March 3 - Borden called for redemption on March 23 of its notes"),
            Days_{On(3, 23)});
  EXPECT_EQ(Days("МОСКВА, 25 мая. /ТАСС/. Выборы пройдут 8 сентября."), Days_{On(9, 8)});
  // Kazakh months with a case ending count too ("12 наурызда", "22 маусымнан", "30 қазанға").
  EXPECT_EQ(Days("Қарағанды. 6 наурыз. DKnews.kz – Жиын 12 наурызда өтеді."), Days_{On(3, 12)});
  EXPECT_EQ(Days("Алматыда жұмыстар 22 маусымнан 30 қазанға дейін жүреді"),
            (Days_{On(6, 22), On(10, 30)}));
  EXPECT_EQ(Days("В связи с плановыми работами на электросетях 12 ноября с 09:00 будет "
                 "отключена электроэнергия"),
            Days_{On(11, 12)});
  EXPECT_EQ(Days("С 1 по 30 ноября проводится мероприятие"), Days_{On(11, 30)});
  EXPECT_EQ(Days("Алматы қаласында 15 маусым күні ыстық су болмайды"), Days_{On(6, 15)});
  EXPECT_EQ(Days("Прогноз на 21 ноября и 22 ноября, затем 21 ноября снова"),
            (Days_{On(11, 21), On(11, 22)}));
  // A text that opens with its day, or a preposition before it, names its event's day; a day
  // alone in its line is a dateline's.
  EXPECT_EQ(Days("12 ноября с 09:00 будет отключена электроэнергия"), Days_{On(11, 12)});
  EXPECT_EQ(Days("On 12 November, the power will be cut off"), Days_{On(11, 12)});
  EXPECT_EQ(Days("Москва. 12 ноября. INTERFAX.RU - Пропавшая девушка найдена"), Days_{});
  // A range has both ends, however written.
  EXPECT_EQ(Days("The festival runs from 20-30 November"), (Days_{On(11, 30), On(11, 20)}));
  EXPECT_EQ(Days("The festival runs from November 20-30"), (Days_{On(11, 20), On(11, 30)}));
  // A dateline under a photo caption is still a dateline.
  EXPECT_EQ(Days("Photo: the harbour of the town seen from the old lighthouse at dawn\n"
                 "ASTANA, 12 November - The council met on 14 November"),
            Days_{On(11, 14)});
}

// A date line over the text (a year, a time, an agency after the day; a byline before it) is
// the outlet's own date, not the event's; Kazakh forms with a case ending are in a sentence,
// never a dateline; a second number after the month is a range's end only when later.
TEST(DatelineTest, DateLinesWithAYearOrATimeAreNoEventsDays) {
  using Days_ = std::vector<uint16_t>;
  EXPECT_EQ(Days("12 ноября 2024 г., 10:35\nВ Алматы прошла встреча"), Days_{});
  EXPECT_EQ(Days("November 12, 2024 10:35 AM\nThe council met again"), Days_{});
  EXPECT_EQ(Days("12 қараша 2024 ж.\nАлматыда жиын өтті"), Days_{});
  EXPECT_EQ(Days("By Jane Doe, November 12, 2024\nThe council met again"), Days_{});
  EXPECT_EQ(Days("12 ноября 2024 года в Алматы пройдет встреча"), Days_{On(11, 12)});
  EXPECT_EQ(Days("Алматыда 12 наурызда жиын өтеді"), Days_{On(3, 12)});
  EXPECT_EQ(Days("АСТАНА. 12 наурыз. ҚазАқпарат - Жиын 15 наурызда өтеді."), Days_{On(3, 15)});
  EXPECT_EQ(Days("Сарапшылар 12 наурыздағы жиынды талқылады"), Days_{On(3, 12)});
  EXPECT_EQ(Day("Алматыда 12 наурызда жиын өтеді"), 0);
  EXPECT_EQ(Days("The storm hit on November 12, 9 people were hurt"), Days_{On(11, 12)});
  EXPECT_EQ(Days("The storm hit on November 12, 10:35 local time"), Days_{On(11, 12)});
  // A clock time after the day, or before it, is no range ("November 5, 10:00 to 17:00").
  EXPECT_EQ(Days("Power will be off on November 5, 10:00 to 17:00"), Days_{On(11, 5)});
  EXPECT_EQ(Days("Отключение с 9:30 12 ноября до вечера"), Days_{On(11, 12)});
  EXPECT_EQ(Days("The festival runs from 20-30 November"), (Days_{On(11, 30), On(11, 20)}));
  // "By" opens a deadline sentence; only a byline's name after it makes a date line.
  EXPECT_EQ(Days("By November 30 all lenders must report their rates"), Days_{On(11, 30)});
  EXPECT_EQ(Days("By Friday, November 29, applicants must file"), Days_{On(11, 29)});
  EXPECT_EQ(Days("12 ноября 2024, 10:35 мск\nВ Алматы прошла встреча"), Days_{});
  EXPECT_EQ(Days("09:10, 13 ноября 2024\nЦены на бензин выросли"), Days_{});
  EXPECT_EQ(Days("10:35, 12 ноября 2024\nЦены на бензин выросли"), Days_{});
}

// A month named without a day ("в октябре", "in October", "қарашада") is day 0 of it, once per
// month and only when no day names it; "may" and "march" are months only next to a day.
TEST(DatelineTest, TextDaysHoldTheMonthsNamedWithoutADay) {
  using Days_ = std::vector<uint16_t>;
  EXPECT_EQ(Days("Цены на жилье в октябре выросли на 1,2%, а в сентябре на 0,8%"),
            (Days_{On(10, 0), On(9, 0)}));
  EXPECT_EQ(Days("Prices rose in October, the bureau said on 3 November"),
            (Days_{On(11, 3), On(10, 0)}));
  EXPECT_EQ(Days("Выставка пройдет 12 ноября, а в ноябре и декабре откроются еще две"),
            (Days_{On(11, 12), On(12, 0)}));
  EXPECT_EQ(Days("Баға қазан айында 2 пайызға өсті, қазанда сұраныс артты"), Days_{On(10, 0)});
  EXPECT_EQ(Days("Up to 20 may have died in the protest march"), Days_{});
  // Names and words that are also months: English months alone only after a preposition,
  // Kazakh ones only before "ай..." (month), Russian "май" never alone (Kazakh "butter").
  EXPECT_EQ(Days("Reporting by Jan Strupczewski; editing by June Smith"), Days_{});
  EXPECT_EQ(Days("By Philip Blenkinsop and Jan Strupczewski, for April Smith"), Days_{});
  EXPECT_EQ(Days("Қазан айындағы инфляция, қарашада баға өсті, Қазанда жиын"),
            (Days_{On(10, 0), On(11, 0)}));
  EXPECT_EQ(Days("Sales fell in June and rose since August"), (Days_{On(6, 0), On(8, 0)}));
  EXPECT_EQ(Days("Сары май бағасы өсті, жаңа маусым басталды, Қазан қаласында"), Days_{});
  EXPECT_EQ(Days("Цены выросли в мае, итоги мая подведут позже"), Days_{On(5, 0)});
  EXPECT_EQ(Days("МОСКВА, 25 мая. /ТАСС/. Итоги марта подведут позже"), Days_{On(3, 0)});
}

// The weekdays TextDays finds, in order, without their keys.
std::vector<int> Weekdays(std::string_view text) {
  std::vector<int> weekdays;
  for (const uint16_t day : Days(text)) {
    if (day >= kWeekdayEntries) weekdays.push_back((day - kWeekdayEntries) % 8);
  }
  return weekdays;
}

// Weekdays named as events' days, after the days and months, keyed by the word before them.
TEST(DatelineTest, TextDaysHoldTheWeekdaysNamedForEvents) {
  using Weekdays_ = std::vector<int>;
  EXPECT_EQ(Weekdays("Brent rose on Monday and the bureau said Tuesday's data was late"),
            (Weekdays_{1, 2}));
  EXPECT_EQ(Weekdays("В понедельник цены выросли, во вторник упали, до пятницы торгов не будет"),
            (Weekdays_{1, 2, 5}));
  EXPECT_EQ(Weekdays("Сейсенбі күні жиын өтті, сәрсенбіде сот басталады"), (Weekdays_{2, 3}));
  // Not a weekday: the environment, every Monday, Kazakh "in the week", a date's weekday.
  EXPECT_EQ(Weekdays("Выбросы в окружающую среду сократились, по понедельникам музей закрыт"),
            Weekdays_{});
  EXPECT_EQ(Weekdays("Бір жұмада жұма намазы өтті"), Weekdays_{});
  EXPECT_EQ(Days("The vote is on Monday, December 6, and the count on 7 December"),
            (std::vector<uint16_t>{On(12, 6), On(12, 7)}));
  EXPECT_EQ(Days("В понедельник, 6 декабря, прошло заседание"), (std::vector<uint16_t>{On(12, 6)}));
  const std::vector<uint16_t> days = Days("Prices rose in October and fell on Friday");
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0], On(10, 0));
  // The key is the word before the weekday past prepositions: "fell" in both.
  EXPECT_EQ(days[1], Days("Exports fell on Friday")[0]);
  EXPECT_EQ(Days("Exports fell last Friday")[0], Days("Exports fell on Friday")[0]);
  EXPECT_NE(Days("Exports rose on Friday")[0], Days("Exports fell on Friday")[0]);
}

std::vector<std::pair<uint32_t, uint32_t>> Spans(std::string_view text) {
  TokenizedText t;
  Tokenize(text, &t);
  std::vector<uint16_t> days;
  std::vector<TokenSpan> spans;
  TextDays(t, {}, 8, &days, &spans);
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (const TokenSpan& s : spans) out.emplace_back(s.begin, s.end);
  return out;
}

// The outlet's own date and time: the dateline's day with its year and time, a date line, a
// time line among the first lines; not a day in the story, nor a year or time after it.
TEST(DatelineTest, DateSpansAreTheOutletsDatesAndTimes) {
  using Spans_ = std::vector<std::pair<uint32_t, uint32_t>>;
  // almaty kazakhstan dec 6 2026 prnewswire the bank ...
  EXPECT_EQ(Spans("ALMATY, Kazakhstan, Dec. 6, 2026 /PRNewswire/ -- The bank kept it at 16.25%."),
            (Spans_{{2, 5}}));
  // 6 декабря 2026 в 10 15 | текст ...
  EXPECT_EQ(Spans("6 декабря 2026 в 10:15\nТекст новости, 5 человек."), (Spans_{{0, 6}}));
  EXPECT_EQ(Spans("Today, 10:15\nText of the story, 5 people."), (Spans_{{0, 3}}));
  EXPECT_EQ(Spans("МОСКВА, 25 мая. В 2025 году выросло на 5%."), (Spans_{{1, 3}}));
  EXPECT_EQ(Spans("Выставка пройдет 12 ноября 2026 года в 10:00."), Spans_{});
  EXPECT_EQ(Spans("Today 5 people died in a fire, 10:15 reports said."), Spans_{});
}

TEST(DatelineTest, ReadsTheDayOfWireDatelines) {
  EXPECT_EQ(Day("WASHINGTON, March 13 - Prices of wholesale energy goods rose."), On(3, 13));
  EXPECT_EQ(Day("NEW YORK, Apr 9 (Reuters) - Japanese Finance Minister said."), On(4, 9));
  EXPECT_EQ(Day("BOCA RATON, Fla., March 22 - U.S. House Ways and Means chairman"), On(3, 22));
  EXPECT_EQ(Day("RIO DE JANEIRO, MARCH 18 - Brazilian consumer prices rose"), On(3, 18));
  EXPECT_EQ(Day("Lima, march 9 - a confidential report said"), On(3, 9));
  EXPECT_EQ(Day("LONDON, 13 March - The Bank of England"), On(3, 13));
  EXPECT_EQ(Day("<p>Home | Business</p><p>PARIS, Dec 1 - Growth in oil use</p>"), On(12, 1));
}

TEST(DatelineTest, ReadsRussianAndKazakhDatelines) {
  EXPECT_EQ(Day("МОСКВА, 25 мая. /ТАСС/. Правительство утвердило план."), On(5, 25));
  EXPECT_EQ(Day("Санкт-Петербург, 7 ноября — РИА Новости. Текст."), On(11, 7));
  EXPECT_EQ(Day("Қарағанды. 6 наурыз. DKnews.kz – Облыста жаңа мектеп ашылды."), On(3, 6));
  // Typed without Kazakh letters, or with Latin look-alikes: the same day.
  EXPECT_EQ(Day("Астана, 12 кантар. Жаңа жол ашылды."), On(1, 12));
  EXPECT_EQ(Day("Астана, 12 қаңтар. Жаңа жол ашылды."), On(1, 12));
  EXPECT_EQ(Day("Алматы, 3 сәуір. Жаңа жол ашылды."), On(4, 3));
}

TEST(DatelineTest, ANumberOfTheFirstSentenceIsNotTheDay) {
  EXPECT_EQ(Day("МОСКВА, 25 мая. 15 человек пострадали при взрыве."), On(5, 25));
  EXPECT_EQ(Day("LONDON, 13 March - 5 people died in a fire."), On(3, 13));
  EXPECT_EQ(Day("Астана. 6 наурыз. 12 адам зардап шекті."), On(3, 6));
  EXPECT_EQ(Day("Up to 20 may have died in the blast, officials said."), 0);
  EXPECT_EQ(Day("WASHINGTON, May 20 - Up to 20 may have died."), On(5, 20));
  // Қазан is October, and Kazan: a city's name before a date is no date of its own.
  EXPECT_EQ(Day("Қазан, 5 наурыз. Қалада жаңа көпір ашылды."), On(3, 5));
  EXPECT_EQ(Day("Қазан қаласы, 5 наурыз. Қалада жаңа көпір ашылды."), On(3, 5));
  EXPECT_EQ(Day("Казан 2 литр су сыяды."), 0);
}

TEST(DatelineTest, NoDayWithoutADatelineAtTheStart) {
  EXPECT_EQ(Day("CALGARY, Alberta - Qtr ends"), 0);  // no day in the dateline
  EXPECT_EQ(Day("Prices rose 13 pct in March, the department said."), 0);
  EXPECT_EQ(Day("March 45 - not a day"), 0);
  EXPECT_EQ(Day("The company said on Tuesday it would report first-quarter results on May 5."),
            0);  // past the first tokens
  EXPECT_EQ(Day(""), 0);
}

TEST(DatelineTest, FilingsOfOneSourceOnOtherDaysDiffer) {
  const uint64_t a = FilingKey("reuters", On(3, 11));
  const uint64_t b = FilingKey("reuters", On(3, 12));
  EXPECT_TRUE(OtherFiling(a, b));
  EXPECT_FALSE(OtherFiling(a, a));
  EXPECT_FALSE(OtherFiling(a, FilingKey("outlet", On(3, 12))));  // another source's copy
  EXPECT_FALSE(OtherFiling(a, FilingKey("reuters", 0)));         // no dateline day
  EXPECT_EQ(FilingKey("reuters", 0), 0u);
  EXPECT_EQ(FilingDay(b), On(3, 12));
}

}  // namespace
}  // namespace newsd::dedup
