#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "parse/parser.h"
#include "tests/support/test_util.h"

namespace newsd::parse::testing {

/// Parses `body` with default options; fails the test when Parse returns an error.
inline Feed MustParse(std::string_view body, std::string content_type = "",
                      std::string base_url = "", Options options = {}) {
  Input in;
  in.body = body;
  in.content_type = std::move(content_type);
  in.base_url = std::move(base_url);
  Result<Feed> r = Parse(in, options);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
  return r ? *std::move(r) : Feed{};
}

/// Bytes of tests/data/feeds/<name>.
inline std::string FeedFixture(const std::string& name) {
  return newsd::testing::ReadFile(newsd::testing::SourceDir() / "tests/data/feeds" / name);
}

/// An RSS 2.0 document with one item holding `item_xml`.
inline std::string RssWithItem(std::string_view item_xml, std::string_view root_attrs = "") {
  return "<rss version=\"2.0\"" + std::string(root_attrs) + "><channel><title>T</title><item>" +
         std::string(item_xml) + "</item></channel></rss>";
}

}  // namespace newsd::parse::testing
