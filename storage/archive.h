#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "storage/options.h"
#include "storage/records.h"

namespace newsd::storage {

/// The dedup engine's index families (Batch::PutIndex, ForEachIndexRecord). Any other family
/// name makes Commit fail with InvalidArgument.
inline constexpr std::string_view kDedupDocsFamily = "dedup_docs";
inline constexpr std::string_view kDedupBoilerplateFamily = "dedup_boilerplate";
inline constexpr std::string_view kIndexFamilies[] = {kDedupDocsFamily, kDedupBoilerplateFamily};

/// A raw body in its archive's encoding (Archive::PackRawBody), for Batch::PutRawBody.
struct PackedRawBody {
  FeedId feed;
  std::string value;
};

/// A set of writes applied all or nothing by Archive::Commit (ARCHITECTURE.md invariant 1).
/// Plain data: building one does no I/O.
class Batch {
 public:
  void PutItem(ItemRecord item) { PutItem(std::move(item), false); }
  /// Like PutItem, for an item the caller knows was never stored: it checked
  /// Archive::HasItem after the last commit and has not put the id earlier in this batch.
  /// Commit then gives it the next place in its story without reading an old record.
  /// Saves a read per item in bulk ingestion; the claim is trusted, not checked: a wrong one
  /// lists the item twice in StoryItems.
  void PutNewItem(ItemRecord item) { PutItem(std::move(item), true); }
  void PutStory(StoryRecord story) { PutStory(std::move(story), false); }
  /// Like PutStory, for a story the caller knows was never stored (founded by an item put
  /// with PutNewItem in this batch): Commit skips reading the old record. Trusted like
  /// PutNewItem: a wrong claim leaves a stale stories_by_time key (RecentStories skips it).
  void PutNewStory(StoryRecord story) { PutStory(std::move(story), true); }
  void PutFeed(FeedState feed) { feeds_.push_back(std::move(feed)); }
  /// A host's politeness counters (replaces the stored ones).
  void PutHost(HostStats host) { hosts_.push_back(std::move(host)); }
  /// A feed's raw response body, packed by the archive it goes to (Archive::PackRawBody).
  /// Commit keeps the last Options::raw_bodies of each feed (the oldest beyond that are
  /// deleted in the same write); with raw_bodies = 0 it is dropped.
  void PutRawBody(PackedRawBody raw) { raw_bodies_.push_back(std::move(raw)); }
  /// A feed's run-time control record (replaces the stored one); see FeedControl.
  void PutFeedControl(FeedControl control) { controls_.push_back(std::move(control)); }
  /// Forgets a feed's control record (`newsctl feeds remove` of an added feed).
  void DeleteFeedControl(FeedId id) { control_deletes_.push_back(std::move(id)); }
  /// An opaque dedup-engine record into the column family `family` (erase deletes the key).
  void PutIndex(std::string family, std::string key, std::string value, bool erase = false) {
    index_.push_back({std::move(family), std::move(key), std::move(value), erase});
  }
  /// Drops keys [begin, end) of index family `family`. Commit applies all drops before the
  /// batch's PutIndex operations, so a key put in the same batch survives a drop covering it.
  void DropIndexRange(std::string family, std::string begin, std::string end) {
    drops_.push_back({std::move(family), std::move(begin), std::move(end), true});
  }
  /// Leaves out the index operations (puts and erases) on keys that a drop of this batch
  /// covers, and returns how many. For a caller whose records under a drop are dead once it
  /// drops them: the dedup engine's expiry forgets every record it drops, those it made since
  /// the last commit too, so writing them would only log and store them for the next commit's
  /// drop to delete (about half the index records of a historic import). Without this call a
  /// put survives a drop covering it (see DropIndexRange).
  size_t PruneDroppedIndexOps() {
    if (drops_.empty()) return 0;
    return std::erase_if(index_, [this](const IndexOp& op) {
      return std::any_of(drops_.begin(), drops_.end(), [&op](const IndexOp& drop) {
        return drop.family == op.family && drop.key <= op.key && op.key < drop.value;
      });
    });
  }
  bool empty() const {
    return items_.empty() && stories_.empty() && feeds_.empty() && hosts_.empty() &&
           index_.empty() && drops_.empty() && raw_bodies_.empty() && controls_.empty() &&
           control_deletes_.empty();
  }
  /// Empties the batch, keeping its memory for the next one.
  void Clear() {
    items_.clear();
    item_is_new_.clear();
    stories_.clear();
    story_is_new_.clear();
    feeds_.clear();
    hosts_.clear();
    index_.clear();
    drops_.clear();
    raw_bodies_.clear();
    controls_.clear();
    control_deletes_.clear();
  }
  /// Reserves room for `items` items and stories and `index_ops` index operations.
  void Reserve(size_t items, size_t index_ops) {
    items_.reserve(items);
    item_is_new_.reserve(items);
    stories_.reserve(items);
    story_is_new_.reserve(items);
    index_.reserve(index_ops);
  }

  struct IndexOp {
    std::string family, key, value;
    bool erase = false;
  };
  const std::vector<ItemRecord>& items() const { return items_; }
  const std::vector<StoryRecord>& stories() const { return stories_; }
  const std::vector<FeedState>& feeds() const { return feeds_; }
  const std::vector<HostStats>& hosts() const { return hosts_; }
  const std::vector<IndexOp>& index() const { return index_; }
  const std::vector<IndexOp>& drops() const { return drops_; }  ///< key=begin, value=end.
  const std::vector<PackedRawBody>& raw_bodies() const { return raw_bodies_; }
  const std::vector<FeedControl>& controls() const { return controls_; }
  const std::vector<FeedId>& control_deletes() const { return control_deletes_; }
  /// True when items()[i] was put with PutNewItem.
  bool item_is_new(size_t i) const { return item_is_new_[i] != 0; }
  /// True when stories()[i] was put with PutNewStory.
  bool story_is_new(size_t i) const { return story_is_new_[i] != 0; }

 private:
  void PutItem(ItemRecord item, bool is_new) {
    items_.push_back(std::move(item));
    item_is_new_.push_back(is_new ? 1 : 0);
  }
  void PutStory(StoryRecord story, bool is_new) {
    stories_.push_back(std::move(story));
    story_is_new_.push_back(is_new ? 1 : 0);
  }

  std::vector<ItemRecord> items_;
  std::vector<uint8_t> item_is_new_;  // parallel to items_
  std::vector<StoryRecord> stories_;
  std::vector<uint8_t> story_is_new_;  // parallel to stories_
  std::vector<FeedState> feeds_;
  std::vector<HostStats> hosts_;
  std::vector<IndexOp> index_;
  std::vector<IndexOp> drops_;
  std::vector<PackedRawBody> raw_bodies_;
  std::vector<FeedControl> controls_;
  std::vector<FeedId> control_deletes_;
};

/// What Archive::Backup wrote.
struct BackupInfo {
  uint64_t files = 0;
  uint64_t bytes = 0;  ///< Sum of the file sizes (hard-linked files included).
};

/// Ends the message of a write error the storage engine cannot recover from while the archive
/// stays open (RocksDB after EIO on its log, a file system remounted read-only): the writer
/// must be reopened once the cause is fixed.
inline constexpr std::string_view kReopenNeeded = "reopen the archive (restart newsd)";

/// What Archive::ExpireStories removed.
struct ExpiryReport {
  uint64_t stories = 0;
  uint64_t items = 0;
  bool more = false;  ///< Older stories remain (max_stories was reached): call again.
  /// Stories older than the cutoff by their founding item that stay, for a newer copy.
  uint64_t kept = 0;
};

/// The canonical archive. Read-write instances allow one writer at a time (the daemon or a
/// batch command); read-only instances follow a running writer. Not thread-safe unless an
/// implementation says otherwise (the RocksDB one is: Commit calls are serialised inside, and
/// reads may run concurrently with them).
///
/// Ids (item, story, feed) must be non-empty and contain no NUL byte; Commit refuses a batch
/// with such an id, or an unknown index family, with InvalidArgument and writes nothing.
/// Re-putting an item keeps its place in its story's StoryItems order.
class Archive {
 public:
  virtual ~Archive() = default;

  /// Applies the whole batch atomically (one RocksDB WriteBatch), or nothing. A later record
  /// for the same story or feed in one batch wins. IOError/Unavailable on disk problems;
  /// InvalidArgument on a read-only archive.
  virtual Status Commit(const Batch& batch) = 0;

  /// Writes one small record (the time, under a meta key) to learn whether the archive takes
  /// writes again after a failed Commit (disk full, read-only file system); resumes the
  /// storage engine when the cause is gone. Same errors as Commit.
  virtual Status ProbeWrite(UnixSeconds now) = 0;

  virtual Result<std::optional<FeedState>> GetFeed(const FeedId& id) = 0;
  virtual Result<std::vector<FeedState>> ListFeeds() = 0;
  /// Every host's politeness counters, by host name.
  virtual Result<std::vector<HostStats>> ListHosts() = 0;
  virtual Result<std::optional<ItemRecord>> GetItem(const ItemId& id) = 0;
  /// True when the item id is stored, or was and retention removed it less than its seen
  /// period ago (the per-feed seen set).
  virtual Result<bool> HasItem(const ItemId& id) = 0;
  /// True when the archive holds no item id: none stored, none remembered as seen (HasItem is
  /// false for every id). False when it holds one, or when it cannot tell cheaply (the default).
  /// An ingestor starting on such an archive knows that the ids it stores are the only ones.
  virtual Result<bool> HoldsNoItemIds() { return false; }
  virtual Result<std::optional<StoryRecord>> GetStory(const StoryId& id) = 0;
  /// Items of a story, in the order they were stored.
  virtual Result<std::vector<ItemRecord>> StoryItems(const StoryId& id) = 0;
  /// Up to `limit` stories, newest `time` first.
  virtual Result<std::vector<StoryRecord>> RecentStories(size_t limit) = 0;
  /// Encodes `raw` for Batch::PutRawBody (the RocksDB archive compresses it with zstd). Pure
  /// CPU work, thread-safe: callers do it where CPU is spare (the daemon: on its parse pool,
  /// so that only the compressed bytes wait for the commit).
  virtual PackedRawBody PackRawBody(const RawBody& raw) const = 0;
  /// The raw bodies kept for feed `id` (Batch::PutRawBody), oldest first; empty when none.
  virtual Result<std::vector<RawBody>> RawBodies(const FeedId& id) = 0;
  /// Every feed's run-time control record (Batch::PutFeedControl), by feed id.
  virtual Result<std::vector<FeedControl>> ListFeedControls() = 0;
  /// Up to `limit` items in the export order, starting at sequence number `from` (0: the
  /// first): the order they were first stored, but for a revised item (ItemRecord::revised),
  /// which moved to the end when it was revised. A re-put with the same revision keeps its
  /// place; items removed by retention are gone. A consumer that asks again from the last seq
  /// it got + 1 sees every item once, and once more after each revision, however the commits
  /// interleave (the export cursor). InvalidArgument on a read-only view
  /// of an archive older than schema 4 (it has no arrival index until newsd opens it).
  virtual Result<std::vector<SequencedItem>> ItemsFrom(uint64_t from, size_t limit) = 0;
  /// The arrival sequence number the next stored item will get (as committed): a cursor of
  /// this archive's is never above it, so one above it is another archive's, or was taken
  /// before this archive was restored from an older backup by a newsd that did not move the
  /// numbering past the lost ones (RestoreArchive does now).
  virtual Result<uint64_t> NextItemSeq() = 0;
  /// The archive's id: 8 lower-case hex digits drawn at random when newsd first opened it
  /// (read-write), kept by backups and restores (they are the same archive's), carried in
  /// export cursors so that a cursor given to another archive is refused. "" when none was
  /// drawn yet (an archive no newsd of this version opened read-write).
  virtual Result<std::string> ArchiveId() = 0;
  /// Calls `fn` for stories newest `time` first until it returns false (RecentStories without
  /// a limit).
  virtual Status ForEachStoryByTime(const std::function<bool(const StoryRecord&)>& fn) = 0;
  /// ForEachStoryByTime from the newest story whose `time` is at most `newest` (the RocksDB
  /// archive seeks there instead of reading every newer story).
  virtual Status ForEachStoryFrom(UnixSeconds newest,
                                  const std::function<bool(const StoryRecord&)>& fn) {
    return ForEachStoryByTime(
        [&](const StoryRecord& story) { return story.time > newest || fn(story); });
  }
  /// Calls `fn` for every item in storage order until it returns false.
  virtual Status ForEachItem(const std::function<bool(const ItemRecord&)>& fn) = 0;
  /// Calls `fn` for every record of dedup family `family` (start-up restore).
  /// Keys ascend bytewise. InvalidArgument for an unknown family.
  virtual Status ForEachIndexRecord(
      std::string_view family,
      const std::function<void(std::string_view key, std::string_view value)>& fn) = 0;
  /// The value of one dedup index record (nullopt when there is none), for the engine to read
  /// back what it keeps only in part in RAM. Thread-safe, like every read; InvalidArgument for
  /// a family not among kIndexFamilies.
  virtual Result<std::optional<std::string>> GetIndexRecord(std::string_view family,
                                                            std::string_view key) = 0;

  /// Writes a consistent copy of the archive as it is now into `dir`, a new directory (its
  /// parent must exist), while commits go on: a RocksDB checkpoint, whose table files are
  /// hard links when `dir` is on the same file system and copies otherwise. The copy opens as
  /// an archive of its own; RestoreArchive puts it back. The copy is read back (every table
  /// block against its checksum) before it counts as written. InvalidArgument when `dir`
  /// exists or on a read-only instance; IOError when it cannot be written, Corruption when the
  /// archive's own tables are damaged (nothing is left behind either way).
  virtual Result<BackupInfo> Backup(const std::string& dir) = 0;

  /// Retention: removes up to `max_stories` stories whose newest copy's effective time
  /// (StoryRecord::newest, else read from its items) is before `cutoff`, with their items, in
  /// one atomic write; a story that began before `cutoff` but has a newer copy stays. Each removed
  /// item id stays "seen" (HasItem is true, so a feed still carrying it does not bring it back)
  /// until `seen_until`; then a compaction drops it. InvalidArgument on read-only instances; the
  /// in-memory test fake has no retention.
  virtual Result<ExpiryReport> ExpireStories(UnixSeconds cutoff, UnixSeconds seen_until,
                                             size_t max_stories) {
    (void)cutoff, (void)seen_until, (void)max_stories;
    return Err(Status::InvalidArgument("this archive has no retention"));
  }

  /// Storage-engine figures for monitoring, as (name, value) pairs: for RocksDB its
  /// aggregated properties (live data, table files, memtables, block cache, pending
  /// compaction), under their RocksDB names without the "rocksdb." prefix. Empty by default.
  virtual std::vector<std::pair<std::string, uint64_t>> EngineStats() { return {}; }

  /// Read-only instances: catches up with what the writer has committed since the open or the
  /// last Refresh (reads between two calls see a fixed state). Read-write instances: no-op.
  /// The RocksDB secondary may fail transiently while the writer compacts; retry later.
  virtual Status Refresh() { return Status::Ok(); }
};

/// Whether `data_dir` can hold the archive, without creating anything: an existing directory
/// this process may write and enter, or a path whose nearest existing ancestor is such a
/// directory (OpenArchive creates the rest). Otherwise InvalidArgument (not a directory, a
/// dangling symlink) or PermissionDenied (this process may not write it), naming the path, the
/// reason and what to do. For start-up and `newsd --check-config`, so an unusable data_dir is a
/// configuration error (exit 78), not a failure that a service manager restarts in a loop.
Status CheckDataDir(const std::string& data_dir);

/// True when `data_dir` holds an archive (a completed one: RocksDB's CURRENT file is there).
/// Commands that only read or rework an existing archive ask this first, so a wrong path gets
/// "no archive" rather than a new, empty archive created there.
bool HoldsArchive(const std::string& data_dir);

/// Opens (creating if needed) the RocksDB archive in options.data_dir for writing. Fails with
/// Unavailable when another process (or instance) holds it ("is newsd running?"), and with
/// InvalidArgument when the archive's schema version is newer than this build understands.
Result<std::unique_ptr<Archive>> OpenArchive(const Options& options);

/// Opens an existing archive read-only as a RocksDB secondary instance, safe while the daemon
/// writes it and when no writer runs. Reads see the state at open until Refresh(); Commit
/// returns InvalidArgument. The secondary's own files live in a fresh temporary directory,
/// removed when the archive is destroyed. NotFound when there is no archive in
/// options.data_dir; InvalidArgument when its schema is newer than this build understands.
Result<std::unique_ptr<Archive>> OpenArchiveReadOnly(const Options& options);

/// What RestoreArchive is doing when it reports progress.
enum class RestoreStep {
  kChecking,  ///< reading the backup's table files against their checksums
  kCopying,   ///< copying the backup's files into the target
};
/// Called after each file of a step with the bytes done and the step's total; false stops the
/// restore there (Aborted; what it copied is removed again).
using RestoreProgress = std::function<bool(RestoreStep step, uint64_t done, uint64_t total)>;

/// Copies the backup in `backup_dir` (from Archive::Backup) into `data_dir`, which must be
/// absent or empty (stop newsd first, and move the damaged archive aside). The backup is
/// checked first: every table file read against its checksums, and it must open as an
/// archive this build understands. The CURRENT file goes last, so an interrupted restore
/// leaves no half archive (data_dir is emptied again on failure). The restored archive numbers
/// the items it stores next from past any number handed out since the backup was taken
/// (RocksArchive::SkipItemSeqs: from now * 2^20, at its first open, which the restore makes;
/// a marker file keeps it pending across a crash), so that export cursors miss none of them.
/// A disk that fills (ENOSPC, EDQUOT) during the copy or that first open and close, even where
/// RocksDB only logs it, fails the restore with ResourceExhausted, data_dir emptied again.
/// A data_dir that does not exist is made with its missing parents (as mkdir -p); a restore
/// that fails or is refused after that removes exactly the directories it made, deepest first.
/// `progress` (may be empty) follows both steps, and may stop the restore (a signal): Aborted,
/// data_dir emptied again and the directories made removed, as on a failure.
Result<BackupInfo> RestoreArchive(const std::string& backup_dir, const std::string& data_dir,
                                  const RestoreProgress& progress);

}  // namespace newsd::storage
