#include "dedup/minhash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>

namespace newsd::dedup {
namespace {

constexpr uint32_t kEmpty = 0xFFFFFFFFu;
constexpr int kBinBits = 7;  // 2^7 = kSignatureSize bins.
static_assert((size_t{1} << kBinBits) == kSignatureSize);
constexpr int kMaxProbes = 256;

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// The filled bin an empty bin `i` borrows from (at least one bin is filled).
size_t Donor(size_t i, const std::array<uint8_t, kSignatureSize>& filled) {
  for (int probe = 1; probe <= kMaxProbes; ++probe) {
    const size_t j = Mix((static_cast<uint64_t>(i) << 32) | probe) % kSignatureSize;
    if (filled[j]) return j;
  }
  for (size_t k = 1;; ++k) {  // Practically unreachable: fall back to a linear scan.
    if (filled[(i + k) % kSignatureSize]) return (i + k) % kSignatureSize;
  }
}

}  // namespace

Signature MinHashSignature(std::span<const uint64_t> shingles) {
  Signature sig;
  if (shingles.empty()) {
    sig.fill(0);
    return sig;
  }
  sig.fill(kEmpty);
  std::array<uint8_t, kSignatureSize> filled{};
  for (uint64_t h : shingles) {
    const size_t bin = h >> (64 - kBinBits);
    sig[bin] = std::min(sig[bin], static_cast<uint32_t>(h));
    filled[bin] = 1;
  }
  // Optimal densification: an empty bin borrows from the first filled bin of its own
  // pseudo-random probe sequence, so two sets with equal filled bins borrow alike.
  Signature dense = sig;
  for (size_t i = 0; i < kSignatureSize; ++i) {
    if (!filled[i]) dense[i] = sig[Donor(i, filled)];
  }
  return dense;
}

uint64_t BandKey(const Signature& signature, size_t band) {
  return XXH3_64bits_withSeed(signature.data() + band * kRowsPerBand,
                              kRowsPerBand * sizeof(uint32_t), band);
}

double EstimateResemblance(const Signature& a, const Signature& b) {
  size_t equal = 0;
  for (size_t i = 0; i < kSignatureSize; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / kSignatureSize;
}

}  // namespace newsd::dedup
