#include "dedup/postings.h"

#include <algorithm>
#include <bit>

namespace newsd::dedup {
namespace {

constexpr size_t kMinBuckets = 16;

}  // namespace

Postings::Postings(size_t initial_buckets)
    : table_(std::max(kMinBuckets, std::bit_ceil(initial_buckets))) {
  nodes_.reserve(table_.size() / 2);  // About one posting per key: no regrowth while filling.
}

int64_t Postings::FindFragment(uint32_t fragment) const {
  const size_t mask = table_.size() - 1;
  for (size_t i = Home(fragment, mask);; i = (i + 1) & mask) {
    const Bucket& b = table_[i];
    if (b.head == kNil) return -1;
    if (b.fragment == fragment && Live(b)) return static_cast<int64_t>(i);
  }
}

uint32_t Postings::NewNode(uint32_t slot, uint32_t next) {
  ++live_postings_;
  if (free_node_ != kNil) {
    const uint32_t node = free_node_;
    free_node_ = nodes_[node].next;
    nodes_[node] = Node{slot, next};
    return node;
  }
  nodes_.push_back(Node{slot, next});
  return static_cast<uint32_t>(nodes_.size() - 1);
}

void Postings::Grow() {
  std::vector<Bucket> old;
  old.swap(table_);
  // Double only when live keys need it; otherwise rebuild to clear tombstones.
  const size_t size = live_keys_ * 2 >= old.size() / 2 ? old.size() * 2 : old.size();
  table_.assign(size, Bucket{});
  const size_t mask = size - 1;
  for (const Bucket& b : old) {
    if (!Live(b)) continue;
    size_t i = Home(b.fragment, mask);
    while (table_[i].head != kNil) i = (i + 1) & mask;
    table_[i] = b;
  }
  used_buckets_ = live_keys_;
}

void Postings::Add(uint64_t key, uint32_t slot) {
  if ((used_buckets_ + 1) * 5 > table_.size() * 3) Grow();
  // One probe run finds the key's bucket, or where to put it (the first tombstone on the way,
  // else the empty bucket that ends the run).
  const uint32_t fragment = Fragment(key);
  const size_t mask = table_.size() - 1;
  size_t reuse = table_.size();
  for (size_t i = Home(fragment, mask);; i = (i + 1) & mask) {
    Bucket& b = table_[i];
    if (b.head == kNil) {
      const size_t at = reuse < table_.size() ? reuse : i;
      if (at == i) ++used_buckets_;
      table_[at] = Bucket{fragment, NewNode(slot, kNil)};
      ++live_keys_;
      return;
    }
    if (b.head == kTombstone) {
      if (reuse == table_.size()) reuse = i;
    } else if (b.fragment == fragment) {
      b.head = NewNode(slot, b.head);
      return;
    }
  }
}

void Postings::RemoveFragment(uint32_t fragment, uint32_t slot) {
  const int64_t pos = FindFragment(fragment);
  if (pos < 0) return;
  Bucket& b = table_[pos];
  for (uint32_t* link = &b.head; *link != kNil; link = &nodes_[*link].next) {
    if (nodes_[*link].slot != slot) continue;
    const uint32_t node = *link;
    *link = nodes_[node].next;
    nodes_[node].next = free_node_;
    free_node_ = node;
    --live_postings_;
    break;
  }
  if (b.head == kNil) {
    b.head = kTombstone;
    --live_keys_;
  }
}

}  // namespace newsd::dedup
