#include <gtest/gtest.h>

#include "parse/encoding.h"
#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::MustParse;

TEST(LimitsTest, MaxItems) {
  std::string body = "<rss version=\"2.0\"><channel>";
  for (int i = 0; i < 10; ++i) body += "<item><title>t" + std::to_string(i) + "</title></item>";
  body += "</channel></rss>";
  Options o;
  o.max_items = 3;
  Feed f = MustParse(body, "", "", o);
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[2].title, "t2");
  ASSERT_EQ(f.limits_hit.size(), 1u);
  EXPECT_EQ(f.limits_hit[0], "max_items: 3 of 10 items kept");
}

// A feed that lists its oldest items first, longer than max_items: the newest are kept (in
// the feed's order), not the first; undated ones only when the dated leave room.
TEST(LimitsTest, MaxItemsKeepsTheNewest) {
  std::string body = "<rss version=\"2.0\"><channel>";
  for (int i = 0; i < 10; ++i) {
    body += "<item><title>t" + std::to_string(i) + "</title><pubDate>Sat, 0" +
            std::to_string(i % 10) + " Dec 2026 10:00:00 GMT</pubDate></item>";
  }
  body += "<item><title>undated</title></item></channel></rss>";
  Options o;
  o.max_items = 3;
  Feed f = MustParse(body, "", "", o);
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[0].title, "t7");
  EXPECT_EQ(f.entries[1].title, "t8");
  EXPECT_EQ(f.entries[2].title, "t9");
  ASSERT_EQ(f.limits_hit.size(), 1u);
  EXPECT_EQ(f.limits_hit[0], "max_items: 3 of 11 items kept");
}

TEST(LimitsTest, MaxFieldBytesCutsAtCharacterBoundary) {
  std::string desc;
  for (int i = 0; i < 100; ++i) desc += "Ж";
  Options o;
  o.max_field_bytes = 11;
  Feed f = MustParse(testing::RssWithItem("<description>" + desc + "</description>"), "", "", o);
  ASSERT_TRUE(f.entries[0].summary);
  EXPECT_EQ(f.entries[0].summary->size(), 10u);
  EXPECT_TRUE(IsValidUtf8(*f.entries[0].summary));
  ASSERT_FALSE(f.limits_hit.empty());
  EXPECT_EQ(f.limits_hit[0].rfind("max_field_bytes", 0), 0u);
}

TEST(LimitsTest, DeepNestingIsCutNotFatal) {
  std::string body = "<rss version=\"2.0\"><channel><item><title>x</title><description>";
  for (int i = 0; i < 100000; ++i) body += "<div>";
  body += "deep";
  for (int i = 0; i < 100000; ++i) body += "</div>";
  body += "</description></item></channel></rss>";
  Feed f = MustParse(body);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "x");
  ASSERT_FALSE(f.limits_hit.empty());
}

TEST(LimitsTest, DeepUnclosedNestingIsRecovered) {
  std::string body = "<rss version=\"2.0\"><channel><item><title>x</title>";
  for (int i = 0; i < 50000; ++i) body += "<a>";
  Options o;
  o.max_depth = 64;
  Feed f = MustParse(body, "", "", o);
  EXPECT_TRUE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
}

}  // namespace
}  // namespace newsd::parse
