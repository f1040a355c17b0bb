#include "tests/fakes/fake_archive.h"

#include <cstdint>

#include "storage/batch_check.h"

namespace newsd::testing {

using storage::Batch;
using storage::FeedState;
using storage::ItemRecord;
using storage::StoryRecord;

FakeArchive::FakeArchive() : store_(std::make_shared<Store>()) {}

FakeArchive::FakeArchive(std::shared_ptr<Store> store, bool read_only)
    : store_(std::move(store)), read_only_(read_only) {}

void FakeArchive::FailNextCommit(Status status) {
  std::lock_guard lock(store_->mu);
  store_->fail_next_commit = std::move(status);
}

std::vector<Batch> FakeArchive::commits() const {
  std::lock_guard lock(store_->mu);
  return store_->commits;
}

Status FakeArchive::Commit(const Batch& batch) {
  if (read_only_) return Status::InvalidArgument("archive opened read-only: cannot commit");
  if (Status s = storage::CheckBatch(batch); !s.ok()) return s;
  std::lock_guard lock(store_->mu);
  if (store_->fail_next_commit) {
    Status s = *std::move(store_->fail_next_commit);
    store_->fail_next_commit.reset();
    return s;
  }
  if (batch.empty()) return Status::Ok();
  Apply(batch);
  store_->commits.push_back(batch);
  return Status::Ok();
}

Result<storage::BackupInfo> FakeArchive::Backup(const std::string& /*dir*/) {
  return Err(Status::InvalidArgument("the in-memory fake archive has no backup"));
}

Status FakeArchive::ProbeWrite(UnixSeconds /*now*/) {
  if (read_only_) return Status::InvalidArgument("archive opened read-only: cannot write");
  std::lock_guard lock(store_->mu);
  if (store_->fail_next_commit) {
    Status s = *std::move(store_->fail_next_commit);
    store_->fail_next_commit.reset();
    return s;
  }
  return Status::Ok();
}

// Same order as the RocksDB archive: later records win; index drops before puts and erases.
void FakeArchive::Apply(const Batch& batch) {
  for (const FeedState& feed : batch.feeds()) store_->feeds[feed.id] = feed;
  for (const storage::HostStats& host : batch.hosts()) store_->hosts[host.host] = host;
  for (const FeedId& id : batch.control_deletes()) store_->controls.erase(id);
  for (const storage::FeedControl& c : batch.controls()) store_->controls[c.id] = c;
  for (const StoryRecord& story : batch.stories()) PutStory(story);
  for (const storage::PackedRawBody& raw : batch.raw_bodies()) {
    std::vector<storage::RawBody>& kept = store_->raw_bodies[raw.feed];
    kept.push_back(Unpack(raw));
    while (kept.size() > store_->raw_bodies_kept) kept.erase(kept.begin());
    if (kept.empty()) store_->raw_bodies.erase(raw.feed);
  }
  for (const ItemRecord& item : batch.items()) PutItem(item);
  for (const Batch::IndexOp& drop : batch.drops()) {
    auto& family = store_->index[drop.family];
    if (drop.key < drop.value) {
      family.erase(family.lower_bound(drop.key), family.lower_bound(drop.value));
    }
  }
  for (const Batch::IndexOp& op : batch.index()) {
    auto& family = store_->index[op.family];
    if (op.erase) {
      family.erase(op.key);
    } else {
      family[op.key] = op.value;
    }
  }
}

void FakeArchive::PutStory(const StoryRecord& story) {
  if (auto old = store_->stories.find(story.id); old != store_->stories.end()) {
    store_->by_time.erase({old->second.time, story.id});
  }
  store_->by_time.insert({story.time, story.id});
  store_->stories[story.id] = story;
}

void FakeArchive::PutItem(const ItemRecord& item) {
  uint64_t seq;
  if (auto old = store_->items.find(item.id); old != store_->items.end()) {
    seq = old->second.first;
    store_->story_items[old->second.second.story].erase(seq);
    if (old->second.second.revised != item.revised) store_->exported[item.id] = store_->next_seq++;
  } else {
    seq = store_->next_seq++;
  }
  store_->story_items[item.story][seq] = item.id;
  store_->items[item.id] = {seq, item};
}

Result<std::optional<FeedState>> FakeArchive::GetFeed(const FeedId& id) {
  std::lock_guard lock(store_->mu);
  auto it = store_->feeds.find(id);
  if (it == store_->feeds.end()) return std::optional<FeedState>();
  return std::optional<FeedState>(it->second);
}

Result<std::vector<FeedState>> FakeArchive::ListFeeds() {
  std::lock_guard lock(store_->mu);
  std::vector<FeedState> feeds;
  for (const auto& [id, feed] : store_->feeds) feeds.push_back(feed);
  return feeds;
}

Result<std::vector<storage::HostStats>> FakeArchive::ListHosts() {
  std::lock_guard lock(store_->mu);
  std::vector<storage::HostStats> hosts;
  for (const auto& [name, host] : store_->hosts) hosts.push_back(host);
  return hosts;
}

namespace {

// PackRawBody's encoding: fetched_at, then url, content type and body, each after its size.
void AppendField(std::string* out, const std::string& field) {
  *out += std::to_string(field.size());
  *out += ':';
  *out += field;
}

std::string TakeField(std::string_view* in) {
  const size_t colon = in->find(':');
  const size_t n = std::stoull(std::string(in->substr(0, colon)));
  std::string field(in->substr(colon + 1, n));
  in->remove_prefix(colon + 1 + n);
  return field;
}

}  // namespace

storage::PackedRawBody FakeArchive::PackRawBody(const storage::RawBody& raw) const {
  std::string value;
  AppendField(&value, std::to_string(raw.fetched_at));
  for (const std::string* field : {&raw.url, &raw.content_type, &raw.body}) {
    AppendField(&value, *field);
  }
  return {raw.feed, std::move(value)};
}

storage::RawBody FakeArchive::Unpack(const storage::PackedRawBody& packed) {
  std::string_view in = packed.value;
  storage::RawBody raw;
  raw.feed = packed.feed;
  raw.fetched_at = std::stoll(TakeField(&in));
  raw.url = TakeField(&in);
  raw.content_type = TakeField(&in);
  raw.body = TakeField(&in);
  return raw;
}

Result<std::vector<storage::RawBody>> FakeArchive::RawBodies(const FeedId& id) {
  std::lock_guard lock(store_->mu);
  auto it = store_->raw_bodies.find(id);
  if (it == store_->raw_bodies.end()) return std::vector<storage::RawBody>();
  return it->second;
}

Result<std::optional<ItemRecord>> FakeArchive::GetItem(const ItemId& id) {
  std::lock_guard lock(store_->mu);
  auto it = store_->items.find(id);
  if (it == store_->items.end()) return std::optional<ItemRecord>();
  return std::optional<ItemRecord>(it->second.second);
}

Result<bool> FakeArchive::HasItem(const ItemId& id) {
  std::lock_guard lock(store_->mu);
  return store_->items.contains(id);
}

Result<bool> FakeArchive::HoldsNoItemIds() {
  std::lock_guard lock(store_->mu);
  return store_->items.empty();
}

Result<std::optional<StoryRecord>> FakeArchive::GetStory(const StoryId& id) {
  std::lock_guard lock(store_->mu);
  auto it = store_->stories.find(id);
  if (it == store_->stories.end()) return std::optional<StoryRecord>();
  return std::optional<StoryRecord>(it->second);
}

Result<std::vector<ItemRecord>> FakeArchive::StoryItems(const StoryId& id) {
  std::lock_guard lock(store_->mu);
  std::vector<ItemRecord> items;
  auto it = store_->story_items.find(id);
  if (it == store_->story_items.end()) return items;
  for (const auto& [seq, item] : it->second) items.push_back(store_->items.at(item).second);
  return items;
}

Result<std::vector<StoryRecord>> FakeArchive::RecentStories(size_t limit) {
  std::lock_guard lock(store_->mu);
  // Newest time first, ties by id ascending (the RocksDB archive's key order).
  std::vector<std::pair<UnixSeconds, StoryId>> order(store_->by_time.begin(),
                                                     store_->by_time.end());
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<StoryRecord> stories;
  for (size_t i = 0; i < order.size() && stories.size() < limit; ++i) {
    stories.push_back(store_->stories.at(order[i].second));
  }
  return stories;
}

Status FakeArchive::ForEachStoryByTime(const std::function<bool(const StoryRecord&)>& fn) {
  auto stories = RecentStories(SIZE_MAX);
  if (!stories) return stories.error();
  for (const StoryRecord& story : *stories) {
    if (!fn(story)) break;
  }
  return Status::Ok();
}

Result<std::vector<storage::FeedControl>> FakeArchive::ListFeedControls() {
  std::lock_guard lock(store_->mu);
  std::vector<storage::FeedControl> out;
  for (const auto& [id, control] : store_->controls) out.push_back(control);
  return out;
}

Result<std::vector<storage::SequencedItem>> FakeArchive::ItemsFrom(uint64_t from, size_t limit) {
  std::lock_guard lock(store_->mu);
  std::map<uint64_t, const ItemRecord*> by_seq;
  for (const auto& [id, entry] : store_->items) {
    const auto moved = store_->exported.find(id);
    const uint64_t key = moved == store_->exported.end() ? entry.first : moved->second;
    if (key >= from) by_seq.emplace(key, &entry.second);
  }
  std::vector<storage::SequencedItem> out;
  for (auto it = by_seq.begin(); it != by_seq.end() && out.size() < limit; ++it) {
    out.push_back({it->first, *it->second});
  }
  return out;
}

Result<uint64_t> FakeArchive::NextItemSeq() {
  std::lock_guard lock(store_->mu);
  return store_->next_seq;
}

Result<std::string> FakeArchive::ArchiveId() { return std::string("fa4e0001"); }

Status FakeArchive::ForEachItem(const std::function<bool(const ItemRecord&)>& fn) {
  std::vector<ItemRecord> items;
  {
    std::lock_guard lock(store_->mu);
    for (const auto& [id, entry] : store_->items) items.push_back(entry.second);
  }
  for (const ItemRecord& item : items) {
    if (!fn(item)) break;
  }
  return Status::Ok();
}

Result<std::optional<std::string>> FakeArchive::GetIndexRecord(std::string_view family,
                                                               std::string_view key) {
  if (!storage::IsIndexFamily(family)) {
    return Err(Status::InvalidArgument("unknown index family '" + std::string(family) + "'"));
  }
  std::lock_guard lock(store_->mu);
  const auto records = store_->index.find(family);
  if (records == store_->index.end()) return std::optional<std::string>();
  const auto it = records->second.find(std::string(key));
  if (it == records->second.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status FakeArchive::ForEachIndexRecord(
    std::string_view family,
    const std::function<void(std::string_view key, std::string_view value)>& fn) {
  if (!storage::IsIndexFamily(family)) {
    return Status::InvalidArgument("unknown index family '" + std::string(family) + "'");
  }
  std::map<std::string, std::string> records;
  {
    std::lock_guard lock(store_->mu);
    if (auto it = store_->index.find(family); it != store_->index.end()) records = it->second;
  }
  for (const auto& [key, value] : records) fn(key, value);
  return Status::Ok();
}

}  // namespace newsd::testing
