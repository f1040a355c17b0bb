#include "config/config.h"

#include <gtest/gtest.h>

#include "tests/support/test_util.h"

namespace newsd::config {
namespace {

constexpr char kGood[] = R"(
[daemon]
data_dir = "/srv/newsd"
admin_socket = "/tmp/newsd.sock"
log_level = "debug"
storage_retry = "5s"

[storage]
min_free_mb = 1024
retention = "400d"
seen_grace = "30d"
raw_bodies = 7

[dedup]
window = "48h"
late = "12h"
agency_sources = ["Reuters", "TASS"]

[fetch]
allow_private = true
proxy = "http://proxy.example:3128"

[politeness]
host_inflight = 0
host_spacing = "0s"
min_interval = "5m"
startup_jitter = "0s"
redirect_confirmations = 2

[[feed]]
id = "tass"
url = "https://tass.com/rss/v2.xml"
interval = "30m"

[[feed]]
id = "local"
name = "Local file"
url = "file:///var/feeds/x.xml"
enabled = false
)";

TEST(ConfigTest, ReadsEveryDocumentedSection) {
  auto cfg = LoadString(kGood, "newsd.toml");
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->daemon.data_dir, "/srv/newsd");
  EXPECT_EQ(cfg->storage.data_dir, "/srv/newsd");
  EXPECT_EQ(cfg->daemon.log_level, "debug");
  EXPECT_EQ(cfg->daemon.storage_retry_seconds, 5);
  EXPECT_EQ(cfg->storage.min_free_mb, 1024U);
  EXPECT_EQ(cfg->storage.retention_seconds, 400 * 86400);
  EXPECT_EQ(cfg->storage.seen_grace_seconds, 30 * 86400);
  EXPECT_EQ(cfg->storage.raw_bodies, 7U);
  EXPECT_EQ(cfg->dedup.window_seconds, 48 * 3600);
  EXPECT_EQ(cfg->dedup.late(), 12 * 3600);
  EXPECT_EQ(cfg->dedup.kept_seconds(), 60 * 3600);
  EXPECT_EQ(cfg->dedup.agency_sources, (std::vector<std::string>{"Reuters", "TASS"}));
  ASSERT_EQ(cfg->feeds.size(), 2u);
  EXPECT_EQ(cfg->feeds[0].id, "tass");
  EXPECT_EQ(cfg->feeds[0].name, "tass");
  EXPECT_EQ(cfg->feeds[0].interval, 1800);
  EXPECT_EQ(cfg->feeds[1].name, "Local file");
  EXPECT_EQ(cfg->feeds[1].interval, 3600);  // default 60m
  EXPECT_TRUE(cfg->feeds[0].interval_set);
  EXPECT_FALSE(cfg->feeds[1].interval_set)
      << "the default: the publisher's wishes survive a restart";
  EXPECT_TRUE(cfg->feeds[0].enabled);
  EXPECT_FALSE(cfg->feeds[1].enabled);
  EXPECT_TRUE(cfg->fetch.allow_private);
  EXPECT_EQ(cfg->fetch.proxy, "http://proxy.example:3128");
  EXPECT_EQ(cfg->politeness.host_inflight, 0);
  EXPECT_EQ(cfg->politeness.host_spacing, 0);
  EXPECT_EQ(cfg->politeness.min_interval, 300);
  EXPECT_EQ(cfg->politeness.startup_jitter, 0);
  EXPECT_EQ(cfg->politeness.redirect_confirmations, 2);
  EXPECT_EQ(cfg->politeness.max_interval, 24 * 3600);  // default
}

// Sites that write local time without a zone: one offset for all feeds, one per feed.
TEST(ConfigTest, ZonelessDatesGlobalAndPerFeed) {
  auto cfg = LoadString(
      "[parse]\nzoneless_dates = \"+05:00\"\n"
      "[[feed]]\nid = \"ria\"\nurl = \"https://ria.ru/export/rss2/index.xml\"\n"
      "zoneless_dates = \"+0300\"\n"
      "[[feed]]\nid = \"kz\"\nurl = \"https://kz.kz/rss\"\n"
      "[[feed]]\nid = \"nl\"\nurl = \"https://nl.ca/rss\"\nzoneless_dates = \"-03:30\"\n"
      "[[feed]]\nid = \"utc\"\nurl = \"https://u.kz/rss\"\nzoneless_dates = \"UTC\"\n",
      "zones.toml");
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->parse.zoneless_offset, 5 * 3600);
  EXPECT_EQ(FeedParseOptions(cfg->parse, cfg->feeds[0]).zoneless_offset, 3 * 3600);
  EXPECT_EQ(FeedParseOptions(cfg->parse, cfg->feeds[1]).zoneless_offset, 5 * 3600);
  EXPECT_EQ(FeedParseOptions(cfg->parse, cfg->feeds[2]).zoneless_offset, -(3 * 3600 + 1800));
  EXPECT_EQ(FeedParseOptions(cfg->parse, cfg->feeds[3]).zoneless_offset, 0);
  EXPECT_EQ(FeedParseOptions(cfg->parse, cfg->feeds[3]).max_items, cfg->parse.max_items);
  auto plain = LoadString("", "empty.toml");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->parse.zoneless_offset, std::nullopt) << "UTC unless told, as feedparser";
}

TEST(ConfigTest, PoliteDefaults) {
  auto cfg = LoadString("", "empty.toml");
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_FALSE(cfg->fetch.allow_private);
  EXPECT_EQ(cfg->politeness.host_inflight, 2);
  EXPECT_EQ(cfg->politeness.host_spacing, 1);
  EXPECT_EQ(cfg->politeness.min_interval, 15 * 60);
  EXPECT_EQ(cfg->politeness.startup_jitter, 5 * 60);
}

// A file of nothing but blanks and comments (an editor's or a deployment's file cut short) is
// refused, not read as "defaults, no feeds".
TEST(ConfigTest, AnEmptyFileIsRefused) {
  testing::TempDir dir;
  for (const char* text : {"", "\n  \n", "\xEF\xBB\xBF# newsd\n# [[feed]]\n"}) {
    const std::string path = dir.str() + "/newsd.toml";
    testing::WriteFile(path, text);
    auto cfg = LoadFile(path);
    ASSERT_FALSE(cfg) << "accepted: \"" << text << "\"";
    EXPECT_NE(cfg.error().message().find("newsd.toml: the file is empty"), std::string::npos)
        << cfg.error().ToString();
  }
  testing::WriteFile(dir.str() + "/newsd.toml", "# a comment\n[fetch]\n");
  EXPECT_TRUE(LoadFile(dir.str() + "/newsd.toml")) << "a section alone sets nothing, but is no cut";
}

TEST(ConfigTest, ShippedExampleIsValid) {
  auto cfg = LoadFile((testing::SourceDir() / "config/newsd.example.toml").string());
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_TRUE(cfg->storage.sync_writes);
  EXPECT_EQ(cfg->dedup.window_seconds, 72 * 3600);
  EXPECT_EQ(cfg->dedup.kept_seconds(), 2 * 72 * 3600);  // late: the window
}

struct BadCase {
  const char* toml;
  const char* expected;  // substring of the error, file:line included
};

class BadConfigTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadConfigTest, IsRefusedWithFileLineAndReason) {
  auto cfg = LoadString(GetParam().toml, "bad.toml");
  ASSERT_FALSE(cfg);
  EXPECT_EQ(cfg.error().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(cfg.error().message().find(GetParam().expected), std::string::npos)
      << cfg.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Refusals, BadConfigTest,
    ::testing::Values(
        BadCase{"[daemon]\ndata_dir = \"/x\"\ncolour = 1\n",
                "bad.toml:3: unknown key [daemon] colour"},
        BadCase{"[daemon]\ndata_dir = 5\n", "bad.toml:2: [daemon] data_dir must be a string"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"https://a\"\ninterval = \"30\"\n",
                "bad.toml:4: [[feed]] a: interval must be a duration"},
        // A duration too long says so, not that it is none.
        BadCase{"[dedup]\nwindow = \"99999999999d\"\n",
                "bad.toml:2: [dedup] window \"99999999999d\" is too long"},
        BadCase{"[[feed]]\nid = \"b\"\nurl = \"https://b\"\nenabled = \"yes\"\n",
                "bad.toml:4: [[feed]] b: enabled must be true or false"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"ftp://a\"\n", "bad.toml:3: [[feed]] a: url must"},
        BadCase{"[[feed]]\nid = \"a b\"\nurl = \"https://a\"\n", "bad.toml:2: [[feed]] id must"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"https://a\"\n[[feed]]\nid = \"a\"\n"
                "url = \"https://b\"\n",
                "bad.toml:5: [[feed]] id \"a\" is used twice (first at line 2)"},
        // URLs that could never be fetched are refused at start-up, at the url's line.
        BadCase{"[[feed]]\nid = \"a\"\n", "bad.toml:1: [[feed]] a: url is missing"},
        BadCase{"[[feed]]\nid = \"a\"\nname = \"A\"\nurl = \"http://exa mple.com/rss\"\n",
                "bad.toml:4: [[feed]] a: url must not contain spaces"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"file://relative/path.xml\"\n",
                "bad.toml:3: [[feed]] a: a file:// url names an absolute path"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"http://:8080/x\"\n",
                "bad.toml:3: [[feed]] a: url has no host"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"http://example.com:99999/x\"\n",
                "bad.toml:3: [[feed]] a: url has a bad port"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"https://e.com/rss\"\n[[feed]]\nid = \"b\"\n"
                "url = \"https://e.com/rss\"\n",
                "bad.toml:6: [[feed]] b: url is already polled as feed a (line 3;"},
        // The common slips of TOML syntax are named after the parser's own words.
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"https://a.kz/rss\ninterval = \"5m\"\n",
                "(a string on this line lacks its closing quote)"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"https://a.kz/rss\"\ninterval = 30m # half an hour\n",
                "bad.toml:4: TOML syntax error: "},
        BadCase{"[politeness]\nhost_spacing = 2s\n",
                "(a duration is a string: write host_spacing = \"2s\")"},
        BadCase{"[fetch]\ntimeout = \"0s\"\n",
                "bad.toml:2: [fetch] timeout must be longer than 0s"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"http://E.com:80/rss\"\n[[feed]]\nid = \"b\"\n"
                "url = \"http://e.com/rss\"\n",
                "bad.toml:6: [[feed]] b: url is already polled as feed a"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"http://e.com:80:90/\"\n",
                "bad.toml:3: [[feed]] a: url has a bad port"},
        BadCase{"[[feed]]\nid = \"a\"\nurl = \"file://otherhost/x.xml\"\n",
                "bad.toml:3: [[feed]] a: a file:// url names an absolute path"},
        BadCase{"[daemon]\nlog_level = \"loud\"\n",
                "bad.toml:2: [daemon] log_level must be one of"},
        BadCase{
            "[storage]\nretention = \"1d\"\n",
            "bad.toml:2: [storage] retention must be \"0d\" (keep everything) or at least [dedup] "
            "window plus [dedup] late, 6d here"},
        BadCase{"[storage]\nretention = \"10d\"\n[dedup]\nlate = \"8d\"\n",
                "bad.toml:2: [storage] retention must be \"0d\" (keep everything) or at least"},
        BadCase{"[daemon]\ndata_dir = \"\"\n", "bad.toml:2: [daemon] data_dir must not be empty"},
        BadCase{"[storage]\nretention = \"30d\"\nseen_grace = \"0d\"\n",
                "bad.toml:3: [storage] seen_grace must be longer than 0s while retention is on"},
        BadCase{"[daemon]\nadmin_socket = \"\"\n", "bad.toml:2: [daemon] admin_socket must be"},
        BadCase{"[daemon]\nadmin_socket = "
                "\"/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n",
                "bad.toml:2: [daemon] admin_socket must be a path of 1 to 107 bytes (it is 121)"},
        BadCase{"[fetch]\nuser_agent = \"newsd\\r\\nX-Injected: yes\"\n",
                "bad.toml:2: [fetch] user_agent must not contain control characters"},
        BadCase{"[politeness]\nbackoff_cap = \"0s\"\n", "bad.toml:2: [politeness] backoff_cap"},
        BadCase{"[politeness]\n\nmin_interval = \"9999d\"\n",
                "bad.toml:3: [politeness] min_interval must not be above max_interval"},
        BadCase{"[daemon\n", "bad.toml:1: TOML syntax error"},
        BadCase{"[dedup]\nmin_resemblance = 1.5\n", "bad.toml:2: [dedup] min_resemblance"},
        BadCase{"[politeness]\nhost_spacing = 2\n", "bad.toml:2: [politeness] host_spacing"},
        BadCase{"[politeness]\nhost_inflight = -1\n", "bad.toml:2: [politeness] host_inflight"},
        BadCase{"[fetch]\nallow_private = \"yes\"\n", "bad.toml:2: [fetch] allow_private"},
        BadCase{"[politeness]\nmin_interval = \"2h\"\nmax_interval = \"1h\"\n",
                "bad.toml:3: [politeness] max_interval must not be below min_interval"},
        BadCase{"[daemon]\nmetrics = \"0.0.0.0:9464\"\n",
                "bad.toml:2: [daemon] metrics must be \"127.0.0.1:PORT\""},
        BadCase{"[daemon]\nmetrics = \"127.0.0.1:http\"\n", "bad.toml:2: [daemon] metrics"},
        BadCase{"mystery = true\n", "bad.toml:1: unknown section or key \"mystery\""},
        BadCase{"[dedup]\nmin_containment = nan\n", "bad.toml:2: [dedup] min_containment"},
        BadCase{"[dedup]\n\nwindow = \"0s\"\n",
                "bad.toml:3: [dedup] window must be longer than 0s"},
        // A key of 50,000 dotted parts crashed the TOML parser (and a daemon reloading it).
        BadCase{"[daemon]\ndata_dir = \"/x\"\n\"q.q\" = 1\n",
                "bad.toml:3: unknown key [daemon] q.q"},
        BadCase{"[parse]\nzoneless_dates = \"Asia/Almaty\"\n",
                "bad.toml:2: [parse] zoneless_dates must be an offset from UTC such as "
                "\"+05:00\""},
        BadCase{"[[feed]]\nid = \"a\"\nzoneless_dates = \"+15:00\"\nurl = \"https://a.kz/r\"\n",
                "bad.toml:3: [[feed]] a: zoneless_dates must be an offset from UTC"},
        BadCase{"[parse]\nzoneless_dates = 5\n", "bad.toml:2: [parse] zoneless_dates must be"},
        // Values each request would fail on, or that defeat the key's purpose: refused at
        // start-up, not found out feed by feed.
        BadCase{"[fetch]\nproxy = \"not a url\"\n", "bad.toml:2: [fetch] proxy must be"},
        BadCase{"[fetch]\nproxy = \"ftp://127.0.0.1:18081\"\n", "bad.toml:2: [fetch] proxy"},
        BadCase{"[fetch]\nproxy = \"http://:3128\"\n", "bad.toml:2: [fetch] proxy"},
        BadCase{"[fetch]\nproxy = \"http://p.example:99999\"\n", "bad.toml:2: [fetch] proxy"},
        BadCase{"[fetch]\nmax_redirects = 0\n",
                "bad.toml:2: [fetch] max_redirects must be between 1 and 20"},
        BadCase{"[fetch]\nconnect_timeout = \"60s\"\ntimeout = \"30s\"\n",
                "bad.toml:2: [fetch] connect_timeout must not be longer than timeout"},
        BadCase{"[fetch]\ntimeout = \"10s\"\nstall_timeout = \"20s\"\n",
                "bad.toml:3: [fetch] stall_timeout must not be longer than timeout"},
        BadCase{"[fetch]\nstall_timeout = 20\n", "bad.toml:2: [fetch] stall_timeout must be"},
        BadCase{"[politeness]\ndead_after = \"0s\"\n",
                "bad.toml:2: [politeness] dead_after must be longer than 0s"},
        BadCase{"[politeness]\nmin_interval = \"0s\"\nmax_interval = \"0s\"\n",
                "bad.toml:3: [politeness] max_interval must be longer than 0s"},
        BadCase{"[politeness]\nretry_after_max = \"0s\"\n",
                "bad.toml:2: [politeness] retry_after_max must be longer than 0s"},
        BadCase{"[daemon]\nstorage_retry = \"0s\"\n",
                "bad.toml:2: [daemon] storage_retry must be at least 1s"},
        BadCase{"[politeness]\nhost_spacing = \"3650d\"\n",
                "bad.toml:2: [politeness] host_spacing must not be above max_interval (1d)"},
        BadCase{"[daemon]\nmetrics = \"127.0.0.1: 19465\"\n", "bad.toml:2: [daemon] metrics"},
        BadCase{"[daemon]\nmetrics = \"127.0.0.1:+29465\"\n", "bad.toml:2: [daemon] metrics"}));

// An operator who mistyped three keys is told of all three at once, not one a start.
TEST(ConfigTest, EveryErrorOfTheFileIsSaid) {
  auto cfg = LoadString(
      "[daemon]\ncolour = 1\n[fetch]\ntimeout = 5\n[[feed]]\nid = \"a\"\nurl = \"https://a\"\n"
      "interval = \"30\"\n[[feed]]\nid = \"a\"\nurl = \"https://b\"\n[colours]\n",
      "bad.toml");
  ASSERT_FALSE(cfg);
  EXPECT_EQ(cfg.error().message(),
            "bad.toml:2: unknown key [daemon] colour\n"
            "bad.toml:4: [fetch] timeout must be a duration such as \"90s\", \"30m\", \"1h\" or "
            "\"2d\"\n"
            "bad.toml:8: [[feed]] a: interval must be a duration such as \"90s\", \"30m\", \"1h\" "
            "or \"2d\"\n"
            "bad.toml:10: [[feed]] id \"a\" is used twice (first at line 6)\n"
            "bad.toml:12: unknown section or key \"colours\"");
  std::string many = "[daemon]\n";
  for (int i = 0; i < 25; ++i) many += "key" + std::to_string(i) + " = 1\n";
  cfg = LoadString(many, "bad.toml");
  ASSERT_FALSE(cfg);
  const std::string& message = cfg.error().message();
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 20) << message;
  EXPECT_NE(message.find("bad.toml:21: unknown key [daemon] key19\n"), std::string::npos)
      << message;
  EXPECT_NE(message.find("bad.toml: 5 more errors not shown: fix these first"), std::string::npos)
      << message;
}

// A proxy curl takes is accepted as written; "feed = []" is no feed, as none written.
TEST(ConfigTest, ProxyUrlsAndAnEmptyFeedListAreFine) {
  for (const char* proxy :
       {"http://proxy.example:3128", "HTTP://proxy.example:3128/", "socks5h://127.0.0.1:1080",
        "https://user:pw@p.example", "proxy.example:3128", "http://[::1]:3128"}) {
    auto cfg = LoadString(std::string("[fetch]\nproxy = \"") + proxy + "\"\n", "ok.toml");
    ASSERT_TRUE(cfg) << proxy << ": " << cfg.error().message();
    EXPECT_EQ(cfg->fetch.proxy, proxy);
  }
  auto empty = LoadString("feed = []\n", "ok.toml");
  ASSERT_TRUE(empty) << empty.error().message();
  EXPECT_TRUE(empty->feeds.empty());
}

TEST(ConfigTest, AKeyNestedTooDeepIsRefusedWithoutParsingIt) {
  std::string deep = "[daemon]\n\nx";
  for (int i = 0; i < 50000; ++i) deep += ".x";
  deep += " = 1\n";
  auto cfg = LoadString(deep, "deep.toml");
  ASSERT_FALSE(cfg);
  EXPECT_NE(cfg.error().message().find("deep.toml:3: a key of 50001 dotted parts (at most 32)"),
            std::string::npos)
      << cfg.error().message();
  std::string header = "[";
  for (int i = 0; i < 40; ++i) header += "t.";
  auto table = LoadString(header + "t]\n", "deep.toml");
  ASSERT_FALSE(table);
  EXPECT_NE(table.error().message().find("deep.toml:1: a key of 41"), std::string::npos)
      << table.error().message();
  // Dotted keys inside an inline table nest as deep; a quote escaped in a string before them
  // does not hide them.
  std::string dots;
  for (int i = 0; i < 300000; ++i) dots += ".x";
  for (const std::string& line : {"y = {x" + dots + " = 1}", "\"\\\"\" .x" + dots + " = 1"}) {
    auto inline_table = LoadString("[daemon]\n" + line + "\n", "deep.toml");
    ASSERT_FALSE(inline_table) << line.substr(0, 20);
    EXPECT_NE(inline_table.error().message().find("deep.toml:2: "), std::string::npos)
        << inline_table.error().message();
  }
  // Dots inside strings, multi-line ones too, and in comments are no keys.
  auto fine = LoadString("[daemon]\n# " + dots + "\nuser_agent = \"\"\"\n" + dots + "\n\"\"\"\n",
                         "ok.toml");
  ASSERT_FALSE(fine.has_value());  // a user agent of many lines: refused, but not as a key
  EXPECT_EQ(fine.error().message().find("dot"), std::string::npos) << fine.error().message();
}

// URL schemes are case-insensitive: "HTTP://" is read as http://; IPv6 hosts and ports pass.
TEST(ConfigTest, FeedUrlsWithUpperCaseSchemesOrIpv6HostsAreFine) {
  auto cfg = LoadString(
      "[[feed]]\nid = \"a\"\nurl = \"HTTP://Example.com/RSS\"\n"
      "[[feed]]\nid = \"b\"\nurl = \"https://[::1]:8443/feed?x=1\"\n"
      "[[feed]]\nid = \"c\"\nurl = \"file:///srv/feeds/c.xml\"\n"
      "[[feed]]\nid = \"d\"\nurl = \"http://e.com:/rss\"\n"
      "[[feed]]\nid = \"e\"\nurl = \"file://LOCALHOST/srv/feeds/e.xml\"\n"
      // a feed kept disabled may share its URL with the one polled; paths keep their case
      "[[feed]]\nid = \"f\"\nurl = \"http://e.com/rss\"\nenabled = false\n"
      "[[feed]]\nid = \"g\"\nurl = \"http://e.com/RSS\"\n"
      "[fetch]\nconnect_timeout = \"0s\"\n",
      "ok.toml");
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->feeds[0].url, "http://Example.com/RSS");
  EXPECT_EQ(cfg->feeds[1].url, "https://[::1]:8443/feed?x=1");
}

// A publisher slow to answer: the stall limit is raised with the whole request's, or turned
// off; the default stays 20 s.
TEST(ConfigTest, StallTimeoutSetsTheLowSpeedLimit) {
  auto cfg = LoadString("[fetch]\ntimeout = \"90s\"\nstall_timeout = \"60s\"\n", "ok.toml");
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->fetch.low_speed_seconds, 60);
  cfg = LoadString("[fetch]\nstall_timeout = \"0s\"\n", "ok.toml");
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->fetch.low_speed_seconds, 0);
  cfg = LoadString("[fetch]\ntimeout = \"10s\"\n", "ok.toml");
  ASSERT_TRUE(cfg) << "the default stall limit above a short timeout is cut by it: "
                   << cfg.error().ToString();
  EXPECT_EQ(cfg->fetch.low_speed_seconds, 20);
}

TEST(ConfigTest, ADirectoryIsNotAnEmptyConfiguration) {
  auto cfg = LoadFile("/tmp");
  ASSERT_FALSE(cfg);
  EXPECT_NE(cfg.error().message().find("/tmp: is a directory"), std::string::npos)
      << cfg.error().message();
}

TEST(ConfigTest, MissingFileNamesIt) {
  auto cfg = LoadFile("/nonexistent/newsd.toml");
  ASSERT_FALSE(cfg);
  EXPECT_NE(cfg.error().message().find("/nonexistent/newsd.toml"), std::string::npos);
}

TEST(ConfigTest, SameUrlKeyIgnoresWhatDoesNotChangeTheResource) {
  const std::string key = SameUrlKey("http://e.com/a/rss.xml?x=1");
  EXPECT_EQ(SameUrlKey("HTTP://E.COM:80/a/rss.xml?x=1"), key);
  EXPECT_EQ(SameUrlKey("http://e.com:/a/./rss.xml?x=1#top"), key);
  // Dot segments resolved as RFC 3986 does: one feed, not two.
  EXPECT_EQ(SameUrlKey("http://e.com/a/../a/rss.xml?x=1"), key);
  EXPECT_EQ(SameUrlKey("http://e.com/b/c/../../a/rss.xml?x=1"), key);
  EXPECT_EQ(SameUrlKey("http://e.com/../a/rss.xml?x=1"), key);
  EXPECT_EQ(SameUrlKey("http://e.com/a/b/.."), SameUrlKey("http://e.com/a/"));
  EXPECT_NE(SameUrlKey("http://e.com/a/..rss.xml"), SameUrlKey("http://e.com/rss.xml"));
  EXPECT_NE(SameUrlKey("http://e.com/a/RSS.xml?x=1"), key) << "path case matters";
  EXPECT_NE(SameUrlKey("http://e.com/a/rss.xml?x=2"), key);
  EXPECT_NE(SameUrlKey("https://e.com/a/rss.xml?x=1"), key);
  EXPECT_EQ(SameUrlKey("https://e.com"), SameUrlKey("https://e.com:443/"));
  EXPECT_EQ(SameUrlKey("http://[::1]:80/x"), SameUrlKey("http://[::1]/x"));
  EXPECT_NE(SameUrlKey("http://e.com:8080/x"), SameUrlKey("http://e.com/x"));
  // A port's leading zeros, and the "localhost" of a file URL, change nothing fetched.
  EXPECT_EQ(SameUrlKey("http://127.0.0.1:080/x"), SameUrlKey("http://127.0.0.1/x"));
  EXPECT_EQ(SameUrlKey("http://e.com:0080/x"), SameUrlKey("http://e.com:80/x"));
  EXPECT_EQ(SameUrlKey("http://e.com:08080/x"), SameUrlKey("http://e.com:8080/x"));
  EXPECT_EQ(SameUrlKey("http://[::1]:080/x"), SameUrlKey("http://[::1]/x"));
  EXPECT_NE(SameUrlKey("http://[::1]/x"), SameUrlKey("http://[::2]/x"));
  EXPECT_EQ(SameUrlKey("file://localhost/srv/f.xml"), SameUrlKey("file:///srv/f.xml"));
  EXPECT_EQ(SameUrlKey("file://LOCALHOST/srv/f.xml"), SameUrlKey("file:///srv/f.xml"));
  EXPECT_EQ(SameUrlKey("file://127.0.0.1/srv/f.xml"), SameUrlKey("file:///srv/f.xml"));
  EXPECT_NE(SameUrlKey("file:///srv/F.xml"), SameUrlKey("file:///srv/f.xml"));
  // A password is no port: its zeros stay.
  EXPECT_NE(SameUrlKey("https://user:007@e.com/x"), SameUrlKey("https://user:7@e.com/x"));
  EXPECT_EQ(SameUrlKey("https://user:007@e.com:0443/x"), SameUrlKey("https://user:007@e.com/x"));
}

// A reload names the keys it cannot apply ("[fetch] timeout"), so what a restart will change
// is clear: keys set to other values, added or dropped; not the ones spelled the same.
TEST(ConfigTest, ChangedKeysNameWhatDiffersInASection) {
  auto before = LoadString(
      "[fetch]\ntimeout = \"30s\"\nuser_agent = \"desk/1\"\n"
      "[storage]\nsync_writes = true\n"
      "[[feed]]\nid = \"a\"\nurl = \"http://127.0.0.1/a.xml\"\n",
      "before.toml");
  auto after = LoadString(
      "[fetch]\ntimeout = \"45s\"\nuser_agent = \"desk/1\"\nmax_body_bytes = 8388608\n"
      "[storage]\nsync_writes = true\n"
      "[[feed]]\nid = \"b\"\nurl = \"http://127.0.0.1/b.xml\"\n",
      "after.toml");
  ASSERT_TRUE(before.has_value()) << before.error().message();
  ASSERT_TRUE(after.has_value()) << after.error().message();
  EXPECT_EQ(ChangedKeys(*before, *after, "fetch"),
            (std::vector<std::string>{"max_body_bytes", "timeout"}));
  EXPECT_EQ(ChangedKeys(*after, *before, "fetch"),
            (std::vector<std::string>{"max_body_bytes", "timeout"}));
  EXPECT_TRUE(ChangedKeys(*before, *after, "storage").empty());
  EXPECT_TRUE(ChangedKeys(*before, *before, "fetch").empty());
  for (const auto& [key, value] : after->settings) {  // feeds are compared feed by feed
    EXPECT_FALSE(key.starts_with("feed")) << key << " = " << value;
  }
}

// Spelled otherwise, the same value is no change: "0s" and "0m", or the default written out
// where the other file leaves it; a default against another value is one.
TEST(ConfigTest, ChangedKeysLeaveOutTheSameValueSpelledOtherwise) {
  auto before = LoadString("[politeness]\nstartup_jitter = \"0s\"\nhost_inflight = 2\n", "a.toml");
  auto after = LoadString(
      "[politeness]\nstartup_jitter = \"0m\"\nhost_inflight = 3\nhost_spacing = \"1s\"\n",
      "b.toml");
  ASSERT_TRUE(before.has_value()) << before.error().message();
  ASSERT_TRUE(after.has_value()) << after.error().message();
  EXPECT_EQ(ChangedKeys(*before, *after, "politeness"),
            (std::vector<std::string>{"host_inflight"}));
  auto slower = LoadString("[politeness]\nhost_spacing = \"5s\"\n", "c.toml");
  ASSERT_TRUE(slower.has_value()) << slower.error().message();
  // host_inflight = 2 is its default: dropping it changes nothing.
  EXPECT_EQ(ChangedKeys(*before, *slower, "politeness"),
            (std::vector<std::string>{"host_spacing", "startup_jitter"}));
}

}  // namespace
}  // namespace newsd::config
