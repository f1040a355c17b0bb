#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/article.h"
#include "core/status.h"
#include "daemon/background_worker.h"
#include "daemon/id_filter.h"
#include "daemon/lookback.h"
#include "dedup/engine.h"
#include "dedup/horizon.h"
#include "storage/archive.h"

namespace newsd::daemon {

/// The words of `text`, normalised as search compares them (markup, case and punctuation
/// aside), one space apart (markup may move a sentence's end: lines do not count). What a
/// correction must change (Ingestor::Correct).
std::string WordsOf(std::string_view text);
/// A hash of an article version's words (WordsOf its title and text): markup aside, the same
/// version hashes alike.
uint64_t VersionOf(std::string_view title, std::string_view text);

/// The id of an article whose feed reused a stored item's guid for another story
/// (Ingestor::Correct): named by the guid's id and its words, so the same text is the same item.
ItemId ReusedGuidId(const Article& article);

/// Counts of what ingestion did, for logs, STATUS and import summaries.
struct IngestStats {
  uint64_t seen = 0;        ///< Articles offered.
  uint64_t duplicates = 0;  ///< Already stored (same item id): skipped.
  /// Already stored under another item id (the same feed under two feed ids, or renamed): the
  /// same address and the same text as the copy it matched. Skipped, counted with duplicates.
  uint64_t same_article = 0;
  /// Stored: stories founded and items that joined one, counted once their commit succeeded
  /// (a failed commit stored none of them).
  uint64_t new_stories = 0;
  uint64_t copies = 0;
  uint64_t commits = 0;
  uint64_t candidates = 0;  ///< Candidates the dedup engine verified, over all articles.
  /// Articles dated so far before those staged earlier, or before the newest the archive's
  /// index held at Restore, that the index had already let go of items within their window:
  /// compared only with what it still held. Normal for a feed that brings back an old item; in
  /// an import, the file is not in time order, or older than what the archive holds.
  uint64_t late = 0;
  /// Late articles found to copy a story among the archive's items of their days, which the
  /// index had let go of (ArchiveLookback), counted when staged.
  uint64_t archive_copies = 0;
  /// Dedup index records Restore could not read (skipped: their items are not matched against).
  uint64_t unreadable_index_records = 0;
};

/// What Ingestor::Reingest did with an article parsed again.
enum class Reingested {
  kAdded,      ///< Not stored: staged like a new article (dedup decides its story).
  kUpdated,    ///< Stored with other fields: the new title, text, link and date are staged.
  kUnchanged,  ///< Stored as it is, staged already, or removed by retention and still seen.
};

/// The dedup → archive step shared by polling and import: stages articles into one pending
/// batch (match and index insert one at a time, invariant 2) and commits it all or nothing
/// together with the feed states given (invariant 1).
///
/// Not thread-safe: lives on the daemon's io_context (or the import's ingest thread); only
/// CommitInBackground runs work on a thread of its own, joined by the next commit call.
class Ingestor {
 public:
  Ingestor(storage::Archive& archive, dedup::Options options);

  /// Loads the dedup index from the archive's index families. Call once before Stage(), and
  /// again after a failed background commit (stale()). A record that cannot be read is
  /// skipped, counted and logged (one warning per call), not an error: the rest of the index
  /// still serves. Reads the archive for as long as the index is big (seconds at a million
  /// stories): the daemon runs it on a thread of its own, with nothing else using the ingestor
  /// meanwhile.
  Status Restore();

  /// A background commit failed (WaitCommitted) and the dedup index was emptied: Restore()
  /// must run before the next Stage() or Reingest(), which refuse until then.
  bool stale() const { return stale_; }

  /// Deduplicates `article` and adds it, its story update and its index records to the
  /// pending batch. Articles whose id is already stored or staged are skipped.
  Status Stage(const Article& article);

  /// Stage(article), taking the article's strings, with the text already tokenised:
  /// `prepared` (may be null) must come from dedup::Engine::Prepare(article.title, article.text)
  /// (or with the engine's options, which signs it too); it is taken (left empty). Lets a
  /// producer thread tokenise and sign while this thread matches (see Engine::Prepare).
  Status Stage(Article&& article, dedup::PreparedText* prepared);

  /// Re-ingests an article parsed again from a kept raw body (`newsctl reparse`): one never
  /// stored is staged like Stage(article); a stored one whose title, text, link or published
  /// date differ is re-put with the new ones, keeping its story, place and match (its
  /// fingerprint in the dedup index is not redone), revised at article.arrived (the archive
  /// then sends it to export cursors again: storage::ItemRecord::revised). A text that is no
  /// other version of the stored one (SameStory) is compared with the item the poll stored for
  /// it under a reused guid (ReusedGuidId), then with the latest such item
  /// (ItemRecord::reused_by), so a reparse does not overwrite an item with a later story the
  /// poll kept beside it; when the guid was reused and neither is a version of it, nothing is
  /// changed unless the article has the stored item's publication date; when the guid was
  /// never reused (the stored text was mangled, and this parse reads it anew), the stored item
  /// is re-put. Other markup alone
  /// is re-put in place, not revised. `dry_run` stages nothing, only answers.
  Result<Reingested> Reingest(Article&& article, bool dry_run);

  /// A stored item that its feed now lists with other words (a correction, a flash expanded
  /// into the full story): re-put with its title, text and link like Reingest, keeping its
  /// publication date (feeds that stamp every item with the time of the request would move
  /// it at each poll; a date-only change is none). When the new text is no other version of
  /// the stored one (SameStory: a guid reused for another bulletin), it is compared with the
  /// latest other story stored under the guid (ItemRecord::reused_by) and re-put over it when
  /// it is a version of that one (a correction of the bulletin); else staged as a new item
  /// (kAdded), id ReusedGuidId(article), which the stored item then names as the latest; the
  /// stored one's words are left. A title-only item (or
  /// one that lost its text) is corrected in place: there is no text to compare. An article neither
  /// stored nor staged is left to Stage (kUnchanged). A corrected text is indexed beside the first
  /// version (dedup::Engine::Reindex), so that copies of the new version find the item.
  /// A version that a correction replaced while this ingestor ran, listed again (a CDN node
  /// or mirror behind the others, serving the old text between polls of the new) is stale:
  /// kUnchanged, nothing re-put, unless dated later than the stored one (a publisher's own
  /// revert). The last kRememberedItems items corrected are remembered, their last
  /// kRememberedVersions replaced versions each (memory only: after a restart the first such
  /// flip counts once more).
  Result<Reingested> Correct(Article&& article);
  static constexpr size_t kRememberedItems = 4096;
  static constexpr size_t kRememberedVersions = 4;
  /// The resemblance at least of a refused candidate under the same link that JoinSamePage
  /// takes for another version of its page (a page rewritten more is another article).
  static constexpr double kSamePageResemblance = 0.8;

  /// Adds a feed's raw response body (storage::Archive::PackRawBody) to the pending batch.
  void StageRawBody(storage::PackedRawBody raw) { batch_.PutRawBody(std::move(raw)); }

  /// Adds a feed's new state to the pending batch.
  void StageFeed(storage::FeedState state);
  /// Adds a host's politeness counters to the next commit.
  void StageHost(storage::HostStats host);

  /// Commits the pending batch (after waiting for a background commit in flight). On failure
  /// of either nothing was written and the dedup index is rebuilt from the archive before it
  /// returns, so the next attempt starts from what is stored.
  Status Commit();

  /// Like Commit, but writes the batch on a background thread, so that the caller stages the
  /// next batch meanwhile (the import's pipeline: one commit in flight, in order). First waits
  /// for the previous background commit (WaitCommitted) and returns its error, if any; then
  /// nothing staged since is written and the ingestor is stale() until Restore(). Articles of the
  /// batch being written stay visible to Stage (a repeated id is skipped, a copy joins their story)
  /// until it is stored. Thread-safety as the class: the background thread only reads the batch and
  /// calls Archive::Commit, so the archive must allow reads concurrent with a commit (RocksArchive
  /// and the fake do).
  Status CommitInBackground();
  /// CommitInBackground, then calls `on_written` on the background thread once the batch is
  /// written (or failed): it must only hand over to the caller's thread (post to its
  /// io_context), which then calls WaitCommitted to learn the result without blocking.
  Status CommitInBackground(std::function<void()> on_written);

  /// A background commit is in flight (CommitInBackground called, WaitCommitted not yet).
  bool committing() const { return committing_.done.valid(); }

  /// Waits for the commit CommitInBackground started, if any, and returns its status; on
  /// failure nothing staged is kept and the dedup index is emptied: stale() until the caller
  /// runs Restore() (where it likes: the daemon does so off its event loop). OK when none is
  /// in flight.
  /// The destructor waits too (without reporting: call this to know).
  Status WaitCommitted();

  /// Articles staged since the last commit.
  size_t pending() const { return pending_items_.size(); }

  /// Sizes the pending batch for `articles` articles per commit (a hint; saves regrowing).
  void Reserve(size_t articles);

  const IngestStats& stats() const { return stats_; }
  /// The index has let go of the items dated before this (INT64_MIN: of none): an article
  /// whose window reaches below it is compared with the archive's items as well.
  UnixSeconds expired_below() const { return expired_below_; }
  /// Items staged since the last commit started (new stories plus copies), not yet written.
  uint64_t staged_items() const { return staged_.new_stories + staged_.copies; }
  /// Of staged_items(), those that joined a story already stored or staged (copies).
  uint64_t staged_copies() const { return staged_.copies; }
  const dedup::Engine& engine() const { return *engine_; }
  /// What late articles were compared with in the archive (IngestStats::archive_copies).
  const ArchiveLookback& lookback() const { return lookback_; }

 private:
  /// Correct and Reingest: whether `article` (signed as `after` at the stored item's time) is
  /// another version of `stored`: a copy of it by the dedup engine's rules, or one whose
  /// figures or names the guards refuse under the same headline and the same publication date,
  /// both given (a correction of a figure). Otherwise the guid was reused for another story.
  bool SameStory(const storage::ItemRecord& stored, const Article& article,
                 const dedup::Fingerprint& after) const;
  /// Adds the dedup engine's records to the pending batch.
  void StageIndexRecords(std::vector<dedup::Record>&& records);
  /// Reingest and Correct: re-puts stored `item` with the article's title, text and link, and
  /// its date too when `with_date`, unless they are the same (kUnchanged).
  Reingested RePut(storage::ItemRecord&& item, Article&& article, bool with_date, bool dry_run);
  /// Correct's re-put of stored `item` with its new version `article` (signed as `after` at the
  /// item's time), indexed beside the first version.
  Reingested CorrectItem(storage::ItemRecord&& item, Article&& article,
                         const dedup::Fingerprint& after);
  /// Correct for an article that is no other version of stored `guid_item`, its guid's first
  /// item: a correction of the latest other story under the guid (`guid_item.reused_by`) when
  /// it is a version of that, else a new item (ReusedGuidId), which `guid_item` then names.
  Result<Reingested> CorrectReused(storage::ItemRecord&& guid_item, Article&& article);
  /// Item `id` as it will be once the batches staged are written: the pending batch's or the
  /// background commit's version, else the stored one.
  Result<std::optional<storage::ItemRecord>> CurrentItem(const ItemId& id);
  /// The item of the latest other story under `guid_item`'s guid, when stored and `article` is
  /// a version of it (SameStory at that item's time, `*after` set to that signature).
  Result<std::optional<storage::ItemRecord>> LatestReuseOf(const storage::ItemRecord& guid_item,
                                                           const Article& article,
                                                           dedup::Fingerprint* after);

  /// A story being updated in the pending batch; `is_new` when founded in it.
  struct PendingStory {
    storage::StoryRecord record;
    bool is_new = false;
  };

  /// What a batch adds to the archive, counted into stats_ once it is stored.
  struct Added {
    uint64_t new_stories = 0;
    uint64_t copies = 0;
  };

  /// The batch a background commit is writing (CommitInBackground), with its lookups.
  struct Committing {
    storage::Batch batch;
    Added added;
    uint64_t inserted = 0;                        // dedup::Engine::Inserted() when it was taken
    std::unordered_map<ItemId, size_t> items;     // id → index in batch.items()
    std::unordered_map<StoryId, size_t> stories;  // id → index in batch.stories()
    std::future<Status> done;                     // of the job on commit_thread_
  };

  /// The engine's inserts up to `inserted` are committed (dedup::Engine::MarkCommitted).
  void MarkCommitted(uint64_t inserted);
  /// An empty dedup engine that reads cold items' sets back from the archive.
  std::unique_ptr<dedup::Engine> NewEngine() const;
  /// Whether item `id` is staged or stored already (counted as a duplicate).
  Result<bool> IsDuplicate(const ItemId& id);
  /// Whether `article`'s link and whole text (match.resemblance 1, or the same words: a
  /// resemblance below 1 can be lines its source's later items made boilerplate) are those of
  /// the item `match` joins, or of the canonical item of the story it joins (`joined`): the
  /// same article under another item id (Stage counts it as a duplicate).
  Result<bool> IsSameArticle(const Article& article, const dedup::Match& match,
                             const std::optional<storage::StoryRecord>& joined);
  /// The story `fp` (of `doc`) joins: the index's match, and for a late article not matched
  /// there, the archive's items of its days (FindArchivedStory).
  Status FindStoryOf(const dedup::Document& doc, const dedup::Fingerprint& fp, bool late,
                     dedup::Match* match, std::optional<storage::StoryRecord>* joined);
  /// What Stage would find of `article` (not stored under its own id): stored under another
  /// item id (IsSameArticle). Stages nothing: a dry run's answer.
  Result<bool> WouldBeSameArticle(const Article& article);
  /// Whether an article at `time` has a window reaching below what the index holds.
  bool IsLate(UnixSeconds time) const {
    return expired_below_ != INT64_MIN && time - options_.window_seconds < expired_below_;
  }
  /// An article the index matched as new (`match`) that is another version of the page its
  /// nearest refused candidate is (Match::refused_item: the same link and the same publication
  /// time, resemblance at least kSamePageResemblance; refused for a figure a correction
  /// changed, say) joins that
  /// candidate's story (Path::kSamePage): a page corrected before its first feed saw it again
  /// would otherwise found a second story of itself.
  Status JoinSamePage(const Article& article, dedup::Match* match,
                      std::optional<storage::StoryRecord>* joined);
  /// Matches `fp` against the dedup index: a copy's story is loaded into *joined (a copy of a
  /// story retention removed is matched as new).
  Status FindStory(const dedup::Fingerprint& fp, dedup::Match* match,
                   std::optional<storage::StoryRecord>* joined);
  /// Calls `fn` for each item in the batch being committed, then in the pending batch.
  void ForEachStagedItem(const std::function<void(const storage::ItemRecord&)>& fn) const;
  /// A late article (`doc`, matched as new by the index) compared with the archive's items of
  /// its days the index let go of (lookback_): when a copy, *match and *joined are set.
  Status FindArchivedStory(const dedup::Document& doc, dedup::Match* match,
                           std::optional<storage::StoryRecord>* joined);
  /// `item` (dated `time`) joins story `joined` (id `joined_id`) as a copy, in *story.
  Status JoinStory(const storage::ItemRecord& item, const StoryId& joined_id, UnixSeconds time,
                   storage::StoryRecord&& joined, PendingStory* story);
  /// Moves the time that expiry follows on to an item staged at `time`.
  void ObserveTime(UnixSeconds time, bool dated);
  /// The story as staged or stored; nullopt when it is not stored (retention removed it).
  Result<std::optional<storage::StoryRecord>> LoadStory(const StoryId& id);
  /// Moves the pending stories into batch_ (before a commit).
  void StageStories();
  /// After a failed commit: drops everything staged and empties the index (stale()).
  void DropAfterFailure();
  /// Refuses work on an emptied index (stale()).
  Status CheckFresh() const;
  /// Counts a stored batch into stats_ and its items into stored_ids_.
  void Count(const Added& stored, const storage::Batch& batch);
  Status UpdateCanonical(storage::StoryRecord& story, const storage::ItemRecord& item);
  /// The staged record of item `id` (pending, or in the batch being committed); null when
  /// neither.
  const storage::ItemRecord* StagedItem(const ItemId& id) const;
  void ExpireOld(UnixSeconds newest);
  void ClearPending();
  void Reset();

  storage::Archive& archive_;
  dedup::Options options_;
  std::unique_ptr<dedup::Engine> engine_;
  ArchiveLookback lookback_;  // for late articles; after options_
  storage::Batch batch_;
  // Staged item id → its index in batch_.items().
  std::unordered_map<ItemId, size_t> pending_items_;
  /// Correct: hashes of the versions replaced lately, by item (see Correct), and the items in
  /// the order they were first remembered (the oldest forgotten first).
  struct Replaced {
    std::vector<uint64_t> versions;
    /// The date the version in force came with (the stored item keeps its first date).
    std::optional<UnixSeconds> current_published;
  };
  std::unordered_map<ItemId, Replaced> replaced_;
  std::deque<ItemId> replaced_order_;
  /// Item `id`'s version `replaced` was replaced by `current`, which came dated `published`.
  void NoteReplaced(const ItemId& id, uint64_t replaced, uint64_t current,
                    std::optional<UnixSeconds> published);
  /// True when `article` (for stored `item`) is a version replaced lately and not dated later
  /// than the version in force.
  bool IsStale(const storage::ItemRecord& item, const Article& article) const;
  std::map<StoryId, PendingStory> pending_stories_;
  dedup::TimeHorizon horizon_;  // Item time that expiry follows.
  bool saw_dated_ = false;      // From the first dated item on, only dated items move it.
  UnixSeconds last_expiry_ = INT64_MIN;
  UnixSeconds expired_below_ = INT64_MIN;  // the index let go of items dated before this
  bool stale_ = false;  // a background commit failed: Restore() before staging again
  IngestStats stats_;
  // Set by Restore when the archive held no item id: then the ids stored since (by this
  // ingestor, the archive's one writer) are the only ones, and IsDuplicate looks up in the
  // archive only the ids this filter may hold: two RocksDB reads an article saved (an import's
  // only ones; a poll's parse pool still asks the archive once, ahead). Dropped
  // past a few million ids (kMaxFilteredIds), so that a daemon's memory stays bounded.
  std::optional<IdFilter> stored_ids_;
  Added staged_;  // what batch_ adds
  Committing committing_;
  // Last: destroyed first, it finishes a commit under way (which writes committing_.batch).
  BackgroundWorker commit_thread_;
};

}  // namespace newsd::daemon
