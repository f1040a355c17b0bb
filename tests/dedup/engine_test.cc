#include "dedup/engine.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>

#include "dedup/explain.h"
#include "dedup/minhash.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

constexpr UnixSeconds k1987 = 541814400;  // 1987-03-03: windows follow item times.

std::string FirstParagraphs(std::string_view text, int n) {
  size_t pos = 0;
  for (int i = 0; i < n && pos != std::string_view::npos; ++i) {
    pos = text.find("\n\n", pos == 0 ? 0 : pos + 2);
  }
  return std::string(text.substr(0, pos));
}

// A daily market report: same template, different numbers.
std::string MarketReport(int day, int a, int b, int c) {
  return "The Federal Reserve entered the government securities market on day " +
         std::to_string(day) + " to supply " + std::to_string(a) +
         " billion dlrs of temporary reserves via customer repurchase agreements, a spokesman "
         "said.\n\nDealers said federal funds were trading at " +
         std::to_string(b) +
         " pct when the Fed began its temporary and indirect supply of "
         "reserves to the banking system.\n\nThe weekly average was " +
         std::to_string(c) + " pct, dealers said.";
}

class EngineTest : public ::testing::Test {
 protected:
  StoryId Ingest(const ItemId& id, std::string_view source, std::string_view text, UnixSeconds time,
                 Match* match = nullptr) {
    return IngestTitled(id, source, "", text, time, match);
  }
  StoryId IngestTitled(const ItemId& id, std::string_view source, std::string_view title,
                       std::string_view text, UnixSeconds time, Match* match = nullptr) {
    Fingerprint fp = engine_.MakeFingerprint({source, title, text, time});
    Match m = engine_.FindMatch(fp);
    StoryId story = m.is_copy ? m.story : id;
    for (Record& r : engine_.Insert(id, story, source, fp)) {
      const std::string k = r.family + "/" + r.key;
      if (r.erase) {
        persisted_.erase(k);
      } else {
        persisted_[k] = std::make_pair(r.family, r.key), values_[k] = r.value;
      }
    }
    if (match) *match = m;
    return story;
  }

  Engine engine_{Options{}};
  std::map<std::string, std::pair<std::string, std::string>> persisted_;
  std::map<std::string, std::string> values_;
};

TEST_F(EngineTest, IdenticalTextIsACopy) {
  EXPECT_EQ(Ingest("a", "one", testing::kHarbour, k1987), "a");
  Match m;
  EXPECT_EQ(Ingest("b", "two", testing::kHarbour, k1987 + 60, &m), "a");
  EXPECT_TRUE(m.is_copy);
  EXPECT_EQ(m.matched_item, "a");
  EXPECT_DOUBLE_EQ(m.resemblance, 1.0);
  EXPECT_EQ(m.path, Path::kLsh);
  EXPECT_EQ(engine_.IndexedItems(), 2u);
}

TEST_F(EngineTest, DisjointTextsAreNewStories) {
  EXPECT_EQ(Ingest("a", "one", testing::kHarbour, k1987), "a");
  EXPECT_EQ(Ingest("b", "one", testing::kVaccine, k1987), "b");
  EXPECT_EQ(Ingest("c", "one", testing::kRailway, k1987), "c");
  EXPECT_EQ(Ingest("d", "one", testing::kKazakh, k1987), "d");
}

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

// Two outlets each add their own paragraphs to one wire story: the second still joins the
// story through the wire text, though it differs from the first outlet's version.
TEST_F(EngineTest, ExtensionsOfOneWireStoryJoinThroughIt) {
  const std::string wire =
      "The regional court on Tuesday sentenced the former mayor of the port city to nine years in "
      "prison for taking bribes from construction companies prosecutors said. The court also "
      "banned him from holding public office for five years and ordered the confiscation of two "
      "apartments a yacht and several cars registered to relatives. The former mayor denied the "
      "charges and his lawyers said they would appeal the verdict to the supreme court within ten "
      "days.";
  EXPECT_EQ(Ingest("wire", "agency", wire, k1987), "wire");
  EXPECT_EQ(
      Ingest(
          "a", "outlet-a",
          "The regional court on Tuesday sentenced the former mayor of the port city to nine years "
          "in prison for taking bribes from construction companies prosecutors said. The court "
          "also banned him from holding public office for five years and ordered the confiscation "
          "of two apartments a yacht and several cars registered to relatives. The former mayor "
          "denied the charges and his lawyers said they would appeal the verdict to the supreme "
          "court within ten days. alpha0 alpha1 alpha2 alpha3 alpha4 alpha5 alpha6 alpha7 alpha8 "
          "alpha9 alpha10 alpha11 alpha12 alpha13 alpha14 alpha15 alpha16 alpha17 alpha18 alpha19 "
          "alpha20 alpha21 alpha22 alpha23 alpha24 alpha25 alpha26 alpha27 alpha28 alpha29 alpha30 "
          "alpha31 alpha32 alpha33 alpha34 alpha35 alpha36 alpha37 alpha38 alpha39 alpha40 alpha41 "
          "alpha42 alpha43 alpha44 alpha45 alpha46 alpha47 alpha48 alpha49 alpha50 alpha51 alpha52 "
          "alpha53 alpha54 alpha55 alpha56 alpha57 alpha58 alpha59 alpha60 alpha61 alpha62 alpha63 "
          "alpha64 alpha65 alpha66 alpha67 alpha68 alpha69 alpha70 alpha71 alpha72 alpha73 alpha74 "
          "alpha75 alpha76 alpha77 alpha78 alpha79 alpha80 alpha81 alpha82 alpha83 alpha84 alpha85 "
          "alpha86 alpha87 alpha88 alpha89 alpha90 alpha91 alpha92 alpha93 alpha94 alpha95 alpha96 "
          "alpha97 alpha98 alpha99",
          k1987 + 600),
      "wire");
  EXPECT_EQ(
      Ingest("b", "outlet-b",
             "The regional court on Tuesday sentenced the former mayor of the port city to nine "
             "years in prison for taking bribes from construction companies prosecutors said. The "
             "court also banned him from holding public office for five years and ordered the "
             "confiscation of two apartments a yacht and several cars registered to relatives. The "
             "former mayor denied the charges and his lawyers said they would appeal the verdict "
             "to the supreme court within ten days. beta0 beta1 beta2 beta3 beta4 beta5 beta6 "
             "beta7 beta8 beta9 beta10 beta11 beta12 beta13 beta14 beta15 beta16 beta17 beta18 "
             "beta19 beta20 beta21 beta22 beta23 beta24 beta25 beta26 beta27 beta28 beta29 beta30 "
             "beta31 beta32 beta33 beta34 beta35 beta36 beta37 beta38 beta39 beta40 beta41 beta42 "
             "beta43 beta44 beta45 beta46 beta47 beta48 beta49 beta50 beta51 beta52 beta53 beta54 "
             "beta55 beta56 beta57 beta58 beta59 beta60 beta61 beta62 beta63 beta64 beta65 beta66 "
             "beta67 beta68 beta69 beta70 beta71 beta72 beta73 beta74 beta75 beta76 beta77 beta78 "
             "beta79 beta80 beta81 beta82 beta83 beta84 beta85 beta86 beta87 beta88 beta89",
             k1987 + 1200),
      "wire");
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

TEST_F(EngineTest, BackToBackCopiesEndInOneStory) {
  const std::string copy = std::string(testing::kRailway) + "\n\nПодписывайтесь на наш канал.";
  EXPECT_EQ(Ingest("x1", "tass", testing::kRailway, k1987), "x1");
  EXPECT_EQ(Ingest("x2", "ria", copy, k1987), "x1");
  EXPECT_EQ(Ingest("x3", "rbc", testing::kRailway, k1987), "x1");
}

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

// A corrected version indexed beside the first (Reindex): copies of either find the item; its
// record replaces the first version's (one key), and nothing is indexed once it has expired.
TEST_F(EngineTest, ReindexAddsTheNewVersionUnderTheItemsRecordKey) {
  EXPECT_EQ(Ingest("flash", "wire", testing::kHarbour, k1987), "flash");
  std::string key, before;
  for (const auto& [k, value] : values_) {
    if (k.starts_with("dedup_docs/")) key = k, before = value;
  }
  ASSERT_FALSE(key.empty());
  const Fingerprint fixed = engine_.MakeFingerprint({"wire", "", testing::kRailway, k1987});
  std::vector<Record> records = engine_.Reindex("flash", "flash", fixed);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].family + "/" + records[0].key, key);
  EXPECT_NE(records[0].value, before);
  EXPECT_EQ(engine_.IndexedItems(), 2u);
  EXPECT_EQ(Ingest("copy", "paper", testing::kRailway, k1987 + 600), "flash");
  EXPECT_EQ(Ingest("old", "paper", testing::kHarbour, k1987 + 700), "flash");
  EXPECT_TRUE(engine_.Reindex("flash", "flash", fixed).empty()) << "a copy of the last added";
  EXPECT_EQ(engine_.IndexedItems(), 4u);
  // A second correction that is no copy of the first: added too, and its copies find it.
  const Fingerprint second = engine_.MakeFingerprint({"wire", "", testing::kVaccine, k1987});
  EXPECT_EQ(engine_.Reindex("flash", "flash", second).size(), 1u);
  EXPECT_EQ(Ingest("copy2", "paper", testing::kVaccine, k1987 + 800), "flash");

  engine_.Expire(k1987 + 30 * 86400);
  EXPECT_TRUE(engine_.Reindex("flash", "flash", fixed).empty());
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

TEST_F(EngineTest, EditedCopyWithAnAddedSentenceOfNumbersStillMatches) {
  Ingest("orig", "wire", testing::kHarbour, k1987);
  std::string text = testing::kHarbour;
  text += "\n\nThe harbour handled 1.2 million tonnes of cargo in 2023, up 4 pct on 2022.";
  EXPECT_EQ(Ingest("copy", "outlet", text, k1987 + 60), "orig");
}

// A syndicating outlet's edits: a paragraph replaced by one of its own and the last one
// cut. Too little of the copy is in the original for containment (0.7), but what differs
// is in two places, and the two open alike: an edited copy.
std::string EditedVaccineStory() {
  std::string text = FirstParagraphs(testing::kVaccine, 2);
  text +=
      "\n\nIndependent experts cautioned that early immune data often fail to predict how well "
      "a vaccine protects children in the real world, and said the results still need review.";
  return text;
}

TEST_F(EngineTest, ACopyWithAParagraphReplacedAndOneCutJoinsItsStory) {
  Ingest("orig", "wire", testing::kVaccine, k1987);
  Ingest("other", "wire", testing::kHarbour, k1987);
  Match m;
  EXPECT_EQ(Ingest("copy", "outlet", EditedVaccineStory(), k1987 + 600, &m), "orig");
  EXPECT_LT(m.containment, 0.7);
  const Fingerprint orig = engine_.MakeFingerprint({"wire", "", testing::kVaccine, k1987});
  const Fingerprint copy =
      engine_.MakeFingerprint({"outlet", "", EditedVaccineStory(), k1987 + 600});
  const Explanation e = Explain(orig, copy, engine_.options());
  EXPECT_EQ(e.verdict, Verdict::kEdited) << e.reason;
  EXPECT_EQ(e.comparison.edit_runs, 1u) << e.reason;
}

TEST(EngineEditedCopyTest, TheRuleCanBeTurnedOff) {
  Options options;
  options.max_edit_runs = 0;
  Engine engine{options};
  auto ingest = [&](const ItemId& id, std::string_view text, UnixSeconds time) {
    Fingerprint fp = engine.MakeFingerprint({"s", "", text, time});
    Match m = engine.FindMatch(fp);
    const StoryId story = m.is_copy ? m.story : id;
    engine.Insert(id, story, "s", fp);
    return story;
  };
  ingest("orig", testing::kVaccine, k1987);
  EXPECT_EQ(ingest("copy", EditedVaccineStory(), k1987 + 600), "copy");
}

// Words changed all through the text: a rewrite or another report from one template, not
// an edited copy, though as much of it is shared and it opens alike.
TEST_F(EngineTest, ATextChangedAllThroughIsNoEditedCopy) {
  const std::string orig =
      "Farmers in the northern province began harvesting wheat this week, two weeks earlier "
      "than usual after a warm and dry spring. Local officials said the crop looked healthy in "
      "most districts despite the lack of rain. Grain traders expect prices to stay firm until "
      "the end of the season because stocks are low. The agriculture ministry will publish its "
      "first estimate of the harvest next month. Storage companies have started to hire "
      "seasonal workers to handle the grain.";
  const std::string rewrite =
      "Farmers in the northern province began harvesting barley this week, two weeks earlier "
      "than usual after a warm and dry spring. Local officials said the crop looked poor in "
      "most districts despite the lack of rain. Grain traders expect prices to stay weak until "
      "the end of the season because stocks are high. The agriculture ministry will publish its "
      "final estimate of the harvest next week. Storage companies have started to dismiss "
      "seasonal workers to handle the grain.";
  EXPECT_EQ(Ingest("a", "wire", orig, k1987), "a");
  EXPECT_EQ(Ingest("b", "wire", rewrite, k1987 + 600), "b");
  const Explanation e =
      Explain(engine_.MakeFingerprint({"wire", "", orig, k1987}),
              engine_.MakeFingerprint({"wire", "", rewrite, k1987 + 600}), engine_.options());
  ASSERT_GE(e.comparison.containment, engine_.options().min_edited_containment) << e.reason;
  ASSERT_LT(e.comparison.containment, engine_.options().min_containment) << e.reason;
  EXPECT_EQ(e.verdict, Verdict::kDifferent) << e.reason;
  EXPECT_GT(e.comparison.edit_runs, engine_.options().max_edit_runs) << e.reason;
}

// Two short notices from one template differ in one place, the contest's subject: too short
// for the edited-copy rule.
TEST_F(EngineTest, ShortNoticesFromOneTemplateStayApart) {
  const std::string a =
      "Voting has started in our photo contest about the best morning coffee in town. The "
      "results will be announced on 22 November.";
  const std::string b =
      "Voting has started in our photo contest about winter sport. The results will be "
      "announced on 22 November.";
  EXPECT_EQ(Ingest("a", "site", a, k1987), "a");
  EXPECT_EQ(Ingest("b", "site", b, k1987), "b");
  Options small_too = engine_.options();
  small_too.min_edited_shingles = 8;
  const Engine fresh{Options{}};  // no lines seen before: nothing set aside
  const Explanation e = Explain(fresh.MakeFingerprint({"site", "", a, k1987}),
                                fresh.MakeFingerprint({"site", "", b, k1987}), small_too);
  EXPECT_EQ(e.verdict, Verdict::kEdited) << e.reason;  // were the floor 8 shingles
}

// Two stories that share a background paragraph but open with their own news.
TEST_F(EngineTest, StoriesSharingABackgroundParagraphStayApart) {
  const std::string background =
      "\n\nThe company, founded in 1998 in a small garage outside the city, now employs more "
      "than four thousand people in eleven countries and sells its software to banks, "
      "insurers and hospitals. It listed its shares on the stock exchange three years ago and "
      "has since bought several smaller rivals in Europe and Asia.";
  const std::string a =
      "The software maker said on Monday that its chief executive would step down at the end "
      "of the year for family reasons, and that the board had begun to look for a successor "
      "among its senior managers." +
      background;
  const std::string b =
      "The software maker opened a research centre in the capital on Thursday, promising to "
      "hire two hundred engineers over the next three years to work on its cloud products." +
      background;
  EXPECT_EQ(Ingest("a", "wire", a, k1987), "a");
  EXPECT_EQ(Ingest("b", "paper", b, k1987 + 3 * 86400 - 60), "b");
  const Explanation e =
      Explain(engine_.MakeFingerprint({"wire", "", a, k1987}),
              engine_.MakeFingerprint({"paper", "", b, k1987 + 3 * 86400 - 60}), engine_.options());
  ASSERT_GE(e.comparison.containment, engine_.options().min_edited_containment) << e.reason;
  ASSERT_LT(e.comparison.containment, engine_.options().min_containment) << e.reason;
  EXPECT_LT(e.comparison.lead_shared, engine_.options().lead_min_shared) << e.reason;
  EXPECT_EQ(e.verdict, Verdict::kDifferent) << e.reason;
}

// A new outlet's first items: each a sentence of its own under the header and above the
// footer the outlet has not learned as boilerplate yet. They open alike and differ in one
// place, but what is not those lines is not shared: no edited copy.
TEST_F(EngineTest, ANewOutletsItemsUnderItsUnlearnedLinesAreNoEditedCopies) {
  auto page = [](const std::string& story) {
    return "The Steppe Herald. News of Kazakhstan and the world around the clock\n\n"
           "Home / News / Society / Regions / Economy / Sport / Culture\n\n" +
           story +
           "\n\nAll rights reserved. Use of the site's materials is allowed only with a "
           "hyperlink to the source. Registered as a mass medium under number 17234 by the "
           "Ministry of Information. Subscribe to our Telegram channel and be the first to "
           "learn the main news of the country.";
  };
  const std::string a = page(
      "A new metro station opened in Almaty on Monday on the extension of the first line "
      "towards the Kalkaman district, with trains every eight minutes. The city plans two more "
      "stations on the line by the end of next year, the mayor's office said.");
  const std::string b = page(
      "Farmers in the Kostanay region started to harvest spring wheat this week, about ten "
      "days earlier than last year, the regional agriculture office said. Dry weather in "
      "August helped the crop ripen, and most farms expect a good yield of grain.");
  EXPECT_EQ(Ingest("a", "herald", a, k1987), "a");
  EXPECT_EQ(Ingest("b", "herald", b, k1987 + 3600), "b");
  // As FindMatch saw the pair: b made while the engine had seen a's lines once.
  Engine fresh{Options{}};
  const Fingerprint fa = fresh.MakeFingerprint({"herald", "", a, k1987});
  fresh.Insert("a", "a", "herald", fa);
  const Fingerprint fb = fresh.MakeFingerprint({"herald", "", b, k1987 + 3600});
  const Explanation e = Explain(fa, fb, fresh.options());
  ASSERT_TRUE(e.comparison.set_aside) << e.reason;
  ASSERT_GE(TrimmedContainment(e.comparison), fresh.options().min_edited_containment) << e.reason;
  ASSERT_LT(TrimmedContainment(e.comparison), fresh.options().min_containment) << e.reason;
  ASSERT_GE(e.comparison.lead_shared, fresh.options().lead_min_shared) << e.reason;
  ASSERT_LE(EditRuns(fb.ordered, fa.shingles), fresh.options().max_edit_runs);
  EXPECT_FALSE(e.accepted) << e.reason;
}

TEST_F(EngineTest, AgencyPrefixAttributionAndFooterVariantsMatch) {
  Ingest("orig", "reuters", testing::kHarbour, k1987);
  std::string text = testing::kHarbour;
  text.insert(0, "LONDON (Reuters) - ");
  const size_t first_end = text.find(".\n\n");
  text.replace(first_end, 1, ", Reuters reported.");
  text += "\n\nCopyright 1987 Example Times. All rights reserved.";
  EXPECT_EQ(Ingest("copy", "outlet", text, k1987 + 3600), "orig");
  std::string html = "<p>" + std::string(testing::kHarbour) + "</p>";
  EXPECT_EQ(Ingest("html", "outlet2", html, k1987 + 7200), "orig");
}

TEST_F(EngineTest, KazakhCopiesWithLetterNoiseMatch) {
  Ingest("kk", "kaz", testing::kKazakh, k1987);
  // Without Kazakh letters, and with Latin homoglyphs.
  EXPECT_EQ(Ingest("kk2", "kz2",
                   "Караганды облысында жана мектептин курылысы аякталды. Мектеп бир мын еки жуз "
                   "окушыга арналган. Гимаратта спорт залы, китапхана жане асхана бар. Акимдик "
                   "мугалимдерге арналган тургын уй салуды да жоспарлап отыр. Жана оку жылы "
                   "кыркуйек айында басталады.",
                   k1987 + 60),
            "kk");
  EXPECT_EQ(Ingest("kk3", "kz3",
                   "Қарағанды облысында жаңа мектептiң құрылысы аяқталды. Мектеп 1200 оқушыға "
                   "арналған. Ғимаратта спорт залы, кiтапхана жəне асхана бар. Əкiмдiк "
                   "мұғалiмдерге арналған тұрғын үй салуды да жоспарлап отыр.",
                   k1987 + 120),
            "kk");
}

TEST_F(EngineTest, OutsideTheWindowIsANewStory) {
  Ingest("old", "a", testing::kHarbour, k1987);
  EXPECT_EQ(Ingest("new", "b", testing::kHarbour, k1987 + 4 * 86400), "new");
  // An item older than the window is also compared by item time, not arrival order.
  EXPECT_EQ(Ingest("older", "c", testing::kHarbour, k1987 - 86400), "old");
}

TEST_F(EngineTest, LearnsSourceBoilerplate) {
  const std::string footer = "\n\nSubscribe to our channel for the latest news and analysis.";
  Ingest("s1", "outlet", testing::kHarbour + footer, k1987);
  Ingest("s2", "outlet", testing::kVaccine + footer, k1987);
  Ingest("s3", "outlet", testing::kRailway + footer, k1987);
  Fingerprint fp = engine_.MakeFingerprint({"outlet", "", testing::kKazakh + footer, k1987});
  EXPECT_EQ(fp.dropped_lines, 1u);
  Fingerprint plain = engine_.MakeFingerprint({"outlet", "", testing::kKazakh, k1987});
  EXPECT_EQ(fp.shingles, plain.shingles);
  // Learned per source: another outlet keeps the line.
  Fingerprint other = engine_.MakeFingerprint({"else", "", testing::kKazakh + footer, k1987});
  EXPECT_EQ(other.dropped_lines, 0u);
  // Only headers and footers are learned: a repeated line in the middle of long texts is not.
  const std::string mid = "\n\nThe statement was issued by the press office on Monday evening.\n\n";
  Ingest("m1", "paper", testing::kHarbour + mid + testing::kRailway, k1987);
  Ingest("m2", "paper", testing::kVaccine + mid + testing::kHarbour, k1987);
  Ingest("m3", "paper", testing::kRailway + mid + testing::kVaccine, k1987);
  EXPECT_EQ(
      engine_.MakeFingerprint({"paper", "", testing::kKazakh + mid + testing::kHarbour, k1987})
          .dropped_lines,
      0u);
  // Copies of one story do not teach boilerplate.
  Ingest("r1", "wire", testing::kHarbour, k1987);
  Ingest("r2", "wire", testing::kHarbour, k1987);
  Ingest("r3", "wire", testing::kHarbour, k1987);
  EXPECT_EQ(engine_.MakeFingerprint({"wire", "", testing::kHarbour, k1987}).dropped_lines, 0u);
}

// A regional channel's signature, long beside its one-line posts.
constexpr char kChannelFooter[] =
    "\n\nSubscribe to our Telegram channel @regionnews24 to be the first to know the main "
    "events of the region. If you witnessed an incident, send photos and videos to the "
    "newsroom on WhatsApp. Copyright 2024 Regional News Agency, all rights reserved.";

constexpr const char* kChannelPosts[] = {
    "In Pavlodar twelve blocks of flats were left without heating after a mains burst.",
    "A new kindergarten for eighty children opened in Ekibastuz on Monday morning.",
    "Traffic on Satpayev street in Atyrau was closed because of road repairs.",
    "Police in Aksu detained four suspects in a series of cattle thefts.",
    "Volunteers planted two hundred trees in the new park of Karaganda.",
    "The airport of Kostanay cancelled evening flights because of heavy fog.",
    "A fire in a warehouse in Semey was put out by forty firefighters overnight.",
};

TEST_F(EngineTest, ShortPostsSharingALongFooterStayApartBeforeItIsLearned) {
  // The signature makes the posts look alike: learned from the third post on, and before
  // that set aside, since the channel used it before (verdict source-lines).
  std::set<StoryId> stories;
  for (size_t i = 0; i < std::size(kChannelPosts); ++i) {
    Match m;
    const StoryId story = Ingest("p" + std::to_string(i), "regionnews24",
                                 kChannelPosts[i] + std::string(kChannelFooter),
                                 k1987 + static_cast<UnixSeconds>(i) * 3600, &m);
    EXPECT_EQ(story, "p" + std::to_string(i)) << kChannelPosts[i];
    EXPECT_FALSE(m.is_copy);
    stories.insert(story);
  }
  EXPECT_EQ(stories.size(), std::size(kChannelPosts));
  // The second post's fingerprint notes the signature's shingles as set aside; explained
  // against the first, the pair is refused by that rule.
  const std::optional<Fingerprint> first = engine_.IndexedFingerprint("p0");
  const std::optional<Fingerprint> second = engine_.IndexedFingerprint("p1");
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->aside.empty());
  EXPECT_FALSE(second->aside.empty());
  EXPECT_EQ(Explain(*first, *second, Options{}).verdict, Verdict::kSourceLines);
}

TEST_F(EngineTest, AShortStorySentFourTimesWithALineMoreEachTimeIsOneStory) {
  // Nearly every line of a short story is a header or footer line (the first 2, the last 4),
  // so its versions repeat lines their source used before, and from the fourth the lines are
  // learned as boilerplate. A header rule that made this split (bench/dedup/probes/README.md,
  // session 40) was not kept.
  const std::string harbour = testing::kHarbour;
  const std::string head = harbour.substr(0, harbour.rfind("\n\n"));
  const std::string tail = harbour.substr(harbour.rfind("\n\n") + 2);
  const char* news[] = {"", "The council later said the first contracts would be signed soon.",
                        "Dock workers welcomed the plan at a meeting on Wednesday evening.",
                        "Shipping lines said they would add two calls a week from April."};
  std::string text = head;
  for (size_t i = 0; i < std::size(news); ++i) {
    if (i > 0) text += std::string("\n\n") + news[i];
    EXPECT_EQ(Ingest("u" + std::to_string(i), "agency", text + "\n\n" + tail,
                     k1987 + static_cast<UnixSeconds>(i) * 3600),
              "u0")
        << "version " << i + 1;
  }
}

TEST_F(EngineTest, LinesASourceUsedBeforeStillJoinItsUpdatesAndCopies) {
  // A new outlet's copy of a wire story, under its footer, joins the wire story.
  const std::string footer = kChannelFooter;
  Ingest("w", "wire", testing::kVaccine, k1987);
  Ingest("p0", "regionnews24", kChannelPosts[0] + footer, k1987 + 60);
  Match m;
  EXPECT_EQ(Ingest("p1", "regionnews24", testing::kVaccine + footer, k1987 + 120, &m), "w");
  EXPECT_FALSE(engine_.IndexedFingerprint("p1")->aside.empty());
  // An update that repeats its predecessor's lines (the same source's opening and end) joins
  // it, whether the lines set aside are its opening or its end.
  const std::string harbour = testing::kHarbour;
  const std::string update =
      harbour.substr(0, harbour.rfind("\n\n")) +
      "\n\nThe council later said the first contracts would be signed in the spring.\n\n" +
      harbour.substr(harbour.rfind("\n\n") + 2);
  Ingest("u1", "agency", harbour, k1987 + 3600);
  EXPECT_EQ(Ingest("u2", "agency", update, k1987 + 7200, &m), "u1");
  EXPECT_TRUE(m.is_copy);
  EXPECT_FALSE(engine_.IndexedFingerprint("u2")->aside.empty());
  // A short story sent again with a new line on top: every line of it was a header or footer
  // line the source used, so all but the new line is set aside; the story's opening, found
  // in the update, still joins them.
  const std::string brief = FirstParagraphs(testing::kRailway, 2);
  Ingest("b1", "desk", brief, k1987 + 3600);
  EXPECT_EQ(
      Ingest("b2", "desk", "UPDATE: the minister confirmed the figures on Tuesday.\n\n" + brief,
             k1987 + 7200, &m),
      "b1");
  EXPECT_FALSE(engine_.IndexedFingerprint("b2")->aside.empty());
}

TEST_F(EngineTest, ExplainAppliesTheLinesSetAsideOfTheTextThatArrivedSecond) {
  // The later post arrives first: ingestion set aside the footer of the one that arrived
  // second, whose item time is earlier, and explain says so in either order.
  const std::string footer = kChannelFooter;
  Ingest("p0", "regionnews24", kChannelPosts[0] + footer, k1987 + 3600);
  Ingest("p1", "regionnews24", kChannelPosts[1] + footer, k1987);
  const std::optional<Fingerprint> p0 = engine_.IndexedFingerprint("p0");
  const std::optional<Fingerprint> p1 = engine_.IndexedFingerprint("p1");
  ASSERT_TRUE(p0 && p1);
  ASSERT_TRUE(p0->aside.empty());
  ASSERT_FALSE(p1->aside.empty());
  EXPECT_EQ(Explain(*p0, *p1, Options{}).verdict, Verdict::kSourceLines);
  EXPECT_EQ(Explain(*p1, *p0, Options{}).verdict, Verdict::kSourceLines);
}

TEST_F(EngineTest, RestoreFromRecordsGivesTheSameVerdicts) {
  const std::string footer = "\n\nSubscribe to our channel for the latest news and analysis.";
  Ingest("a", "outlet", testing::kHarbour + footer, k1987);
  Ingest("b", "outlet", testing::kVaccine + footer, k1987 + 10);
  Ingest("c", "outlet", testing::kRailway + footer, k1987 + 20);
  Ingest("d", "rss", FirstParagraphs(testing::kVaccine, 2), k1987 + 30);
  Engine restored{Options{}};
  for (const auto& [k, fk] : persisted_) {
    ASSERT_TRUE(restored.Restore(fk.first, fk.second, values_[k]).ok()) << k;
  }
  EXPECT_EQ(restored.IndexedItems(), engine_.IndexedItems());
  // The footer's shingles set aside in b (its source used it in a) are restored too.
  ASSERT_FALSE(engine_.IndexedFingerprint("b")->aside.empty());
  EXPECT_EQ(restored.IndexedFingerprint("b")->aside, engine_.IndexedFingerprint("b")->aside);
  EXPECT_EQ(restored.Restore("dedup_docs", "short", "x").code(), Status::Code::kCorruption);
  for (std::string text :
       {std::string(testing::kHarbour), FirstParagraphs(testing::kRailway, 2),
        std::string(testing::kKazakh) + footer, std::string(testing::kVaccine) + footer}) {
    const Document doc{"outlet", "", text, k1987 + 40};
    Fingerprint f1 = engine_.MakeFingerprint(doc), f2 = restored.MakeFingerprint(doc);
    EXPECT_EQ(f1.shingles, f2.shingles);
    Match m1 = engine_.FindMatch(f1), m2 = restored.FindMatch(f2);
    EXPECT_EQ(m1.is_copy, m2.is_copy);
    EXPECT_EQ(m1.story, m2.story);
    EXPECT_EQ(m1.matched_item, m2.matched_item);
    EXPECT_DOUBLE_EQ(m1.containment, m2.containment);
  }
}

// A wire story, filed under a dateline naming `day` of March.
std::string Filed(int day) {
  return "NEW YORK, March " + std::to_string(day) + " - " + std::string(testing::kHarbour);
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

TEST_F(EngineTest, ExpireDropsOldBuckets) {
  Ingest("old", "a", testing::kHarbour, k1987);
  Ingest("new", "a", testing::kVaccine, k1987 + 5 * 86400);
  std::vector<RangeDrop> drops = engine_.Expire(k1987 + 4 * 86400);
  EXPECT_EQ(engine_.IndexedItems(), 1u);
  ASSERT_EQ(drops.size(), 2u);
  EXPECT_EQ(drops[0].family, "dedup_docs");
  EXPECT_EQ(drops[1].family, "dedup_boilerplate");
  for (const auto& [k, fk] : persisted_) {
    if (fk.first != "dedup_docs") continue;
    const bool dropped = fk.second >= drops[0].begin && fk.second < drops[0].end;
    EXPECT_EQ(dropped, fk.second.ends_with("old")) << k;
  }
  EXPECT_EQ(Ingest("again", "b", testing::kHarbour, k1987 + 5 * 86400), "again");
  EXPECT_EQ(Ingest("again2", "b", testing::kVaccine, k1987 + 5 * 86400), "new");
}

// Expired items leave memory over the next inserts, but stop being candidates at once: an item
// arriving late, within the window of an expired one, does not join it.
TEST_F(EngineTest, ExpiredItemsAreNoCandidatesWhileStillInMemory) {
  Ingest("old", "a", testing::kHarbour, k1987);
  Ingest("other", "a", testing::kVaccine, k1987 + 2 * 86400);
  engine_.Expire(k1987 + 86400);
  EXPECT_EQ(engine_.IndexedItems(), 1u);
  const Document late{"b", "", testing::kHarbour, k1987 + 3600};
  EXPECT_FALSE(engine_.FindMatch(engine_.MakeFingerprint(late)).is_copy);
  Match m;
  EXPECT_EQ(Ingest("late", "b", testing::kHarbour, k1987 + 3600, &m), "late");  // Removes "old".
  EXPECT_EQ(Ingest("later", "c", testing::kHarbour, k1987 + 7200, &m), "late");
  EXPECT_EQ(m.matched_item, "late");
  engine_.RemoveExpired();
  EXPECT_EQ(engine_.IndexedItems(), 3u);
}

// Memory() accounts for the indexed items, and an item's share goes once it leaves memory.
TEST_F(EngineTest, MemoryAccountsForIndexedItemsAndTheirRemoval) {
  const Engine::MemoryUse empty = engine_.Memory();
  EXPECT_GT(empty.key_tables, 0u);  // the tables' initial buckets
  Ingest("one", "a", testing::kHarbour, k1987);
  Ingest("two", "a", testing::kVaccine, k1987 + 60);
  const Engine::MemoryUse full = engine_.Memory();
  // Each item's shingle set (4 bytes a shingle) at least.
  EXPECT_GE(full.items, empty.items + 4 * 2 * 50);
  EXPECT_GT(full.boilerplate, 0u);
  EXPECT_EQ(full.total(), full.key_tables + full.items + full.boilerplate);
  engine_.Expire(k1987 + 86400);
  engine_.RemoveExpired();
  EXPECT_EQ(engine_.IndexedItems(), 0u);
  EXPECT_LE(engine_.Memory().items + 4 * 2 * 50, full.items);
}

// Memory() accounts for (nearly) all the heap the engine holds, as glibc sees it (small blocks
// and mmapped ones: counting only the first once hid four fifths of the index).
TEST(EngineMemoryTest, AgreesWithTheHeap) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer's allocator replaces glibc's: mallinfo2 does not see the heap";
#else
  const auto heap = [] {
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
  };
  std::mt19937_64 rng(3);
  std::vector<std::string> words(5000);
  for (std::string& w : words) {
    for (int n = 3 + static_cast<int>(rng() % 7); n > 0; --n)
      w += static_cast<char>('a' + rng() % 26);
  }
  const size_t before = heap();
  auto engine = std::make_unique<Engine>(Options{});
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int n = 0; n < 120; ++n)
      text += words[rng() % words.size()] + (n % 20 == 19 ? ".\n" : " ");
    const std::string id = "item-" + std::to_string(i);
    const Fingerprint fp = engine->MakeFingerprint(
        {"outlet" + std::to_string(i % 50), "", text, k1987 + static_cast<UnixSeconds>(i) * 60});
    engine->Insert(id, id, "outlet" + std::to_string(i % 50), fp);
  }
  const size_t held = heap() - before;
  const size_t counted = engine->Memory().total();
  EXPECT_LE(counted, held);
  EXPECT_GE(counted, held * 8 / 10) << "held " << held;
#endif
}

// An engine whose "dedup_docs" records live in a map, as an archive would keep them: the
// reader behind Engine::SetRecordReader. Records are committed in groups (MarkCommitted).
class ArchivedEngine {
 public:
  explicit ArchivedEngine(const Options& options, bool cold) : engine_(options) {
    if (cold) {
      engine_.SetRecordReader([this](std::string_view family,
                                     std::string_view key) -> Result<std::optional<std::string>> {
        if (unreadable_) return Err(Status::IOError("disk gone"));
        const auto it = docs_.find(std::string(key));
        if (family != "dedup_docs" || it == docs_.end()) return std::optional<std::string>();
        return std::optional<std::string>(it->second);
      });
    }
  }

  StoryId Ingest(const ItemId& id, std::string_view source, const std::string& text,
                 UnixSeconds time) {
    const Fingerprint fp = engine_.MakeFingerprint({source, "", text, time});
    const Match m = engine_.FindMatch(fp);
    const StoryId story = m.is_copy ? m.story : id;
    for (Record& r : engine_.Insert(id, story, source, fp)) {
      if (r.family == "dedup_docs") staged_.push_back(std::move(r));
    }
    return story;
  }
  // Commits the staged records, then expires as the ingestor does (every 6 h of item time).
  void Commit(UnixSeconds newest) {
    const uint64_t inserted = engine_.Inserted();
    for (Record& r : staged_) docs_[r.key] = std::move(r.value);
    staged_.clear();
    engine_.MarkCommitted(inserted);
    if (newest - last_expiry_ < 6 * 3600) return;
    last_expiry_ = newest;
    for (const RangeDrop& d : engine_.Expire(newest - engine_.options().kept_seconds())) {
      if (d.family == "dedup_docs")
        docs_.erase(docs_.lower_bound(d.begin), docs_.lower_bound(d.end));
    }
  }

  Engine& engine() { return engine_; }
  void set_unreadable(bool unreadable) { unreadable_ = unreadable; }

 private:
  Engine engine_;
  std::vector<Record> staged_;
  std::map<std::string, std::string> docs_;
  UnixSeconds last_expiry_ = INT64_MIN / 2;
  bool unreadable_ = false;
};

// Items dated more than the window below the newest keep only what finds and removes them in
// RAM, and are read back to be compared: every story comes out as with all of them whole,
// through late items (dated up to 5 days behind the newest), expiry, and slots reused.
TEST(EngineColdItemsTest, KeepingThemInTheArchiveChangesNoStory) {
  const Options options;
  ArchivedEngine whole(options, /*cold=*/false), cold(options, /*cold=*/true);
  const std::string texts[] = {testing::kHarbour, testing::kVaccine, testing::kRailway,
                               testing::kKazakh, FirstParagraphs(testing::kHarbour, 1)};
  std::mt19937 rng(11);
  UnixSeconds newest = k1987;
  size_t copies = 0, late_copies = 0;
  for (int n = 0; n < 600; ++n) {
    newest += 1800;
    // One item in five is late: dated 1 to 5 days behind the newest.
    const bool late = rng() % 5 == 0;
    const UnixSeconds time =
        late ? newest - 86400 * static_cast<UnixSeconds>(1 + rng() % 5) : newest;
    const size_t which = rng() % std::size(texts);
    // News-sized texts (a short one's sets take less RAM than what a cold item keeps).
    const std::string text = which == 0 && rng() % 3 == 0
                                 ? MarketReport(n, n % 7, n % 5, n % 3)
                                 : texts[which] + "\n\n" + texts[(which + 1) % 4] + "\n\n" +
                                       texts[(which + 2) % 4] + "\n\nItem " +
                                       std::to_string(n / 40) + ".";
    const std::string id = "i" + std::to_string(n);
    const std::string source = "s" + std::to_string(rng() % 6);
    const StoryId a = whole.Ingest(id, source, text, time);
    const StoryId b = cold.Ingest(id, source, text, time);
    ASSERT_EQ(a, b) << id;
    copies += a != id;
    late_copies += late && a != id;
    if (n % 8 == 7) {
      whole.Commit(newest);
      cold.Commit(newest);
    }
  }
  const Engine::ColdReads reads = cold.engine().ColdReadCounts();
  EXPECT_GT(reads.reads, 10u);  // late items were compared with cold ones
  EXPECT_EQ(reads.failures, 0u);
  EXPECT_EQ(whole.engine().ColdReadCounts().reads, 0u);
  EXPECT_GT(late_copies, 20u);
  EXPECT_GT(copies, 100u);
  // The cold items' sets have left RAM.
  whole.engine().RemoveExpired();
  cold.engine().RemoveExpired();
  EXPECT_EQ(whole.engine().IndexedItems(), cold.engine().IndexedItems());
  EXPECT_LT(cold.engine().Memory().items, whole.engine().Memory().items * 9 / 10);
}

// Items go cold as the newest item time moves on (ChillDue, at every commit), not only at the
// expiries, which come every 6 h of item time.
TEST(EngineColdItemsTest, ItemsGoColdAsTheNewestMovesOn) {
  ArchivedEngine cold(Options{}, /*cold=*/true);
  const std::string text = std::string(testing::kHarbour) + "\n\n" + testing::kVaccine + "\n\n" +
                           testing::kRailway;  // news-sized
  cold.Ingest("old", "agency", text, k1987);
  cold.Commit(k1987);
  cold.engine().ChillDue(k1987 + 5 * 86400);
  cold.Ingest("new", "wire", testing::kKazakh, k1987 + 5 * 86400);  // "old" goes cold here
  EXPECT_EQ(cold.Ingest("late", "outlet", text, k1987 + 3600), "old");
  EXPECT_EQ(cold.engine().ColdReadCounts().reads, 1u);
}

// An item whose record is not committed yet keeps its sets (it could not be read back), and a
// cold item whose record cannot be read is left out of the search, and counted.
TEST(EngineColdItemsTest, OnlyCommittedItemsGoColdAndAnUnreadableOneIsLeftOut) {
  const Options options;
  for (const bool committed : {false, true}) {
    ArchivedEngine cold(options, /*cold=*/true);
    const std::string text = std::string(testing::kHarbour) + "\n\n" + testing::kVaccine + "\n\n" +
                             testing::kRailway;  // news-sized
    cold.Ingest("old", "agency", text, k1987);
    if (committed) cold.Commit(k1987);
    // The newest moves 5 days on: "old" is due to go cold.
    cold.Ingest("new", "wire", testing::kVaccine, k1987 + 5 * 86400);
    cold.engine().Expire(k1987 + 5 * 86400 - options.kept_seconds());
    cold.engine().RemoveExpired();
    cold.set_unreadable(true);
    const StoryId late = cold.Ingest("late", "outlet", text, k1987 + 3600);
    const Engine::ColdReads reads = cold.engine().ColdReadCounts();
    if (!committed) {
      EXPECT_EQ(late, "old");  // still whole: compared without a read
      EXPECT_EQ(reads.reads, 0u);
    } else {
      EXPECT_EQ(late, "late");
      EXPECT_EQ(reads.reads, 1u);
      EXPECT_EQ(reads.failures, 1u);
      EXPECT_EQ(cold.engine().IndexedFingerprint("old"), std::nullopt);
      cold.set_unreadable(false);
      ASSERT_TRUE(cold.engine().IndexedFingerprint("old").has_value());
      EXPECT_GT(cold.engine().IndexedFingerprint("old")->shingles.size(), 50u);
    }
  }
}

// `newsd import` keeps each item's band-key fragments to remove it at expiry without signing it
// again (Options::keep_band_fragments): the stories must come out the same as without, through
// items expiring, leaving memory and their slots being reused.
TEST(EngineBandFragmentsTest, KeepingThemChangesNoStory) {
  Options kept;
  kept.keep_band_fragments = true;
  Engine plain{Options{}}, fragments{kept};
  auto ingest = [](Engine& engine, const ItemId& id, std::string_view source,
                   const std::string& text, UnixSeconds time) {
    const Fingerprint fp = engine.MakeFingerprint({source, "", text, time});
    const Match m = engine.FindMatch(fp);
    const StoryId story = m.is_copy ? m.story : id;
    engine.Insert(id, story, source, fp);
    return story;
  };
  const std::string texts[] = {testing::kHarbour, testing::kVaccine, testing::kRailway,
                               testing::kKazakh, FirstParagraphs(testing::kHarbour, 1)};
  size_t copies = 0;
  for (int day = 0; day < 40; ++day) {
    const UnixSeconds time = k1987 + day * 43200;
    for (size_t i = 0; i < std::size(texts); ++i) {
      const std::string id = "d" + std::to_string(day) + "-" + std::to_string(i);
      const std::string text = i == 0 && day % 3 == 0 ? MarketReport(day, day, 6, 7) : texts[i];
      const std::string source = "s" + std::to_string((day + i) % 4);
      const StoryId a = ingest(plain, id, source, text, time + static_cast<int>(i) * 60);
      const StoryId b = ingest(fragments, id, source, text, time + static_cast<int>(i) * 60);
      ASSERT_EQ(a, b) << id;
      copies += a != id;
    }
    if (day % 4 == 3) {
      plain.Expire(time - 4 * 86400);
      fragments.Expire(time - 4 * 86400);
    }
  }
  plain.RemoveExpired();
  fragments.RemoveExpired();
  EXPECT_EQ(plain.IndexedItems(), fragments.IndexedItems());
  EXPECT_EQ(plain.IndexedBandPostings(), fragments.IndexedBandPostings());  // none left behind
  EXPECT_LE(fragments.IndexedBandPostings(), fragments.IndexedItems() * kBands);
  EXPECT_GT(copies, 100u);  // the texts recur: most items are copies of a live story
}

// A late item in a time bucket an earlier Expire dropped is matched in memory until the next
// Expire, but not stored: the drop is done, and a stored record would bring it back as a
// candidate after a restart, unlike in the run that never stopped.
TEST_F(EngineTest, AnItemInADroppedBucketIsNotStored) {
  Ingest("old", "a", testing::kHarbour, k1987);
  Ingest("other", "a", testing::kVaccine, k1987 + 5 * 86400);
  engine_.Expire(k1987 + 4 * 86400);
  persisted_.clear();
  Ingest("late", "b", testing::kHarbour, k1987 + 3600);
  Ingest("recent", "b", testing::kHarbour, k1987 + 5 * 86400);
  std::vector<std::string> docs;
  for (const auto& [k, fk] : persisted_) {
    if (fk.first == "dedup_docs") docs.push_back(fk.second);
  }
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_TRUE(docs[0].ends_with("recent"));
}

// A text longer than the stored records allow is fingerprinted on a consistent sample (the
// smallest hashes), so what a restart reads back is what the running engine indexed.
TEST_F(EngineTest, AVeryLongTextIsRestoredAfterARestart) {
  std::string text;
  for (size_t i = 0; i < kMaxSetSize + 5000; ++i) text += "w" + std::to_string(i) + " ";
  Ingest("long", "a", text, k1987);
  Engine restarted{Options{}};
  size_t restored = 0;
  for (const auto& [k, fk] : persisted_) {
    restored += restarted.Restore(fk.first, fk.second, values_[k]).ok() && fk.first == "dedup_docs";
  }
  EXPECT_EQ(restored, 1u);
  EXPECT_EQ(restarted.IndexedItems(), 1u);
}

// Tools (newsctl dupes explain) get the fingerprint an item was indexed with, not one made
// with the boilerplate learned since; none once the item has left the window.
TEST_F(EngineTest, IndexedFingerprintIsTheOneIngestionUsed) {
  const Fingerprint original = engine_.MakeFingerprint({"a", "", testing::kHarbour, k1987});
  Ingest("h", "a", testing::kHarbour, k1987);
  const std::optional<Fingerprint> indexed = engine_.IndexedFingerprint("h");
  ASSERT_TRUE(indexed.has_value());
  EXPECT_EQ(indexed->shingles, original.shingles);
  EXPECT_EQ(indexed->lead, original.lead);
  EXPECT_EQ(indexed->numbers, original.numbers);
  EXPECT_EQ(indexed->band_keys, original.band_keys);
  EXPECT_EQ(indexed->time, k1987);
  const Fingerprint dated = engine_.MakeFingerprint({"a", "", Filed(11), k1987});
  Ingest("d", "a", Filed(11), k1987);
  ASSERT_NE(dated.filing, 0u);
  EXPECT_EQ(engine_.IndexedFingerprint("d")->filing, dated.filing);
  EXPECT_EQ(engine_.IndexedFingerprint("d")->dateline, dated.dateline);
  EXPECT_FALSE(engine_.IndexedFingerprint("other").has_value());
  engine_.Expire(k1987 + 4 * 86400);
  EXPECT_FALSE(engine_.IndexedFingerprint("h").has_value());
}

// Equal scores go to the earlier item (then the smaller id), whatever the insertion order or
// where the index keeps each item, so a restart or an expiry cannot change a verdict.
TEST_F(EngineTest, TiesGoToTheEarlierItem) {
  for (bool later_first : {true, false}) {
    Engine engine{Options{}};
    auto insert = [&](const ItemId& id, UnixSeconds time) {
      const Fingerprint fp = engine.MakeFingerprint({"wire", "", testing::kHarbour, time});
      engine.Insert(id, "story-" + id, "wire", fp);
    };
    if (later_first) insert("later", k1987 + 600);
    insert("earlier", k1987 + 300);
    if (!later_first) insert("later", k1987 + 600);
    const Match m = engine.FindMatch(engine.MakeFingerprint({"x", "", testing::kHarbour, k1987}));
    EXPECT_EQ(m.story, "story-earlier") << later_first;
    EXPECT_EQ(m.matched_item, "earlier") << later_first;
  }
}

TEST_F(EngineTest, ExpireForgetsBoilerplateCounters) {
  const std::string footer = "\n\nSubscribe to our channel for the latest news and analysis.";
  Ingest("s1", "outlet", testing::kHarbour + footer, k1987);
  Ingest("s2", "outlet", testing::kVaccine + footer, k1987);
  Ingest("s3", "outlet", testing::kRailway + footer, k1987);
  const std::string text = testing::kKazakh + footer;
  const Document doc{"outlet", "", text, k1987 + 86400};
  EXPECT_EQ(engine_.MakeFingerprint(doc).dropped_lines, 1u);
  std::vector<RangeDrop> drops = engine_.Expire(k1987 + 30 * 86400);
  EXPECT_EQ(engine_.MakeFingerprint(doc).dropped_lines, 0u);
  size_t counters = 0;
  for (const auto& [k, fk] : persisted_) {
    if (fk.first != "dedup_boilerplate") continue;
    ++counters;
    EXPECT_TRUE(fk.second >= drops[1].begin && fk.second < drops[1].end) << k;
  }
  EXPECT_GT(counters, 0u);
}

TEST_F(EngineTest, RestoreRejectsUnknownFamiliesAndDamagedRecords) {
  EXPECT_EQ(engine_.Restore("other", "k", "v").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(engine_.Restore("dedup_boilerplate", "short", "v").code(), Status::Code::kCorruption);
  EXPECT_EQ(engine_.Restore("dedup_docs", std::string(12, 'k'), "\x01").code(),
            Status::Code::kCorruption);
  EXPECT_EQ(engine_.IndexedItems(), 0u);
}

TEST_F(EngineTest, PreparedTextGivesTheSameFingerprint) {
  const std::string text = std::string(testing::kHarbour) + "\nFooter line of the outlet here.";
  for (const Document& doc :
       {Document{"s", "Title", text, k1987}, Document{"s", "Title", "", k1987}}) {
    const PreparedText prepared = Engine::Prepare(doc.title, doc.text);
    const Fingerprint a = engine_.MakeFingerprint(doc);
    const Fingerprint b = engine_.MakeFingerprint(doc, prepared);
    EXPECT_EQ(a.shingles, b.shingles);
    EXPECT_EQ(a.signature, b.signature);
    EXPECT_EQ(a.band_keys, b.band_keys);
    EXPECT_EQ(a.lead, b.lead);
    EXPECT_EQ(a.numbers, b.numbers);
    EXPECT_EQ(a.line_hashes, b.line_hashes);
    EXPECT_FALSE(a.shingles.empty());
  }
  EXPECT_TRUE(engine_.MakeFingerprint({"s", "", "", k1987}, PreparedText()).shingles.empty());
  // Nothing prepared (the daemon skips the text of items already stored): read from doc.
  const Document doc{"s", "Title", text, k1987};
  EXPECT_EQ(engine_.MakeFingerprint(doc, PreparedText()).shingles,
            engine_.MakeFingerprint(doc).shingles);
  EXPECT_FALSE(engine_.MakeFingerprint(doc, PreparedText()).shingles.empty());
}

// Every field of two fingerprints, for the signed-ahead tests below.
void ExpectSameFingerprint(const Fingerprint& a, const Fingerprint& b) {
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.shingles, b.shingles);
  EXPECT_EQ(a.signature, b.signature);
  EXPECT_EQ(a.band_keys, b.band_keys);
  EXPECT_EQ(a.lead, b.lead);
  EXPECT_EQ(a.line_hashes, b.line_hashes);
  EXPECT_EQ(a.token_count, b.token_count);
  EXPECT_EQ(a.numbers, b.numbers);
  EXPECT_EQ(a.figures, b.figures);
  EXPECT_EQ(a.dropped_lines, b.dropped_lines);
  EXPECT_EQ(a.titles, b.titles);
}

TEST_F(EngineTest, TextSignedAheadGivesTheSameFingerprint) {
  const std::string footer = "\n\nSubscribe to our channel for the latest news and analysis.";
  const std::string with_footer = testing::kKazakh + footer;  // Documents only view text
  const Document docs[] = {
      {"outlet", "Harbour workers strike over pay for a third day", with_footer, k1987},
      {"outlet", "", testing::kKazakh, k1987},
      {"else", "Title", with_footer, k1987 + 60},
      {"outlet", "Only a title here", "", k1987},
  };
  // Lines learned by an engine that saw the outlet's footer three times, and by one that saw
  // nothing: a text signed without the lines of either must come out as if signed here.
  Engine other_engine{Options{}};
  for (const char* text : {testing::kHarbour, testing::kVaccine, testing::kRailway}) {
    const Fingerprint fp = other_engine.MakeFingerprint({"outlet", "", text + footer, k1987});
    other_engine.Insert(text, text, "outlet", fp);
  }
  const std::shared_ptr<const LearnedLines> footer_learned = other_engine.Learned();
  ASSERT_EQ(footer_learned->size(), 1u);
  const std::shared_ptr<const LearnedLines> nothing_learned = engine_.Learned();
  ASSERT_EQ(nothing_learned->size(), 0u);
  const auto check = [&](const char* when) {
    for (const Document& doc : docs) {
      SCOPED_TRACE(std::string(when) + ": " + std::string(doc.source) + " " +
                   std::string(doc.title));
      const Fingerprint direct = engine_.MakeFingerprint(doc);
      const PreparedText signed_ahead = Engine::Prepare(doc.title, doc.text, engine_.options());
      ExpectSameFingerprint(engine_.MakeFingerprint(doc, signed_ahead), direct);
      PreparedText taken = Engine::Prepare(doc.title, doc.text, engine_.options());
      ExpectSameFingerprint(engine_.MakeFingerprint(doc, std::move(taken)), direct);
      // Signed under other options (a shingle of 3 words): noticed, signed again.
      Options other;
      other.shingle_words = 3;
      ExpectSameFingerprint(
          engine_.MakeFingerprint(doc, Engine::Prepare(doc.title, doc.text, other)), direct);
      // Signed without the lines this engine learned, or another's (learned too early or too
      // late): taken when they are the ones this engine drops, signed again when not.
      for (const LearnedLines* learned :
           {engine_.Learned().get(), footer_learned.get(), nothing_learned.get()}) {
        ExpectSameFingerprint(
            engine_.MakeFingerprint(
                doc, Engine::Prepare(doc.title, doc.text, engine_.options(), doc.source, *learned)),
            direct);
      }
    }
  };
  check("nothing learned");
  // The outlet's footer becomes learned boilerplate: the fingerprint signed ahead kept it, so
  // it must not be taken for the outlet's texts that end with it.
  Ingest("s1", "outlet", testing::kHarbour + footer, k1987);
  Ingest("s2", "outlet", testing::kVaccine + footer, k1987);
  Ingest("s3", "outlet", testing::kRailway + footer, k1987);
  ASSERT_EQ(engine_.MakeFingerprint(docs[0]).dropped_lines, 1u);
  check("footer learned");
}

// Engine::Learned follows the boilerplate counters: a line is in it once learned, out of it once
// its counter expires, and the snapshot is shared until that changes.
TEST_F(EngineTest, LearnedLinesFollowTheCounters) {
  const std::string footer = "\n\nSubscribe to our channel for the latest news and analysis.";
  const std::shared_ptr<const LearnedLines> empty = engine_.Learned();
  EXPECT_EQ(empty->size(), 0u);
  Ingest("s1", "outlet", testing::kHarbour + footer, k1987);
  Ingest("s2", "outlet", testing::kVaccine + footer, k1987);
  EXPECT_EQ(engine_.Learned(), empty);  // seen twice: not learned yet
  Ingest("s3", "outlet", testing::kRailway + footer, k1987);
  const std::shared_ptr<const LearnedLines> learned = engine_.Learned();
  EXPECT_EQ(learned->size(), 1u);
  EXPECT_EQ(empty->size(), 0u);  // a snapshot never changes
  EXPECT_EQ(engine_.Learned(), learned);
  Ingest("s4", "outlet", testing::kKazakh + footer, k1987 + 60);  // counted again, still learned
  EXPECT_EQ(engine_.Learned()->size(), 1u);
  engine_.Expire(k1987 + 60 * 86400);  // past the boilerplate window: the counter goes
  EXPECT_EQ(engine_.Learned()->size(), 0u);
  // Restored counters are learned as they were stored.
  Engine restarted{Options{}};
  Ingest("s5", "outlet", testing::kHarbour + footer, k1987 + 61 * 86400);
  Ingest("s6", "outlet", testing::kVaccine + footer, k1987 + 61 * 86400);
  Ingest("s7", "outlet", testing::kRailway + footer, k1987 + 61 * 86400);
  for (const auto& [k, fk] : persisted_) {
    if (fk.first != "dedup_boilerplate") continue;
    ASSERT_TRUE(restarted.Restore(fk.first, fk.second, values_[k]).ok());
  }
  EXPECT_EQ(restarted.Learned()->size(), 1u);
}

TEST_F(EngineTest, FingerprintCarriesTheBandKeysOfItsSignature) {
  const Fingerprint fp = engine_.MakeFingerprint({"s", "", testing::kHarbour, k1987});
  ASSERT_FALSE(fp.shingles.empty());
  EXPECT_TRUE(std::is_sorted(fp.shingles.begin(), fp.shingles.end()));
  EXPECT_EQ(std::adjacent_find(fp.shingles.begin(), fp.shingles.end()), fp.shingles.end());
  EXPECT_EQ(fp.signature, MinHashSignature(fp.shingles));
  EXPECT_EQ(fp.band_keys, AllBandKeys(fp.signature));
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

// A follow-up tells its news above the earlier story's text, repeated ("As reported
// earlier, ..."): another story, though all of the earlier one is in it. A copy under an
// outlet's short header line still joins.
TEST_F(EngineTest, AFollowUpAboveTheEarlierStorysTextIsANewStory) {
  const std::string arrest =
      "The former mayor of the northern town was arrested on Monday on suspicion of taking "
      "bribes worth two million dollars from construction firms, prosecutors said. Investigators "
      "searched his home and offices and seized documents, computers and several cars. His "
      "lawyer said the charges were politically motivated and that his client would appeal "
      "against the arrest in the regional court.";
  EXPECT_EQ(Ingest("arrest", "agency", arrest, k1987), "arrest");
  const std::string verdict =
      "A regional court on Friday sentenced an ex-official to nine years in prison and banned "
      "him from public office for life, ending a trial that lasted four months. The judge also "
      "ordered the confiscation of his property.\n\nAs reported earlier: " +
      arrest;
  EXPECT_EQ(Ingest("verdict", "paper", verdict, k1987 + 3600), "verdict");
  EXPECT_EQ(Ingest("copy", "portal", "Regional news.\n\n" + arrest, k1987 + 7200), "arrest");
  // Under the same title, an intro above a copy ("As the agency reports, ...") keeps it a copy.
  const char* title = "Former mayor of the northern town arrested over bribes";
  EXPECT_EQ(IngestTitled("titled", "agency", title, arrest, k1987 + 7300), "arrest");
  EXPECT_EQ(IngestTitled("intro", "portal", title,
                         "As the national news agency reports, citing the regional prosecutor's "
                         "office, the case was opened last month after an audit of the town "
                         "budget found missing funds in several construction contracts.\n\n" +
                             arrest,
                         k1987 + 7400),
            "arrest");
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

TEST(CanonicalTest, AgencyThenEarliestThenFuller) {
  Options options;
  options.agency_sources = {"reuters"};
  CanonicalInfo agency{"reuters", 2000, 2000, 10};
  CanonicalInfo early{"blog", 1000, 1500, 10};
  CanonicalInfo early_full{"blog2", std::nullopt, 1000, 50};
  EXPECT_TRUE(PreferCanonical(agency, early, options));
  EXPECT_FALSE(PreferCanonical(early, agency, options));
  EXPECT_TRUE(PreferCanonical(early_full, early, options));
  EXPECT_FALSE(PreferCanonical(early, early_full, options));
  EXPECT_FALSE(PreferCanonical(early, early, options));
}

TEST(PathTest, Names) {
  EXPECT_EQ(PathName(Path::kNone), "none");
  EXPECT_EQ(PathName(Path::kLsh), "lsh");
  EXPECT_EQ(PathName(Path::kLead), "lead");
  EXPECT_EQ(PathName(Path::kTitle), "title");
  EXPECT_EQ(Engine::Families(), (std::vector<std::string>{"dedup_docs", "dedup_boilerplate"}));
}

}  // namespace
}  // namespace newsd::dedup
