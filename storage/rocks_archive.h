#pragma once

// The RocksDB implementation of Archive. Storage-internal: other modules use archive.h's
// OpenArchive / OpenArchiveReadOnly. Layout: docs/STORAGE.md.

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/archive.h"
#include "storage/codec.h"
#include "storage/rocks_util.h"

namespace newsd::storage {

/// Thread-safe: Commit calls are serialised by a mutex; reads may run concurrently with them
/// and with each other (RocksDB reads are thread-safe).
class RocksArchive final : public Archive {
 public:
  /// Read-write open, creating the directory and families. `env` (null: the default Env) is
  /// kept alive as long as the database.
  static Result<std::unique_ptr<RocksArchive>> OpenPrimary(
      const Options& options, std::unique_ptr<rocksdb::Env> env = nullptr);
  /// Secondary (read-only) open with its own files in a fresh temporary directory.
  static Result<std::unique_ptr<RocksArchive>> OpenSecondary(const Options& options);

  /// Closes now, as the destructor does: flushes the memtables (the next open then has no
  /// log to replay), waits for due compactions (Options::finish_compactions_at_close) and
  /// closes the engine. The first failure, logged too (the destructor only logs it): a flush
  /// that failed (a full disk) leaves the commits in the log, to be replayed at the next open.
  /// IOError when the directory was moved or replaced meanwhile: the engine is then left
  /// open, as a crash leaves it, until the process ends. Later calls do nothing.
  Status Close();
  ~RocksArchive() override;
  RocksArchive(const RocksArchive&) = delete;
  RocksArchive& operator=(const RocksArchive&) = delete;

  Status Commit(const Batch& batch) override;
  Status ProbeWrite(UnixSeconds now) override;
  Result<BackupInfo> Backup(const std::string& dir) override;
  Result<ExpiryReport> ExpireStories(UnixSeconds cutoff, UnixSeconds seen_until,
                                     size_t max_stories) override;
  Result<std::optional<FeedState>> GetFeed(const FeedId& id) override;
  Result<std::vector<FeedState>> ListFeeds() override;
  Result<std::vector<HostStats>> ListHosts() override;
  Result<std::optional<ItemRecord>> GetItem(const ItemId& id) override;
  Result<bool> HasItem(const ItemId& id) override;
  Result<bool> HoldsNoItemIds() override;
  Result<std::optional<StoryRecord>> GetStory(const StoryId& id) override;
  Result<std::vector<ItemRecord>> StoryItems(const StoryId& id) override;
  Result<std::vector<StoryRecord>> RecentStories(size_t limit) override;
  PackedRawBody PackRawBody(const RawBody& raw) const override;
  Result<std::vector<RawBody>> RawBodies(const FeedId& id) override;
  Status ForEachItem(const std::function<bool(const ItemRecord&)>& fn) override;
  Status ForEachIndexRecord(
      std::string_view family,
      const std::function<void(std::string_view key, std::string_view value)>& fn) override;
  Result<std::optional<std::string>> GetIndexRecord(std::string_view family,
                                                    std::string_view key) override;
  Status Refresh() override;
  std::vector<std::pair<std::string, uint64_t>> EngineStats() override;
  Result<std::vector<FeedControl>> ListFeedControls() override;
  Result<std::vector<SequencedItem>> ItemsFrom(uint64_t from, size_t limit) override;
  Result<uint64_t> NextItemSeq() override;
  Result<std::string> ArchiveId() override;
  Status ForEachStoryByTime(const std::function<bool(const StoryRecord&)>& fn) override;
  Status ForEachStoryFrom(UnixSeconds newest,
                          const std::function<bool(const StoryRecord&)>& fn) override;

  /// After a restore from a backup: moves the item numbering past every number the lost
  /// timeline can have given out since the backup was taken (export cursors a consumer may
  /// hold), and past those of an earlier restore of the same backup: to `now` * 2^20 (unless
  /// already past it). Numbers only ever start there after a restore and then grow by one an
  /// item, so while fewer than 2^20 items a second are stored (and the clock does not go back),
  /// every number handed out before is below it, and a consumer resuming from such a cursor
  /// misses none of the items stored from now on. Synced before it returns.
  Status SkipItemSeqs(UnixSeconds now);

  /// Writes raw bytes into a family by name, bypassing encoding and checks (tests only:
  /// corrupt values, foreign schema versions). InvalidArgument on a secondary.
  Status PutRaw(std::string_view family, std::string_view key, std::string_view value);
  /// Deletes every key of a family by name (tests only: an older schema's archive).
  Status ClearRaw(std::string_view family);
  /// The number of keys in a family by name (tests only: keys nothing else reads).
  Result<size_t> CountRaw(std::string_view family);

 private:
  // rocks_retention.cc
  /// Effective time of the story's newest copy (StoryRecord::newest, else its items'); the
  /// minimum time when the story record is missing.
  Result<UnixSeconds> NewestItemTime(const StoryId& story);
  struct OldStory;
  /// Up to max_stories stories whose newest copy is older than `cutoff`; counts the younger
  /// ones passed in report->kept and sets report->more when more may be old.
  Result<std::vector<OldStory>> OldStories(UnixSeconds cutoff, size_t max_stories,
                                           ExpiryReport* report);
  /// Adds to `wb` the deletes of an old story, its items and their keys, marking the items
  /// seen (`seen_value`); the number of items.
  Result<size_t> DropStory(const OldStory& story, const std::string& seen_value,
                           rocksdb::WriteBatch* wb);
  // rocks_raw.cc
  /// With Options::raw_bodies 0 and drop_raw_bodies_when_off, drops every raw body kept
  /// before (at open, by the writer).
  Status DropRawBodiesWhenOff();
  using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;

  RocksArchive(Options options, bool read_only);

  // rocks_open.cc
  Status OpenDb(std::unique_ptr<rocksdb::Env> env);
  Status CreateFamilies(const std::vector<std::string>& names, const FamilyOptions& options);
  Status MapHandles(const std::vector<rocksdb::ColumnFamilyHandle*>& handles);
  Status CheckSchema(bool may_initialise);
  Status LoadSequence();
  /// Draws and writes the archive's id (ArchiveId) when it has none.
  Status EnsureArchiveId();
  /// SkipItemSeqs once, when a restore left kRenumberMarker in the data directory.
  Status FinishRestore();
  /// Brings an archive of schema `version` (1 to kSchemaVersion - 1) to kSchemaVersion.
  Status Migrate(int version);
  /// Schema 3 → 4: fills item_seq from the items' stored sequence numbers.
  Status BuildItemSeqIndex();
  // rocks_close.cc
  /// Waits for the compactions under way or due (Options::finish_compactions_at_close) and
  /// starts no more; logs that it waits, and for how long, when there is one. Stops waiting
  /// for due ones at a new background error or after 15 minutes (and says so); a running one
  /// is always waited for.
  void FinishCompactions();
  /// Flushes every family with something in its memtables (for Close): kFlushLanes Flush
  /// calls side by side, each flushing its families one after another.
  Status FlushAll();
  /// After FlushAll: when a log every family is past is still kept (flushes side by side can
  /// leave one), one more flush, of the meta family alone, lets it go.
  Status DropFlushedLogs();

  // rocks_read.cc (Rocks and Cf are inline)
  Status Rocks(const rocksdb::Status& s, std::string_view what) const {
    return FromRocks(s, what, options_.data_dir);
  }
  rocksdb::ColumnFamilyHandle* Cf(FamilyIndex f) const { return handles_[f]; }
  Result<std::optional<std::string>> GetRaw(FamilyIndex f, std::string_view key);
  /// Calls fn for the keys in [lower, upper) (empty: unbounded) until it returns false.
  /// `whole`: a pass over a whole family, read ahead and kept out of the block cache.
  Status Scan(FamilyIndex f, std::string_view lower, std::string_view upper, const ScanFn& fn,
              bool whole = false);
  // Stories from stories_by_time key `lower` on (ForEachStoryByTime, ForEachStoryFrom).
  Status StoriesByTime(std::string_view lower, const std::function<bool(const StoryRecord&)>& fn);
  // rocks_archive.cc
  Status AddStories(const Batch& batch, rocksdb::WriteBatch* wb);
  Status AddItems(const Batch& batch, rocksdb::WriteBatch* wb, uint64_t* next_seq);
  Result<codec::ItemPlace> ReplaceItem(const ItemRecord& item, rocksdb::WriteBatch* wb,
                                       uint64_t* next_seq);
  Status AddIndexOps(const Batch& batch, rocksdb::WriteBatch* wb);
  // rocks_raw.cc
  Status AddRawBodies(const Batch& batch, rocksdb::WriteBatch* wb);
  // rocks_archive.cc (the commit path)
  Status Write(rocksdb::WriteBatch* wb);
  /// IOError (kReopenNeeded) when data_dir is no longer the directory opened (moved, removed,
  /// or another one in its place: a restore into its path), or was emptied (its LOCK file is
  /// another): RocksDB writes and deletes its files by path, so nothing may be written there
  /// any more, and its background work is stopped. Remembered (dir_lost_).
  Status CheckDirStillOpened();
  /// IOError when writing `bytes` would leave less than options_.min_free_mb free.
  Status CheckFreeSpace(size_t bytes) const;
  /// wb_, cleared, with room for `bytes` (caller holds commit_mu_).
  rocksdb::WriteBatch& ReuseBatch(size_t bytes);

  Options options_;
  bool read_only_;
  std::filesystem::path secondary_dir_;  // empty for a primary
  std::unique_ptr<rocksdb::Env> env_;    // declared before db_: outlives it
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> all_handles_;
  std::array<rocksdb::ColumnFamilyHandle*, kFamilyCount> handles_{};
  std::mutex commit_mu_;
  uint64_t next_seq_ = 0;  // guarded by commit_mu_
  // The write batch, kept between commits (guarded by commit_mu_): a fresh one of tens of
  // MB costs a page fault per 4 KiB every commit. Re-made when much too small or too big.
  rocksdb::WriteBatch wb_;
  size_t wb_reserved_ = 0;
  bool needs_resume_ = false;  // guarded by commit_mu_
  std::mutex refresh_mu_;
  // data_dir's and its LOCK file's device and inode at open (a primary's), for
  // CheckDirStillOpened: the directory replaced (mv, restore into a new one) or emptied and
  // restored into in place (a new LOCK file).
  uint64_t dir_device_ = 0, dir_inode_ = 0, lock_device_ = 0, lock_inode_ = 0;
  std::atomic<bool> dir_lost_{false};
};

}  // namespace newsd::storage
