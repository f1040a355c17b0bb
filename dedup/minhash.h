#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "dedup/fingerprint.h"

namespace newsd::dedup {

inline constexpr size_t kRowsPerBand = kSignatureSize / kBands;  // 4

using Signature = std::array<uint32_t, kSignatureSize>;
using BandKeys = std::array<uint64_t, kBands>;

/// One-permutation MinHash of a set of shingle hashes, each mixed to 64 bits: the top 7 bits
/// pick one of the 128 bins, the low 32 bits are the value kept when smallest; empty bins are then
/// filled by optimal densification (Shrivastava 2017), so the result keeps the LSH property. One
/// pass over the shingles, no per-bin hashing. An empty set gives an all-zero signature.
Signature MinHashSignature(std::span<const Shingle> shingles);

/// The LSH key of band `band` (0..kBands-1): a hash of its kRowsPerBand values and the band.
uint64_t BandKey(const Signature& signature, size_t band);

/// BandKey of every band, in band order.
BandKeys AllBandKeys(const Signature& signature);

/// Estimated Jaccard resemblance: the share of equal signature slots.
double EstimateResemblance(const Signature& a, const Signature& b);

}  // namespace newsd::dedup
