// Engine: snippets (a story's opening lines) joining their stories, or not.

#include <gtest/gtest.h>

#include <string>

#include "dedup/engine.h"
#include "tests/dedup/engine_test_util.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

TEST_F(EngineTest, SnippetJoinsItsFullStory) {
  Ingest("full", "paper", testing::kHarbour, k1987);
  Ingest("other", "paper", testing::kVaccine, k1987);
  Match m;
  EXPECT_EQ(Ingest("snip", "rss", FirstParagraphs(testing::kHarbour, 2) + " Read more", k1987, &m),
            "full");
  EXPECT_GE(m.containment, 0.7);
}

TEST_F(EngineTest, OneSentenceSnippetJoinsTheStoryItStarts) {
  Ingest("full", "paper", testing::kVaccine, k1987);
  const std::string sentence =
      "A small biotechnology company said its experimental vaccine against a common childhood "
      "respiratory virus produced a strong immune response...";
  Match m;
  EXPECT_EQ(Ingest("snip", "rss", sentence.substr(0, 80), k1987 + 60, &m), "full");
  EXPECT_EQ(m.path, Path::kLead);
  // The same few words from the middle of the story are not its start: no match.
  EXPECT_EQ(Ingest("mid", "rss", "six months of follow-up. The company plans to start", k1987),
            "mid");
}

TEST_F(EngineTest, PrefixedOneSentenceSnippetJoins) {
  Ingest("kk", "kaz", testing::kKazakh, k1987);
  Match m;
  EXPECT_EQ(Ingest("kk-snip", "kz-rss",
                   "Астана. ҚазАқпарат - Қарағанды облысында жаңа мектептің құрылысы аяқталды.",
                   k1987 + 60, &m),
            "kk");
  EXPECT_EQ(m.path, Path::kLead);
}

TEST_F(EngineTest, PrefixedAndAttributedOneSentenceSnippetJoins) {
  Ingest("kk", "kaz", testing::kKazakh, k1987);
  Match m;
  EXPECT_EQ(Ingest("kk-snip", "kz-rss",
                   "АСТАНА. KAZINFORM – Қарағанды облысында жаңа мектептің құрылысы аяқталды, - "
                   "деп хабарлайды ҚазАқпарат тілшісі.",
                   k1987 + 60, &m),
            "kk");
  Ingest("en", "reuters", testing::kHarbour, k1987);
  std::string snippet = testing::kHarbour;
  snippet = "LONDON (Reuters) - " + snippet.substr(0, snippet.find('.')) +
            ", according to a Reuters report.";
  EXPECT_EQ(Ingest("en-snip", "rss", snippet, k1987 + 60), "en");
}

// A snippet under a time stamp, or followed by a link to another story, is still that story's
// start: neither line is part of it.
TEST_F(EngineTest, SnippetWithATimeStampOrARelatedLinkJoins) {
  Ingest("kk", "kaz", testing::kKazakh, k1987);
  Ingest("ru", "ria", testing::kRailway, k1987);
  Match m;
  EXPECT_EQ(Ingest("kk-snip", "kz-rss",
                   "Қарағанды облысында жаңа мектептің құрылысы аяқталды.\n\nТолығырақ: "
                   "Алматыда жаңа саябақ ашылды, оған мыңдаған адам келді",
                   k1987 + 60, &m),
            "kk");
  std::string first = testing::kRailway;
  first = first.substr(0, first.find('\n'));
  EXPECT_EQ(Ingest("ru-snip", "rss", "06.11.1987 22:43\n\n" + first, k1987 + 60), "ru");
  EXPECT_EQ(Ingest("ru-link", "rss2",
                   first + "\nЧитайте также: В Москве открылась выставка современного искусства",
                   k1987 + 90),
            "ru");
}

TEST_F(EngineTest, SnippetUnderASixWordDatelineJoins) {
  Ingest("ru", "ria", testing::kRailway, k1987);
  std::string snippet = testing::kRailway;
  snippet = "Санкт-Петербург, 7 ноября — РИА Новости. " + snippet.substr(0, snippet.find('\n'));
  Match m;
  EXPECT_EQ(Ingest("ru-snip", "rss", snippet, k1987 + 60, &m), "ru");
}

TEST_F(EngineTest, OneSentenceSnippetUnderALongDatelineJoins) {
  Ingest("kk", "kaz", testing::kKazakh, k1987);
  // The dateline has more shingles than the sentence; the sentence is the story's opening.
  Match m;
  EXPECT_EQ(Ingest("kk-snip", "dknews",
                   "Қарағанды. 6 наурыз. DKnews.kz – Қарағанды облысында жаңа мектептің "
                   "құрылысы аяқталды.",
                   k1987 + 60, &m),
            "kk");
  EXPECT_EQ(m.path, Path::kLead);
}

TEST_F(EngineTest, EarningsSnippetWithSpelledOutAbbreviationsJoins) {
  Ingest("table", "reuters",
         "NEW YORK, Oct 19 - Shr 47 cts vs 48 cts\n\nNet 505.0 mln vs 533.0 mln\n\n"
         "Revs 8.47 bln vs 8.43 bln\n\nNine mths\n\nShr 1.42 dlrs vs 1.16 dlrs",
         k1987);
  EXPECT_EQ(Ingest("snip", "rss", "WASHINGTON (Reuters) - Share 47 cents vs 48 cents", k1987 + 60),
            "table");
}

TEST_F(EngineTest, ACommonEndingIsNotASnippet) {
  Ingest("a", "wire", "NASHVILLE, March 11 - Oper shr seven cts vs 20 cts, according to a report.",
         k1987);
  // Only the last words are shared: the unmatched "prefix" would be most of the text.
  EXPECT_EQ(Ingest("b", "rss", "Shr nine cts vs four cts, according to a report.", k1987), "b");
}

// Two short items that share only a trailing "read more" line: the text before it is half of
// the shorter one, and the shared line does not open the other, so it is not a dateline.
TEST_F(EngineTest, ASharedTrailingLineDoesNotMakeASnippet) {
  Ingest("a", "interfax", "Shr 2.27 dlrs vs 74 cts Read the full story at Interfax.com", k1987);
  EXPECT_EQ(Ingest("b", "interfax", "Year ended January 31 Read the full story at Interfax.com",
                   k1987 + 3600),
            "b");
}

TEST_F(EngineTest, FullStoryJoinsAnEarlierSnippet) {
  Ingest("snip", "rss", FirstParagraphs(testing::kVaccine, 2), k1987);
  EXPECT_EQ(Ingest("full", "paper", testing::kVaccine, k1987 + 600), "snip");
}

// Two stories that open with the same sentence: the sentence alone (an RSS snippet) joins the
// first, and must not pull the second into it. An edited copy of the first still joins.
TEST_F(EngineTest, ASnippetDoesNotBridgeTwoStoriesThatShareAnOpening) {
  const std::string opening =
      "Officials in the northern province confirmed on Monday that the main highway bridge over "
      "the river will be closed for several weeks.";
  const std::string repairs =
      opening +
      " Engineers found cracks in two supporting pillars during a routine inspection last "
      "Friday. Traffic will be diverted through the old town, and the ministry promised free "
      "shuttle buses for commuters. Repair crews from the capital are expected by the end of "
      "the week.";
  const std::string protest =
      opening +
      " Local shop owners protested outside the regional parliament, saying the closure would "
      "ruin the tourist season. The opposition demanded the resignation of the transport "
      "minister and an independent audit of road maintenance contracts.";
  EXPECT_EQ(Ingest("repairs", "a", repairs, k1987), "repairs");
  EXPECT_EQ(Ingest("snippet", "b", opening, k1987 + 600), "repairs");
  EXPECT_EQ(Ingest("protest", "c", protest, k1987 + 1200), "protest");
  EXPECT_EQ(Ingest("protest2", "d", protest, k1987 + 1800), "protest");
  EXPECT_EQ(Ingest("repairs2", "e", "UPDATE: " + repairs, k1987 + 2400), "repairs");
}

// A snippet without figures does not carry the next day's report into yesterday's story:
// the full report, compared too, holds other figures.
TEST_F(EngineTest, ASnippetWithoutFiguresDoesNotJoinDailyReports) {
  EXPECT_EQ(
      Ingest("mon", "bank",
             "The national bank set the official exchange rate of the crown for the next day on "
             "Monday evening. The rate was fixed at 12.35 per US dollar, the bank said in a "
             "statement on its website. The rate against the euro was set at 13.21 crowns. The "
             "official rate is used for customs payments, tax calculations and the accounts of "
             "state companies, and commercial banks may deviate from it within limits.",
             k1987),
      "mon");
  EXPECT_EQ(Ingest("snip", "agg",
                   "The national bank set the official exchange rate of the crown for the next day "
                   "on Monday evening.",
                   k1987 + 600),
            "mon");
  EXPECT_EQ(
      Ingest("tue", "bank",
             "The national bank set the official exchange rate of the crown for the next day on "
             "Monday evening. The rate was fixed at 12.53 per US dollar, the bank said in a "
             "statement on its website. The rate against the euro was set at 13.12 crowns. The "
             "official rate is used for customs payments, tax calculations and the accounts of "
             "state companies, and commercial banks may deviate from it within limits.",
             k1987 + 86400),
      "tue");
}

// The Fed's daily reserve report: one template, a new date and new figures every day (the
// long version has more of them).
std::string FedReport(int day, const char* funds, const char* reserves = "2",
                      const char* opened = nullptr, const char* bills = nullptr) {
  std::string text = "NEW YORK, March " + std::to_string(day) +
                     " - The Federal Reserve entered the U.S. Government securities market to "
                     "arrange 4-day repurchase agreements for system account, a Fed spokesman "
                     "said.\n\nDealers said Federal funds were trading at " +
                     funds +
                     " pct when the Fed began its temporary supply of reserves to the banking "
                     "system. The Fed added about " +
                     reserves + " billion dlrs of reserves, dealers estimated.";
  if (opened != nullptr) {
    text += " Fed funds had opened at " + std::string(opened) + " pct and traded in a range of " +
            funds + " to " + opened + " pct yesterday, while three-month bill rates held near " +
            bills + " pct in late trading, dealers said.";
  }
  return text;
}
std::string FedLead(int day) { return FirstParagraphs(FedReport(day, "6.0"), 1); }

// A snippet joins the story whose text holds all of it (containment 1.0) rather than the
// snippet of yesterday's report, which reads much alike (resemblance 0.67) but shares fewer
// of its shingles: among accepted candidates, the one sharing the most wins.
TEST_F(EngineTest, ASnippetJoinsTheStoryThatHoldsMostOfIt) {
  EXPECT_EQ(Ingest("d4", "reuters", FedReport(4, "6.42", "2.5", "6.38", "5.75"), k1987), "d4");
  EXPECT_EQ(Ingest("d4s", "outlet", FedLead(4), k1987 + 8 * 3600), "d4");
  EXPECT_EQ(Ingest("d5", "reuters", FedReport(5, "6.11", "3.5", "6.02", "5.81"), k1987 + 86400),
            "d5");
  Match m;
  EXPECT_EQ(Ingest("d5s", "outlet", FedLead(5), k1987 + 86400 + 8 * 3600, &m), "d5");
  EXPECT_EQ(m.matched_item, "d5");
}

// Today's snippet, retyped by one outlet ("overnight", "accounts"), then sent as is by another:
// the second joins the first (their figures agree) rather than yesterday's report, which holds
// more of its words but another date.
TEST_F(EngineTest, ACandidateWhoseFiguresAgreeRanksAboveOneHoldingOtherFigures) {
  EXPECT_EQ(Ingest("d4", "reuters", FedReport(4, "6.42", "2.5", "6.38", "5.75"), k1987), "d4");
  std::string retyped = FedLead(5);
  retyped.replace(retyped.find("4-day"), 5, "overnight");
  retyped.replace(retyped.find("account,"), 8, "accounts,");
  EXPECT_EQ(Ingest("d5a", "outlet-a", retyped, k1987 + 86400), "d5a");
  Match m;
  EXPECT_EQ(Ingest("d5b", "outlet-b", FedLead(5), k1987 + 86400 + 1800, &m), "d5a");
  EXPECT_EQ(m.matched_item, "d5a");
}

// Yesterday's snippet is no bridge to today's report when yesterday's report, compared too,
// holds other figures: whatever the report's length against the snippet's.
TEST_F(EngineTest, ASnippetDoesNotBridgeTheNextDaysReport) {
  EXPECT_EQ(Ingest("d4", "reuters", FedReport(4, "6.42"), k1987), "d4");
  EXPECT_EQ(Ingest("d4s", "outlet", FedLead(4), k1987 + 8 * 3600), "d4");
  EXPECT_EQ(Ingest("d5", "reuters", FedReport(5, "6.11"), k1987 + 86400), "d5");
}

TEST_F(EngineTest, ASnippetThatGroupsThousandsWithSpacesJoins) {
  const std::string full =
      "Copper production in Chile fell 6.1% year on year in March to 412,000 tonnes, the "
      "national statistics institute INE said on Friday. State miner Codelco reported lower "
      "grades at its Chuquicamata and El Teniente divisions. Escondida, the world's largest "
      "copper mine, increased output by 3% over the same period. Copper prices on the London "
      "Metal Exchange rose 1.4% after the data to 9,125 dollars a tonne. The government has "
      "forecast national output of 5.5 million tonnes for the full year.";
  const std::string snippet =
      "Copper production in Chile fell 6.1% year on year in March to 412\u00a0000 tonnes, the "
      "national statistics institute INE said on Friday. State miner Codelco reported lower "
      "grades at its Chuquicamata and El Teniente divisions.";
  EXPECT_EQ(Ingest("full", "wire", full, k1987), "full");
  EXPECT_EQ(Ingest("snip", "paper", snippet, k1987 + 600), "full");
}

// An outlet's own date and time over a snippet ("6 декабря 2026 в 10:15", "Today, 10:15",
// a dateline with a year) are no numbers of the story: the snippet, whose few numbers they
// outnumbered, joins its story (the number guard refused it).
TEST_F(EngineTest, ASnippetUnderItsOutletsDateAndTimeJoins) {
  const std::string full =
      "Национальный банк Казахстана сохранил базовую ставку на уровне 16,25%, сообщила "
      "пресс-служба регулятора. Годовая инфляция в ноябре ускорилась до 9,8% с 9,4% месяцем "
      "ранее. Продовольственные товары подорожали на 8,1%, непродовольственные на 10,2%. "
      "Следующее решение по ставке будет объявлено в январе, добавили в банке. Аналитики "
      "ожидали сохранения ставки на прежнем уровне.";
  const std::string lead =
      "Национальный банк Казахстана сохранил базовую ставку на уровне 16,25%, сообщила "
      "пресс-служба регулятора.";
  EXPECT_EQ(Ingest("full", "wire", full, k1987), "full");
  EXPECT_EQ(Ingest("ru", "portal", "6 декабря 2026 в 10:15\n" + lead, k1987 + 600), "full");
  EXPECT_EQ(Ingest("en", "site", "Сегодня, 10:15\n" + lead, k1987 + 900), "full");
  EXPECT_EQ(Ingest("dl", "agency", "АСТАНА, 6 декабря 2026 — " + lead, k1987 + 1200), "full");
}

// A regional daily count: the same sentences around other figures.
std::string CovidReport(const std::string& region, int cases, int symptoms, int total, int beds) {
  return std::to_string(cases) + " new cases of coronavirus infection were registered in " +
         region + " region over the past 24 hours, the regional health department said. Of " +
         "them, " + std::to_string(symptoms) + " had symptoms and " +
         std::to_string(cases - symptoms) + " were asymptomatic.\n\nA total of " +
         std::to_string(total) + " cases have been recorded in the region since the start of " +
         "the pandemic. " + std::to_string(beds) + " patients are being treated in hospitals." +
         "\n\nResidents are urged to observe sanitary rules, wear masks in public places and get " +
         "vaccinated. Vaccination is carried out free of charge at all polyclinics of the region.";
}

TEST_F(EngineTest, ASnippetDoesNotBridgeTheNextDaysReportIntoYesterdays) {
  const std::string monday = CovidReport("Karaganda", 98, 44, 23179, 212);
  Ingest("mon", "health", monday, k1987);
  // Monday's snippet joins Monday's report.
  EXPECT_EQ(Ingest("mon-rss", "rss",
                   "98 new cases of coronavirus infection were registered in Karaganda region over "
                   "the past 24 hours, the regional health department said. Read more",
                   k1987 + 7200),
            "mon");
  // Tuesday's report opens like the snippet and ends like Monday's, but Monday's full text
  // has other figures; with other news between, the two are not even alike enough for their
  // figures to be weighed.
  const std::string tuesday =
      "93 new cases of coronavirus infection were registered in Karaganda region over the past "
      "24 hours, the regional health department said. Of them, 59 had symptoms and 34 were "
      "asymptomatic.\n\n" +
      std::string(testing::kVaccine) + "\n\n" + monday.substr(monday.rfind("\n\n") + 2);
  EXPECT_EQ(Ingest("tue", "health", tuesday, k1987 + 86400), "tue");
}

}  // namespace
}  // namespace newsd::dedup
