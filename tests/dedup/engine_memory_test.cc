// Engine: memory: its accounting, cold items read back from the archive, band fragments.

#include <gtest/gtest.h>
#include <malloc.h>

#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "dedup/engine.h"
#include "tests/dedup/engine_test_util.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

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

}  // namespace
}  // namespace newsd::dedup
