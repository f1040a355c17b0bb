#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "dedup/engine.h"
#include "dedup/options.h"

namespace newsd::dedup {

/// Per-source counters of normalised lines, to learn boilerplate (footers, navigation headers,
/// "subscribe" lines): a line seen in at least boilerplate_min_items items of distinct content
/// from one source, each within boilerplate_window_seconds of the previous sighting, is
/// boilerplate for that source. Content, not stories: while a footer is not yet learned, it can
/// make short items that share it one story, and a count of stories would then never learn it.
/// Counters are persisted as "dedup_boilerplate" records keyed by EncodeBucket(bucket of last
/// sighting) + source hash + line hash, so expiry is a range drop. Not thread-safe for writers;
/// const methods may run concurrently with each other.
class BoilerplateModel {
 public:
  explicit BoilerplateModel(const Options& options);

  /// What the counters say of `line` of `source` for a document of time `time`.
  struct LineState {
    bool boilerplate = false;  ///< Learned boilerplate.
    /// Not learned yet, but the source used the line within the window; last_content is the
    /// content hash (Observe's `content`) of the last item that did. A footer or header of a
    /// source too new to have learned it, or a line an update repeats, unless that hash is
    /// the new item's own (a resend).
    bool pending = false;
    uint64_t last_content = 0;
  };
  LineState Look(uint64_t source, uint64_t line, UnixSeconds time) const;

  /// True when `line` is learned boilerplate of `source` for a document of time `time`.
  bool IsBoilerplate(uint64_t source, uint64_t line, UnixSeconds time) const {
    return Look(source, line, time).boilerplate;
  }

  /// Counts one item's line (call once per distinct line of the item) and appends the records
  /// that persist the change (a put, and an erase when the key's time bucket moved; none when
  /// `records` is null). `content` identifies the item's text (a hash of its shingles): a
  /// resent item does not count again.
  void Observe(uint64_t source, uint64_t line, UnixSeconds time, uint64_t content,
               std::vector<Record>* records);

  /// Loads one persisted counter; false when malformed.
  bool Restore(std::string_view key, std::string_view value);

  /// Forgets counters last seen before the bucket of `cutoff`; returns the range to drop.
  RangeDrop Expire(UnixSeconds cutoff);

  size_t size() const { return size_; }

  /// The keys (LearnedKey) of the lines learned as boilerplate (a count of boilerplate_min_items or
  /// more, whatever the time), sorted; `learned_version` changes whenever they do.
  const std::vector<uint64_t>& learned() const { return learned_; }
  uint64_t learned_version() const { return learned_version_; }
  /// The key of `line` of `source` in learned().
  static uint64_t LearnedKey(uint64_t source, uint64_t line) { return MapKey(source, line); }

 private:
  struct Counter {
    uint64_t source = 0, line = 0;
    uint64_t last_content = 0;
    UnixSeconds last_seen = 0;
    uint32_t count = 0;
  };
  // One open-addressing (linear probing) cell; count == 0 marks it empty.
  struct Cell {
    uint64_t key = 0;
    Counter counter;
  };
  static uint64_t MapKey(uint64_t source, uint64_t line);
  std::string Key(const Counter& c) const;
  static std::string Value(const Counter& c);
  const Counter* Find(uint64_t key) const;
  /// The counter of `key`, inserting an empty one (count 0) when absent.
  Counter& FindOrAdd(uint64_t key);
  void Rebuild(size_t cells);
  size_t Home(uint64_t key) const;
  /// Empties cell `hole`, shifting later cells of its probe run back.
  void EraseAt(size_t hole);
  /// Keeps learned() in step with a counter of `key` going from count `before` to `after`.
  void NoteCount(uint64_t key, uint32_t before, uint32_t after);

  const Options& options_;
  std::vector<Cell> cells_;  // Power-of-two size, at most half full.
  size_t size_ = 0;
  std::vector<uint64_t> learned_;  // sorted keys of the counters at boilerplate_min_items
  uint64_t learned_version_ = 0;
};

/// xxh3 of a source name (the boilerplate model keys sources by it).
uint64_t HashSource(std::string_view source);

}  // namespace newsd::dedup
