// Hostile publishers (all on 127.0.0.1): each misbehaviour costs newsd one feed's poll, with a
// clear reason in the log and in the feed's state, while the honest feeds beside them are
// stored, and newsd's memory stays bounded (docs/SECURITY.md states the bound).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

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
using testing::TempDir;

/// Peak RSS newsd may reach on this test's feeds: 16 MiB bodies (the cap) in flight for a
/// handful of feeds, a 100,000-item document parsed, and the archive's memtables.
constexpr long kRssBoundMiB = 384;

std::string Rss(const std::string& items) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
         "<title>t</title><link>https://example.com/</link>" +
         items + "</channel></rss>";
}

std::string Item(const std::string& guid, const std::string& title, const std::string& text) {
  return "<item><guid>" + guid + "</guid><title>" + title + "</title><description>" + text +
         "</description></item>";
}

/// A real gzip bomb: 256 MiB of zeros compressed (about 250 KB on the wire).
std::string GzipBomb() {
  std::string out;
  RunCommand(
      "python3 -c 'import gzip,sys; sys.stdout.buffer.write(gzip.compress(bytes(256 << 20), 9))'",
      &out);
  return out;
}

/// True when `text` contains one of the '|'-separated words of `words`, in any case (ASCII).
bool MentionsAny(std::string text, const std::string& words) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t start = 0;
  for (;;) {
    const size_t bar = words.find('|', start);
    if (text.find(words.substr(start, bar - start)) != std::string::npos) return true;
    if (bar == std::string::npos) return false;
    start = bar + 1;
  }
}

struct OnceRun {
  int exit_code = -1;
  long max_rss_mib = 0;
  double seconds = 0;
  std::string log;
};

/// newsd --once with its stderr in `log_path`; waits with wait4 for the peak RSS.
OnceRun RunOnce(const std::string& config, const std::string& log_path) {
  OnceRun run;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDERR_FILENO);
    ::dup2(fd, STDOUT_FILENO);
    const std::string bin = Bin("newsd");
    execl(bin.c_str(), bin.c_str(), "--once", "--config", config.c_str(), nullptr);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.max_rss_mib = usage.ru_maxrss / 1024;
  std::ifstream in(log_path);
  std::stringstream s;
  s << in.rdbuf();
  run.log = s.str();
  return run;
}

TEST(HostileServersTest, EachMisbehaviourCostsOnlyItsOwnFeedWithAClearReason) {
  HttpTestServer server;
  TempDir dir;
  // Honest feeds.
  server.HandleStatic("/good1.xml", MakeResponse(200, ReadDemoFeed("astanatimes.xml")));
  server.HandleStatic("/good2.xml", MakeResponse(200, ReadDemoFeed("dknews.xml")));
  // Slowloris: the body trickles a byte at a time, far below any useful speed.
  HttpResponse slow = MakeResponse(200, Rss(Item("s", "slow", "x")));
  slow.piece_bytes = 1;
  slow.piece_delay = std::chrono::milliseconds(400);
  server.HandleStatic("/slowloris.xml", slow);
  // A body that never ends.
  HttpResponse endless = MakeResponse(200, "<rss><channel><title>");
  endless.endless = true;
  server.HandleStatic("/endless.xml", endless);
  // A gzip bomb.
  server.HandleStatic("/bomb.xml", MakeResponse(200, GzipBomb(), {{"Content-Encoding", "gzip"}}));
  // A redirect loop.
  server.HandleStatic("/loop-a.xml", MakeResponse(302, "", {{"Location", "/loop-b.xml"}}));
  server.HandleStatic("/loop-b.xml", MakeResponse(302, "", {{"Location", "/loop-a.xml"}}));
  // A 10 MB title.
  server.HandleStatic("/bigtitle.xml",
                      MakeResponse(200, Rss(Item("big", std::string(10 << 20, 'T'), "body"))));
  // 100,000 items in one feed.
  std::string many;
  for (int i = 0; i < 100000; ++i) {
    many += Item("m" + std::to_string(i), "Item " + std::to_string(i),
                 "Short text " + std::to_string(i * 7919));
  }
  server.HandleStatic("/many.xml", MakeResponse(200, Rss(many)));
  // Invalid UTF-8 in a document that says it is UTF-8.
  server.HandleStatic("/badutf8.xml",
                      MakeResponse(200, Rss(Item("u", "Bad \xff\xfe bytes \xc3", "text \x80"))));
  // Well-formed XML nested 200,000 deep, inside an entry's XHTML content (which the parser
  // reads element by element).
  std::string deep =
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>deep</title><entry><id>d</id>"
      "<title>deep</title><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">";
  for (int i = 0; i < 200000; ++i) deep += "<div>";
  for (int i = 0; i < 200000; ++i) deep += "</div>";
  deep += "</div></content></entry></feed>";
  server.HandleStatic("/deep.xml", MakeResponse(200, deep));
  // A reset mid-body: 1,000 bytes of a promised 100,000, then the connection closes.
  HttpResponse reset = MakeResponse(200, std::string(1000, ' '), {{"Content-Length", "100000"}});
  reset.close = true;
  server.HandleStatic("/reset.xml", reset);

  const std::map<std::string, std::string> feeds = {
      {"good1", "/good1.xml"},       {"good2", "/good2.xml"}, {"slowloris", "/slowloris.xml"},
      {"endless", "/endless.xml"},   {"bomb", "/bomb.xml"},   {"loop", "/loop-a.xml"},
      {"bigtitle", "/bigtitle.xml"}, {"many", "/many.xml"},   {"badutf8", "/badutf8.xml"},
      {"deep", "/deep.xml"},         {"reset", "/reset.xml"},
  };
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer runs newsd (and this server) several times slower: the 10 MB documents
  // must still arrive within the total timeout, which the slow servers then run into.
  const std::string timeout = "12s";
#else
  const std::string timeout = "4s";
#endif
  std::string config = "[daemon]\ndata_dir = \"" + dir.str() +
                       "/data\"\n[fetch]\nallow_private = true\ntimeout = \"" + timeout +
                       "\"\n"
                       "[politeness]\nstartup_jitter = \"0s\"\nhost_inflight = 0\n"
                       "host_spacing = \"0s\"\nmin_interval = \"0s\"\n";
  for (const auto& [id, path] : feeds) {
    config += "[[feed]]\nid = \"" + id + "\"\nurl = \"" + server.Url(path) + "\"\n";
  }
  testing::WriteFile(dir.str() + "/newsd.toml", config);

  const OnceRun run = RunOnce(dir.str() + "/newsd.toml", dir.str() + "/newsd.log");
  EXPECT_EQ(run.exit_code, 0) << run.log.substr(0, 4000);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // Sanitizers keep shadow memory and a quarantine of freed blocks: the bound is for newsd.
  std::cerr << "peak RSS not checked under a sanitizer\n";
#else
  EXPECT_LT(run.max_rss_mib, kRssBoundMiB) << "peak RSS";
#endif
  EXPECT_LT(run.seconds, 60.0) << "the timeouts bound the round";
  std::cerr << "hostile round: " << run.seconds << " s, peak RSS " << run.max_rss_mib << " MiB\n";

  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json feeds list", &out), 0)
      << out;
  std::map<std::string, json> state;
  const json listed = json::parse(out);
  for (const json& f : listed["feeds"]) state[f["id"].get<std::string>()] = f;
  for (const auto& [id, path] : feeds) EXPECT_EQ(state.count(id), 1u) << id << " has no state";
  auto why = [&](const std::string& id) {
    if (!state[id].is_object()) return std::string();
    return state[id].value("last_error", "") + " " + state[id].value("state_reason", "") + " " +
           state[id].value("warning", "");
  };
  // Failed polls, and documents read only in part: a reason an operator can act on, in the
  // feed's state and in the log.
  const std::map<std::string, std::string> reasons = {
      {"slowloris", "time|slow|speed"},
      {"endless", "time|larger|exceed"},
      {"bomb", "larger|exceed|cap|limit"},
      {"loop", "redirect"},
      {"deep", "deep|nest|depth"},
      {"reset", "closed|partial|transfer|reset"},
      {"many", "max_items"},
      {"bigtitle", "max_field_bytes"},
      {"badutf8", "utf-8"},
  };
  for (const auto& [id, pattern] : reasons) {
    EXPECT_TRUE(MentionsAny(why(id), pattern)) << id << ": " << state[id].dump();
    EXPECT_NE(run.log.find("feed=" + id), std::string::npos) << id << " is not in the log";
  }
  // Documents that parse: kept within the limits, and the rest said in the log.
  out.clear();  // RunCommand appends
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export", &out), 0);
  std::map<std::string, int> items;
  size_t longest_title = 0;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const json item = json::parse(line);
    ++items[item["feed"]];
    longest_title = std::max(longest_title, item["title"].get<std::string>().size());
    if (item["feed"] == "badutf8") {  // read with the fallback charset, stored as UTF-8
      EXPECT_NE(item["title"].get<std::string>().find(" bytes "), std::string::npos) << item;
    }
  }
  EXPECT_EQ(items["good1"], 2);
  EXPECT_EQ(items["good2"], 2);
  EXPECT_EQ(items["bigtitle"], 1);
  EXPECT_LE(longest_title, size_t{1} << 20) << "[parse] max_field_bytes";
  EXPECT_EQ(items["many"], 5000) << "[parse] max_items";
  EXPECT_EQ(items["badutf8"], 1);
  EXPECT_NE(run.log.find("feed=many"), std::string::npos);
}

}  // namespace
}  // namespace newsd
