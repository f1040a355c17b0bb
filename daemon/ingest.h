#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "core/article.h"
#include "core/status.h"
#include "dedup/engine.h"
#include "storage/archive.h"

namespace newsd::daemon {

/// Counts of what ingestion did, for logs, STATUS and import summaries.
struct IngestStats {
  uint64_t seen = 0;        ///< Articles offered.
  uint64_t duplicates = 0;  ///< Already stored (same item id): skipped.
  uint64_t new_stories = 0;
  uint64_t copies = 0;  ///< Joined an existing story.
  uint64_t commits = 0;
};

/// The dedup → archive step shared by polling and import: stages articles into one pending
/// batch (match and index insert one at a time, invariant 2) and commits it all or nothing
/// together with the feed states given (invariant 1).
///
/// Not thread-safe: lives on the daemon's io_context (or the import's single thread).
class Ingestor {
 public:
  Ingestor(storage::Archive& archive, dedup::Options options);

  /// Loads the dedup index from the archive's index families. Call once before Stage().
  Status Restore();

  /// Deduplicates `article` and adds it, its story update and its index records to the
  /// pending batch. Articles whose id is already stored or staged are skipped.
  Status Stage(const Article& article);

  /// Stage(article), taking the article's strings, with the text already tokenised:
  /// `prepared` (may be null) must come from dedup::Engine::Prepare(article.title, article.text).
  /// Lets a producer thread tokenise while this thread matches (see Engine::Prepare).
  Status Stage(Article&& article, const dedup::PreparedText* prepared);

  /// Adds a feed's new state to the pending batch.
  void StageFeed(storage::FeedState state);

  /// Commits the pending batch. On failure nothing was written and the dedup index is
  /// rebuilt from the archive, so the next attempt starts from what is stored.
  Status Commit();

  /// Articles staged since the last commit.
  size_t pending() const { return pending_items_.size(); }

  /// Sizes the pending batch for `articles` articles per commit (a hint; saves regrowing).
  void Reserve(size_t articles);

  const IngestStats& stats() const { return stats_; }
  const dedup::Engine& engine() const { return *engine_; }

 private:
  /// A story being updated in the pending batch; `is_new` when founded in it.
  struct PendingStory {
    storage::StoryRecord record;
    bool is_new = false;
  };

  Result<storage::StoryRecord> LoadStory(const StoryId& id);
  Status UpdateCanonical(storage::StoryRecord& story, const storage::ItemRecord& item);
  /// The staged record of item `id`; null when not staged.
  const storage::ItemRecord* StagedItem(const ItemId& id) const;
  void ExpireOld(UnixSeconds newest);
  void ClearPending();
  void Reset();

  storage::Archive& archive_;
  dedup::Options options_;
  std::unique_ptr<dedup::Engine> engine_;
  storage::Batch batch_;
  // Staged item id → its index in batch_.items().
  std::unordered_map<ItemId, size_t> pending_items_;
  std::map<StoryId, PendingStory> pending_stories_;
  UnixSeconds newest_time_ = INT64_MIN;
  UnixSeconds last_expiry_ = INT64_MIN;
  IngestStats stats_;
};

}  // namespace newsd::daemon
