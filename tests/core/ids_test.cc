#include "core/ids.h"

#include <gtest/gtest.h>

namespace newsd {
namespace {

TEST(IdsTest, ItemIdsAreStableAndFeedScoped) {
  EXPECT_EQ(MakeItemId("tass", "https://x/1"), MakeItemId("tass", "https://x/1"));
  EXPECT_NE(MakeItemId("tass", "https://x/1"), MakeItemId("ria", "https://x/1"));
  EXPECT_NE(MakeItemId("tass", "https://x/1"), MakeItemId("tass", "https://x/2"));
  ItemId id = MakeItemId("tass", "g");
  EXPECT_EQ(id.rfind("tass:", 0), 0u);
  EXPECT_EQ(id.size(), 5u + 16u);
}

TEST(IdsTest, ValidatesFeedIds) {
  EXPECT_TRUE(IsValidFeedId("dknews-en_1.kz"));
  EXPECT_FALSE(IsValidFeedId(""));
  EXPECT_FALSE(IsValidFeedId("has space"));
  EXPECT_FALSE(IsValidFeedId(std::string(65, 'a')));
}

}  // namespace
}  // namespace newsd
