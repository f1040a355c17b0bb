// newsd as a service against a strict publisher on 127.0.0.1, in real time on a short
// schedule (1 s intervals): conditional GETs with byte-exact validators while the ETag
// rotates, Retry-After obeyed, 410 stops polling, a 301 confirmed before the URL changes,
// errors back off, and hostile answers (decompressed-size cap, redirect loop, endless body)
// are logged and counted while the daemon keeps running. The same rules are tested with exact
// times in tests/daemon/poll_policy_test.cc and host_gate_test.cc.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/http_test_server.h"
#include "tests/support/test_util.h"

namespace newsd {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::MakeResponse;

using testing::Bin;

std::string OneStoryFeed(const std::string& tag) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>" + tag +
         "</title><item><title>Story " + tag + "</title><guid>" + tag +
         "-1</guid><description>The " + tag +
         " desk reports that a new bridge over the river opened to traffic on Monday after "
         "three years of construction work.</description></item></channel></rss>";
}

// A publisher that checks validators for strict equality and rotates its ETag on every
// answer while Last-Modified stays the same.
class StrictFeed {
 public:
  HttpResponse Answer(const HttpRequest& r) {
    std::lock_guard lock(mu_);
    const auto inm = r.Header("If-None-Match");
    const auto ims = r.Header("If-Modified-Since");
    ++requests_;
    if (inm || ims) {
      ++conditional_;
      if (inm != etag_ || ims != std::string(kLastModified)) ++wrong_validators_;
    }
    const bool fresh = inm == etag_ && ims == std::string(kLastModified);
    etag_ = "\"v" + std::to_string(requests_) + "\"";
    if (fresh) return MakeResponse(304, "", {{"ETag", etag_}});
    return MakeResponse(200, OneStoryFeed("strict"),
                        {{"ETag", etag_}, {"Last-Modified", kLastModified}});
  }
  int requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  int conditional() const {
    std::lock_guard lock(mu_);
    return conditional_;
  }
  int wrong_validators() const {
    std::lock_guard lock(mu_);
    return wrong_validators_;
  }

 private:
  static constexpr char kLastModified[] = "Sat, 28 Nov 2026 10:00:00 GMT";
  mutable std::mutex mu_;
  std::string etag_ = "\"v0\"";
  int requests_ = 0, conditional_ = 0, wrong_validators_ = 0;
};

double SecondsBetween(const HttpRequest& a, const HttpRequest& b) {
  return std::chrono::duration<double>(b.time - a.time).count();
}

class PolitenessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    server_.Handle("/strict.xml", [this](const HttpRequest& r) { return strict_.Answer(r); });
    server_.Handle("/throttled.xml", [this](const HttpRequest&) {
      if (server_.RequestsFor("/throttled.xml").size() <= 1) {
        return MakeResponse(429, "slow down", {{"Retry-After", "3"}});
      }
      return MakeResponse(200, OneStoryFeed("throttled"));
    });
    server_.HandleStatic("/gone.xml", MakeResponse(410, "gone"));
    server_.HandleStatic("/moved.xml", MakeResponse(301, "", {{"Location", "/moved-new.xml"}}));
    server_.HandleStatic("/moved-new.xml", MakeResponse(200, OneStoryFeed("moved")));
    server_.HandleStatic("/error.xml", MakeResponse(500, "oops"));
    server_.HandleStatic("/bomb.xml",
                         MakeResponse(200, testing::GzipStored(std::string(3 << 20, 'x')),
                                      {{"Content-Encoding", "gzip"}}));
    server_.HandleStatic("/loop-a.xml", MakeResponse(302, "", {{"Location", "/loop-b.xml"}}));
    server_.HandleStatic("/loop-b.xml", MakeResponse(302, "", {{"Location", "/loop-a.xml"}}));
    HttpResponse endless = MakeResponse(200, std::string(1024, 'x'));
    endless.endless = true;
    endless.piece_delay = milliseconds(10);
    server_.HandleStatic("/endless.xml", endless);
  }

  std::string Config() {
    std::string toml = "[daemon]\ndata_dir = \"" + dir_.str() + "/data\"\nadmin_socket = \"" +
                       dir_.str() +
                       "/admin.sock\"\n"
                       "[fetch]\nallow_private = true\ntimeout = \"2s\"\n"
                       "max_body_bytes = 1048576\n"
                       "[politeness]\nhost_inflight = 0\nhost_spacing = \"0s\"\n"
                       "min_interval = \"0s\"\nstartup_jitter = \"0s\"\nbackoff_cap = \"4s\"\n"
                       "redirect_confirmations = 2\nredirect_period = \"0s\"\n";
    for (const char* f :
         {"strict", "throttled", "gone", "moved", "error", "bomb", "loop-a", "endless"}) {
      toml += std::string("[[feed]]\nid = \"") + f + "\"\nurl = \"" +
              server_.Url(std::string("/") + f + ".xml") + "\"\ninterval = \"1s\"\n";
    }
    return toml;
  }

  // Runs the service for `run` once it is up (its admin socket exists: signal handlers are in
  // place; a slow start, under ASan say, must not eat the run), then SIGTERM; the exit status
  // must be 0.
  void RunService(milliseconds run) {
    testing::WriteFile(dir_.str() + "/newsd.toml", Config());
    const std::string sock = dir_.str() + "/admin.sock";
    ::unlink(sock.c_str());
    pid_t pid = testing::Spawn(
        {Bin("newsd"), "--config", dir_.str() + "/newsd.toml", "--log-level", "warn"}, {});
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(testing::WaitForSocket(sock, std::chrono::seconds(20))) << "newsd did not start";
    std::this_thread::sleep_for(run);
    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(WIFEXITED(wstatus));
    EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  }

  std::map<std::string, json> Feeds() {
    std::string out;
    EXPECT_EQ(testing::RunCommand(
                  Bin("newsctl") + " --db " + dir_.str() + "/data --json feeds list", &out),
              0)
        << out;
    std::map<std::string, json> by_id;
    const json list = json::parse(out);
    for (const json& f : list["feeds"]) by_id[f["id"].get<std::string>()] = f;
    EXPECT_EQ(by_id.size(), 8u) << out;
    return by_id;
  }

  testing::TempDir dir_;
  testing::HttpTestServer server_;
  StrictFeed strict_;
};

TEST_F(PolitenessTest, StrictPublisherGradesNewsdWell) {
  RunService(milliseconds(7500));
  std::map<std::string, json> feeds = Feeds();

  // Every poll after the first is conditional, with the validators byte-exact even though
  // the ETag changed on every answer (a 304 that carries a new ETag must update it).
  EXPECT_GE(strict_.requests(), 3);  // 7.5 s at 1 s, minus the host-wide Retry-After: 3
  EXPECT_EQ(strict_.conditional(), strict_.requests() - 1);
  EXPECT_EQ(strict_.wrong_validators(), 0);
  EXPECT_EQ(feeds["strict"]["state"], "active");

  // 429 with Retry-After: 3 — the next request comes no sooner.
  auto throttled = server_.RequestsFor("/throttled.xml");
  ASSERT_GE(throttled.size(), 2u);
  EXPECT_GE(SecondsBetween(throttled[0], throttled[1]), 2.9);
  EXPECT_EQ(feeds["throttled"]["state"], "active");

  // 410: asked once, never again.
  EXPECT_EQ(server_.RequestsFor("/gone.xml").size(), 1u);
  EXPECT_EQ(feeds["gone"]["state"], "gone");

  // 301: confirmed twice, then the feed is polled at its new address only. Its first redirect
  // may meet the host-wide Retry-After of "throttled" (same host): then it is not followed (a
  // request to a held host) and is no confirmation, so the old URL is asked up to 3 times.
  const size_t moved = server_.RequestsFor("/moved.xml").size();
  EXPECT_GE(moved, 2u);
  EXPECT_LE(moved, 3u);
  EXPECT_GE(server_.RequestsFor("/moved-new.xml").size(), 2u);
  EXPECT_EQ(feeds["moved"]["url"], server_.Url("/moved-new.xml"));

  // Errors back off: never sooner than the interval, and growing.
  auto errors = server_.RequestsFor("/error.xml");
  ASSERT_GE(errors.size(), 2u);
  for (size_t i = 1; i < errors.size(); ++i) {
    EXPECT_GE(SecondsBetween(errors[i - 1], errors[i]), 0.95);
  }
  EXPECT_LE(errors.size(), 5u) << "1 s interval, exponential backoff over 7.5 s";
  EXPECT_EQ(feeds["error"]["state"], "backoff");
  EXPECT_NE(feeds["error"]["state_reason"].get<std::string>().find("HTTP 500"), std::string::npos);

  // Hostile answers are errors of their feed only.
  EXPECT_EQ(feeds["bomb"]["state"], "backoff");
  const std::string bomb_error = feeds["bomb"]["last_error"].get<std::string>();
  EXPECT_TRUE(bomb_error.find("larger than") != std::string::npos ||
              bomb_error.find("file size exceeded") != std::string::npos)
      << bomb_error;
  EXPECT_EQ(feeds["loop-a"]["state"], "backoff");
  // A poll follows at most max_redirects (5) hops: 6 requests, in at most 5 polls (backoff).
  EXPECT_LE(server_.RequestsFor("/loop-a.xml").size() + server_.RequestsFor("/loop-b.xml").size(),
            5u * 6u);
  EXPECT_EQ(feeds["endless"]["state"], "backoff");

  // The politeness report, kept in the archive.
  std::string out;
  ASSERT_EQ(
      testing::RunCommand(Bin("newsctl") + " --db " + dir_.str() + "/data --json politeness", &out),
      0);
  const json report = json::parse(out);
  ASSERT_EQ(report["hosts"].size(), 1u) << out;
  const json& host = report["hosts"][0];
  // Every request the server saw, redirect hops included (as its access log counts them);
  // a poll cut off by the stop may be missing.
  EXPECT_LE(host["requests"].get<size_t>(), server_.RequestCount()) << out;
  EXPECT_GE(host["requests"].get<size_t>() + 2, server_.RequestCount()) << out;
  EXPECT_GE(host["not_modified"].get<int>(), strict_.requests() - 1) << out;
  EXPECT_GE(host["throttled"].get<int>(), 1) << out;
  EXPECT_EQ(host["retry_after_honoured"], true) << out;
}

TEST_F(PolitenessTest, RestartKeepsRetryAfterAndTheFloor) {
  // A first run gets the 429; a restart right away must still wait for the Retry-After.
  server_.Handle("/throttled.xml", [](const HttpRequest&) {
    return MakeResponse(429, "slow down", {{"Retry-After", "120"}});
  });
  RunService(milliseconds(800));
  ASSERT_EQ(server_.RequestsFor("/throttled.xml").size(), 1u);
  RunService(milliseconds(1200));
  EXPECT_EQ(server_.RequestsFor("/throttled.xml").size(), 1u) << "Retry-After survives";
  EXPECT_EQ(server_.RequestsFor("/strict.xml").size(), 1u)
      << "the host-wide Retry-After (allow_private) survives too";
  EXPECT_EQ(server_.RequestsFor("/gone.xml").size(), 1u) << "gone survives a restart";
}

}  // namespace
}  // namespace newsd
