#include "daemon/ingest.h"

#include <algorithm>

namespace newsd::daemon {

namespace {

// Expire the index only every few hours of item time, and keep twice the window so items
// arriving a little out of order still find their candidates.
constexpr int64_t kExpiryStepSeconds = 6 * 3600;

dedup::CanonicalInfo InfoOf(const storage::ItemRecord& item) {
  return {item.source, item.published, item.arrived, item.shingles};
}

}  // namespace

Ingestor::Ingestor(storage::Archive& archive, dedup::Options options)
    : archive_(archive),
      options_(std::move(options)),
      engine_(std::make_unique<dedup::Engine>(options_)) {}

Status Ingestor::Restore() {
  for (const std::string& family : dedup::Engine::Families()) {
    Status s = archive_.ForEachIndexRecord(
        family, [&](std::string_view k, std::string_view v) { engine_->Restore(family, k, v); });
    if (!s.ok()) return s.WithContext("restoring the dedup index");
  }
  return Status::Ok();
}

Result<std::optional<storage::ItemRecord>> Ingestor::LoadItem(const ItemId& id) {
  if (auto it = pending_items_.find(id); it != pending_items_.end()) return it->second;
  return archive_.GetItem(id);
}

Result<storage::StoryRecord> Ingestor::LoadStory(const StoryId& id) {
  if (auto it = pending_stories_.find(id); it != pending_stories_.end()) return it->second;
  auto story = archive_.GetStory(id);
  if (!story) return Err(story.error());
  if (!*story) return Err(Status::Corruption("dedup index names missing story " + id));
  return **story;
}

Status Ingestor::UpdateCanonical(storage::StoryRecord& story, const storage::ItemRecord& item) {
  auto current = LoadItem(story.canonical);
  if (!current) return current.error();
  if (!*current || dedup::PreferCanonical(InfoOf(item), InfoOf(**current), options_)) {
    story.canonical = item.id;
  }
  return Status::Ok();
}

Status Ingestor::Stage(const Article& article) {
  ++stats_.seen;
  if (pending_items_.count(article.id)) {
    ++stats_.duplicates;
    return Status::Ok();
  }
  auto stored = archive_.HasItem(article.id);
  if (!stored) return stored.error();
  if (*stored) {
    ++stats_.duplicates;
    return Status::Ok();
  }
  const UnixSeconds time = article.EffectiveTime();
  dedup::Fingerprint fp =
      engine_->MakeFingerprint({article.source, article.title, article.text, time});
  dedup::Match match = engine_->FindMatch(fp);

  storage::ItemRecord item{article.id,
                           match.is_copy ? match.story : article.id,
                           article.feed,
                           article.source,
                           article.url,
                           article.title,
                           article.text,
                           article.published,
                           article.arrived,
                           match.is_copy ? std::max(match.resemblance, match.containment) : 1.0,
                           std::string(dedup::PathName(match.path)),
                           static_cast<uint32_t>(fp.shingles.size())};
  if (!match.is_copy) item.match_path = "new";
  storage::StoryRecord story{item.story, item.id, time, 0};
  if (match.is_copy) {
    auto loaded = LoadStory(match.story);
    if (!loaded) return loaded.error();
    story = *loaded;
    if (Status s = UpdateCanonical(story, item); !s.ok()) return s;
    ++stats_.copies;
  } else {
    ++stats_.new_stories;
  }
  ++story.copies;
  for (dedup::Record& r : engine_->Insert(item.id, item.story, article.source, fp)) {
    batch_.PutIndex(std::move(r.family), std::move(r.key), std::move(r.value), r.erase);
  }
  pending_stories_[story.id] = story;
  pending_items_.emplace(item.id, item);
  batch_.PutItem(std::move(item));
  newest_time_ = std::max(newest_time_, time);
  return Status::Ok();
}

void Ingestor::StageFeed(storage::FeedState state) { batch_.PutFeed(std::move(state)); }

void Ingestor::ExpireOld(UnixSeconds newest) {
  if (newest == INT64_MIN) return;
  if (last_expiry_ != INT64_MIN && newest - last_expiry_ < kExpiryStepSeconds) return;
  last_expiry_ = newest;
  for (dedup::RangeDrop& d : engine_->Expire(newest - 2 * options_.window_seconds)) {
    batch_.DropIndexRange(std::move(d.family), std::move(d.begin), std::move(d.end));
  }
}

Status Ingestor::Commit() {
  ExpireOld(newest_time_);
  for (auto& [id, story] : pending_stories_) batch_.PutStory(story);
  if (batch_.empty()) return Status::Ok();
  Status s = archive_.Commit(batch_);
  if (s.ok()) {
    ++stats_.commits;
    pending_items_.clear();
    pending_stories_.clear();
    batch_ = storage::Batch();
    return s;
  }
  Reset();
  Status restored = Restore();
  return restored.ok() ? s : s.WithContext(restored.ToString());
}

void Ingestor::Reset() {
  engine_ = std::make_unique<dedup::Engine>(options_);
  pending_items_.clear();
  pending_stories_.clear();
  batch_ = storage::Batch();
  last_expiry_ = INT64_MIN;
}

}  // namespace newsd::daemon
