// Commit and reads of the RocksDB archive (opening: rocks_open.cc).

#include "storage/rocks_archive.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <unordered_map>

#include "storage/batch_check.h"
#include "storage/codec.h"

namespace newsd::storage {
namespace {

// The last record per id, in order of first appearance ("a later record wins"), and whether
// the id's first record in the batch was put as new (never stored).
template <class Record>
struct Latest {
  const Record* record;
  bool is_new;
};

template <class Record, class IsNew>
std::vector<Latest<Record>> LastPerId(const std::vector<Record>& records, IsNew is_new) {
  std::unordered_map<std::string_view, size_t> slot;
  slot.reserve(records.size());
  std::vector<Latest<Record>> out;
  out.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    auto [it, inserted] = slot.try_emplace(records[i].id, out.size());
    if (inserted) {
      out.push_back({&records[i], is_new(i)});
    } else {
      out[it->second].record = &records[i];
    }
  }
  return out;
}

// Bytes a WriteBatch needs for `batch` (a little more, never less in practice), so it grows
// once instead of doubling through a few MB of copies.
size_t EstimateBytes(const Batch& batch) {
  size_t n = 64;
  for (const ItemRecord& item : batch.items()) {
    n += 3 * item.id.size() + 2 * item.story.size() + item.feed.size() + item.source.size() +
         item.url.size() + item.title.size() + item.text.size() + item.match_path.size() + 96;
  }
  n += batch.stories().size() * 96;
  for (const StoryRecord& story : batch.stories())
    n += 3 * story.id.size() + story.canonical.size();
  for (const Batch::IndexOp& op : batch.index()) n += op.key.size() + op.value.size() + 16;
  for (const Batch::IndexOp& op : batch.drops()) n += op.key.size() + op.value.size() + 16;
  for (const FeedState& feed : batch.feeds()) n += 256 + feed.etag.size() + feed.url.size();
  for (const PackedRawBody& raw : batch.raw_bodies())
    n += 2 * raw.feed.size() + raw.value.size() + 96;
  for (const FeedControl& c : batch.controls()) n += 96 + c.url.size() + c.name.size();
  return n;
}

// InOrder: a commit adds each family's keys in ascending order. RocksDB's memtable (a skip
// list) starts each insert from where the previous one went, so a run of ascending keys costs a
// short walk each; keys in no order cost a search from the top each (in a cold round of 1,000
// feeds, skip-list searches were 6 % of all CPU).
template <class T, class Key>
void SortByKey(std::vector<T>* records, Key key) {
  std::sort(records->begin(), records->end(),
            [&](const T& a, const T& b) { return key(a) < key(b); });
}

FamilyIndex IndexFamily(std::string_view name) {
  return name == kDedupDocsFamily ? kDedupDocsIndex : kDedupBoilerplateIndex;
}

}  // namespace

Status RocksArchive::Commit(const Batch& batch) {
  if (read_only_) {
    return Status::InvalidArgument("archive opened read-only: cannot commit (" + options_.data_dir +
                                   ")");
  }
  if (Status s = CheckBatch(batch); !s.ok()) return s;
  if (batch.empty()) return Status::Ok();
  const size_t bytes = EstimateBytes(batch);
  if (Status s = CheckFreeSpace(bytes); !s.ok()) return s;
  std::lock_guard lock(commit_mu_);
  rocksdb::WriteBatch& wb = ReuseBatch(bytes);
  uint64_t next_seq = next_seq_;
  for (const FeedState& feed : batch.feeds()) {
    wb.Put(Cf(kFeedsFamily), feed.id, codec::EncodeFeed(feed));
  }
  for (const FeedId& id : batch.control_deletes()) wb.Delete(Cf(kFeedControlsFamily), id);
  for (const FeedControl& control : batch.controls()) {
    wb.Put(Cf(kFeedControlsFamily), control.id, codec::EncodeFeedControl(control));
  }
  for (const HostStats& host : batch.hosts()) {
    wb.Put(Cf(kMetaFamily), std::string(kHostKeyPrefix) + host.host, codec::EncodeHost(host));
  }
  if (Status s = AddStories(batch, &wb); !s.ok()) return s;
  if (Status s = AddItems(batch, &wb, &next_seq); !s.ok()) return s;
  if (Status s = AddIndexOps(batch, &wb); !s.ok()) return s;
  if (Status s = AddRawBodies(batch, &wb); !s.ok()) return s;
  if (next_seq != next_seq_) {
    wb.Put(Cf(kMetaFamily), kNextItemSeqKey, codec::EncodeBe64(next_seq));
  }
  if (Status s = Write(&wb); !s.ok()) return s;
  next_seq_ = next_seq;
  return Status::Ok();
}

rocksdb::WriteBatch& RocksArchive::ReuseBatch(size_t bytes) {
  if (bytes > wb_reserved_ || bytes < wb_reserved_ / 4) {
    wb_reserved_ = bytes + bytes / 4;
    wb_ = rocksdb::WriteBatch(wb_reserved_);
  } else {
    wb_.Clear();
  }
  return wb_;
}

Status RocksArchive::CheckFreeSpace(size_t bytes) const {
  if (options_.min_free_mb == 0) return Status::Ok();
  struct statvfs fs {};
  if (::statvfs(options_.data_dir.c_str(), &fs) != 0) return Status::Ok();  // the write tells
  const uint64_t free_bytes = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  const uint64_t reserve = static_cast<uint64_t>(options_.min_free_mb) << 20;
  // The log, then the memtable's flush, write about twice the batch.
  if (free_bytes >= reserve + 2 * static_cast<uint64_t>(bytes)) return Status::Ok();
  return Status::IOError("the disk is nearly full: " + std::to_string(free_bytes >> 20) +
                         " MiB free on the file system of " + options_.data_dir +
                         ", storage.min_free_mb keeps " + std::to_string(options_.min_free_mb) +
                         " MiB: this batch was not written; free space to go on");
}

Status RocksArchive::ProbeWrite(UnixSeconds now) {
  if (read_only_) return Status::InvalidArgument("archive opened read-only: cannot write");
  if (Status s = CheckFreeSpace(64); !s.ok()) return s;
  std::lock_guard lock(commit_mu_);
  rocksdb::WriteBatch wb;
  wb.Put(Cf(kMetaFamily), kWriteProbeKey, codec::EncodeBe64(static_cast<uint64_t>(now)));
  return Write(&wb);
}

// Stories and their stories_by_time keys. A re-put with another time drops the old key; an
// unreadable old record is overwritten (RecentStories skips any stale key it left). A story
// put as new has no old record to read. Each family's keys go in ascending order (InOrder).
Status RocksArchive::AddStories(const Batch& batch, rocksdb::WriteBatch* wb) {
  std::vector<const StoryRecord*> stories;
  std::vector<std::string> time_keys;
  for (auto [story, is_new] :
       LastPerId(batch.stories(), [&](size_t i) { return batch.story_is_new(i); })) {
    if (!is_new) {
      Result<std::optional<StoryRecord>> old = GetStory(story->id);
      if (!old && old.error().code() != Status::Code::kCorruption) return old.error();
      if (!old) Log().warn("overwriting undecodable story: {}", old.error().ToString());
      if (old && *old && (*old)->time != story->time) {
        wb->Delete(Cf(kStoriesByTimeFamily), codec::TimeKey((*old)->time, story->id));
      }
    }
    stories.push_back(story);
    time_keys.push_back(codec::TimeKey(story->time, story->id));
  }
  std::sort(time_keys.begin(), time_keys.end());
  for (const std::string& key : time_keys) wb->Put(Cf(kStoriesByTimeFamily), key, "");
  SortByKey(&stories, [](const StoryRecord* s) -> std::string_view { return s->id; });
  for (const StoryRecord* story : stories) {
    wb->Put(Cf(kStoriesFamily), story->id, codec::EncodeStory(*story));
  }
  return Status::Ok();
}

// Items with their story_items and item_seq keys. A re-put keeps the item's sequence number
// (its place in StoryItems and in the export order) and moves the key when the story changed.
// An item put as new takes the next sequence number without reading. Sequence numbers follow
// the batch's order; each family's keys then go in ascending order (InOrder).
Status RocksArchive::AddItems(const Batch& batch, rocksdb::WriteBatch* wb, uint64_t* next_seq) {
  struct Placed {
    const ItemRecord* item;
    uint64_t seq;
  };
  std::vector<Placed> placed;
  std::vector<std::string> story_keys;
  for (auto [item, is_new] :
       LastPerId(batch.items(), [&](size_t i) { return batch.item_is_new(i); })) {
    uint64_t seq = 0;
    if (is_new) {
      seq = (*next_seq)++;
    } else if (Result<uint64_t> old = ReplaceItem(*item, wb, next_seq); old) {
      seq = *old;
    } else {
      return old.error();
    }
    placed.push_back({item, seq});
    story_keys.push_back(codec::StoryItemsKey(item->story, seq, item->id));
  }
  std::sort(story_keys.begin(), story_keys.end());
  for (const std::string& key : story_keys) wb->Put(Cf(kStoryItemsFamily), key, "");
  std::vector<const Placed*> by_seq;
  by_seq.reserve(placed.size());
  for (const Placed& p : placed) by_seq.push_back(&p);
  SortByKey(&by_seq, [](const Placed* p) { return p->seq; });
  for (const Placed* p : by_seq) {
    wb->Put(Cf(kItemSeqFamily), codec::EncodeBe64(p->seq), p->item->id);
  }
  SortByKey(&by_seq, [](const Placed* p) -> std::string_view { return p->item->id; });
  std::string value;
  for (const Placed* p : by_seq) {
    codec::EncodeItem(*p->item, p->seq, &value);
    wb->Put(Cf(kItemsFamily), p->item->id, value);
  }
  return Status::Ok();
}

// The sequence number of a re-put item: its old one (dropping its old story_items key when the
// story changed), or the next one when it was never stored or is unreadable.
Result<uint64_t> RocksArchive::ReplaceItem(const ItemRecord& item, rocksdb::WriteBatch* wb,
                                           uint64_t* next_seq) {
  Result<std::optional<std::string>> old = GetRaw(kItemsFamily, item.id);
  if (!old) return Err(old.error());
  ItemRecord old_item;
  uint64_t seq = 0;
  if (old->has_value() && codec::DecodeItem(item.id, **old, &old_item, &seq).ok()) {
    if (old_item.story != item.story) {
      wb->Delete(Cf(kStoryItemsFamily), codec::StoryItemsKey(old_item.story, seq, item.id));
    }
    return seq;
  }
  if (old->has_value()) Log().warn("overwriting undecodable item id={}", item.id);
  return (*next_seq)++;
}

// Drops first, then puts and erases (archive.h promises this order), those by family and key
// (InOrder); a stable sort keeps the later of two operations on one key the later one.
Status RocksArchive::AddIndexOps(const Batch& batch, rocksdb::WriteBatch* wb) {
  for (const Batch::IndexOp& drop : batch.drops()) {
    if (drop.key >= drop.value) continue;  // empty range; RocksDB rejects begin > end
    const rocksdb::Status s = wb->DeleteRange(Cf(IndexFamily(drop.family)), drop.key, drop.value);
    if (!s.ok()) return Rocks(s, "dropping an index range");
  }
  struct Op {
    FamilyIndex family;
    const Batch::IndexOp* op;
  };
  std::vector<Op> ops;
  ops.reserve(batch.index().size());
  for (const Batch::IndexOp& op : batch.index()) ops.push_back({IndexFamily(op.family), &op});
  std::stable_sort(ops.begin(), ops.end(), [](const Op& a, const Op& b) {
    return a.family != b.family ? a.family < b.family : a.op->key < b.op->key;
  });
  for (size_t i = 0; i < ops.size(); ++i) {
    const auto& [family, op] = ops[i];
    // Of the operations on one key (a boilerplate line seen in several items of one commit)
    // only the last counts: the sort kept their order, so the earlier ones are left out.
    if (i + 1 < ops.size() && ops[i + 1].family == family && ops[i + 1].op->key == op->key) {
      continue;
    }
    rocksdb::ColumnFamilyHandle* cf = Cf(family);
    const rocksdb::Status s = op->erase ? wb->Delete(cf, op->key) : wb->Put(cf, op->key, op->value);
    if (!s.ok()) return Rocks(s, "adding an index record");
  }
  return Status::Ok();
}

Status RocksArchive::Write(rocksdb::WriteBatch* wb) {
  if (needs_resume_) {
    // A failed write leaves RocksDB refusing writes; retry once the cause (disk full) is gone.
    // After a fatal error (EIO on the log) RocksDB only recovers by reopening.
    // Busy: RocksDB's own recovery (after ENOSPC) is running; the write below tells.
    const rocksdb::Status resumed = db_->Resume();
    if (resumed.IsNoSpace()) return Rocks(resumed, "resuming after a failed write");
    if (!resumed.ok() && !resumed.IsBusy()) {
      return Status::IOError(Rocks(resumed, "resuming after a failed write").message() +
                             " -- the storage engine cannot resume: " + std::string(kReopenNeeded));
    }
    Log().info("archive resumed writes dir={}", options_.data_dir);
  }
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync_writes;
  const rocksdb::Status s = db_->Write(wo, wb);
  needs_resume_ = !s.ok();
  return Rocks(s, "committing a batch");
}

Status RocksArchive::PutRaw(std::string_view family, std::string_view key, std::string_view value) {
  if (read_only_) return Status::InvalidArgument("archive opened read-only");
  for (size_t i = 0; i < kFamilyCount; ++i) {
    if (kFamilyNames[i] != family) continue;
    std::lock_guard lock(commit_mu_);
    rocksdb::WriteBatch wb;
    wb.Put(Cf(static_cast<FamilyIndex>(i)), key, value);
    return Write(&wb);
  }
  return Status::InvalidArgument("unknown family '" + std::string(family) + "'");
}

Status RocksArchive::ClearRaw(std::string_view family) {
  if (read_only_) return Status::InvalidArgument("archive opened read-only");
  for (size_t i = 0; i < kFamilyCount; ++i) {
    if (kFamilyNames[i] != family) continue;
    const auto f = static_cast<FamilyIndex>(i);
    rocksdb::WriteBatch wb;
    Status s = Scan(f, "", "", [&](std::string_view key, std::string_view) {
      wb.Delete(Cf(f), rocksdb::Slice(key.data(), key.size()));
      return true;
    });
    if (!s.ok()) return s;
    std::lock_guard lock(commit_mu_);
    return Write(&wb);
  }
  return Status::InvalidArgument("unknown family '" + std::string(family) + "'");
}

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
  uint64_t seq;
  if (Status s = codec::DecodeItem(id, **raw, &item, &seq); !s.ok()) return Err(s);
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
  Status failed;
  Status s = Scan(kStoriesByTimeFamily, "", "", [&](std::string_view key, std::string_view) {
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

Result<std::vector<SequencedItem>> RocksArchive::ItemsFrom(uint64_t from, size_t limit) {
  if (Cf(kItemSeqFamily) == nullptr) {
    return Err(Status::InvalidArgument(
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
        uint64_t stored_seq = 0;
        // Skip a key whose item retention removed, or that an unreadable item's re-put left.
        if (!raw->has_value() || !codec::DecodeItem(id, **raw, &entry.item, &stored_seq).ok() ||
            stored_seq != *seq) {
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
        uint64_t seq;
        decoded = codec::DecodeItem(key, value, &item, &seq);
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
