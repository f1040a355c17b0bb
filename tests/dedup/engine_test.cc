// Engine: copies and new stories, the window, ties, fingerprints (prepared or signed ahead).

#include "dedup/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "dedup/minhash.h"
#include "tests/dedup/engine_test_util.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

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

TEST_F(EngineTest, BackToBackCopiesEndInOneStory) {
  const std::string copy = std::string(testing::kRailway) + "\n\nПодписывайтесь на наш канал.";
  EXPECT_EQ(Ingest("x1", "tass", testing::kRailway, k1987), "x1");
  EXPECT_EQ(Ingest("x2", "ria", copy, k1987), "x1");
  EXPECT_EQ(Ingest("x3", "rbc", testing::kRailway, k1987), "x1");
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

TEST_F(EngineTest, FingerprintCarriesTheBandKeysOfItsSignature) {
  const Fingerprint fp = engine_.MakeFingerprint({"s", "", testing::kHarbour, k1987});
  ASSERT_FALSE(fp.shingles.empty());
  EXPECT_TRUE(std::is_sorted(fp.shingles.begin(), fp.shingles.end()));
  EXPECT_EQ(std::adjacent_find(fp.shingles.begin(), fp.shingles.end()), fp.shingles.end());
  EXPECT_EQ(fp.signature, MinHashSignature(fp.shingles));
  EXPECT_EQ(fp.band_keys, AllBandKeys(fp.signature));
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
