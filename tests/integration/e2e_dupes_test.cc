// End to end: newsctl dupes explain and check against an archive.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/e2e_test_util.h"
#include "tests/support/test_util.h"

namespace newsd {
namespace {

using nlohmann::json;
using testing::Bin;
using testing::Ctl;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteDemoConfig;

TEST(EndToEndTest, DupesExplainAndCheckAnswerFromTheArchive) {
  TempDir dir;
  std::string config = WriteDemoConfig(dir);
  std::string log;
  ASSERT_EQ(
      RunCommand(Bin("newsd") + " --once --log-level warn --config " + config + " 2>&1", &log), 0);
  // The round's summary is the answer of --once, whatever the log level.
  EXPECT_NE(log.find("newsd: round summary: polled="), std::string::npos) << log;
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

}  // namespace
}  // namespace newsd
