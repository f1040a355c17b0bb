#include "parse/json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

TEST(ToSuiteJsonTest, EmitsPresentKeysOnly) {
  Feed f = testing::MustParse(testing::FeedFixture("rss20_basic.xml"));
  nlohmann::json j = nlohmann::json::parse(ToSuiteJson(f));
  EXPECT_EQ(j["bozo"], false);
  EXPECT_EQ(j["encoding"], "utf-8");
  EXPECT_EQ(j["version"], "rss20");
  EXPECT_EQ(j["feed"]["title"], "Example News");
  EXPECT_EQ(j["entries"][0]["published"], "2026-02-01T14:30:00Z");
  EXPECT_EQ(j["entries"][0]["enclosures"][0]["length"], "12345");
  EXPECT_FALSE(j["entries"][1].contains("summary"));
  EXPECT_FALSE(j["entries"][1].contains("published"));
}

TEST(ToSuiteJsonTest, EmptyButPresentIsEmptyString) {
  Feed f = testing::MustParse("<rss version=\"2.0\"><channel><title></title></channel></rss>");
  nlohmann::json j = nlohmann::json::parse(ToSuiteJson(f));
  EXPECT_EQ(j["feed"]["title"], "");
}

}  // namespace
}  // namespace newsd::parse
