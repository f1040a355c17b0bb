#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
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
/// sighting) + source hash, so expiry is a range drop. A line's first sighting shares one record
/// with the item's other new lines (key + first new line hash + 'I'; value = time, content hash,
/// the lines: most counted lines are seen once, and one record an item keeps commits cheap); a
/// later sighting gives the line a record of its own (key + line hash; value = count, last
/// seen, content hash), which supersedes the shared one at Restore. Not thread-safe for
/// writers; const methods may run concurrently with each other.
class BoilerplateModel {
 public:
  explicit BoilerplateModel(const Options& options);

  /// What the counters say of `line` of `source` for a document of time `time`.
  struct LineState {
    bool boilerplate = false;  ///< Learned boilerplate.
    /// Not learned yet, but the source used the line within the window; last_content is the
    /// content hash (Observe's `content`) of the last item that did. A footer or header of a
    /// source too new to have learned it, or a line an update repeats, unless that hash is
    /// the new item's own (a resend): compare ContentTag of that hash.
    bool pending = false;
    uint64_t last_content = 0;
  };
  /// The part of a content hash the counters keep, and LineState::last_content holds.
  static uint64_t ContentTag(uint64_t content) { return content & kContentMask; }
  LineState Look(uint64_t source, uint64_t line, UnixSeconds time) const;

  /// True when `line` is learned boilerplate of `source` for a document of time `time`.
  bool IsBoilerplate(uint64_t source, uint64_t line, UnixSeconds time) const {
    return Look(source, line, time).boilerplate;
  }

  /// Counts one item's distinct `lines` and appends the records that persist the change (none
  /// when `records` is null): one shared put for the lines seen for the first time, and for
  /// each other line a put of its own record (plus an erase when that record's bucket moved).
  /// `content` identifies the item's text (a hash of its shingles): a resent item does not
  /// count again.
  void Observe(uint64_t source, std::span<const uint64_t> lines, UnixSeconds time, uint64_t content,
               std::vector<Record>* records);
  void Observe(uint64_t source, uint64_t line, UnixSeconds time, uint64_t content,
               std::vector<Record>* records) {
    Observe(source, std::span<const uint64_t>(&line, 1), time, content, records);
  }

  /// Loads one persisted record (a line's own, or an item's first sightings), in any order;
  /// false when malformed.
  bool Restore(std::string_view key, std::string_view value);

  /// Forgets counters last seen before the bucket of `cutoff`; returns the range to drop.
  RangeDrop Expire(UnixSeconds cutoff);

  size_t size() const { return size_; }
  /// Heap bytes held (the counter table and the learned keys).
  size_t bytes() const {
    return cells_.capacity() * sizeof(Counter) + learned_.capacity() * sizeof(uint64_t) +
           sources_.capacity() * sizeof(uint64_t) + source_index_.size() * 32;
  }

  /// The keys (LearnedKey) of the lines learned as boilerplate (a count of boilerplate_min_items or
  /// more, whatever the time), sorted; `learned_version` changes whenever they do.
  const std::vector<uint64_t>& learned() const { return learned_; }
  uint64_t learned_version() const { return learned_version_; }
  /// The key of `line` of `source` in learned().
  static uint64_t LearnedKey(uint64_t source, uint64_t line) { return MapKey(source, line); }
  /// Sources counted at most: lines of sources first seen after that many are not counted.
  static constexpr uint32_t kMaxSources = 1u << 20;

 private:
  // A line's counter, as the table holds it (one open-addressing cell, Robin Hood probing;
  // count 0 marks an empty cell): 16 bytes. The line keeps the low 40 bits of its hash (two
  // lines of one source in one window share them about once in 10^4 years of a busy source),
  // the last content the low 24 bits of its hash (only ever compared for equality), the time
  // whole minutes, and the source its index in sources_.
  struct Counter {
    uint64_t line_content = 0;  // LineBits(line) << 24 | ContentTag(content)
    int32_t minutes = 0;        // Of the last sighting, floored.
    uint32_t source : 20 = 0;
    uint32_t count : 11 = 0;
    uint32_t own_record : 1 = 0;  // Persisted by a record of its own, not an item's shared one.

    uint64_t line() const { return line_content >> 24; }
    uint64_t content() const { return line_content & kContentMask; }
    UnixSeconds last_seen() const { return UnixSeconds{minutes} * 60; }
    void set_line(uint64_t line) { line_content = LineBits(line) << 24 | content(); }
    void set_content(uint64_t content) {
      line_content = (line_content & ~kContentMask) | ContentTag(content);
    }
    void set_last_seen(UnixSeconds time) { minutes = Minutes(time); }
  };
  static_assert(sizeof(Counter) == 16, "a counter per counted line of the window");
  static constexpr uint64_t kContentMask = (uint64_t{1} << 24) - 1;
  static constexpr uint64_t kLineMask = (uint64_t{1} << 40) - 1;
  static constexpr uint32_t kMaxCount = (1u << 11) - 1;
  static uint64_t LineBits(uint64_t line) { return line & kLineMask; }
  static int32_t Minutes(UnixSeconds time);
  static uint64_t MapKey(uint64_t source, uint64_t line);
  uint64_t MapKey(const Counter& c) const { return MapKey(sources_[c.source], c.line()); }
  static bool Empty(const Counter& c) { return c.count == 0; }
  auto CellHome() const {
    return [this](const Counter& c) { return Home(MapKey(c)); };
  }
  /// The index of source hash `source` in sources_, added when new; kMaxSources when full.
  uint32_t SourceIndex(uint64_t source);
  std::string Key(const Counter& c) const;
  static std::string Value(const Counter& c);
  /// The shared record of the lines an item of `time` and `content` sees first, holding
  /// `first` (the others are appended to its value).
  Record ItemRecord(uint64_t source, uint64_t first, UnixSeconds time, uint64_t content) const;
  /// Counts a sighting of a known counter `c`; appends its own record's put (and erase).
  void Count(Counter& c, UnixSeconds time, uint64_t content, std::vector<Record>* records);
  /// Restore of a line's own record, or of an item's shared one.
  bool RestoreOwn(std::string_view key, std::string_view value);
  bool RestoreItem(std::string_view key, std::string_view value);
  /// Sets a restored counter unless the table holds a later state of it.
  void Merge(const Counter& c);
  const Counter* Find(uint64_t source, uint64_t line) const;
  /// The counter of `line` of source index `source`, inserting an empty one (count 0, only
  /// its line and source set) when absent.
  Counter& FindOrAdd(uint32_t source, uint64_t line);
  void Rebuild(size_t cells);
  size_t Home(uint64_t key) const;
  /// Empties cell `hole`, shifting later cells of its probe run back.
  void EraseAt(size_t hole);
  /// Keeps learned() in step with a counter of `key` going from count `before` to `after`.
  void NoteCount(uint64_t key, uint32_t before, uint32_t after);

  const Options& options_;
  std::vector<Counter> cells_;     // Power-of-two size, at most 7/8 full.
  std::vector<uint64_t> sources_;  // Source hashes by index (a few hundred; never shrinks).
  std::unordered_map<uint64_t, uint32_t> source_index_;
  size_t size_ = 0;
  std::vector<uint64_t> learned_;  // sorted keys of the counters at boilerplate_min_items
  uint64_t learned_version_ = 0;
};

/// xxh3 of a source name (the boilerplate model keys sources by it).
uint64_t HashSource(std::string_view source);

}  // namespace newsd::dedup
