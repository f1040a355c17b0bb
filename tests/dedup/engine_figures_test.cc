// Engine: figures and names: reports from one template stay apart, copies written otherwise match.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dedup/engine.h"
#include "tests/dedup/engine_test_util.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

TEST_F(EngineTest, TemplateSiblingsWithDifferentNumbersStayApart) {
  EXPECT_EQ(Ingest("d1", "reuters", MarketReport(3, 2, 6, 5), k1987), "d1");
  EXPECT_EQ(Ingest("d2", "reuters", MarketReport(4, 3, 7, 8), k1987 + 86400), "d2");
  EXPECT_EQ(Ingest("d3", "reuters", MarketReport(5, 4, 9, 1), k1987 + 2 * 86400), "d3");
  // A true re-send of day 5 joins day 5 only.
  EXPECT_EQ(Ingest("d3b", "wire", MarketReport(5, 4, 9, 1), k1987 + 2 * 86400 + 60), "d3");
}

// Daily rates differ in their decimals: "12.35" and "12.53" are two figures, not the shared
// numbers 12, 35 and 12, 53 (nor "448,5" and "448,9" the shared 448).
TEST_F(EngineTest, DailyRatesThatDifferInTheirDecimalsStayApart) {
  auto rates = [](const std::string& usd, const std::string& eur) {
    return "The national bank set the official exchange rate of the crown at " + usd +
           " per US dollar for the next day, the bank said in a statement on its website. The "
           "rate against the euro was set at " +
           eur +
           " crowns. The official rate is used for customs payments, tax calculations and the "
           "accounts of state companies, and commercial banks may deviate from it within limits.";
  };
  EXPECT_EQ(Ingest("mon", "bank", rates("12.35", "13.21"), k1987), "mon");
  EXPECT_EQ(Ingest("tue", "bank", rates("12.53", "13.12"), k1987 + 86400), "tue");
  EXPECT_EQ(Ingest("wed", "bank", rates("448,5", "481,2"), k1987 + 2 * 86400), "wed");
  EXPECT_EQ(Ingest("thu", "bank", rates("448,9", "481,7"), k1987 + 3 * 86400), "thu");
  EXPECT_EQ(Ingest("tue-copy", "paper", rates("12.53", "13.12"), k1987 + 86400 + 600), "tue");
}

// A weather report: one template, half of the figures the same from one day to the next
// (the number guard alone lets such pairs through).
std::string Weather(int night_lo, int night_hi, int day_lo, int day_hi, const char* wind) {
  return "Tomorrow in Moscow the temperature will be from " + std::to_string(night_lo) + " to " +
         std::to_string(night_hi) + " degrees at night and from " + std::to_string(day_lo) +
         " to " + std::to_string(day_hi) + " during the day. Wind north-west, " + wind +
         " m/s. Light snow is expected in the afternoon, and roads may be icy in the evening.";
}

TEST_F(EngineTest, ReportsFromOneTemplateWithOtherFiguresStayApart) {
  EXPECT_EQ(Ingest("sat", "meteo", Weather(-24, -19, -19, -15, "5-10"), k1987), "sat");
  EXPECT_EQ(Ingest("sun", "meteo", Weather(-8, -3, -15, -11, "5-10"), k1987 + 86400), "sun");
  // A snippet of Sunday's report (its first sentence) joins Sunday, not Saturday.
  const std::string sunday = Weather(-8, -3, -15, -11, "5-10");
  EXPECT_EQ(Ingest("sun-rss", "paper", sunday.substr(0, sunday.find(". ") + 1), k1987 + 90000),
            "sun");
  EXPECT_EQ(Ingest("sun-copy", "paper", "MOSCOW (Reuters) - " + sunday, k1987 + 90060), "sun");
}

// A report from one template whose figures are all the same: only the place differs.
std::string Fire(const std::string& street, const std::string& city) {
  return "A fire broke out in a residential building on " + street + " street in " + city +
         " on Tuesday morning, the emergency situations department said. Firefighters arrived "
         "within 7 minutes and put out the fire on an area of 40 square metres on the third "
         "floor. 15 residents, among them 4 children, were evacuated from the building, and no "
         "one was hurt. The cause of the fire is being established.";
}

TEST_F(EngineTest, ReportsFromOneTemplateAboutOtherPlacesStayApart) {
  EXPECT_EQ(Ingest("almaty", "dchs", Fire("Abay", "Almaty"), k1987), "almaty");
  Match m;
  EXPECT_EQ(Ingest("astana", "dchs", Fire("Kenesary", "Astana"), k1987 + 3600, &m), "astana");
  // A copy joins its own report, the names agreeing; a misspelt name still agrees (its
  // first letters do), as does one with another ending ("Almaty" / "Almaty's").
  EXPECT_EQ(Ingest("copy", "paper", "ALMATY (Kazinform) - " + Fire("Abay", "Almaty"), k1987 + 4000),
            "almaty");
  EXPECT_EQ(
      Ingest("typo", "site", Fire("Abai", "Almaty") + " Photo by the press service.", k1987 + 4200),
      "almaty");
}

TEST_F(EngineTest, NamesSideBySideAreComparedUnderTheWordsAroundThem) {
  // A Kazakh report names city, district and street one after the other: each name's
  // neighbours are names too, so keyed by its neighbouring tokens no name of one report shared
  // a key with the other's, and the two were joined.
  auto fire = [](const std::string& city, const std::string& district, const std::string& street) {
    return city + " қаласы " + district + " ауданы " + street +
           " көшесіндегі бес қабатты тұрғын үйдің үшінші қабатындағы пәтерде өрт шықты. Өрт 20 "
           "шаршы метр аумақта болды. Өрт сөндірушілер келгенге дейін үйден 15 адам өз бетінше "
           "шықты. Өрт толықтай сөндірілді. Зардап шеккендер жоқ. Өрттің шығу себебі анықталуда.";
  };
  EXPECT_EQ(Ingest("almaty", "dchs", fire("Алматы", "Әуезов", "Абай"), k1987), "almaty");
  EXPECT_EQ(Ingest("astana", "dchs", fire("Астана", "Алматы", "Кенесары"), k1987 + 3600), "astana");
  // A copy under a dateline, where the city no longer opens the sentence, joins its report.
  EXPECT_EQ(Ingest("copy", "paper", "Көкшетау. ҚазАқпарат - " + fire("Алматы", "Әуезов", "Абай"),
                   k1987 + 4000),
            "almaty");
}

// Every name of a run of capitalised words is keyed by the words around the run, so they share
// one key; a line of tens of thousands of them (markup read as words) is read in one pass.
TEST_F(EngineTest, NamesSideBySideShareTheKeyOfTheWordsAroundThem) {
  auto names = [&](const std::string& text) {
    return engine_.MakeFingerprint({"outlet", "", text, k1987}).names;
  };
  const std::vector<Shingle> run = names("we met Alpha Bravo Charlie in town today");
  ASSERT_EQ(run.size(), 3u);
  for (Shingle n : run) EXPECT_EQ(n >> kFigureBits, run[0] >> kFigureBits);
  EXPECT_EQ(names("we met Alpha in town today")[0] >> kFigureBits, run[0] >> kFigureBits);
  EXPECT_NE(names("we met Alpha at home today")[0] >> kFigureBits, run[0] >> kFigureBits);
  std::string line = "they said";
  const std::string letters = "BCDFGHKLMNPRSTVZ";
  for (int i = 0; i < 30000; ++i) {
    line += ' ';
    line += letters[i % 16];
    line += static_cast<char>('a' + (i / 16) % 26);
    line += "ar";
  }
  const std::vector<Shingle> many = names(line + " again");
  // A name per two first letters (416, less those whose 12-bit hashes meet), all under one key.
  EXPECT_GT(many.size(), 350u);
  for (Shingle n : many) EXPECT_EQ(n >> kFigureBits, many[0] >> kFigureBits);
}

TEST_F(EngineTest, NamesAtTheStartOfASentenceAreNotCompared) {
  // "Firefighters" and "Residents" open their sentences: capitals there say nothing.
  std::string a = Fire("Abay", "Almaty");
  std::string b = a;
  b.replace(b.find("Firefighters"), 12, "Rescuers");
  EXPECT_EQ(Ingest("a", "dchs", a, k1987), "a");
  EXPECT_EQ(Ingest("b", "paper", b, k1987 + 600), "a");
}

TEST_F(EngineTest, ACorrectionOfOneFigureOrFiguresInAnotherOrderStillMatch) {
  EXPECT_EQ(Ingest("orig", "wire", Weather(-24, -19, -19, -15, "5-10"), k1987), "orig");
  // One figure corrected: the others agree.
  EXPECT_EQ(Ingest("fix", "wire", Weather(-24, -18, -19, -15, "5-10"), k1987 + 600), "orig");
  // A rewrite that gives the wind's range the other way round: the figure only moved.
  std::string swapped = Weather(-24, -19, -19, -15, "5-10");
  swapped.replace(swapped.find("from -24 to -19"), 15, "from -19 to -24");
  swapped.replace(swapped.find("5-10"), 4, "10.5");
  swapped += " Gusts of 5-10 m/s are possible.";
  EXPECT_EQ(Ingest("rewrite", "paper", swapped, k1987 + 1200), "orig");
}

TEST_F(EngineTest, ACorrectedFigureTheTextRepeatsIsOneCorrection) {
  // A death toll updated from 12 to 15, said twice: one figure changed, the others agree.
  auto crash = [](const std::string& dead) {
    return "At least " + dead +
           " people were killed and 30 injured when a passenger bus collided with a truck on "
           "the Almaty-Bishkek highway on Sunday morning, the Emergencies Ministry said. The bus "
           "was carrying 45 passengers from Almaty to the border town of Korday. Rescue teams "
           "and ambulances were sent to the scene. The cause of the crash is being "
           "investigated. Among the " +
           dead + " dead were two children, the ministry said.";
  };
  EXPECT_EQ(Ingest("first", "wire", crash("12"), k1987), "first");
  EXPECT_EQ(Ingest("update", "paper", crash("15"), k1987 + 3 * 3600), "first");
}

TEST_F(EngineTest, ACopyThatGroupsTheDigitsOtherwiseStillMatches) {
  auto story = [](const char* workers, const char* tonnes) {
    return std::string("The port of Aktau said on Tuesday that ") + workers +
           " dock workers would return to work after a 12 day strike over pay. The harbour "
           "handled " +
           tonnes +
           " tonnes of grain last month, and managers expect the backlog of 30 ships to clear "
           "by the end of the week as cranes resume loading around the clock.";
  };
  EXPECT_EQ(Ingest("orig", "wire", story("2500", "164000"), k1987), "orig");
  EXPECT_EQ(Ingest("copy", "paper", story("2 500", "164 000"), k1987 + 600), "orig");
  EXPECT_EQ(Ingest("next", "wire", story("3 100", "171 000"), k1987 + 86400), "next");
}

TEST_F(EngineTest, ACopyThatSpellsItsScalesOtherwiseStillMatches) {
  auto story = [](const char* a, const char* b, const char* c, const char* d) {
    return std::string("Бюджет области на 2025 год составит ") + a + " рублей, доходы " + b +
           " рублей. На ремонт дорог выделят " + c + " рублей, на школы " + d +
           " рублей, сообщил губернатор.";
  };
  EXPECT_EQ(Ingest("orig", "wire", story("92 млрд", "81 млрд", "7 млн", "640 тыс."), k1987),
            "orig");
  EXPECT_EQ(Ingest("copy", "paper",
                   story("92 миллиарда", "81 миллиард", "7 миллионов", "640 тысяч"), k1987 + 600),
            "orig");
  EXPECT_EQ(
      Ingest("next", "wire", story("95 млрд", "84 млрд", "9 млн", "700 тыс."), k1987 + 86400 * 2),
      "next");
}

TEST_F(EngineTest, AnEnglishCopyThatWritesItsFiguresOutStillMatches) {
  auto story = [](const char* exported, const char* harvested) {
    return std::string("Kazakhstan exported a record ") + exported +
           " tonnes of wheat in October, the agriculture ministry said on Monday, as buyers in "
           "Central Asia, Iran and China stepped up purchases after a bumper harvest. The "
           "country harvested " +
           harvested + " tonnes of grain this year, the largest crop since 2011.";
  };
  EXPECT_EQ(Ingest("orig", "wire", story("1.5 million", "26.7 million"), k1987), "orig");
  EXPECT_EQ(Ingest("copy", "paper", story("1,500,000", "26,700,000"), k1987 + 600), "orig");
  EXPECT_EQ(Ingest("next", "wire", story("1.7 million", "26.7 million"), k1987 + 86400 * 31),
            "next");
}

TEST_F(EngineTest, EditedCopyWithAnAddedSentenceOfNumbersStillMatches) {
  Ingest("orig", "wire", testing::kHarbour, k1987);
  std::string text = testing::kHarbour;
  text += "\n\nThe harbour handled 1.2 million tonnes of cargo in 2023, up 4 pct on 2022.";
  EXPECT_EQ(Ingest("copy", "outlet", text, k1987 + 60), "orig");
}

TEST_F(EngineTest, OneFigureDifferingWithNoneInCommonIsAnotherReport) {
  const std::string a =
      "An earthquake of magnitude 5.8 struck the south of the country early on Tuesday, the "
      "seismological service said. No casualties or damage were reported, and rescue teams were "
      "sent to the villages nearest to the epicentre to inspect buildings and roads. Residents "
      "felt tremors in several towns and many left their homes for a few hours.";
  std::string b = a;
  b.replace(b.find("5.8"), 3, "4.1");
  EXPECT_EQ(Ingest("quake", "seismo", a, k1987), "quake");
  EXPECT_EQ(Ingest("aftershock", "seismo", b, k1987 + 3600), "aftershock");
  // The same report again is still a copy.
  EXPECT_EQ(Ingest("copy", "paper", a, k1987 + 7200), "quake");
}

}  // namespace
}  // namespace newsd::dedup
