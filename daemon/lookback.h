#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/status.h"
#include "core/time.h"
#include "dedup/engine.h"
#include "storage/archive.h"

namespace newsd::daemon {

/// The Ingestor's look back into the archive: compares an article dated before what the dedup
/// index still holds (its days expired with the window: a feed added with a backlog, an old
/// article listed again, a pipe import out of order) with the archive's items of its days,
/// as ingestion compared them then: those items fingerprinted in time order into an index of
/// their own, which is kept for the next such articles of the same days (a backlog comes
/// together) and extended as they need other days.
///
/// An article staged after its days were read is not added here: the dedup index keeps every
/// item it is given until its next expiry, when the Ingestor lets go of all this holds too.
///
/// Not thread-safe: the Ingestor's thread only.
class ArchiveLookback {
 public:
  /// The most archived items held at once (about 300 bytes of RAM each, as the dedup index
  /// holds an item whole, so about 10 MB; reading and fingerprinting them holds the caller up
  /// 30-70 µs each, so one or two seconds at most): a busy desk's days hold more, and then those
  /// dated nearest the article are compared. Past it, what is held is let go of before other
  /// days are read.
  static constexpr size_t kMaxItems = 30'000;

  /// Calls its argument for each item staged and not yet written (the pending batch, the one
  /// being committed): read with the archive's, which does not have them yet.
  using StagedItems = std::function<void(const std::function<void(const storage::ItemRecord&)>&)>;

  /// `max_items`: kMaxItems but in tests.
  ArchiveLookback(storage::Archive& archive, dedup::Options options, StagedItems staged,
                  size_t max_items = kMaxItems);
  ~ArchiveLookback();
  ArchiveLookback(const ArchiveLookback&) = delete;
  ArchiveLookback& operator=(const ArchiveLookback&) = delete;

  /// What `doc` (dated doc.time) copies among the archive's items dated within its window and
  /// before `held_from` (the index holds the items from there on), as dedup::Engine::FindMatch
  /// decides; "new" when none, or when the index holds the whole window. Reads the items of
  /// days not held yet first (logged). Errors: the archive's, reading it.
  Result<dedup::Match> Find(const dedup::Document& doc, UnixSeconds held_from);

  /// Lets go of every item held (their memory); the next Find reads its days again.
  void Clear();

  struct Counts {
    uint64_t searches = 0;  ///< Find calls that compared with archived items.
    uint64_t copies = 0;    ///< Of them, copies found.
    uint64_t reads = 0;     ///< Times days were read from the archive.
    uint64_t items_read = 0;
    uint64_t items_left_out = 0;  ///< Over kMaxItems, not compared.
  };
  const Counts& counts() const { return counts_; }
  /// Items held now.
  size_t held() const { return held_; }

 private:
  /// First and last time, inclusive.
  using Span = std::pair<UnixSeconds, UnixSeconds>;
  /// Whether the items held serve an article dated `center` that needs the days of `needed`:
  /// all of them were read, or (when the items held reached max_items_) those within half the
  /// reach of the last read.
  bool Serves(Span needed, UnixSeconds center) const;
  /// Unless Serves(needed, center): reads the days of `wanted` (which holds `needed`) not read
  /// yet, beside those read already unless those hold max_items_; the items nearest `center`
  /// when more than max_items_.
  Status Cover(Span needed, Span wanted, UnixSeconds center);
  /// The days a Read holds whole (none when second < first); when it left items out, how far
  /// from its article it held every item.
  struct Held {
    UnixSeconds first = 0, second = 0;
    bool left_out = false;
    int64_t reach = 0;
  };
  /// The parts of [from, to] not read yet.
  std::vector<Span> Missing(UnixSeconds from, UnixSeconds to) const;
  /// Adds to *items (the archive's of [from, to], oldest first) the staged ones of those days
  /// it lacks, in order.
  void AddStaged(UnixSeconds from, UnixSeconds to, std::vector<storage::ItemRecord>* items) const;
  /// Reads the items of [from, to] (at most `limit`, nearest `center`) into the index.
  Result<Held> Read(UnixSeconds from, UnixSeconds to, UnixSeconds center, size_t limit);

  storage::Archive& archive_;
  dedup::Options options_;
  StagedItems staged_;
  size_t max_items_;
  std::unique_ptr<dedup::Engine> engine_;
  // The spans of days read (their items left out over kMaxItems included), disjoint: first
  // time → last time.
  std::map<UnixSeconds, UnixSeconds> read_;
  size_t held_ = 0;
  // How far from its article the last read anew held every item, when it left items out
  // (else 0): see Serves.
  int64_t reach_ = 0;
  Counts counts_;
};

}  // namespace newsd::daemon
