#include "core/status.h"

#include <gtest/gtest.h>

namespace newsd {
namespace {

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, CarriesCodeAndContext) {
  Status s = Status::NotFound("story x").WithContext("stories show");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_EQ(s.ToString(), "NotFound: stories show: story x");
}

TEST(StatusTest, ResultHoldsValueOrError) {
  Result<int> good = 3;
  Result<int> bad = Err(Status::InvalidArgument("nope"));
  EXPECT_EQ(*good, 3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace newsd
