#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace newsd::dedup {

/// A filter of word hashes (HashToken) for a scan of every token of a text: MaybeIn is true
/// for each word added and false for most others (about one in 40 passes with 100 words), at
/// the cost of one bit of 4,096. Immutable once built; safe to read from any thread.
class WordFilter {
 public:
  void Add(uint64_t hash) {
    const uint64_t bit = Bit(hash);
    bits_[bit / 64] |= uint64_t{1} << (bit % 64);
  }
  /// Adds the words of `other`: one scan then serves both.
  void Merge(const WordFilter& other) {
    for (size_t i = 0; i < bits_.size(); ++i) bits_[i] |= other.bits_[i];
  }
  bool MaybeIn(uint64_t hash) const {
    const uint64_t bit = Bit(hash);
    return (bits_[bit / 64] >> (bit % 64) & 1) != 0;
  }
  /// Appends to *out the indices of the tokens MaybeIn passes, in order.
  void Scan(std::span<const uint64_t> tokens, std::vector<uint32_t>* out) const {
    for (size_t k = 0; k < tokens.size(); ++k) {
      if (MaybeIn(tokens[k])) out->push_back(static_cast<uint32_t>(k));
    }
  }

 private:
  static constexpr size_t kBits = 4096;
  static uint64_t Bit(uint64_t hash) { return (hash >> 20) % kBits; }
  std::array<uint64_t, kBits / 64> bits_{};
};

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
    filter_.Add(entry.hash);
    size_t i = entry.hash >> 56;
    while (slots_[i] != 0) i = (i + 1) % kSlots;
    slots_[i] = static_cast<uint8_t>(entries_.size());
  }
  /// False for most tokens not in the table, true for every one in it.
  bool MaybeIn(uint64_t hash) const { return filter_.MaybeIn(hash); }
  /// The filter MaybeIn asks, for a scan shared with other tables (WordFilter::Merge).
  const WordFilter& filter() const { return filter_; }
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
  std::vector<Entry> entries_;
  std::array<uint8_t, kSlots> slots_{};
  WordFilter filter_;
};

}  // namespace newsd::dedup
