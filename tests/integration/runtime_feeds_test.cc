// Operators steering a running newsd with newsctl: feeds added, paused, resumed and removed at
// run time (kept across restarts, the config file staying authoritative), OPML out and in,
// search, and the export cursor with --follow.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/service_harness.h"
#include "tests/support/http_test_server.h"
#include "tests/support/test_util.h"

namespace newsd {
namespace {

using nlohmann::json;
using testing::Bin;
using testing::HttpResponse;
using testing::HttpTestServer;
using testing::MakeResponse;
using testing::ReadDemoFeed;
using testing::RunCommand;
using testing::Service;
using testing::TempDir;

std::vector<json> Lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(json::parse(line, nullptr, false));
  }
  return out;
}

class RuntimeFeedsTest : public ::testing::Test {
 protected:
  RuntimeFeedsTest() {
    for (const char* name : {"astanatimes.xml", "dknews.xml"}) {
      server_.HandleStatic(
          std::string("/") + name,
          MakeResponse(200, ReadDemoFeed(name), {{"Content-Type", "application/rss+xml"}}));
    }
    testing::WriteFile(
        config_, "[daemon]\ndata_dir = \"" + dir_.str() + "/data\"\nadmin_socket = \"" + sock_ +
                     "\"\n[fetch]\nallow_private = true\n[politeness]\n"
                     "startup_jitter = \"0s\"\nhost_inflight = 0\nhost_spacing = \"0s\"\n"
                     "min_interval = \"0s\"\n[[feed]]\nid = \"region\"\nurl = \"file://" +
                     (testing::SourceDir() / "demo/feeds/regionnews.xml").string() + "\"\n");
  }
  /// `feeds list --json` as id → feed.
  std::map<std::string, json> Feeds(const Service& service) {
    std::string out;
    service.Ctl("--json feeds list", &out);
    std::map<std::string, json> by_id;
    json list = json::parse(out, nullptr, false);
    if (list.is_object()) {
      for (const json& f : list["feeds"]) by_id[f["id"]] = f;
    }
    return by_id;
  }

  TempDir dir_;
  HttpTestServer server_;
  const std::string sock_ = dir_.str() + "/admin.sock";
  const std::string config_ = dir_.str() + "/newsd.toml";
};

// Read with --db while newsd is down, feeds show and feeds list tell what the daemon would: a
// feed paused with newsctl is disabled, and a feed added paused and never polled is found.
TEST_F(RuntimeFeedsTest, ReadWithDbPausedAndNeverPolledFeedsShowAsTheDaemonHasThem) {
  std::string out;
  {
    Service service(config_, sock_);
    ASSERT_TRUE(service.ready());
    ASSERT_EQ(service.WaitStories(3), 3u);
    ASSERT_EQ(service.Ctl("feeds pause region", &out), 0) << out;
    ASSERT_EQ(service.Ctl("feeds add " + server_.Url("/dknews.xml") + " --id later --paused", &out),
              0)
        << out;
    EXPECT_EQ(service.Stop(), 0);
  }
  auto db = [&](const std::string& args) {
    out.clear();
    const int rc =
        RunCommand(Bin("newsctl") + " --db " + dir_.str() + "/data --json " + args, &out);
    const json parsed = json::parse(out, nullptr, false);
    return std::pair{rc, parsed};
  };
  const auto [show_rc, shown] = db("feeds show region");
  ASSERT_EQ(show_rc, 0) << out;
  EXPECT_EQ(shown["feed"]["state"], "disabled") << out;
  EXPECT_TRUE(shown["feed"]["next_fetch"].is_null()) << out;
  const auto [later_rc, later] = db("feeds show later");
  ASSERT_EQ(later_rc, 0) << out;
  EXPECT_EQ(later["feed"]["state"], "disabled") << out;
  EXPECT_NE(later["feed"]["state_reason"].get<std::string>().find("paused with newsctl"),
            std::string::npos)
      << out;
  const auto [list_rc, listed] = db("feeds list");
  ASSERT_EQ(list_rc, 0) << out;
  std::map<std::string, json> by_id;
  for (const json& f : listed.value("feeds", json::array())) by_id[f["id"]] = f;
  ASSERT_EQ(by_id.size(), 2u) << out;
  // Without the configuration at hand, a feed not added with newsctl is the archive's.
  EXPECT_EQ(by_id["region"]["origin"], "archive") << out;
  EXPECT_EQ(by_id["region"]["state"], "disabled") << out;
  EXPECT_EQ(by_id["later"]["origin"], "newsctl") << out;
  EXPECT_EQ(by_id["later"]["state"], "disabled") << out;
  EXPECT_FALSE(by_id["later"]["state_reason"].get<std::string>().empty()) << out;
}

TEST_F(RuntimeFeedsTest, FeedsAddedPausedAndRemovedAtRunTimeSurviveRestarts) {
  const std::string astana_url = server_.Url("/astanatimes.xml");
  std::string out;
  {
    Service service(config_, sock_);
    ASSERT_TRUE(service.ready());
    ASSERT_EQ(service.WaitStories(3), 3u);
    ASSERT_EQ(service.Ctl("feeds add " + astana_url + " --name 'Astana Times'", &out), 0) << out;
    EXPECT_NE(out.find("added 127.0.0.1-astanatimes.xml"), std::string::npos) << out;
    // Polled at once: one new story, one copy of the region feed's wire story.
    EXPECT_EQ(service.WaitStories(4), 4u) << "the added feed was polled";
    std::map<std::string, json> feeds = Feeds(service);
    ASSERT_EQ(feeds.size(), 2u);
    EXPECT_EQ(feeds["region"]["origin"], "config");
    EXPECT_EQ(feeds["127.0.0.1-astanatimes.xml"]["origin"], "newsctl");
    EXPECT_EQ(feeds["127.0.0.1-astanatimes.xml"]["name"], "Astana Times");

    // The same URL again: skipped, with the reason, and no failure (adding what is there).
    EXPECT_EQ(service.Ctl("feeds add " + astana_url, &out), 0) << out;
    EXPECT_NE(out.find("already polled as feed 127.0.0.1-astanatimes.xml"), std::string::npos);
    EXPECT_NE(out.find("0 added, 1 skipped"), std::string::npos) << out;
    // ...but asked for under another id, that feed does not exist: refused (exit 1).
    EXPECT_EQ(service.Ctl("feeds add " + astana_url + " --id astana", &out), 1) << out;
    EXPECT_NE(out.find("not added as astana"), std::string::npos) << out;
    EXPECT_EQ(service.Ctl("feeds add " + astana_url + " --id 127.0.0.1-astanatimes.xml", &out), 0)
        << out;
    // A file:// URL, a declared feed: refused, with the reason.
    EXPECT_EQ(service.Ctl("feeds add file:///etc/passwd", &out), 1) << out;
    EXPECT_NE(out.find("http:// or https://"), std::string::npos) << out;
    // The refusal is a diagnostic (stderr); stdout keeps the counts.
    out.clear();
    EXPECT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock_ +
                             " feeds add file:///etc/passwd 2>/dev/null",
                         &out),
              1);
    EXPECT_EQ(out, "0 added, 1 skipped\n");
    // Another scheme is told what run-time feeds take, not what the configuration file would.
    EXPECT_EQ(service.Ctl("feeds add ftp://example.com/rss", &out), 1) << out;
    EXPECT_NE(out.find("need an http:// or https:// URL"), std::string::npos) << out;
    // A URL that can never be fetched says why, as the configuration's check does.
    EXPECT_EQ(service.Ctl("feeds add 'http://exa mple.com/rss'", &out), 1) << out;
    EXPECT_NE(out.find("must not contain spaces"), std::string::npos) << out;
    EXPECT_EQ(service.Ctl("feeds add http://example.com:99999/rss", &out), 1) << out;
    EXPECT_NE(out.find("bad port"), std::string::npos) << out;
    EXPECT_EQ(service.Ctl("feeds remove region", &out), 1) << out;
    EXPECT_NE(out.find("declared in"), std::string::npos) << out;
    EXPECT_EQ(service.Ctl("feeds pause nosuch", &out), 4) << out;

    ASSERT_EQ(service.Ctl("feeds pause 127.0.0.1-astanatimes.xml", &out), 0) << out;
    ASSERT_EQ(service.Ctl("feeds pause region", &out), 0) << out;
    // Paused again: nothing changes, and newsctl says so (not "paused" a second time).
    ASSERT_EQ(service.Ctl("feeds pause region", &out), 0) << out;
    EXPECT_NE(out.find("region was paused already"), std::string::npos) << out;
    // `feeds show` tells the daemon's state, as `feeds list` does, not the last one stored.
    ASSERT_EQ(service.Ctl("--json feeds show region", &out), 0) << out;
    EXPECT_EQ(json::parse(out, nullptr, false)["feed"]["state"], "disabled") << out;
    // Piped, the table keeps whole values: the reason ends with what to do.
    ASSERT_EQ(service.Ctl("feeds list", &out), 0) << out;
    EXPECT_NE(out.find("`newsctl feeds resume region`"), std::string::npos) << out;
    EXPECT_EQ(service.Ctl("feeds poll region", &out), 1) << out;
    const size_t resume = out.find("feeds resume region");
    ASSERT_NE(resume, std::string::npos) << out;
    EXPECT_EQ(out.find("feeds resume region", resume + 1), std::string::npos)
        << "said twice: " << out;
    EXPECT_EQ(service.Stop(), 0);
  }
  // With newsd stopped, newsd reparse reaches a feed added with newsctl too (its raw bodies
  // are kept like any feed's).
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " reparse 127.0.0.1-astanatimes.xml --dry-run --config " +
                           config_ + " 2>&1",
                       &out),
            0)
      << out;
  // Read from the archive directly, a paused feed shows as the daemon has it: disabled.
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir_.str() + "/data --json feeds list", &out), 0)
      << out;
  const json listed = json::parse(out, nullptr, false);
  int region = 0;
  for (const json& f : listed.value("feeds", json::array())) {
    // Its configured interval too, as the daemon listed it (an OPML export carries it).
    EXPECT_EQ(f["configured_interval"], 3600) << f;
    if (f["id"] != "region") continue;
    ++region;
    EXPECT_EQ(f["state"], "disabled") << f;
  }
  EXPECT_EQ(region, 1) << out;
  {
    // After a restart: the added feed is still there, both stay paused, nothing is fetched.
    const size_t fetched = server_.RequestsFor("/astanatimes.xml").size();
    Service service(config_, sock_);
    ASSERT_TRUE(service.ready());
    std::map<std::string, json> feeds = Feeds(service);
    ASSERT_EQ(feeds.size(), 2u);
    EXPECT_EQ(feeds["127.0.0.1-astanatimes.xml"]["paused"], true);
    EXPECT_EQ(feeds["127.0.0.1-astanatimes.xml"]["state"], "disabled");
    EXPECT_NE(feeds["region"]["state_reason"].get<std::string>().find("paused with newsctl"),
              std::string::npos)
        << feeds["region"];

    ASSERT_EQ(service.Ctl("feeds resume region", &out), 0) << out;
    ASSERT_EQ(service.Ctl("feeds resume 127.0.0.1-astanatimes.xml", &out), 0) << out;
    feeds = Feeds(service);
    EXPECT_EQ(feeds["region"]["state"], "active") << feeds["region"];
    EXPECT_EQ(feeds["127.0.0.1-astanatimes.xml"]["paused"], false);
    ASSERT_EQ(service.Ctl("feeds poll 127.0.0.1-astanatimes.xml", &out), 0) << out;
    for (int i = 0; i < 100 && server_.RequestsFor("/astanatimes.xml").size() == fetched; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_GT(server_.RequestsFor("/astanatimes.xml").size(), fetched) << "feeds poll fetched it";

    // OPML out: both feeds, with their ids; removing the added one and importing the file
    // brings it back under the same id (the declared one is skipped: already polled).
    const std::string opml = dir_.str() + "/feeds.opml";
    ASSERT_EQ(
        RunCommand(Bin("newsctl") + " --socket " + sock_ + " feeds export --opml > " + opml, &out),
        0);
    std::ifstream in(opml);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("xmlUrl=\"" + astana_url + "\""), std::string::npos) << text.str();
    EXPECT_NE(text.str().find(":id=\"127.0.0.1-astanatimes.xml\""), std::string::npos);
    ASSERT_EQ(service.Ctl("feeds remove 127.0.0.1-astanatimes.xml", &out), 0) << out;
    EXPECT_EQ(Feeds(service).size(), 1u);
    // feeds show still finds its record, and says it is no longer polled.
    ASSERT_EQ(service.Ctl("--json feeds show 127.0.0.1-astanatimes.xml", &out), 0) << out;
    const json removed = json::parse(out, nullptr, false)["feed"];
    EXPECT_EQ(removed["state"], "removed") << out;
    EXPECT_FALSE(removed.contains("next_fetch")) << out;
    // Read with --db (no configuration at hand), the removed feed's record is no "config"
    // feed: it shows as the archive's.
    out.clear();
    ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir_.str() + "/data --json feeds list", &out),
              0)
        << out;
    int kept = 0;
    for (const json& f : json::parse(out, nullptr, false).value("feeds", json::array())) {
      if (f["id"] == "127.0.0.1-astanatimes.xml") {
        ++kept;
        EXPECT_EQ(f["origin"], "archive") << f;
      }
    }
    EXPECT_EQ(kept, 1) << out;
    ASSERT_EQ(service.Ctl("--json feeds import --opml " + opml, &out), 0) << out;
    json imported = json::parse(out, nullptr, false);
    ASSERT_EQ(imported["added"].size(), 1u) << out;
    EXPECT_EQ(imported["added"][0]["id"], "127.0.0.1-astanatimes.xml") << out;
    EXPECT_EQ(imported["skipped"].size(), 1u) << out;
    EXPECT_EQ(Feeds(service).size(), 2u);
    // The same list again adds nothing and refuses nothing: a success (a nightly sync).
    ASSERT_EQ(service.Ctl("feeds import --opml " + opml, &out), 0) << out;
    EXPECT_NE(out.find("0 added, 2 skipped"), std::string::npos) << out;
    // One URL twice in one list (the second spelt otherwise) is added once.
    ASSERT_EQ(service.Ctl("feeds remove 127.0.0.1-astanatimes.xml", &out), 0) << out;
    const std::string twice = dir_.str() + "/twice.opml";
    std::ofstream(twice) << "<opml version=\"2.0\"><body><outline text=\"a\" xmlUrl=\""
                         << astana_url << "\"/><outline text=\"b\" xmlUrl=\"" << astana_url
                         << "#again\"/></body></opml>\n";
    ASSERT_EQ(service.Ctl("--json feeds import --opml " + twice, &out), 0) << out;
    imported = json::parse(out, nullptr, false);
    EXPECT_EQ(imported["added"].size(), 1u) << out;
    ASSERT_EQ(imported["skipped"].size(), 1u) << out;
    EXPECT_NE(imported["skipped"][0]["reason"].get<std::string>().find("earlier in this list"),
              std::string::npos)
        << out;
    EXPECT_EQ(Feeds(service).size(), 2u);
    EXPECT_EQ(service.Stop(), 0);
  }
}

// A list with a feed that cannot be added fails (exit 1), whatever else it added: a script
// learns an entry was rejected; the good entries are added all the same.
TEST_F(RuntimeFeedsTest, AnImportWithARefusedFeedFailsAndAddsTheRest) {
  std::string out;
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  const std::string opml = dir_.str() + "/mixed.opml";
  std::ofstream(opml) << "<opml version=\"2.0\"><body><outline text=\"a\" xmlUrl=\""
                      << server_.Url("/astanatimes.xml")
                      << "\"/><outline text=\"b\" xmlUrl=\"ftp://example.com/rss\"/>"
                         "</body></opml>\n";
  EXPECT_EQ(service.Ctl("--json feeds import --opml " + opml, &out), 1) << out;
  const json imported = json::parse(out, nullptr, false);
  ASSERT_TRUE(imported.is_object()) << out;
  EXPECT_EQ(imported["added"].size(), 1u) << out;
  EXPECT_EQ(imported["skipped"].size(), 1u) << out;
  EXPECT_EQ(service.Stop(), 0);
}

// An export hides a feed's password (***): importing it again adds nothing and fails
// nothing; a masked URL of no feed polled is refused with the reason, never added.
TEST_F(RuntimeFeedsTest, AnOpmlExportOfAFeedWithAPasswordImportsAgain) {
  std::string url = server_.Url("/astanatimes.xml");
  url.insert(url.find("://") + 3, "desk:secret@");
  std::string out;
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  ASSERT_EQ(service.Ctl("feeds add '" + url + "' --id astana", &out), 0) << out;
  const std::string opml = dir_.str() + "/feeds.opml";
  ASSERT_EQ(
      RunCommand(Bin("newsctl") + " --socket " + sock_ + " feeds export --opml > " + opml, &out),
      0);
  out.clear();
  ASSERT_EQ(service.Ctl("feeds import --opml " + opml, &out), 0) << out;
  EXPECT_NE(out.find("0 added, 2 skipped"), std::string::npos) << out;
  ASSERT_EQ(service.Ctl("feeds remove astana", &out), 0) << out;
  out.clear();
  EXPECT_NE(service.Ctl("--json feeds import --opml " + opml, &out), 0) << out;
  const json imported = json::parse(out, nullptr, false);
  ASSERT_TRUE(imported.is_object()) << out;
  EXPECT_EQ(imported["added"].size(), 0u) << out;
  bool refused = false;
  for (const json& skipped : imported["skipped"]) {
    refused |=
        skipped["reason"].get<std::string>().find("exports hide passwords") != std::string::npos;
  }
  EXPECT_TRUE(refused) << out;
  EXPECT_EQ(service.Stop(), 0);
}

// An OPML list too long for one request (15,000 feeds: over the 1 MiB request limit) is sent
// in parts; it used to fail with "lost connection", exit 3, as if newsd had gone away.
TEST_F(RuntimeFeedsTest, AnOpmlListOverTheRequestLimitIsAddedInParts) {
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  const std::string opml = dir_.str() + "/many.opml";
  {
    std::ofstream out(opml);
    out << "<opml version=\"2.0\" xmlns:newsd=\""
        << "https://github.com/newsd/newsd/opml"
        << "\"><body>\n";
    for (int i = 0; i < 15000; ++i) {
      out << "<outline type=\"rss\" text=\"outlet " << i << "\" newsd:paused=\"true\" xmlUrl=\""
          << server_.Url("/feeds/outlet-with-a-longish-name-" + std::to_string(i) + ".xml")
          << "\"/>\n";
    }
    out << "</body></opml>\n";
  }
  ASSERT_GT(std::filesystem::file_size(opml), size_t{1} << 20);
  std::string out;
  ASSERT_EQ(service.Ctl("--json feeds import --opml " + opml, &out), 0) << out.substr(0, 500);
  const json imported = json::parse(out, nullptr, false);
  EXPECT_EQ(imported["added"].size(), 15000u);
  EXPECT_EQ(imported["skipped"].size(), 0u);
  EXPECT_EQ(Feeds(service).size(), 15001u);
  EXPECT_EQ(service.Stop(), 0);
}

// A feed added with newsctl that went gone (410), removed and added again, is polled again:
// the old record's state is not the new feed's. The gone reason says how to resume it.
TEST_F(RuntimeFeedsTest, AFeedAddedAgainAfterItWentGoneIsPolledAgain) {
  server_.HandleStatic("/gone.xml", MakeResponse(410, "gone\n", {}));
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  std::string out;
  const std::string url = server_.Url("/gone.xml");
  ASSERT_EQ(service.Ctl("feeds add " + url + " --id g", &out), 0) << out;
  std::map<std::string, json> feeds;
  for (int i = 0; i < 200; ++i) {
    feeds = Feeds(service);
    if (feeds["g"].value("state", "") == "gone") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(feeds["g"]["state"], "gone") << feeds["g"];
  EXPECT_NE(feeds["g"]["state_reason"].get<std::string>().find("newsctl feeds resume g"),
            std::string::npos)
      << feeds["g"];
  const size_t polled = server_.RequestsFor("/gone.xml").size();
  ASSERT_EQ(service.Ctl("feeds remove g", &out), 0) << out;
  ASSERT_EQ(service.Ctl("feeds add " + url + " --id g", &out), 0) << out;
  for (int i = 0; i < 200 && server_.RequestsFor("/gone.xml").size() == polled; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_GT(server_.RequestsFor("/gone.xml").size(), polled) << "added again: polled again";
  EXPECT_EQ(service.Stop(), 0);
}

// A feed added with newsctl and then declared in the file under the same id: the file's entry
// is polled, and `feeds remove` forgets the added one, as the warning at reload says.
TEST_F(RuntimeFeedsTest, AnAddedFeedTheFileNowDeclaresCanBeForgotten) {
  server_.HandleStatic("/s.xml", MakeResponse(200, ReadDemoFeed("astanatimes.xml"), {}));
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  std::string out;
  const std::string url = server_.Url("/s.xml");
  ASSERT_EQ(service.Ctl("feeds add " + url + " --id shadow", &out), 0) << out;
  ASSERT_EQ(service.Ctl("feeds pause shadow", &out), 0) << out;
  testing::WriteFile(
      config_, testing::ReadFile(config_) + "[[feed]]\nid = \"shadow\"\nurl = \"" + url + "\"\n");
  ASSERT_EQ(service.Ctl("reload", &out), 0) << out;
  ASSERT_EQ(service.Ctl("feeds remove shadow", &out), 0) << out;
  EXPECT_NE(out.find("forgot shadow as added with newsctl"), std::string::npos) << out;
  EXPECT_NE(out.find("kept, paused with newsctl"), std::string::npos) << out;
  std::map<std::string, json> feeds = Feeds(service);
  ASSERT_EQ(feeds.count("shadow"), 1u) << "the declared one stays";
  EXPECT_EQ(feeds["shadow"]["origin"], "config") << feeds["shadow"];
  EXPECT_EQ(feeds["shadow"]["paused"], true) << "the pause given with newsctl stays";
  EXPECT_EQ(service.Ctl("feeds remove shadow", &out), 1) << out;  // now only declared
  EXPECT_NE(out.find("is declared in"), std::string::npos) << out;
  EXPECT_EQ(service.Stop(), 0);
}

// A feed added with newsctl whose URL the file then declares under another id is no longer
// polled, but it is not removed: reload says which feed stands for it, and lists it apart.
TEST_F(RuntimeFeedsTest, ReloadTellsAnAddedFeedTheFileNowStandsForFromARemovedOne) {
  server_.HandleStatic("/t.xml", MakeResponse(200, ReadDemoFeed("astanatimes.xml"), {}));
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  std::string out;
  const std::string url = server_.Url("/t.xml");
  ASSERT_EQ(service.Ctl("feeds add " + url + " --id mine", &out), 0) << out;
  testing::WriteFile(
      config_, testing::ReadFile(config_) + "[[feed]]\nid = \"theirs\"\nurl = \"" + url + "\"\n");
  ASSERT_EQ(service.Ctl("reload", &out), 0) << out;
  EXPECT_NE(out.find("feeds removed: 0"), std::string::npos) << out;
  EXPECT_NE(out.find("feed mine (added with newsctl) gives way to theirs"), std::string::npos)
      << out;
  ASSERT_EQ(service.Ctl("feeds remove mine", &out), 0) << out;  // still there to forget
  EXPECT_EQ(service.Stop(), 0);
}

// `feeds poll` inside the floor since the last poll answers when the poll will be, and it is
// made then (not at the feed's next scheduled poll, an hour later), never sooner.
TEST_F(RuntimeFeedsTest, APollAskedForInsideTheFloorIsMadeWhenTheFloorEnds) {
  std::string config = testing::ReadFile(config_);
  config.replace(config.find("min_interval = \"0s\""), 19, "min_interval = \"2s\"");
  testing::WriteFile(config_, config + "[[feed]]\nid = \"f\"\nurl = \"" +
                                  server_.Url("/astanatimes.xml") + "\"\ninterval = \"1h\"\n");
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  auto requests = [&] { return server_.RequestsFor("/astanatimes.xml"); };
  for (int i = 0; i < 200 && Feeds(service)["f"].value("last_fetch", json()).is_null(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(requests().size(), 1u);
  std::string out;
  ASSERT_EQ(service.Ctl("feeds poll f", &out), 0) << out;
  EXPECT_NE(out.find("held by [politeness] min_interval"), std::string::npos) << out;
  for (int i = 0; i < 400 && requests().size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  const auto made = requests();
  ASSERT_EQ(made.size(), 2u) << "the poll asked for was not made once the floor ended";
  EXPECT_GE(made[1].time - made[0].time, std::chrono::seconds(2));
  // A feed added with an interval below the floor is told so.
  ASSERT_EQ(service.Ctl("feeds add " + server_.Url("/dknews.xml") + " --interval 1s", &out), 0)
      << out;
  EXPECT_NE(out.find("interval 1s is below [politeness] min_interval: polled every 2s"),
            std::string::npos)
      << out;
  EXPECT_EQ(service.Stop(), 0);
}

// A due feed held by its host's Retry-After (another feed of the host got a 429) shows when
// it will be polled and why, not "active" with no next fetch.
TEST_F(RuntimeFeedsTest, AFeedWaitingOnItsHostsRetryAfterSaysSo) {
  server_.Handle("/th.xml", [](const testing::HttpRequest&) {
    return MakeResponse(429, "slow down", {{"Retry-After", "120"}});
  });
  testing::WriteFile(config_, testing::ReadFile(config_) + "[[feed]]\nid = \"th\"\nurl = \"" +
                                  server_.Url("/th.xml") + "\"\n[[feed]]\nid = \"b\"\nurl = \"" +
                                  server_.Url("/astanatimes.xml") + "\"\ninterval = \"1s\"\n");
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  json b;
  for (int i = 0; i < 200; ++i) {
    b = Feeds(service)["b"];
    if (b.value("state_reason", "").find("Retry-After") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(b.value("state_reason", "").find("Retry-After"), std::string::npos) << b;
  EXPECT_TRUE(b["next_fetch"].is_string()) << b;
  std::string out;
  ASSERT_EQ(service.Ctl("--json feeds show b", &out), 0) << out;
  const json shown = json::parse(out, nullptr, false);
  ASSERT_TRUE(shown.is_object()) << out;
  EXPECT_TRUE(shown["feed"]["next_fetch"].is_string()) << out;
  EXPECT_NE(shown["feed"].value("state_reason", "").find("Retry-After"), std::string::npos) << out;
  EXPECT_EQ(service.Stop(), 0);
}

// A feed added with newsctl whose URL the file now declares under another id is not polled;
// `feeds show` says so and names the feed that is, not "not in the config nor added".
TEST_F(RuntimeFeedsTest, ShowingAnAddedFeedShadowedByADeclaredOneNamesIt) {
  server_.HandleStatic("/s.xml", MakeResponse(200, ReadDemoFeed("astanatimes.xml"), {}));
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  std::string out;
  const std::string url = server_.Url("/s.xml");
  ASSERT_EQ(service.Ctl("feeds add " + url + " --id mine", &out), 0) << out;
  testing::WriteFile(
      config_, testing::ReadFile(config_) + "[[feed]]\nid = \"theirs\"\nurl = \"" + url + "\"\n");
  ASSERT_EQ(service.Ctl("reload", &out), 0) << out;
  ASSERT_EQ(service.Ctl("--json feeds show mine", &out), 0) << out;
  const json shown = json::parse(out, nullptr, false);
  ASSERT_TRUE(shown.is_object()) << out;
  EXPECT_EQ(shown["feed"]["state"], "shadowed") << out;
  EXPECT_EQ(shown["feed"]["url"], url) << out;
  EXPECT_NE(shown["feed"].value("state_reason", "").find("as feed theirs"), std::string::npos)
      << out;
  EXPECT_FALSE(shown["feed"].contains("next_fetch")) << out;
  ASSERT_EQ(service.Ctl("feeds show mine", &out), 0) << out;
  EXPECT_NE(out.find("shadowed"), std::string::npos) << out;
  EXPECT_NE(out.find("newsctl feeds remove mine"), std::string::npos) << out;
  // The file declaring an added feed under its own id: the reload says the file's entry is used.
  ASSERT_EQ(service.Ctl("feeds add " + server_.Url("/own.xml") + " --id own", &out), 0) << out;
  testing::WriteFile(config_, testing::ReadFile(config_) + "[[feed]]\nid = \"own\"\nurl = \"" +
                                  server_.Url("/own.xml") + "\"\n");
  ASSERT_EQ(service.Ctl("reload", &out), 0) << out;
  EXPECT_NE(out.find("feed own (added with newsctl) is now declared in the file"),
            std::string::npos)
      << out;
  EXPECT_EQ(service.Stop(), 0);
}

// A feed paused or resumed while its poll is under way: the poll still counts (its validators
// are kept), and the feed is never polled twice at once.
TEST_F(RuntimeFeedsTest, PausingAndResumingDuringAPollNeitherLosesNorDoublesIt) {
  HttpResponse slow = MakeResponse(200, ReadDemoFeed("astanatimes.xml"),
                                   {{"Content-Type", "application/rss+xml"},
                                    {"ETag", "\"v1\""},
                                    {"Cache-Control", "max-age=10800"}});
  // Long enough for three newsctl round trips while a poll is under way, on a loaded machine.
  slow.delay = std::chrono::milliseconds(3000);
  server_.HandleStatic("/slow.xml", slow);
  std::ofstream(config_, std::ios::app) << "[[feed]]\nid = \"slow\"\nurl = \""
                                        << server_.Url("/slow.xml") << "\"\ninterval = \"1h\"\n";
  auto requests = [&] { return server_.RequestsFor("/slow.xml").size(); };
  auto wait_requests = [&](size_t n) {
    for (int i = 0; i < 200 && requests() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return requests();
  };
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  std::string out;
  ASSERT_EQ(wait_requests(1), 1u);
  // Paused while its answer is on the way: the answer is still read, and nothing more asked.
  ASSERT_EQ(service.Ctl("feeds pause slow", &out), 0) << out;
  ASSERT_EQ(service.WaitStories(4), 4u) << "the paused feed's poll was ingested";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(requests(), 1u);
  EXPECT_EQ(Feeds(service)["slow"]["state"], "disabled");

  // Resumed: polled again, conditionally (the poll made while pausing counted).
  ASSERT_EQ(service.Ctl("feeds resume slow", &out), 0) << out;
  ASSERT_EQ(wait_requests(2), 2u);
  EXPECT_EQ(server_.RequestsFor("/slow.xml")[1].Header("If-None-Match"), "\"v1\"");
  // Paused, resumed and asked for while that poll is under way: no second poll beside it.
  ASSERT_EQ(service.Ctl("feeds pause slow", &out), 0) << out;
  ASSERT_EQ(service.Ctl("feeds resume slow", &out), 0) << out;
  ASSERT_EQ(service.Ctl("feeds poll slow", &out), 0) << out;
  EXPECT_NE(out.find("being polled now"), std::string::npos) << out;
  std::this_thread::sleep_for(std::chrono::milliseconds(4000));
  EXPECT_EQ(requests(), 2u) << "the feed was polled twice at once";
  EXPECT_EQ(Feeds(service)["slow"]["state"], "active");
  // The publisher's max-age stretched the interval in force to 3 h; an OPML export carries
  // the configured hour, so that importing it does not pin the feed to 3 h.
  EXPECT_EQ(Feeds(service)["slow"]["interval"], 10800);
  ASSERT_EQ(service.Ctl("feeds show slow", &out), 0) << out;
  EXPECT_NE(out.find("interval:              3h (configured 1h; HTTP freshness"), std::string::npos)
      << "feeds show says what set the interval: " << out;
  ASSERT_EQ(service.Ctl("feeds export --opml", &out), 0) << out;
  EXPECT_NE(out.find("newsd:id=\"slow\" newsd:interval=\"3600\""), std::string::npos) << out;
  EXPECT_EQ(service.Stop(), 0);
}

// A feed paused while it waits for its host (behind another feed's poll) is not polled.
TEST_F(RuntimeFeedsTest, AFeedPausedWhileQueuedForItsHostIsNotPolled) {
  HttpResponse slow =
      MakeResponse(200, ReadDemoFeed("astanatimes.xml"), {{"Content-Type", "application/rss+xml"}});
  slow.delay = std::chrono::milliseconds(1500);
  server_.HandleStatic("/first.xml", slow);
  server_.HandleStatic("/queued.xml", MakeResponse(200, ReadDemoFeed("dknews.xml"),
                                                   {{"Content-Type", "application/rss+xml"}}));
  testing::WriteFile(config_,
                     "[daemon]\ndata_dir = \"" + dir_.str() + "/data\"\nadmin_socket = \"" + sock_ +
                         "\"\n[fetch]\nallow_private = true\n[politeness]\n"
                         "startup_jitter = \"0s\"\nhost_inflight = 1\nhost_spacing = \"0s\"\n"
                         "min_interval = \"0s\"\n[[feed]]\nid = \"a-first\"\nurl = \"" +
                         server_.Url("/first.xml") + "\"\n[[feed]]\nid = \"b-queued\"\nurl = \"" +
                         server_.Url("/queued.xml") + "\"\n");
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  for (int i = 0; i < 200 && server_.RequestsFor("/first.xml").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(server_.RequestsFor("/first.xml").size(), 1u);
  std::string out;
  ASSERT_EQ(service.Ctl("feeds pause b-queued", &out), 0) << out;
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // the first poll ends
  EXPECT_EQ(server_.RequestsFor("/queued.xml").size(), 0u) << "a paused feed was polled";
  EXPECT_EQ(Feeds(service)["b-queued"]["state"], "disabled");
  EXPECT_EQ(service.Stop(), 0);
}

TEST_F(RuntimeFeedsTest, SearchAndAnExportCursorThatFollowsNewItems) {
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  ASSERT_EQ(service.WaitStories(3), 3u);
  std::string out;

  // search: case and letter variants folded; no hit is not an error.
  ASSERT_EQ(service.Ctl("--json search 'KAZAKH FM IN morocco'", &out), 0) << out;
  json hits = json::parse(out, nullptr, false);
  ASSERT_TRUE(hits.is_object()) << out;
  EXPECT_GE(hits["items"].size(), 1u) << out;
  EXPECT_EQ(hits["complete"], true) << out;
  // An attribution, which matching leaves out, is still found by search.
  ASSERT_EQ(service.Ctl("--json search 'деп хабарлайды DKnews.kz'", &out), 0) << out;
  EXPECT_GE(json::parse(out, nullptr, false)["items"].size(), 1u) << out;
  ASSERT_EQ(service.Ctl("--json search zzzqqqxxx", &out), 0) << out;
  EXPECT_TRUE(json::parse(out, nullptr, false)["items"].empty()) << out;

  // export over the socket: every item once, in arrival order, each line with its cursor.
  ASSERT_EQ(service.Ctl("export", &out), 0) << out;
  std::vector<json> all = Lines(out);
  ASSERT_EQ(all.size(), 3u) << out;
  ASSERT_TRUE(all[0].contains("cursor") && all[0].contains("text")) << all[0];
  ASSERT_EQ(service.Ctl("export --cursor " + all[0]["cursor"].get<std::string>(), &out), 0);
  std::vector<json> rest = Lines(out);
  ASSERT_EQ(rest.size(), 2u) << out;
  EXPECT_EQ(rest[0]["id"], all[1]["id"]);
  ASSERT_EQ(service.Ctl("export --since 2099-01-01T00:00:00Z", &out), 0);
  EXPECT_TRUE(Lines(out).empty()) << out;
  EXPECT_EQ(service.Ctl("export --cursor banana", &out), 2) << out;  // a usage error
  // A cursor this archive never gave out is a bad option value too (the man page's 2).
  EXPECT_EQ(service.Ctl("export --cursor 999999", &out), 2) << out;
  EXPECT_NE(out.find("past the end"), std::string::npos) << out;
  // So is an interval feeds.add would refuse: said before anything is asked of the daemon.
  EXPECT_EQ(service.Ctl("feeds add https://example.com/a.xml --interval 31d", &out), 2) << out;
  EXPECT_NE(out.find("at most 30d"), std::string::npos) << out;

  // --follow from the last cursor: prints the items a feed added now brings, and only those.
  const std::string followed = dir_.str() + "/followed.jsonl";
  const pid_t follower = testing::Spawn(
      {"/bin/sh", "-c",
       "exec " + Bin("newsctl") + " --socket " + sock_ + " export --follow --cursor " +
           all.back()["cursor"].get<std::string>() + " > " + followed},
      {});
  ASSERT_GT(follower, 0);
  ASSERT_EQ(service.Ctl("feeds add " + server_.Url("/dknews.xml"), &out), 0) << out;
  std::vector<json> got;
  for (int i = 0; i < 200 && got.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(followed);
    std::stringstream text;
    text << in.rdbuf();
    got = Lines(text.str());
  }
  ::kill(follower, SIGTERM);
  ::waitpid(follower, nullptr, 0);
  ASSERT_EQ(got.size(), 2u);
  for (const json& line : got) EXPECT_EQ(line["feed"], "127.0.0.1-dknews.xml") << line;
  EXPECT_EQ(service.Stop(), 0);

  // With newsd stopped, --db reads the same export.
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir_.str() + "/data export", &out), 0) << out;
  EXPECT_EQ(Lines(out).size(), 5u) << out;
}

// A Kazakh site that writes its local time with no zone, added at run time with its offset:
// its items are stored at the right instant, its offset is listed, exported to OPML and kept
// across a restart; an offset the daemon cannot read is refused with what to give.
TEST_F(RuntimeFeedsTest, AFeedAddedWithItsZonelessDatesIsReadAtThatOffset) {
  const std::string rss =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>KZ</title>"
      "<item><title>Local time</title><link>https://kz.example/1</link>"
      "<description>Astana city council met on Thursday to approve the new budget for the "
      "coming year.</description><pubDate>Thu, 03 Dec 2026 14:05:00</pubDate></item>"
      "</channel></rss>";
  server_.HandleStatic("/local.xml",
                       MakeResponse(200, rss, {{"Content-Type", "application/rss+xml"}}));
  std::string out;
  {
    Service service(config_, sock_);
    ASSERT_TRUE(service.ready());
    ASSERT_EQ(service.WaitStories(3), 3u);
    // newsctl checks the offset before asking the daemon; the daemon checks it too (another
    // client, or an older newsctl).
    EXPECT_EQ(service.Ctl("feeds add " + server_.Url("/local.xml") + " --zoneless-dates +5", &out),
              2)
        << out;
    EXPECT_NE(out.find("--zoneless-dates \"+5\" must be an offset from UTC"), std::string::npos)
        << out;
    const std::string raw = R"({"v":1,"id":3,"cmd":"feeds.add","args":{"feeds":[{"url":")" +
                            server_.Url("/other.xml") + R"(","zoneless_dates":"Asia/Almaty"}]}})";
    out.clear();
    ASSERT_EQ(RunCommand("python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); "
                         "s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode() + b\"\\n\"); "
                         "print(s.makefile().readline())' " +
                             sock_ + " '" + raw + "'",
                         &out),
              0)
        << out;
    json reply = json::parse(out, nullptr, false);
    ASSERT_TRUE(reply.is_object()) << out;
    EXPECT_TRUE(reply["result"]["added"].empty()) << out;
    EXPECT_NE(reply["result"]["skipped"][0]["reason"].get<std::string>().find(
                  "zoneless_dates \"Asia/Almaty\" must be an offset from UTC"),
              std::string::npos)
        << out;

    ASSERT_EQ(service.Ctl("feeds add " + server_.Url("/local.xml") +
                              " --id kz --zoneless-dates "
                              "+0500",
                          &out),
              0)
        << out;
    ASSERT_EQ(service.WaitStories(4), 4u) << "the added feed was polled";
    std::map<std::string, json> feeds = Feeds(service);
    EXPECT_EQ(feeds["kz"]["zoneless_dates"], "+05:00") << feeds["kz"];
    EXPECT_EQ(feeds["region"]["zoneless_dates"], "") << feeds["region"];
    // The offset is the operator's answer: no warning that the dates are read as UTC.
    EXPECT_EQ(feeds["kz"]["warning"], "") << feeds["kz"];
    ASSERT_EQ(service.Ctl("feeds show kz", &out), 0) << out;
    EXPECT_NE(out.find("zoneless_dates:"), std::string::npos) << out;
    EXPECT_NE(out.find("+05:00"), std::string::npos) << out;
    ASSERT_EQ(service.Ctl("feeds export --opml", &out), 0) << out;
    EXPECT_NE(out.find("newsd:zonelessDates=\"+05:00\""), std::string::npos) << out;
    EXPECT_EQ(service.Stop(), 0);
  }
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  EXPECT_EQ(Feeds(service)["kz"]["zoneless_dates"], "+05:00") << "kept across a restart";
  ASSERT_EQ(service.Ctl("export --format jsonl", &out), 0) << out;
  bool found = false;
  for (const json& line : Lines(out)) {
    if (line.value("feed", "") != "kz") continue;
    found = true;
    EXPECT_EQ(line["published"], "2026-12-03T09:05:00Z") << "14:05 at +05:00";
  }
  EXPECT_TRUE(found) << out;
  EXPECT_EQ(service.Stop(), 0);
}

}  // namespace
}  // namespace newsd
