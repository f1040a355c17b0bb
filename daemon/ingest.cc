// The dedup → archive step (daemon/ingest.h): the Ingestor's index restore, Stage (match an
// article, join or found its story, index it) and the pending batch's commit, in the
// foreground or on the commit thread. New versions of stored items (Reingest, Correct) and
// how versions are compared are in daemon/ingest_versions.cc.

#include "daemon/ingest.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/plural.h"
#include "parse/url.h"

namespace newsd::daemon {

namespace {

// Expire the index only every few hours of item time. It keeps the window and
// dedup::Options::late() below the newest item, so items arriving out of order (dated up to
// late() behind the newest) still find all their candidates.
constexpr int64_t kExpiryStepSeconds = int64_t{6} * 3600;

// The ids an ingestor keeps in its filter (Ingestor::stored_ids_), ~5 MB of it: an import of
// millions of articles, or a new archive's first days in service. Beyond, the filter goes (a
// daemon runs for months) and every id is looked up again. Below the 4,128,768 ids its first
// six levels hold, so that the seventh (5 MB more) is never made.
constexpr size_t kMaxFilteredIds = 4'000'000;

dedup::CanonicalInfo InfoOf(const storage::ItemRecord& item) {
  return {item.source, item.published, item.arrived, item.shingles};
}

// The record of `article` (its strings taken) with the verdict `match`.
storage::ItemRecord MakeItem(Article&& article, const dedup::Match& match, uint32_t shingles) {
  storage::ItemRecord item{std::move(article.id),
                           match.story,
                           std::move(article.feed),
                           std::move(article.source),
                           std::move(article.url),
                           std::move(article.title),
                           std::move(article.text),
                           article.published,
                           article.arrived,
                           match.is_copy ? std::max(match.resemblance, match.containment) : 1.0,
                           std::string(match.is_copy ? dedup::PathName(match.path) : "new"),
                           shingles};
  if (!match.is_copy) item.story = item.id;  // a new story is named by its founder
  return item;
}

}  // namespace

Ingestor::Ingestor(storage::Archive& archive, dedup::Options options)
    : archive_(archive),
      options_(std::move(options)),
      engine_(NewEngine()),
      lookback_(archive_, options_, [this](const auto& fn) { ForEachStagedItem(fn); }) {}

void Ingestor::ForEachStagedItem(const std::function<void(const storage::ItemRecord&)>& fn) const {
  for (const storage::ItemRecord& item : committing_.batch.items()) fn(item);
  for (const storage::ItemRecord& item : batch_.items()) fn(item);
}

std::unique_ptr<dedup::Engine> Ingestor::NewEngine() const {
  auto engine = std::make_unique<dedup::Engine>(options_);
  engine->SetRecordReader([&archive = archive_](std::string_view family, std::string_view key) {
    return archive.GetIndexRecord(family, key);
  });
  return engine;
}

Status Ingestor::Restore() {
  // Into an empty index, so that a restore that failed part-way may be run again.
  engine_ = NewEngine();
  uint64_t skipped = 0;
  Status first;
  for (const std::string& family : dedup::Engine::Families()) {
    Status s = archive_.ForEachIndexRecord(family, [&](std::string_view k, std::string_view v) {
      if (Status r = engine_->Restore(family, k, v); !r.ok() && skipped++ == 0) first = r;
    });
    if (!s.ok()) return s.WithContext("restoring the dedup index");
  }
  // What the index let go of before: items older than window + late below its newest (so an
  // article dated before that is counted late, as within one run).
  if (const UnixSeconds newest = engine_->NewestRestored(); newest != INT64_MIN) {
    expired_below_ = std::max(expired_below_, newest - options_.kept_seconds());
    engine_->ChillBelow(newest);  // restored items are committed: those due go cold now
  }
  // Not knowing (an error reading) only costs the lookups.
  Result<bool> no_ids = archive_.HoldsNoItemIds();
  if (no_ids && *no_ids) {
    stored_ids_.emplace();
  } else {
    stored_ids_.reset();
  }
  if (skipped > 0) {
    stats_.unreadable_index_records += skipped;
    spdlog::warn(
        "dedup index: skipped {} that could not be read (first: {}): a copy of an item they "
        "index starts a story of its own. If this persists, restore the archive from a backup "
        "(newsctl restore)",
        Counted(skipped, "record", "records"), first.message());
  }
  stale_ = false;
  return Status::Ok();
}

Result<std::optional<storage::StoryRecord>> Ingestor::LoadStory(const StoryId& id) {
  if (auto it = pending_stories_.find(id); it != pending_stories_.end()) return it->second.record;
  if (auto it = committing_.stories.find(id); it != committing_.stories.end()) {
    return committing_.batch.stories()[it->second];
  }
  return archive_.GetStory(id);
}

const storage::ItemRecord* Ingestor::StagedItem(const ItemId& id) const {
  if (auto it = pending_items_.find(id); it != pending_items_.end()) {
    return &batch_.items()[it->second];
  }
  auto it = committing_.items.find(id);
  return it == committing_.items.end() ? nullptr : &committing_.batch.items()[it->second];
}

Status Ingestor::UpdateCanonical(storage::StoryRecord& story, const storage::ItemRecord& item) {
  if (const storage::ItemRecord* current = StagedItem(story.canonical)) {
    if (dedup::PreferCanonical(InfoOf(item), InfoOf(*current), options_)) story.canonical = item.id;
    return Status::Ok();
  }
  auto current = archive_.GetItem(story.canonical);
  if (!current) return current.error();
  if (!*current || dedup::PreferCanonical(InfoOf(item), InfoOf(**current), options_)) {
    story.canonical = item.id;
  }
  return Status::Ok();
}

Status Ingestor::Stage(const Article& article) {
  Article copy = article;
  return Stage(std::move(copy), nullptr);
}

Result<bool> Ingestor::IsDuplicate(const ItemId& id) {
  if (StagedItem(id) == nullptr) {
    if (stored_ids_ && !stored_ids_->MayContain(id)) return false;  // never stored
    auto stored = archive_.HasItem(id);
    if (!stored) return Err(stored.error());
    if (!*stored) return false;
  }
  ++stats_.duplicates;
  return true;
}

Result<bool> Ingestor::IsSameArticle(const Article& article, const dedup::Match& match,
                                     const std::optional<storage::StoryRecord>& joined) {
  // The same words sign to a subset of the stored shingles (lines learned since are left out):
  // anything else is another text, read without loading an item (most copies).
  if (!match.is_copy || article.url.empty() || match.containment < 1.0) return false;
  // The item it matched best, else its story's canonical one (another outlet's copy of the
  // story can rank above the stored article once its source's lines are learned).
  for (const ItemId* id : {&match.matched_item, joined ? &joined->canonical : nullptr}) {
    if (id == nullptr || (id != &match.matched_item && *id == match.matched_item)) continue;
    const storage::ItemRecord* item = StagedItem(*id);
    std::optional<storage::ItemRecord> stored;
    if (item == nullptr) {
      auto loaded = archive_.GetItem(*id);
      if (!loaded) return Err(loaded.error());
      stored = std::move(*loaded);
      item = stored ? &*stored : nullptr;
    }
    // The same page however a feed tags its link (another feed of the outlet adds utm_*).
    if (item == nullptr || (item->url != article.url &&
                            parse::ArticleUrlKey(item->url) != parse::ArticleUrlKey(article.url))) {
      continue;
    }
    // The same words: its source's lines learned as boilerplate since the stored one was
    // signed (a template's sentences) leave the resemblance below 1.
    const bool whole = id == &match.matched_item && match.resemblance >= 1.0;
    if (!whole && (WordsOf(item->title) != WordsOf(article.title) ||
                   WordsOf(item->text) != WordsOf(article.text))) {
      continue;
    }
    return true;
  }
  return false;
}

Status Ingestor::FindStoryOf(const dedup::Document& doc, const dedup::Fingerprint& fp, bool late,
                             dedup::Match* match, std::optional<storage::StoryRecord>* joined) {
  if (Status s = FindStory(fp, match, joined); !s.ok()) return s;
  if (late && !match->is_copy) return FindArchivedStory(doc, match, joined);
  return Status::Ok();
}

Result<bool> Ingestor::WouldBeSameArticle(const Article& article) {
  // A dry run's lookups are no ingest: the counters (the daemon's metrics) stay as they were.
  const IngestStats counted = stats_;
  Result<bool> same = [&]() -> Result<bool> {
    const UnixSeconds time = article.EffectiveTime();
    const dedup::Document doc{article.source, article.title, article.text, time};
    dedup::Match match;
    std::optional<storage::StoryRecord> joined;
    if (Status s = FindStoryOf(doc, engine_->MakeFingerprint(doc), IsLate(time), &match, &joined);
        !s.ok()) {
      return Err(s);
    }
    return IsSameArticle(article, match, joined);
  }();
  stats_ = counted;
  return same;
}

Status Ingestor::Stage(Article&& article, dedup::PreparedText* prepared) {
  if (Status s = CheckFresh(); !s.ok()) return s;
  ++stats_.seen;
  Result<bool> duplicate = IsDuplicate(article.id);
  if (!duplicate) return duplicate.error();
  if (*duplicate) return Status::Ok();
  const UnixSeconds time = article.EffectiveTime();
  // Expiry follows the dated items once there are any: an undated item counts at its arrival,
  // which in a historic import is today, and must not expire the archive's past.
  const bool dated = article.published && *article.published == time;
  // Its window reaches below what the index holds: the archive has the rest.
  const bool late = IsLate(time);
  if (late) ++stats_.late;
  const dedup::Document doc{article.source, article.title, article.text, time};
  dedup::Fingerprint fp = prepared ? engine_->MakeFingerprint(doc, std::move(*prepared))
                                   : engine_->MakeFingerprint(doc);
  dedup::Match match;
  std::optional<storage::StoryRecord> joined;
  if (Status s = FindStoryOf(doc, fp, late, &match, &joined); !s.ok()) return s;
  // The same feed under two ids (or renamed, or reached through a redirect to another
  // configured feed) brings its stored articles again under new item ids: not another copy.
  Result<bool> same = IsSameArticle(article, match, joined);
  if (!same) return same.error();
  if (*same) {
    ++stats_.duplicates;
    ++stats_.same_article;
    return Status::Ok();
  }
  if (!match.is_copy) {
    if (Status s = JoinSamePage(article, &match, &joined); !s.ok()) return s;
  }

  storage::ItemRecord item =
      MakeItem(std::move(article), match, static_cast<uint32_t>(fp.shingles.size()));
  PendingStory story{{item.story, item.id, time, 0, time}, !match.is_copy};
  if (match.is_copy) {
    if (Status s = JoinStory(item, match.story, time, std::move(*joined), &story); !s.ok()) {
      return s;
    }
  } else {
    ++staged_.new_stories;
  }
  ++story.record.copies;
  StageIndexRecords(engine_->Insert(item.id, item.story, item.source, fp));
  pending_stories_[story.record.id] = std::move(story);
  pending_items_.emplace(item.id, batch_.items().size());
  batch_.PutNewItem(std::move(item));
  ObserveTime(time, dated);
  return Status::Ok();
}

Status Ingestor::JoinSamePage(const Article& article, dedup::Match* match,
                              std::optional<storage::StoryRecord>* joined) {
  if (article.url.empty() || match->refused_item.empty() ||
      match->refused_resemblance < kSamePageResemblance) {
    return Status::Ok();
  }
  const storage::ItemRecord* item = StagedItem(match->refused_item);
  std::optional<storage::ItemRecord> stored;
  if (item == nullptr) {
    auto loaded = archive_.GetItem(match->refused_item);
    if (!loaded) return loaded.error();
    stored = std::move(*loaded);
    item = stored ? &*stored : nullptr;
  }
  if (item == nullptr || (item->url != article.url &&
                          parse::ArticleUrlKey(item->url) != parse::ArticleUrlKey(article.url))) {
    return Status::Ok();
  }
  // A version of the same item: published at the same time (a correction keeps its date). A
  // link shared by other reports (a homepage, one page a feed links every item to, a daily
  // rate's page) is not enough: those are dated apart, or not at all.
  if (!item->published || !article.published || *item->published != *article.published) {
    return Status::Ok();
  }
  auto story = LoadStory(match->refused_story);
  if (!story) return story.error();
  if (!*story) return Status::Ok();  // retention removed it: a new story
  match->is_copy = true;
  match->story = match->refused_story;
  match->matched_item = match->refused_item;
  match->resemblance = match->refused_resemblance;
  match->path = dedup::Path::kSamePage;
  *joined = std::move(*story);
  return Status::Ok();
}

Status Ingestor::FindStory(const dedup::Fingerprint& fp, dedup::Match* match,
                           std::optional<storage::StoryRecord>* joined) {
  *match = engine_->FindMatch(fp);
  stats_.candidates += match->candidates;
  if (match->is_copy) {
    auto loaded = LoadStory(match->story);
    if (!loaded) return loaded.error();
    *joined = std::move(*loaded);
    // Retention removed the story (an item dated long ago, still in the index): start anew.
    if (!*joined) *match = dedup::Match{};
  }
  return Status::Ok();
}

Status Ingestor::FindArchivedStory(const dedup::Document& doc, dedup::Match* match,
                                   std::optional<storage::StoryRecord>* joined) {
  auto found = lookback_.Find(doc, expired_below_);
  if (!found) return found.error();
  if (!found->is_copy) return Status::Ok();
  auto loaded = LoadStory(found->story);
  if (!loaded) return loaded.error();
  if (!*loaded) return Status::Ok();  // retention removed the story: start anew
  *match = std::move(*found);
  *joined = std::move(*loaded);
  ++stats_.archive_copies;
  return Status::Ok();
}

Status Ingestor::JoinStory(const storage::ItemRecord& item, const StoryId& joined_id,
                           UnixSeconds time, storage::StoryRecord&& joined, PendingStory* story) {
  story->record = std::move(joined);
  if (auto it = pending_stories_.find(joined_id); it != pending_stories_.end()) {
    story->is_new = it->second.is_new;  // founded in this batch
  }
  if (Status s = UpdateCanonical(story->record, item); !s.ok()) return s;
  // Retention goes by the newest copy (a story stored before this field counts from its
  // founding item until a copy joins; retention reads the items of such stories).
  story->record.newest = std::max({story->record.newest, story->record.time, time});
  ++staged_.copies;
  return Status::Ok();
}

void Ingestor::ObserveTime(UnixSeconds time, bool dated) {
  if (dated && !saw_dated_) {
    horizon_.Clear();
    saw_dated_ = true;
  }
  if (dated || !saw_dated_) horizon_.Observe(time);
}

void Ingestor::StageIndexRecords(std::vector<dedup::Record>&& records) {
  for (dedup::Record& r : records) {
    batch_.PutIndex(std::move(r.family), std::move(r.key), std::move(r.value), r.erase);
  }
}

void Ingestor::StageFeed(storage::FeedState state) { batch_.PutFeed(std::move(state)); }

void Ingestor::StageHost(storage::HostStats host) { batch_.PutHost(std::move(host)); }

void Ingestor::ExpireOld(UnixSeconds newest) {
  if (newest == INT64_MIN) return;
  if (last_expiry_ != INT64_MIN && newest - last_expiry_ < kExpiryStepSeconds) return;
  last_expiry_ = newest;
  expired_below_ = std::max(expired_below_, newest - options_.kept_seconds());
  // The days a late article needed are read again when another needs them (memory).
  lookback_.Clear();
  for (dedup::RangeDrop& d : engine_->Expire(expired_below_)) {
    batch_.DropIndexRange(std::move(d.family), std::move(d.begin), std::move(d.end));
  }
  // The engine has just forgotten what it drops, records staged in this batch included.
  batch_.PruneDroppedIndexOps();
}

void Ingestor::StageStories() {
  for (auto& [id, story] : pending_stories_) {
    if (story.is_new) {
      batch_.PutNewStory(std::move(story.record));
    } else {
      batch_.PutStory(std::move(story.record));
    }
  }
  pending_stories_.clear();
}

void Ingestor::DropAfterFailure() {
  Reset();
  stale_ = true;
}

Status Ingestor::CheckFresh() const {
  if (!stale_) return Status::Ok();
  return Status::Unavailable(
      "the dedup index is being read again from the archive after a failed commit");
}

Status Ingestor::Commit() {
  Status s = WaitCommitted();
  if (s.ok()) {
    ExpireOld(horizon_.Get());
    StageStories();
    if (batch_.empty()) return Status::Ok();
    const uint64_t inserted = engine_->Inserted();
    s = archive_.Commit(batch_);
    if (s.ok()) MarkCommitted(inserted);
    if (!s.ok()) DropAfterFailure();
  }
  if (!s.ok()) {
    Status restored = Restore();
    return restored.ok() ? s : s.WithContext(restored.ToString());
  }
  Count(staged_, batch_);
  ClearPending();
  return s;
}

Status Ingestor::CommitInBackground() { return CommitInBackground(nullptr); }

Status Ingestor::CommitInBackground(std::function<void()> on_written) {
  if (Status s = WaitCommitted(); !s.ok()) return s;
  ExpireOld(horizon_.Get());
  StageStories();
  if (batch_.empty()) return Status::Ok();
  // The previous background batch is stored: its memory takes the next batch.
  std::swap(committing_.batch, batch_);
  std::swap(committing_.items, pending_items_);
  committing_.added = staged_;
  committing_.inserted = engine_->Inserted();
  ClearPending();
  committing_.stories.clear();
  const std::vector<storage::StoryRecord>& stories = committing_.batch.stories();
  for (size_t i = 0; i < stories.size(); ++i) committing_.stories.emplace(stories[i].id, i);
  committing_.done = commit_thread_.Run([this, done = std::move(on_written)] {
    Status s = archive_.Commit(committing_.batch);
    if (done) done();
    return s;
  });
  return Status::Ok();
}

Status Ingestor::WaitCommitted() {
  if (!committing_.done.valid()) return Status::Ok();
  Status s = committing_.done.get();
  if (!s.ok()) {
    DropAfterFailure();
    return s;
  }
  MarkCommitted(committing_.inserted);
  Count(committing_.added, committing_.batch);
  committing_.added = Added{};
  return s;
}

void Ingestor::MarkCommitted(uint64_t inserted) {
  engine_->MarkCommitted(inserted);
  // Items the newest time has left behind go cold now that their records can be read.
  if (const UnixSeconds newest = horizon_.Get(); newest != INT64_MIN) engine_->ChillDue(newest);
}

void Ingestor::Count(const Added& stored, const storage::Batch& batch) {
  if (stored_ids_ && stored_ids_->size() + batch.items().size() > kMaxFilteredIds) {
    stored_ids_.reset();
  }
  if (stored_ids_) {
    for (const storage::ItemRecord& item : batch.items()) stored_ids_->Add(item.id);
  }
  ++stats_.commits;
  stats_.new_stories += stored.new_stories;
  stats_.copies += stored.copies;
}

void Ingestor::Reserve(size_t articles) {
  batch_.Reserve(articles, 2 * articles);
  pending_items_.reserve(articles);
  committing_.batch.Reserve(articles, 2 * articles);
  committing_.items.reserve(articles);
}

void Ingestor::ClearPending() {
  staged_ = Added{};
  pending_items_.clear();
  pending_stories_.clear();
  batch_.Clear();
}

void Ingestor::Reset() {
  engine_ = NewEngine();
  lookback_.Clear();
  ClearPending();
  committing_.batch.Clear();
  committing_.items.clear();
  committing_.stories.clear();
  committing_.added = Added{};
  last_expiry_ = INT64_MIN;
  stored_ids_.reset();  // Restore decides again
}

}  // namespace newsd::daemon
