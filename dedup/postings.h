#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

namespace newsd::dedup {

/// A flat multimap from 64-bit keys to 32-bit item slots, for the LSH bands and the lead index:
/// an open-addressing table of keys (linear probing in Robin Hood order, at most 7/8 full, so
/// a missing key's probe stops early and the table stays small). A key's only posting
/// lives in its bucket; a key with more has a chain of slots in one node arena. No allocation
/// per key or per posting once grown; removal unlinks a node (O(chain length)) and recycles it,
/// and a key left without postings leaves the table (backward-shift deletion: no tombstones,
/// so churn never grows or rebuilds the table). Slots must be below 2^31 - 1.
/// Not thread-safe for writers.
///
/// A bucket is 8 bytes: a 32-bit fragment of the (mixed) key, and the slot of its only posting
/// (tagged) or its chain's head. Most keys of an LSH band or a lead shingle have one posting
/// (an item seen once), which then costs no node and no second cache miss. Two keys whose
/// fragments are equal share one bucket, so a lookup may return a few extra slots (about one
/// in 2^32 lookups per probed key); callers verify their candidates anyway.
class Postings {
 public:
  /// `initial_buckets` (rounded up to a power of two) sizes the key table; it grows as needed.
  explicit Postings(size_t initial_buckets = 1 << 16);
  /// The initial_buckets that hold `keys` keys without growing.
  static size_t BucketsFor(size_t keys);

  void Add(uint64_t key, uint32_t slot);
  /// Removes one (key, slot) posting if present.
  void Remove(uint64_t key, uint32_t slot) { RemoveFragment(Fragment(key), slot); }
  /// Remove, given only the key's Fragment: all a caller must keep to remove its postings later
  /// (the table tells keys apart by their fragments alone).
  void RemoveFragment(uint32_t fragment, uint32_t slot);
  /// RemoveFragment for each of `fragments` (an item's keys), with the loads of their buckets
  /// and chains overlapped: each removal is about two cache misses, and the fragments of one
  /// item lie in unrelated parts of the table.
  void RemoveFragments(std::span<const uint32_t> fragments, uint32_t slot);
  /// The 32 bits of `key` the table stores and compares.
  static uint32_t Fragment(uint64_t key) {
    return static_cast<uint32_t>((key * 0x9E3779B97F4A7C15ULL) >> 32);
  }

  /// Calls fn(slot) for up to `limit` postings of `key` (most recent first); returns the total
  /// number of postings counted. When fn returns bool, only the postings it returns true for
  /// count towards `limit` (the others are skipped, e.g. items pending removal).
  template <class Fn>
  size_t ForEach(uint64_t key, size_t limit, Fn&& fn) const {
    const int64_t pos = Find(key);
    if (pos < 0 || limit == 0) return 0;
    const auto visit = [&fn](uint32_t slot) -> size_t {
      if constexpr (std::is_same_v<std::invoke_result_t<Fn&, uint32_t>, bool>) {
        return fn(slot) ? 1 : 0;
      } else {
        fn(slot);
        return 1;
      }
    };
    const uint32_t head = table_[pos].head;
    if (Single(head)) return visit(head & kSlotMask);
    size_t n = 0;
    for (uint32_t node = head; node != kNil && n < limit; node = nodes_[node].next) {
      n += visit(nodes_[node].slot);
    }
    return n;
  }

  /// Hints the CPU to load the home bucket of `key` (call a few lookups ahead).
  void Prefetch(uint64_t key) const {
    __builtin_prefetch(&table_[Home(Fragment(key), table_.size() - 1)]);
  }

  size_t keys() const { return live_keys_; }
  /// (key, slot) postings held.
  size_t postings() const { return live_postings_; }
  /// Heap bytes held (the key table and the node arena, free nodes included).
  size_t bytes() const {
    return table_.capacity() * sizeof(Bucket) + nodes_.capacity() * sizeof(Node);
  }

 private:
  static constexpr uint32_t kNil = 0xFFFFFFFFu;  // End of a chain; head of an empty bucket.
  // A non-empty bucket's head with this bit set is its only posting's slot (below kSlotMask,
  // so never kNil); without it, its chain's first node (chains have two nodes or more).
  static constexpr uint32_t kSingleTag = 0x80000000u;
  static constexpr uint32_t kSlotMask = 0x7FFFFFFFu;
  static bool Single(uint32_t head) { return head >= kSingleTag; }
  struct Bucket {
    uint32_t fragment = 0;
    uint32_t head = kNil;
  };
  struct Node {
    uint32_t slot;
    uint32_t next;
  };

  static size_t Home(uint32_t fragment, size_t mask) { return fragment & mask; }
  // A bucket's home, for the Robin Hood helpers.
  static auto HomeIn(size_t mask) {
    return [mask](const Bucket& b) { return Home(b.fragment, mask); };
  }
  static bool Empty(const Bucket& b) { return b.head == kNil; }
  int64_t Find(uint64_t key) const { return FindFragment(Fragment(key)); }
  int64_t FindFragment(uint32_t fragment) const;
  void Grow();
  // Removes posting (slot) of the bucket at `pos`: a chain left with one node is folded back
  // into the bucket, a bucket left without postings is erased.
  void Unlink(size_t pos, uint32_t slot);
  uint32_t NewNode(uint32_t slot, uint32_t next);
  void FreeNode(uint32_t node);

  std::vector<Bucket> table_;
  std::vector<Node> nodes_;
  uint32_t free_node_ = kNil;
  size_t live_keys_ = 0;
  size_t live_postings_ = 0;
};

}  // namespace newsd::dedup
