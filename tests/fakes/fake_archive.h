#pragma once

// An in-memory storage::Archive for other modules' tests. No RocksDB: it implements the
// contract of storage/archive.h with the same semantics as the RocksDB archive (the same typed
// tests in tests/storage run over both), plus hooks to inject failures and inspect commits.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/archive.h"

namespace newsd::testing {

/// Thread-safe (one mutex). Archives built on the same Store share it, as processes share a
/// data directory: a fresh FakeArchive on an old store is a "restart", a read-only one is the
/// admin CLI's view (it sees commits at once; Refresh is a no-op).
class FakeArchive : public storage::Archive {
 public:
  /// The "disk": everything a commit writes. Shared between archives.
  struct Store {
    std::mutex mu;
    std::map<ItemId, std::pair<uint64_t, storage::ItemRecord>> items;  // seq, record
    std::map<StoryId, storage::StoryRecord> stories;
    std::set<std::pair<UnixSeconds, StoryId>> by_time;
    std::map<StoryId, std::map<uint64_t, ItemId>> story_items;  // by seq
    std::map<FeedId, storage::FeedState> feeds;
    std::map<FeedId, storage::FeedControl> controls;
    std::map<std::string, storage::HostStats> hosts;
    std::map<std::string, std::map<std::string, std::string>, std::less<>> index;
    uint64_t next_seq = 0;
    /// The export key of each item a revision moved (ItemRecord::revised); others export at
    /// their seq.
    std::map<ItemId, uint64_t> exported;
    std::map<FeedId, std::vector<storage::RawBody>> raw_bodies;  // oldest first
    /// Raw bodies kept per feed (storage::Options::raw_bodies).
    size_t raw_bodies_kept = 3;
    /// Every successful non-empty commit, in order.
    std::vector<storage::Batch> commits;
    /// When set, the next Commit returns it and writes nothing.
    std::optional<Status> fail_next_commit;
  };

  /// A fresh, empty store.
  FakeArchive();
  /// An archive over `store`; Commit fails with InvalidArgument when `read_only`.
  explicit FakeArchive(std::shared_ptr<Store> store, bool read_only = false);

  const std::shared_ptr<Store>& store() const { return store_; }
  /// The next Commit fails with `status` (e.g. Status::IOError("disk full")), writing nothing.
  void FailNextCommit(Status status);
  /// Copies of the batches committed so far (successful, non-empty ones).
  std::vector<storage::Batch> commits() const;

  Status Commit(const storage::Batch& batch) override;
  /// Fails like Commit while a failure is armed (consuming it), else OK.
  Status ProbeWrite(UnixSeconds now) override;
  /// InvalidArgument: backups are RocksDB checkpoints (tested on the real archive).
  Result<storage::BackupInfo> Backup(const std::string& dir) override;
  Result<std::optional<storage::FeedState>> GetFeed(const FeedId& id) override;
  Result<std::vector<storage::FeedState>> ListFeeds() override;
  Result<std::vector<storage::HostStats>> ListHosts() override;
  Result<std::optional<storage::ItemRecord>> GetItem(const ItemId& id) override;
  Result<bool> HasItem(const ItemId& id) override;
  /// True when no item is stored (the fake has no retention, so no seen ids).
  Result<bool> HoldsNoItemIds() override;
  Result<std::optional<storage::StoryRecord>> GetStory(const StoryId& id) override;
  Result<std::vector<storage::ItemRecord>> StoryItems(const StoryId& id) override;
  Result<std::vector<storage::StoryRecord>> RecentStories(size_t limit) override;
  /// A plain length-prefixed encoding (no compression: the fake links no library).
  storage::PackedRawBody PackRawBody(const storage::RawBody& raw) const override;
  Result<std::vector<storage::RawBody>> RawBodies(const FeedId& id) override;
  Status ForEachItem(const std::function<bool(const storage::ItemRecord&)>& fn) override;
  Result<std::vector<storage::FeedControl>> ListFeedControls() override;
  Result<std::vector<storage::SequencedItem>> ItemsFrom(uint64_t from, size_t limit) override;
  Result<uint64_t> NextItemSeq() override;
  /// "fa4e0001": one id for every fake archive (tests of the cursor's check use RocksDB's).
  Result<std::string> ArchiveId() override;
  Status ForEachStoryByTime(const std::function<bool(const storage::StoryRecord&)>& fn) override;
  Status ForEachIndexRecord(
      std::string_view family,
      const std::function<void(std::string_view key, std::string_view value)>& fn) override;
  Result<std::optional<std::string>> GetIndexRecord(std::string_view family,
                                                    std::string_view key) override;

 private:
  void Apply(const storage::Batch& batch);  // store_->mu held
  static storage::RawBody Unpack(const storage::PackedRawBody& packed);
  void PutStory(const storage::StoryRecord& story);
  void PutItem(const storage::ItemRecord& item);

  std::shared_ptr<Store> store_;
  bool read_only_ = false;
};

}  // namespace newsd::testing
