#include "dedup/postings.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>

#include "dedup/linear_probing.h"

namespace newsd::dedup {
namespace {

constexpr size_t kMinTableBuckets = 16;
// Removals whose loads RemoveFragments overlaps: an item's 32 band keys or 16 lead shingles.
constexpr size_t kBatch = 32;
// Robin Hood probing keeps lookups short up to 7/8 full (a miss stops at the first key nearer
// its home than the probe has come).
constexpr size_t kMaxLoadNumerator = 7, kMaxLoadDenominator = 8;

}  // namespace

Postings::Postings(size_t initial_buckets)
    : table_(std::max(kMinTableBuckets, std::bit_ceil(initial_buckets))) {
  // Nodes hold only the postings of keys with several: a few for each key.
  nodes_.reserve(table_.size() / 8);
}

size_t Postings::BucketsFor(size_t keys) {
  return keys * kMaxLoadDenominator / kMaxLoadNumerator + 1;
}

int64_t Postings::FindFragment(uint32_t fragment) const {
  const size_t mask = table_.size() - 1;
  return RobinHoodFind(table_, Home(fragment, mask), &Empty, HomeIn(mask),
                       [fragment](const Bucket& b) { return b.fragment == fragment; });
}

uint32_t Postings::NewNode(uint32_t slot, uint32_t next) {
  if (free_node_ != kNil) {
    const uint32_t node = free_node_;
    free_node_ = nodes_[node].next;
    nodes_[node] = Node{slot, next};
    return node;
  }
  nodes_.push_back(Node{slot, next});
  return static_cast<uint32_t>(nodes_.size() - 1);
}

void Postings::FreeNode(uint32_t node) {
  nodes_[node].next = free_node_;
  free_node_ = node;
}

void Postings::Grow() {
  std::vector<Bucket> old(table_.size() * 2);
  old.swap(table_);
  for (const Bucket& b : old) {
    if (!Empty(b)) RobinHoodPlace(table_, b, &Empty, HomeIn(table_.size() - 1));
  }
}

void Postings::Add(uint64_t key, uint32_t slot) {
  assert(slot < kSlotMask);
  if ((live_keys_ + 1) * kMaxLoadDenominator > table_.size() * kMaxLoadNumerator) Grow();
  ++live_postings_;
  const uint32_t fragment = Fragment(key);
  const size_t mask = table_.size() - 1;
  const RobinHoodProbe probe =
      RobinHoodSeek(table_, Home(fragment, mask), &Empty, HomeIn(mask),
                    [fragment](const Bucket& b) { return b.fragment == fragment; });
  if (!probe.found) {
    RobinHoodPlaceAt(table_, Bucket{fragment, slot | kSingleTag}, probe, &Empty, HomeIn(mask));
    ++live_keys_;
    return;
  }
  // Most recent first: the new slot heads the chain.
  Bucket& b = table_[probe.index];
  const uint32_t rest = Single(b.head) ? NewNode(b.head & kSlotMask, kNil) : b.head;
  b.head = NewNode(slot, rest);
}

void Postings::RemoveFragment(uint32_t fragment, uint32_t slot) {
  const int64_t pos = FindFragment(fragment);
  if (pos >= 0) Unlink(static_cast<size_t>(pos), slot);
}

void Postings::RemoveFragments(std::span<const uint32_t> fragments, uint32_t slot) {
  while (fragments.size() > kBatch) {
    RemoveFragments(fragments.first(kBatch), slot);
    fragments = fragments.subspan(kBatch);
  }
  const size_t mask = table_.size() - 1;
  for (uint32_t fragment : fragments) __builtin_prefetch(&table_[Home(fragment, mask)]);
  std::array<int64_t, kBatch> pos;
  for (size_t i = 0; i < fragments.size(); ++i) {
    pos[i] = FindFragment(fragments[i]);
    if (pos[i] >= 0 && !Single(table_[pos[i]].head)) {
      __builtin_prefetch(&nodes_[table_[pos[i]].head]);
    }
  }
  for (size_t i = 0; i < fragments.size(); ++i) {
    if (pos[i] < 0) continue;
    // An earlier erase in this batch may have shifted the bucket back, or erased it (two
    // equal fragments); a fragment has one bucket at most, so a match where it was is it.
    const Bucket& b = table_[pos[i]];
    if (Empty(b) || b.fragment != fragments[i]) pos[i] = FindFragment(fragments[i]);
    if (pos[i] >= 0) Unlink(static_cast<size_t>(pos[i]), slot);
  }
}

void Postings::Unlink(size_t pos, uint32_t slot) {
  Bucket& b = table_[pos];
  if (Single(b.head)) {
    if ((b.head & kSlotMask) != slot) return;
    b.head = kNil;
  } else {
    uint32_t* link = &b.head;
    while (*link != kNil && nodes_[*link].slot != slot) link = &nodes_[*link].next;
    if (*link == kNil) return;
    const uint32_t node = *link;
    *link = nodes_[node].next;
    FreeNode(node);
    if (b.head != kNil && nodes_[b.head].next == kNil) {  // One left: back into the bucket.
      const uint32_t last = b.head;
      b.head = nodes_[last].slot | kSingleTag;
      FreeNode(last);
    }
  }
  --live_postings_;
  if (Empty(b)) {
    RobinHoodErase(table_, pos, &Empty, HomeIn(table_.size() - 1));
    --live_keys_;
  }
}

}  // namespace newsd::dedup
