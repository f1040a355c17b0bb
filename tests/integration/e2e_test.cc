// End to end: newsd --once over the bundled demo feeds, read back with newsctl.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "core/time.h"
#include "tests/support/test_util.h"

namespace newsd {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Bin;
using testing::RunCommand;
using testing::SourceDir;
using testing::TempDir;

/// Writes a config polling the demo feeds into `dir`.
std::string WriteDemoConfig(const TempDir& dir) {
  std::string feeds = (SourceDir() / "demo/feeds").string();
  std::string toml = "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                     dir.str() +
                     "/admin.sock\"\nlog_level = \"warn\"\n"
                     "[dedup]\nagency_sources = [\"DKnews.kz\"]\n";
  const std::pair<const char*, const char*> outlets[] = {{"dknews", "DKnews.kz"},
                                                         {"kazinform", "Kazinform"},
                                                         {"astanatimes", "The Astana Times"},
                                                         {"regionnews", "RegionNews.kz"}};
  for (auto [id, name] : outlets) {
    toml += std::string("[[feed]]\nid = \"") + id + "\"\nname = \"" + name + "\"\nurl = \"file://" +
            feeds + "/" + id + ".xml\"\ninterval = \"30m\"\n";
  }
  std::string path = dir.str() + "/newsd.toml";
  testing::WriteFile(path, toml);
  return path;
}

json Ctl(const TempDir& dir, const std::string& args, int* rc = nullptr) {
  std::string out;
  int status = RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json " + args, &out);
  if (rc) *rc = status;
  return json::parse(out, nullptr, false);
}

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

TEST(EndToEndTest, DupesExplainAndCheckAnswerFromTheArchive) {
  TempDir dir;
  std::string config = WriteDemoConfig(dir);
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  json recent = Ctl(dir, "stories recent");
  std::string wire, other;
  for (const json& s : recent["stories"]) (s["copies"] == 4 ? wire : other) = s["id"];
  json shown = Ctl(dir, "stories show '" + wire + "'");
  std::string snippet;  // The Astana Times carries only the first paragraphs.
  for (const json& item : shown["items"]) {
    if (item["source"] == "The Astana Times") snippet = item["id"];
  }
  json same = Ctl(dir, "dupes explain '" + wire + "' '" + snippet + "'");
  EXPECT_EQ(same["accepted"], true) << same;
  EXPECT_EQ(same["a"]["indexed"], true) << "compared as ingestion compared them";
  EXPECT_GE(same["containment"].get<double>(), 0.7);
  EXPECT_EQ(same["same_story_in_archive"], true);
  ASSERT_FALSE(same["shared_shingles_sample"].empty()) << same;
  EXPECT_NE(same["shared_shingles_sample"][0].get<std::string>().find(' '), std::string::npos);
  json different = Ctl(dir, "dupes explain '" + wire + "' '" + other + "'");
  EXPECT_EQ(different["accepted"], false) << different;

  // A fresh copy of the wire story's opening paragraphs is recognised; unrelated text is not.
  std::string text =
      "Deputy Prime Minister – Minister of Foreign Affairs of the Republic of Kazakhstan Murat "
      "Nurtleu arrived in Rabat with the first official visit in the history of bilateral "
      "relations at the invitation of Nasser Bourita, Minister of Foreign Affairs, African "
      "Cooperation and Moroccan Expatriates of the Kingdom of Morocco.";
  testing::WriteFile(dir.path() / "copy.txt", text);
  json check = Ctl(dir, "check --published 2026-11-27T12:00:00Z " + dir.str() + "/copy.txt");
  EXPECT_EQ(check["is_copy"], true) << check;
  EXPECT_EQ(check["story"], wire);
  testing::WriteFile(
      dir.path() / "new.txt",
      "The city football club won the regional cup final on Sunday evening after "
      "a penalty shoot-out in front of twelve thousand fans at the central stadium.");
  json fresh = Ctl(dir, "check --published 2026-11-27T12:00:00Z " + dir.str() + "/new.txt");
  EXPECT_EQ(fresh["is_copy"], false) << fresh;
  // A date alone is its 00:00 UTC, as for an import and export --since.
  json by_date = Ctl(dir, "check --published 2026-11-27 " + dir.str() + "/copy.txt");
  EXPECT_EQ(by_date["is_copy"], true) << by_date;
}

// explain and check judge by the [dedup] settings ingestion used (--config), and say which.
TEST(EndToEndTest, DupesExplainAndCheckUseTheConfiguredSettings) {
  TempDir dir;
  const std::string text =
      "The central bank kept its base rate unchanged at its meeting on Friday, citing slowing "
      "inflation and steady growth, and said it would review the rate again next quarter.";
  testing::WriteFile(
      dir.str() + "/two.jsonl",
      "{\"id\": \"w1\", \"source\": \"a\", \"title\": \"Rate kept\", \"text\": \"" + text +
          "\", \"published\": \"2026-11-01T00:00:00Z\"}\n"
          "{\"id\": \"w2\", \"source\": \"b\", \"title\": \"Rate kept\", \"text\": \"" +
          text + "\", \"published\": \"2026-11-02T06:00:00Z\"}\n");
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[dedup]\nwindow = \"24h\"\n");
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/two.jsonl --db " + dir.str() +
                       "/data --config " + config + " 2>&1"),
            0);
  json recent = Ctl(dir, "stories recent");
  ASSERT_EQ(recent["stories"].size(), 2u) << recent;  // 30 h apart: outside the 24 h window

  json by_config = Ctl(dir, "dupes explain w1 w2 --config " + config);
  EXPECT_EQ(by_config["within_window"], false) << by_config;
  EXPECT_EQ(by_config["accepted"], false) << by_config;
  EXPECT_EQ(by_config["settings"], config);
  testing::WriteFile(dir.path() / "copy.txt", text);
  // 30 h after w2: a copy under the default 72 h window, not under the configured 24 h.
  json check = Ctl(dir, "check --published 2026-11-03T12:00:00Z --config " + config + " " +
                            dir.str() + "/copy.txt");
  EXPECT_EQ(check["is_copy"], false) << check;
  EXPECT_EQ(check["settings"], config);
  int rc = 0;
  Ctl(dir, "check --config " + dir.str() + "/missing.toml " + dir.str() + "/copy.txt", &rc);
  EXPECT_EQ(rc, 2) << "a --config that cannot be read is a usage error, not the defaults";
  Ctl(dir, "dupes explain w1 w2 --config " + dir.str() + "/missing.toml", &rc);
  EXPECT_EQ(rc, 2);
}

// An outlet's edited copy (a paragraph replaced, the last one cut) joins its story, and
// `dupes explain` says why: the places where it differs, counted from the texts though the
// index keeps only their sets.
TEST(EndToEndTest, DupesExplainCountsThePlacesWhereAnEditedCopyDiffers) {
  TempDir dir;
  const std::string p1 =
      "A small biotechnology company said its experimental vaccine against a common childhood "
      "respiratory virus produced a strong immune response in an early clinical trial.";
  const std::string p2 =
      "The trial enrolled 120 healthy adult volunteers at three hospitals, and no serious side "
      "effects were reported during six months of follow-up.";
  const std::string p3 =
      "The company plans to start a larger study in infants next spring, pending approval from "
      "regulators, and is looking for a partner to help pay for it.";
  const std::string p4 =
      "Shares of the company rose sharply after the announcement before falling back in "
      "afternoon trading.";
  const std::string edit =
      "Independent experts cautioned that early immune data often fail to predict how well a "
      "vaccine protects children in the real world, and said the results still need review.";
  auto line = [](const std::string& id, const std::string& source, const std::string& text,
                 const std::string& published) {
    return "{\"id\": \"" + id + "\", \"source\": \"" + source + "\", \"title\": \"\", " +
           "\"text\": \"" + text + "\", \"published\": \"" + published + "\"}\n";
  };
  testing::WriteFile(
      dir.str() + "/two.jsonl",
      line("orig", "wire", p1 + "\\n\\n" + p2 + "\\n\\n" + p3 + "\\n\\n" + p4,
           "2026-11-01T00:00:00Z") +
          line("copy", "outlet", p1 + "\\n\\n" + p2 + "\\n\\n" + edit, "2026-11-01T00:10:00Z"));
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/two.jsonl --db " + dir.str() +
                       "/data 2>&1"),
            0);
  json recent = Ctl(dir, "stories recent");
  ASSERT_EQ(recent["stories"].size(), 1u) << recent;
  json e = Ctl(dir, "dupes explain orig copy");
  EXPECT_EQ(e["a"]["indexed"], true) << e;
  EXPECT_EQ(e["verdict"], "edited") << e;
  EXPECT_EQ(e["edit_runs"], 1) << e;
  EXPECT_EQ(e["accepted"], true) << e;
  EXPECT_LT(e["containment"].get<double>(), 0.7) << e;
}

// The index holds the window around the archive's newest items; `check` of a text dated
// before it (an older wire story sent again, an archive import of past years) compares it with
// the archive's stories of its days, fingerprinted now, instead of answering "new".
TEST(EndToEndTest, CheckOfAnOlderTextComparesItWithTheArchiveOfItsDays) {
  TempDir dir;
  const std::string old_text =
      "The regional parliament approved the new water tariff on Tuesday after a long debate, "
      "and the tariff will rise by a fifth for households from the first of March.";
  testing::WriteFile(dir.str() + "/old.jsonl",
                     "{\"id\": \"old1\", \"source\": \"a\", \"title\": \"Tariff approved\", "
                     "\"text\": \"" +
                         old_text + "\", \"published\": \"2020-01-01T00:00:00Z\"}\n");
  // Newer items, enough of them to move the index's horizon (dedup::TimeHorizon) years on.
  std::string newer;
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i);
    newer += "{\"id\": \"new" + n + "\", \"source\": \"b\", \"title\": \"Results " + n +
             "\", \"text\": \"Team " + n + " won its match " + n +
             " on Sunday evening in front of the home fans.\", \"published\": "
             "\"2026-11-01T00:00:00Z\"}\n";
  }
  testing::WriteFile(dir.str() + "/new.jsonl", newer);
  // Then one item dated years before the rest (a feed's wrong date, an old article listed
  // again): the index keeps it a while, which must not make it look as if it held 2020 too.
  testing::WriteFile(dir.str() + "/straggler.jsonl",
                     "{\"id\": \"late1\", \"source\": \"c\", \"title\": \"Archive\", "
                     "\"text\": \"The museum reopened its archive to visitors after a year of "
                     "repairs to the roof and the heating.\", \"published\": "
                     "\"2010-05-01T00:00:00Z\"}\n");
  for (const char* file : {"/old.jsonl", "/new.jsonl", "/straggler.jsonl"}) {
    ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + file + " --db " + dir.str() +
                         "/data 2>&1"),
              0);
  }
  testing::WriteFile(dir.path() / "copy.txt", old_text);
  json old_check = Ctl(dir, "check --published 2020-01-01T06:00:00Z " + dir.str() + "/copy.txt");
  EXPECT_EQ(old_check["is_copy"], true) << old_check;
  EXPECT_EQ(old_check["story"], "old1") << old_check;
  EXPECT_EQ(old_check["archived_items_compared"], 1) << old_check;
  // Years from any stored story: new, and nothing to compare.
  json far = Ctl(dir, "check --published 2023-06-01T00:00:00Z " + dir.str() + "/copy.txt");
  EXPECT_EQ(far["is_copy"], false) << far;
  EXPECT_EQ(far["archived_items_compared"], 0) << far;
  std::string out;
  ASSERT_EQ(
      RunCommand(Bin("newsctl") + " --db " + dir.str() +
                     "/data check --published 2020-01-01T06:00:00Z " + dir.str() + "/copy.txt",
                 &out),
      0);
  EXPECT_NE(out.find("COPY of story old1"), std::string::npos) << out;
  EXPECT_NE(out.find("compared with the archive's 1 item within the window"), std::string::npos)
      << out;
  // Undated, the text is compared as published now: NEW, and the answer says how to date it.
  out.clear();
  ASSERT_EQ(
      RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data check " + dir.str() + "/copy.txt",
                 &out),
      0);
  EXPECT_NE(out.find("NEW:"), std::string::npos) << out;
  EXPECT_NE(out.find("for an older text give its date (--published YYYY-MM-DD)"), std::string::npos)
      << out;
}

// `newsd -c FILE import ...` reads FILE as `newsd import ... -c FILE` does (here: a 24 h
// window keeps two copies 30 h apart apart), and the daemon's flags work after "import".
TEST(EndToEndTest, ImportReadsTheConfigurationGivenBeforeOrAfterTheSubcommand) {
  TempDir dir;
  const std::string text =
      "The central bank kept its base rate unchanged at its meeting on Friday, citing slowing "
      "inflation and steady growth, and said it would review the rate again next quarter.";
  testing::WriteFile(
      dir.str() + "/two.jsonl",
      "{\"id\": \"w1\", \"source\": \"a\", \"title\": \"Rate kept\", \"text\": \"" + text +
          "\", \"published\": \"2026-11-01T00:00:00Z\"}\n"
          "{\"id\": \"w2\", \"source\": \"b\", \"title\": \"Rate kept\", \"text\": \"" +
          text + "\", \"published\": \"2026-11-02T06:00:00Z\"}\n");
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[dedup]\nwindow = \"24h\"\n");
  const std::string file = " import " + dir.str() + "/two.jsonl --db " + dir.str();
  ASSERT_EQ(RunCommand(Bin("newsd") + " -c " + config + file + "/before 2>&1"), 0);
  ASSERT_EQ(RunCommand(Bin("newsd") + file + "/after --config " + config + " 2>&1"), 0);
  ASSERT_EQ(RunCommand(Bin("newsd") + file + "/none --log-level warn 2>&1"), 0);
  // The daemon's modes are not the import's: refused, never a check that skips the import.
  std::string refused;
  EXPECT_EQ(RunCommand(Bin("newsd") + file + "/other --check-config 2>&1", &refused), 2) << refused;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "other"));
  int rc = 0;
  for (const char* db : {"before", "after"}) {
    const std::string args = " --db " + dir.str() + "/" + db + " --json stories recent";
    std::string out;
    ASSERT_EQ(RunCommand(Bin("newsctl") + args, &out), 0);
    EXPECT_EQ(json::parse(out)["stories"].size(), 2u) << db << ": the 24 h window was not read";
  }
  std::string out;
  rc = RunCommand(Bin("newsctl") + " --db " + dir.str() + "/none --json stories recent", &out);
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(json::parse(out)["stories"].size(), 1u) << "the default 72 h window joins them";
}

// An admin socket whose directory does not exist cannot work: --check-config warns, and the
// service refuses to start with 78 (systemd does not restart it) instead of failing with 1.
TEST(EndToEndTest, AnAdminSocketWithoutItsDirectoryIsAConfigurationError) {
  TempDir dir;
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 dir.str() + "/nodir/admin.sock\"\n");
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config --config " + config + " 2>&1", &out), 0)
      << out;
  EXPECT_NE(out.find("nodir does not exist"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --config " + config + " 2>&1", &out), 78) << out;
  EXPECT_NE(out.find("admin_socket"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data")) << "refused before the archive opens";
}

// An admin_socket naming a file that is no socket (a typo, or the archive's own CURRENT) is
// refused, never deleted: newsd used to unlink whatever was there.
TEST(EndToEndTest, AnAdminSocketPathHoldingAFileIsRefusedAndKept) {
  TempDir dir;
  const std::string precious = dir.str() + "/precious.txt";
  testing::WriteFile(precious, "keep me\n");
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 precious + "\"\n");
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config --config " + config + " 2>&1", &out), 78)
      << out;
  EXPECT_NE(out.find("exists and is no socket"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --config " + config + " 2>&1", &out), 78) << out;
  EXPECT_NE(out.find("will not delete it"), std::string::npos) << out;
  EXPECT_EQ(testing::ReadFile(precious), "keep me\n");
}

// A mistyped command is named, with the commands there are (not "A subcommand is required").
// Output that cannot be written (a full disk) fails the command, whichever it is; a reader
// that goes away (`| head`) is no failure, for scripts under `set -o pipefail`.
TEST(EndToEndTest, NewsctlFailsWhenItsOutputCannotBeWritten) {
  TempDir dir;
  std::string config = WriteDemoConfig(dir);
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  const std::string ctl = Bin("newsctl") + " --db " + dir.str() + "/data ";
  for (const char* command :
       {"stories recent", "--json stories recent", "feeds list", "search oil"}) {
    std::string out;
    EXPECT_EQ(RunCommand(ctl + command + " 2>&1 >/dev/full", &out), 1) << command;
    EXPECT_NE(out.find("writing the output failed"), std::string::npos) << command << ": " << out;
    EXPECT_EQ(RunCommand("bash -c 'set -o pipefail; " + ctl + command + " | head -c 1'"), 0)
        << command;
  }
}

TEST(EndToEndTest, NewsctlNamesAnUnknownCommandAndListsTheRealOnes) {
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsctl") + " stats 2>&1", &out), 2) << out;
  EXPECT_NE(out.find("unknown command \"stats\""), std::string::npos) << out;
  EXPECT_NE(out.find("status"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " feeds lst 2>&1", &out), 2) << out;
  EXPECT_NE(out.find("newsctl feeds: unknown command \"lst\""), std::string::npos) << out;
  EXPECT_NE(out.find("list"), std::string::npos) << out;
}

// An unknown option is named (it was "text is required" for "search -oil"), with the way to
// give an argument that starts with '-' where the command takes one.
TEST(EndToEndTest, NewsctlNamesAnUnknownOption) {
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --db /nonexistent search -oil 2>&1", &out), 2) << out;
  EXPECT_NE(out.find("newsctl search: unknown option \"-oil\""), std::string::npos) << out;
  EXPECT_NE(out.find("newsctl search -- -oil"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " status --bogus 2>&1", &out), 2) << out;
  EXPECT_NE(out.find("newsctl status: unknown option \"--bogus\""), std::string::npos) << out;
  EXPECT_EQ(out.find(" -- "), std::string::npos) << out;  // status takes no argument
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --bogus search x 2>&1", &out), 2) << out;
  EXPECT_NE(out.find("newsctl: unknown option \"--bogus\""), std::string::npos) << out;
  out.clear();
  // Between a command and its subcommand: the command's ("dupes"), not newsctl's.
  EXPECT_EQ(RunCommand(Bin("newsctl") + " dupes --bogus explain a b 2>&1", &out), 2) << out;
  EXPECT_NE(out.find("newsctl dupes: unknown option \"--bogus\""), std::string::npos) << out;
  out.clear();
  // "--" ends the options: what follows is text, not an unknown option.
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --db /nonexistent search -- 2>&1", &out), 2) << out;
  EXPECT_EQ(out.find("unknown option"), std::string::npos) << out;
}

TEST(EndToEndTest, BadConfigIsRefusedWithExit78) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/bad.toml", "[daemon]\ndata_dir = \"/x\"\nbogus = 1\n");
  std::string out;
  int rc =
      RunCommand(Bin("newsd") + " --check-config --config " + dir.str() + "/bad.toml 2>&1", &out);
  EXPECT_EQ(rc, 78);
  EXPECT_NE(out.find("bad.toml:3: unknown key [daemon] bogus"), std::string::npos) << out;
}

// A data_dir under a file system where no directory can be made (/proc): refused by the check
// as by the daemon, and nothing is left behind where the check tried.
TEST(EndToEndTest, ADataDirThatCannotBeCreatedIsAConfigurationError) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/newsd.toml", "[daemon]\ndata_dir = \"/proc/newsd-nope\"\n");
  std::string out;
  EXPECT_EQ(
      RunCommand(Bin("newsd") + " --check-config --config " + dir.str() + "/newsd.toml 2>&1", &out),
      78)
      << out;
  EXPECT_NE(out.find("cannot create a directory there"), std::string::npos) << out;
  // Where directories can be made, the check leaves none of its own.
  testing::WriteFile(dir.str() + "/ok.toml", "[daemon]\ndata_dir = \"" + dir.str() +
                                                 "/new/data\"\nadmin_socket = \"" + dir.str() +
                                                 "/admin.sock\"\n");
  std::filesystem::create_directory(dir.path() / "new");
  out.clear();
  EXPECT_EQ(
      RunCommand(Bin("newsd") + " --check-config --config " + dir.str() + "/ok.toml 2>&1", &out), 0)
      << out;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "new")) << "the probe is removed";
}

// A feed interval below [politeness] min_interval is polled at that floor: the check says so.
TEST(EndToEndTest, CheckConfigWarnsOfAnIntervalBelowTheFloor) {
  TempDir dir;
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 dir.str() +
                                 "/admin.sock\"\n[[feed]]\nid = \"fast\"\n"
                                 "url = \"http://127.0.0.1:1/x\"\ninterval = \"5m\"\n");
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config --config " + config + " 2>&1", &out), 0)
      << out;
  EXPECT_NE(out.find("1 feed sets an interval below [politeness] min_interval (15m): polled "
                     "every 15m (fast)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("OK, 1 feed\n"), std::string::npos) << out;
}

TEST(EndToEndTest, UnusableDataDirIsAConfigurationError) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/file", "not a directory\n");
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"" + dir.str() + "/file/archive\"\n");
  const std::string config = " --config " + dir.str() + "/newsd.toml 2>&1";
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config" + config, &out), 78) << out;
  EXPECT_NE(out.find("/file is not a directory"), std::string::npos) << out;
  // The line that sets data_dir is named, as for every other bad value.
  EXPECT_NE(out.find("newsd.toml:2: data_dir "), std::string::npos) << out;
  // The daemon refuses to start the same way (systemd does not restart on 78).
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --once" + config, &out), 78) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "file" / "archive"));
  // A symlink to nothing cannot be created as a directory either.
  std::filesystem::create_symlink(dir.path() / "nowhere" / "x", dir.path() / "dangling");
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"" + dir.str() + "/dangling\"\n");
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config" + config, &out), 78) << out;
  EXPECT_NE(out.find("symlink to nothing"), std::string::npos) << out;
  // A data_dir that does not exist yet but can be created is fine.
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"" + dir.str() + "/new/archive\"\n");
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config" + config, &out), 0) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "new")) << "--check-config creates nothing";
}

// --check-config run by the user newsd will run as (no `newsd` service user here: cron, a
// container, by hand) refuses a data_dir that user may not write, as the start would; it only
// warns when the service runs as another user (the unit's User=newsd).
TEST(EndToEndTest, CheckConfigRefusesADataDirTheRunningUserMayNotWrite) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run newsd as another user";
  if (::getpwnam("newsd") != nullptr) GTEST_SKIP() << "a newsd user exists: only a warning";
  std::string out;
  if (RunCommand("runuser -u nobody -- " + Bin("newsd") + " --version 2>&1", &out) != 0) {
    GTEST_SKIP() << "nobody cannot run " << Bin("newsd") << ": " << out;
  }
  TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
  std::filesystem::create_directory(dir.path() / "archive");  // root's, 0755
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"" + dir.str() + "/archive\"\n");
  std::filesystem::permissions(dir.path() / "newsd.toml", std::filesystem::perms(0644));
  const std::string as_nobody =
      "runuser -u nobody -- " + Bin("newsd") + " --config " + dir.str() + "/newsd.toml";
  out.clear();
  EXPECT_EQ(RunCommand(as_nobody + " --check-config 2>&1", &out), 78) << out;
  EXPECT_NE(out.find("archive"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(as_nobody + " --once 2>&1", &out), 78) << out;
}

// An export cut off by the daemon going away says where to resume: the lines printed are
// whole, and the cursor of the last page picks up after them.
TEST(EndToEndTest, AnInterruptedExportSaysWhereToResume) {
  TempDir dir;
  const std::string sock = dir.str() + "/fake.sock";
  const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  // A daemon that answers the first page (one item, more to come) and then dies.
  std::thread daemon([listener] {
    const int fd = ::accept(listener, nullptr, nullptr);
    std::string line;
    char c;
    while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
    const json request = json::parse(line);
    const json reply = {{"v", 1},
                        {"id", request["id"]},
                        {"ok", true},
                        {"result",
                         {{"items", json::array({{{"id", "f:1"}, {"cursor", "41"}}})},
                          {"cursor", "41"},
                          {"more", true}}}};
    const std::string out = reply.dump() + "\n";
    EXPECT_EQ(::write(fd, out.data(), out.size()), static_cast<ssize_t>(out.size()));
    while (::read(fd, &c, 1) == 1 && c != '\n') {
    }
    ::close(fd);
  });
  std::string out;
  const int rc = RunCommand(Bin("newsctl") + " --socket " + sock + " export 2>&1", &out);
  daemon.join();
  ::close(listener);
  EXPECT_EQ(rc, 3) << out;
  EXPECT_NE(out.find(R"("id":"f:1")"), std::string::npos) << out;
  EXPECT_NE(out.find("resume with --cursor 41"), std::string::npos) << out;
}

TEST(EndToEndTest, NewsctlSaysWhenTheDaemonIsNotRunning) {
  TempDir dir;
  std::string out;
  int rc = RunCommand(Bin("newsctl") + " --socket " + dir.str() + "/none.sock status 2>&1", &out);
  EXPECT_EQ(rc, 3);
  EXPECT_NE(out.find("not running"), std::string::npos) << out;
  EXPECT_NE(out.find("--socket or $NEWSD_SOCKET"), std::string::npos) << out;
  // An empty $NEWSD_SOCKET is no path: the default socket is asked.
  out.clear();
  RunCommand("NEWSD_SOCKET= " + Bin("newsctl") + " status 2>&1", &out);
  EXPECT_NE(out.find("/run/newsd/admin.sock"), std::string::npos) << out;
  // A path that is no socket is a mistake in the path, not a daemon that is down.
  out.clear();
  rc = RunCommand(Bin("newsctl") + " --socket " + dir.str() + " status 2>&1", &out);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("is a directory, not a socket"), std::string::npos) << out;
  EXPECT_EQ(out.find("not running"), std::string::npos) << out;
  // dupes without --db needs the daemon to say where the archive is, and says what to do.
  out.clear();
  rc = RunCommand(Bin("newsctl") + " --socket " + dir.str() + "/none.sock dupes explain a b 2>&1",
                  &out);
  EXPECT_EQ(rc, 3);
  EXPECT_NE(out.find("--db"), std::string::npos) << out;
  // Commands --db cannot answer do not point at it: reparse names its offline form.
  out.clear();
  rc = RunCommand(Bin("newsctl") + " --socket " + dir.str() + "/none.sock reparse f1 2>&1", &out);
  EXPECT_EQ(rc, 3);
  EXPECT_NE(out.find("newsd reparse f1"), std::string::npos) << out;
  EXPECT_EQ(out.find("--db"), std::string::npos) << out;
  out.clear();
  rc = RunCommand(Bin("newsctl") + " --socket " + dir.str() + "/none.sock feeds pause f1 2>&1",
                  &out);
  EXPECT_EQ(rc, 3);
  EXPECT_EQ(out.find("--db"), std::string::npos) << out;
  // Commands only the daemon carries out say so in the words typed, before reading any file.
  out.clear();
  rc = RunCommand(Bin("newsctl") + " --db " + dir.str() + " feeds import --opml /nonexistent 2>&1",
                  &out);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("newsctl feeds import needs the running daemon"), std::string::npos) << out;
}

// newsd reparse with the daemon stopped reads the archive it names: a data_dir holding none
// is refused, and left as it was (no empty archive is made there).
TEST(EndToEndTest, ReparseRefusesADataDirWithoutAnArchive) {
  TempDir dir;
  const std::string config = dir.str() + "/newsd.toml";
  const std::string data = dir.str() + "/data";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + data +
                                 "\"\n[[feed]]\nid = \"f1\"\nurl = \"file:///dev/null\"\n");
  for (const char* flags : {"--dry-run", ""}) {
    std::string out;
    const int rc =
        RunCommand(Bin("newsd") + " reparse f1 " + flags + " --config " + config + " 2>&1", &out);
    EXPECT_NE(rc, 0) << out;
    EXPECT_NE(out.find("no archive at '" + data + "'"), std::string::npos) << out;
    EXPECT_FALSE(std::filesystem::exists(data)) << flags;
  }
}

// log_level = "off" silences the log, never the reason newsd refuses to start.
TEST(EndToEndTest, ARefusedStartIsSaidEvenWithLoggingOff) {
  TempDir dir;
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(dir.str() + "/afile", "x");
  testing::WriteFile(config, "[daemon]\nlog_level = \"off\"\ndata_dir = \"" + dir.str() +
                                 "/afile\"\nadmin_socket = \"" + dir.str() + "/admin.sock\"\n");
  for (const char* mode : {"--check-config", "--once", ""}) {
    std::string out;
    EXPECT_EQ(RunCommand(Bin("newsd") + " " + mode + " --config " + config + " 2>&1", &out), 78)
        << mode;
    EXPECT_NE(out.find("is not a directory"), std::string::npos) << mode << ": " << out;
  }
}

// A daemon that answers every request on `path` with `answer` (the reply's "ok" and "error" or
// "result"); by default an Unavailable error, like newsd's while it starts (restoring its
// index) or stops.
class UnavailableDaemon {
 public:
  explicit UnavailableDaemon(const std::string& path,
                             nlohmann::json answer = {{"ok", false},
                                                      {"error",
                                                       {{"code", "Unavailable"},
                                                        {"message", "newsd is stopping"}}}})
      : answer_(std::move(answer)) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 4) != 0) {
      ADD_FAILURE() << "cannot listen on " << path;
      return;
    }
    thread_ = std::thread([this] { Serve(); });
  }
  ~UnavailableDaemon() {
    ::shutdown(fd_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }

 private:
  void Serve() {
    for (;;) {
      const int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      std::string line;
      char c = 0;
      while (::read(conn, &c, 1) == 1 && c != '\n') line += c;
      const nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
      const uint64_t id = request.is_object() ? request.value("id", uint64_t{0}) : 0;
      nlohmann::json reply_json = answer_;
      reply_json["v"] = 1;
      reply_json["id"] = id;
      const std::string reply = reply_json.dump() + "\n";
      if (::write(conn, reply.data(), reply.size()) < 0) ADD_FAILURE() << "write";
      ::close(conn);
    }
  }

  nlohmann::json answer_;
  int fd_ = -1;
  std::thread thread_;
};

TEST(EndToEndTest, NewsctlExits3WhenTheDaemonCannotAnswerNow) {
  TempDir dir;
  UnavailableDaemon daemon(dir.str() + "/admin.sock");
  std::string out;
  const int rc =
      RunCommand(Bin("newsctl") + " --socket " + dir.str() + "/admin.sock status 2>&1", &out);
  EXPECT_EQ(rc, 3) << out;
  EXPECT_NE(out.find("newsd is stopping"), std::string::npos) << out;
  EXPECT_EQ(out.find("Internal"), std::string::npos) << out;
}

// A daemon that answers its status while it stops is no running daemon to a script
// (`newsctl status && ...`): the status is shown, and the exit is 3.
TEST(EndToEndTest, NewsctlStatusOfAStoppingDaemonExits3) {
  TempDir dir;
  const nlohmann::json stopping = {
      {"ok", true},
      {"result", {{"version", "1"}, {"state", "stopping"}, {"feeds", 2}, {"indexed_items", 5}}}};
  UnavailableDaemon daemon(dir.str() + "/admin.sock", stopping);
  for (const char* json : {"", " --json"}) {
    std::string out;
    const int rc = RunCommand(
        Bin("newsctl") + " --socket " + dir.str() + "/admin.sock" + json + " status 2>&1", &out);
    EXPECT_EQ(rc, 3) << out;
    EXPECT_NE(out.find("stopping"), std::string::npos) << out;
  }
}

TEST(EndToEndTest, NewsctlGivesUpOnADaemonThatNeverAnswers) {
  TempDir dir;
  // A socket that accepts connections (the backlog) but never reads or answers: a hung daemon.
  const std::string path = dir.str() + "/admin.sock";
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  std::string out;
  int rc = RunCommand(Bin("newsctl") + " --socket " + path + " --timeout 1s status 2>&1", &out);
  EXPECT_EQ(rc, 3) << out;
  EXPECT_NE(out.find("did not answer status within 1s"), std::string::npos) << out;
  out.clear();
  rc = RunCommand(Bin("newsctl") + " --socket " + path + " --timeout soon status 2>&1", &out);
  EXPECT_EQ(rc, 2) << out;
  // A huge limit waits (here cut by timeout(1) after 1 s), it does not fail at once.
  out.clear();
  rc = RunCommand(
      "timeout 1 " + Bin("newsctl") + " --socket " + path + " --timeout 200000d status 2>&1", &out);
  EXPECT_EQ(rc, 124) << out;
  // "0" (no limit) is accepted.
  out.clear();
  rc = RunCommand(Bin("newsctl") + " --db " + dir.str() + "/none --timeout 0 status 2>&1", &out);
  EXPECT_EQ(out.find("--timeout"), std::string::npos) << out;
  ::close(fd);
}

// Text from a feed or an import never reaches the operator's terminal as control sequences
// (a title that retitles the window or clears the screen), nor breaks a table row.
TEST(EndToEndTest, NewsctlPrintsNoControlCharactersFromItems) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/evil.jsonl",
                     R"({"id":"esc1","source":"s\u001b[31m","title":"Evil \u001b]0;PWNED\u0007)"
                     R"(\u001b[2J\u009b31m\tred\nline","text":"escape sequence test text",)"
                     R"("published":"2020-01-01T00:00:00Z"})"
                     "\n");
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/evil.jsonl --db " + dir.str() +
                       "/data 2>&1"),
            0);
  for (const char* args : {"stories recent", "stories show esc1", "search evil"}) {
    std::string out;
    ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data " + args, &out), 0)
        << args << ": " << out;
    EXPECT_NE(out.find("Evil"), std::string::npos) << args << ": " << out;
    EXPECT_EQ(out.find('\x1b'), std::string::npos) << args;
    EXPECT_EQ(out.find('\x07'), std::string::npos) << args;
    EXPECT_EQ(out.find("\xC2\x9B"), std::string::npos) << args;
    EXPECT_EQ(out.find('\t'), std::string::npos) << args;
  }
}

TEST(EndToEndTest, NewsctlBadOptionValuesAreUsageErrorsAndJsonSaysWhy) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/one.jsonl",
                     R"({"id":"a1","source":"s","title":"Bridge","text":"A new bridge opened."})"
                     "\n");
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/one.jsonl --db " + dir.str() +
                       "/data 2>&1"),
            0);
  const std::string ctl = Bin("newsctl") + " --db " + dir.str() + "/data ";
  testing::WriteFile(dir.str() + "/punct.txt", "... !!! ---\n");
  for (const std::string& args : std::vector<std::string>{
           "export --since garbage", "export --cursor abc", "search '...'",
           "check --published garbage " + dir.str() + "/one.jsonl", "check - </dev/null",
           "check " + dir.str() + "/punct.txt",  // punctuation alone: nothing to check
           // what only the daemon answers
           "status", "reload", "reparse feed1", "feeds add http://example.com/rss"}) {
    std::string out;
    EXPECT_EQ(RunCommand(ctl + args + " 2>&1", &out), 2) << args << ": " << out;
  }
  std::string out;
  // A date alone is a time (its 00:00 UTC), as an import reads it.
  EXPECT_EQ(RunCommand(ctl + "export --since 1970-01-02", &out), 0) << out;
  EXPECT_NE(out.find("\"a1\""), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " restore " + dir.str() + "/data 2>&1", &out), 2)
      << "restore without --db: " << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/restored restore " + dir.str() +
                           "/no-such-backup 2>&1",
                       &out),
            4)
      << "a backup that is not there is not found, as one without CURRENT: " << out;
  EXPECT_NE(out.find("no backup at"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(ctl + "check " + dir.str() + " 2>&1", &out), 2) << "a directory: " << out;
  // A text in windows-1251 ("Новый мост открыт") is no UTF-8: said so, with the way out.
  testing::WriteFile(dir.str() + "/cp1251.txt",
                     "\xCD\xEE\xE2\xFB\xE9 \xEC\xEE\xF1\xF2 "
                     "\xEE\xF2\xEA\xF0\xFB\xF2\n");
  out.clear();
  EXPECT_EQ(RunCommand(ctl + "check " + dir.str() + "/cp1251.txt 2>&1", &out), 2) << out;
  EXPECT_NE(out.find("is not UTF-8 text: convert it first, e.g. iconv -f windows-1251"),
            std::string::npos)
      << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " parse " + dir.str() + "/nope.xml 2>&1", &out), 2) << out;
  out.clear();  // with --json, the error as JSON on standard output, as every command gives it
  EXPECT_EQ(
      RunCommand(Bin("newsctl") + " --json parse " + dir.str() + "/nope.xml 2>/dev/null", &out), 2);
  EXPECT_TRUE(json::parse(out, nullptr, false).contains("error")) << out;
  int rc = 0;
  json j = Ctl(dir, "dupes explain nope1 nope2", &rc);
  EXPECT_EQ(rc, 4);
  EXPECT_TRUE(j.is_object() && j.contains("error")) << j.dump();
}

// newsctl parse takes the HTTP facts from FEED_CONTENT_TYPE, FEED_BASE_URL and
// FEED_CONTENT_LANGUAGE (what conformance checkers export) when no option gives them.
TEST(EndToEndTest, NewsctlParseReadsTheHttpFactsFromTheEnvironment) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/f.xml",
                     "<rss version=\"2.0\"><channel><title>T</title><item><title>\xE9</title>"
                     "<link>/a</link></item></channel></rss>");
  std::string out;
  ASSERT_EQ(RunCommand("FEED_CONTENT_TYPE='text/xml; charset=iso-8859-1' "
                       "FEED_BASE_URL=http://e.com/feed FEED_CONTENT_LANGUAGE=fr " +
                           Bin("newsctl") + " parse --json " + dir.str() + "/f.xml",
                       &out),
            0)
      << out;
  const json j = json::parse(out);
  EXPECT_EQ(j["feed"]["language"], "fr") << out;
  EXPECT_EQ(j["entries"][0]["link"], "http://e.com/a") << out;
  EXPECT_EQ(j["entries"][0]["title"], "\u00e9") << out;
  out.clear();
  ASSERT_EQ(RunCommand("FEED_CONTENT_LANGUAGE=fr " + Bin("newsctl") + " parse --json " + dir.str() +
                           "/f.xml --content-language de",
                       &out),
            0);
  EXPECT_EQ(json::parse(out)["feed"]["language"], "de") << "an option wins";
  // The global --json asks for JSON too.
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --json parse " + dir.str() + "/f.xml", &out), 0);
  EXPECT_TRUE(json::parse(out, nullptr, false).is_object()) << out;
  // No feed at all: a failure either way, and with --json a document that says why.
  testing::WriteFile(dir.str() + "/junk.xml", "junk\n");
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " parse " + dir.str() + "/junk.xml 2>/dev/null", &out), 1);
  out.clear();
  EXPECT_EQ(
      RunCommand(Bin("newsctl") + " parse --json " + dir.str() + "/junk.xml 2>/dev/null", &out), 1);
  EXPECT_EQ(json::parse(out, nullptr, false).value("bozo", false), true) << out;
}

// The global options may follow the command: "newsctl stories recent --json --db DIR".
TEST(EndToEndTest, NewsctlTakesItsGlobalOptionsAfterTheCommandToo) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/one.jsonl",
                     "{\"id\": \"a1\", \"source\": \"s\", \"title\": \"T\", \"text\": "
                     "\"One story of a few words.\", \"published\": \"2026-11-01T00:00:00Z\"}\n");
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/one.jsonl --db " + dir.str() +
                       "/data 2>&1"),
            0);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " stories recent --json --db " + dir.str() + "/data", &out),
            0)
      << out;
  const json j = json::parse(out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_EQ(j["stories"][0]["id"], "a1") << out;
}

// newsctl parse shows each entry under the date newsd files it under: an Atom entry with
// only <updated> is dated by it, as the daemon stores it.
TEST(EndToEndTest, NewsctlParseShowsTheDateAnEntryIsFiledUnder) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/a.xml",
                     "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>"
                     "<entry><id>e1</id><title>Only updated</title>"
                     "<updated>2026-12-04T10:00:00Z</updated></entry>"
                     "<entry><id>e2</id><title>No date</title></entry></feed>");
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " parse " + dir.str() + "/a.xml", &out), 0) << out;
  EXPECT_NE(out.find("2026-12-04T10:00:00Z  Only updated"), std::string::npos) << out;
  EXPECT_NE(out.find("(no date)             No date"), std::string::npos) << out;
}

TEST(EndToEndTest, AnImportOfAMissingFileLeavesNoArchiveBehind) {
  TempDir dir;
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/nope.jsonl --db " + dir.str() +
                           "/data 2>&1",
                       &out),
            1);
  EXPECT_NE(out.find("cannot read"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/data")) << "an empty archive was created";
  out.clear();
  EXPECT_EQ(
      RunCommand(Bin("newsd") + " import " + dir.str() + " --db " + dir.str() + "/data 2>&1", &out),
      1);
  EXPECT_NE(out.find("is a directory"), std::string::npos) << out;
  // An empty file (a day without articles) is no failure, but leaves no archive either.
  testing::WriteFile(dir.str() + "/empty.jsonl", "");
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/empty.jsonl --db " + dir.str() +
                           "/data 2>&1",
                       &out),
            0);
  EXPECT_NE(out.find("no article lines: nothing stored"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/data")) << out;
  // --db naming a file: said so, not "check its parent's permissions".
  testing::WriteFile(dir.str() + "/one.jsonl", R"({"id":"a1","text":"x"})"
                                               "\n");
  testing::WriteFile(dir.str() + "/afile", "");
  out.clear();
  EXPECT_NE(RunCommand(Bin("newsd") + " import " + dir.str() + "/one.jsonl --db " + dir.str() +
                           "/afile 2>&1",
                       &out),
            0);
  EXPECT_NE(out.find("is a file"), std::string::npos) << out;
}

// An import from a pipe that sends nothing yet fails at once when the archive cannot be
// opened: it reads a pipe only once the archive is open. (timeout only catches a hang: exit
// status 124 fails the test.)
TEST(EndToEndTest, AnImportFromAQuietPipeFailsAtOnceWhenTheArchiveCannotOpen) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/afile", "");
  const std::string fifo = dir.str() + "/in.fifo";
  std::string out;
  const int rc = RunCommand("mkfifo " + fifo + " && { sleep 60 > " + fifo + " & w=$!; timeout 20 " +
                                Bin("newsd") + " import - --db " + dir.str() + "/afile < " + fifo +
                                " 2>&1; rc=$?; kill $w; exit $rc; }",
                            &out);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("is a file"), std::string::npos) << out;
}

// An import that could read none of its lines stored nothing: it fails, and says how many bad
// lines were not listed; a compressed file is refused before anything is created.
TEST(EndToEndTest, AnImportThatReadsNoLineFailsAndACompressedFileIsRefused) {
  TempDir dir;
  std::string bad;
  for (int i = 0; i < 12; ++i) {
    bad += R"({"id":"b)" + std::to_string(i) + R"(","text":"x","published":"1987-02-26 10:00"})" +
           "\n";
  }
  testing::WriteFile(dir.str() + "/bad.jsonl", bad);
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/bad.jsonl --db " + dir.str() +
                           "/data 2>&1",
                       &out),
            1);
  EXPECT_NE(out.find("none of the 12 lines could be read"), std::string::npos) << out;
  EXPECT_NE(out.find("2 more bad lines not listed"), std::string::npos) << out;
  // The archive it created holds nothing: it is not left behind (a pipe of garbage either).
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/data")) << out;
  out.clear();
  EXPECT_EQ(
      RunCommand("echo '{bad' | " + Bin("newsd") + " import - --db " + dir.str() + "/piped 2>&1",
                 &out),
      1);
  EXPECT_NE(out.find("its one line could not be read"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/piped")) << out;
  // One good line among them: imported, exit 0.
  testing::WriteFile(dir.str() + "/some.jsonl", bad + R"({"id":"g1","text":"x"})" + "\n");
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/some.jsonl --db " + dir.str() +
                           "/data 2>&1",
                       &out),
            0)
      << out;
  testing::WriteFile(dir.str() + "/c.jsonl.gz", std::string("\x1f\x8b\x08\x00junk", 8));
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/c.jsonl.gz --db " + dir.str() +
                           "/fresh 2>&1",
                       &out),
            1);
  EXPECT_NE(out.find("is compressed: decompress it on the way in (zcat"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/fresh")) << "an empty archive was created";
  // An archive that was there stays, whatever the import could read.
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/bad.jsonl --db " + dir.str() +
                           "/data 2>&1",
                       &out),
            1);
  EXPECT_TRUE(std::filesystem::exists(dir.str() + "/data")) << out;
}

// SIGINT stops an import with what it read stored, and says to run it again; that run gives
// the archive an uninterrupted import gives.
// Imports 40,000 lines (every fifth a copy of the line before), stops the import with
// SIGINT, runs it again, and compares the stories with those of one import run through.
// `newest_first`: the file lists its lines newest first, so they are taken in published order.
void ExpectAnInterruptedImportToFinishWhenRunAgain(bool newest_first) {
  TempDir dir;
  std::mt19937 rng(7);
  std::vector<std::string> file_lines;
  std::string previous;
  for (int i = 0; i < 40000; ++i) {
    std::string text;
    if (i % 5 == 4) {
      text = "(Agency) - " + previous;  // a copy of the line before
    } else {
      for (int w = 0; w < 40; ++w) text += "w" + std::to_string(rng() % 20000) + " ";
    }
    previous = text;
    file_lines.push_back(R"({"id":"i)" + std::to_string(i) + R"(","source":"s)" +
                         std::to_string(i % 7) + R"(","text":")" + text + R"(","published":")" +
                         FormatIso8601(541350000 + int64_t{i} * 60) + "\"}\n");
  }
  if (newest_first) std::reverse(file_lines.begin(), file_lines.end());
  std::string lines;
  for (const std::string& line : file_lines) lines += line;
  const std::string file = dir.str() + "/many.jsonl";
  testing::WriteFile(file, lines);
  const std::string log = dir.str() + "/import.log";
  const pid_t pid = testing::Spawn(
      {"/bin/sh", "-c",
       "exec " + Bin("newsd") + " import " + file + " --db " + dir.str() + "/a 2>" + log},
      {});
  ASSERT_GT(pid, 0);
  for (int i = 0; i < 400 && testing::ReadFile(log).find("archive opened") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ::kill(pid, SIGINT);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus)) << testing::ReadFile(log);
  if (WEXITSTATUS(wstatus) == 0) GTEST_SKIP() << "the import ended before the signal came";
  EXPECT_EQ(WEXITSTATUS(wstatus), 130) << testing::ReadFile(log);
  EXPECT_NE(testing::ReadFile(log).find("import interrupted by signal 2 "), std::string::npos)
      << testing::ReadFile(log);
  EXPECT_EQ(testing::ReadFile(log).find("of its 40000 article lines (taken in published order)") !=
                std::string::npos,
            newest_first)
      << testing::ReadFile(log);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + file + " --db " + dir.str() + "/a 2>&1", &out),
            0)
      << out;
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + file + " --db " + dir.str() + "/b 2>&1", &out),
            0)
      << out;
  auto stories = [&](const std::string& db) {
    std::string exported;
    RunCommand(Bin("newsctl") + " --db " + db + " export --format jsonl", &exported);
    std::map<std::string, std::string> story_of;
    std::istringstream in(exported);
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line, nullptr, false);
      if (j.is_object()) story_of[j.value("id", "")] = j.value("story", "");
    }
    return story_of;
  };
  const auto resumed = stories(dir.str() + "/a");
  EXPECT_EQ(resumed.size(), 40000u);
  EXPECT_EQ(resumed, stories(dir.str() + "/b"));
  // Every fifth line is a copy of the line before: 8,000 copies in either order.
  size_t copies = 0;
  for (const auto& [id, story] : resumed) copies += id != story;
  EXPECT_EQ(copies, 8000u);
}

TEST(EndToEndTest, AnInterruptedImportSaysSoAndARunAgainFinishesIt) {
  ExpectAnInterruptedImportToFinishWhenRunAgain(/*newest_first=*/false);
}

TEST(EndToEndTest, AnInterruptedImportOfAFileNewestFirstFinishesInPublishedOrder) {
  ExpectAnInterruptedImportToFinishWhenRunAgain(/*newest_first=*/true);
}

// An import from a producer that has gone quiet (a pipe kept open, nothing written) stops
// on SIGTERM as an import of a file does: the lines read so far stored, 128 + 15, saying so.
// With `nohup`, the import starts with SIGHUP ignored (`trap '' HUP`): a hangup must not stop
// it then; it ends when its input does.
void ExpectAQuietPipeImportStopsOn(int signo, bool nohup = false) {
  TempDir dir;
  const std::string fifo = dir.str() + "/in.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string log = dir.str() + "/import.log";
  const pid_t pid =
      testing::Spawn({"/bin/sh", "-c",
                      std::string(nohup ? "trap '' HUP; " : "") + "exec " + Bin("newsd") +
                          " import - --db " + dir.str() + "/a < " + fifo + " 2>" + log},
                     {});
  ASSERT_GT(pid, 0);
  const int writer = ::open(fifo.c_str(), O_WRONLY);  // held open: the import waits for more
  ASSERT_GE(writer, 0);
  std::string lines;
  for (int i = 0; i < 3; ++i) {
    lines += R"({"id":"q)" + std::to_string(i) + R"(","source":"s","text":"Story )" +
             std::to_string(i) + R"( about the harbour strike and the new pay deal.",)" +
             R"("published":"2026-11-01T00:00:00Z"})" + "\n";
  }
  ASSERT_EQ(::write(writer, lines.data(), lines.size()), static_cast<ssize_t>(lines.size()));
  for (int i = 0; i < 500 && testing::ReadFile(log).find("archive opened") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(pid, signo);
  int wstatus = 0;
  pid_t done = 0;
  // 10 s (it used to wait for the writer); ignoring the hangup, it is still running after 1 s.
  for (int i = 0; i < (nohup ? 10 : 100) && done == 0; ++i) {
    done = ::waitpid(pid, &wstatus, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::close(writer);
  if (nohup) {
    EXPECT_EQ(done, 0) << "a hangup stopped an import started under nohup: "
                       << testing::ReadFile(log);
    if (done == 0) done = ::waitpid(pid, &wstatus, 0);
    ASSERT_TRUE(WIFEXITED(wstatus));
    EXPECT_EQ(WEXITSTATUS(wstatus), 0) << testing::ReadFile(log);
  } else {
    if (done == 0) ::waitpid(pid, &wstatus, 0);
    ASSERT_EQ(done, pid) << "still waiting for input after the signal: " << testing::ReadFile(log);
    ASSERT_TRUE(WIFEXITED(wstatus)) << testing::ReadFile(log);
    EXPECT_EQ(WEXITSTATUS(wstatus), 128 + signo) << testing::ReadFile(log);
    EXPECT_NE(
        testing::ReadFile(log).find("import interrupted by signal " + std::to_string(signo) + " "),
        std::string::npos)
        << testing::ReadFile(log);
  }
  std::string exported;
  ASSERT_EQ(
      RunCommand(Bin("newsctl") + " --db " + dir.str() + "/a export --format jsonl", &exported), 0);
  EXPECT_EQ(std::count(exported.begin(), exported.end(), '\n'), 3) << exported;
}

TEST(EndToEndTest, AnImportWaitingOnAQuietPipeStopsOnSigterm) {
  ExpectAQuietPipeImportStopsOn(SIGTERM);
}

// A hangup (the terminal went away) stops it the same way; not when started under nohup.
TEST(EndToEndTest, AnImportWaitingOnAQuietPipeStopsOnAHangup) {
  ExpectAQuietPipeImportStopsOn(SIGHUP);
  ExpectAQuietPipeImportStopsOn(SIGHUP, /*nohup=*/true);
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

TEST(EndToEndTest, NewsctlUnknownStoryIsExit4) {
  TempDir dir;
  std::string config = WriteDemoConfig(dir);
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1"), 0);
  int rc = 0;
  Ctl(dir, "stories show no-such-story 2>/dev/null", &rc);
  EXPECT_EQ(rc, 4);
}

}  // namespace
}  // namespace newsd
