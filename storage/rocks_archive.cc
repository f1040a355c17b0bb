// Commits to the RocksDB archive (opening: rocks_open.cc; reads: rocks_read.cc).

#include "storage/rocks_archive.h"

#include <sys/stat.h>
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

Status RocksArchive::SkipItemSeqs(UnixSeconds now) {
  if (read_only_) return Status::InvalidArgument("archive opened read-only: cannot write");
  std::lock_guard lock(commit_mu_);
  const uint64_t next =
      std::max(next_seq_, static_cast<uint64_t>(std::max<UnixSeconds>(now, 0)) << 20);
  rocksdb::WriteBatch wb;
  wb.Put(Cf(kMetaFamily), kNextItemSeqKey, codec::EncodeBe64(next));
  if (Status s = Write(&wb); !s.ok()) return s;
  // On disk before the caller forgets that it was due (whatever sync_writes says).
  if (rocksdb::Status s = db_->FlushWAL(/*sync=*/true); !s.ok()) {
    return Rocks(s, "syncing the restored archive's numbering");
  }
  next_seq_ = next;
  return Status::Ok();
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
// (its place in StoryItems) and moves the key when the story changed; it keeps its export key
// too, unless its `revised` differs from the stored one's: then it takes the next number as
// its export key (the old one is deleted), so export cursors past it send it again. An item
// put as new takes the next sequence number without reading. Sequence numbers follow the
// batch's order; each family's keys then go in ascending order (InOrder).
Status RocksArchive::AddItems(const Batch& batch, rocksdb::WriteBatch* wb, uint64_t* next_seq) {
  struct Placed {
    const ItemRecord* item;
    codec::ItemPlace place;
  };
  std::vector<Placed> placed;
  std::vector<std::pair<std::string, std::string>> story_keys;  // key, value
  for (auto [item, is_new] :
       LastPerId(batch.items(), [&](size_t i) { return batch.item_is_new(i); })) {
    codec::ItemPlace place;
    if (is_new) {
      place.seq = place.exported = (*next_seq)++;
    } else if (Result<codec::ItemPlace> old = ReplaceItem(*item, wb, next_seq); old) {
      place = *old;
    } else {
      return old.error();
    }
    placed.push_back({item, place});
    story_keys.emplace_back(codec::StoryItemsKey(item->story, place.seq, item->id),
                            codec::StoryItemsValue(place));
  }
  std::sort(story_keys.begin(), story_keys.end());
  for (const auto& [key, value] : story_keys) wb->Put(Cf(kStoryItemsFamily), key, value);
  std::vector<const Placed*> by_seq;
  by_seq.reserve(placed.size());
  for (const Placed& p : placed) by_seq.push_back(&p);
  SortByKey(&by_seq, [](const Placed* p) { return p->place.exported; });
  for (const Placed* p : by_seq) {
    wb->Put(Cf(kItemSeqFamily), codec::EncodeBe64(p->place.exported), p->item->id);
  }
  SortByKey(&by_seq, [](const Placed* p) -> std::string_view { return p->item->id; });
  std::string value;
  for (const Placed* p : by_seq) {
    codec::EncodeItem(*p->item, p->place, &value);
    wb->Put(Cf(kItemsFamily), p->item->id, value);
  }
  return Status::Ok();
}

// The place of a re-put item: its old one (dropping its old story_items key when the story
// changed, and its old export key when it was revised since), or the next number when it was
// never stored or is unreadable.
Result<codec::ItemPlace> RocksArchive::ReplaceItem(const ItemRecord& item, rocksdb::WriteBatch* wb,
                                                   uint64_t* next_seq) {
  Result<std::optional<std::string>> old = GetRaw(kItemsFamily, item.id);
  if (!old) return Err(old.error());
  ItemRecord old_item;
  codec::ItemPlace place;
  if (old->has_value() && codec::DecodeItem(item.id, **old, &old_item, &place).ok()) {
    if (old_item.story != item.story) {
      wb->Delete(Cf(kStoryItemsFamily), codec::StoryItemsKey(old_item.story, place.seq, item.id));
    }
    if (old_item.revised != item.revised) {
      wb->Delete(Cf(kItemSeqFamily), codec::EncodeBe64(place.exported));
      place.exported = (*next_seq)++;
    }
    return place;
  }
  if (old->has_value()) Log().warn("overwriting undecodable item id={}", item.id);
  place.seq = place.exported = (*next_seq)++;
  return place;
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

Status RocksArchive::CheckDirStillOpened() {
  struct stat dir {
  }, lock{};
  const std::string lock_path = options_.data_dir + "/LOCK";
  const bool same = ::stat(options_.data_dir.c_str(), &dir) == 0 &&
                    static_cast<uint64_t>(dir.st_dev) == dir_device_ &&
                    static_cast<uint64_t>(dir.st_ino) == dir_inode_ &&
                    ::stat(lock_path.c_str(), &lock) == 0 &&
                    static_cast<uint64_t>(lock.st_dev) == lock_device_ &&
                    static_cast<uint64_t>(lock.st_ino) == lock_inode_;
  if (same && !dir_lost_) return Status::Ok();
  if (!dir_lost_.exchange(true)) {
    // No flush, compaction or purge of obsolete files may touch the path any more.
    db_->PauseBackgroundWork().PermitUncheckedError();
    db_->DisableFileDeletions().PermitUncheckedError();
    Log().error(
        "archive dir={} is no longer the directory newsd opened (moved, removed, or "
        "another one put in its place): nothing more is written there",
        options_.data_dir);
  }
  return Status::IOError(
      "data_dir " + options_.data_dir +
      " was moved, removed or replaced while newsd had it open (a restore into its path, a mv): "
      "nothing more is written to it, and the archive newsd opened is left as a crash leaves "
      "it, wherever it went -- " +
      std::string(kReopenNeeded));
}

Status RocksArchive::Write(rocksdb::WriteBatch* wb) {
  if (Status s = CheckDirStillOpened(); !s.ok()) return s;
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

Result<size_t> RocksArchive::CountRaw(std::string_view family) {
  for (size_t i = 0; i < kFamilyCount; ++i) {
    if (kFamilyNames[i] != family) continue;
    size_t n = 0;
    Status s = Scan(static_cast<FamilyIndex>(i), "", "",
                    [&](std::string_view, std::string_view) { return ++n, true; });
    if (!s.ok()) return Err(s);
    return n;
  }
  return Err(Status::InvalidArgument("unknown family '" + std::string(family) + "'"));
}

}  // namespace newsd::storage
