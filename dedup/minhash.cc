#include "dedup/minhash.h"

#include <algorithm>
#include <array>

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

// The first probes of each bin's pseudo-random sequence, computed once (Mix is the costly
// part of densifying a short document, whose bins are mostly empty).
constexpr int kCachedProbes = 16;
struct ProbeTable {
  std::array<std::array<uint8_t, kCachedProbes>, kSignatureSize> bins;
  ProbeTable() {
    for (size_t i = 0; i < kSignatureSize; ++i) {
      for (int probe = 1; probe <= kCachedProbes; ++probe) {
        bins[i][probe - 1] =
            static_cast<uint8_t>(Mix((static_cast<uint64_t>(i) << 32) | probe) % kSignatureSize);
      }
    }
  }
};

// The filled bin an empty bin `i` borrows from (at least one bin is filled).
size_t Donor(size_t i, const std::array<uint8_t, kSignatureSize>& filled) {
  static const ProbeTable kTable;
  for (uint8_t j : kTable.bins[i]) {
    if (filled[j]) return j;
  }
  for (int probe = kCachedProbes + 1; probe <= kMaxProbes; ++probe) {
    const size_t j = Mix((static_cast<uint64_t>(i) << 32) | probe) % kSignatureSize;
    if (filled[j]) return j;
  }
  for (size_t k = 1;; ++k) {  // Practically unreachable: fall back to a linear scan.
    if (filled[(i + k) % kSignatureSize]) return (i + k) % kSignatureSize;
  }
}

}  // namespace

Signature MinHashSignature(std::span<const Shingle> shingles) {
  Signature sig;
  if (shingles.empty()) {
    sig.fill(0);
    return sig;
  }
  sig.fill(kEmpty);
  std::array<uint8_t, kSignatureSize> filled{};
  for (Shingle s : shingles) {
    const uint64_t h = Mix(s);
    const size_t bin = h >> (64 - kBinBits);
    sig[bin] = std::min(sig[bin], static_cast<uint32_t>(h));
    filled[bin] = 1;
  }
  // Optimal densification: an empty bin borrows from the first filled bin of its own
  // pseudo-random probe sequence, so two sets with equal filled bins borrow alike. Donors are
  // filled bins, which this loop never writes, so it can work in place.
  for (size_t i = 0; i < kSignatureSize; ++i) {
    if (!filled[i]) sig[i] = sig[Donor(i, filled)];
  }
  return sig;
}

uint64_t BandKey(const Signature& signature, size_t band) {
  static_assert(kRowsPerBand == 4);
  const uint32_t* rows = signature.data() + band * kRowsPerBand;
  const uint64_t lo = (uint64_t{rows[1]} << 32) | rows[0];
  const uint64_t hi = (uint64_t{rows[3]} << 32) | rows[2];
  return Mix(lo * 0x9E3779B97F4A7C15ULL + hi * 0xC2B2AE3D27D4EB4FULL + band);
}

BandKeys AllBandKeys(const Signature& signature) {
  BandKeys keys;
  for (size_t band = 0; band < kBands; ++band) keys[band] = BandKey(signature, band);
  return keys;
}

double EstimateResemblance(const Signature& a, const Signature& b) {
  size_t equal = 0;
  for (size_t i = 0; i < kSignatureSize; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / kSignatureSize;
}

}  // namespace newsd::dedup
