#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "fetchers/asio.h"
#include "fetchers/http_client.h"
#include "tests/support/http_test_server.h"
#include "tests/support/test_util.h"

namespace newsd::fetchers {
namespace {

using namespace std::chrono_literals;
using newsd::testing::HttpRequest;
using newsd::testing::HttpResponse;
using newsd::testing::HttpTestServer;
using newsd::testing::MakeResponse;

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

// True when /etc/hosts maps `name` to a 127.x address (so resolving it never leaves the box).
bool HostsFileMapsToLoopback(const std::string& name) {
  std::ifstream in("/etc/hosts");
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::string addr;
    std::string alias;
    if (!(fields >> addr) || addr.rfind("127.", 0) != 0) continue;
    while (fields >> alias) {
      if (alias == name) return true;
    }
  }
  return false;
}

FetchRequest Req(std::string url, std::string etag = "", std::string last_modified = "") {
  FetchRequest r;
  r.url = std::move(url);
  r.etag = std::move(etag);
  r.last_modified = std::move(last_modified);
  return r;
}

Options TestOptions() {
  Options o;
  o.connect_timeout_ms = 5'000;
  o.total_timeout_ms = 10'000;
  o.allow_private = true;  // the test server is on 127.0.0.1
  return o;
}

class CurlClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Only loopback is ever contacted; make sure no proxy from the environment gets in the way.
    const std::string no_proxy = "127.0.0.1,localhost," + HostName();
    setenv("no_proxy", no_proxy.c_str(), 1);
    setenv("NO_PROXY", no_proxy.c_str(), 1);
  }

  void SetUp() override { MakeClient(TestOptions()); }

  void MakeClient(const Options& options) {
    client_.reset();
    auto client = MakeCurlClient(io_, options);
    ASSERT_TRUE(client.has_value()) << client.error().ToString();
    client_ = std::move(*client);
  }

  // A client that sends everything through server_ (as an HTTP proxy), allow_private off.
  void MakeProxiedClient() {
    Options o = TestOptions();
    o.allow_private = false;
    o.proxy = server_.Url("");
    MakeClient(o);
  }

  // Runs the loop until `done()` or `timeout`.
  template <class Pred>
  bool RunUntil(Pred done, std::chrono::milliseconds timeout = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(20ms);
    }
    return done();
  }

  FetchResult FetchOne(FetchRequest request) {
    std::optional<FetchResult> result;
    client_->Fetch(std::move(request), [&](FetchResult r) { result = std::move(r); });
    EXPECT_FALSE(result.has_value()) << "callback ran inline";
    EXPECT_TRUE(RunUntil([&] { return result.has_value(); })) << "fetch did not finish";
    return result.value_or(FetchResult{});
  }

  asio::io_context io_;
  HttpTestServer server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(CurlClientTest, OkResponseCapturesBodyAndValidators) {
  server_.HandleStatic("/feed.xml",
                       MakeResponse(200, "<rss/>",
                                    {{"ETag", "W/\"a b\""},
                                     {"Last-Modified", "Sat,  1 Nov 2026 10:00:00 GMT"},
                                     {"Content-Type", "application/rss+xml; charset=utf-8"}}));
  const FetchResult r = FetchOne(Req(server_.Url("/feed.xml")));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "<rss/>");
  EXPECT_EQ(r.etag, "W/\"a b\"");
  EXPECT_EQ(r.last_modified, "Sat,  1 Nov 2026 10:00:00 GMT");
  EXPECT_EQ(r.content_type, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(r.effective_url, server_.Url("/feed.xml"));
  EXPECT_FALSE(r.retry_after_seconds.has_value());
  EXPECT_GE(r.elapsed_ms, 0);

  const auto requests = server_.RequestsFor("/feed.xml");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].Header("User-Agent"),
            std::string("newsd/") + NEWSD_VERSION + " (+https://github.com/newsd/newsd)");
  EXPECT_FALSE(requests[0].Header("If-None-Match").has_value());
  EXPECT_FALSE(requests[0].Header("If-Modified-Since").has_value());
  EXPECT_FALSE(requests[0].Header("Cookie").has_value());
  ASSERT_TRUE(requests[0].Header("Accept-Encoding").has_value());
  EXPECT_NE(requests[0].Header("Accept-Encoding")->find("gzip"), std::string::npos);
  EXPECT_EQ(client_->InFlight(), 0u);
}

TEST_F(CurlClientTest, CustomUserAgent) {
  Options o = TestOptions();
  o.user_agent = "newsd-test/9 (+mailto:ops@example.invalid)";
  MakeClient(o);
  server_.HandleStatic("/ua", MakeResponse(200, "x"));
  ASSERT_TRUE(FetchOne(Req(server_.Url("/ua"))).status.ok());
  EXPECT_EQ(server_.RequestsFor("/ua").at(0).Header("User-Agent"), o.user_agent);
}

TEST_F(CurlClientTest, ConditionalGetSendsValidatorsByteExactAndGets304) {
  const std::string etag = "W/\"a b\"";
  const std::string lm = "saturday, 01-Nov-26 10:00:00 GMT";  // deliberately non-canonical
  server_.Handle("/feed.xml", [&](const HttpRequest& req) {
    if (req.Header("If-None-Match") == etag) return MakeResponse(304, "", {{"ETag", etag}});
    return MakeResponse(200, "<rss/>", {{"ETag", etag}, {"Last-Modified", lm}});
  });
  const FetchResult first = FetchOne(Req(server_.Url("/feed.xml")));
  ASSERT_TRUE(first.status.ok());
  ASSERT_EQ(first.etag, etag);
  ASSERT_EQ(first.last_modified, lm);

  const FetchResult second =
      FetchOne(Req(server_.Url("/feed.xml"), first.etag, first.last_modified));
  ASSERT_TRUE(second.status.ok()) << second.status.ToString();
  EXPECT_EQ(second.http_status, 304);
  EXPECT_EQ(second.body, "");
  EXPECT_EQ(second.etag, etag);
  EXPECT_EQ(second.last_modified, "");  // the 304 did not repeat it

  const auto requests = server_.RequestsFor("/feed.xml");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].Header("If-None-Match"), etag);
  EXPECT_EQ(requests[1].Header("If-Modified-Since"), lm);
}

TEST_F(CurlClientTest, OddValidatorBytesRoundTrip) {
  const std::string etag = "\"caf\xe9\tv=1;\"";  // Latin-1 byte and an inner tab
  const std::string lm = "1 Nov 2026 10:00 +0100 (whatever)";
  server_.HandleStatic("/odd", MakeResponse(200, "x", {{"ETag", etag}, {"Last-Modified", lm}}));
  const FetchResult a = FetchOne(Req(server_.Url("/odd")));
  ASSERT_TRUE(a.status.ok());
  EXPECT_EQ(a.etag, etag);
  EXPECT_EQ(a.last_modified, lm);
  ASSERT_TRUE(FetchOne(Req(server_.Url("/odd"), a.etag, a.last_modified)).status.ok());
  const auto requests = server_.RequestsFor("/odd");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].Header("If-None-Match"), etag);
  EXPECT_EQ(requests[1].Header("If-Modified-Since"), lm);
}

TEST_F(CurlClientTest, OnlyNonEmptyValidatorsAreSent) {
  server_.HandleStatic("/f", MakeResponse(200, "x"));
  ASSERT_TRUE(FetchOne(Req(server_.Url("/f"), "\"e1\"")).status.ok());
  const auto requests = server_.RequestsFor("/f");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Header("If-None-Match"), "\"e1\"");
  EXPECT_FALSE(requests[0].Header("If-Modified-Since").has_value());
}

// A validator that cannot go out byte-exact is left out (no header injection), and the feed is
// still fetched: failing every poll before its request would stop it for good.
TEST_F(CurlClientTest, ValidatorWithNewlineIsLeftOut) {
  server_.HandleStatic("/f", MakeResponse(200, "x"));
  const FetchResult r = FetchOne(Req(server_.Url("/f"), "\"x\"\r\nX-Evil: 1", "a\rb"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  const auto requests = server_.RequestsFor("/f");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_FALSE(requests[0].Header("If-None-Match").has_value());
  EXPECT_FALSE(requests[0].Header("If-Modified-Since").has_value());
  EXPECT_FALSE(requests[0].Header("X-Evil").has_value());
}

// A server's ETag with a bare CR in it could not be sent back: it is not kept.
TEST_F(CurlClientTest, ValidatorThatCannotBeSentBackIsNotKept) {
  server_.HandleStatic(
      "/cr", MakeResponse(200, "x", {{"ETag", "\"a\rb\""}, {"Last-Modified", "Sat, 01 Nov 2026"}}));
  const FetchResult r = FetchOne(Req(server_.Url("/cr")));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.etag, "");
  EXPECT_EQ(r.last_modified, "Sat, 01 Nov 2026");
}

TEST_F(CurlClientTest, EtagRotationWithSameLastModifiedIsCaptured) {
  int n = 0;
  server_.Handle("/feed.xml", [&](const HttpRequest&) {
    ++n;
    return MakeResponse(200, "body" + std::to_string(n),
                        {{"ETag", "\"v" + std::to_string(n) + "\""},
                         {"Last-Modified", "Sat, 01 Nov 2026 10:00:00 GMT"}});
  });
  const FetchResult a = FetchOne(Req(server_.Url("/feed.xml")));
  const FetchResult b = FetchOne(Req(server_.Url("/feed.xml"), a.etag, a.last_modified));
  EXPECT_EQ(a.etag, "\"v1\"");
  EXPECT_EQ(b.etag, "\"v2\"");
  EXPECT_EQ(b.last_modified, a.last_modified);
  EXPECT_EQ(b.body, "body2");
  EXPECT_EQ(server_.RequestsFor("/feed.xml").at(1).Header("If-None-Match"), "\"v1\"");
}

TEST_F(CurlClientTest, RedirectGivesEffectiveUrlAndFinalValidators) {
  server_.HandleStatic("/old", MakeResponse(301, "moved",
                                            {{"Location", "/new"},
                                             {"ETag", "\"old\""},
                                             {"Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"},
                                             {"Retry-After", "30"}}));
  server_.HandleStatic(
      "/new", MakeResponse(200, "<feed/>",
                           {{"etag", "\"new\""}, {"content-type", "application/atom+xml"}}));
  const FetchResult r = FetchOne(Req(server_.Url("/old")));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.effective_url, server_.Url("/new"));
  EXPECT_EQ(r.body, "<feed/>");
  EXPECT_EQ(r.etag, "\"new\"");
  EXPECT_EQ(r.last_modified, "");  // only the 301 had one
  EXPECT_EQ(r.content_type, "application/atom+xml");
  EXPECT_FALSE(r.retry_after_seconds.has_value());
}

TEST_F(CurlClientTest, RedirectLoopIsBounded) {
  Options o = TestOptions();
  o.max_redirects = 3;
  MakeClient(o);
  server_.HandleStatic("/loop", MakeResponse(302, "", {{"Location", "/loop"}}));
  const FetchResult r = FetchOne(Req(server_.Url("/loop")));
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Status::Code::kUnavailable) << r.status.ToString();
  EXPECT_EQ(server_.RequestsFor("/loop").size(), 4u);  // the request plus 3 redirects
}

TEST_F(CurlClientTest, RedirectToFileIsRefused) {
  server_.HandleStatic("/tofile", MakeResponse(302, "", {{"Location", "file:///etc/hostname"}}));
  const FetchResult r = FetchOne(Req(server_.Url("/tofile")));
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.body, "");
  // Said as what it is, with the target: not libcurl's "not supported or disabled".
  EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument) << r.status.ToString();
  EXPECT_NE(r.status.message().find("redirect to \"file:///etc/hostname\" refused: newsd "
                                    "follows redirects to http and https only"),
            std::string::npos)
      << r.status.ToString();
  server_.HandleStatic("/toftp", MakeResponse(301, "", {{"Location", "FTP://127.0.0.1/x"}}));
  const FetchResult ftp = FetchOne(Req(server_.Url("/toftp")));
  EXPECT_NE(ftp.status.message().find("refused: newsd follows redirects to http and https only"),
            std::string::npos)
      << ftp.status.ToString();
}

TEST_F(CurlClientTest, UnsupportedSchemeIsAnError) {
  const FetchResult r = FetchOne(Req("ftp://127.0.0.1:1/x"));
  EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument) << r.status.ToString();
}

TEST_F(CurlClientTest, HttpErrorsAreOkStatusesWithCodeAndRetryAfter) {
  server_.HandleStatic("/404", MakeResponse(404, "nope"));
  server_.HandleStatic("/410", MakeResponse(410, "gone"));
  server_.HandleStatic("/429", MakeResponse(429, "slow down", {{"Retry-After", "120"}}));
  char date[64];
  const time_t later = std::time(nullptr) + 3600;
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&later));
  server_.HandleStatic("/503", MakeResponse(503, "busy", {{"Retry-After", date}}));
  server_.HandleStatic("/soon", MakeResponse(429, "later", {{"Retry-After", "soon"}}));

  const FetchResult r404 = FetchOne(Req(server_.Url("/404")));
  EXPECT_TRUE(r404.status.ok());
  EXPECT_EQ(r404.http_status, 404);
  EXPECT_EQ(r404.body, "nope");
  const FetchResult r410 = FetchOne(Req(server_.Url("/410")));
  EXPECT_TRUE(r410.status.ok());
  EXPECT_EQ(r410.http_status, 410);
  const FetchResult r429 = FetchOne(Req(server_.Url("/429")));
  EXPECT_TRUE(r429.status.ok());
  EXPECT_EQ(r429.http_status, 429);
  EXPECT_EQ(r429.retry_after_seconds, 120);
  const FetchResult r503 = FetchOne(Req(server_.Url("/503")));
  EXPECT_TRUE(r503.status.ok());
  EXPECT_EQ(r503.http_status, 503);
  ASSERT_TRUE(r503.retry_after_seconds.has_value());
  EXPECT_GE(*r503.retry_after_seconds, 3590);
  EXPECT_LE(*r503.retry_after_seconds, 3600);
  EXPECT_TRUE(r503.retry_after_unread.empty());
  // One that names no time is kept as sent, for the operator.
  const FetchResult soon = FetchOne(Req(server_.Url("/soon")));
  EXPECT_FALSE(soon.retry_after_seconds.has_value());
  EXPECT_EQ(soon.retry_after_unread, "soon");
}

TEST_F(CurlClientTest, GzipBodyIsDecoded) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "<item>" + std::to_string(i) + "</item>\n";
  server_.Handle("/gz", [&](const HttpRequest& req) {
    const auto ae = req.Header("Accept-Encoding");
    if (!ae || ae->find("gzip") == std::string::npos) return MakeResponse(400, "no gzip");
    return MakeResponse(200, newsd::testing::GzipStored(text),
                        {{"Content-Encoding", "gzip"}, {"Content-Type", "application/xml"}});
  });
  const FetchResult r = FetchOne(Req(server_.Url("/gz")));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, text);
}

TEST_F(CurlClientTest, BodyOverCapIsResourceExhausted) {
  Options o = TestOptions();
  o.max_body_bytes = 1000;
  MakeClient(o);
  server_.HandleStatic("/exact", MakeResponse(200, std::string(1000, 'a')));
  server_.HandleStatic("/length", MakeResponse(200, std::string(5000, 'a')));
  HttpResponse chunked = MakeResponse(200, std::string(5000, 'a'));
  chunked.chunked = true;
  chunked.piece_bytes = 300;
  server_.HandleStatic("/chunked", chunked);
  // Small on the wire, large once decoded: the cap applies to decoded bytes.
  server_.HandleStatic("/gzip",
                       MakeResponse(200, newsd::testing::GzipStored(std::string(900, 'a')) + "",
                                    {{"Content-Encoding", "gzip"}}));
  HttpResponse endless;
  endless.endless = true;
  server_.HandleStatic("/endless", endless);

  const FetchResult exact = FetchOne(Req(server_.Url("/exact")));
  EXPECT_TRUE(exact.status.ok()) << exact.status.ToString();
  EXPECT_EQ(exact.body.size(), 1000u);
  for (const char* path : {"/length", "/chunked", "/endless"}) {
    const FetchResult r = FetchOne(Req(server_.Url(path)));
    EXPECT_EQ(r.status.code(), Status::Code::kResourceExhausted)
        << path << " " << r.status.ToString();
    EXPECT_EQ(r.body, "") << path;
  }
  EXPECT_TRUE(FetchOne(Req(server_.Url("/gzip"))).status.ok());
}

// Servers that send "Content-Encoding: UTF-8" (a charset in the wrong header) or
// "aws-chunked" (an S3 upload setting) send the feed plain: libcurl refuses the coding it does
// not know, so the feed is asked for again without compression and read as sent.
TEST_F(CurlClientTest, AnUnknownContentEncodingIsReadAsSent) {
  server_.HandleStatic("/utf8", MakeResponse(200, "<rss>plain</rss>",
                                             {{"Content-Encoding", "UTF-8"},
                                              {"Content-Type", "application/rss+xml"}}));
  const FetchResult r = FetchOne(Req(server_.Url("/utf8")));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "<rss>plain</rss>");
  EXPECT_EQ(r.undecoded_encoding, "UTF-8");
  const auto requests = server_.RequestsFor("/utf8");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[0].Header("Accept-Encoding").has_value());
  EXPECT_FALSE(requests[1].Header("Accept-Encoding").has_value());  // nothing compressed, please
  EXPECT_EQ(client_->InFlight(), 0u);
  // A feed served compressed as usual is asked for once and says nothing of its coding.
  server_.HandleStatic("/gzip", MakeResponse(200, newsd::testing::GzipStored("<rss/>"),
                                             {{"Content-Encoding", "gzip"}}));
  const FetchResult gz = FetchOne(Req(server_.Url("/gzip")));
  ASSERT_TRUE(gz.status.ok()) << gz.status.ToString();
  EXPECT_EQ(gz.body, "<rss/>");
  EXPECT_EQ(gz.undecoded_encoding, "");
  EXPECT_EQ(server_.RequestsFor("/gzip").size(), 1u);
}

// A body that is not what its known coding says (gzip that is no gzip) stays a failure: asking
// again without compression would only store the same broken bytes.
TEST_F(CurlClientTest, ABrokenBodyOfAKnownCodingIsNotAskedForAgain) {
  server_.HandleStatic("/broken",
                       MakeResponse(200, "this is not gzip", {{"Content-Encoding", "gzip"}}));
  const FetchResult r = FetchOne(Req(server_.Url("/broken")));
  EXPECT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("/broken"), std::string::npos) << r.status.ToString();
  EXPECT_EQ(server_.RequestsFor("/broken").size(), 1u);
}

// A real compression listed beside an unknown coding ("gzip, aws-chunked"): the body is
// compressed, and asking without compression would not change that. One request; the error
// names the header.
TEST_F(CurlClientTest, AnUnknownCodingBesideACompressionIsNotAskedForAgain) {
  server_.HandleStatic("/mixed", MakeResponse(200, newsd::testing::GzipStored("<rss/>"),
                                              {{"Content-Encoding", "gzip, aws-chunked"}}));
  const FetchResult r = FetchOne(Req(server_.Url("/mixed")));
  EXPECT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("(Content-Encoding \"gzip, aws-chunked\")"), std::string::npos)
      << r.status.ToString();
  EXPECT_EQ(r.undecoded_encoding, "");
  EXPECT_EQ(server_.RequestsFor("/mixed").size(), 1u);
}

// What the second request got is the result, whatever it is; it still says it was asked
// twice (the politeness report counts both).
TEST_F(CurlClientTest, TheSecondRequestsAnswerIsTheResult) {
  std::atomic<int> asked{0};
  server_.Handle("/flaky", [&asked](const HttpRequest&) {
    return ++asked == 1 ? MakeResponse(200, "<rss/>", {{"Content-Encoding", "UTF-8"}})
                        : MakeResponse(503, "busy", {{"Retry-After", "120"}});
  });
  const FetchResult r = FetchOne(Req(server_.Url("/flaky")));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(r.retry_after_seconds, 120);
  EXPECT_EQ(r.undecoded_encoding, "UTF-8");
  EXPECT_EQ(server_.RequestsFor("/flaky").size(), 2u);
}

TEST_F(CurlClientTest, DecodedSizeIsCapped) {
  Options o = TestOptions();
  o.max_body_bytes = 1000;
  MakeClient(o);
  // 1500 bytes decoded from a gzip body announced with its own (larger, stored) length: the
  // write callback must notice even though Content-Length alone would not be over the cap
  // after compression on a real server; here we serve it chunked so there is no length at all.
  HttpResponse r = MakeResponse(200, newsd::testing::GzipStored(std::string(1500, 'b')),
                                {{"Content-Encoding", "gzip"}});
  r.chunked = true;
  server_.HandleStatic("/gz", r);
  const FetchResult result = FetchOne(Req(server_.Url("/gz")));
  EXPECT_EQ(result.status.code(), Status::Code::kResourceExhausted) << result.status.ToString();
}

TEST_F(CurlClientTest, TotalTimeoutOnSlowServer) {
  Options o = TestOptions();
  o.total_timeout_ms = 300;
  MakeClient(o);
  HttpResponse slow = MakeResponse(200, "late");
  slow.delay = 3s;
  server_.HandleStatic("/slow", slow);
  const FetchResult r = FetchOne(Req(server_.Url("/slow")));
  EXPECT_EQ(r.status.code(), Status::Code::kUnavailable) << r.status.ToString();
  EXPECT_LT(r.elapsed_ms, 2500);
  EXPECT_GE(r.elapsed_ms, 250);
  EXPECT_NE(r.status.message().find("([fetch] timeout)"), std::string::npos) << r.status.ToString();
}

TEST_F(CurlClientTest, LowSpeedLimitAbortsTrickle) {
  Options o = TestOptions();
  o.low_speed_bytes = 1000;
  o.low_speed_seconds = 1;
  MakeClient(o);
  HttpResponse trickle = MakeResponse(200, std::string(200, 't'));
  trickle.piece_bytes = 5;
  trickle.piece_delay = 200ms;
  server_.HandleStatic("/trickle", trickle);
  const FetchResult r = FetchOne(Req(server_.Url("/trickle")));
  EXPECT_EQ(r.status.code(), Status::Code::kUnavailable) << r.status.ToString();
  EXPECT_LT(r.elapsed_ms, 5000);
  // The operator is told which limit to raise.
  EXPECT_NE(r.status.message().find("([fetch] stall_timeout)"), std::string::npos)
      << r.status.ToString();
}

TEST_F(CurlClientTest, ConnectionRefusedIsUnavailable) {
  int port;
  {
    HttpTestServer other;
    port = other.port();
  }  // closed: nothing listens there any more
  const FetchResult r = FetchOne(Req("http://127.0.0.1:" + std::to_string(port) + "/feed.xml"));
  EXPECT_EQ(r.status.code(), Status::Code::kUnavailable) << r.status.ToString();
}

TEST_F(CurlClientTest, FileUrls) {
  newsd::testing::TempDir dir;
  newsd::testing::WriteFile(dir.path() / "feed.xml", "<rss>local</rss>");
  const FetchResult ok = FetchOne(Req("file://" + (dir.path() / "feed.xml").string()));
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(ok.http_status, 200);
  EXPECT_EQ(ok.body, "<rss>local</rss>");

  const FetchResult missing = FetchOne(Req("file://" + (dir.path() / "nope.xml").string()));
  EXPECT_FALSE(missing.status.ok());
  EXPECT_TRUE(missing.status.code() == Status::Code::kNotFound ||
              missing.status.code() == Status::Code::kIOError)
      << missing.status.ToString();
  EXPECT_EQ(missing.http_status, 0);
}

// A FIFO (or a device, or a directory) would block the one network thread while curl waits
// on it: refused at once, with the reason.
TEST_F(CurlClientTest, AFileUrlThatIsNoRegularFileIsRefused) {
  newsd::testing::TempDir dir;
  const std::string fifo = (dir.path() / "feed.fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& path : {fifo, dir.path().string()}) {
    const FetchResult r = FetchOne(Req("file://" + path));
    EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument) << r.status.ToString();
    EXPECT_NE(r.status.message().find("is not a regular file"), std::string::npos)
        << r.status.ToString();
  }
}

TEST_F(CurlClientTest, FileOverCapIsResourceExhausted) {
  Options o = TestOptions();
  o.max_body_bytes = 10;
  MakeClient(o);
  newsd::testing::TempDir dir;
  newsd::testing::WriteFile(dir.path() / "big.xml", std::string(100, 'x'));
  const FetchResult r = FetchOne(Req("file://" + (dir.path() / "big.xml").string()));
  EXPECT_EQ(r.status.code(), Status::Code::kResourceExhausted) << r.status.ToString();
}

TEST_F(CurlClientTest, ManyConcurrentFetchesOnOneThread) {
  server_.Handle("/item", [](const HttpRequest& req) {
    HttpResponse r = MakeResponse(200, "item " + req.target, {{"ETag", "\"" + req.target + "\""}});
    r.delay = std::chrono::milliseconds(std::hash<std::string>{}(req.target) % 50);
    return r;
  });
  constexpr int kCount = 200;
  const auto loop_thread = std::this_thread::get_id();
  int done = 0;
  int ok = 0;
  bool wrong_thread = false;
  for (int i = 0; i < kCount; ++i) {
    const std::string path = "/item?i=" + std::to_string(i);
    client_->Fetch(Req(server_.Url(path)), [&, path](const FetchResult& r) {
      ++done;
      if (std::this_thread::get_id() != loop_thread) wrong_thread = true;
      if (r.status.ok() && r.http_status == 200 && r.body == "item " + path &&
          r.etag == "\"" + path + "\"") {
        ++ok;
      }
    });
  }
  EXPECT_EQ(client_->InFlight(), static_cast<size_t>(kCount));
  EXPECT_EQ(done, 0);
  ASSERT_TRUE(RunUntil([&] { return done == kCount; }, 60s)) << done << " of " << kCount;
  EXPECT_EQ(ok, kCount);
  EXPECT_FALSE(wrong_thread);
  EXPECT_EQ(client_->InFlight(), 0u);
  EXPECT_EQ(server_.RequestsFor("/item").size(), static_cast<size_t>(kCount));
}

TEST_F(CurlClientTest, HostnameGoesThroughThreadedResolver) {
  const std::string host = HostName();
  if (host.empty() || host == "localhost" || !HostsFileMapsToLoopback(host)) {
    GTEST_SKIP() << "hostname '" << host << "' does not map to 127.x in /etc/hosts";
  }
  server_.HandleStatic("/feed.xml", MakeResponse(200, "<rss/>", {{"ETag", "\"h\""}}));
  // One on its own, then a burst: the resolver's socketpair fd numbers get reused by TCP sockets.
  const FetchResult one = FetchOne(Req(server_.UrlWithHost(host, "/feed.xml")));
  ASSERT_TRUE(one.status.ok()) << one.status.ToString();
  EXPECT_EQ(one.http_status, 200);
  EXPECT_EQ(one.etag, "\"h\"");

  MakeClient(TestOptions());  // fresh multi: no DNS cache, no pooled connections
  int done = 0;
  int ok = 0;
  for (int i = 0; i < 30; ++i) {
    client_->Fetch(Req(server_.UrlWithHost(host, "/feed.xml?" + std::to_string(i))),
                   [&](const FetchResult& r) {
                     ++done;
                     if (r.status.ok() && r.http_status == 200) ++ok;
                   });
  }
  ASSERT_TRUE(RunUntil([&] { return done == 30; }, 30s));
  EXPECT_EQ(ok, 30);
}

TEST_F(CurlClientTest, ConnectionChurnUnderLoad) {
  // Every response closes its connection and at most 8 run at once, so fd numbers are recycled
  // constantly (by TCP sockets and, for the host name, resolver socketpairs).
  Options o = TestOptions();
  o.max_total_connections = 8;
  MakeClient(o);
  HttpResponse r = MakeResponse(200, "bye");
  r.close = true;
  server_.HandleStatic("/close", r);
  const std::string host = HostName();
  const bool use_host = !host.empty() && host != "localhost" && HostsFileMapsToLoopback(host);
  constexpr int kCount = 300;
  int done = 0;
  int ok = 0;
  for (int i = 0; i < kCount; ++i) {
    const std::string path = "/close?" + std::to_string(i);
    const std::string url =
        (use_host && i % 2 == 0) ? server_.UrlWithHost(host, path) : server_.Url(path);
    client_->Fetch(Req(url), [&](const FetchResult& res) {
      ++done;
      if (res.status.ok() && res.body == "bye") ++ok;
    });
  }
  ASSERT_TRUE(RunUntil([&] { return done == kCount; }, 60s)) << done;
  EXPECT_EQ(ok, kCount);
}

TEST_F(CurlClientTest, DroppedConnectionIsUnavailable) {
  HttpResponse r;
  r.drop = true;
  server_.HandleStatic("/drop", r);
  const FetchResult res = FetchOne(Req(server_.Url("/drop")));
  EXPECT_EQ(res.status.code(), Status::Code::kUnavailable) << res.status.ToString();
}

TEST_F(CurlClientTest, HttpsToPlainServerFails) {
  // The plain server waits for a request head that a TLS ClientHello never completes, so the
  // handshake runs into the connect timeout: https is attempted, and fails cleanly.
  Options o = TestOptions();
  o.connect_timeout_ms = 500;
  MakeClient(o);
  const std::string url = "https://127.0.0.1:" + std::to_string(server_.port()) + "/x";
  const FetchResult res = FetchOne(Req(url));
  EXPECT_EQ(res.status.code(), Status::Code::kUnavailable) << res.status.ToString();
}

TEST_F(CurlClientTest, CancelAllAbortsInFlight) {
  HttpResponse slow = MakeResponse(200, "late");
  slow.delay = 10s;
  server_.HandleStatic("/slow", slow);
  std::vector<FetchResult> results;
  for (int i = 0; i < 3; ++i) {
    client_->Fetch(Req(server_.Url("/slow")),
                   [&](FetchResult r) { results.push_back(std::move(r)); });
  }
  ASSERT_TRUE(RunUntil([&] { return server_.RequestCount() == 3; }, 10s));
  EXPECT_EQ(client_->InFlight(), 3u);
  client_->CancelAll();
  EXPECT_EQ(client_->InFlight(), 0u);
  EXPECT_TRUE(results.empty()) << "callbacks ran inline from CancelAll";
  ASSERT_TRUE(RunUntil([&] { return results.size() == 3; }, 5s));
  for (const auto& r : results) {
    EXPECT_EQ(r.status.code(), Status::Code::kAborted) << r.status.ToString();
  }

  // The client stays usable.
  server_.HandleStatic("/fast", MakeResponse(200, "ok"));
  EXPECT_TRUE(FetchOne(Req(server_.Url("/fast"))).status.ok());
}

TEST_F(CurlClientTest, CancelAllFromInsideACallback) {
  HttpResponse slow = MakeResponse(200, "late");
  slow.delay = 10s;
  server_.HandleStatic("/slow", slow);
  server_.HandleStatic("/fast", MakeResponse(200, "ok"));
  int aborted = 0;
  bool fast_done = false;
  client_->Fetch(Req(server_.Url("/slow")), [&](const FetchResult& r) {
    if (r.status.code() == Status::Code::kAborted) ++aborted;
  });
  client_->Fetch(Req(server_.Url("/fast")), [&](const FetchResult& r) {
    fast_done = r.status.ok();
    client_->CancelAll();
    client_->Fetch(Req(server_.Url("/fast")), [&](const FetchResult&) {});
  });
  ASSERT_TRUE(RunUntil([&] { return fast_done && aborted == 1 && client_->InFlight() == 0; }));
}

TEST_F(CurlClientTest, DestroyingClientWithTransfersInFlightIsSafe) {
  HttpResponse slow = MakeResponse(200, "late");
  slow.delay = 10s;
  server_.HandleStatic("/slow", slow);
  server_.HandleStatic("/fast", MakeResponse(200, "ok"));
  int called = 0;
  ASSERT_TRUE(FetchOne(Req(server_.Url("/fast"))).status.ok());  // a pooled connection
  for (int i = 0; i < 5; ++i) {
    client_->Fetch(Req(server_.Url("/slow")), [&](const FetchResult&) { ++called; });
  }
  ASSERT_TRUE(RunUntil([&] { return server_.RequestsFor("/slow").size() == 5; }, 10s));
  client_.reset();
  // Handlers already queued for the dead client must be harmless.
  io_.restart();
  io_.run_for(200ms);
  EXPECT_EQ(called, 0);
}

TEST_F(CurlClientTest, FailuresAreDeliveredAsynchronously) {
  bool called = false;
  client_->Fetch(Req(""), [&](const FetchResult& r) {
    called = true;
    EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument);
  });
  EXPECT_FALSE(called);
  ASSERT_TRUE(RunUntil([&] { return called; }));
}

TEST_F(CurlClientTest, LoopbackIsRefusedWithoutAllowPrivate) {
  Options o = TestOptions();
  o.allow_private = false;
  MakeClient(o);
  server_.HandleStatic("/feed.xml", MakeResponse(200, "<rss/>"));
  FetchResult r = FetchOne(Req(server_.Url("/feed.xml")));
  EXPECT_EQ(r.status.code(), Status::Code::kPermissionDenied) << r.status.ToString();
  EXPECT_NE(r.status.message().find("allow_private"), std::string::npos);
  EXPECT_EQ(server_.RequestCount(), 0u) << "nothing may reach a refused address";
}

TEST_F(CurlClientTest, RedirectHopsAreReportedWithTheirStatus) {
  server_.HandleStatic("/old.xml", MakeResponse(301, "", {{"Location", "/mid.xml"}}));
  server_.HandleStatic("/mid.xml", MakeResponse(302, "", {{"Location", server_.Url("/new.xml")}}));
  server_.HandleStatic("/new.xml", MakeResponse(200, "<rss/>"));
  FetchResult r = FetchOne(Req(server_.Url("/old.xml")));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.redirects.size(), 2u);
  EXPECT_EQ(r.redirects[0].status, 301);
  EXPECT_EQ(r.redirects[0].from, server_.Url("/old.xml"));
  EXPECT_EQ(r.redirects[0].to, server_.Url("/mid.xml"));
  EXPECT_EQ(r.redirects[1].status, 302);
  EXPECT_EQ(r.redirects[1].to, server_.Url("/new.xml"));
  EXPECT_EQ(r.effective_url, server_.Url("/new.xml"));
}

TEST_F(CurlClientTest, FreshnessFromCacheControlAndExpires) {
  server_.HandleStatic(
      "/maxage.xml",
      MakeResponse(200, "<rss/>", {{"Cache-Control", "public, max-age=1800"}, {"Age", "600"}}));
  server_.HandleStatic("/expires.xml",
                       MakeResponse(200, "<rss/>",
                                    {{"Date", "Thu, 26 Nov 2026 08:00:00 GMT"},
                                     {"Expires", "Thu, 26 Nov 2026 09:00:00 GMT"}}));
  server_.HandleStatic("/plain.xml", MakeResponse(200, "<rss/>"));
  EXPECT_EQ(FetchOne(Req(server_.Url("/maxage.xml"))).fresh_for_seconds, 1200);
  EXPECT_EQ(FetchOne(Req(server_.Url("/expires.xml"))).fresh_for_seconds, 3600);
  EXPECT_FALSE(FetchOne(Req(server_.Url("/plain.xml"))).fresh_for_seconds.has_value());
}

TEST_F(CurlClientTest, NoCookiesOrRefererAreSent) {
  server_.HandleStatic(
      "/a.xml",
      MakeResponse(302, "", {{"Location", "/b.xml"}, {"Set-Cookie", "session=abc; Path=/"}}));
  server_.HandleStatic("/b.xml", MakeResponse(200, "<rss/>"));
  ASSERT_TRUE(FetchOne(Req(server_.Url("/a.xml"))).status.ok());
  auto b = server_.RequestsFor("/b.xml");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_FALSE(b[0].Header("Cookie").has_value());
  EXPECT_FALSE(b[0].Header("Referer").has_value());
}

TEST_F(CurlClientTest, ConfiguredProxyCarriesTheRequest) {
  Options o = TestOptions();
  o.proxy = server_.Url("");  // the test server plays an HTTP proxy
  MakeClient(o);
  server_.SetFallback([](const HttpRequest&) { return MakeResponse(200, "<rss/>"); });
  // .invalid never resolves (RFC 6761): only the proxy can have answered.
  FetchResult r = FetchOne(Req("http://feeds.example.invalid/rss.xml"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.body, "<rss/>");
  ASSERT_EQ(server_.RequestCount(), 1u);
  EXPECT_EQ(server_.Requests()[0].target, "http://feeds.example.invalid/rss.xml");
}

// A proxy the operator named is trusted wherever it listens (here on loopback, with
// allow_private off); what it is asked to fetch is checked by name.
TEST_F(CurlClientTest, ProxyOnLoopbackIsUsedWithoutAllowPrivate) {
  MakeProxiedClient();
  server_.SetFallback([](const HttpRequest&) { return MakeResponse(200, "<rss/>"); });
  FetchResult r = FetchOne(Req("http://feeds.example.invalid/rss.xml"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.body, "<rss/>");
  EXPECT_TRUE(r.public_address) << "through a proxy, the named host decides";
  ASSERT_EQ(server_.RequestCount(), 1u);
}

TEST_F(CurlClientTest, ProxyFromTheEnvironmentIsUsedWithoutAllowPrivate) {
  setenv("http_proxy", server_.Url("").c_str(), 1);
  Options o = TestOptions();
  o.allow_private = false;
  MakeClient(o);
  server_.SetFallback([](const HttpRequest&) { return MakeResponse(200, "<rss/>"); });
  FetchResult r = FetchOne(Req("http://feeds.example.invalid/env.xml"));
  unsetenv("http_proxy");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(server_.RequestCount(), 1u);
  EXPECT_EQ(server_.Requests()[0].target, "http://feeds.example.invalid/env.xml");
}

TEST_F(CurlClientTest, PrivateTargetsAreRefusedBeforeReachingTheProxy) {
  MakeProxiedClient();
  server_.SetFallback([](const HttpRequest&) { return MakeResponse(200, "<rss/>"); });
  for (const char* url :
       {"http://10.1.2.3/feed.xml", "http://192.168.0.1:8080/rss", "http://[::1]/feed",
        "http://localhost/feed", "http://a.localhost./x", "http://2130706433/feed",
        "http://0x7f.1/feed", "http://169.254.169.254/"}) {
    FetchResult r = FetchOne(Req(url));
    EXPECT_EQ(r.status.code(), Status::Code::kPermissionDenied)
        << url << ": " << r.status.ToString();
    EXPECT_NE(r.status.message().find("allow_private"), std::string::npos) << url;
  }
  EXPECT_EQ(server_.RequestCount(), 0u) << "no refused target may reach the proxy";
}

TEST_F(CurlClientTest, RedirectToAPrivateHostThroughTheProxyIsRefused) {
  MakeProxiedClient();
  server_.SetFallback([](const HttpRequest& req) {
    if (req.target == "http://feeds.example.invalid/moved.xml") {
      return MakeResponse(302, "", {{"Location", "http://10.0.0.7/internal.xml"}});
    }
    return MakeResponse(200, "<secret/>");
  });
  FetchResult r = FetchOne(Req("http://feeds.example.invalid/moved.xml"));
  EXPECT_EQ(r.status.code(), Status::Code::kPermissionDenied) << r.status.ToString();
  EXPECT_TRUE(r.body.empty());
  ASSERT_EQ(server_.RequestCount(), 1u) << "the redirect's target was requested";
}

// A Location with white space in it ("/new feed.xml"), which curl follows percent-encoded: the
// hop is checked, held and reported as the URL curl asks, so through a proxy a private target
// is refused like any other.
TEST_F(CurlClientTest, ARedirectToALocationWithSpacesIsCheckedAsCurlFollowsIt) {
  MakeProxiedClient();
  server_.SetFallback([](const HttpRequest& req) {
    if (req.target == "http://feeds.example.invalid/a.xml") {
      return MakeResponse(302, "", {{"Location", "http://10.0.0.7/internal feed.xml"}});
    }
    if (req.target == "http://feeds.example.invalid/b.xml") {
      return MakeResponse(302, "", {{"Location", "http://169.254.169.254/latest/meta-data/ x"}});
    }
    return MakeResponse(200, "<secret/>");
  });
  for (const char* url :
       {"http://feeds.example.invalid/a.xml", "http://feeds.example.invalid/b.xml"}) {
    FetchResult r = FetchOne(Req(url));
    EXPECT_EQ(r.status.code(), Status::Code::kPermissionDenied)
        << url << ": " << r.status.ToString();
    EXPECT_TRUE(r.body.empty()) << url;
  }
  EXPECT_EQ(server_.RequestCount(), 2u) << "a private redirect target reached the proxy";
}

// Two Location headers: curl follows the first, and so does the hop newsd records.
TEST_F(CurlClientTest, WithTwoLocationsTheHopIsTheFirstAsCurlFollowsIt) {
  server_.HandleStatic(
      "/old.xml", MakeResponse(301, "", {{"Location", "/first.xml"}, {"Location", "/second.xml"}}));
  server_.HandleStatic("/first.xml", MakeResponse(200, "<rss/>"));
  FetchResult r = FetchOne(Req(server_.Url("/old.xml")));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.redirects.size(), 1u);
  EXPECT_EQ(r.redirects[0].to, server_.Url("/first.xml"));
  EXPECT_EQ(r.effective_url, r.redirects[0].to);
}

TEST_F(CurlClientTest, AHopWithSpacesIsReportedAsTheUrlCurlAsked) {
  server_.HandleStatic("/old.xml",
                       MakeResponse(301, "", {{"Location", server_.Url("/new feed.xml")}}));
  server_.HandleStatic("/new%20feed.xml", MakeResponse(200, "<rss/>"));
  FetchResult r = FetchOne(Req(server_.Url("/old.xml")));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.redirects.size(), 1u);
  EXPECT_EQ(r.redirects[0].to, server_.Url("/new%20feed.xml"))
      << "a moved feed must get a usable URL";
  EXPECT_EQ(r.effective_url, r.redirects[0].to);
  EXPECT_EQ(r.body, "<rss/>");
}

// A Location no URL parser makes sense of is not followed, and the error says so.
TEST_F(CurlClientTest, ARedirectToSomethingThatIsNoUrlStopsWithAClearError) {
  server_.HandleStatic("/old.xml", MakeResponse(301, "", {{"Location", "http://exa mple.com/x"}}));
  FetchResult r = FetchOne(Req(server_.Url("/old.xml")));
  EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument) << r.status.ToString();
  EXPECT_NE(r.status.message().find("\"http://exa mple.com/x\" not followed"), std::string::npos)
      << r.status.ToString();
  EXPECT_TRUE(r.redirects.empty());
  EXPECT_EQ(server_.RequestCount(), 1u);
}

// Only the proxy's own address and port are trusted: another loopback server, reached
// directly (no_proxy lists the host name), is still refused.
TEST_F(CurlClientTest, OnlyTheProxysOwnPortIsTrusted) {
  const std::string host = HostName();
  if (host.empty() || host == "localhost" || !HostsFileMapsToLoopback(host)) {
    GTEST_SKIP() << "hostname '" << host << "' does not map to 127.x in /etc/hosts";
  }
  HttpTestServer other;
  other.HandleStatic("/feed.xml", MakeResponse(200, "<rss/>"));
  MakeProxiedClient();
  FetchResult r = FetchOne(Req(other.UrlWithHost(host, "/feed.xml")));
  EXPECT_EQ(r.status.code(), Status::Code::kPermissionDenied) << r.status.ToString();
  EXPECT_EQ(other.RequestCount(), 0u);
  EXPECT_EQ(server_.RequestCount(), 0u);
}

}  // namespace
}  // namespace newsd::fetchers
