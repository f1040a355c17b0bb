#include "daemon/id_filter.h"

#include <gtest/gtest.h>

#include <string>

namespace newsd::daemon {
namespace {

TEST(IdFilterTest, NeverSaysNoToAnAddedIdAndRarelyMaybeToAnother) {
  IdFilter filter;
  EXPECT_FALSE(filter.MayContain("a"));
  constexpr int kIds = 300000;  // past the first levels' capacity: the filter grows
  for (int i = 0; i < kIds; ++i) filter.Add("https://example.com/news/" + std::to_string(i));
  EXPECT_EQ(filter.size(), static_cast<size_t>(kIds));
  for (int i = 0; i < kIds; ++i) {
    ASSERT_TRUE(filter.MayContain("https://example.com/news/" + std::to_string(i))) << i;
  }
  int maybe = 0;
  for (int i = 0; i < kIds; ++i) {
    maybe += filter.MayContain("https://example.com/other/" + std::to_string(i)) ? 1 : 0;
  }
  EXPECT_LT(maybe, kIds / 20);  // about 1 % a level; 3 levels here
}

}  // namespace
}  // namespace newsd::daemon
