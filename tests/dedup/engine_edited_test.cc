// Engine: edited copies (paragraphs added, replaced or cut) and texts that only look edited.

#include <gtest/gtest.h>

#include <string>

#include "dedup/engine.h"
#include "dedup/explain.h"
#include "tests/dedup/engine_test_util.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

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

}  // namespace
}  // namespace newsd::dedup
