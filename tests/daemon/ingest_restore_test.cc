// Ingestor: restoring the index, expiry, late and cold items, failed commits.

#include <gtest/gtest.h>

#include "daemon/ingest.h"
#include "tests/daemon/ingest_test_util.h"

namespace newsd::daemon {
namespace {

TEST_F(IngestTest, RestartRestoresTheIndexFromTheArchive) {
  {
    Ingestor first(archive_, dedup::Options());
    ASSERT_TRUE(first.Stage(Make("a1", "agency", kStory, 1000)).ok());
    ASSERT_TRUE(first.Commit().ok());
  }
  Ingestor second(archive_, dedup::Options());
  ASSERT_TRUE(second.Restore().ok());
  ASSERT_TRUE(second.Stage(Make("b1", "outlet", kStory, 2000)).ok());
  ASSERT_TRUE(second.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
}

// Expiry follows the items' times, and drops old items for good: a few items dated decades
// ahead (a typo year) must not drag it past every other item. A copy of an earlier story,
// staged after them, still joins it.
TEST_F(IngestTest, AFewItemsDatedFarAheadDoNotExpireTheIndex) {
  constexpr UnixSeconds kMay2024 = 1714521600;
  constexpr UnixSeconds kYear = 365 * 86400;
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, kMay2024)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(ingest
                    .Stage(Make("typo" + std::to_string(i), "outlet",
                                kOther + std::string(" Item ") + std::to_string(i) + ".",
                                kMay2024 + 75 * kYear + i))
                    .ok());
    ASSERT_TRUE(ingest.Commit().ok());
  }
  for (int i = 0; i < 40; ++i) {  // more items than the horizon needs, at the usual time
    const std::string n = std::to_string(i);
    ASSERT_TRUE(ingest
                    .Stage(Make("f" + n, "wire",
                                "Filler number " + n + " reports alpha" + n + " beta" + n +
                                    " gamma" + n + " delta" + n + " epsilon" + n + ".",
                                kMay2024 + 60 + i))
                    .ok());
  }
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, kMay2024 + 5 * 3600)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
}

// The index keeps the window plus Options::late() below the newest item: by default (late =
// the window) a copy dated 71 h behind the newest still joins its story of 101 h back (30 h
// before the copy) in the index; with late = 6 h the index has let go of that story, and the
// copy, counted late, finds it among the archive's items of its days.
TEST_F(IngestTest, LateBoundsHowFarBehindTheNewestACopyFindsItsStory) {
  constexpr UnixSeconds kMay2024 = 1714521600, kHour = 3600;
  for (const int64_t late : {int64_t{-1}, 6 * kHour}) {
    testing::FakeArchive archive;
    dedup::Options options;  // window 72 h
    options.late_seconds = late;
    Ingestor ingest(archive, options);
    ASSERT_TRUE(ingest.Restore().ok());
    ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, kMay2024)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    for (size_t i = 0; i < dedup::TimeHorizon::kSupport + 8; ++i) {  // the newest: 101 h on
      const std::string n = std::to_string(i);
      ASSERT_TRUE(ingest
                      .Stage(Make("f" + n, "wire",
                                  "Filler number " + n + " reports alpha" + n + " beta" + n +
                                      " gamma" + n + " delta" + n + " epsilon" + n + ".",
                                  kMay2024 + 101 * kHour + static_cast<UnixSeconds>(i)))
                      .ok());
    }
    ASSERT_TRUE(ingest.Commit().ok());
    ASSERT_TRUE(ingest.Commit().ok());  // the expiry the newest items call for
    ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, kMay2024 + 30 * kHour)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    EXPECT_EQ((*archive.GetItem("b1"))->story, "a1");
    EXPECT_EQ(ingest.stats().late, late < 0 ? 0u : 1u);
    EXPECT_EQ(ingest.stats().archive_copies, late < 0 ? 0u : 1u);
  }
}

// Items more than the window (and a time bucket) below the newest are kept cold: their sets
// leave RAM and are read back from the archive when a late item must be compared with them.
// The late copy still joins its story, through one read of the archive; with the archive's
// record gone it cannot be compared, and starts a story of its own.
TEST_F(IngestTest, ALateCopyFindsItsStoryThroughTheArchive) {
  constexpr UnixSeconds kMay2024 = 1714521600, kHour = 3600;
  for (const bool record_lost : {false, true}) {
    testing::FakeArchive archive;
    Ingestor ingest(archive, dedup::Options());  // window 72 h, late 72 h
    ASSERT_TRUE(ingest.Restore().ok());
    ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, kMay2024)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    auto filler = [&](size_t i) {
      const std::string n = std::to_string(i);
      return Make("f" + n, "wire",
                  "Filler number " + n + " reports alpha" + n + " beta" + n + " gamma" + n +
                      " delta" + n + " epsilon" + n + ".",
                  kMay2024 + 101 * kHour + static_cast<UnixSeconds>(i));
    };
    size_t i = 0;
    for (; i < dedup::TimeHorizon::kSupport + 8; ++i) ASSERT_TRUE(ingest.Stage(filler(i)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    ASSERT_TRUE(ingest.Commit().ok());  // the expiry the newest items call for: a1 goes cold
    ASSERT_TRUE(ingest.Stage(filler(i++)).ok());  // its sets leave RAM here
    ASSERT_TRUE(ingest.Commit().ok());
    EXPECT_EQ(ingest.engine().ColdReadCounts().reads, 0u);
    if (record_lost) {
      testing::FakeArchive::Store& store = *archive.store();
      std::lock_guard lock(store.mu);
      store.index["dedup_docs"].clear();
    }
    ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, kMay2024 + 30 * kHour)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    const dedup::Engine::ColdReads reads = ingest.engine().ColdReadCounts();
    EXPECT_EQ(reads.reads, 1u);
    if (!record_lost) {
      EXPECT_EQ((*archive.GetItem("b1"))->story, "a1");
      EXPECT_EQ(reads.failures, 0u);
    } else {
      EXPECT_EQ((*archive.GetItem("b1"))->story, "b1");
      EXPECT_EQ(reads.failures, 1u);
    }
  }
}

// A restored index keeps the items behind the window cold at once: a late copy still finds its
// story, through one read of the archive.
TEST_F(IngestTest, AfterARestartItemsBehindTheWindowAreCold) {
  constexpr UnixSeconds kMay2024 = 1714521600, kHour = 3600;
  testing::FakeArchive archive;
  {
    Ingestor ingest(archive, dedup::Options());
    ASSERT_TRUE(ingest.Restore().ok());
    ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, kMay2024)).ok());
    ASSERT_TRUE(ingest
                    .Stage(Make("f1", "wire", "Filler alpha beta gamma delta epsilon zeta eta.",
                                kMay2024 + 101 * kHour))
                    .ok());
    ASSERT_TRUE(ingest.Commit().ok());
  }
  Ingestor ingest(archive, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, kMay2024 + 30 * kHour)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive.GetItem("b1"))->story, "a1");
  EXPECT_EQ(ingest.engine().ColdReadCounts().reads, 1u);
}

// A commit's expiry drops the index records of items older than it keeps, those staged in the
// same batch too: they are not written only for the next commit to delete, and a restart
// indexes what the running ingestor held.
TEST_F(IngestTest, RecordsTheCommitExpiresAreNotWritten) {
  constexpr UnixSeconds kMay2024 = 1714521600;
  constexpr UnixSeconds kLater = kMay2024 + 30 * 86400;
  constexpr size_t kNew = dedup::TimeHorizon::kSupport;  // enough for expiry to follow them
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("old", "agency", kStory, kMay2024)).ok());
  for (size_t i = 0; i < kNew; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(ingest
                    .Stage(Make("new" + n, "wire",
                                "Item number " + n + " reports alpha" + n + " beta" + n + " gamma" +
                                    n + " delta" + n + " epsilon" + n + ".",
                                kLater + static_cast<UnixSeconds>(i)))
                    .ok());
  }
  ASSERT_TRUE(ingest.Commit().ok());
  size_t docs = 0;
  bool old_written = false;
  ASSERT_TRUE(archive_
                  .ForEachIndexRecord(storage::kDedupDocsFamily,
                                      [&](std::string_view key, std::string_view) {
                                        ++docs;
                                        old_written |= key.find("old") != std::string_view::npos;
                                      })
                  .ok());
  EXPECT_EQ(docs, kNew);
  EXPECT_FALSE(old_written);
  Ingestor restarted(archive_, dedup::Options());
  ASSERT_TRUE(restarted.Restore().ok());
  EXPECT_EQ(restarted.engine().IndexedItems(), kNew);
  ASSERT_TRUE(restarted.Stage(Make("copy", "outlet", kStory, kMay2024 + 60)).ok());
  ASSERT_TRUE(restarted.Commit().ok());
  // The index let go of "old"; the copy finds it among the archive's items of its days.
  EXPECT_EQ((*archive_.GetItem("copy"))->story, "old");
  EXPECT_EQ(restarted.stats().archive_copies, 1u);
}

// Counts the archive lookups of item ids.
class CountingArchive : public testing::FakeArchive {
 public:
  using FakeArchive::FakeArchive;
  Result<bool> HasItem(const ItemId& id) override {
    ++lookups;
    return FakeArchive::HasItem(id);
  }
  int lookups = 0;  // HasItem runs on the ingestor's thread only
};

// An archive that held no item id when the ingestor started holds only the ids it stored: new
// ids are not looked up there, and an id stored by an earlier commit (in the background or
// not) is still skipped as stored. After a restart the archive holds ids: every one is looked up.
TEST_F(IngestTest, AnArchiveThatHeldNoIdsIsNotReadForNewOnes) {
  CountingArchive archive;
  Ingestor ingest(archive, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "wire", kOther, 2000)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  EXPECT_EQ(archive.lookups, 0);
  ASSERT_TRUE(ingest.Stage(Make("a1", "outlet", kStory, 3000)).ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kOther, 3000)).ok());
  EXPECT_EQ(ingest.stats().duplicates, 2u);
  EXPECT_EQ(archive.lookups, 1);  // a1's: b1 is still known as the batch just written
  ASSERT_TRUE(ingest.Commit().ok());

  CountingArchive restarted(archive.store());
  Ingestor again(restarted, dedup::Options());
  ASSERT_TRUE(again.Restore().ok());
  ASSERT_TRUE(again.Stage(Make("c1", "outlet", kStory, 4000)).ok());
  ASSERT_TRUE(again.Stage(Make("a1", "outlet", kStory, 4000)).ok());
  EXPECT_EQ(restarted.lookups, 2);
  EXPECT_EQ(again.stats().duplicates, 1u);
}

// In an import of dated stories with undated ones among them, the undated count at the
// import's time: they must not expire the dated past either.
TEST_F(IngestTest, UndatedItemsDoNotExpireTheDatedOnes) {
  constexpr UnixSeconds k2015 = 1420070400;
  constexpr UnixSeconds kNow = 1790000000;
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, k2015)).ok());
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i);
    Article undated = Make("u" + n, "wire",
                           "Undated item " + n + " reports alpha" + n + " beta" + n + " gamma" + n +
                               " delta" + n + ".",
                           0);
    undated.published.reset();
    undated.arrived = kNow + i;
    ASSERT_TRUE(ingest.Stage(undated).ok());
  }
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, k2015 + 3600)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
}

// A publication time days after the item's arrival is a wrong date: the item counts at its
// arrival, so it still matches a correctly dated copy.
TEST_F(IngestTest, AnItemDatedDaysAfterItsArrivalCountsAtItsArrival) {
  constexpr UnixSeconds kNow = 1714521600;
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  Article wrong = Make("a1", "outlet", kStory, kNow);
  wrong.published = kNow + 3 * 365 * 86400;  // arrived stays kNow + 60
  ASSERT_TRUE(ingest.Stage(wrong).ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "agency", kStory, kNow + 3600)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
  EXPECT_EQ(*(*archive_.GetItem("a1"))->published, kNow + 3 * 365 * 86400);  // kept as received
}

TEST_F(IngestTest, AFailedCommitLeavesNothingAndTheIndexForgetsIt) {
  Ingestor ingest(archive_, dedup::Options());
  archive_.FailNextCommit(Status::IOError("disk full"));
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  EXPECT_FALSE(ingest.Commit().ok());
  EXPECT_FALSE(*archive_.HasItem("a1"));
  EXPECT_EQ(ingest.stats().new_stories, 0u);  // status and metrics count what is stored
  // Fetched again after the failure: a new story again, not a copy of a ghost.
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  EXPECT_EQ(ingest.staged_items(), 1u);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("a1"))->story, "a1");
  EXPECT_EQ(ingest.stats().new_stories, 1u);
  EXPECT_EQ(ingest.staged_items(), 0u);
}

// A dedup index record that cannot be read (a damaged archive) is skipped and counted; the
// rest of the index still finds copies.
TEST_F(IngestTest, AnUnreadableIndexRecordIsSkippedAndCounted) {
  {
    Ingestor first(archive_, dedup::Options());
    ASSERT_TRUE(first.Stage(Make("a1", "agency", kStory, 1000)).ok());
    ASSERT_TRUE(first.Commit().ok());
  }
  storage::Batch damaged;
  damaged.PutIndex("dedup_docs", "short", "x");
  ASSERT_TRUE(archive_.Commit(damaged).ok());
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  EXPECT_EQ(ingest.stats().unreadable_index_records, 1u);
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", std::string("(Agency) - ") + kStory, 1100)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
}

// A failed background commit is reported by the next commit call, and nothing staged after it
// is written: the archive holds what was committed before, the index forgets the rest.
TEST_F(IngestTest, AFailedBackgroundCommitIsReportedAndWritesNothingAfterIt) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Stage(Make("k1", "outlet", kOther, 900)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  archive_.FailNextCommit(Status::IOError("disk full"));
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());  // started; fails in the background
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, 1100)).ok());
  const Status failed = ingest.Commit();
  EXPECT_EQ(failed.code(), Status::Code::kIOError);
  EXPECT_NE(failed.message().find("disk full"), std::string::npos) << failed.ToString();
  EXPECT_TRUE(ingest.WaitCommitted().ok());  // reported once
  EXPECT_TRUE(*archive_.HasItem("k1"));
  EXPECT_FALSE(*archive_.HasItem("a1"));
  EXPECT_FALSE(*archive_.HasItem("b1"));
  EXPECT_EQ(ingest.stats().commits, 1u);
  EXPECT_EQ(ingest.stats().new_stories + ingest.stats().copies, 1u);  // k1 only
  // Fetched again after the failure: b1 founds its story, not a copy of a ghost.
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, 1100)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "b1");
  EXPECT_EQ(ingest.stats().new_stories, 2u);
}

// A failed background commit empties the index and leaves the restore to the caller (the
// daemon runs it off its event loop): nothing is staged against the empty index meanwhile,
// and once restored, copies of what was stored before join their stories again.
TEST_F(IngestTest, AfterAFailedBackgroundCommitNothingIsStagedUntilTheIndexIsRestored) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  archive_.FailNextCommit(Status::IOError("disk full"));
  ASSERT_TRUE(ingest.Stage(Make("k1", "outlet", kOther, 1050)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  EXPECT_EQ(ingest.WaitCommitted().code(), Status::Code::kIOError);
  EXPECT_TRUE(ingest.stale());
  EXPECT_EQ(ingest.engine().IndexedItems(), 0u) << "the restore is the caller's, not here";
  const Status refused = ingest.Stage(Make("b1", "outlet", kStory, 1100));
  EXPECT_EQ(refused.code(), Status::Code::kUnavailable) << refused.ToString();
  EXPECT_EQ(ingest.staged_items(), 0u);
  ASSERT_TRUE(ingest.Restore().ok());
  EXPECT_FALSE(ingest.stale());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, 1100)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1") << "a copy of what was stored before";
  EXPECT_FALSE(*archive_.HasItem("k1"));
}

// A restore that failed part-way is run again (the daemon's next try): it starts from an
// empty index, so no item is indexed twice.
TEST_F(IngestTest, ARestoreRunAgainIndexesEachItemOnce) {
  {
    Ingestor first(archive_, dedup::Options());
    ASSERT_TRUE(first.Stage(Make("a1", "agency", kStory, 1000)).ok());
    ASSERT_TRUE(first.Stage(Make("k1", "outlet", kOther, 1050)).ok());
    ASSERT_TRUE(first.Commit().ok());
  }
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Restore().ok());
  EXPECT_EQ(ingest.engine().IndexedItems(), 2u);
}

}  // namespace
}  // namespace newsd::daemon
