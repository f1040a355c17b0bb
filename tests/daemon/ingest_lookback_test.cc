// Ingestor: articles dated before what the dedup index holds are compared with the archive's
// items of their days (ArchiveLookback).

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <string>

#include "daemon/ingest.h"
#include "tests/daemon/ingest_test_util.h"

namespace newsd::daemon {
namespace {

constexpr UnixSeconds kBackStart = 1714521600;  // 2024-05-01
constexpr UnixSeconds kBackHour = 3600;

// Stages unrelated articles dated 30 days on, enough for expiry to follow them.
void StageAMonthOn(Ingestor& ingest) {
  for (size_t i = 0; i < dedup::TimeHorizon::kSupport + 8; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(ingest
                    .Stage(Make("later" + n, "wire",
                                "Later item " + n + " reports alpha" + n + " beta" + n + " gamma" +
                                    n + " delta" + n + " epsilon" + n + ".",
                                kBackStart + 30 * 24 * kBackHour + static_cast<UnixSeconds>(i)))
                    .ok());
  }
}

// StageAMonthOn, committed: the index then holds nothing of kBackStart's days (window and
// late 72 h each).
void MoveOnAMonth(Ingestor& ingest) {
  StageAMonthOn(ingest);
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(ingest.Commit().ok());  // the expiry the newest items call for
}

// A feed added with a backlog: its old article copies a story the index let go of a month
// ago, and joins it; an unrelated old article founds a story of its own.
TEST_F(IngestTest, AnOldArticleJoinsTheArchivedStoryItCopies) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("wire", "agency", kStory, kBackStart)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  MoveOnAMonth(ingest);
  ASSERT_TRUE(ingest.Stage(Make("backlog", "outlet", kStory, kBackStart + 2 * kBackHour)).ok());
  ASSERT_TRUE(ingest.Stage(Make("other", "outlet", kOther, kBackStart + 3 * kBackHour)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("backlog"))->story, "wire");
  EXPECT_EQ((*archive_.GetItem("other"))->story, "other");
  EXPECT_EQ((*archive_.GetStory("wire"))->copies, 2u);
  EXPECT_EQ(ingest.stats().late, 2u);
  EXPECT_EQ(ingest.stats().archive_copies, 1u);
}

// An archive whose commits wait until the test lets them through.
class GatedArchive : public testing::FakeArchive {
 public:
  Status Commit(const storage::Batch& batch) override {
    std::shared_future<void> opened;
    {
      std::lock_guard lock(mu_);
      opened = opened_;
    }
    opened.wait();
    return FakeArchive::Commit(batch);
  }
  void Open() {
    std::lock_guard lock(mu_);
    gate_.set_value();
  }
  // Closes the gate again for the next commits (none may be waiting).
  void Close() {
    std::lock_guard lock(mu_);
    gate_ = std::promise<void>();
    opened_ = gate_.get_future().share();
  }

 private:
  std::mutex mu_;
  std::promise<void> gate_;
  std::shared_future<void> opened_ = gate_.get_future().share();
};

// The commit that expires an old article from the index is still being written when its copy
// comes: the copy finds it among the items staged, which the archive does not have yet.
TEST_F(IngestTest, AnOldArticleFindsItsCopyInTheBatchBeingWritten) {
  GatedArchive archive;
  Ingestor ingest(archive, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  // Read with the staged ones (ids short enough to live inside their records).
  ASSERT_TRUE(ingest.Stage(Make("u1", "agency", kOther, kBackStart - kBackHour)).ok());
  archive.Open();
  ASSERT_TRUE(ingest.Commit().ok());
  archive.Close();
  ASSERT_TRUE(ingest.Stage(Make("wire", "agency", kStory, kBackStart)).ok());
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(ingest
                    .Stage(Make("s" + n, "agency",
                                "Staged item " + n + " tells of chi" + n + " psi" + n + " omega" +
                                    n + " aleph" + n + " beth" + n + ".",
                                kBackStart + (i + 1) * 60))
                    .ok());
  }
  StageAMonthOn(ingest);
  ASSERT_TRUE(ingest.CommitInBackground().ok());  // expires "wire" from the index, then waits
  ASSERT_TRUE(ingest.Stage(Make("copy", "outlet", kStory, kBackStart + kBackHour)).ok());
  archive.Open();
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive.GetItem("copy"))->story, "wire");
  EXPECT_EQ(ingest.stats().archive_copies, 1u);
}

// Old articles of the same days (an import in time order into an archive of later days, a
// feed's backlog) read the archive's items of those days once, not each: a read takes a window
// more each way than the article needs.
TEST_F(IngestTest, OldArticlesOfTheSameDaysReadTheArchiveOnce) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(ingest
                    .Stage(Make("archived" + n, "agency",
                                "Archived item " + n + " tells of zeta" + n + " eta" + n +
                                    " theta" + n + " iota" + n + " kappa" + n + ".",
                                kBackStart + i * kBackHour))
                    .ok());
  }
  ASSERT_TRUE(ingest.Commit().ok());
  MoveOnAMonth(ingest);
  for (int i = 0; i < 4; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(ingest
                    .Stage(Make("old" + n, "outlet",
                                "Old item " + n + " tells of lambda" + n + " mu" + n + " nu" + n +
                                    " xi" + n + " omicron" + n + ".",
                                kBackStart + (5 + 8 * i) * kBackHour))
                    .ok());
  }
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ(ingest.lookback().counts().searches, 4u);
  EXPECT_EQ(ingest.lookback().counts().reads, 1u);
  EXPECT_EQ(ingest.lookback().counts().items_read, 3u);
  EXPECT_EQ(ingest.stats().archive_copies, 0u);
}

}  // namespace
}  // namespace newsd::daemon
