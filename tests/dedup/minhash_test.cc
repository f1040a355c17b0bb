#include "dedup/minhash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace newsd::dedup {
namespace {

std::vector<uint32_t> RandomSet(std::mt19937_64& rng, size_t n) {
  std::vector<uint32_t> s(n);
  for (uint32_t& v : s) v = static_cast<uint32_t>(rng());
  return s;
}

TEST(MinHashTest, SameSetSameSignature) {
  std::mt19937_64 rng(1);
  auto s = RandomSet(rng, 200);
  EXPECT_EQ(MinHashSignature(s), MinHashSignature(s));
  auto shuffled = s;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  EXPECT_EQ(MinHashSignature(s), MinHashSignature(shuffled));
}

TEST(MinHashTest, EstimatesResemblance) {
  std::mt19937_64 rng(2);
  auto common = RandomSet(rng, 300);
  auto a = common, b = common;
  for (uint32_t v : RandomSet(rng, 100)) a.push_back(v);
  for (uint32_t v : RandomSet(rng, 100)) b.push_back(v);
  // True Jaccard: 300 / 500 = 0.6.
  EXPECT_NEAR(EstimateResemblance(MinHashSignature(a), MinHashSignature(b)), 0.6, 0.12);
  auto c = RandomSet(rng, 400);
  EXPECT_LT(EstimateResemblance(MinHashSignature(a), MinHashSignature(c)), 0.1);
}

TEST(MinHashTest, DensificationFillsEveryBinOfSmallSets) {
  // A one-element set: every bin borrows the single filled bin's value.
  std::vector<uint32_t> one = {0x89abcdefU};
  Signature sig = MinHashSignature(one);
  for (uint32_t v : sig) EXPECT_EQ(v, sig[0]);
  // A small set: every bin holds the value of one of its members.
  std::mt19937_64 rng(3);
  auto small = RandomSet(rng, 5);
  std::vector<uint32_t> member_values;
  for (uint32_t h : small) member_values.push_back(MinHashSignature(std::vector<uint32_t>{h})[0]);
  for (uint32_t v : MinHashSignature(small)) {
    EXPECT_NE(std::find(member_values.begin(), member_values.end(), v), member_values.end());
  }
}

// Optimal densification spelled out the slow way: the bin of a shingle and its kept value
// come from the 64-bit mix below (MurmurHash3's finaliser, as in minhash.cc); an empty bin i
// borrows from the first filled bin among Mix(i << 32 | probe) % 128 for probe = 1..256, then
// among i+1, i+2, ... The engine precomputes that order; this checks it against the definition.
uint64_t ReferenceMix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

Signature ReferenceSignature(const std::vector<uint32_t>& set) {
  Signature sig;
  sig.fill(0xFFFFFFFFu);
  std::vector<bool> filled(kSignatureSize);
  for (uint32_t s : set) {
    const uint64_t h = ReferenceMix(s);
    const size_t bin = h >> 57;
    sig[bin] = std::min(sig[bin], static_cast<uint32_t>(h));
    filled[bin] = true;
  }
  Signature out = sig;
  for (size_t i = 0; i < kSignatureSize; ++i) {
    if (filled[i]) continue;
    size_t donor = kSignatureSize;
    for (uint64_t probe = 1; probe <= 256 && donor == kSignatureSize; ++probe) {
      const size_t j = ReferenceMix((static_cast<uint64_t>(i) << 32) | probe) % kSignatureSize;
      if (filled[j]) donor = j;
    }
    for (size_t k = 1; donor == kSignatureSize; ++k) {
      if (filled[(i + k) % kSignatureSize]) donor = (i + k) % kSignatureSize;
    }
    out[i] = sig[donor];
  }
  return out;
}

TEST(MinHashTest, DensificationFollowsEachBinsProbeSequence) {
  std::mt19937_64 rng(5);
  // Sizes from one shingle (nearly every bin borrows, some only after the 256 probes) to many
  // (a few empty bins), through the sizes where the engine changes how it looks for donors.
  for (size_t n = 1; n <= 400; n += (n < 64 ? 1 : 7)) {
    for (int round = 0; round < 3; ++round) {
      const auto set = RandomSet(rng, n);
      ASSERT_EQ(MinHashSignature(set), ReferenceSignature(set)) << n << " shingles";
    }
  }
}

TEST(MinHashTest, SimilarSetsShareABand) {
  std::mt19937_64 rng(4);
  auto a = RandomSet(rng, 200);
  auto b = a;
  b.resize(180);
  const Signature sa = MinHashSignature(a), sb = MinHashSignature(b);
  size_t shared = 0;
  for (size_t band = 0; band < kBands; ++band) shared += BandKey(sa, band) == BandKey(sb, band);
  EXPECT_GT(shared, 0u);
}

}  // namespace
}  // namespace newsd::dedup
