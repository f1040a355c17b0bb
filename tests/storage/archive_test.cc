// Archive contract tests, run over the RocksDB archive and the in-memory fake alike.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "tests/storage/archive_test_util.h"

namespace newsd::storage {
namespace {

template <class Impl>
class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override { archive_ = Must(impl_.Open()); }
  void Reopen() {
    archive_.reset();
    archive_ = Must(impl_.Open());
  }
  void Commit(const Batch& batch) {
    const Status s = archive_->Commit(batch);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::vector<std::string> RecentIds(size_t limit) {
    std::vector<std::string> ids;
    for (const StoryRecord& s : Must(archive_->RecentStories(limit))) ids.push_back(s.id);
    return ids;
  }
  std::vector<std::string> StoryItemIds(const StoryId& story) {
    std::vector<std::string> ids;
    for (const ItemRecord& item : Must(archive_->StoryItems(story))) ids.push_back(item.id);
    return ids;
  }
  std::map<std::string, std::string> Index(std::string_view family) {
    std::map<std::string, std::string> records;
    const Status s = archive_->ForEachIndexRecord(
        family, [&](std::string_view k, std::string_view v) { records[std::string(k)] = v; });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return records;
  }
  Batch Sample() {
    Batch batch;
    batch.PutItem(MakeItem("f:1", "f:1", 0));
    batch.PutItem(MakeItem("g:2", "f:1", 1));
    batch.PutStory(MakeStory("f:1", 1700000000, 2));
    batch.PutFeed(MakeFeed("f", 1));
    batch.PutFeed(MakeFeed("g", 0));
    batch.PutIndex(std::string(kDedupDocsFamily), std::string("k\0\xff", 3), "v1");
    batch.PutIndex(std::string(kDedupBoilerplateFamily), "src", std::string(300, 'x'));
    return batch;
  }
  void ExpectSample() {
    EXPECT_EQ(Must(archive_->GetItem("f:1")), MakeItem("f:1", "f:1", 0));
    EXPECT_EQ(Must(archive_->GetItem("g:2")), MakeItem("g:2", "f:1", 1));
    EXPECT_EQ(Must(archive_->GetItem("nope")), std::nullopt);
    EXPECT_TRUE(Must(archive_->HasItem("g:2")));
    EXPECT_FALSE(Must(archive_->HasItem("g:3")));
    EXPECT_EQ(Must(archive_->GetStory("f:1")), MakeStory("f:1", 1700000000, 2));
    EXPECT_EQ(Must(archive_->GetStory("g:2")), std::nullopt);
    EXPECT_EQ(Must(archive_->GetFeed("f")), MakeFeed("f", 1));
    EXPECT_EQ(Must(archive_->GetFeed("h")), std::nullopt);
    EXPECT_EQ(Must(archive_->ListFeeds()),
              (std::vector<FeedState>{MakeFeed("f", 1), MakeFeed("g", 0)}));
    EXPECT_EQ(StoryItemIds("f:1"), (std::vector<std::string>{"f:1", "g:2"}));
    EXPECT_EQ(RecentIds(10), (std::vector<std::string>{"f:1"}));
    EXPECT_EQ(Index(kDedupDocsFamily),
              (std::map<std::string, std::string>{{std::string("k\0\xff", 3), "v1"}}));
    EXPECT_EQ(Index(kDedupBoilerplateFamily).at("src"), std::string(300, 'x'));
  }

  Impl impl_;
  std::unique_ptr<Archive> archive_;
};

using Implementations = ::testing::Types<RocksImpl, FakeImpl>;
class ImplNames {
 public:
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, RocksImpl> ? "Rocks" : "Fake";
  }
};
TYPED_TEST_SUITE(ArchiveTest, Implementations, ImplNames);

TYPED_TEST(ArchiveTest, EmptyArchiveReadsNothing) {
  EXPECT_TRUE(Must(this->archive_->ListFeeds()).empty());
  EXPECT_TRUE(Must(this->archive_->RecentStories(5)).empty());
  EXPECT_TRUE(Must(this->archive_->StoryItems("x")).empty());
  EXPECT_TRUE(this->Index(kDedupDocsFamily).empty());
  EXPECT_TRUE(this->archive_->Commit(Batch()).ok());
}

// HoldsNoItemIds: true until an item is stored (feed states and index records are not items).
TYPED_TEST(ArchiveTest, HoldsNoItemIdsUntilAnItemIsStored) {
  EXPECT_TRUE(Must(this->archive_->HoldsNoItemIds()));
  Batch other;
  other.PutIndex(std::string(kDedupDocsFamily), "k", "v");
  this->Commit(other);
  EXPECT_TRUE(Must(this->archive_->HoldsNoItemIds()));
  this->Commit(this->Sample());
  EXPECT_FALSE(Must(this->archive_->HoldsNoItemIds()));
  this->Reopen();
  EXPECT_FALSE(Must(this->archive_->HoldsNoItemIds()));
}

TYPED_TEST(ArchiveTest, CommitsAndReadsEveryRecordType) {
  this->Commit(this->Sample());
  this->ExpectSample();
  std::vector<std::string> seen;
  ASSERT_TRUE(this->archive_
                  ->ForEachItem([&](const ItemRecord& item) {
                    seen.push_back(item.id);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"f:1", "g:2"}));
  seen.clear();
  ASSERT_TRUE(this->archive_
                  ->ForEachItem([&](const ItemRecord& item) {
                    seen.push_back(item.id);
                    return false;
                  })
                  .ok());
  EXPECT_EQ(seen.size(), 1u);
}

TYPED_TEST(ArchiveTest, SurvivesRestart) {
  this->Commit(this->Sample());
  this->Reopen();
  this->ExpectSample();
  // The insertion order continues after the restart.
  Batch more;
  more.PutItem(MakeItem("a:0", "f:1", 4));
  this->Commit(more);
  this->Reopen();
  EXPECT_EQ(this->StoryItemIds("f:1"), (std::vector<std::string>{"f:1", "g:2", "a:0"}));
}

TYPED_TEST(ArchiveTest, NewItemsAndStoriesAreStoredLikeOthers) {
  Batch first;
  first.PutNewItem(MakeItem("f:1", "f:1", 0));
  first.PutNewItem(MakeItem("g:2", "f:1", 1));
  first.PutNewStory(MakeStory("f:1", 1700000000, 2));
  this->Commit(first);
  // A later batch mixes new items with a re-put (which keeps its place) and a story update.
  Batch second;
  second.PutNewItem(MakeItem("h:3", "f:1", 2));
  second.PutItem(MakeItem("f:1", "f:1", 3));
  second.PutStory(MakeStory("f:1", 1700000100, 3));
  second.PutNewStory(MakeStory("h:9", 1600000000, 1));
  this->Commit(second);
  this->Reopen();
  EXPECT_EQ(this->StoryItemIds("f:1"), (std::vector<std::string>{"f:1", "g:2", "h:3"}));
  EXPECT_EQ(Must(this->archive_->GetItem("f:1")), MakeItem("f:1", "f:1", 3));
  EXPECT_EQ(Must(this->archive_->GetStory("f:1")), MakeStory("f:1", 1700000100, 3));
  EXPECT_EQ(this->RecentIds(10), (std::vector<std::string>{"f:1", "h:9"}));
}

TYPED_TEST(ArchiveTest, ClearedBatchIsEmptyAndReusable) {
  Batch batch = this->Sample();
  batch.Clear();
  EXPECT_TRUE(batch.empty());
  batch.Reserve(16, 32);
  batch.PutNewItem(MakeItem("f:1", "f:1", 0));
  EXPECT_TRUE(batch.item_is_new(0));
  batch.PutItem(MakeItem("g:2", "f:1", 1));
  EXPECT_FALSE(batch.item_is_new(1));
  this->Commit(batch);
  EXPECT_EQ(this->StoryItemIds("f:1"), (std::vector<std::string>{"f:1", "g:2"}));
}

TYPED_TEST(ArchiveTest, LaterRecordInOneBatchWins) {
  Batch batch;
  batch.PutStory(MakeStory("s", 10, 1));
  batch.PutFeed(MakeFeed("f", 1));
  batch.PutItem(MakeItem("i", "s", 1));
  batch.PutStory(MakeStory("s", 20, 2));
  batch.PutFeed(MakeFeed("f", 2));
  batch.PutItem(MakeItem("i", "s", 2));
  this->Commit(batch);
  EXPECT_EQ(Must(this->archive_->GetStory("s")), MakeStory("s", 20, 2));
  EXPECT_EQ(Must(this->archive_->RecentStories(10)),
            (std::vector<StoryRecord>{MakeStory("s", 20, 2)}));
  EXPECT_EQ(Must(this->archive_->GetFeed("f")), MakeFeed("f", 2));
  EXPECT_EQ(Must(this->archive_->StoryItems("s")),
            (std::vector<ItemRecord>{MakeItem("i", "s", 2)}));
}

TYPED_TEST(ArchiveTest, RecentStoriesNewestFirstWithLimit) {
  Batch batch;
  for (auto [id, time] : std::vector<std::pair<std::string, UnixSeconds>>{{"old", -100},
                                                                          {"mid-b", 50},
                                                                          {"new", 1LL << 40},
                                                                          {"mid-a", 50},
                                                                          {"zero", 0},
                                                                          {"oldest", INT64_MIN},
                                                                          {"newest", INT64_MAX}}) {
    batch.PutStory(MakeStory(id, time));
  }
  this->Commit(batch);
  const std::vector<std::string> all = {"newest", "new", "mid-a", "mid-b", "zero", "old", "oldest"};
  EXPECT_EQ(this->RecentIds(100), all);
  EXPECT_EQ(this->RecentIds(3), (std::vector<std::string>{"newest", "new", "mid-a"}));
  EXPECT_TRUE(this->RecentIds(0).empty());
}

// `newsctl check` of an older text starts there instead of reading every newer story.
TYPED_TEST(ArchiveTest, StoriesFromATimeOnNewestFirst) {
  Batch batch;
  for (auto [id, time] : std::vector<std::pair<std::string, UnixSeconds>>{{"old", -100},
                                                                          {"mid-b", 50},
                                                                          {"new", 1LL << 40},
                                                                          {"mid-a", 50},
                                                                          {"oldest", INT64_MIN}}) {
    batch.PutStory(MakeStory(id, time));
  }
  this->Commit(batch);
  auto from = [&](UnixSeconds newest, size_t limit) {
    std::vector<std::string> ids;
    const Status s = this->archive_->ForEachStoryFrom(newest, [&](const StoryRecord& story) {
      ids.push_back(story.id);
      return ids.size() < limit;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return ids;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(from(50, 100), (Ids{"mid-a", "mid-b", "old", "oldest"}));
  EXPECT_EQ(from(49, 100), (Ids{"old", "oldest"}));
  EXPECT_EQ(from(INT64_MAX, 2), (Ids{"new", "mid-a"}));
  EXPECT_EQ(from(INT64_MIN, 100), (Ids{"oldest"}));
}

TYPED_TEST(ArchiveTest, StoryTimeChangeRekeys) {
  Batch first;
  first.PutStory(MakeStory("a", 100));
  first.PutStory(MakeStory("b", 200));
  this->Commit(first);
  Batch second;
  second.PutStory(MakeStory("a", 300, 2));
  this->Commit(second);
  EXPECT_EQ(this->RecentIds(10), (std::vector<std::string>{"a", "b"}));
  Batch third;
  third.PutStory(MakeStory("a", 150, 3));  // same id, earlier again
  this->Commit(third);
  this->Reopen();
  EXPECT_EQ(this->RecentIds(10), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(Must(this->archive_->GetStory("a"))->copies, 3u);
}

TYPED_TEST(ArchiveTest, StoryItemsKeepInsertionOrder) {
  Batch first;
  for (const char* id : {"z", "m", "a"}) first.PutItem(MakeItem(id, "s"));
  first.PutItem(MakeItem("other", "t"));
  this->Commit(first);
  Batch second;
  second.PutItem(MakeItem("b", "s"));
  second.PutItem(MakeItem("m", "s", 9));  // re-put keeps its place
  this->Commit(second);
  EXPECT_EQ(this->StoryItemIds("s"), (std::vector<std::string>{"z", "m", "a", "b"}));
  EXPECT_EQ(Must(this->archive_->StoryItems("s"))[1].source, "Source 9");
  Batch third;
  third.PutItem(MakeItem("z", "t"));  // moves to story t
  this->Commit(third);
  EXPECT_EQ(this->StoryItemIds("s"), (std::vector<std::string>{"m", "a", "b"}));
  EXPECT_EQ(this->StoryItemIds("t"), (std::vector<std::string>{"z", "other"}));
  EXPECT_TRUE(this->StoryItemIds("s\x01").empty());  // no prefix bleed
}

TYPED_TEST(ArchiveTest, StoryIdsThatArePrefixesDoNotMix) {
  Batch batch;
  batch.PutItem(MakeItem("1", "s"));
  batch.PutItem(MakeItem("2", "s:x"));
  batch.PutItem(MakeItem("3", "s\xff"));
  this->Commit(batch);
  EXPECT_EQ(this->StoryItemIds("s"), (std::vector<std::string>{"1"}));
  EXPECT_EQ(this->StoryItemIds("s:x"), (std::vector<std::string>{"2"}));
  EXPECT_EQ(this->StoryItemIds("s\xff"), (std::vector<std::string>{"3"}));
}

TYPED_TEST(ArchiveTest, IndexPutEraseAndDropRange) {
  const std::string docs(kDedupDocsFamily), boiler(kDedupBoilerplateFamily);
  Batch first;
  for (const char* key : {"a1", "a2", "b1", "b2", "c1"}) first.PutIndex(docs, key, key);
  first.PutIndex(boiler, "a1", "boiler");
  this->Commit(first);
  Batch second;
  second.PutIndex(docs, "b1", "", /*erase=*/true);
  second.DropIndexRange(docs, "a", "b");
  second.PutIndex(docs, "a9", "new");     // drops apply before puts
  second.DropIndexRange(docs, "z", "a");  // empty range: ignored
  this->Commit(second);
  EXPECT_EQ(this->Index(kDedupDocsFamily),
            (std::map<std::string, std::string>{{"a9", "new"}, {"b2", "b2"}, {"c1", "c1"}}));
  EXPECT_EQ(this->Index(kDedupBoilerplateFamily),
            (std::map<std::string, std::string>{{"a1", "boiler"}}));
  EXPECT_EQ(this->archive_->ForEachIndexRecord("nope", [](auto, auto) {}).code(),
            Status::Code::kInvalidArgument);
}

// PruneDroppedIndexOps leaves out the puts and erases a drop of the same batch covers (in
// that drop's family only); without it, a put survives the drop (the test above).
TYPED_TEST(ArchiveTest, PrunedIndexOperationsUnderADropAreNotWritten) {
  const std::string docs(kDedupDocsFamily), boiler(kDedupBoilerplateFamily);
  Batch first;
  for (const char* key : {"a1", "b1"}) first.PutIndex(docs, key, key);
  this->Commit(first);
  Batch second;
  second.PutIndex(docs, "a5", "dead");
  second.PutIndex(docs, "b1", "", /*erase=*/true);
  second.PutIndex(docs, "b2", "kept");
  second.PutIndex(boiler, "a5", "other family");
  second.DropIndexRange(docs, "a", "b");
  second.DropIndexRange(boiler, "z", "a");  // empty range: covers nothing
  EXPECT_EQ(second.PruneDroppedIndexOps(), 1u);
  EXPECT_EQ(second.index().size(), 3u);
  this->Commit(second);
  EXPECT_EQ(this->Index(kDedupDocsFamily), (std::map<std::string, std::string>{{"b2", "kept"}}));
  EXPECT_EQ(this->Index(kDedupBoilerplateFamily),
            (std::map<std::string, std::string>{{"a5", "other family"}}));
}

// A commit may write its index records in another order than the batch's (the RocksDB archive
// sorts them by key), but two operations on one key still apply in the batch's order.
TYPED_TEST(ArchiveTest, IndexOperationsOnOneKeyApplyInBatchOrder) {
  const std::string families[] = {std::string(kDedupDocsFamily),
                                  std::string(kDedupBoilerplateFamily)};
  std::map<std::string, std::string> expected[2];
  Batch batch;
  uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1103515245 + 12345;
    return state >> 16;
  };
  for (int i = 0; i < 3000; ++i) {
    const int family = static_cast<int>(next() % 2);
    const std::string key = "k" + std::to_string(40 - next() % 40);  // keys in no order
    if (next() % 3 == 0) {
      batch.PutIndex(families[family], key, "", /*erase=*/true);
      expected[family].erase(key);
    } else {
      const std::string value = "v" + std::to_string(i);
      batch.PutIndex(families[family], key, value);
      expected[family][key] = value;
    }
  }
  this->Commit(batch);
  EXPECT_EQ(this->Index(kDedupDocsFamily), expected[0]);
  EXPECT_EQ(this->Index(kDedupBoilerplateFamily), expected[1]);
}

TYPED_TEST(ArchiveTest, InvalidBatchWritesNothing) {
  Batch unknown_family = this->Sample();
  unknown_family.PutIndex("lsh", "k", "v");
  EXPECT_EQ(this->archive_->Commit(unknown_family).code(), Status::Code::kInvalidArgument);
  Batch nul_id = this->Sample();
  nul_id.PutItem(MakeItem(std::string("a\0b", 3), "s"));
  EXPECT_EQ(this->archive_->Commit(nul_id).code(), Status::Code::kInvalidArgument);
  Batch empty_story;
  empty_story.PutStory(MakeStory("", 1));
  EXPECT_EQ(this->archive_->Commit(empty_story).code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(Must(this->archive_->HasItem("f:1")));
  EXPECT_TRUE(Must(this->archive_->ListFeeds()).empty());
  EXPECT_TRUE(this->Index(kDedupDocsFamily).empty());
}

TYPED_TEST(ArchiveTest, FailedCommitWritesNothing) {
  this->archive_.reset();
  this->archive_ = Must(this->impl_.OpenFaulty());
  Batch before;
  before.PutFeed(MakeFeed("f", 0));
  this->Commit(before);
  this->impl_.BreakNextCommit(*this->archive_);
  Batch poll = this->Sample();
  EXPECT_FALSE(this->archive_->Commit(poll).ok());
  EXPECT_FALSE(Must(this->archive_->HasItem("f:1")));
  EXPECT_EQ(Must(this->archive_->GetFeed("f")), MakeFeed("f", 0));
  EXPECT_TRUE(this->Index(kDedupDocsFamily).empty());
  EXPECT_TRUE(Must(this->archive_->RecentStories(5)).empty());
  // Once the disk recovers, the same poll commits (RocksDB recovers in the background).
  this->impl_.Heal();
  Status retried;
  for (int i = 0; i < 300; ++i) {
    if ((retried = this->archive_->Commit(poll)).ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(retried.ok()) << retried.ToString();
  this->ExpectSample();
  this->Reopen();
  this->ExpectSample();
}

TYPED_TEST(ArchiveTest, ReadOnlySeesCommitsAndRefusesWrites) {
  this->Commit(this->Sample());
  std::unique_ptr<Archive> reader = Must(this->impl_.OpenReadOnly());
  EXPECT_TRUE(Must(reader->HasItem("g:2")));
  EXPECT_EQ(reader->Commit(this->Sample()).code(), Status::Code::kInvalidArgument);
  Batch more;
  more.PutStory(MakeStory("late", 1800000000));
  this->Commit(more);
  ASSERT_TRUE(reader->Refresh().ok());
  EXPECT_EQ(Must(reader->RecentStories(1)),
            (std::vector<StoryRecord>{MakeStory("late", 1800000000)}));
}

RawBody MakeRaw(const std::string& feed, int n) {
  return {feed, 1800000000 + n, "https://example.com/" + feed + ".xml",
          "application/rss+xml; charset=windows-1251",
          "<rss>" + std::string(5000, 'a' + n) + "</rss>"};
}

// The last three bodies of each feed stay (the default), oldest first, across commits, within
// one commit and across a restart; other feeds' bodies are untouched.
TYPED_TEST(ArchiveTest, KeepsTheLastRawBodiesOfEachFeed) {
  Batch first;
  first.PutRawBody(this->archive_->PackRawBody(MakeRaw("f", 0)));
  first.PutRawBody(this->archive_->PackRawBody(MakeRaw("f:x", 9)));  // a feed id with f as a prefix
  this->Commit(first);
  EXPECT_EQ(Must(this->archive_->RawBodies("f")), (std::vector<RawBody>{MakeRaw("f", 0)}));
  Batch second;
  second.PutRawBody(this->archive_->PackRawBody(MakeRaw("f", 1)));
  second.PutRawBody(this->archive_->PackRawBody(MakeRaw("f", 2)));
  this->Commit(second);
  this->Reopen();
  Batch third;
  third.PutRawBody(this->archive_->PackRawBody(MakeRaw("f", 3)));
  this->Commit(third);
  EXPECT_EQ(Must(this->archive_->RawBodies("f")),
            (std::vector<RawBody>{MakeRaw("f", 1), MakeRaw("f", 2), MakeRaw("f", 3)}));
  EXPECT_EQ(Must(this->archive_->RawBodies("f:x")), (std::vector<RawBody>{MakeRaw("f:x", 9)}));
  EXPECT_TRUE(Must(this->archive_->RawBodies("g")).empty());
}

// The export cursor's order: items in the order they were first stored, across commits and
// restarts; a re-put keeps its place; resuming from the last seq + 1 repeats nothing.
TYPED_TEST(ArchiveTest, ItemsFromFollowsFirstStoreOrder) {
  auto ids = [&](uint64_t from, size_t limit, uint64_t* last = nullptr) {
    std::vector<std::string> out;
    for (const SequencedItem& e : Must(this->archive_->ItemsFrom(from, limit))) {
      out.push_back(e.item.id);
      if (last) *last = e.seq;
    }
    return out;
  };
  Batch first;
  first.PutNewItem(MakeItem("z", "z", 0));
  first.PutItem(MakeItem("a", "z", 1));
  this->Commit(first);
  Batch second;
  second.PutItem(MakeItem("m", "m", 2));
  ItemRecord changed = MakeItem("z", "z", 0);
  changed.title = "a corrected headline";
  second.PutItem(changed);  // a re-put (reparse): keeps its place, not exported again
  this->Commit(second);
  uint64_t last = 0;
  EXPECT_EQ(ids(0, 2, &last), (std::vector<std::string>{"z", "a"}));
  EXPECT_EQ(ids(last + 1, 10, &last), (std::vector<std::string>{"m"}));
  EXPECT_TRUE(ids(last + 1, 10).empty());
  EXPECT_EQ(Must(this->archive_->ItemsFrom(0, 1))[0].item.title, "a corrected headline");
  this->Reopen();
  Batch third;
  third.PutNewItem(MakeItem("b", "b", 3));
  this->Commit(third);
  EXPECT_EQ(ids(last + 1, 10), (std::vector<std::string>{"b"}));
  EXPECT_EQ(ids(0, 10), (std::vector<std::string>{"z", "a", "m", "b"}));
}

// A revision (ItemRecord::revised changed: a correction, a reparse) moves the item to the end
// of the export order: a cursor past its first place sends it again, with its new text; from
// the start it comes once, at its new place. Its place in its story stays. A re-put with the
// same revision moves nothing.
TYPED_TEST(ArchiveTest, RevisedItemIsExportedAgainAtTheEnd) {
  auto ids = [&](uint64_t from) {
    std::vector<std::string> out;
    for (const SequencedItem& e : Must(this->archive_->ItemsFrom(from, 10))) {
      out.push_back(e.item.id);
    }
    return out;
  };
  Batch first;
  first.PutNewItem(MakeItem("z", "z", 0));
  first.PutNewItem(MakeItem("a", "z", 1));
  this->Commit(first);
  const uint64_t cursor = Must(this->archive_->ItemsFrom(0, 10)).back().seq + 1;
  Batch second;
  ItemRecord corrected = MakeItem("z", "z", 0);
  corrected.text = "the full story";
  corrected.revised = 1'800'000'000;
  second.PutItem(corrected);
  second.PutNewItem(MakeItem("m", "m", 2));
  this->Commit(second);
  EXPECT_EQ(ids(cursor), (std::vector<std::string>{"z", "m"}));
  EXPECT_EQ(ids(0), (std::vector<std::string>{"a", "z", "m"}));
  EXPECT_EQ(Must(this->archive_->ItemsFrom(cursor, 1))[0].item.text, "the full story");
  std::vector<std::string> story;
  for (const ItemRecord& item : Must(this->archive_->StoryItems("z"))) story.push_back(item.id);
  EXPECT_EQ(story, (std::vector<std::string>{"z", "a"}));

  Batch again;  // the same revision put again (the story's canonical changed, say)
  again.PutItem(corrected);
  this->Commit(again);
  this->Reopen();
  EXPECT_EQ(ids(0), (std::vector<std::string>{"a", "z", "m"}));
  EXPECT_EQ(Must(this->archive_->GetItem("z"))->revised, 1'800'000'000);
}

TYPED_TEST(ArchiveTest, FeedControlsArePutReplacedAndDeleted) {
  FeedControl added{"wire", true, "https://example.com/wire.xml", "Wire", 900, false, 10, 0, {}};
  added.zoneless_offset = 5 * 3600;
  FeedControl paused{"declared", false, "", "", 0, true, 0, 20, {}};
  Batch batch;
  batch.PutFeedControl(added);
  batch.PutFeedControl(paused);
  this->Commit(batch);
  this->Reopen();
  EXPECT_EQ(Must(this->archive_->ListFeedControls()), (std::vector<FeedControl>{paused, added}));
  Batch change;
  added.paused = true;
  added.paused_at = 30;
  change.PutFeedControl(added);
  change.DeleteFeedControl("declared");
  this->Commit(change);
  EXPECT_EQ(Must(this->archive_->ListFeedControls()), (std::vector<FeedControl>{added}));
  Batch bad;
  bad.PutFeedControl(FeedControl{});
  EXPECT_EQ(this->archive_->Commit(bad).code(), Status::Code::kInvalidArgument);
}

TEST(FakeArchiveTest, RecordsCommitsAndFailsOnce) {
  newsd::testing::FakeArchive fake;
  Batch batch;
  batch.PutFeed(MakeFeed("f"));
  fake.FailNextCommit(Status::Unavailable("disk full"));
  EXPECT_EQ(fake.Commit(batch).code(), Status::Code::kUnavailable);
  EXPECT_TRUE(fake.commits().empty());
  EXPECT_TRUE(fake.Commit(batch).ok());
  EXPECT_TRUE(fake.Commit(Batch()).ok());  // empty batches are not recorded
  ASSERT_EQ(fake.commits().size(), 1u);
  EXPECT_EQ(fake.commits()[0].feeds(), batch.feeds());
  newsd::testing::FakeArchive restarted(fake.store());
  EXPECT_EQ(Must(restarted.GetFeed("f")), MakeFeed("f"));
}

}  // namespace
}  // namespace newsd::storage
