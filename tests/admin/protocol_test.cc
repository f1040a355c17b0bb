#include "admin/protocol.h"

#include <gtest/gtest.h>

#include "admin/views.h"

namespace newsd::admin {
namespace {

TEST(ProtocolTest, RequestRoundTrips) {
  Request r;
  r.id = 7;
  r.cmd = "stories.show";
  r.args = {{"id", "dev-000123"}};
  auto back = DecodeRequest(Encode(r));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->id, 7u);
  EXPECT_EQ(back->cmd, "stories.show");
  EXPECT_EQ(back->args["id"], "dev-000123");
}

TEST(ProtocolTest, ErrorReplyRoundTrips) {
  auto back = DecodeReply(Encode(Reply::Error(3, Status::NotFound("no story x"))));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->ok);
  EXPECT_EQ(back->id, 3u);
  EXPECT_EQ(back->error_code, "NotFound");
  EXPECT_EQ(back->error_message, "no story x");
}

TEST(ProtocolTest, ErrorReplyWithFieldsOfTheWrongTypeDoesNotThrow) {
  // Found by fuzz_admin: a non-string "message" made json::value throw.
  auto back =
      DecodeReply(R"({"v":1,"id":3,"ok":false,"error":{"code":"NotFound","message":1,"":"x"}})");
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->error_code, "NotFound");
  EXPECT_EQ(back->error_message, "");
  back = DecodeReply(R"({"v":1,"id":3,"ok":false,"error":{"code":[1]}})");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->error_code, "Internal");
}

TEST(ProtocolTest, RefusesMalformedAndForeignRequests) {
  EXPECT_FALSE(DecodeRequest("not json"));
  EXPECT_FALSE(DecodeRequest("[1,2]"));
  EXPECT_FALSE(DecodeRequest(R"({"id":1,"cmd":"status"})"));        // no version
  EXPECT_FALSE(DecodeRequest(R"({"v":2,"id":1,"cmd":"status"})"));  // future version
  // The error reply to a refused request still names it, when its id can be read.
  EXPECT_EQ(RequestIdOf(R"({"v":2,"id":17,"cmd":"status"})"), 17u);
  EXPECT_EQ(RequestIdOf(R"({"v":1,"id":18,"args":[]})"), 18u);
  EXPECT_EQ(RequestIdOf(R"({"v":1,"id":"x"})"), 0u);
  EXPECT_EQ(RequestIdOf("not json"), 0u);
  EXPECT_FALSE(DecodeRequest(R"({"v":1,"id":1})"));                // no command
  EXPECT_FALSE(DecodeRequest(R"({"v":1,"cmd":"x","args":[1]})"));  // args not an object
  std::string huge = R"({"v":1,"cmd":")" + std::string(kMaxLineBytes, 'a') + "\"}";
  auto r = DecodeRequest(huge);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("longer"), std::string::npos);
}

TEST(ProtocolTest, RepliesMayBeFarLongerThanRequests) {
  // An export page holds about 4 MiB of items (and one item at least, whatever its size).
  Reply page;
  page.id = 9;
  page.result = {{"items", {{{"text", std::string(6 << 20, 'a')}}}}};
  auto back = DecodeReply(Encode(page));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->result["items"][0]["text"].get<std::string>().size(), size_t{6} << 20);
}

TEST(ViewsTest, ExportLineHasTheDocumentedFields) {
  ItemView v;
  v.id = "dev-1";
  v.story = "dev-0";
  v.feed = "reuters-world";
  v.source = "reuters";
  v.url = "https://x";
  v.title = "T";
  v.published = 541354940;
  v.canonical = false;
  auto j = ExportLine(v);
  EXPECT_EQ(j["published"], "1987-02-26T16:22:20Z");
  EXPECT_EQ(j["story"], "dev-0");
  EXPECT_EQ(j["feed"], "reuters-world");
  EXPECT_EQ(j["canonical"], false);
  v.published.reset();
  EXPECT_TRUE(ExportLine(v)["published"].is_null());
}

TEST(ViewsTest, StoryViewFields) {
  StoryView s{"id1", "Title", "DKnews.kz", 541354940, 4};
  const nlohmann::json j = ToJson(s);
  EXPECT_EQ(j["id"], "id1");
  EXPECT_EQ(j["copies"], 4u);
  EXPECT_EQ(j["time"], "1987-02-26T16:22:20Z");
  EXPECT_EQ(j["source"], "DKnews.kz");
}

}  // namespace
}  // namespace newsd::admin
