#include "dedup/shingle.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>

namespace newsd::dedup {
namespace {

// Below this size std::sort is as fast as the bucket pass.
constexpr size_t kRadixMin = 64;

}  // namespace

void MakeShingles(std::span<const uint64_t> tokens, int k, std::vector<uint64_t>* shingles) {
  if (tokens.empty()) return;
  const size_t width = static_cast<size_t>(std::max(k, 1));
  if (tokens.size() < width) {
    shingles->push_back(XXH3_64bits(tokens.data(), tokens.size() * sizeof(uint64_t)));
    return;
  }
  for (size_t i = 0; i + width <= tokens.size(); ++i) {
    shingles->push_back(XXH3_64bits(tokens.data() + i, width * sizeof(uint64_t)));
  }
}

void SortUnique(std::vector<uint64_t>* values) {
  std::vector<uint64_t>& v = *values;
  if (v.size() < kRadixMin) {
    std::sort(v.begin(), v.end());
  } else {
    // Shingle hashes are uniform: one counting pass on the top byte leaves buckets of about
    // n/256 values, which an insertion sort then finishes in near-linear time.
    thread_local std::vector<uint64_t> buffer;
    buffer.resize(v.size());
    std::array<uint32_t, 257> start{};
    for (uint64_t x : v) ++start[(x >> 56) + 1];
    for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    for (uint64_t x : v) buffer[start[x >> 56]++] = x;
    for (size_t i = 1; i < buffer.size(); ++i) {
      const uint64_t x = buffer[i];
      size_t j = i;
      for (; j > 0 && buffer[j - 1] > x; --j) buffer[j] = buffer[j - 1];
      buffer[j] = x;
    }
    v.swap(buffer);
  }
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

size_t IntersectionSize(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  // Branch-free merge: hashes are random, so a compare-and-branch mispredicts half the time.
  size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    const uint64_t x = a[i], y = b[j];
    n += x == y;
    i += x <= y;
    j += y <= x;
  }
  return n;
}

}  // namespace newsd::dedup
