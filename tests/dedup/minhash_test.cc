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
