// Engine: dates: datelines, corrected dates, notices and reports for another day.

#include <gtest/gtest.h>

#include <string>

#include "dedup/engine.h"
#include "tests/dedup/engine_test_util.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

// A wire's correction of the date in its story ("CORRECTED - ...", one source, one dateline)
// joins the story it corrects; the same text with another date and no such title is another
// day's event, as before.
TEST_F(EngineTest, ACorrectionOfADateJoinsTheStoryItCorrects) {
  auto story = [](const char* when) {
    return std::string(
               "DETROIT, April 1 - General Motors Corp will idle six of its car "
               "assembly plants, temporarily laying off 21,600 workers, according to "
               "spokespersons for the company's groups.\n\nThe automaker will shut "
               "three plants each in its two groups. The plants will be closed for a "
               "week starting ") +
           when +
           " for inventory adjustment.\n\nFive of the plants are located in the United "
           "States. The sixth is in Canada.";
  };
  EXPECT_EQ(IngestTitled("orig", "reuters", "GM TO IDLE SIX PLANTS", story("August 6"), k1987),
            "orig");
  EXPECT_EQ(IngestTitled("fix", "reuters", "CORRECTED - GM TO IDLE SIX PLANTS", story("April 6"),
                         k1987 + 3600),
            "orig");
  EXPECT_EQ(IngestTitled("other", "reuters", "GM TO IDLE SIX PLANTS", story("May 6"), k1987 + 7200),
            "other");
  // A correction that reached the index before the story it corrects (another of the
  // source's feeds) is joined by it.
  auto ford = [](const char* when) {
    return std::string(
               "DEARBORN, April 4 - Ford Motor Co said it would close two of its truck "
               "plants for a week starting ") +
           when +
           " to cut dealer inventories, laying off about 5,200 hourly workers at the Kentucky "
           "and Michigan plants.\n\nThe company said demand for its light trucks remained "
           "strong but stocks had risen to 85 days of sales.";
  };
  EXPECT_EQ(IngestTitled("fix2", "reuters", "CORRECTED - FORD TO CLOSE TWO TRUCK PLANTS",
                         ford("May 11"), k1987 + 3 * 86400 + 3600),
            "fix2");
  EXPECT_EQ(IngestTitled("orig2", "reuters", "FORD TO CLOSE TWO TRUCK PLANTS", ford("March 11"),
                         k1987 + 3 * 86400),
            "fix2");
  // Another source's "correction" is no correction of this story.
  EXPECT_EQ(IngestTitled("theirs", "outlet", "CORRECTED - GM TO IDLE SIX PLANTS", story("June 6"),
                         k1987 + 7300),
            "theirs");
}

TEST_F(EngineTest, OneSourceFilingAStoryAgainOnAnotherDayStartsANewStory) {
  Ingest("mar11", "wire", Filed(11), k1987);
  // Another outlet's copy, without the dateline, joins the first filing.
  EXPECT_EQ(Ingest("copy", "outlet", testing::kHarbour, k1987 + 3600), "mar11");
  // The same outlet again the same day (an update): a copy.
  EXPECT_EQ(Ingest("update", "wire", Filed(11), k1987 + 7200), "mar11");
  // The wire sends it again under the next day's dateline: the next day's story, which no
  // member of the first (the undated copy neither) is a copy of.
  Match m;
  EXPECT_EQ(Ingest("mar12", "wire", Filed(12), k1987 + 86400, &m), "mar12");
  EXPECT_FALSE(m.is_copy);
  // Another outlet's copy of the second filing joins it (the dateline's figure agrees).
  EXPECT_EQ(Ingest("dated-copy", "outlet2", Filed(12), k1987 + 90000), "mar12");
  // Two sources under datelines of other days: a copy, as before.
  Ingest("vaccine", "wire", "LONDON, May 3 - " + std::string(testing::kVaccine), k1987);
  EXPECT_EQ(Ingest("vaccine-copy", "outlet", "PARIS, May 4 - " + std::string(testing::kVaccine),
                   k1987 + 86400),
            "vaccine");
}

TEST_F(EngineTest, AnotherDaysFilingUnderTheTitleMakesTheTitleAmbiguous) {
  const std::string title = "City council approves harbour wall plan";
  IngestTitled("mar11", "wire", title, Filed(11), k1987);
  IngestTitled("other", "outlet", title, testing::kVaccine, k1987 + 80000);
  // A dateline alone under that title: the title names two stories (the wire's own of the
  // day before among them), so it decides nothing.
  Match m;
  EXPECT_EQ(IngestTitled("bare", "wire", title, "NEW YORK, March 12 -", k1987 + 86400, &m), "bare");
  EXPECT_FALSE(m.is_copy);
}

TEST_F(EngineTest, TheDatelineRuleHoldsAfterARestart) {
  Ingest("mar11", "wire", Filed(11), k1987);
  Engine restored{Options{}};
  for (const auto& [k, fk] : persisted_) {
    ASSERT_TRUE(restored.Restore(fk.first, fk.second, values_[k]).ok()) << k;
  }
  const std::string text = Filed(12);
  const Fingerprint fp = restored.MakeFingerprint({"wire", "", text, k1987 + 86400});
  EXPECT_FALSE(restored.FindMatch(fp).is_copy);
  const Fingerprint same_day = restored.MakeFingerprint({"wire", "", Filed(11), k1987 + 600});
  EXPECT_TRUE(restored.FindMatch(same_day).is_copy);
}

// A notice from one template for another day (a power cut on 12 November, then on 19
// November, same streets) is another story, whoever publishes it; the same notice again, or
// its copy, names the same day and joins. A wire dateline is no such day: an outlet dates its
// copy with its own ("LONDON, March 12 -" above the wire's "March 11" text).
TEST_F(EngineTest, ANoticeForAnotherDayIsAnotherStory) {
  auto notice = [](const char* day) {
    return std::string("Due to planned maintenance of the power grid on ") + day +
           " from 09:00 to 17:00, electricity will be cut off at the following addresses: "
           "Abay street, houses 10 to 24; Zhambyl street, houses 1 to 15; Seifullin avenue, "
           "houses 33 to 47. The power company apologises for the inconvenience and asks "
           "residents to switch off their electrical appliances in advance.";
  };
  EXPECT_EQ(Ingest("nov12", "power", notice("12 November"), k1987), "nov12");
  EXPECT_EQ(Ingest("nov19", "portal", notice("19 November"), k1987 + 3600), "nov19");
  EXPECT_EQ(Ingest("nov19-copy", "paper", notice("19 November"), k1987 + 7200), "nov19");
  EXPECT_EQ(Ingest("wire", "reuters", "LONDON, March 11 - " + std::string(testing::kHarbour),
                   k1987 + 86400),
            "wire");
  EXPECT_EQ(Ingest("redated", "outlet", "LONDON, March 12 - " + std::string(testing::kHarbour),
                   k1987 + 90000),
            "wire");
}

// Two outlets run one story under date lines of their own days ("12 ноября 2024 г., 10:35",
// "By Jane Doe, November 13, 2024"): the outlets' dates, not the event's, so they join.
TEST_F(EngineTest, CopiesUnderDateLinesOfOtherDaysJoin) {
  const std::string story =
      "Prices of wholesale energy goods rose sharply in the third quarter, the statistics "
      "office said, as fuel costs climbed for the fourth quarter running and factories passed "
      "higher bills on to their customers across the country.";
  EXPECT_EQ(Ingest("first", "paper", "November 12, 2024 10:35 AM\n" + story, k1987), "first");
  EXPECT_EQ(Ingest("second", "portal", "By Jane Doe, November 13, 2024\n" + story, k1987 + 3600),
            "first");
}

// A monthly report from one template for another month ("в октябре" against "в ноябре",
// whose figures are keyed by the month word and never compared) is another story; its copy,
// or a snippet of it, names the same month and joins.
TEST_F(EngineTest, AMonthlyReportForAnotherMonthIsAnotherStory) {
  auto report = [](const char* month, const char* price) {
    return std::string(
               "По данным бюро статистики, средняя цена квадратного метра жилья на "
               "вторичном рынке Алматы в ") +
           month + " составила " + price +
           " тенге. За год жилье подорожало на 14,2 процента. Больше всего сделок пришлось на "
           "Бостандыкский и Алмалинский районы, где продается почти половина квартир города. "
           "Аналитики ожидают, что спрос сохранится до конца года.";
  };
  EXPECT_EQ(Ingest("oct", "stat", report("октябре", "512 400"), k1987), "oct");
  EXPECT_EQ(Ingest("nov", "portal", report("ноябре", "512 400"), k1987 + 3600), "nov");
  EXPECT_EQ(Ingest("nov-copy", "paper", report("ноябре", "512 400"), k1987 + 7200), "nov");
  EXPECT_EQ(Ingest("oct-snippet", "news",
                   "По данным бюро статистики, средняя цена квадратного метра жилья на вторичном "
                   "рынке Алматы в октябре составила 512 400 тенге...",
                   k1987 + 9000),
            "oct");
}

// A daily report from one template for another weekday ("в понедельник" against "во
// вторник", every figure alike) is another story; its copy names the same weekday and joins,
// and so does a copy that wrote the weekdays as dates ("4 ноября"). (English weekdays are
// capitalised: the name guard tells them apart already.)
TEST_F(EngineTest, ADailyReportForAnotherWeekdayIsAnotherStory) {
  auto report = [](const char* day, const char* before) {
    return std::string("Нефть подорожала ") + day +
           " на фоне признаков сокращения предложения и укрепления доллара. Фьючерсы на нефть "
           "марки Брент выросли на 42 цента, до 74,10 доллара за баррель, а нефть марки WTI "
           "подорожала на 38 центов, до 70,25 доллара. Цены снизились " +
           before +
           " после того, как отраслевой отчет показал рост запасов нефти больше ожидаемого. "
           "Аналитики будут внимательно следить за еженедельными данными правительства.";
  };
  EXPECT_EQ(Ingest("mon", "wire", report("в понедельник", "в пятницу"), k1987), "mon");
  EXPECT_EQ(Ingest("tue", "portal", report("во вторник", "в понедельник"), k1987 + 3600), "tue");
  EXPECT_EQ(Ingest("tue-copy", "paper", report("во вторник", "в понедельник"), k1987 + 7200),
            "tue");
  EXPECT_EQ(Ingest("mon-dated", "daily", report("4 ноября", "1 ноября"), k1987 + 9000), "mon");
}

}  // namespace
}  // namespace newsd::dedup
