#include "dedup/minhash.h"

#include <algorithm>
#include <array>
#include <bit>

namespace newsd::dedup {
namespace {

constexpr uint32_t kEmpty = 0xFFFFFFFFu;
constexpr int kBinBits = 7;  // 2^7 = kSignatureSize bins.
static_assert((size_t{1} << kBinBits) == kSignatureSize);
constexpr int kMaxProbes = 256;

// MurmurHash3's 64-bit finalizer.
uint64_t Fmix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// Bin i's donors in the order optimal densification tries them: the bins of its pseudo-random
// probe sequence Fmix64(i << 32 | probe) % kSignatureSize for probe = 1..kMaxProbes (first
// occurrence counts), then every other bin in order i+1, i+2, ... (wrapping). An empty bin
// borrows from the first filled one. Computed once, so densifying never hashes.
constexpr int kFirstProbes = 8;  // Looked at first when many bins are filled.
constexpr int kFewFilled = 24;   // Up to this many filled bins: pick the best-ranked one.
struct DonorTable {
  // (rank of j among i's donors) * kSignatureSize + j: the smallest over the filled bins j
  // names the donor. Ranks are 1..kMaxProbes + kSignatureSize, so this fits 16 bits.
  std::array<std::array<uint16_t, kSignatureSize>, kSignatureSize> order;
  std::array<std::array<uint8_t, kFirstProbes>, kSignatureSize> first;  // Probes 1..kFirstProbes.
  DonorTable() {
    for (size_t i = 0; i < kSignatureSize; ++i) {
      std::array<uint16_t, kSignatureSize> rank;
      for (size_t j = 0; j < kSignatureSize; ++j) {
        rank[j] = static_cast<uint16_t>(kMaxProbes + (j + kSignatureSize - i) % kSignatureSize);
      }
      for (int probe = kMaxProbes; probe >= 1; --probe) {  // Backwards: first occurrence wins.
        const size_t j = Fmix64((static_cast<uint64_t>(i) << 32) | probe) % kSignatureSize;
        rank[j] = static_cast<uint16_t>(probe);
        if (probe <= kFirstProbes) first[i][probe - 1] = static_cast<uint8_t>(j);
      }
      for (size_t j = 0; j < kSignatureSize; ++j) {
        order[i][j] = static_cast<uint16_t>(rank[j] * kSignatureSize + j);
      }
    }
  }
};
static_assert((kMaxProbes + kSignatureSize) * kSignatureSize <= 0xFFFF);

using BinMask = std::array<uint64_t, kSignatureSize / 64>;

// Whether each bin is filled, a byte each (0 or 1): a probe's test is one load, where a bit
// of a BinMask cost five instructions.
using FilledBins = std::array<uint8_t, kSignatureSize>;

// The donor of empty bin `i`, given the filled bins: `filled` lists them (`count` of them),
// `is_filled` tells them.
size_t Donor(const DonorTable& table, size_t i, const FilledBins& is_filled, const uint8_t* filled,
             size_t count) {
  if (count > kFewFilled) {  // Many bins filled: usually one of the first probes is.
    // Without a branch per probe: which of them are filled, at once.
    const uint8_t* probes = table.first[i].data();
    uint32_t hits = 0;
    for (int k = 0; k < kFirstProbes; ++k) hits |= uint32_t{is_filled[probes[k]]} << k;
    if (hits != 0) return probes[std::countr_zero(hits)];
  }
  uint16_t best = 0xFFFF;  // Few filled bins (or no luck): the best-ranked of them.
  for (size_t k = 0; k < count; ++k) best = std::min(best, table.order[i][filled[k]]);
  return best % kSignatureSize;
}

}  // namespace

Signature MinHashSignature(std::span<const Shingle> shingles) {
  Signature sig;
  if (shingles.empty()) {
    sig.fill(0);
    return sig;
  }
  sig.fill(kEmpty);
  BinMask mask{};
  for (Shingle s : shingles) {
    const uint64_t h = Fmix64(s);
    const size_t bin = h >> (64 - kBinBits);
    sig[bin] = std::min(sig[bin], static_cast<uint32_t>(h));
    mask[bin / 64] |= uint64_t{1} << (bin % 64);
  }
  // Optimal densification: an empty bin borrows from the first filled bin of its own
  // pseudo-random probe sequence, so two sets with equal filled bins borrow alike. Donors are
  // filled bins, which this loop never writes, so it can work in place.
  static const DonorTable kTable;
  uint8_t filled[kSignatureSize];
  FilledBins is_filled{};
  size_t count = 0;
  for (size_t word = 0; word < mask.size(); ++word) {
    for (uint64_t bits = mask[word]; bits != 0; bits &= bits - 1) {
      const auto bin = static_cast<uint8_t>(word * 64 + std::countr_zero(bits));
      filled[count++] = bin;
      is_filled[bin] = 1;
    }
  }
  for (size_t word = 0; word < mask.size(); ++word) {
    for (uint64_t bits = ~mask[word]; bits != 0; bits &= bits - 1) {
      const size_t i = word * 64 + std::countr_zero(bits);
      sig[i] = sig[Donor(kTable, i, is_filled, filled, count)];
    }
  }
  return sig;
}

uint64_t BandKey(const Signature& signature, size_t band) {
  static_assert(kRowsPerBand == 4);
  const uint32_t* rows = signature.data() + band * kRowsPerBand;
  const uint64_t lo = (uint64_t{rows[1]} << 32) | rows[0];
  const uint64_t hi = (uint64_t{rows[3]} << 32) | rows[2];
  return Fmix64(lo * 0x9E3779B97F4A7C15ULL + hi * 0xC2B2AE3D27D4EB4FULL + band);
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
