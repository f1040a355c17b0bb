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

// What `newsctl parse --json` prints for input with nothing feed-like in it: a bozo document
// that says why, as the suite's checker expects a document for every case.
TEST(ToSuiteJsonTest, InputThatIsNoFeedGivesABozoDocumentSayingWhy) {
  Input in;
  in.body = "this is not XML at all";
  Result<Feed> parsed = Parse(in, Options{});
  ASSERT_FALSE(parsed.has_value());
  nlohmann::json j = nlohmann::json::parse(ToSuiteJson(parsed));
  EXPECT_EQ(j["bozo"], true);
  EXPECT_EQ(j["bozo_exception"], parsed.error().message());
  EXPECT_FALSE(j["bozo_exception"].get<std::string>().empty());
  EXPECT_TRUE(j["entries"].empty());
  // A feed that parses gives its own document, the same as ToSuiteJson(feed).
  in.body = "<rss version=\"2.0\"><channel><title>T</title></channel></rss>";
  Result<Feed> ok = Parse(in, Options{});
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ToSuiteJson(ok), ToSuiteJson(*ok));
}

TEST(ToSuiteJsonTest, EmptyButPresentIsEmptyString) {
  Feed f = testing::MustParse("<rss version=\"2.0\"><channel><title></title></channel></rss>");
  nlohmann::json j = nlohmann::json::parse(ToSuiteJson(f));
  EXPECT_EQ(j["feed"]["title"], "");
}

}  // namespace
}  // namespace newsd::parse
