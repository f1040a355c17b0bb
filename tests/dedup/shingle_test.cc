#include "dedup/shingle.h"

#include <gtest/gtest.h>

#include "dedup/normalize.h"

namespace newsd::dedup {
namespace {

std::vector<uint64_t> Shingles(std::string_view text, int k = 4) {
  TokenizedText t;
  Tokenize(text, &t);
  std::vector<uint64_t> s;
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

TEST(ShingleTest, OrderMatters) {
  EXPECT_NE(Shingles("a b c d"), Shingles("d c b a"));
  EXPECT_EQ(Shingles("A, b. C d!"), Shingles("a b c d"));
}

TEST(ShingleTest, SortUniqueAndIntersection) {
  std::vector<uint64_t> a = {5, 1, 3, 3, 9};
  SortUnique(&a);
  EXPECT_EQ(a, (std::vector<uint64_t>{1, 3, 5, 9}));
  std::vector<uint64_t> b = {3, 4, 9};
  EXPECT_EQ(IntersectionSize(a, b), 2u);
  EXPECT_EQ(IntersectionSize(a, {}), 0u);
}

}  // namespace
}  // namespace newsd::dedup
