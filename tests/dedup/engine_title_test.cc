// Engine: titles: title-only and byline-only items, and what a shared title cannot join.

#include <gtest/gtest.h>

#include <string>

#include "dedup/engine.h"
#include "tests/dedup/engine_test_util.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

// A title-only item joins the story of its title; a different full text under the same daily
// title is not joined to that story through it (titles never join two full texts).
TEST_F(EngineTest, ATitleOnlyItemDoesNotBridgeTwoFullTexts) {
  const std::string title = "Official exchange rate of the national currency set";
  EXPECT_EQ(IngestTitled("mon", "bank", title,
                         "The national bank set the official rate at 12.35 per US dollar for "
                         "Tuesday. Importers complained about the weak currency, and the finance "
                         "minister promised support for exporters in the north.",
                         k1987),
            "mon");
  EXPECT_EQ(IngestTitled("t", "wire", title, "", k1987 + 1800), "mon");
  EXPECT_EQ(IngestTitled("tue", "bank", title,
                         "Wednesday's official rate was fixed at 14.80 per dollar after a sharp "
                         "overnight sell-off in regional markets. Traders blamed comments on "
                         "budget spending and warned of volatility before the election.",
                         k1987 + 86400),
            "tue");
}

TEST_F(EngineTest, EmptyTextFallsBackToTitle) {
  Fingerprint fp = engine_.MakeFingerprint({"s", "Markets close higher", "", k1987});
  EXPECT_EQ(fp.shingles.size(), 1u);
  Fingerprint none = engine_.MakeFingerprint({"s", "", "", k1987});
  EXPECT_TRUE(none.shingles.empty());
  EXPECT_FALSE(engine_.FindMatch(none).is_copy);
}

constexpr char kHarbourTitle[] = "Harbour workers end strike after pay deal";

TEST_F(EngineTest, ABylineOnlyItemJoinsTheStoryItsTitleNames) {
  IngestTitled("full", "paper", kHarbourTitle, testing::kHarbour, k1987);
  IngestTitled("other", "paper", "Vaccine trial shows strong response", testing::kVaccine, k1987);
  Match m;
  // Nothing of the text is in the story: only its title, behind a wire prefix, says which.
  EXPECT_EQ(IngestTitled("rpt", "wire", std::string("RPT-") + kHarbourTitle,
                         "By Reuters Staff. ROTTERDAM.", k1987 + 3600, &m),
            "full");
  EXPECT_EQ(m.path, Path::kTitle);
  // A title-only item ("Главное:" style prefix, no text at all) joins too.
  EXPECT_EQ(
      IngestTitled("bare", "rss", std::string("Top story: ") + kHarbourTitle, "", k1987 + 7200),
      "full");
  // A title of fewer than kTitleMinWords words is no evidence.
  IngestTitled("short1", "paper", "Markets", testing::kRailway, k1987);
  EXPECT_EQ(IngestTitled("short2", "rss", "Markets", "By Reuters Staff.", k1987), "short2");
}

TEST_F(EngineTest, TitlesThatDifferInTheirFirstWordsAreOtherStories) {
  // Each title matches the other only with its first words left out: those words are the
  // subject (a city, a company), not a prefix one of them added.
  IngestTitled("almaty", "rss", "В Алматы открылся новый центр обслуживания населения", "", k1987);
  EXPECT_EQ(IngestTitled("shymkent", "rss",
                         "В Шымкенте открылся новый центр обслуживания населения", "", k1987 + 60),
            "shymkent");
  IngestTitled("acme", "wire", "Acme Robotics to Report Fourth Quarter 2025 Results", "", k1987);
  EXPECT_EQ(IngestTitled("zephyr", "wire", "Zephyr Bio to Report Fourth Quarter 2025 Results", "",
                         k1987 + 60),
            "zephyr");
  // A prefix on one side still matches the whole of the other.
  EXPECT_EQ(IngestTitled("main", "rss", "Главное: В Алматы открылся новый центр обслуживания", "",
                         k1987 + 120),
            "main");
  EXPECT_EQ(
      IngestTitled("plain", "rss", "В Алматы открылся новый центр обслуживания", "", k1987 + 180),
      "main");
}

TEST_F(EngineTest, AStoryJoinsATitleOnlyItemThatCameFirst) {
  IngestTitled("bare", "rss", kHarbourTitle, "", k1987);
  EXPECT_EQ(IngestTitled("full", "paper", kHarbourTitle, testing::kHarbour, k1987 + 600), "bare");
}

TEST_F(EngineTest, AHeadlineOnlyItemJoinsItsStoryHoweverLongTheHeadline) {
  // A headline of 12 words makes 9 shingles, enough to be compared by words, which never
  // found the story: its words are the headline's, not the text's. It has no text of its own,
  // so the headline decides, whichever came first.
  const std::string title =
      "City council approves plan to rebuild the old harbour wall damaged by winter storms";
  IngestTitled("full", "paper", title, testing::kHarbour, k1987);
  EXPECT_EQ(IngestTitled("headline", "rss", title, "", k1987 + 600), "full");
  EXPECT_TRUE(engine_.IndexedFingerprint("headline")->title_only);
  const std::string vaccine_title =
      "Health ministry says the new vaccine trial showed a strong immune response in volunteers";
  IngestTitled("headline2", "rss", vaccine_title, "", k1987 + 1000);
  EXPECT_EQ(IngestTitled("full2", "paper", vaccine_title, testing::kVaccine, k1987 + 1600),
            "headline2");
  // Another story's long headline joins neither.
  EXPECT_EQ(IngestTitled("other", "rss",
                         "Railway operator announces new timetable for the northern lines from May",
                         "", k1987 + 900),
            "other");
  // Two full texts under one long title stay apart, as under any title.
  EXPECT_EQ(IngestTitled("full3", "paper", title, testing::kRailway, k1987 + 1200), "full3");
}

TEST_F(EngineTest, ATitleOfTwoStoriesInTheWindowDecidesNothing) {
  // One daily title over two different stories in the window: a byline-only item of that
  // title could be either.
  const std::string title = "Fed adds reserves via customer repurchases";
  IngestTitled("d1", "reuters", title, MarketReport(3, 2, 6, 5), k1987);
  IngestTitled("d2", "reuters", title, MarketReport(4, 3, 7, 8), k1987 + 6 * 3600);
  EXPECT_EQ(IngestTitled("rss", "rss", title, "By Reuters Staff.", k1987 + 6 * 3600 + 60), "rss");
}

TEST_F(EngineTest, ATitleJoinsOnlyItemsOfTheSameHalfDay) {
  // A rubric title recurs every day: today's title-only item is not yesterday's story, and
  // today's report then joins it.
  const std::string title = "Fed adds reserves via customer repurchases";
  IngestTitled("d1", "reuters", title, MarketReport(3, 2, 6, 5), k1987);
  EXPECT_EQ(IngestTitled("bare", "rss", title, "", k1987 + 86400), "bare");
  EXPECT_EQ(IngestTitled("d2", "reuters", title, MarketReport(4, 3, 7, 8), k1987 + 86400 + 600),
            "bare");
}

TEST_F(EngineTest, TwoShortBodiesAlikeAreJoinedByTheirTitlesOnly) {
  const std::string teaser = "Read the full story on our website";
  IngestTitled("rate", "short", "Tenge strengthens to 448.12 per dollar", teaser, k1987);
  EXPECT_EQ(IngestTitled("covid", "short", "Kazakhstan reports 1,021 new COVID-19 cases", teaser,
                         k1987 + 1800),
            "covid");
  EXPECT_EQ(IngestTitled("rate2", "other", "Tenge strengthens to 448.12 per dollar", teaser,
                         k1987 + 3600),
            "rate");
}

TEST_F(EngineTest, ASharedTitleNeverJoinsTwoFullTexts) {
  IngestTitled("a", "paper", kHarbourTitle, testing::kHarbour, k1987);
  EXPECT_EQ(IngestTitled("b", "paper", kHarbourTitle, testing::kVaccine, k1987 + 60), "b");
}

TEST_F(EngineTest, RestoredIndexFindsStoriesByTitle) {
  IngestTitled("full", "paper", kHarbourTitle, testing::kHarbour, k1987);
  Engine restored{Options{}};
  for (const auto& [k, fk] : persisted_) {
    ASSERT_TRUE(restored.Restore(fk.first, fk.second, values_[k]).ok()) << k;
  }
  const Match m =
      restored.FindMatch(restored.MakeFingerprint({"rss", kHarbourTitle, "", k1987 + 60}));
  EXPECT_TRUE(m.is_copy);
  EXPECT_EQ(m.story, "full");
}

}  // namespace
}  // namespace newsd::dedup
