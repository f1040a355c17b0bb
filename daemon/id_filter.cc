#include "daemon/id_filter.h"

#include "core/hash.h"

namespace newsd::daemon {
namespace {

constexpr size_t kFirstCapacity = size_t{1} << 16;  // ids; 80 KiB
constexpr int kProbes = 6;  // bits set per id (about optimal for 10 bits an id in a block)
constexpr size_t kBitsPerId = 10;

// The probes' bit numbers within a block (0..511), nine bits each from the hash's upper bits.
template <class Fn>
void ForEachProbe(uint64_t hash, Fn&& fn) {
  uint64_t bits = hash >> 10;
  for (int k = 0; k < kProbes; ++k, bits >>= 9) fn(static_cast<unsigned>(bits & 511));
}

}  // namespace

bool IdFilter::Test(const Level& level, uint64_t hash) {
  const Block& block = level.blocks[hash % level.blocks.size()];
  bool all = true;
  ForEachProbe(hash, [&](unsigned bit) { all &= ((block[bit / 64] >> (bit % 64)) & 1) != 0; });
  return all;
}

void IdFilter::Set(Level* level, uint64_t hash) {
  Block& block = level->blocks[hash % level->blocks.size()];
  ForEachProbe(hash, [&](unsigned bit) { block[bit / 64] |= uint64_t{1} << (bit % 64); });
  ++level->count;
}

void IdFilter::Add(std::string_view id) {
  if (levels_.empty() || levels_.back().count >= levels_.back().capacity) {
    Level next;
    next.capacity = levels_.empty() ? kFirstCapacity : 2 * levels_.back().capacity;
    next.blocks.assign(next.capacity * kBitsPerId / (kWordsPerBlock * 64) + 1, Block{});
    levels_.push_back(std::move(next));
  }
  Set(&levels_.back(), Hash64(id));
  ++count_;
}

bool IdFilter::MayContain(std::string_view id) const {
  if (levels_.empty()) return false;
  const uint64_t hash = Hash64(id);
  for (const Level& level : levels_) {
    if (Test(level, hash)) return true;
  }
  return false;
}

}  // namespace newsd::daemon
