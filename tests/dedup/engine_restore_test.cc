// Engine: the index's records: reindexing, restoring after a restart, expiry.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "dedup/engine.h"
#include "tests/dedup/engine_test_util.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

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

TEST_F(EngineTest, RestoreRejectsUnknownFamiliesAndDamagedRecords) {
  EXPECT_EQ(engine_.Restore("other", "k", "v").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(engine_.Restore("dedup_boilerplate", "short", "v").code(), Status::Code::kCorruption);
  EXPECT_EQ(engine_.Restore("dedup_docs", std::string(12, 'k'), "\x01").code(),
            Status::Code::kCorruption);
  EXPECT_EQ(engine_.IndexedItems(), 0u);
}

}  // namespace
}  // namespace newsd::dedup
