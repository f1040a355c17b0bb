// RocksDB archive retention, kept raw bodies and the free-space reserve.

#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <tuple>
#include <vector>

#include "tests/storage/archive_test_util.h"
#include "tests/storage/rocks_archive_test_util.h"

namespace newsd::storage {
namespace {

// [storage] raw_bodies = 0 keeps none: the bodies kept before go when the daemon opens the
// archive (drop_raw_bodies_when_off), never when a one-off tool (import, reparse) does; and
// turning it back on starts afresh.
TEST_F(RocksArchiveTest, RawBodiesZeroDropsTheBodiesKeptBefore) {
  auto body = [](const std::string& feed, const std::string& text) {
    return RawBody{feed, 1800000000, "https://example.com/" + feed, "application/rss+xml", text};
  };
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    batch.PutRawBody(archive->PackRawBody(body("f", "<rss>one</rss>")));
    batch.PutRawBody(archive->PackRawBody(body("g", "<rss>two</rss>")));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }
  Options off = options();
  off.raw_bodies = 0;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(off));
    EXPECT_EQ(Must(archive->RawBodies("f")).size(), 1u) << "a tool's open deletes nothing";
  }
  off.drop_raw_bodies_when_off = true;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(off));
    EXPECT_TRUE(Must(archive->RawBodies("f")).empty());
    EXPECT_TRUE(Must(archive->RawBodies("g")).empty());
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_TRUE(Must(archive->RawBodies("f")).empty());
  Batch batch;
  batch.PutRawBody(archive->PackRawBody(body("f", "<rss>three</rss>")));
  ASSERT_TRUE(archive->Commit(batch).ok());
  EXPECT_EQ(Must(archive->RawBodies("f")), (std::vector<RawBody>{body("f", "<rss>three</rss>")}));
}

// A file system with less free space than min_free_mb: Commit and ProbeWrite write nothing and
// say the disk is nearly full; with room again (here: a smaller reserve), both work.
TEST_F(RocksArchiveTest, CommitKeepsTheFreeSpaceReserve) {
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch first;
    first.PutItem(MakeItem("kept", "s", 1));
    StoryRecord old = MakeStory("old", 1000, 1);
    old.newest = old.time;
    first.PutStory(old);
    first.PutItem(MakeItem("olditem", "old", 0));
    ASSERT_TRUE(archive->Commit(first).ok());
  }
  Options tight = options();
  tight.min_free_mb = size_t{1} << 40;  // more than any disk here
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(tight));
    Batch batch;
    batch.PutItem(MakeItem("refused", "s", 2));
    const Status s = archive->Commit(batch);
    EXPECT_EQ(s.code(), Status::Code::kIOError);
    EXPECT_NE(s.message().find("nearly full"), std::string::npos) << s.ToString();
    EXPECT_NE(s.message().find("min_free_mb"), std::string::npos) << s.ToString();
    EXPECT_FALSE(archive->ProbeWrite(100).ok());
    EXPECT_FALSE(Must(archive->HasItem("refused")));
    EXPECT_TRUE(Must(archive->HasItem("kept")));
    // Retention's deletes are writes too: refused the same way, nothing removed.
    Result<ExpiryReport> expired = archive->ExpireStories(3500, std::time(nullptr) + 86400, 10);
    ASSERT_FALSE(expired.has_value()) << "retention wrote below the reserve";
    EXPECT_EQ(expired.error().code(), Status::Code::kIOError);
    EXPECT_NE(expired.error().message().find("min_free_mb"), std::string::npos);
    EXPECT_TRUE(Must(archive->GetStory("old")).has_value());
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_TRUE(archive->ProbeWrite(100).ok());
  Batch batch;
  batch.PutItem(MakeItem("later", "s", 3));
  EXPECT_TRUE(archive->Commit(batch).ok());
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 2u);
}

// Retention takes old stories with their items and keys in one write, chunk by chunk; their
// ids stay seen until the grace ends; newer stories stay whole.
TEST_F(RocksArchiveTest, RetentionRemovesOldStoriesAndKeepsTheirIdsSeen) {
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  Batch batch;
  for (int s = 0; s < 5; ++s) {  // stories at times 1000 .. 5000, two items each
    const std::string story = "s" + std::to_string(s);
    StoryRecord record = MakeStory(story, 1000 * (s + 1), 2);
    record.newest = record.time;
    batch.PutStory(record);
    batch.PutItem(MakeItem(story + "a", story, s));
    batch.PutItem(MakeItem(story + "b", story, s));
  }
  ASSERT_TRUE(archive->Commit(batch).ok());
  const UnixSeconds far_future = std::time(nullptr) + 86400;

  // Older than 3500: s0, s1, s2, two per chunk.
  ExpiryReport first = Must(archive->ExpireStories(3500, far_future, 2));
  EXPECT_EQ(first.stories, 2u);
  EXPECT_EQ(first.items, 4u);
  EXPECT_TRUE(first.more);
  ExpiryReport second = Must(archive->ExpireStories(3500, far_future, 2));
  EXPECT_EQ(second.stories, 1u);
  EXPECT_FALSE(second.more);
  EXPECT_EQ(Must(archive->ExpireStories(3500, far_future, 2)).stories, 0u);

  for (const std::string gone : {"s0", "s1", "s2"}) {
    EXPECT_FALSE(Must(archive->GetStory(gone)).has_value()) << gone;
    EXPECT_TRUE(Must(archive->StoryItems(gone)).empty()) << gone;
    EXPECT_FALSE(Must(archive->GetItem(gone + "a")).has_value()) << gone;
    EXPECT_TRUE(Must(archive->HasItem(gone + "a"))) << gone << ": must stay seen";
  }
  EXPECT_FALSE(Must(archive->HoldsNoItemIds()));
  std::vector<StoryRecord> recent = Must(archive->RecentStories(10));
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].id, "s4");
  EXPECT_EQ(recent[1].id, "s3");
  EXPECT_EQ(Must(archive->StoryItems("s3")).size(), 2u);
  size_t items = 0;
  ASSERT_TRUE(archive->ForEachItem([&](const ItemRecord&) { return ++items, true; }).ok());
  EXPECT_EQ(items, 4u);

  // The export order lost the removed items too.
  std::vector<std::string> exported;
  for (const SequencedItem& e : Must(archive->ItemsFrom(0, 100))) exported.push_back(e.item.id);
  EXPECT_EQ(exported, (std::vector<std::string>{"s3a", "s3b", "s4a", "s4b"}));

  // A grace that has ended: the id is not seen any more (and compactions drop it).
  EXPECT_EQ(Must(archive->ExpireStories(4500, std::time(nullptr) - 1, 10)).stories, 1u);
  EXPECT_FALSE(Must(archive->HasItem("s3a")));
  EXPECT_TRUE(Must(archive->HasItem("s0a")));
}

// Retention removes a revised item's export key, which is not the one its place in the
// story names (ItemRecord::revised moved it).
TEST_F(RocksArchiveTest, RetentionRemovesTheExportKeyOfARevisedItem) {
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    batch.PutStory(MakeStory("s", 1000, 2));
    for (const char* id : {"s1", "s2"}) {
      ItemRecord item = MakeItem(id, "s");
      item.published = 1000;
      batch.PutItem(item);
    }
    ASSERT_TRUE(archive->Commit(batch).ok());
    ItemRecord revised = *Must(archive->GetItem("s1"));
    revised.text = "corrected";
    revised.revised = 2000;
    Batch correction;
    correction.PutItem(revised);
    ASSERT_TRUE(archive->Commit(correction).ok());
  }
  EXPECT_EQ(Must(testing::CountKeys(options(), "item_seq")), 2u);
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    EXPECT_EQ(Must(archive->ExpireStories(5000, std::time(nullptr) + 86400, 10)).stories, 1u);
    EXPECT_TRUE(Must(archive->ItemsFrom(0, 10)).empty());
  }
  EXPECT_EQ(Must(testing::CountKeys(options(), "item_seq")), 0u);
}

// A story goes by its newest copy, not by its founding item: copies can join long after it
// began. A story written before StoryRecord::newest existed is judged by its items' times.
TEST_F(RocksArchiveTest, RetentionKeepsAStoryWhileItHasARecentCopy) {
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  Batch batch;
  StoryRecord chain = MakeStory("chain", 1000, 3);
  chain.newest = 5000;
  batch.PutStory(chain);
  StoryRecord legacy = MakeStory("legacy", 1000, 2);  // newest unknown (0)
  batch.PutStory(legacy);
  for (const auto& [id, story, time] : {std::tuple{"c1", "chain", 1000},
                                        {"c2", "chain", 3000},
                                        {"c3", "chain", 5000},
                                        {"l1", "legacy", 1000},
                                        {"l2", "legacy", 4000}}) {
    ItemRecord item = MakeItem(id, story);
    item.published = time;
    item.arrived = time + 60;
    batch.PutItem(item);
  }
  ASSERT_TRUE(archive->Commit(batch).ok());
  const UnixSeconds far_future = std::time(nullptr) + 86400;

  ExpiryReport kept = Must(archive->ExpireStories(3500, far_future, 10));
  EXPECT_EQ(kept.stories, 0u);
  EXPECT_EQ(kept.kept, 2u);
  EXPECT_EQ(Must(archive->StoryItems("chain")).size(), 3u);
  EXPECT_TRUE(Must(archive->GetItem("c1")).has_value()) << "the founding copy stays with it";
  EXPECT_EQ(Must(archive->StoryItems("legacy")).size(), 2u);

  ExpiryReport legacy_gone = Must(archive->ExpireStories(4500, far_future, 10));
  EXPECT_EQ(legacy_gone.stories, 1u);
  EXPECT_FALSE(Must(archive->GetStory("legacy")).has_value());
  EXPECT_TRUE(Must(archive->GetStory("chain")).has_value());
  EXPECT_EQ(Must(archive->ExpireStories(6000, far_future, 10)).stories, 1u);
  EXPECT_TRUE(Must(archive->RecentStories(10)).empty());
}

// [storage] raw_bodies: 0 keeps none; lowering it drops the surplus at the feed's next body.
TEST_F(RocksArchiveTest, RawBodiesFollowTheConfiguredCount) {
  auto put = [](Archive& archive, const std::string& feed, int n) {
    Batch batch;
    batch.PutRawBody(archive.PackRawBody(
        {feed, n, "https://example.com/" + feed, "text/xml", std::to_string(n)}));
    ASSERT_TRUE(archive.Commit(batch).ok());
  };
  Options none = options();
  none.raw_bodies = 0;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(none));
    put(*archive, "f", 1);
    EXPECT_TRUE(Must(archive->RawBodies("f")).empty());
  }
  Options five = options();
  five.raw_bodies = 5;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(five));
    for (int n = 1; n <= 6; ++n) put(*archive, "f", n);
    EXPECT_EQ(Must(archive->RawBodies("f")).front().body, "2");
  }
  Options two = options();
  two.raw_bodies = 2;
  std::unique_ptr<Archive> archive = Must(OpenArchive(two));
  put(*archive, "f", 7);
  std::vector<RawBody> kept = Must(archive->RawBodies("f"));
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].body, "6");
  EXPECT_EQ(kept[1].body, "7");
  EXPECT_EQ(kept[1].fetched_at, 7);
}

}  // namespace
}  // namespace newsd::storage
