#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace newsd::dedup {

/// A flat multimap from 64-bit keys to 32-bit item slots, for the LSH bands and the lead index:
/// an open-addressing table of keys (linear probing) whose values are chains of slots in one
/// node arena. No allocation per key or per posting once grown; removal unlinks a node
/// (O(chain length)) and recycles it. Not thread-safe for writers.
class Postings {
 public:
  /// `initial_buckets` (a power of two) sizes the key table; it grows as needed.
  explicit Postings(size_t initial_buckets = 1 << 16);

  void Add(uint64_t key, uint32_t slot);
  /// Removes one (key, slot) posting if present.
  void Remove(uint64_t key, uint32_t slot);

  /// Calls fn(slot) for up to `limit` postings of `key` (most recent first); returns the total
  /// number of postings visited.
  template <class Fn>
  size_t ForEach(uint64_t key, size_t limit, Fn&& fn) const {
    const int64_t pos = Find(key);
    if (pos < 0) return 0;
    size_t n = 0;
    for (uint32_t node = table_[pos].head; node != kNil && n < limit; node = nodes_[node].next) {
      fn(nodes_[node].slot);
      ++n;
    }
    return n;
  }

  /// Hints the CPU to load the home bucket of `key` (call a few lookups ahead).
  void Prefetch(uint64_t key) const { __builtin_prefetch(&table_[Home(key, table_.size() - 1)]); }

  size_t keys() const { return live_keys_; }

 private:
  static constexpr uint32_t kNil = 0xFFFFFFFFu;
  enum class State : uint8_t { kEmpty, kLive, kTombstone };
  struct Bucket {
    uint64_t key = 0;
    uint32_t head = kNil;
    State state = State::kEmpty;
  };
  struct Node {
    uint32_t slot;
    uint32_t next;
  };

  static size_t Home(uint64_t key, size_t mask) {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> 17) & mask;
  }
  int64_t Find(uint64_t key) const;
  void Grow();
  uint32_t NewNode(uint32_t slot, uint32_t next);

  std::vector<Bucket> table_;
  std::vector<Node> nodes_;
  uint32_t free_node_ = kNil;
  size_t live_keys_ = 0;
  size_t used_buckets_ = 0;  // Live plus tombstones.
};

}  // namespace newsd::dedup
