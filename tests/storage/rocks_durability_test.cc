// RocksDB archive corruption, schema versions, durability, block cache and compaction.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/storage/archive_test_util.h"
#include "tests/storage/rocks_archive_test_util.h"

namespace newsd::storage {
namespace {

TEST_F(RocksArchiveTest, CorruptValuesAreCorruption) {
  ASSERT_TRUE(testing::WriteRaw(options(), "items", "i", "\x01garbage").ok());
  ASSERT_TRUE(testing::WriteRaw(options(), "stories", "s", "").ok());
  ASSERT_TRUE(testing::WriteRaw(options(), "feeds", "f", std::string(1, '\x02')).ok());
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_EQ(archive->GetItem("i").error().code(), Status::Code::kCorruption);
  EXPECT_TRUE(Must(archive->HasItem("i")));
  EXPECT_EQ(archive->ForEachItem([](const ItemRecord&) { return true; }).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(archive->GetStory("s").error().code(), Status::Code::kCorruption);
  EXPECT_EQ(archive->GetFeed("f").error().code(), Status::Code::kCorruption);
  EXPECT_EQ(archive->ListFeeds().error().code(), Status::Code::kCorruption);
  // A new record overwrites the damaged one.
  Batch batch;
  batch.PutItem(MakeItem("i", "s"));
  batch.PutStory(MakeStory("s", 5));
  batch.PutFeed(MakeFeed("f"));
  ASSERT_TRUE(archive->Commit(batch).ok());
  EXPECT_EQ(Must(archive->GetItem("i")), MakeItem("i", "s"));
  EXPECT_EQ(Must(archive->RecentStories(5)), (std::vector<StoryRecord>{MakeStory("s", 5)}));
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 1u);
}

TEST_F(RocksArchiveTest, RefusesNewerSchema) {
  ASSERT_TRUE(testing::WriteRaw(options(), "default", "meta/schema_version", "5").ok());
  for (auto open : {OpenArchive, OpenArchiveReadOnly}) {
    Result<std::unique_ptr<Archive>> archive = open(options());
    ASSERT_FALSE(archive.has_value());
    EXPECT_EQ(archive.error().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(archive.error().message().find("schema version 5, newer"), std::string::npos)
        << archive.error().ToString();
  }
}

// An archive of schema 1 (no "seen" family, no export index) is read as it is, and upgraded
// by the writer, which builds the export index from the stored items.
TEST_F(RocksArchiveTest, MigratesSchemaOneToFour) {
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    batch.PutItem(MakeItem("old", "s"));
    batch.PutItem(MakeItem("older", "s"));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }
  ASSERT_TRUE(testing::ClearFamily(options(), "item_seq").ok());
  ASSERT_TRUE(testing::WriteRaw(options(), "default", "meta/schema_version", "1").ok());
  {
    std::unique_ptr<Archive> reader = Must(OpenArchiveReadOnly(options()));
    EXPECT_TRUE(Must(reader->HasItem("old")));
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_TRUE(Must(archive->HasItem("old")));
  EXPECT_EQ(Must(archive->ExpireStories(INT64_MAX, INT64_MAX, 10)).stories, 0u);
  Batch raw;
  raw.PutRawBody(archive->PackRawBody({"f", 1, "https://example.com/f", "text/xml", "<rss/>"}));
  ASSERT_TRUE(archive->Commit(raw).ok());
  EXPECT_EQ(Must(archive->RawBodies("f")).size(), 1u);
  std::vector<std::string> exported;
  for (const SequencedItem& e : Must(archive->ItemsFrom(0, 100))) exported.push_back(e.item.id);
  EXPECT_EQ(exported, (std::vector<std::string>{"old", "older"}));
  archive.reset();
  // Opened again: version 4 now (a newer-schema refusal would say otherwise).
  EXPECT_TRUE(OpenArchive(options()).has_value());
}

TEST_F(RocksArchiveTest, SyncWritesSurviveReopen) {
  Options sync = options();
  sync.sync_writes = true;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(sync));
    for (int i = 0; i < 20; ++i) {
      Batch batch;
      batch.PutItem(MakeItem("i" + std::to_string(i), "s", i));
      ASSERT_TRUE(archive->Commit(batch).ok());
    }
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(sync));
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 20u);
}

// A clean close writes every family's memtable out and records it for the families left empty
// too, so the write-ahead log holds nothing for the next open to read. (Flushing the families
// in parallel, two waits instead of one, left the first log behind for the empty families.)
TEST_F(RocksArchiveTest, CleanCloseLeavesNoLogToReplay) {
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    for (int i = 0; i < 20; ++i) {
      Batch batch;
      batch.PutItem(MakeItem("i" + std::to_string(i), "s", i));
      batch.PutIndex(std::string(kDedupDocsFamily), "d" + std::to_string(i), "doc");
      batch.PutIndex(std::string(kDedupBoilerplateFamily), "b" + std::to_string(i), "line");
      ASSERT_TRUE(archive->Commit(batch).ok());
    }
  }
  uintmax_t log_bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(options().data_dir)) {
    if (entry.path().extension() == ".log") log_bytes += entry.file_size();
  }
  EXPECT_EQ(log_bytes, 0u);
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 20u);
}

// Every family shares one block cache: its usage is reported once, not once per family, so it
// never exceeds the configured size (by more than the blocks pinned while read).
TEST_F(RocksArchiveTest, ReportsTheSharedBlockCacheOnce) {
  Options small = options();
  small.block_cache_mb = 1;
  const std::string text(16 * 1024, 'y');
  std::unique_ptr<Archive> archive = Must(OpenArchive(small));
  for (int i = 0; i < 600; ++i) {  // 9.6 MB: past the 4 MiB memtables, so tables get written
    Batch batch;
    ItemRecord item = MakeItem("i" + std::to_string(i), "s", i);
    item.text = text;
    batch.PutItem(std::move(item));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }
  archive.reset();
  archive = Must(OpenArchive(small));
  for (int i = 0; i < 600; ++i) ASSERT_TRUE(Must(archive->HasItem("i" + std::to_string(i))));
  ASSERT_EQ(Must(archive->StoryItems("s")).size(), 600u);
  std::optional<uint64_t> usage;
  for (const auto& [name, value] : archive->EngineStats()) {
    if (name == "block-cache-usage") usage = value;
  }
  ASSERT_TRUE(usage.has_value());
  EXPECT_GT(*usage, 0u);
  EXPECT_LE(*usage, 3u << 19) << "1 MiB cache";  // 1.5 MiB
}

// Short runs, each closing right after its commit, leave one level-0 table per family each;
// the eighth items table starts a compaction (items_level0_tables, lowered from 16 to keep
// the test small), which RocksDB would cancel at close. With
// finish_compactions_at_close the close waits for it, so no compaction is left pending (seen
// by a read-only open, which never compacts); without it, the tables would stay uncompacted
// until a run lasts long enough.
TEST_F(RocksArchiveTest, ShortRunsFinishTheirCompactionsAtClose) {
  Options short_run = options();
  short_run.finish_compactions_at_close = true;
  short_run.items_level0_tables = 8;
  auto pending_bytes = [&] {
    std::unique_ptr<Archive> reader = Must(OpenArchiveReadOnly(short_run));
    for (const auto& [name, value] : reader->EngineStats()) {
      if (name == "estimate-pending-compaction-bytes") return value;
    }
    ADD_FAILURE() << "no estimate-pending-compaction-bytes";
    return uint64_t{0};
  };
  constexpr int kRuns = 8;
  for (int run = 0; run < kRuns; ++run) {
    std::unique_ptr<Archive> archive = Must(OpenArchive(short_run));
    // 6 MB of varied text a commit; the last run's four commits fill a memtable, so its
    // flush (the eighth table) comes mid-run and the compaction is under way at the close.
    for (int commit = 0; commit < (run == kRuns - 1 ? 4 : 1); ++commit) {
      Batch batch;
      for (int i = 0; i < 100; ++i) {
        const int n = commit * 100 + i;
        ItemRecord item = MakeItem("r" + std::to_string(run) + "-" + std::to_string(n), "s", n);
        item.text.clear();
        for (int w = 0; w < 8000; ++w) item.text += std::to_string(w * 7919 + n * 104729 + run);
        batch.PutItem(std::move(item));
      }
      ASSERT_TRUE(archive->Commit(batch).ok());
    }
  }
  // Cut off, the items' compaction leaves its ~38 MB of input pending.
  EXPECT_LT(pending_bytes(), uint64_t{1} << 20) << "a compaction was left for later";
  std::unique_ptr<Archive> archive = Must(OpenArchive(short_run));
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 100u * (kRuns - 1) + 400u);
}

// bulk_load only sizes the memtables: every commit is readable at once and, the WAL holding
// it, survives a reopen with the usual options (which replays the WAL into their tables).
TEST_F(RocksArchiveTest, BulkLoadCommitsSurviveReopenWithUsualOptions) {
  Options bulk = options();
  bulk.sync_writes = true;
  bulk.bulk_load = true;
  const std::string text(64 * 1024, 'x');
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(bulk));
    for (int i = 0; i < 200; ++i) {  // 12.8 MB of text: past the usual dedup_docs memtable
      Batch batch;
      ItemRecord item = MakeItem("i" + std::to_string(i), "s", i);
      item.text = text;
      batch.PutItem(std::move(item));
      batch.PutIndex(std::string(kDedupDocsFamily), "k" + std::to_string(i), text);
      ASSERT_TRUE(archive->Commit(batch).ok());
      ASSERT_TRUE(Must(archive->HasItem("i" + std::to_string(i))));
    }
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  const std::vector<ItemRecord> items = Must(archive->StoryItems("s"));
  ASSERT_EQ(items.size(), 200u);
  EXPECT_EQ(items.back().id, "i199");
  EXPECT_EQ(items.back().text, text);
  size_t index_records = 0;
  ASSERT_TRUE(archive
                  ->ForEachIndexRecord(kDedupDocsFamily,
                                       [&](std::string_view, std::string_view value) {
                                         index_records += value == text ? 1 : 0;
                                       })
                  .ok());
  EXPECT_EQ(index_records, 200u);
}

}  // namespace
}  // namespace newsd::storage
