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

TEST(StatusTest, ComesBackFromItsCodeName) {
  for (Status s : {Status::NotFound("a"), Status::Unavailable("newsd is stopping"),
                   Status::ResourceExhausted("b"), Status::PermissionDenied("c")}) {
    Status back = Status::FromCodeName(Status::CodeName(s.code()), s.message());
    EXPECT_EQ(back.code(), s.code());
    EXPECT_EQ(back.message(), s.message());
  }
  Status unknown = Status::FromCodeName("Throttled", "slow down");
  EXPECT_EQ(unknown.code(), Status::Code::kInternal);
  EXPECT_EQ(unknown.message(), "Throttled: slow down");
  EXPECT_EQ(Status::FromCodeName("OK", "x").code(), Status::Code::kInternal);
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
