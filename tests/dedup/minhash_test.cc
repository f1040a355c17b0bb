#include "dedup/minhash.h"

#include <gtest/gtest.h>

#include <random>

namespace newsd::dedup {
namespace {

std::vector<uint64_t> RandomSet(std::mt19937_64& rng, size_t n) {
  std::vector<uint64_t> s(n);
  for (uint64_t& v : s) v = rng();
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
  for (uint64_t v : RandomSet(rng, 100)) a.push_back(v);
  for (uint64_t v : RandomSet(rng, 100)) b.push_back(v);
  // True Jaccard: 300 / 500 = 0.6.
  EXPECT_NEAR(EstimateResemblance(MinHashSignature(a), MinHashSignature(b)), 0.6, 0.12);
  auto c = RandomSet(rng, 400);
  EXPECT_LT(EstimateResemblance(MinHashSignature(a), MinHashSignature(c)), 0.1);
}

TEST(MinHashTest, DensificationFillsEveryBinOfSmallSets) {
  std::vector<uint64_t> one = {0x123456789abcdefULL};
  Signature sig = MinHashSignature(one);
  for (uint32_t v : sig) EXPECT_EQ(v, static_cast<uint32_t>(one[0]));
  std::mt19937_64 rng(3);
  auto small = RandomSet(rng, 5);
  auto small_sig = MinHashSignature(small);
  for (uint32_t v : small_sig) {
    bool from_set = false;
    for (uint64_t h : small) from_set |= v == static_cast<uint32_t>(h);
    EXPECT_TRUE(from_set);
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
