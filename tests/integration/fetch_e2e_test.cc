// newsd --once against a real HTTP server on 127.0.0.1: conditional GET with the validators
// sent back byte-exact, a 304 that stores nothing new, and a broken feed that is logged and
// counted without failing the round.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/http_test_server.h"
#include "tests/support/test_util.h"

namespace newsd {
namespace {

using nlohmann::json;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::MakeResponse;
using testing::RunCommand;
using testing::TempDir;

constexpr char kEtag[] = "W/\"feed v1\"";
constexpr char kLastModified[] = "Thu, 27 Nov 2026 08:00:00 GMT";
constexpr char kFeed[] = R"(<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback</title><link>http://127.0.0.1/</link>
<item><title>One</title><link>http://127.0.0.1/1</link><guid>one</guid>
<pubDate>Thu, 27 Nov 2026 08:00:00 GMT</pubDate><description>The first story of the loopback
feed, about the opening of a new railway line between two regional centres.</description></item>
<item><title>Two</title><link>http://127.0.0.1/2</link><guid>two</guid>
<pubDate>Thu, 27 Nov 2026 09:00:00 GMT</pubDate><description>The second story, about a
wheat harvest that reached a record of twenty million tonnes this autumn.</description></item>
</channel></rss>)";

// The issue's test profile: one loopback host, no politeness limits, so a second --once polls
// every feed again.
constexpr char kLoopbackProfile[] =
    "[fetch]\nallow_private = true\n"
    "[politeness]\nhost_inflight = 0\nhost_spacing = \"0s\"\nmin_interval = \"0s\"\n"
    "startup_jitter = \"0s\"\n";

std::string Bin(const char* name) { return (testing::BinaryDir() / "bin" / name).string(); }

TEST(FetchEndToEndTest, SecondPollIsConditionalAndGets304) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  server.Handle("/feed.xml", [](const HttpRequest& r) {
    if (r.Header("If-None-Match") == std::string(kEtag)) return MakeResponse(304, "");
    return MakeResponse(200, kFeed,
                        {{"Content-Type", "application/rss+xml; charset=utf-8"},
                         {"ETag", kEtag},
                         {"Last-Modified", kLastModified}});
  });
  server.HandleStatic("/broken.xml", MakeResponse(200, "<html>not a feed</html>"));
  TempDir dir;
  std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() +
                                 "/data\"\nlog_level = \"warn\"\n" + kLoopbackProfile +
                                 "[[feed]]\nid = \"loop\"\nurl = \"" + server.Url("/feed.xml") +
                                 "\"\ninterval = \"0s\"\n"
                                 "[[feed]]\nid = \"broken\"\nurl = \"" +
                                 server.Url("/broken.xml") + "\"\ninterval = \"0s\"\n");
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);

  auto requests = server.RequestsFor("/feed.xml");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(requests[0].Header("If-None-Match"));
  EXPECT_EQ(requests[1].Header("If-None-Match"), std::string(kEtag));
  EXPECT_EQ(requests[1].Header("If-Modified-Since"), std::string(kLastModified));
  EXPECT_TRUE(requests[1].Header("User-Agent").value_or("").rfind("newsd/", 0) == 0);

  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json feeds list", &out), 0);
  json feeds = json::parse(out);
  ASSERT_EQ(feeds["feeds"].size(), 2u);
  for (const json& f : feeds["feeds"]) {
    if (f["id"] == "loop") {
      EXPECT_EQ(f["last_http_status"], 304);
      EXPECT_EQ(f["items_new"], 2);
      EXPECT_EQ(f["fetches"], 2);
    } else {
      EXPECT_NE(f["last_error"].get<std::string>().find("parse"), std::string::npos) << f;
    }
  }
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export", &out), 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
}

}  // namespace
}  // namespace newsd
