#include "core/time.h"

#include <gtest/gtest.h>

#include "core/article.h"

namespace newsd {
namespace {

TEST(TimeTest, FormatsAndParsesIso8601) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(541354940), "1987-02-26T16:22:20Z");
  EXPECT_EQ(ParseIso8601("1987-02-26T16:22:20Z"), 541354940);
  EXPECT_EQ(ParseIso8601("1987-02-26T18:22:20+02:00"), 541354940);
  EXPECT_EQ(ParseIso8601("1987-02-26T16:22:20.123Z"), 541354940);
  // Days a month does not have, and offsets no clock has, are no dates.
  EXPECT_FALSE(ParseIso8601("2021-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseIso8601("2020-04-31T00:00:00Z"));
  EXPECT_TRUE(ParseIso8601("2020-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseIso8601("2021-01-28T00:00:00+99:99"));
  EXPECT_FALSE(ParseIso8601("2021-01-28T00:00:00+05:60"));
  EXPECT_EQ(ParseIso8601("2021-01-28T05:30:00+05:30"), ParseIso8601("2021-01-28T00:00:00Z"));
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59Z");
}

TEST(TimeTest, RejectsMalformedTimestamps) {
  EXPECT_FALSE(ParseIso8601(""));
  EXPECT_FALSE(ParseIso8601("1987-02-26"));
  EXPECT_FALSE(ParseIso8601("1987-13-26T16:22:20Z"));
  EXPECT_FALSE(ParseIso8601("1987-02-26T16:22:20"));
  EXPECT_FALSE(ParseIso8601("1987-02-26T16:22:20Zjunk"));
  EXPECT_FALSE(ParseIso8601("1987-02-26T16:22"));
  EXPECT_FALSE(ParseIso8601("1987-02-26T16:2Z"));
  EXPECT_FALSE(ParseIso8601("1987-02-26T16:22:2Z"));
  EXPECT_FALSE(ParseIso8601("1987-02-26T16:22.5Z"));
}

// ISO 8601 lets a time leave out its seconds: "10:00Z" is 10:00:00 UTC, not a time refused.
TEST(TimeTest, ReadsATimeWithoutSeconds) {
  EXPECT_EQ(ParseIso8601("1987-02-26T16:22Z"), ParseIso8601("1987-02-26T16:22:00Z"));
  EXPECT_EQ(ParseIso8601("1987-02-26T18:22+02:00"), ParseIso8601("1987-02-26T16:22:00Z"));
  EXPECT_EQ(ParseIso8601DateOrTime("2020-01-01T10:00Z"), ParseIso8601("2020-01-01T10:00:00Z"));
}

TEST(TimeTest, ParsesDurations) {
  EXPECT_EQ(ParseDuration("30m"), 1800);
  EXPECT_EQ(ParseDuration("1h30m"), 5400);
  EXPECT_EQ(ParseDuration("0s"), 0);
  EXPECT_EQ(ParseDuration("2d"), 172800);
  EXPECT_FALSE(ParseDuration("30"));
  EXPECT_FALSE(ParseDuration("m"));
  EXPECT_FALSE(ParseDuration("5w"));
  EXPECT_FALSE(ParseDuration(""));
  EXPECT_EQ(FormatDuration(5400), "1h30m");
  EXPECT_EQ(FormatDuration(0), "0s");
}

TEST(TimeTest, UtcOffsetsReadAndWrittenBack) {
  EXPECT_EQ(ParseUtcOffset("+05:00"), 5 * 3600);
  EXPECT_EQ(ParseUtcOffset("+0530"), 5 * 3600 + 1800);
  EXPECT_EQ(ParseUtcOffset("-03"), -3 * 3600);
  EXPECT_EQ(ParseUtcOffset("UTC"), 0);
  EXPECT_EQ(ParseUtcOffset("Z"), 0);
  EXPECT_FALSE(ParseUtcOffset("+5"));
  EXPECT_FALSE(ParseUtcOffset("05:00"));
  EXPECT_FALSE(ParseUtcOffset("+05:60"));
  EXPECT_FALSE(ParseUtcOffset("+15:00"));
  EXPECT_FALSE(ParseUtcOffset("Asia/Almaty"));
  for (int offset : {0, 5 * 3600, -3 * 3600 - 1800, 14 * 3600, -14 * 3600, 5 * 3600 + 2700}) {
    EXPECT_EQ(ParseUtcOffset(FormatUtcOffset(offset)), offset) << FormatUtcOffset(offset);
  }
  EXPECT_EQ(FormatUtcOffset(-(3 * 3600 + 1800)), "-03:30");
  EXPECT_EQ(FormatUtcOffset(0), "+00:00");
}

}  // namespace
}  // namespace newsd

namespace newsd {
namespace {

// A publisher's unset timestamp is no date: the Unix epoch itself and anything before 1000
// (Go's and .NET's zero time); the item counts at its arrival.
TEST(KnownDateTest, UnsetTimestampsAreNoDate) {
  EXPECT_FALSE(KnownDate(UnixSeconds{0}));
  EXPECT_FALSE(KnownDate(*ParseIso8601("0001-01-01T00:00:00Z")));
  EXPECT_FALSE(KnownDate(std::nullopt));
  EXPECT_EQ(KnownDate(*ParseIso8601("1987-03-31T17:21:31Z")), ParseIso8601("1987-03-31T17:21:31Z"));
  EXPECT_EQ(KnownDate(*ParseIso8601("1850-06-01T00:00:00Z")), ParseIso8601("1850-06-01T00:00:00Z"));
  EXPECT_EQ(EffectiveTime(UnixSeconds{0}, 1'790'000'000), 1'790'000'000);
  EXPECT_EQ(EffectiveTime(UnixSeconds{1000}, 1'790'000'000), 1000);
}

}  // namespace
}  // namespace newsd
