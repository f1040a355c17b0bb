// Reads of the RocksDB archive: records by id, scans, the export cursor, engine statistics.

#include <algorithm>
#include <ctime>

#include "storage/batch_check.h"
#include "storage/codec.h"
#include "storage/rocks_archive.h"

namespace newsd::storage {

Result<std::optional<std::string>> RocksArchive::GetRaw(FamilyIndex f, std::string_view key) {
  std::string value;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Cf(f), key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return Err(Rocks(s, "reading " + std::string(kFamilyNames[f])));
  return std::optional<std::string>(std::move(value));
}

Status RocksArchive::Scan(FamilyIndex f, std::string_view lower, std::string_view upper,
                          const ScanFn& fn, bool whole) {
  rocksdb::ReadOptions ro;
  if (whole) {
    // A pass over a whole family (export, the dedup index restore) reads each block once:
    // read ahead, and keep the block cache for the blocks queries use again.
    ro.fill_cache = false;
    ro.readahead_size = 2 << 20;
  }
  const rocksdb::Slice lower_slice(lower.data(), lower.size());
  const rocksdb::Slice upper_slice(upper.data(), upper.size());
  if (!lower.empty()) ro.iterate_lower_bound = &lower_slice;
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, Cf(f)));
  for (it->Seek(lower_slice); it->Valid(); it->Next()) {
    if (!fn(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  return Rocks(it->status(), "scanning " + std::string(kFamilyNames[f]));
}

Result<std::optional<FeedState>> RocksArchive::GetFeed(const FeedId& id) {
  Result<std::optional<std::string>> raw = GetRaw(kFeedsFamily, id);
  if (!raw) return Err(raw.error());
  if (!raw->has_value()) return std::optional<FeedState>();
  FeedState feed;
  if (Status s = codec::DecodeFeed(id, **raw, &feed); !s.ok()) return Err(s);
  return std::optional<FeedState>(std::move(feed));
}

Result<std::vector<FeedState>> RocksArchive::ListFeeds() {
  std::vector<FeedState> feeds;
  Status decoded;
  Status s = Scan(kFeedsFamily, "", "", [&](std::string_view key, std::string_view value) {
    decoded = codec::DecodeFeed(key, value, &feeds.emplace_back());
    return decoded.ok();
  });
  if (!decoded.ok()) return Err(decoded);
  if (!s.ok()) return Err(s);
  return feeds;
}

Result<std::vector<HostStats>> RocksArchive::ListHosts() {
  std::vector<HostStats> hosts;
  Status decoded;
  Status s = Scan(
      kMetaFamily, kHostKeyPrefix, kHostKeyEnd, [&](std::string_view key, std::string_view value) {
        decoded =
            codec::DecodeHost(key.substr(kHostKeyPrefix.size()), value, &hosts.emplace_back());
        return decoded.ok();
      });
  if (!decoded.ok()) return Err(decoded);
  if (!s.ok()) return Err(s);
  return hosts;
}

Result<std::optional<ItemRecord>> RocksArchive::GetItem(const ItemId& id) {
  Result<std::optional<std::string>> raw = GetRaw(kItemsFamily, id);
  if (!raw) return Err(raw.error());
  if (!raw->has_value()) return std::optional<ItemRecord>();
  ItemRecord item;
  codec::ItemPlace place;
  if (Status s = codec::DecodeItem(id, **raw, &item, &place); !s.ok()) return Err(s);
  return std::optional<ItemRecord>(std::move(item));
}

Result<bool> RocksArchive::HasItem(const ItemId& id) {
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Cf(kItemsFamily), id, &value);
  if (s.ok()) return true;
  if (!s.IsNotFound()) return Err(Rocks(s, "reading items"));
  if (Cf(kSeenFamily) == nullptr) return false;  // a read-only view of a schema-1 archive
  value.Reset();
  s = db_->Get(rocksdb::ReadOptions(), Cf(kSeenFamily), id, &value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return Err(Rocks(s, "reading seen items"));
  // An expired tombstone a compaction has not dropped yet counts as gone.
  const std::optional<uint64_t> until = codec::DecodeBe64(value.ToStringView());
  return until && static_cast<UnixSeconds>(*until) >= std::time(nullptr);
}

Result<bool> RocksArchive::HoldsNoItemIds() {
  // Every item stored since schema 4 took a sequence number: most archives answer here.
  Result<uint64_t> next = NextItemSeq();
  if (!next) return Err(next.error());
  if (*next != 0) return false;
  for (FamilyIndex family : {kItemsFamily, kSeenFamily}) {
    if (Cf(family) == nullptr) continue;  // a read-only view of a schema-1 archive: no seen
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Cf(family)));
    it->SeekToFirst();
    if (it->Valid()) return false;
    if (!it->status().ok()) return Err(Rocks(it->status(), "reading items"));
  }
  return true;
}

Result<std::optional<StoryRecord>> RocksArchive::GetStory(const StoryId& id) {
  Result<std::optional<std::string>> raw = GetRaw(kStoriesFamily, id);
  if (!raw) return Err(raw.error());
  if (!raw->has_value()) return std::optional<StoryRecord>();
  StoryRecord story;
  if (Status s = codec::DecodeStory(id, **raw, &story); !s.ok()) return Err(s);
  return std::optional<StoryRecord>(std::move(story));
}

Result<std::vector<ItemRecord>> RocksArchive::StoryItems(const StoryId& id) {
  const std::string prefix = codec::StoryItemsPrefix(id);
  std::vector<std::string> ids;
  Status s = Scan(kStoryItemsFamily, prefix, codec::PrefixEnd(prefix),
                  [&](std::string_view key, std::string_view) {
                    if (auto item = codec::ItemOfStoryItemsKey(key, prefix.size())) {
                      ids.emplace_back(*item);
                    }
                    return true;
                  });
  if (!s.ok()) return Err(s);
  std::vector<ItemRecord> items;
  for (const std::string& item_id : ids) {
    Result<std::optional<ItemRecord>> item = GetItem(item_id);
    if (!item) return Err(item.error());
    // Skip a key left behind by an overwritten unreadable item that changed story.
    if (*item && (*item)->story == id) items.push_back(std::move(**item));
  }
  return items;
}

Result<std::vector<StoryRecord>> RocksArchive::RecentStories(size_t limit) {
  std::vector<StoryRecord> stories;
  if (limit == 0) return stories;
  Status s = ForEachStoryByTime([&](const StoryRecord& story) {
    stories.push_back(story);
    return stories.size() < limit;
  });
  if (!s.ok()) return Err(s);
  return stories;
}

Status RocksArchive::ForEachStoryByTime(const std::function<bool(const StoryRecord&)>& fn) {
  return StoriesByTime("", fn);
}

Status RocksArchive::ForEachStoryFrom(UnixSeconds newest,
                                      const std::function<bool(const StoryRecord&)>& fn) {
  // Keys ascend as times descend: the first key of `newest` precedes every older story's.
  return StoriesByTime(codec::TimeKey(newest, ""), fn);
}

Status RocksArchive::StoriesByTime(std::string_view lower,
                                   const std::function<bool(const StoryRecord&)>& fn) {
  Status failed;
  Status s = Scan(kStoriesByTimeFamily, lower, "", [&](std::string_view key, std::string_view) {
    const std::optional<std::string_view> id = codec::StoryOfTimeKey(key);
    if (!id) return true;
    Result<std::optional<StoryRecord>> story = GetStory(StoryId(*id));
    if (!story) {
      failed = story.error();
      return false;
    }
    // Skip a key left stale by an overwritten unreadable record.
    if (*story && codec::TimeKey((*story)->time, *id) == key) return fn(**story);
    return true;
  });
  return failed.ok() ? s : failed;
}

Result<std::vector<FeedControl>> RocksArchive::ListFeedControls() {
  std::vector<FeedControl> out;
  if (Cf(kFeedControlsFamily) == nullptr) return out;  // a read-only view of an older archive
  Status decoded;
  Status s = Scan(kFeedControlsFamily, "", "", [&](std::string_view key, std::string_view value) {
    decoded = codec::DecodeFeedControl(key, value, &out.emplace_back());
    return decoded.ok();
  });
  if (!decoded.ok()) return Err(decoded);
  if (!s.ok()) return Err(s);
  return out;
}

Result<uint64_t> RocksArchive::NextItemSeq() {
  // Read from the archive, not next_seq_: a secondary's copy of that is from its open.
  Result<std::optional<std::string>> stored = GetRaw(kMetaFamily, kNextItemSeqKey);
  if (!stored) return Err(stored.error());
  if (!stored->has_value()) return uint64_t{0};
  const std::optional<uint64_t> seq = codec::DecodeBe64(**stored);
  if (!seq) return Err(Status::Corruption("archive item sequence counter is unreadable"));
  return *seq;
}

Result<std::string> RocksArchive::ArchiveId() {
  Result<std::optional<std::string>> stored = GetRaw(kMetaFamily, kArchiveIdKey);
  if (!stored) return Err(stored.error());
  return stored->value_or(std::string());
}

Result<std::vector<SequencedItem>> RocksArchive::ItemsFrom(uint64_t from, size_t limit) {
  if (Cf(kItemSeqFamily) == nullptr) {
    // Not InvalidArgument: the command line was right, the archive is old (newsctl exits 1).
    return Err(Status::Aborted(
        "the archive at " + options_.data_dir +
        " predates export cursors (schema 4): start newsd once to upgrade it, then export"));
  }
  std::vector<SequencedItem> out;
  Status failed;
  if (limit == 0) return out;
  Status s = Scan(
      kItemSeqFamily, codec::EncodeBe64(from), "", [&](std::string_view key, std::string_view id) {
        const std::optional<uint64_t> seq = codec::DecodeBe64(key);
        if (!seq) return true;
        Result<std::optional<std::string>> raw = GetRaw(kItemsFamily, id);
        if (!raw) {
          failed = raw.error();
          return false;
        }
        SequencedItem entry;
        codec::ItemPlace place;
        // Skip a key whose item retention removed, or that an unreadable item's re-put left.
        if (!raw->has_value() || !codec::DecodeItem(id, **raw, &entry.item, &place).ok() ||
            place.exported != *seq) {
          return true;
        }
        entry.seq = *seq;
        out.push_back(std::move(entry));
        return out.size() < limit;
      });
  if (!failed.ok()) return Err(failed);
  if (!s.ok()) return Err(s);
  return out;
}

Status RocksArchive::ForEachItem(const std::function<bool(const ItemRecord&)>& fn) {
  Status decoded;
  Status s = Scan(
      kItemsFamily, "", "",
      [&](std::string_view key, std::string_view value) {
        ItemRecord item;
        codec::ItemPlace place;
        decoded = codec::DecodeItem(key, value, &item, &place);
        return decoded.ok() && fn(item);
      },
      /*whole=*/true);
  return decoded.ok() ? s : decoded;
}

Status RocksArchive::ForEachIndexRecord(
    std::string_view family,
    const std::function<void(std::string_view key, std::string_view value)>& fn) {
  if (!IsIndexFamily(family)) {
    return Status::InvalidArgument("unknown index family '" + std::string(family) + "'");
  }
  return Scan(
      IndexFamily(family), "", "",
      [&](std::string_view key, std::string_view value) {
        fn(key, value);
        return true;
      },
      /*whole=*/true);
}

Result<std::optional<std::string>> RocksArchive::GetIndexRecord(std::string_view family,
                                                                std::string_view key) {
  if (!IsIndexFamily(family)) {
    return Err(Status::InvalidArgument("unknown index family '" + std::string(family) + "'"));
  }
  return GetRaw(IndexFamily(family), key);
}

std::vector<std::pair<std::string, uint64_t>> RocksArchive::EngineStats() {
  static constexpr std::string_view kProperties[] = {"estimate-live-data-size",
                                                     "total-sst-files-size",
                                                     "cur-size-all-mem-tables",
                                                     "block-cache-usage",
                                                     "block-cache-pinned-usage",
                                                     "estimate-num-keys",
                                                     "estimate-pending-compaction-bytes",
                                                     "num-running-compactions",
                                                     "num-running-flushes",
                                                     "background-errors"};
  std::vector<std::pair<std::string, uint64_t>> out;
  for (std::string_view name : kProperties) {
    const std::string property = "rocksdb." + std::string(name);
    uint64_t value = 0;
    // Every family shares the one block cache: summed over families it would count N times.
    const bool shared = name.starts_with("block-cache");
    if (shared ? db_->GetIntProperty(property, &value)
               : db_->GetAggregatedIntProperty(property, &value)) {
      out.emplace_back(name, value);
    }
  }
  // The most level-0 tables of one family: they pile up when compactions fall behind (or are
  // cut off at every exit); RocksDB slows writes at 20 and stops them at 36.
  uint64_t level0 = 0;
  for (rocksdb::ColumnFamilyHandle* h : all_handles_) {
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(h, &meta);
    if (!meta.levels.empty()) level0 = std::max<uint64_t>(level0, meta.levels[0].files.size());
  }
  out.emplace_back("max-level0-files", level0);
  return out;
}

Status RocksArchive::Refresh() {
  if (!read_only_) return Status::Ok();
  std::lock_guard lock(refresh_mu_);
  return Rocks(db_->TryCatchUpWithPrimary(), "catching up with the writer");
}

}  // namespace newsd::storage
