// Retention: old stories leave with their items; the items' ids stay "seen" for a while.

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "core/article.h"
#include "storage/codec.h"
#include "storage/rocks_archive.h"
#include "storage/rocks_util.h"

namespace newsd::storage {

struct RocksArchive::OldStory {
  std::string time_key;
  std::string id;
};

Result<UnixSeconds> RocksArchive::NewestItemTime(const StoryId& story) {
  auto record = GetStory(story);
  if (!record) return Err(record.error());
  if (!*record) return UnixSeconds{INT64_MIN};  // a stray time key: nothing to keep
  if ((*record)->newest != 0) return std::max((*record)->newest, (*record)->time);
  // A story stored before StoryRecord::newest existed: its items tell.
  UnixSeconds newest = (*record)->time;
  const std::string prefix = codec::StoryItemsPrefix(story);
  Status failed;
  Status s = Scan(kStoryItemsFamily, prefix, codec::PrefixEnd(prefix),
                  [&](std::string_view key, std::string_view) {
                    auto id = codec::ItemOfStoryItemsKey(key, prefix.size());
                    if (!id) return true;
                    auto item = GetItem(std::string(*id));
                    if (!item) {
                      failed = item.error();
                      return false;
                    }
                    if (*item) {
                      newest =
                          std::max(newest, EffectiveTime((*item)->published, (*item)->arrived));
                    }
                    return true;
                  });
  if (!s.ok()) return Err(s);
  if (!failed.ok()) return Err(failed);
  return newest;
}

Result<std::vector<RocksArchive::OldStory>> RocksArchive::OldStories(UnixSeconds cutoff,
                                                                     size_t max_stories,
                                                                     ExpiryReport* report) {
  // stories_by_time runs newest first: every key from cutoff - 1 on is older than cutoff, by
  // its founding item. A story goes when its newest copy is older too (copies can join a
  // story long after it began, each within the window of the one before).
  std::vector<OldStory> old;
  Status failed;
  Status s = Scan(kStoriesByTimeFamily, codec::TimeKey(cutoff - 1, ""), "",
                  [&](std::string_view key, std::string_view) {
                    if (old.size() == max_stories) {
                      report->more = true;
                      return false;
                    }
                    auto story = codec::StoryOfTimeKey(key);
                    if (!story) return true;
                    auto newest = NewestItemTime(std::string(*story));
                    if (!newest) {
                      failed = newest.error();
                      return false;
                    }
                    if (*newest < cutoff) {
                      old.push_back({std::string(key), std::string(*story)});
                    } else {
                      ++report->kept;
                    }
                    return true;
                  });
  if (!s.ok()) return Err(s);
  if (!failed.ok()) return Err(failed);
  return old;
}

Result<size_t> RocksArchive::DropStory(const OldStory& story, const std::string& seen_value,
                                       rocksdb::WriteBatch* wb) {
  const std::string prefix = codec::StoryItemsPrefix(story.id);
  std::vector<std::string> items;
  Status s = Scan(kStoryItemsFamily, prefix, codec::PrefixEnd(prefix),
                  [&](std::string_view key, std::string_view value) {
                    if (auto item = codec::ItemOfStoryItemsKey(key, prefix.size())) {
                      items.emplace_back(*item);
                    }
                    if (auto seq = codec::SeqOfStoryItemsKey(key, prefix.size())) {
                      const uint64_t exported = codec::ExportedOfStoryItemsValue(value, *seq);
                      wb->Delete(Cf(kItemSeqFamily), codec::EncodeBe64(exported));
                    }
                    wb->Delete(Cf(kStoryItemsFamily), rocksdb::Slice(key.data(), key.size()));
                    return true;
                  });
  if (!s.ok()) return Err(s);
  for (const std::string& item : items) {
    wb->Delete(Cf(kItemsFamily), item);
    wb->Put(Cf(kSeenFamily), item, seen_value);
  }
  wb->Delete(Cf(kStoriesFamily), story.id);
  wb->Delete(Cf(kStoriesByTimeFamily), story.time_key);
  return items.size();
}

Result<ExpiryReport> RocksArchive::ExpireStories(UnixSeconds cutoff, UnixSeconds seen_until,
                                                 size_t max_stories) {
  if (read_only_) return Err(Status::InvalidArgument("archive opened read-only: no retention"));
  ExpiryReport report;
  if (max_stories == 0 || cutoff == INT64_MIN) return report;
  Result<std::vector<OldStory>> old = OldStories(cutoff, max_stories, &report);
  if (!old) return Err(old.error());
  if (old->empty()) return report;

  std::lock_guard lock(commit_mu_);
  rocksdb::WriteBatch wb;
  const std::string seen_value = codec::EncodeBe64(static_cast<uint64_t>(seen_until));
  for (const OldStory& story : *old) {
    Result<size_t> items = DropStory(story, seen_value, &wb);
    if (!items) return Err(items.error());
    report.items += *items;
  }
  report.stories = old->size();
  // Deletes are written too: below the reserve a failed write would leave RocksDB 7.8.3 to
  // abort at the next sync (docs/STORAGE.md, "Full disk"), as for a commit.
  if (Status s = CheckFreeSpace(wb.GetDataSize()); !s.ok()) return Err(s);
  if (Status s = Write(&wb); !s.ok()) return Err(s);
  return report;
}

}  // namespace newsd::storage
