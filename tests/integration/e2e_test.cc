// End to end: newsd --once over the bundled demo feeds, read back with newsctl.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/integration/e2e_test_util.h"
#include "tests/support/test_util.h"

namespace newsd {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Bin;
using testing::Ctl;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteDemoConfig;

TEST(EndToEndTest, DemoFeedsCollapseTheWireStoryIntoOne) {
  TempDir dir;
  std::string config = WriteDemoConfig(dir);
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);

  json recent = Ctl(dir, "stories recent --limit 100");
  ASSERT_TRUE(recent.is_object()) << recent;
  const json& stories = recent["stories"];
  ASSERT_EQ(stories.size(), 7u) << stories.dump(2);  // 1 wire story + 6 unrelated
  std::map<int, int> by_copies;
  std::string wire;
  for (const json& s : stories) {
    ++by_copies[s["copies"].get<int>()];
    if (s["copies"] == 4) wire = s["id"];
  }
  EXPECT_EQ(by_copies[4], 1);
  EXPECT_EQ(by_copies[1], 6);

  json shown = Ctl(dir, "stories show '" + wire + "'");
  ASSERT_EQ(shown["items"].size(), 4u);
  std::map<std::string, bool> outlets;
  for (const json& item : shown["items"]) {
    outlets[item["source"]] = item["canonical"];
    EXPECT_FALSE(item["url"].get<std::string>().empty());
  }
  EXPECT_EQ(outlets.size(), 4u);
  EXPECT_TRUE(outlets["DKnews.kz"]) << "the agency's own copy is canonical";
  EXPECT_EQ(shown["story"]["source"], "DKnews.kz");
  // The agency published first, whichever copy founded the story.
  EXPECT_EQ(shown["story"]["first_published_by"], "DKnews.kz") << shown["story"];
  EXPECT_EQ(shown["story"]["first_published"], "2026-11-27T03:05:00Z");
  EXPECT_FALSE(shown["items"][0].contains("text")) << "texts only when asked for";

  // --text: each copy's text, as received in JSON, as plain text on a terminal.
  json with_text = Ctl(dir, "stories show --text '" + wire + "'");
  for (const json& item : with_text["items"]) {
    EXPECT_NE(item.value("text", "").find("Nurtleu"), std::string::npos) << item.dump();
  }
  std::string plain;
  ASSERT_EQ(
      RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data stories show --text '" + wire + "'",
                 &plain),
      0);
  EXPECT_NE(plain.find("Murat Nurtleu arrived in Rabat"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("<p>"), std::string::npos) << "HTML shown as plain text";
}

TEST(EndToEndTest, SecondRoundHonoursThePersistedSchedule) {
  TempDir dir;
  std::string config = WriteDemoConfig(dir);
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  json before = Ctl(dir, "feeds list");
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  json after = Ctl(dir, "feeds list");
  ASSERT_EQ(before["feeds"].size(), 4u);
  EXPECT_EQ(before, after) << "no feed is due 30 minutes early";
}

TEST(EndToEndTest, ExportListsEveryItemOnce) {
  TempDir dir;
  std::string config = WriteDemoConfig(dir);
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export --format jsonl", &out),
            0);
  std::map<std::string, int> ids;
  size_t lines = 0, canonical = 0;
  for (size_t pos = 0; pos < out.size();) {
    size_t nl = out.find('\n', pos);
    json line = json::parse(out.substr(pos, nl - pos));
    ++ids[line["id"]];
    canonical += line["canonical"].get<bool>();
    for (const char* key :
         {"id", "story", "feed", "source", "url", "title", "published", "canonical"}) {
      EXPECT_TRUE(line.contains(key)) << key;
    }
    ++lines;
    pos = nl + 1;
  }
  EXPECT_EQ(lines, 10u);
  EXPECT_EQ(ids.size(), 10u);
  EXPECT_EQ(canonical, 7u);  // one per story
}

// A site that writes its local time without a zone: the feed's zoneless_dates places its
// items, another feed takes [parse]'s, and the stored and exported times are in UTC.
TEST(EndToEndTest, DatesWithoutAZoneAreStoredAtTheConfiguredOffset) {
  TempDir dir;
  for (const char* name : {"kz", "ru"}) {
    testing::WriteFile(dir.str() + "/" + name + ".xml",
                       std::string("<rss version=\"2.0\"><channel><title>") + name +
                           "</title><item><title>Story " + name + "</title><link>https://" + name +
                           ".example/1</link><pubDate>Thu, 03 Dec 2026 14:05:00</pubDate>"
                           "<description>Text of the " +
                           name +
                           " story.</description></item>"
                           "</channel></rss>");
  }
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 dir.str() +
                                 "/admin.sock\"\nlog_level = \"warn\"\n"
                                 "[parse]\nzoneless_dates = \"+03:00\"\n"
                                 "[[feed]]\nid = \"kz\"\nurl = \"file://" +
                                 dir.str() +
                                 "/kz.xml\"\nzoneless_dates = \"+05:00\"\n"
                                 "[[feed]]\nid = \"ru\"\nurl = \"file://" +
                                 dir.str() + "/ru.xml\"\n");
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export --format jsonl", &out),
            0);
  std::map<std::string, std::string> published;
  for (size_t pos = 0; pos < out.size();) {
    const size_t nl = out.find('\n', pos);
    const json line = json::parse(out.substr(pos, nl - pos));
    published[line["feed"]] = line["published"];
    pos = nl + 1;
  }
  EXPECT_EQ(published["kz"], "2026-12-03T09:05:00Z");
  EXPECT_EQ(published["ru"], "2026-12-03T11:05:00Z");
}

// Which feeds write dates without a zone is shown where operators look (feeds list's WHY),
// until an offset is configured for them; so are dates that cannot be read at all.
TEST(EndToEndTest, FeedsWhoseDatesNameNoZoneSaySo) {
  TempDir dir;
  const std::pair<const char*, const char*> feeds[] = {{"local", "Thu, 03 Dec 2026 14:05:00"},
                                                       {"zoned", "Thu, 03 Dec 2026 14:05:00 +0500"},
                                                       {"set", "Thu, 03 Dec 2026 14:05:00"},
                                                       {"garbled", "32 Foo 2026 99:99"}};
  std::string toml = "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                     dir.str() + "/admin.sock\"\nlog_level = \"warn\"\n";
  for (const auto& [id, date] : feeds) {
    testing::WriteFile(dir.str() + "/" + id + ".xml",
                       std::string("<rss version=\"2.0\"><channel><title>t</title><item><title>") +
                           id + "</title><pubDate>" + date + "</pubDate><description>Text of " +
                           id + ".</description></item></channel></rss>");
    toml += std::string("[[feed]]\nid = \"") + id + "\"\nurl = \"file://" + dir.str() + "/" + id +
            ".xml\"\n" + (std::string(id) == "set" ? "zoneless_dates = \"UTC\"\n" : "");
  }
  testing::WriteFile(dir.str() + "/newsd.toml", toml);
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + dir.str() + "/newsd.toml 2>&1"), 0);
  json listed = Ctl(dir, "feeds list");
  std::map<std::string, std::string> warning;
  for (const json& f : listed["feeds"]) warning[f["id"]] = f["warning"];
  EXPECT_NE(warning["local"].find("dates name no time zone and are read as UTC"), std::string::npos)
      << warning["local"];
  EXPECT_EQ(warning["zoned"], "");
  EXPECT_EQ(warning["set"], "") << "an offset configured, even UTC, is the operator's answer";
  EXPECT_NE(warning["garbled"].find("1 date unreadable (first: \"32 Foo 2026 99:99\")"),
            std::string::npos)
      << warning["garbled"];
}

// An export with --db ends cleanly however it ends: a reader that stops early (`| head`)
// and Ctrl-C or SIGTERM to --follow both leave exit 0 and no temporary read-only instance.
TEST(EndToEndTest, AnExportEndedEarlyExitsCleanlyAndLeavesNoTemporaryFiles) {
  TempDir dir;
  std::string config = WriteDemoConfig(dir);
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  const std::string tmp = dir.str() + "/tmp";
  fs::create_directories(tmp);
  const std::string db = dir.str() + "/data";
  // The reader goes away after one line (pipefail: the export's own status, not head's; a
  // follow that missed it would run until `timeout` stops it).
  std::string out;
  ASSERT_EQ(RunCommand("bash -c 'set -o pipefail; TMPDIR=" + tmp + " timeout 60 " + Bin("newsctl") +
                           " --db " + db + " export --follow | head -1'",
                       &out),
            0)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_TRUE(fs::is_empty(tmp)) << "temporary read-only instance left in " << tmp;
  auto lines_in = [](const std::string& path) {
    std::ifstream in(path);
    return std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n');
  };
  for (int signal : {SIGTERM, SIGINT}) {
    const std::string followed = dir.str() + "/followed-" + std::to_string(signal) + ".jsonl";
    const pid_t follower = testing::Spawn(
        {"/bin/sh", "-c",
         "exec " + Bin("newsctl") + " --db " + db + " export --follow > " + followed},
        {"TMPDIR=" + tmp});
    ASSERT_GT(follower, 0);
    for (int i = 0; i < 200 && lines_in(followed) < 10; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(follower, signal);
    int status = 0;
    ::waitpid(follower, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << signal << ": " << status;
    EXPECT_EQ(lines_in(followed), 10);
    EXPECT_TRUE(fs::is_empty(tmp)) << "temporary read-only instance left after " << signal;
  }
}

// [storage] retention is kept by a round from cron too, not only by the service's hourly pass:
// otherwise an archive fed by `newsd --once` would keep every story for ever.
TEST(EndToEndTest, AOnceRoundRemovesStoriesPastRetention) {
  TempDir dir;
  const std::string config = WriteDemoConfig(dir);
  testing::WriteFile(config, testing::ReadFile(config) + "[storage]\nretention = \"7d\"\n");
  // Two old stories (published 30 days ago) and a recent one, imported.
  const auto iso = [](int64_t days_ago) {
    char buf[32];
    const std::time_t t = std::time(nullptr) - days_ago * 86400;
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return std::string(buf);
  };
  testing::WriteFile(
      dir.str() + "/old.jsonl",
      R"({"id":"old1","source":"a","text":"The harbour of Aktau reopened after the storm.","published":")" +
          iso(30) + "\"}\n" +
          R"({"id":"old2","source":"b","text":"Wheat prices fell for a third week in Kostanay.","published":")" +
          iso(31) + "\"}\n" +
          R"({"id":"new1","source":"c","text":"A new bridge over the Ishim opened in Astana on Monday, linking the left bank with the old city centre. The city akimat said the bridge cost twelve billion tenge and would carry about forty thousand cars a day, easing the traffic jams on the two older crossings downstream.","published":")" +
          iso(1) + "\"}\n" +
          // Dated at the Unix epoch (a publisher's unset timestamp): undated, at its arrival.
          R"({"id":"epoch1","source":"d","text":"The city library opened a new reading room.","published":"1970-01-01T00:00:00Z"})" +
          "\n" +
          R"({"id":"epoch2","source":"e","text":"A new bridge over the Ishim opened in Astana on Monday, linking the left bank with the old city centre. The city akimat said the bridge cost twelve billion tenge and would carry about forty thousand cars a day, easing the traffic jams on the two older crossings downstream.","published":"1970-01-01T00:00:00Z"})" +
          "\n");
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/old.jsonl --db " + dir.str() +
                           "/data 2>&1",
                       &out),
            0)
      << out;
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &out), 0) << out;
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export --format jsonl", &out),
            0);
  EXPECT_EQ(out.find("\"old1\""), std::string::npos) << "a story past retention survived";
  EXPECT_EQ(out.find("\"old2\""), std::string::npos) << "a story past retention survived";
  EXPECT_NE(out.find("\"new1\""), std::string::npos) << "a recent story was removed";
  EXPECT_NE(out.find("\"epoch1\""), std::string::npos) << "an item dated 1970-01-01 was removed";
  // A copy dated so says nothing of when the story was first published.
  json shown = Ctl(dir, "stories show new1");
  ASSERT_TRUE(shown.contains("story")) << shown;
  EXPECT_EQ(shown["story"]["copies"], 2) << shown;
  EXPECT_EQ(shown["story"]["first_published"].get<std::string>().substr(0, 10),
            iso(1).substr(0, 10))
      << shown;
}

}  // namespace
}  // namespace newsd
