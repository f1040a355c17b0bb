#include "core/plural.h"

#include <gtest/gtest.h>

namespace newsd {
namespace {

TEST(CountedTest, OneTakesTheSingularEveryOtherCountThePlural) {
  EXPECT_EQ(Counted(1, "poll", "polls"), "1 poll");
  EXPECT_EQ(Counted(0, "poll", "polls"), "0 polls");
  EXPECT_EQ(Counted(2, "feed URL holds", "feed URLs hold"), "2 feed URLs hold");
  EXPECT_EQ(Counted(1000000, "record", "records"), "1000000 records");
}

}  // namespace
}  // namespace newsd
