// newsd --once against a real HTTP server on 127.0.0.1: conditional GET with the validators
// sent back byte-exact, a 304 that stores nothing new, and a broken feed that is logged and
// counted without failing the round.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/integration/service_harness.h"
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
<rss version="2.0"><channel><title>Loopback</title><link>http://127.0.0.1/</link><ttl>60</ttl>
<item><title>One</title><link>http://127.0.0.1/1</link><guid>one</guid>
<pubDate>Thu, 27 Nov 2026 08:00:00 GMT</pubDate><description>The first story of the loopback
feed, about the opening of a new railway line between two regional centres.</description></item>
<item><title>Two</title><link>http://127.0.0.1/2</link><guid>two</guid>
<pubDate>Thu, 27 Nov 2026 09:00:00 GMT</pubDate><description>The second story, about a
wheat harvest that reached a record of twenty million tonnes this autumn.</description></item>
</channel></rss>)";

// The issue's test profile: one loopback host, no politeness limits, so a second --once polls
// every feed again (the feed's <ttl> of 60 min notwithstanding: the configuration governs).
constexpr char kLoopbackProfile[] =
    "[fetch]\nallow_private = true\n"
    "[politeness]\nhost_inflight = 0\nhost_spacing = \"0s\"\nmin_interval = \"0s\"\n"
    "startup_jitter = \"0s\"\n";

using testing::Bin;

// Writes dir/newsd.toml: the archive in dir/data, the loopback profile, and each (id, url)
// polled with interval 0. Returns its path.
std::string WriteConfig(const TempDir& dir, const std::string& log_level,
                        const std::vector<std::pair<std::string, std::string>>& feeds) {
  std::string toml = "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nlog_level = \"" + log_level +
                     "\"\n" + kLoopbackProfile;
  for (const auto& [id, url] : feeds) {
    toml += "[[feed]]\nid = \"" + id + "\"\nurl = \"" + url + "\"\ninterval = \"0s\"\n";
  }
  const std::string path = dir.str() + "/newsd.toml";
  testing::WriteFile(path, toml);
  return path;
}

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
  const std::string config = WriteConfig(
      dir, "warn", {{"loop", server.Url("/feed.xml")}, {"broken", server.Url("/broken.xml")}});
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

// A feed that has failed for longer than dead_after is marked dead, and the log says so
// once (it showed only in `feeds list`).
TEST(FetchEndToEndTest, AFeedMarkedDeadIsLoggedOnce) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  server.HandleStatic("/down.xml", MakeResponse(500, "down"));
  TempDir dir;
  const std::string config = WriteConfig(dir, "warn", {{"down", server.Url("/down.xml")}});
  std::string toml = testing::ReadFile(config);
  toml.replace(toml.find("[politeness]\n"), 13, "[politeness]\ndead_after = \"1s\"\n");
  testing::WriteFile(config, toml);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &out), 0) << out;
  EXPECT_EQ(out.find("is dead"), std::string::npos) << out;
  for (int round = 0; round < 2; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    out.clear();
    ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &out), 0) << out;
    EXPECT_EQ(out.find("feed=down is dead: ") != std::string::npos, round == 0) << out;
  }
}

// An international host name is fetched (libcurl's IDN conversion reads the name in the
// locale's character set: under the C locale of a service every such feed failed as "bad/
// illegal format"). "ｌｏｃａｌｈｏｓｔ" in full-width letters is "localhost" once converted, so
// the test stays on loopback without a DNS name of its own.
TEST(FetchEndToEndTest, AFeedOnAnInternationalHostNameIsFetched) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  server.HandleStatic("/feed.xml",
                      MakeResponse(200, kFeed, {{"Content-Type", "application/rss+xml"}}));
  TempDir dir;
  const std::string config =
      WriteConfig(dir, "warn", {{"idn", server.UrlWithHost("ｌｏｃａｌｈｏｓｔ", "/feed.xml")}});
  std::string out;
  ASSERT_EQ(RunCommand("env -u LANG -u LC_ALL -u LC_CTYPE " + Bin("newsd") + " --once --config " +
                           config + " 2>&1",
                       &out),
            0)
      << out;
  EXPECT_EQ(server.RequestsFor("/feed.xml").size(), 1u) << out;
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export", &out), 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
}

// A response cut off in transfer (here served so: the document stops after the first item)
// stores what it has, but keeps no validators: the next poll asks for the whole feed rather
// than getting a 304 that would hide the rest until the feed changed.
TEST(FetchEndToEndTest, AResponseCutOffInTransferIsAskedForWholeNextTime) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  const std::string feed(kFeed);
  const std::string cut = feed.substr(0, feed.find("<item><title>Two"));
  std::atomic<int> served{0};
  server.Handle("/feed.xml", [&](const HttpRequest& r) {
    if (r.Header("If-None-Match") == std::string(kEtag)) return MakeResponse(304, "");
    return MakeResponse(200, served++ == 0 ? cut : feed,
                        {{"Content-Type", "application/rss+xml"}, {"ETag", kEtag}});
  });
  TempDir dir;
  const std::string config = WriteConfig(dir, "warn", {{"cut", server.Url("/feed.xml")}});
  for (int round = 0; round < 3; ++round) {
    ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  }
  auto requests = server.RequestsFor("/feed.xml");
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_FALSE(requests[1].Header("If-None-Match")) << "the cut response's ETag was kept";
  EXPECT_EQ(requests[2].Header("If-None-Match"), std::string(kEtag));
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export", &out), 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
}

// A feed URL with credentials: curl sends them (HTTP basic authentication), but the password
// shows nowhere an operator looks: not in the log, not in `newsctl feeds list/show`, and an
// OPML export says it left it out.
TEST(FetchEndToEndTest, APasswordInAFeedUrlIsUsedAndNeverShown) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  server.Handle("/locked.xml", [](const HttpRequest& r) {
    if (r.Header("Authorization") != std::string("Basic ZGVzazpzM2NyZXQ=")) {  // desk:s3cret
      return MakeResponse(401, "", {{"WWW-Authenticate", "Basic realm=\"desk\""}});
    }
    // Item links relative to the feed's URL: resolved, they must not carry its credentials.
    std::string feed = kFeed;
    for (const char* n : {"1", "2"}) {
      const std::string absolute = std::string("<link>http://127.0.0.1/") + n + "</link>";
      feed.replace(feed.find(absolute), absolute.size(),
                   std::string("<link>story-") + n + ".html</link>");
    }
    return MakeResponse(200, feed, {{"Content-Type", "application/rss+xml"}});
  });
  server.HandleStatic("/down.xml", MakeResponse(503, "maintenance\n"));
  auto with_password = [&](const char* path) {
    std::string url = server.Url(path);
    return url.insert(std::string("http://").size(), "desk:s3cret@");
  };
  TempDir dir;
  const std::string config =
      WriteConfig(dir, "info",
                  {{"locked", with_password("/locked.xml")}, {"down", with_password("/down.xml")}});
  std::string log;
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &log), 0) << log;
  EXPECT_NE(log.find("desk:***@127.0.0.1"), std::string::npos) << log;  // the failure names it
  EXPECT_EQ(log.find("s3cret"), std::string::npos) << log;

  const std::string ctl = Bin("newsctl") + " --db " + dir.str() + "/data ";
  std::string out;
  ASSERT_EQ(RunCommand(ctl + "--json feeds list", &out), 0) << out;
  json feeds = json::parse(out);
  ASSERT_EQ(feeds["feeds"].size(), 2u);
  for (const json& f : feeds["feeds"]) {
    EXPECT_NE(f["url"].get<std::string>().find("http://desk:***@127.0.0.1:"), std::string::npos)
        << f;
    if (f["id"] == "locked") {
      EXPECT_EQ(f["items_new"], 2) << "the credentials were sent";
    }
  }
  EXPECT_EQ(out.find("s3cret"), std::string::npos) << out;
  out.clear();
  ASSERT_EQ(RunCommand(ctl + "feeds show down", &out), 0) << out;
  EXPECT_EQ(out.find("s3cret"), std::string::npos) << out;
  out.clear();
  ASSERT_EQ(RunCommand(ctl + "export", &out), 0) << out;
  EXPECT_NE(out.find(server.Url("/story-1.html")), std::string::npos) << out;
  EXPECT_EQ(out.find("s3cret"), std::string::npos) << out;
  out.clear();
  ASSERT_EQ(RunCommand(ctl + "feeds export --opml 2>&1", &out), 0) << out;
  EXPECT_EQ(out.find("s3cret"), std::string::npos) << out;
  EXPECT_NE(out.find("2 feed URLs hold a password, written as ***"), std::string::npos) << out;
}

// A feed whose URL redirects to another host: the answer (a 429 with Retry-After) is that
// host's, in the politeness report and in the block, not the host that only redirected.
TEST(FetchEndToEndTest, ARedirectedFeedsAnswerCountsForTheHostThatSentIt) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer target;
  target.HandleStatic("/feed.xml", MakeResponse(429, "slow down", {{"Retry-After", "3600"}}));
  testing::HttpTestServer origin;
  origin.HandleStatic("/feed.xml", MakeResponse(302, "", {{"Location", target.Url("/feed.xml")}}));
  TempDir dir;
  const std::string config = WriteConfig(dir, "warn", {{"moved", origin.Url("/feed.xml")}});
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json politeness", &out), 0);
  const json report = json::parse(out);
  std::map<std::string, json> hosts;
  for (const json& h : report["hosts"]) hosts[h["host"].get<std::string>()] = h;
  const std::string origin_host = "127.0.0.1:" + std::to_string(origin.port());
  const std::string target_host = "127.0.0.1:" + std::to_string(target.port());
  ASSERT_EQ(hosts.count(target_host), 1u) << out;
  EXPECT_EQ(hosts[target_host]["throttled"], 1) << out;
  EXPECT_FALSE(hosts[target_host].value("blocked_until", "").empty()) << out;
  EXPECT_EQ(hosts[origin_host].value("throttled", 0), 0) << out;
  EXPECT_TRUE(hosts[origin_host].value("blocked_until", "").empty()) << out;
}

// A redirected feed polled again and again by the service: every poll asks both hosts, and
// the report counts each of them once per poll (the gate moves to the host that answers and
// stays there, so its limits apply to every poll after the first).
TEST(FetchEndToEndTest, ARedirectedFeedPolledRepeatedlyCountsBothHostsEachPoll) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer target;
  std::string body = kFeed;  // without its <ttl>, so that the 1 s interval holds
  body.erase(body.find("<ttl>60</ttl>"), std::string_view("<ttl>60</ttl>").size());
  target.HandleStatic("/feed.xml", MakeResponse(200, body, {{"ETag", kEtag}}));
  testing::HttpTestServer origin;
  origin.HandleStatic("/feed.xml", MakeResponse(302, "", {{"Location", target.Url("/feed.xml")}}));
  TempDir dir;
  std::string toml = "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                     dir.str() + "/admin.sock\"\nlog_level = \"warn\"\n" + kLoopbackProfile +
                     "[[feed]]\nid = \"moved\"\nurl = \"" + origin.Url("/feed.xml") +
                     "\"\ninterval = \"1s\"\n";
  testing::WriteFile(dir.str() + "/newsd.toml", toml);
  const pid_t pid = testing::Spawn(
      {Bin("newsd"), "--config", dir.str() + "/newsd.toml", "--log-level", "warn"}, {});
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(testing::WaitForSocket(dir.str() + "/admin.sock", std::chrono::seconds(20)));
  for (int i = 0; i < 100 && origin.RequestsFor("/feed.xml").size() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid, SIGTERM);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  const size_t polls = origin.RequestsFor("/feed.xml").size();
  ASSERT_GE(polls, 3u) << "the feed was not polled again";
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json politeness", &out), 0);
  const json report = json::parse(out);
  std::map<std::string, int> requests;
  for (const json& h : report["hosts"]) requests[h["host"].get<std::string>()] = h["requests"];
  EXPECT_EQ(requests["127.0.0.1:" + std::to_string(origin.port())], static_cast<int>(polls)) << out;
  EXPECT_EQ(requests["127.0.0.1:" + std::to_string(target.port())],
            static_cast<int>(target.RequestsFor("/feed.xml").size()))
      << out;
}

// A feed served without validators answers 200 every time. The same response again is not
// parsed again (its items are stored); a changed one is; a broken one is read, and its error
// reported, every time.
TEST(FetchEndToEndTest, SameResponseWithoutValidatorsIsNotParsedAgain) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  auto polls = std::make_shared<std::atomic<int>>(0);
  server.Handle("/plain.xml", [polls](const HttpRequest&) {
    std::string body = kFeed;
    if (++*polls >= 3) {  // the third poll brings a third item
      body.insert(body.find("</channel>"),
                  "<item><title>Three</title><link>http://127.0.0.1/3</link><guid>three</guid>"
                  "<description>The third story, about a bridge opened over the river after "
                  "four years of building work.</description></item>");
    }
    return MakeResponse(200, body, {{"Content-Type", "application/rss+xml"}});
  });
  server.HandleStatic("/broken.xml", MakeResponse(200, "<html>not a feed</html>"));
  TempDir dir;
  const std::string config = WriteConfig(
      dir, "info", {{"plain", server.Url("/plain.xml")}, {"broken", server.Url("/broken.xml")}});
  auto round = [&] {
    std::string log;
    EXPECT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &log), 0);
    const size_t at = log.rfind("round summary:");
    return at == std::string::npos ? log : log.substr(at, log.find('\n', at) - at);
  };
  const std::string first = round(), second = round(), third = round();
  EXPECT_NE(first.find("fetched=1 not_modified=0 failed=1 new_items=2 unchanged=0"),
            std::string::npos)
      << first;
  EXPECT_NE(second.find("fetched=0 not_modified=0 failed=1 new_items=0 unchanged=1"),
            std::string::npos)
      << second;
  EXPECT_NE(third.find("fetched=1 not_modified=0 failed=1 new_items=1 unchanged=0"),
            std::string::npos)
      << third;
  EXPECT_EQ(server.RequestsFor("/plain.xml").size(), 3u);

  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json feeds list", &out), 0);
  const json feeds = json::parse(out);
  int plain = 0;
  for (const json& f : feeds["feeds"]) {
    if (f["id"] != "plain") continue;
    ++plain;
    EXPECT_EQ(f["last_http_status"], 200);
    EXPECT_EQ(f["fetches"], 3);
    EXPECT_EQ(f["items_new"], 3);
    EXPECT_EQ(f["state"], "active");
  }
  EXPECT_EQ(plain, 1);
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export", &out), 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
}

// One feed declared under two feed ids: its items are stored once, and the log line of the
// feed that stored none says why ("0 new" alone would leave the operator guessing).
TEST(FetchEndToEndTest, AFeedUnderTwoIdsSaysItsItemsWereStoredBefore) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  server.Handle("/feed.xml", [](const HttpRequest&) {
    return MakeResponse(200, kFeed, {{"Content-Type", "application/rss+xml"}});
  });
  TempDir dir;
  const std::string config = WriteConfig(
      dir, "info", {{"agency", server.Url("/feed.xml")}, {"again", server.Url("/feed.xml?x")}});
  std::string log;
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &log), 0);
  EXPECT_NE(log.find("new_items=2 "), std::string::npos) << log;
  EXPECT_NE(log.find(" fetched: 2 entries, 0 new, 2 stored before under another item id (same "
                     "link and words)"),
            std::string::npos)
      << log;
}

// An outlet reprints the agency's story beside one of its own: both items are new, and its log
// line says which one joined a story seen before ("2 new" alone reads as two new stories).
TEST(FetchEndToEndTest, APollSaysWhichNewItemsAreCopies) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  server.Handle("/agency.xml", [](const HttpRequest&) {
    return MakeResponse(200, kFeed, {{"Content-Type", "application/rss+xml"}});
  });
  server.Handle("/outlet.xml", [](const HttpRequest&) {
    return MakeResponse(200, R"(<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Outlet</title><link>http://127.0.0.1/o</link>
<item><title>Rail line opens</title><link>http://127.0.0.1/o/1</link><guid>o1</guid>
<pubDate>Thu, 27 Nov 2026 08:30:00 GMT</pubDate><description>The first story of the loopback
feed, about the opening of a new railway line between two regional centres.</description></item>
<item><title>Bridge closed</title><link>http://127.0.0.1/o/2</link><guid>o2</guid>
<pubDate>Thu, 27 Nov 2026 10:00:00 GMT</pubDate><description>The city closed its old bridge
over the river for repairs that are to last until the spring of next year.</description></item>
</channel></rss>)",
                        {{"Content-Type", "application/rss+xml"}});
  });
  TempDir dir;
  std::string log;
  WriteConfig(dir, "info", {{"agency", server.Url("/agency.xml")}});
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + dir.str() + "/newsd.toml 2>&1", &log),
            0);
  EXPECT_NE(log.find("feed=agency fetched: 2 entries, 2 new\n"), std::string::npos) << log;
  log.clear();
  WriteConfig(dir, "info",
              {{"agency", server.Url("/agency.xml")}, {"outlet", server.Url("/outlet.xml")}});
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + dir.str() + "/newsd.toml 2>&1", &log),
            0);
  EXPECT_NE(log.find("feed=outlet fetched: 2 entries, 2 new (1 a copy of a story seen before)\n"),
            std::string::npos)
      << log;
}

// An agency expands a flash into the story under the same guid, another item is stamped with
// the time of each request, and a third is listed twice with two texts: the first is stored
// again with its new text (counted as corrected, in its story, with its first date), the
// others are left as they were; a tracking pixel that changes at every request is no
// correction either. A guid then reused for another story makes a new item. An export
// consumer that had read every item of the first round is sent the corrected one again.
TEST(FetchEndToEndTest, AnItemCorrectedAtItsSourceIsStoredAgain) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  auto polls = std::make_shared<std::atomic<int>>(0);
  server.Handle("/flash.xml", [polls](const HttpRequest&) {
    const int poll = ++*polls;
    std::string body = kFeed;
    auto replace = [&](const std::string& from, const std::string& to) {
      body.replace(body.find(from), from.size(), to);
    };
    replace("</channel>",
            "<item><title>Dup</title><guid>dup</guid><description>A first version of an item "
            "the feed lists twice, about the airport's new runway.</description></item>"
            "<item><title>Dup</title><guid>dup</guid><description>Another version, listed "
            "second, about the airport's new terminal building.</description></item></channel>");
    if (poll >= 2) {
      replace("centres.",
              "centres. The line, 240 kilometres long, cuts the journey from five hours to two.");
      replace("09:00:00 GMT", "10:30:00 GMT");
    }
    if (poll >= 3) {
      replace("centres.",
              "centres.&lt;img src=\"http://127.0.0.1/px.gif?r=" + std::to_string(poll) + "\"&gt;");
    }
    if (poll >= 4) {
      replace(
          "The second story, about a\nwheat harvest that reached a record of twenty million "
          "tonnes this autumn.",
          "The city council approved four billion tenge for the repair of roads and bridges "
          "damaged by the spring floods, the mayor's office said.");
    }
    return MakeResponse(200, body, {{"Content-Type", "application/rss+xml"}});
  });
  TempDir dir;
  const std::string config = WriteConfig(dir, "info", {{"flash", server.Url("/flash.xml")}});
  auto round = [&] {
    std::string log;
    EXPECT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &log), 0);
    return log;
  };
  auto export_lines = [&](const std::string& args) {
    std::string out;
    EXPECT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export " + args, &out), 0);
    std::vector<json> lines;
    for (size_t at = 0, nl; (nl = out.find('\n', at)) != std::string::npos; at = nl + 1) {
      lines.push_back(json::parse(out.substr(at, nl - at)));
    }
    return lines;
  };
  const std::string first = round();
  const std::vector<json> first_export = export_lines("");
  ASSERT_EQ(first_export.size(), 3u);
  const std::string cursor = first_export.back()["cursor"];
  const std::string second = round(), third = round(), fourth = round();
  EXPECT_NE(first.find("new_items=3 unchanged=0 held=0 unstored=0 corrected=0"), std::string::npos)
      << first;
  EXPECT_NE(second.find("feed=flash fetched: 4 entries, 0 new, 1 corrected"), std::string::npos)
      << second;
  EXPECT_NE(second.find("new_items=0 unchanged=0 held=0 unstored=0 corrected=1"), std::string::npos)
      << second;
  EXPECT_NE(third.find("fetched=1 not_modified=0 failed=0 new_items=0 unchanged=0 held=0 "
                       "unstored=0 corrected=0"),
            std::string::npos)
      << third;
  EXPECT_NE(fourth.find("new_items=1 unchanged=0 held=0 unstored=0 corrected=0"), std::string::npos)
      << fourth;

  // From the start: each item once, the corrected one at its correction's place.
  const std::vector<json> lines = export_lines("");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["published"], "2026-11-27T09:00:00Z") << "a date-only change is none";
  EXPECT_NE(lines[0]["text"].get<std::string>().find("wheat harvest"), std::string::npos)
      << "a guid reused for another story leaves the stored item as it was";
  EXPECT_TRUE(lines[0]["revised"].is_null());
  EXPECT_NE(lines[1]["text"].get<std::string>().find("new runway"), std::string::npos)
      << "an item listed twice keeps its first version";
  EXPECT_NE(lines[2]["text"].get<std::string>().find("from five hours to two"), std::string::npos)
      << lines[2].dump();
  EXPECT_EQ(lines[2]["id"], first_export[0]["id"]);
  EXPECT_TRUE(lines[2]["revised"].is_string()) << lines[2].dump();
  EXPECT_NE(lines[3]["text"].get<std::string>().find("spring floods"), std::string::npos);
  EXPECT_NE(lines[3]["story"], lines[0]["story"]);
  // From the first round's last cursor: the correction, then the new item.
  const std::vector<json> since_first = export_lines("--cursor " + cursor);
  ASSERT_EQ(since_first.size(), 2u);
  EXPECT_EQ(since_first[0]["id"], first_export[0]["id"]);
  EXPECT_NE(since_first[0]["text"].get<std::string>().find("from five hours to two"),
            std::string::npos);
  EXPECT_EQ(since_first[1]["id"], lines[3]["id"]);
}

// One round does not sit out a host's Retry-After (up to retry_after_max, 7 days by
// default): the feeds waiting on that host are left to a later round, and the round ends.
TEST(FetchEndToEndTest, OneRoundLeavesFeedsOfAHeldHostForLater) {
  testing::HttpTestServer server;
  server.HandleStatic("/a.xml", MakeResponse(429, "", {{"Retry-After", "3600"}}));
  server.HandleStatic("/b.xml",
                      MakeResponse(200, kFeed, {{"Content-Type", "application/rss+xml"}}));
  TempDir dir;
  std::string config =
      WriteConfig(dir, "info", {{"a", server.Url("/a.xml")}, {"b", server.Url("/b.xml")}});
  // One request at a time to the host, so feed b waits behind a's 429.
  std::string toml = testing::ReadFile(config);
  const std::string one = "host_inflight = 1";
  toml.replace(toml.find("host_inflight = 0"), one.size(), one);
  testing::WriteFile(config, toml);
  auto round = [&] {
    std::string log;
    EXPECT_EQ(
        RunCommand("timeout 60 " + Bin("newsd") + " --once --config " + config + " 2>&1", &log), 0)
        << log;
    return log;
  };
  const std::string first = round();
  EXPECT_NE(first.find("feed=b not polled this round"), std::string::npos) << first;
  EXPECT_NE(first.find("polled=1 fetched=0 not_modified=0 failed=1 new_items=0 unchanged=0 held=1"),
            std::string::npos)
      << first;
  // The hold is kept: the next round asks the host nothing (a is not due before it ends).
  const std::string second = round();
  EXPECT_NE(
      second.find("polled=0 fetched=0 not_modified=0 failed=0 new_items=0 unchanged=0 held=1"),
      std::string::npos)
      << second;
  EXPECT_EQ(server.RequestsFor("/a.xml").size(), 1u);
  EXPECT_EQ(server.RequestsFor("/b.xml").size(), 0u);
}

// A publisher's Retry-After holds its host for the feeds that reach it through a redirect
// from another host too, in the next round (a new process) as well.
TEST(FetchEndToEndTest, ARetryAfterHoldsTheHostFeedsAreRedirectedTo) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer front, cdn;
  front.HandleStatic("/x.xml", MakeResponse(302, "", {{"Location", cdn.Url("/busy.xml")}}));
  front.HandleStatic("/y.xml", MakeResponse(302, "", {{"Location", cdn.Url("/y.xml")}}));
  cdn.Handle("/busy.xml", [&](const HttpRequest&) {
    // The first answer is a feed; then the host asks to be left alone for 5 minutes.
    if (cdn.RequestsFor("/busy.xml").size() <= 1) return MakeResponse(200, kFeed);
    return MakeResponse(429, "slow down", {{"Retry-After", "300"}});
  });
  cdn.HandleStatic("/y.xml", MakeResponse(200, kFeed));
  TempDir dir;
  const std::string config =
      WriteConfig(dir, "warn", {{"x", front.Url("/x.xml")}, {"y", front.Url("/y.xml")}});
  const std::string once = Bin("newsd") + " --once --config " + config + " 2>&1";
  ASSERT_EQ(RunCommand(once), 0);  // both answered through the redirect
  // x now meets the 429; y, waiting on the same host, may have gone first.
  ASSERT_EQ(RunCommand(once), 0);
  ASSERT_EQ(cdn.RequestsFor("/busy.xml").size(), 2u);
  const size_t y_before = cdn.RequestsFor("/y.xml").size();
  ASSERT_EQ(RunCommand(once), 0);
  EXPECT_EQ(cdn.RequestsFor("/y.xml").size(), y_before)
      << "y was fetched from the held host through its redirect";
  EXPECT_EQ(cdn.RequestsFor("/busy.xml").size(), 2u);
}

// One `newsd --once` round over `feeds` (the configuration is rewritten for it); its log.
std::string OneRound(const TempDir& dir,
                     const std::vector<std::pair<std::string, std::string>>& feeds) {
  const std::string config = WriteConfig(dir, "info", feeds);
  std::string log;
  EXPECT_EQ(RunCommand("timeout 60 " + Bin("newsd") + " --once --config " + config + " 2>&1", &log),
            0)
      << log;
  return log;
}

// A redirect to a host under a Retry-After is not followed, even for a feed that never went
// there before (so it did not wait on that host): the poll stops at the redirect, counts as
// held (not failed), and the feed waits on that host from then on.
TEST(FetchEndToEndTest, ARedirectToAHeldHostIsNotFollowed) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer front, cdn;
  cdn.HandleStatic("/busy.xml", MakeResponse(429, "slow down", {{"Retry-After", "300"}}));
  cdn.HandleStatic("/x.xml", MakeResponse(200, kFeed));
  front.HandleStatic("/x.xml", MakeResponse(302, "", {{"Location", cdn.Url("/x.xml")}}));
  // curl follows a 300 with a Location too.
  front.HandleStatic("/y.xml", MakeResponse(300, "", {{"Location", cdn.Url("/y.xml")}}));
  cdn.HandleStatic("/y.xml", MakeResponse(200, kFeed));
  TempDir dir;
  auto round = [&](const std::vector<std::pair<std::string, std::string>>& feeds) {
    return OneRound(dir, feeds);
  };
  // The cdn asks to be left alone for 5 minutes.
  round({{"busy", cdn.Url("/busy.xml")}});
  ASSERT_EQ(cdn.RequestsFor("/busy.xml").size(), 1u);
  // x is new: its URL's host is free, and its redirect leads to the held cdn.
  const std::string second = round(
      {{"busy", cdn.Url("/busy.xml")}, {"x", front.Url("/x.xml")}, {"y", front.Url("/y.xml")}});
  EXPECT_EQ(front.RequestsFor("/x.xml").size(), 1u);
  EXPECT_EQ(cdn.RequestsFor("/x.xml").size(), 0u) << second;
  EXPECT_EQ(front.RequestsFor("/y.xml").size(), 1u);
  EXPECT_EQ(cdn.RequestsFor("/y.xml").size(), 0u) << second;
  EXPECT_NE(second.find("redirect to 127.0.0.1:" + std::to_string(cdn.port()) + " not followed"),
            std::string::npos)
      << second;
  EXPECT_NE(second.find("polled=2 fetched=0 not_modified=0 failed=0 new_items=0 unchanged=0 "
                        "held=2"),
            std::string::npos)
      << second;
  // Not a failure: x stays active, and its next poll waits for the hold to end.
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json feeds show x", &out),
            0)
      << out;
  const json x = json::parse(out)["feed"];
  EXPECT_EQ(x["state"], "active") << out;
  EXPECT_EQ(x["consecutive_failures"], 0) << out;
  EXPECT_NE(x["state_reason"].get<std::string>().find("not followed"), std::string::npos) << out;
  // The next round asks neither host: x waits on the cdn now.
  round({{"busy", cdn.Url("/busy.xml")}, {"x", front.Url("/x.xml")}});
  EXPECT_EQ(front.RequestsFor("/x.xml").size(), 1u);
  EXPECT_EQ(cdn.RequestsFor("/x.xml").size(), 0u);
  EXPECT_EQ(cdn.RequestsFor("/busy.xml").size(), 1u);
}

// A feed that waits on its redirect's target still asks its own URL first: while that host is
// held by a Retry-After, the feed waits on it (held), not on the free target.
TEST(FetchEndToEndTest, AFeedRedirectedElsewhereWaitsForItsOwnHeldHost) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer front, cdn;
  front.HandleStatic("/busy.xml", MakeResponse(429, "slow down", {{"Retry-After", "300"}}));
  front.HandleStatic("/x.xml", MakeResponse(302, "", {{"Location", cdn.Url("/x.xml")}}));
  cdn.HandleStatic("/x.xml", MakeResponse(200, kFeed));
  TempDir dir;
  auto round = [&](const std::vector<std::pair<std::string, std::string>>& feeds) {
    return OneRound(dir, feeds);
  };
  round({{"x", front.Url("/x.xml")}});  // x learns that cdn answers it
  ASSERT_EQ(cdn.RequestsFor("/x.xml").size(), 1u);
  round({{"x", front.Url("/x.xml")}, {"busy", front.Url("/busy.xml")}});  // front: 5 min hold
  const size_t asked = front.RequestsFor("/x.xml").size();
  ASSERT_EQ(front.RequestsFor("/busy.xml").size(), 1u);
  // Whatever the second round did, the third must not ask the held front for x.
  const std::string third = round({{"x", front.Url("/x.xml")}, {"busy", front.Url("/busy.xml")}});
  EXPECT_EQ(front.RequestsFor("/x.xml").size(), asked) << third;
  EXPECT_NE(third.find("feed=x not polled this round"), std::string::npos) << third;
}

// A feed redirected to another host still asks its own URL's host first, so its poll waits on
// that host's spacing as well as on its target's: the publisher of the URL sees its requests
// spaced out whichever feeds they are for.
TEST(FetchEndToEndTest, ARedirectedPollKeepsTheSpacingOfItsOwnHost) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer front, cdn;
  front.HandleStatic("/x.xml", MakeResponse(302, "", {{"Location", cdn.Url("/x.xml")}}));
  cdn.HandleStatic("/x.xml", MakeResponse(200, kFeed));
  front.HandleStatic("/a.xml", MakeResponse(200, kFeed));
  TempDir dir;
  std::string toml = "[daemon]\ndata_dir = \"" + dir.str() +
                     "/data\"\nlog_level = \"info\"\n[fetch]\nallow_private = true\n"
                     "[politeness]\nhost_inflight = 1\nhost_spacing = \"1s\"\n"
                     "min_interval = \"0s\"\nstartup_jitter = \"0s\"\n";
  for (const char* id : {"x", "a"}) {
    toml += std::string("[[feed]]\nid = \"") + id + "\"\nurl = \"" +
            front.Url(std::string("/") + id + ".xml") + "\"\ninterval = \"0s\"\n";
  }
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, toml);
  const std::string once = "timeout 60 " + Bin("newsd") + " --once --config " + config + " 2>&1";
  std::string log;
  ASSERT_EQ(RunCommand(once, &log), 0) << log;  // x learns that the cdn answers it
  ASSERT_EQ(cdn.RequestsFor("/x.xml").size(), 1u) << log;
  // Both hosts' spacing over: the next round could ask them both at once.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  ASSERT_EQ(RunCommand(once, &log), 0) << log;  // x now waits on the cdn, and on front
  const auto x = front.RequestsFor("/x.xml");
  const auto a = front.RequestsFor("/a.xml");
  ASSERT_EQ(x.size(), 2u) << log;
  ASSERT_EQ(a.size(), 2u) << log;
  const double gap = std::abs(std::chrono::duration<double>(x[1].time - a[1].time).count());
  EXPECT_GE(gap, 0.9) << "front was asked for x and for a " << gap << " s apart\n" << log;
}

// The politeness report counts every request a redirect chain makes, for the host it went
// to, as the publishers' logs do: conditional on every hop, the 304 for the host that sent it.
TEST(FetchEndToEndTest, ThePolitenessReportCountsEveryHopOfARedirectChain) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer a, b, c;
  a.HandleStatic("/feed.xml", MakeResponse(302, "", {{"Location", b.Url("/feed.xml")}}));
  b.HandleStatic("/feed.xml", MakeResponse(302, "", {{"Location", c.Url("/feed.xml")}}));
  c.Handle("/feed.xml", [](const HttpRequest& r) {
    if (r.Header("If-None-Match") == std::string(kEtag)) return MakeResponse(304, "");
    return MakeResponse(200, kFeed, {{"ETag", kEtag}});
  });
  TempDir dir;
  const std::string config = WriteConfig(dir, "warn", {{"chain", a.Url("/feed.xml")}});
  const std::string once = Bin("newsd") + " --once --config " + config + " 2>&1";
  ASSERT_EQ(RunCommand(once), 0);
  ASSERT_EQ(RunCommand(once), 0);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json politeness", &out), 0);
  const json report = json::parse(out);
  std::map<std::string, json> by_host;
  for (const json& h : report["hosts"]) by_host[h["host"].get<std::string>()] = h;
  for (const testing::HttpTestServer* server : {&a, &b, &c}) {
    const std::string host = "127.0.0.1:" + std::to_string(server->port());
    ASSERT_EQ(server->RequestCount(), 2u) << host;
    ASSERT_TRUE(by_host.count(host)) << host << " missing: " << out;
    EXPECT_EQ(by_host[host]["requests"], 2) << host;
    EXPECT_EQ(by_host[host]["conditional"], 1) << host;
  }
  EXPECT_EQ(by_host["127.0.0.1:" + std::to_string(c.port())]["not_modified"], 1);
}

// The hops of a poll that failed (too many redirects) were requests too.
TEST(FetchEndToEndTest, ThePolitenessReportCountsTheHopsOfAFailedPoll) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  server.SetFallback([](const HttpRequest& r) {  // /loop/N -> /loop/N+1, for ever
    const int n = std::atoi(r.path.substr(r.path.rfind('/') + 1).c_str());
    return MakeResponse(302, "", {{"Location", "/loop/" + std::to_string(n + 1)}});
  });
  TempDir dir;
  const std::string config = WriteConfig(dir, "error", {{"loop", server.Url("/loop/0")}});
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json politeness", &out), 0);
  const json report = json::parse(out);
  ASSERT_EQ(report["hosts"].size(), 1u) << out;
  EXPECT_GT(server.RequestCount(), 1u);
  EXPECT_EQ(report["hosts"][0]["requests"], server.RequestCount()) << out;
}

// A log reader that goes away (`newsd ... 2>&1 | head`, a supervisor's pipe closed) does not
// kill the daemon with SIGPIPE at its next log line: its round runs to the end.
TEST(FetchEndToEndTest, ALogReaderGoneIsNoReasonToDie) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  server.HandleStatic("/feed.xml",
                      MakeResponse(200, kFeed, {{"Content-Type", "application/rss+xml"}}));
  TempDir dir;
  const std::string config = WriteConfig(dir, "debug", {{"f", server.Url("/feed.xml")}});
  // The pipe's reader exits at once; newsd's first log line comes after it.
  RunCommand("{ " + Bin("newsd") + " --once --config " + config + "; echo $? > " + dir.str() +
             "/rc; } 2>&1 | (exit 0)");
  EXPECT_EQ(testing::ReadFile(dir.str() + "/rc"), "0\n");
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json export", &out), 0);
  EXPECT_NE(out.find("\"feed\":\"f\""), std::string::npos) << out;
}

// Serves kFeed plain at /feed.xml under `coding`, a Content-Encoding no client decodes.
void ServeUnderWrongEncoding(testing::HttpTestServer& server, const std::string& coding) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  server.HandleStatic("/feed.xml", MakeResponse(200, kFeed,
                                                {{"Content-Type", "application/rss+xml"},
                                                 {"Content-Encoding", coding}}));
}

// A publisher whose server says "Content-Encoding: UTF-8" (a charset in the wrong header) is
// read all the same: its items are stored, the log says why it was asked twice, and the
// politeness report counts both requests.
TEST(FetchEndToEndTest, AFeedUnderAWrongContentEncodingIsStored) {
  testing::HttpTestServer server;
  ServeUnderWrongEncoding(server, "UTF-8");
  TempDir dir;
  const std::string config = WriteConfig(dir, "info", {{"wrong", server.Url("/feed.xml")}});
  std::string log;
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &log), 0) << log;
  EXPECT_NE(log.find("sends Content-Encoding \"UTF-8\""), std::string::npos) << log;
  EXPECT_EQ(log.find("fetch failed"), std::string::npos) << log;
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json export", &out), 0);
  EXPECT_NE(out.find("\"feed\":\"wrong\""), std::string::npos) << out;
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json politeness", &out), 0);
  const json report = json::parse(out);
  ASSERT_EQ(report["hosts"].size(), 1u) << out;
  EXPECT_EQ(server.RequestCount(), 2u);
  EXPECT_EQ(report["hosts"][0]["requests"], 2) << out;
}

// Has the service poll feed "wrong" now and waits for the server's `expected`-th request (and
// a moment more, in which no other should come); returns the feed's requests.
std::vector<HttpRequest> PollWrong(const testing::Service& service,
                                   const testing::HttpTestServer& server, size_t expected) {
  std::string out;
  EXPECT_EQ(service.Ctl("feeds poll wrong", &out), 0) << out;
  for (int i = 0; i < 200 && server.RequestCount() < expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  return server.RequestsFor("/feed.xml");
}

// The service remembers such a feed in its archive: its next polls ask without compression at
// once, one request each instead of two, after a restart too; `feeds show` names the header.
TEST(FetchEndToEndTest, AFeedUnderAWrongContentEncodingIsAskedPlainFromThenOn) {
  testing::HttpTestServer server;
  ServeUnderWrongEncoding(server, "aws-chunked");
  TempDir dir;
  const std::string sock = dir.str() + "/admin.sock";
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 sock + "\"\n" + kLoopbackProfile +
                                 "[[feed]]\nid = \"wrong\"\nurl = \"" + server.Url("/feed.xml") +
                                 "\"\ninterval = \"1h\"\n");
  testing::Service service(config, sock);
  ASSERT_TRUE(service.ready());
  ASSERT_EQ(service.WaitStories(2), 2u);
  EXPECT_EQ(server.RequestCount(), 2u);  // compressed, refused; then plain
  const auto requests = PollWrong(service, server, 3);
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[0].Header("Accept-Encoding").has_value());
  EXPECT_FALSE(requests[1].Header("Accept-Encoding").has_value());
  EXPECT_FALSE(requests[2].Header("Accept-Encoding").has_value());
  EXPECT_EQ(service.Stop(), 0);
  testing::Service restarted(config, sock);
  ASSERT_TRUE(restarted.ready());
  std::string out;
  ASSERT_EQ(restarted.Ctl("feeds show wrong", &out), 0) << out;
  EXPECT_NE(out.find("content_encoding:      \"aws-chunked\" (names no compression"),
            std::string::npos)
      << out;
  const auto after = PollWrong(restarted, server, 4);
  ASSERT_EQ(after.size(), 4u);
  EXPECT_FALSE(after[3].Header("Accept-Encoding").has_value());
  EXPECT_EQ(restarted.Stop(), 0);
}

// A stop signal lets the service's polls in hand finish, but not for ever: a feed that trickles
// its body (here endlessly, faster than the low-speed limit) is abandoned at a second signal or
// after the grace, without a failure recorded for it, so the next start polls it again.
class StopWhileAFeedTricklesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    server_.HandleStatic("/fast.xml",
                         MakeResponse(200, kFeed, {{"Content-Type", "application/rss+xml"}}));
    server_.Handle("/slow.xml", [this](const HttpRequest&) {
      if (trickle_) {
        asked_ = true;
        HttpResponse r = MakeResponse(200, "<rss version=\"2.0\"><channel>");
        r.endless = true;
        r.piece_delay = std::chrono::milliseconds(100);
        return r;
      }
      // Other articles than the fast feed's (other guids and addresses): the same ones
      // would be the fast feed's stored articles, not new items.
      std::string body = kFeed;
      for (const char* guid : {"one", "two"}) {
        body.replace(body.find(std::string("<guid>") + guid), 6 + std::strlen(guid),
                     std::string("<guid>slow-") + guid);
      }
      for (size_t at = body.find("127.0.0.1/"); at != std::string::npos;
           at = body.find("127.0.0.1/", at + 1)) {
        body.insert(at + 10, "slow/");
      }
      return MakeResponse(200, body, {{"Content-Type", "application/rss+xml"}});
    });
    config_ = WriteConfig(dir_, "info",
                          {{"fast", server_.Url("/fast.xml")}, {"slow", server_.Url("/slow.xml")}});
    testing::WriteFile(config_, "[daemon]\nadmin_socket = \"" + dir_.str() + "/admin.sock\"\n" +
                                    testing::ReadFile(config_).substr(9));  // after "[daemon]\n"
  }

  // Starts the service (or with `once`, one round: newsd --once), its log in dir/newsd.log, and
  // waits until the slow feed is fetching.
  pid_t StartRound(bool once = false) {
    const pid_t pid = testing::Spawn(
        {"/bin/sh", "-c",
         "exec " + Bin("newsd") + (once ? " --once" : "") + " --config " + config_ + " 2>" + Log()},
        {});
    for (int i = 0; i < 1000 && !asked_; ++i) std::this_thread::sleep_for(kStep);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return pid;
  }
  std::string Log() const { return dir_.str() + "/newsd.log"; }
  // Sends `signo` twice, half a second apart (newsd still running after the first, its poll in
  // hand), waits for the exit; its exit status (-1: killed) and log.
  std::pair<int, std::string> StopTwice(pid_t pid, int signo) {
    EXPECT_EQ(::kill(pid, signo), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    int wstatus = 0;
    EXPECT_EQ(::waitpid(pid, &wstatus, WNOHANG), 0) << "the first signal waits for the poll";
    EXPECT_EQ(::kill(pid, signo), 0);
    EXPECT_EQ(::waitpid(pid, &wstatus, 0), pid);
    return {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, testing::ReadFile(Log())};
  }
  // The next round gets the slow feed whole: it is due, not backing off. Returns its log.
  std::string NextRoundPollsTheSlowFeed() {
    trickle_ = false;
    std::string out;
    EXPECT_EQ(RunCommand(Bin("newsd") + " --once --config " + config_ + " 2>&1", &out), 0);
    EXPECT_NE(out.find("feed=slow fetched: 2 entries, 2 new"), std::string::npos) << out;
    return out;
  }
  // One round, stopped by `signo` twice: it exits 128 + signo, having abandoned its slow
  // poll and failed none; the next round polls the slow feed.
  void ExpectOneRoundStopsOn(int signo) {
    const pid_t pid = StartRound(/*once=*/true);
    ASSERT_GT(pid, 0);
    ASSERT_TRUE(asked_.load());
    const auto [status, log] = StopTwice(pid, signo);
    const std::string sig = std::to_string(signo);
    EXPECT_EQ(status, 128 + signo) << log;
    EXPECT_NE(log.find("received signal " + sig + " again: abandoning "), std::string::npos) << log;
    EXPECT_NE(log.find("round stopped by signal " + sig), std::string::npos) << log;
    EXPECT_EQ(log.find("fetch failed"), std::string::npos) << log;
    NextRoundPollsTheSlowFeed();
  }
  static constexpr std::chrono::milliseconds kStep{10};

  testing::HttpTestServer server_;
  TempDir dir_;
  std::string config_;
  std::atomic<bool> trickle_{true}, asked_{false};
};

TEST_F(StopWhileAFeedTricklesTest, ASecondSignalAbandonsItAndTheNextStartPollsItAgain) {
  const pid_t pid = StartRound();
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(asked_.load());
  const auto [status, log] = StopTwice(pid, SIGTERM);
  EXPECT_EQ(status, 0) << log;
  // The slow feed's fetch at least (the fast one, polled again and again, may be under way).
  EXPECT_NE(log.find("received signal 15 again: abandoning "), std::string::npos) << log;
  EXPECT_EQ(log.find("fetch failed"), std::string::npos) << log;
  NextRoundPollsTheSlowFeed();
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir_.str() + "/data export", &out), 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4) << out;
}

// One round (newsd --once, from cron or a terminal) stops the same way, and says by its exit
// status that it did not finish.
TEST_F(StopWhileAFeedTricklesTest, OneRoundStopsAsTheServiceDoesAndExitsWithTheSignal) {
  ExpectOneRoundStopsOn(SIGINT);
}

// A hangup (the terminal one round was started from went away) stops it the same way: it has
// no configuration to reload, and the default action would lose the round's summary.
TEST_F(StopWhileAFeedTricklesTest, OneRoundStopsOnAHangupToo) { ExpectOneRoundStopsOn(SIGHUP); }

TEST_F(StopWhileAFeedTricklesTest, OneSignalAbandonsItAfterTheGrace) {
  const pid_t pid = StartRound();
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(asked_.load());
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  const std::string log = testing::ReadFile(Log());
  ASSERT_TRUE(WIFEXITED(wstatus)) << log;
  EXPECT_EQ(WEXITSTATUS(wstatus), 0) << log;
  EXPECT_NE(log.find("10 s after the stop signal: abandoning "), std::string::npos) << log;
}

}  // namespace
}  // namespace newsd
