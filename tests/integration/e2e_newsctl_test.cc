// End to end: newsctl's command line: unknown commands and options, bad values, output.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

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
  // A script that asked for JSON is given its error object on stdout, the line on stderr.
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --json stats 2>/dev/null", &out), 2) << out;
  const json error = json::parse(out);
  EXPECT_EQ(error["error"]["code"], "InvalidArgument") << out;
  EXPECT_NE(error["error"]["message"].get<std::string>().find("unknown command \"stats\""),
            std::string::npos)
      << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " search -oil --json 2>/dev/null", &out), 2) << out;
  EXPECT_NE(out.find("unknown option"), std::string::npos) << out;
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

// Text from a feed or an import never reaches the operator's terminal as control sequences
// (a title that retitles the window or clears the screen), nor breaks a table row, nor turns
// the rest of a row right to left (U+202E, U+2067).
TEST(EndToEndTest, NewsctlPrintsNoControlCharactersFromItems) {
  TempDir dir;
  testing::WriteFile(
      dir.str() + "/evil.jsonl",
      R"({"id":"esc1","source":"s\u001b[31m","title":"Evil \u001b]0;PWNED\u0007)"
      R"(\u001b[2J\u009b31m\tred\nline \u202egnp.exe","text":"Evil escape \u001b[31mred)"
      R"(\u001b[0m sequence\u0007 test \u009b2J text \u2067left\u2069",)"
      R"("published":"2020-01-01T00:00:00Z"})"
      "\n");
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/evil.jsonl --db " + dir.str() +
                       "/data 2>&1"),
            0);
  // The same as a feed, read by `newsctl parse`.
  testing::WriteFile(dir.str() + "/evil.json",
                     R"({"version":"https://jsonfeed.org/version/1.1","title":"Evil \u001b]0;PWN)"
                     R"(\u0007 feed","items":[{"id":"e1","url":"https://evil.example/1\u001b[2J",)"
                     R"("title":"Evil \u001b[2J title","content_text":"Body"}]})");
  const std::string db = Bin("newsctl") + " --db " + dir.str() + "/data ";
  for (const std::string& command :
       {db + "stories recent", db + "stories show esc1", db + "search evil",
        db + "stories show esc1 --text", Bin("newsctl") + " parse " + dir.str() + "/evil.json"}) {
    std::string out;
    ASSERT_EQ(RunCommand(command, &out), 0) << command << ": " << out;
    EXPECT_NE(out.find("Evil"), std::string::npos) << command << ": " << out;
    EXPECT_EQ(out.find('\x1b'), std::string::npos) << command;
    EXPECT_EQ(out.find('\x07'), std::string::npos) << command;
    EXPECT_EQ(out.find("\xC2\x9B"), std::string::npos) << command;
    EXPECT_EQ(out.find("\xE2\x80\xAE"), std::string::npos) << command;
    EXPECT_EQ(out.find("\xE2\x81\xA7"), std::string::npos) << command;
    if (command.find("--text") == std::string::npos) {
      EXPECT_EQ(out.find('\t'), std::string::npos) << command;
    } else {
      EXPECT_NE(out.find("Evil escape"), std::string::npos) << "the text is shown: " << out;
    }
  }
}

TEST(EndToEndTest, NewsctlBadOptionValuesAreUsageErrorsAndJsonSaysWhy) {
  TempDir dir;
  testing::WriteFile(
      dir.str() + "/one.jsonl",
      R"({"id":"a1","source":"s","title":"Bridge","text":"A new bridge opened."})"
      "\n"
      R"({"id":"a2","source":"s","title":"Café","text":"Nestlé opens in São Paulo."})"
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
  // Angle brackets in a query are punctuation ("<IBM>", a ticker as wire texts write it).
  EXPECT_EQ(RunCommand(ctl + "search '<Bridge>'", &out), 0) << out;
  EXPECT_NE(out.find("a1"), std::string::npos) << out;
  out.clear();
  // Accents are not needed to find a word, nor in the way: "Sao Paulo" finds "São Paulo".
  for (const char* query : {"'nestle sao paulo'", "'CAFE'", "'café'"}) {
    EXPECT_EQ(RunCommand(ctl + "search " + query, &out), 0) << out;
    EXPECT_NE(out.find("a2"), std::string::npos) << query << ": " << out;
    out.clear();
  }
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
  // An option value the command line itself refuses too.
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json stories recent -n 0 " +
                           "2>/dev/null",
                       &out),
            2);
  EXPECT_TRUE(json::parse(out, nullptr, false).contains("error")) << out;
  int rc = 0;
  json j = Ctl(dir, "dupes explain nope1 nope2", &rc);
  EXPECT_EQ(rc, 4);
  EXPECT_TRUE(j.is_object() && j.contains("error")) << j.dump();
}

// newsctl parse takes the HTTP facts from FEED_CONTENT_TYPE, FEED_BASE_URL and
// FEED_CONTENT_LANGUAGE (what conformance checkers export) when no option gives them.
// An export cursor names its archive: given to another archive (a consumer pointed at the
// wrong --db or socket), it is refused with what to do, not answered from the same number
// there, which would skip or repeat items unseen.
// An imported plain text is shown as it is: its paragraphs kept, a ticker in angle brackets
// ("<BP>") no tag to drop.
TEST(EndToEndTest, NewsctlShowsAPlainTextWithItsParagraphs) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/a.jsonl",
                     R"({"id":"a1","source":"s","title":"Oil","text":"BP <BP> said so.\n\n)"
                     R"(Shares rose."})"
                     "\n");
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/a.jsonl --db " + dir.str() +
                       "/data 2>&1"),
            0);
  std::string out;
  ASSERT_EQ(
      RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data stories show a1 --text", &out), 0);
  EXPECT_NE(out.find("BP <BP> said so.\n\nShares rose."), std::string::npos) << out;
}

// --db at a file is said to be that (it read "permission denied" to root: the file is not
// searchable), for newsctl as for newsd import.
TEST(EndToEndTest, AnArchiveDirectoryThatIsAFileIsSaidToBeOne) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/file", "x");
  for (const std::string& command :
       {Bin("newsctl") + " --db " + dir.str() + "/file stories recent",
        Bin("newsd") + " import /dev/null --db " + dir.str() + "/file"}) {
    std::string out;
    EXPECT_NE(RunCommand(command + " 2>&1", &out), 0) << command;
    EXPECT_NE(out.find(dir.str() + "/file is a file: give the path of a directory"),
              std::string::npos)
        << out;
  }
}

// Ctrl-C during `newsctl --db D backup DIR` (a copy RocksDB makes in one call): once the copy
// ends, what it wrote is removed, DIR.tmp too, and newsctl exits 130 saying so; it used to die
// and leave DIR.tmp, which the next backup refused. Signalled later each try, until one lands
// during the copy (it takes milliseconds here).
TEST(EndToEndTest, AStoppedBackupLeavesNothingBehind) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int w = 0; w < 300; ++w)
      text += "w" + std::to_string((i * 7919 + w * 104729) % 50021) + " ";
    lines += R"({"id":"i)" + std::to_string(i) + R"(","source":"s","text":")" + text + "\"}\n";
  }
  testing::WriteFile(dir.str() + "/many.jsonl", lines);
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/many.jsonl --db " + dir.str() +
                       "/data 2>&1"),
            0);
  const std::string target =
      (::access("/dev/shm", W_OK) == 0 ? std::string("/dev/shm") : dir.str()) +
      "/newsd-stopped-backup-" + std::to_string(::getpid());
  bool caught = false;
  for (int wait_us = 5000; wait_us <= 600000 && !caught; wait_us += 5000) {
    const std::string err = dir.str() + "/err";
    const pid_t pid = testing::Spawn(
        {"/bin/sh", "-c",
         "exec " + Bin("newsctl") + " --db " + dir.str() + "/data backup " + target + " 2>" + err},
        {});
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::microseconds(wait_us));
    ::kill(pid, SIGINT);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 130) {
      caught = true;
      EXPECT_NE(testing::ReadFile(err).find("backup stopped: nothing was kept"), std::string::npos)
          << testing::ReadFile(err);
      EXPECT_FALSE(std::filesystem::exists(target));
      EXPECT_FALSE(std::filesystem::exists(target + ".tmp"));
    }
    // Killed by the signal before newsctl noted signals (opening the archive): no copy begun.
    EXPECT_FALSE(std::filesystem::exists(target + ".tmp")) << "a half copy left";
    std::filesystem::remove_all(target);  // a backup the signal came too late for
  }
  if (!caught) GTEST_SKIP() << "no signal landed while the copy ran";
}

TEST(EndToEndTest, NewsctlExportRefusesAnotherArchivesCursor) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/a.jsonl",
                     R"({"id":"a1","source":"s","title":"Bridge","text":"A new bridge opened."})"
                     "\n"
                     R"({"id":"a2","source":"s","title":"Dam","text":"A new dam was built."})"
                     "\n");
  for (const char* db : {"/one", "/two"}) {
    ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/a.jsonl --db " + dir.str() + db +
                         " 2>&1"),
              0);
  }
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/one export", &out), 0) << out;
  const std::string first_line = out.substr(0, out.find('\n'));
  const std::string cursor = nlohmann::json::parse(first_line)["cursor"].get<std::string>();
  out.clear();
  EXPECT_EQ(
      RunCommand(Bin("newsctl") + " --db " + dir.str() + "/one export --cursor " + cursor, &out),
      0);
  EXPECT_NE(out.find("\"a2\""), std::string::npos) << out;
  EXPECT_EQ(out.find("\"a1\""), std::string::npos) << "resumed after a1: " << out;
  out.clear();
  EXPECT_EQ(
      RunCommand(Bin("newsctl") + " --db " + dir.str() + "/two export --cursor " + cursor + " 2>&1",
                 &out),
      2)
      << out;
  EXPECT_NE(out.find("another archive"), std::string::npos) << out;
  EXPECT_NE(out.find("export again from cursor 0"), std::string::npos) << out;
  EXPECT_EQ(out.find("\"a2\""), std::string::npos) << "nothing exported: " << out;
  // With --json too, an export's errors go to stderr alone: its standard output, often
  // appended to a file of items, holds items only.
  for (const char* args : {"/one export --cursor bad", "/one export --since garbage",
                           "/none export", "/one export --format xml"}) {
    out.clear();
    EXPECT_NE(
        RunCommand(Bin("newsctl") + " --json --db " + dir.str() + args + " 2>/dev/null", &out), 0)
        << args;
    EXPECT_EQ(out, "") << args;
  }
}

// An archive this user may not read is said to be that, with what to do: not "no archive
// there" or "not a newsd archive", which send an operator to make a new one. Run as root,
// newsctl is run as nobody (setpriv); skipped otherwise.
TEST(EndToEndTest, NewsctlSaysWhenItMayNotReadTheArchive) {
  if (::geteuid() != 0 || RunCommand("command -v setpriv >/dev/null") != 0) {
    GTEST_SKIP() << "needs root and setpriv, to run newsctl as another user";
  }
  TempDir dir;
  testing::WriteFile(dir.str() + "/one.jsonl",
                     R"({"id":"a1","source":"s","title":"Bridge","text":"A new bridge opened."})"
                     "\n");
  const std::string db = dir.str() + "/data";
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/one.jsonl --db " + db + " 2>&1"),
            0);
  const std::string as_nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups " +
                                Bin("newsctl") + " --db " + db + " stories recent 2>&1";
  ASSERT_EQ(RunCommand("chmod 755 " + dir.str() + " && chmod 700 " + db), 0);
  std::string out;
  EXPECT_NE(RunCommand(as_nobody, &out), 0) << out;
  EXPECT_NE(out.find("permission denied"), std::string::npos) << out;
  EXPECT_EQ(out.find("no archive at"), std::string::npos) << out;
  // The directory readable, its files not (a copy made as root with umask 077).
  ASSERT_EQ(RunCommand("chmod 755 " + db + " && chmod 600 " + db + "/*"), 0);
  out.clear();
  EXPECT_NE(RunCommand(as_nobody, &out), 0) << out;
  EXPECT_NE(out.find("Permission denied"), std::string::npos) << out;
  EXPECT_NE(out.find("chown -R newsd:"), std::string::npos) << out;
  EXPECT_EQ(out.find("not a newsd archive"), std::string::npos) << out;
}

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
