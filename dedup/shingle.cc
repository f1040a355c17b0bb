#include "dedup/shingle.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>

namespace newsd::dedup {
namespace {

// Below this size std::sort is as fast as the bucket pass.
constexpr size_t kBucketSortMin = 48;

constexpr uint64_t kC0 = 0x9E3779B97F4A7C15ULL, kC1 = 0xC2B2AE3D27D4EB4FULL,
                   kC2 = 0x165667B19E3779F9ULL, kC3 = 0xD6E8FEB86659FD93ULL;

uint64_t MixWords(uint64_t x) {
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93ULL;
  x ^= x >> 32;
  return x;
}

Shingle Top32(uint64_t h) { return static_cast<Shingle>(h >> 32); }

}  // namespace

void MakeShingles(std::span<const uint64_t> tokens, int k, std::vector<Shingle>* shingles) {
  if (tokens.empty()) return;
  const size_t width = static_cast<size_t>(std::max(k, 1));
  if (tokens.size() < width) {
    shingles->push_back(Top32(XXH3_64bits(tokens.data(), tokens.size() * sizeof(uint64_t))));
    return;
  }
  if (width != 4) {
    for (size_t i = 0; i + width <= tokens.size(); ++i) {
      shingles->push_back(Top32(XXH3_64bits(tokens.data() + i, width * sizeof(uint64_t))));
    }
    return;
  }
  // k = 4 (the default): token hashes are already uniform, so a multiply-add of the four with
  // distinct odd constants and one finalising mix is an order-sensitive hash of the window.
  const size_t n = tokens.size() - 3;
  const size_t at = shingles->size();
  shingles->resize(at + n);
  Shingle* out = shingles->data() + at;
  const uint64_t* t = tokens.data();
  for (size_t i = 0; i < n; ++i) {
    out[i] = Top32(MixWords(t[i] * kC0 + t[i + 1] * kC1 + t[i + 2] * kC2 + t[i + 3] * kC3));
  }
}

void SortUnique(std::vector<uint32_t>* values) {
  std::vector<uint32_t>& v = *values;
  const size_t n = v.size();
  if (n < kBucketSortMin) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return;
  }
  // Hashes are uniform: one counting pass on the top bits (about one bucket per value)
  // leaves buckets of a value or two, which an insertion sort finishes in linear time.
  const int bits = std::clamp(static_cast<int>(std::bit_width(n)) - 1, 4, 12);
  const int shift = 32 - bits;
  thread_local std::vector<uint32_t> start, buffer;
  start.assign((size_t{1} << bits) + 1, 0);
  buffer.resize(n);
  for (uint32_t x : v) ++start[(x >> shift) + 1];
  for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  for (uint32_t x : v) buffer[start[x >> shift]++] = x;
  // An insertion sort from the buffer back into v, which drops the duplicates as it goes: a
  // value equal to the last one not greater is one already there. (A sort in the buffer, then
  // a copy that dropped them, read and wrote each value once more.)
  const uint32_t* b = buffer.data();
  uint32_t* out = v.data();
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t x = b[i];
    size_t j = kept;
    for (; j > 0 && out[j - 1] > x; --j) out[j] = out[j - 1];
    if (j > 0 && out[j - 1] == x) [[unlikely]] {
      for (; j < kept; ++j) out[j] = out[j + 1];  // A duplicate: the gap closes again.
      continue;
    }
    out[j] = x;
    ++kept;
  }
  v.resize(kept);
}

void SortUnique(std::vector<uint64_t>* values) {
  std::sort(values->begin(), values->end());
  values->erase(std::unique(values->begin(), values->end()), values->end());
}

std::vector<Shingle> InTextOrder(std::span<const Shingle> ordered, std::span<const Shingle> set) {
  std::vector<Shingle> kept;
  kept.reserve(ordered.size());
  for (const Shingle s : ordered) {
    if (std::binary_search(set.begin(), set.end(), s)) kept.push_back(s);
  }
  return kept;
}

size_t IntersectionSize(std::span<const Shingle> a, std::span<const Shingle> b) {
  // Branch-free merge: hashes are random, so a compare-and-branch mispredicts half the time.
  size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    const Shingle x = a[i], y = b[j];
    n += x == y;
    i += x <= y;
    j += y <= x;
  }
  return n;
}

}  // namespace newsd::dedup
