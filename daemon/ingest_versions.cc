// New versions of stored items (daemon/ingest.h): Ingestor::Reingest (an article parsed again
// from a kept raw body) and Ingestor::Correct (a feed's item listed with other words), the
// re-put they share, and how two versions are compared (SameStory, WordsOf, VersionOf,
// ReusedGuidId). Stage and the commit are in daemon/ingest.cc.

#include <algorithm>
#include <functional>
#include <string>

#include "daemon/ingest.h"
#include "dedup/explain.h"
#include "dedup/normalize.h"

namespace newsd::daemon {

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
    if (dry_run) {  // as Stage would find it: stored under another item id is not added
      Result<bool> same = WouldBeSameArticle(article);
      if (!same) return Err(same.error());
      return *same ? Reingested::kUnchanged : Reingested::kAdded;
    }
    // Stage may find it stored under another item id (the same link and words): not added.
    const uint64_t before = staged_items();
    if (Status s = Stage(std::move(article), nullptr); !s.ok()) return Err(s);
    return staged_items() > before ? Reingested::kAdded : Reingested::kUnchanged;
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

}  // namespace newsd::daemon
