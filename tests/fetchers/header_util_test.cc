#include "fetchers/header_util.h"

#include <gtest/gtest.h>

namespace newsd::fetchers::internal {
namespace {

TEST(HeaderUtilTest, TrimKeepsInnerBytes) {
  EXPECT_EQ(TrimHeaderValue("  W/\"a b\" \r\n"), "W/\"a b\"");
  EXPECT_EQ(TrimHeaderValue("\t x\ty \t"), "x\ty");
  EXPECT_EQ(TrimHeaderValue(" \r\n"), "");
}

TEST(HeaderUtilTest, SplitHeaderLine) {
  std::string_view name;
  std::string_view value;
  ASSERT_TRUE(SplitHeaderLine("ETag:  \"x:y\"\r\n", &name, &value));
  EXPECT_EQ(name, "ETag");
  EXPECT_EQ(value, "\"x:y\"");
  EXPECT_FALSE(SplitHeaderLine("HTTP/1.1 200 OK\r\n", &name, &value));
  EXPECT_FALSE(SplitHeaderLine("\r\n", &name, &value));
  EXPECT_FALSE(SplitHeaderLine(" folded: x\r\n", &name, &value));
}

TEST(HeaderUtilTest, EqualsIgnoreCase) {
  EXPECT_TRUE(EqualsIgnoreCase("etag", "ETag"));
  EXPECT_FALSE(EqualsIgnoreCase("etag", "etags"));
}

TEST(HeaderUtilTest, RetryAfterSecondsAndDates) {
  EXPECT_EQ(ParseRetryAfter("120", 1000), 120);
  EXPECT_EQ(ParseRetryAfter(" 0 ", 1000), 0);
  // Sun, 06 Nov 1994 08:49:37 GMT == 784111777 (RFC 9110 example).
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 60), 60);
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", 784111777 - 5), 5);
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", 784111777 - 7), 7);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 60), 0);
  EXPECT_EQ(ParseRetryAfter("soon", 1000), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", 1000), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", 1000), std::nullopt);
}

}  // namespace
}  // namespace newsd::fetchers::internal
