#include "dedup/shingle.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "dedup/normalize.h"

namespace newsd::dedup {
namespace {

std::vector<Shingle> Shingles(std::string_view text, int k = 4) {
  TokenizedText t;
  Tokenize(text, &t);
  std::vector<Shingle> s;
  MakeShingles(t.tokens, k, &s);
  return s;
}

TEST(ShingleTest, CountsWordKShingles) {
  EXPECT_EQ(Shingles("a b c d e f").size(), 3u);
  EXPECT_EQ(Shingles("a b c d").size(), 1u);
}

TEST(ShingleTest, ShortTextGetsOneWholeTextShingle) {
  EXPECT_EQ(Shingles("a b").size(), 1u);
  EXPECT_NE(Shingles("a b"), Shingles("a c"));
  EXPECT_TRUE(Shingles("").empty());
}

TEST(ShingleTest, SortUniqueSortsLargeSets) {
  std::vector<Shingle> v;
  for (uint32_t i = 0; i < 1000; ++i) v.push_back((i * 2654435761U) ^ (i % 7 == 0 ? 0 : 1));
  v.push_back(v[10]);  // A duplicate.
  SortUnique(&v);
  EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
  EXPECT_EQ(std::adjacent_find(v.begin(), v.end()), v.end());
  EXPECT_EQ(v.size(), 1000u);
}

TEST(ShingleTest, SortUniqueOfLargeSetsMatchesSortAndUnique) {
  for (uint32_t distinct : {1u, 3u, 60u, 500u}) {
    std::vector<Shingle> v;
    for (uint32_t i = 0; i < 600; ++i) v.push_back((i % distinct) * 2654435761U);
    std::vector<Shingle> expected = v;
    std::sort(expected.begin(), expected.end());
    expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
    SortUnique(&v);
    EXPECT_EQ(v, expected) << distinct;
  }
}

TEST(ShingleTest, OrderMatters) {
  EXPECT_NE(Shingles("a b c d"), Shingles("d c b a"));
  EXPECT_EQ(Shingles("A, b. C d!"), Shingles("a b c d"));
}

TEST(ShingleTest, SortUniqueAndIntersection) {
  std::vector<Shingle> a = {5, 1, 3, 3, 9};
  SortUnique(&a);
  EXPECT_EQ(a, (std::vector<Shingle>{1, 3, 5, 9}));
  std::vector<Shingle> b = {3, 4, 9};
  EXPECT_EQ(IntersectionSize(a, b), 2u);
  EXPECT_EQ(IntersectionSize(a, {}), 0u);
}

}  // namespace
}  // namespace newsd::dedup
