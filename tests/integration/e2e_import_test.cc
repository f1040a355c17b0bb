// End to end: newsd import: its configuration, files it refuses, interruptions.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "tests/support/test_util.h"

namespace newsd {
namespace {

using nlohmann::json;
using testing::Bin;
using testing::RunCommand;
using testing::TempDir;

// Lines an import files at its own time are counted in its summary: a publisher's unset date
// (year 1, the epoch, null) or one in 2100 would otherwise vanish into the import's day.
TEST(EndToEndTest, ImportSaysHowManyLinesItFiledAtItsOwnTime) {
  TempDir dir;
  std::string lines;
  const char* dates[] = {"\"0001-01-01T00:00:00Z\"", "null", "\"1970-01-01T00:00:00Z\"",
                         "\"2100-01-01T00:00:00Z\"", "\"2020-01-01T10:00Z\""};
  int n = 0;
  for (const char* date : dates) {
    const std::string id = std::to_string(++n);
    lines += "{\"id\": \"d" + id + "\", \"source\": \"s\", \"text\": \"Story " + id +
             " about something else entirely\", \"published\": " + date + "}\n";
  }
  testing::WriteFile(dir.str() + "/dates.jsonl", lines);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/dates.jsonl --db " + dir.str() +
                           "/data --log-level warn 2>&1",
                       &out),
            0);
  EXPECT_NE(out.find("; 3 without a usable date; 1 dated more than a day after the import "
                     "(filed at the import's time)"),
            std::string::npos)
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
  // A quieter log level leaves the import's answer, not its info logs.
  std::string quiet;
  ASSERT_EQ(RunCommand(Bin("newsd") + file + "/none --log-level warn 2>&1", &quiet), 0);
  EXPECT_NE(quiet.find("newsd: imported 2 lines in "), std::string::npos) << quiet;
  EXPECT_EQ(quiet.find(" info "), std::string::npos) << quiet;
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
  // A directory made for it beforehand is left as it was: there, and empty.
  std::filesystem::create_directory(dir.str() + "/made");
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/empty.jsonl --db " + dir.str() +
                           "/made 2>&1",
                       &out),
            0);
  EXPECT_NE(out.find("(its directory, empty before, is left)"), std::string::npos) << out;
  EXPECT_TRUE(std::filesystem::is_empty(dir.str() + "/made")) << out;
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
// An id on two lines of a file out of published order: the file's first line of it is kept,
// as in a file in order, and the warning names the later line (the published order took the
// earlier-dated copy first, kept it, and blamed line 1).
TEST(EndToEndTest, AnImportOutOfOrderKeepsTheFirstLineOfAnId) {
  TempDir dir;
  testing::WriteFile(
      dir.str() + "/dup.jsonl",
      R"({"id":"x1","source":"s","title":"Wheat","text":"Wheat exports rose in May.",)"
      R"("published":"2021-05-01T10:00:00Z"})"
      "\n"
      R"({"id":"x2","source":"s","title":"Dam","text":"A new dam was built on the river.",)"
      R"("published":"2021-05-02T10:00:00Z"})"
      "\n"
      R"({"id":"x1","source":"s","title":"Vote","text":"Totally different story about votes.",)"
      R"("published":"2019-01-01T10:00:00Z"})"
      "\n");
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/dup.jsonl --db " + dir.str() +
                           "/data 2>&1",
                       &out),
            0)
      << out;
  EXPECT_NE(out.find("dup.jsonl:3: id x1 was stored before"), std::string::npos) << out;
  EXPECT_EQ(out.find("dup.jsonl:1:"), std::string::npos) << out;
  out.clear();
  ASSERT_EQ(
      RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json stories show x1", &out), 0)
      << out;
  EXPECT_NE(out.find("Wheat"), std::string::npos) << "line 1's article is kept: " << out;
  EXPECT_EQ(out.find("Vote"), std::string::npos) << out;
}

// Lines dated far before what the archive held are compared with its items the slow way:
// the warning says why (the archive's newer items, with their date), and tells to import
// from a file only when the lines came down a pipe.
TEST(EndToEndTest, AnImportBelowWhatTheArchiveHeldSaysWhyItWasSlower) {
  TempDir dir;
  auto line = [](const std::string& id, const std::string& text, const std::string& date) {
    return R"({"id":")" + id + R"(","source":"s","title":"T","text":")" + text +
           R"(","published":")" + date + "\"}\n";
  };
  testing::WriteFile(dir.str() + "/new.jsonl",
                     line("n1", "A bridge opened over the river today.", "2026-01-01T10:00:00Z"));
  testing::WriteFile(
      dir.str() + "/old.jsonl",
      line("o1", "Wheat exports rose in May, the ministry said.", "2020-05-01T10:00:00Z") +
          line("o2", "A dam was built in the north of the country.", "2020-05-02T10:00:00Z"));
  const std::string db = " --db " + dir.str() + "/data 2>&1";
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/new.jsonl" + db), 0);
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/old.jsonl" + db, &out), 0) << out;
  EXPECT_NE(out.find("2 lines were dated more than [dedup] window"), std::string::npos) << out;
  EXPECT_NE(out.find("the archive already held items up to 2026-01-01T10:00:00Z"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("not a pipe"), std::string::npos) << "it was a file: " << out;
  out.clear();
  ASSERT_EQ(RunCommand("sed 's/o1/p1/; s/o2/p2/' " + dir.str() + "/old.jsonl | " + Bin("newsd") +
                           " import -" + db,
                       &out),
            0)
      << out;
  EXPECT_NE(out.find("Import from a file, not a pipe"), std::string::npos) << out;
}

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
  int wstatus = 0;
  // Interrupted some time after the archive opened: later each try (a slow build, say
  // under a sanitizer, may not have stored a line after the first wait).
  for (int wait_ms = 100; wait_ms <= 6400; wait_ms *= 4) {
    std::filesystem::remove(log);  // not the try before's "archive opened"
    const pid_t pid = testing::Spawn(
        {"/bin/sh", "-c",
         "exec " + Bin("newsd") + " import " + file + " --db " + dir.str() + "/a 2>" + log},
        {});
    ASSERT_GT(pid, 0);
    for (int i = 0; i < 400 && testing::ReadFile(log).find("archive opened") == std::string::npos;
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    ::kill(pid, SIGINT);
    ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(WIFEXITED(wstatus)) << testing::ReadFile(log);
    const std::string said = testing::ReadFile(log);
    if (said.find("before its first line: nothing stored") == std::string::npos) break;
    // Nothing stored, and the archive the import made is removed: "1 to 0" is never said.
    EXPECT_EQ(WEXITSTATUS(wstatus), 130) << said;
    EXPECT_EQ(said.find("lines 1 to 0"), std::string::npos) << said;
    EXPECT_FALSE(std::filesystem::exists(dir.str() + "/a")) << said;
  }
  if (WEXITSTATUS(wstatus) == 0) GTEST_SKIP() << "the import ended before the signal came";
  EXPECT_EQ(WEXITSTATUS(wstatus), 130) << testing::ReadFile(log);
  EXPECT_NE(testing::ReadFile(log).find("import interrupted by signal 2 "), std::string::npos)
      << testing::ReadFile(log);
  EXPECT_EQ(testing::ReadFile(log).find("of its 40000 article lines (taken in published order)") !=
                std::string::npos,
            newest_first)
      << testing::ReadFile(log);
  if (newest_first) {  // its summary counts the lines taken, not those read ahead of them
    const std::string said = testing::ReadFile(log);
    const size_t at = said.find("interrupted by signal 2 after ");
    ASSERT_NE(at, std::string::npos) << said;
    const int taken = std::atoi(said.c_str() + at + 30);
    EXPECT_NE(said.find("imported " + std::to_string(taken) + " of 40000 article lines in"),
              std::string::npos)
        << said;
  }
  if (!newest_first) {  // "after line N": line N is stored, the next one is not
    const std::string said = testing::ReadFile(log);
    const size_t at = said.find("after line ");
    ASSERT_NE(at, std::string::npos) << said;
    const int last = std::atoi(said.c_str() + at + 11);
    ASSERT_GT(last, 0) << said;
    EXPECT_NE(said.find("after line " + std::to_string(last) + ": lines 1 to " +
                        std::to_string(last) + " are stored"),
              std::string::npos)
        << said;
    std::string shown;
    const std::string show = Bin("newsctl") + " --db " + dir.str() + "/a stories show i";
    EXPECT_EQ(RunCommand(show + std::to_string(last - 1) + " 2>&1", &shown), 0) << shown;
    EXPECT_NE(RunCommand(show + std::to_string(last) + " 2>&1", &shown), 0) << shown;
  }
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
// `articles` false: the pipe has given a blank line and a bad one only (nothing to store).
void ExpectAQuietPipeImportStopsOn(int signo, bool nohup = false, bool articles = true) {
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
  std::string lines = articles ? "" : "\nnot json\n";
  for (int i = 0; i < (articles ? 3 : 0); ++i) {
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
  if (!articles) {  // Not "lines 1 to 2 are stored": nothing was, and the archive is gone.
    const std::string said = testing::ReadFile(log);
    EXPECT_NE(said.find("after line 2: nothing stored"), std::string::npos) << said;
    EXPECT_EQ(said.find("are stored"), std::string::npos) << said;
    EXPECT_FALSE(std::filesystem::exists(dir.str() + "/a")) << said;
    return;
  }
  std::string exported;
  ASSERT_EQ(
      RunCommand(Bin("newsctl") + " --db " + dir.str() + "/a export --format jsonl", &exported), 0);
  EXPECT_EQ(std::count(exported.begin(), exported.end(), '\n'), 3) << exported;
}

TEST(EndToEndTest, AnImportWaitingOnAQuietPipeStopsOnSigterm) {
  ExpectAQuietPipeImportStopsOn(SIGTERM);
  ExpectAQuietPipeImportStopsOn(SIGTERM, /*nohup=*/false, /*articles=*/false);
}

// A hangup (the terminal went away) stops it the same way; not when started under nohup.
TEST(EndToEndTest, AnImportWaitingOnAQuietPipeStopsOnAHangup) {
  ExpectAQuietPipeImportStopsOn(SIGHUP);
  ExpectAQuietPipeImportStopsOn(SIGHUP, /*nohup=*/true);
}

}  // namespace
}  // namespace newsd
