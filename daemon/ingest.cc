#include "daemon/ingest.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/plural.h"
#include "dedup/explain.h"
#include "dedup/normalize.h"

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
    : archive_(archive), options_(std::move(options)), engine_(NewEngine()) {}

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
    if (item == nullptr || item->url != article.url) continue;
    // The same words: its source's lines learned as boilerplate since the stored one was
    // signed (a template's sentences) leave the resemblance below 1.
    const bool whole = id == &match.matched_item && match.resemblance >= 1.0;
    if (!whole && (WordsOf(item->title) != WordsOf(article.title) ||
                   WordsOf(item->text) != WordsOf(article.text))) {
      continue;
    }
    ++stats_.duplicates;
    ++stats_.same_article;
    return true;
  }
  return false;
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
  if (expired_below_ != INT64_MIN && time - options_.window_seconds < expired_below_) ++stats_.late;
  const dedup::Document doc{article.source, article.title, article.text, time};
  dedup::Fingerprint fp = prepared ? engine_->MakeFingerprint(doc, std::move(*prepared))
                                   : engine_->MakeFingerprint(doc);
  dedup::Match match;
  std::optional<storage::StoryRecord> joined;
  if (Status s = FindStory(fp, &match, &joined); !s.ok()) return s;
  // The same feed under two ids (or renamed, or reached through a redirect to another
  // configured feed) brings its stored articles again under new item ids: not another copy.
  Result<bool> same = IsSameArticle(article, match, joined);
  if (!same) return same.error();
  if (*same) return Status::Ok();

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

Result<Reingested> Ingestor::Reingest(Article&& article, bool dry_run) {
  if (Status s = CheckFresh(); !s.ok()) return Err(s);
  // Staged in this batch: its newest version is already there. (Items of a group written in
  // the background are compared with what is stored: the write has finished or is the same.)
  if (pending_items_.count(article.id) != 0) return Reingested::kUnchanged;
  auto stored = archive_.GetItem(article.id);
  if (!stored) return Err(stored.error());
  if (!*stored) {
    auto seen = archive_.HasItem(article.id);  // removed by retention, still remembered
    if (!seen) return Err(seen.error());
    if (*seen) return Reingested::kUnchanged;
    if (dry_run) return Reingested::kAdded;
    if (Status s = Stage(std::move(article), nullptr); !s.ok()) return Err(s);
    return Reingested::kAdded;
  }
  const storage::ItemRecord& item = **stored;
  if (item.text != article.text &&
      !SameStory(item, article,
                 engine_->MakeFingerprint({article.source, article.title, article.text,
                                           EffectiveTime(item.published, item.arrived)}))) {
    // Another story under a reused guid, which the poll stored under an id of its own
    // (Correct): that item is the one to compare. (When there is none, the stored text was
    // unreadable, say, and this parse reads it anew: re-put.)
    const ItemId own = ReusedGuidId(article);
    auto reused = archive_.GetItem(own);
    if (!reused) return Err(reused.error());
    if (*reused) {
      article.id = own;
      return RePut(std::move(**reused), std::move(article), /*with_date=*/true, dry_run);
    }
    if (!item.reused_by.empty()) {
      // Words the newer parser reads otherwise: a version of the latest story under the guid,
      // or of an earlier one, which cannot be found; the first item is not written over.
      dedup::Fingerprint after;
      auto latest = LatestReuseOf(item, article, &after);
      if (!latest) return Err(latest.error());
      if (*latest) {
        article.id = (*latest)->id;
        return RePut(std::move(**latest), std::move(article), /*with_date=*/true, dry_run);
      }
      // Unless it is dated as the first story (whose stored text this parse reads anew).
      if (!article.published || article.published != item.published) {
        return Reingested::kUnchanged;
      }
    }
  }
  return RePut(std::move(**stored), std::move(article), /*with_date=*/true, dry_run);
}

Result<std::optional<storage::ItemRecord>> Ingestor::CurrentItem(const ItemId& id) {
  using Found = std::optional<storage::ItemRecord>;
  if (const storage::ItemRecord* writing = StagedItem(id)) return Found(*writing);
  return archive_.GetItem(id);
}

Result<std::optional<storage::ItemRecord>> Ingestor::LatestReuseOf(
    const storage::ItemRecord& guid_item, const Article& article, dedup::Fingerprint* after) {
  using Found = std::optional<storage::ItemRecord>;
  if (guid_item.reused_by.empty()) return Found();
  auto latest = CurrentItem(guid_item.reused_by);
  if (!latest) return Err(latest.error());
  if (!*latest) return Found();  // removed by retention
  const storage::ItemRecord& l = **latest;
  *after = engine_->MakeFingerprint(
      {article.source, article.title, article.text, EffectiveTime(l.published, l.arrived)});
  if (!SameStory(l, article, *after)) return Found();
  return std::move(*latest);
}

ItemId ReusedGuidId(const Article& article) {
  return MakeItemId(article.feed,
                    article.id + '\n' + WordsOf(article.title) + '\n' + WordsOf(article.text));
}

Result<Reingested> Ingestor::Correct(Article&& article) {
  if (Status s = CheckFresh(); !s.ok()) return Err(s);
  // The version being written by a background commit, if any, else the stored one.
  auto stored = pending_items_.count(article.id) == 0
                    ? CurrentItem(article.id)
                    : Result<std::optional<storage::ItemRecord>>(std::nullopt);
  if (!stored) return Err(stored.error());
  if (!*stored) {
    ++stats_.seen;
    ++stats_.duplicates;
    return Reingested::kUnchanged;  // staged in this batch: Stage's
  }
  storage::ItemRecord& item = **stored;
  // A version replaced lately, listed again by a mirror that lags (dated later: a revert).
  if (IsStale(item, article)) {
    ++stats_.seen;
    ++stats_.duplicates;
    return Reingested::kUnchanged;
  }
  // The new version as ingestion would sign it at the stored item's time: compared with the
  // stored one, then indexed beside it.
  const UnixSeconds time = EffectiveTime(item.published, item.arrived);
  const dedup::Fingerprint after =
      engine_->MakeFingerprint({article.source, article.title, article.text, time});
  if (!SameStory(item, article, after)) return CorrectReused(std::move(item), std::move(article));
  return CorrectItem(std::move(item), std::move(article), after);
}

Result<Reingested> Ingestor::CorrectReused(storage::ItemRecord&& guid_item, Article&& article) {
  // The guid reused for another story (a bulletin, a rate, a warning under one guid). Its
  // latest such story staged in this batch: that version is there already (the next poll
  // compares with it once it is committed).
  if (!guid_item.reused_by.empty() && pending_items_.count(guid_item.reused_by) != 0) {
    ++stats_.seen;
    ++stats_.duplicates;
    return Reingested::kUnchanged;
  }
  // Is this a version of the latest such story (its correction)?
  dedup::Fingerprint after;
  auto latest = LatestReuseOf(guid_item, article, &after);
  if (!latest) return Err(latest.error());
  if (*latest) {
    // The feed lists it as stored, but for markup (a tracking pixel's session id): as for an
    // item under its own guid (Daemon::ChangedAtSource), nothing to re-put.
    if (WordsOf((*latest)->title) == WordsOf(article.title) &&
        WordsOf((*latest)->text) == WordsOf(article.text)) {
      ++stats_.seen;
      ++stats_.duplicates;
      return Reingested::kUnchanged;
    }
    article.id = (*latest)->id;
    return CorrectItem(std::move(**latest), std::move(article), after);
  }
  // Else a new item of its own, named by the guid and its text (the same text again is the
  // same item), deduplicated as any; the stored one keeps its words and names it as the
  // latest story under its guid.
  const uint64_t before = staged_items();
  article.id = ReusedGuidId(article);
  const ItemId own = article.id;
  if (Status s = Stage(std::move(article), nullptr); !s.ok()) return Err(s);
  if (staged_items() == before) return Reingested::kUnchanged;  // stored before, or the same
  // (A feed that lists an earlier story under the guid again leaves the latest as it was, and
  // is not re-put at each poll.)
  guid_item.reused_by = own;
  pending_items_.emplace(guid_item.id, batch_.items().size());
  batch_.PutItem(std::move(guid_item));
  return Reingested::kAdded;
}

Reingested Ingestor::CorrectItem(storage::ItemRecord&& item, Article&& article,
                                 const dedup::Fingerprint& after) {
  ++stats_.seen;
  const ItemId id = item.id;
  const StoryId story = item.story;
  const bool has_text = !article.text.empty();
  const uint64_t replaced = VersionOf(item.title, item.text);
  const uint64_t version = VersionOf(article.title, article.text);
  const std::optional<UnixSeconds> published = article.published;
  const Reingested done =
      RePut(std::move(item), std::move(article), /*with_date=*/false, /*dry_run=*/false);
  if (done != Reingested::kUnchanged && replaced != version) {
    NoteReplaced(id, replaced, version, published);
  }
  if (done == Reingested::kUnchanged) {
    ++stats_.duplicates;
  } else if (has_text) {
    // Copies of the new version (a flash expanded into the story, a figure corrected) find it.
    StageIndexRecords(engine_->Reindex(id, story, after));
  }
  return done;
}

uint64_t VersionOf(std::string_view title, std::string_view text) {
  return std::hash<std::string>{}(WordsOf(title) + '\n' + WordsOf(text));
}

std::string WordsOf(std::string_view text) {
  std::string words = dedup::NormalizeForSearch(text);
  std::replace(words.begin(), words.end(), '\n', ' ');
  return words;
}

void Ingestor::NoteReplaced(const ItemId& id, uint64_t replaced, uint64_t current,
                            std::optional<UnixSeconds> published) {
  auto [it, added] = replaced_.try_emplace(id);
  if (added) {
    replaced_order_.push_back(id);
    if (replaced_order_.size() > kRememberedItems) {
      replaced_.erase(replaced_order_.front());
      replaced_order_.pop_front();
    }
  }
  std::vector<uint64_t>& versions = it->second.versions;
  std::erase(versions, current);  // (a revert's version is in force again, not replaced)
  if (std::find(versions.begin(), versions.end(), replaced) == versions.end()) {
    if (versions.size() >= kRememberedVersions) versions.erase(versions.begin());
    versions.push_back(replaced);
  }
  it->second.current_published = published;
}

bool Ingestor::IsStale(const storage::ItemRecord& item, const Article& article) const {
  const auto it = replaced_.find(item.id);
  if (it == replaced_.end()) return false;
  const std::vector<uint64_t>& versions = it->second.versions;
  if (std::find(versions.begin(), versions.end(), VersionOf(article.title, article.text)) ==
      versions.end()) {
    return false;
  }
  // Dated later than the version in force (whose date the item does not keep): a revert.
  std::optional<UnixSeconds> in_force = item.published;
  if (const auto& current = it->second.current_published;
      current && (!in_force || *current > *in_force)) {
    in_force = current;
  }
  return !(article.published && in_force && *article.published > *in_force);
}

namespace {

// `words` (WordsOf) without a leading update marker and its number ("update 2", "corrected",
// "обновлено"): Reuters' "UPDATE 1-" and "UPDATE 2-" head the same story.
std::string WithoutUpdateMarker(std::string words) {
  static constexpr std::string_view kMarkers[] = {
      "update",     "updated",  "updates",    "corrected",   "correction",
      "refile",     "rpt",      "обновлено",  "обновление",  "дополнено",
      "исправлено", "уточнено", "жанартылды", "толыктырылды"};
  for (std::string_view marker : kMarkers) {
    if (!words.starts_with(marker) ||
        (words.size() > marker.size() && words[marker.size()] != ' ')) {
      continue;
    }
    size_t end = std::min(words.size(), marker.size() + 1);
    size_t digits = end;
    while (digits < words.size() && words[digits] >= '0' && words[digits] <= '9') ++digits;
    if (digits > end && (digits == words.size() || words[digits] == ' ')) {
      end = std::min(words.size(), digits + 1);
    }
    return words.substr(end);
  }
  return words;
}

// True when one headline's words hold the other's whole, in order ("UPDATE: Former mayor
// arrested", "Former mayor arrested, charged with bribery" keep "Former mayor arrested"),
// an update marker left out of both ("UPDATE 1-" against "UPDATE 2-").
bool HeadlineKept(std::string_view a, std::string_view b) {
  const std::string x = ' ' + WithoutUpdateMarker(WordsOf(a)) + ' ',
                    y = ' ' + WithoutUpdateMarker(WordsOf(b)) + ' ';
  if (x.size() <= 2 || y.size() <= 2) return x == y;
  return x.find(y) != std::string::npos || y.find(x) != std::string::npos;
}

}  // namespace

bool Ingestor::SameStory(const storage::ItemRecord& stored, const Article& article,
                         const dedup::Fingerprint& after) const {
  if (stored.text.empty() || article.text.empty()) return true;  // a headline corrected
  // Both at the stored item's time: a correction is compared as if it had come with it.
  const dedup::Fingerprint before = engine_->MakeFingerprint(
      {stored.source, stored.title, stored.text, EffectiveTime(stored.published, stored.arrived)});
  const dedup::Explanation e = dedup::Explain(before, after, options_);
  using dedup::Verdict;
  if (e.accepted) return true;
  // The publisher's own item under its guid, grown with news above it ("UPDATE: ..."): the
  // same item, updated (new-opening tells another outlet's follow-up apart), when it keeps its
  // date or its headline (words added around it count: "UPDATE: ", ", charged with ..."); with
  // both new, another story under a reused guid (the verdict above the arrest).
  if (e.verdict == Verdict::kNewOpening) {
    return (stored.published && stored.published == article.published) ||
           HeadlineKept(stored.title, article.title);
  }
  // The words agree but a guard refused: other figures, names or days under the same words.
  // Under the same headline and date that is a correction (a toll, a tonnage, a rate, a day
  // put right); under another headline or date, the next report of a template (a daily rate
  // under one guid): another story.
  const bool guarded = e.verdict == Verdict::kNumbersDiffer ||
                       e.verdict == Verdict::kFiguresDiffer || e.verdict == Verdict::kNamesDiffer ||
                       e.verdict == Verdict::kOtherDates;
  // Undated, the two cannot be told from a template's next report (an undated daily rate under
  // one guid): another story, so that nothing is written over.
  return guarded && stored.published && stored.published == article.published &&
         WordsOf(stored.title) == WordsOf(article.title);
}

Reingested Ingestor::RePut(storage::ItemRecord&& item, Article&& article, bool with_date,
                           bool dry_run) {
  if (item.title == article.title && item.text == article.text && item.url == article.url &&
      (!with_date || item.published == article.published)) {
    return Reingested::kUnchanged;
  }
  if (!dry_run) {
    // Other words, link or date make a revision, which the archive sends to export cursors
    // again; markup alone (a tracking pixel, a session id) is re-put in place.
    const bool revision = item.url != article.url ||
                          (with_date && item.published != article.published) ||
                          WordsOf(item.title) != WordsOf(article.title) ||
                          WordsOf(item.text) != WordsOf(article.text);
    item.title = std::move(article.title);
    item.text = std::move(article.text);
    item.url = std::move(article.url);
    if (with_date) item.published = article.published;
    // When this version came (the fetch of a correction; a reparse's now), and always another
    // value than the stored one's.
    if (revision) item.revised = std::max(article.arrived, item.revised + 1);
    pending_items_.emplace(item.id, batch_.items().size());
    batch_.PutItem(std::move(item));
  }
  return Reingested::kUpdated;
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
  ClearPending();
  committing_.batch.Clear();
  committing_.items.clear();
  committing_.stories.clear();
  committing_.added = Added{};
  last_expiry_ = INT64_MIN;
  stored_ids_.reset();  // Restore decides again
}

}  // namespace newsd::daemon
