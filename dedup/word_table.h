#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace newsd::dedup {

/// A small fixed set of words (HashToken hashes, at most kMaxEntries), each with an Entry (a
/// struct with a `hash` member), for a scan of every token of a text: MaybeIn rejects most
/// other tokens with one bit of a 4,096-bit filter (about one in 40 passes with 100 words),
/// Find looks the rest up in an open-addressed table of 256 slots, at most two thirds full.
/// Immutable once built; safe to read from any thread.
template <class Entry>
class WordTable {
 public:
  static constexpr size_t kMaxEntries = 170;
  void Add(Entry entry) {
    if (entries_.size() >= kMaxEntries) throw std::length_error("WordTable: too many words");
    entries_.push_back(entry);
    const uint64_t bit = FilterBit(entry.hash);
    filter_[bit / 64] |= uint64_t{1} << (bit % 64);
    size_t i = entry.hash >> 56;
    while (slots_[i] != 0) i = (i + 1) % kSlots;
    slots_[i] = static_cast<uint8_t>(entries_.size());
  }
  /// False for most tokens not in the table, true for every one in it.
  bool MaybeIn(uint64_t hash) const {
    const uint64_t bit = FilterBit(hash);
    return (filter_[bit / 64] >> (bit % 64) & 1) != 0;
  }
  /// The entry of word `hash`, or null.
  const Entry* Find(uint64_t hash) const {
    for (size_t i = hash >> 56;; i = (i + 1) % kSlots) {
      const uint8_t at = slots_[i];
      if (at == 0) return nullptr;
      if (entries_[at - 1].hash == hash) return &entries_[at - 1];
    }
  }

 private:
  static constexpr size_t kSlots = 256;  // 1 + index into entries_, 0 for none
  static constexpr size_t kFilterBits = 4096;
  static uint64_t FilterBit(uint64_t hash) { return (hash >> 20) % kFilterBits; }
  std::vector<Entry> entries_;
  std::array<uint8_t, kSlots> slots_{};
  std::array<uint64_t, kFilterBits / 64> filter_{};
};

}  // namespace newsd::dedup
