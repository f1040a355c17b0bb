// newsd as a service: READY over NOTIFY_SOCKET, newsctl over the admin socket, SIGTERM.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "core/time.h"
#include "tests/integration/service_harness.h"
#include "tests/support/http_test_server.h"
#include "tests/support/test_util.h"

namespace newsd {
namespace {

using nlohmann::json;
using testing::Bin;
using testing::BinaryDir;
using testing::RunCommand;
using testing::Service;
using testing::Spawn;
using testing::TempDir;
using testing::WaitForSocket;

/// A datagram socket standing in for systemd's notify socket. Like systemd it reads all the
/// time, on a thread of its own: a datagram socket holds only net.unix.max_dgram_qlen unread
/// messages (10 by default; systemd raises it to 512), and then newsd's sd_notify() blocks, and
/// its event loop with it: no newsctl answer, no SIGTERM handled while the test waits for it.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    reader_ = std::thread([this] { Read(); });
  }
  ~NotifySocket() {
    stop_ = true;
    reader_.join();
    ::close(fd_);
  }
  /// Everything received since the last call and within `timeout`, concatenated.
  std::string Receive(std::chrono::milliseconds timeout) {
    std::this_thread::sleep_for(timeout);
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(received_, std::string());
  }

 private:
  void Read() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) continue;
      std::lock_guard<std::mutex> lock(mu_);
      received_.append(buf, static_cast<size_t>(n));
      received_ += '\n';
    }
  }

  std::string path_;
  int fd_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::string received_;  // guarded by mu_
  std::thread reader_;
};

/// The [daemon] section of a test configuration: the archive in dir/data, the socket `sock`.
std::string DaemonSection(const TempDir& dir, const std::string& sock) {
  return "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" + sock + "\"\n";
}

/// The whole answer to `GET path` from 127.0.0.1:port ("" when it cannot connect).
std::string HttpGet(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof buf)) > 0) answer.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return answer;
}

TEST(ServiceTest, NotifiesReadyAnswersNewsctlAndStopsOnSigterm) {
  TempDir dir;
  std::string feeds = (testing::SourceDir() / "demo/feeds").string();
  std::string sock = dir.str() + "/admin.sock";
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" + sock +
                         "\"\nmetrics = \"127.0.0.1:0\"\n[politeness]\nstartup_jitter = "
                         "\"0s\"\n[[feed]]\nid = \"dknews\"\nurl = \"file://" +
                         feeds + "/dknews.xml\"\n[[feed]]\nid = \"kazinform\"\nurl = \"file://" +
                         feeds + "/kazinform.xml\"\n");
  NotifySocket notify(dir.str() + "/notify.sock");
  pid_t pid = Spawn({Bin("newsd"), "--config", dir.str() + "/newsd.toml", "--log-level", "warn"},
                    {"NOTIFY_SOCKET=" + dir.str() + "/notify.sock", "WATCHDOG_USEC=400000"});
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(WaitForSocket(sock, std::chrono::seconds(20)));
  std::string notes = notify.Receive(std::chrono::milliseconds(1500));
  EXPECT_NE(notes.find("READY=1"), std::string::npos) << notes;
  // WatchdogSec=0.4s: pinged every 0.2 s from the loop.
  EXPECT_NE(notes.find("WATCHDOG=1"), std::string::npos) << notes;

  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock + " --json status", &out), 0);
  json status = json::parse(out, nullptr, false);
  EXPECT_EQ(status["feeds"], 2) << out;
  EXPECT_EQ(status["state"], "running");
  // The first round runs right after start; wait for it to be committed.
  json recent;
  for (int i = 0; i < 200; ++i) {
    out.clear();
    EXPECT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock + " --json stories recent", &out), 0);
    recent = json::parse(out, nullptr, false);
    if (recent.is_object() && recent["stories"].size() >= 4) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // The wire story (2 copies) and 3 unrelated stories.
  ASSERT_EQ(recent["stories"].size(), 4u) << out;
  int copies = 0;
  for (const json& s : recent["stories"]) copies = std::max(copies, s["copies"].get<int>());
  EXPECT_EQ(copies, 2);
  // Prometheus metrics on the loopback port newsd picked (newsctl status says which).
  const std::string metrics = status["metrics"].get<std::string>();
  ASSERT_EQ(metrics.rfind("127.0.0.1:", 0), 0u) << out;
  const int port = std::stoi(metrics.substr(metrics.find(':') + 1));
  const std::string scrape = HttpGet(port, "/metrics");
  EXPECT_EQ(scrape.rfind("HTTP/1.1 200 OK", 0), 0u) << scrape;
  EXPECT_NE(scrape.find("text/plain; version=0.0.4"), std::string::npos) << scrape;
  EXPECT_NE(scrape.find("newsd_polls_total{outcome=\"fetched\"} 2\n"), std::string::npos) << scrape;
  EXPECT_NE(scrape.find("newsd_stories_new_total 4\n"), std::string::npos) << scrape;
  EXPECT_NE(scrape.find("newsd_copies_total 1\n"), std::string::npos) << scrape;
  EXPECT_NE(scrape.find("newsd_items_corrected_total 0\n"), std::string::npos) << scrape;
  EXPECT_NE(scrape.find("newsd_feeds{state=\"active\"} 2\n"), std::string::npos) << scrape;
  EXPECT_NE(scrape.find("newsd_feeds{state=\"dead\"} 0\n"), std::string::npos)
      << "every state, 0 too: " << scrape;
  EXPECT_NE(scrape.find("newsd_rocksdb{property=\"total-sst-files-size\"}"), std::string::npos)
      << scrape;
  EXPECT_NE(scrape.find("newsd_heap_bytes{kind=\"held\"} "), std::string::npos) << scrape;
  // The dedup index's RAM, by part; status gives the sum.
  for (const char* part : {"key_tables", "items", "boilerplate"}) {
    const std::string sample = "newsd_dedup_memory_bytes{part=\"" + std::string(part) + "\"} ";
    const size_t at = scrape.find(sample);
    ASSERT_NE(at, std::string::npos) << scrape;
    EXPECT_GT(std::stoull(scrape.substr(at + sample.size())), 0u) << part;
  }
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock + " status", &out), 0);
  EXPECT_NE(out.find(" MiB of RAM)"), std::string::npos) << out;
  EXPECT_EQ(HttpGet(port, "/").rfind("HTTP/1.1 404", 0), 0u);
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock + " feeds list", &out), 0);
  EXPECT_NE(out.find("kazinform"), std::string::npos) << out;

  // dupes explain without --db: newsctl asks the daemon where its archive is.
  std::string wire;
  for (const json& s : recent["stories"]) {
    if (s["copies"] == 2) wire = s["id"];
  }
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock + " --json stories show '" + wire + "'",
                       &out),
            0);
  json shown = json::parse(out, nullptr, false);
  ASSERT_TRUE(shown.is_object() && shown["items"].size() == 2u) << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock + " --json dupes explain '" +
                           shown["items"][0]["id"].get<std::string>() + "' '" +
                           shown["items"][1]["id"].get<std::string>() + "'",
                       &out),
            0);
  json explained = json::parse(out, nullptr, false);
  EXPECT_EQ(explained["accepted"], true) << out;
  EXPECT_EQ(explained["same_story_in_archive"], true) << out;
  // An import into the running daemon's archive is refused, said once, in newsd's words
  // (RocksDB's own line about the failed open is left to the debug level).
  testing::WriteFile(dir.str() + "/one.jsonl", "{\"id\": \"x\", \"text\": \"hello\"}\n");
  out.clear();
  EXPECT_NE(RunCommand(Bin("newsd") + " import " + dir.str() + "/one.jsonl --db " +
                           status["data_dir"].get<std::string>() + " 2>&1",
                       &out),
            0);
  EXPECT_NE(out.find("locked by another process"), std::string::npos) << out;
  EXPECT_EQ(out.find("rocksdb:"), std::string::npos) << out;
  // ... and judges by the [dedup] settings of the file the daemon read.
  EXPECT_EQ(explained["settings"], std::filesystem::absolute(dir.path() / "newsd.toml").string())
      << out;

  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  EXPECT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  EXPECT_NE(notify.Receive(std::chrono::milliseconds(100)).find("STOPPING=1"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(sock)) << "socket file removed on exit";
}

/// newsd running as a service on `config`, stopped with SIGTERM by Stop() or the destructor.
// A parser limit raised after the fact (here [parse] max_items): the kept raw response is
// parsed again without fetching it, and the entries the first parse dropped are stored.
TEST(ServiceTest, ReparseStoresWhatAnEarlierParseMissed) {
  TempDir dir;
  const std::string feed = (testing::SourceDir() / "demo/feeds/regionnews.xml").string();
  const std::string sock = dir.str() + "/admin.sock";
  const std::string config = dir.str() + "/newsd.toml";
  auto write_config = [&](int max_items) {
    testing::WriteFile(
        config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" + sock +
                    "\"\n[politeness]\nstartup_jitter = \"0s\"\n[parse]\n" + "max_items = " +
                    std::to_string(max_items) + "\n[[feed]]\nid = \"region\"\nurl = \"file://" +
                    feed + "\"\ninterval = \"1h\"\n");
  };
  write_config(1);
  {
    Service first(config, sock);
    ASSERT_TRUE(first.ready());
    ASSERT_EQ(first.WaitStories(1), 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(first.WaitStories(1), 1u) << "max_items = 1 stores one entry";
    EXPECT_EQ(first.Stop(), 0);
  }
  write_config(5000);
  Service second(config, sock);  // the feed is not due again for an hour: no fetch
  ASSERT_TRUE(second.ready());
  std::string out;
  EXPECT_NE(second.Ctl("reparse nosuch", &out), 0);
  EXPECT_NE(out.find("no feed nosuch in"), std::string::npos) << out;
  EXPECT_NE(out.find("nor added with newsctl"), std::string::npos) << out;
  {
    // A dry_run that is no boolean is the request's error: it was read after the parse, on
    // the loop, and its exception ended newsd.
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, sock.c_str(), sizeof addr.sun_path - 1);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string request =
        R"({"v":1,"id":7,"cmd":"feeds.reparse","args":{"feed":"region","dry_run":"yes"}})"
        "\n";
    ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    std::string reply;
    char c;
    while (::read(fd, &c, 1) == 1 && c != '\n') reply += c;
    ::close(fd);
    EXPECT_NE(reply.find("dry_run must be true or false"), std::string::npos) << reply;
  }
  ASSERT_EQ(second.Ctl("--json reparse region --dry-run", &out), 0) << out;
  json dry = json::parse(out, nullptr, false);
  EXPECT_EQ(dry["bodies"], 1) << out;
  EXPECT_EQ(dry["added"], 2) << out;
  EXPECT_EQ(dry["unchanged"], 1) << out;
  EXPECT_EQ(second.WaitStories(1), 1u) << "a dry run stores nothing";
  ASSERT_EQ(second.Ctl("reparse region", &out), 0) << out;
  EXPECT_NE(out.find("2 added"), std::string::npos) << out;
  // The reply comes once the commit is written: the stories are there at once.
  ASSERT_EQ(second.Ctl("--json stories recent", &out), 0);
  EXPECT_EQ(json::parse(out, nullptr, false)["stories"].size(), 3u) << out;
  ASSERT_EQ(second.Ctl("--json reparse region", &out), 0) << out;
  EXPECT_EQ(json::parse(out, nullptr, false)["added"], 0) << "a second reparse changes nothing";
  // feeds show: the feed's record, with the raw body kept.
  ASSERT_EQ(second.Ctl("--json feeds show region", &out), 0) << out;
  json shown = json::parse(out, nullptr, false)["feed"];
  EXPECT_EQ(shown["state"], "active") << out;
  EXPECT_EQ(shown["raw_bodies"].size(), 1u) << out;
  EXPECT_EQ(shown["fetches"], 1) << out;
  EXPECT_EQ(second.Ctl("feeds show nosuch", &out), 4) << out;
  EXPECT_EQ(second.Stop(), 0);
  // With newsd stopped, newsd reparse does the same itself.
  EXPECT_EQ(RunCommand(Bin("newsd") + " reparse region --config " + config + " 2>&1", &out), 0)
      << out;
  EXPECT_NE(out.find("0 added, 0 updated, 3 unchanged"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data feeds show region", &out), 0);
  EXPECT_NE(out.find("raw bodies kept: 1"), std::string::npos) << out;
}

// A data_dir relative to where newsd was started: newsctl, run from anywhere, still finds the
// archive the daemon names (`dupes explain` opens it read-only).
TEST(ServiceTest, ARelativeDataDirIsUsableFromAnywhere) {
  TempDir dir;
  const std::string feeds = (testing::SourceDir() / "demo/feeds").string();
  const std::string sock = dir.str() + "/admin.sock";
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"data\"\nadmin_socket = \"" + sock +
                         "\"\n[politeness]\nstartup_jitter = \"0s\"\n[[feed]]\nid = \"dknews\"\n"
                         "url = \"file://" +
                         feeds + "/dknews.xml\"\n");
  const pid_t pid = Spawn(
      {"/bin/sh", "-c",
       "cd " + dir.str() + " && exec " + Bin("newsd") + " --config newsd.toml --log-level warn"},
      {});
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(WaitForSocket(sock, std::chrono::seconds(20)));
  std::string out;
  json items;
  for (int i = 0; i < 200 && items.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    RunCommand(Bin("newsctl") + " --socket " + sock + " --json stories recent", &out);
    json recent = json::parse(out, nullptr, false);
    out.clear();
    if (recent.is_object()) items = recent["stories"];
  }
  ASSERT_GE(items.size(), 2u);
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock + " --json status", &out), 0);
  EXPECT_EQ(json::parse(out, nullptr, false)["data_dir"], dir.str() + "/data") << out;
  out.clear();
  EXPECT_EQ(RunCommand("cd / && " + Bin("newsctl") + " --socket " + sock + " dupes explain '" +
                           items[0]["id"].get<std::string>() + "' '" +
                           items[1]["id"].get<std::string>() + "' 2>&1",
                       &out),
            0)
      << out;
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
}

// An archive this user may not open (made by root, then run as the service's user) is a
// permission problem to fix, not "locked by another process", and no restart mends it: exit 78.
TEST(ServiceTest, AnArchiveItsUserMayNotOpenIsAPermissionErrorNotALock) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to make the archive and become another user";
  TempDir dir;
  const std::string feeds = (testing::SourceDir() / "demo/feeds").string();
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 dir.str() +
                                 "/admin.sock\"\n[[feed]]\nid = \"dknews\"\n"
                                 "url = \"file://" +
                                 feeds + "/dknews.xml\"\n");
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &out), 0) << out;
  // The directories are open to everyone; the archive's files stay root's (0644).
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
  std::filesystem::permissions(dir.path() / "data", std::filesystem::perms::all);
  out.clear();
  const int rc = RunCommand("setpriv --reuid=65534 --regid=65534 --clear-groups " + Bin("newsd") +
                                " --once --config " + config + " 2>&1",
                            &out);
  EXPECT_EQ(rc, 78) << out;
  EXPECT_EQ(out.find("locked by another process"), std::string::npos) << out;
  EXPECT_NE(out.find("give the user newsd runs as access"), std::string::npos) << out;
}

// A round whose commit fails (no room above min_free_mb) stored nothing: it says so and exits 1,
// so that cron or a script does not take it for done, and the next round fetches it again.
TEST(ServiceTest, OnceRoundThatCouldNotStoreExits1) {
  TempDir dir;
  const std::string feeds = (testing::SourceDir() / "demo/feeds").string();
  const std::string config = dir.str() + "/newsd.toml";
  const std::string head = "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                           dir.str() + "/admin.sock\"\n[storage]\nmin_free_mb = ";
  const std::string feed =
      "\n[[feed]]\nid = \"dknews\"\nurl = \"file://" + feeds + "/dknews.xml\"\n";
  testing::WriteFile(config, head + "16000000" + feed);
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &out), 1) << out;
  EXPECT_NE(out.find("new_items=0 "), std::string::npos) << out;
  EXPECT_NE(out.find("unstored=1"), std::string::npos) << out;
  EXPECT_NE(out.find("could not be stored"), std::string::npos) << out;
  testing::WriteFile(config, head + "0" + feed);
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &out), 0) << out;
  EXPECT_EQ(out.find("new_items=0 "), std::string::npos) << out;
  EXPECT_NE(out.find("unstored=0"), std::string::npos) << out;
}

// feeds poll answers what will happen: nothing while ingest is paused (no room on the disk),
// and a feed the file disables is changed in the file, not resumed.
TEST(ServiceTest, FeedsPollSaysWhenNothingWillBePolled) {
  TempDir dir;
  const std::string feeds = (testing::SourceDir() / "demo/feeds").string();
  const std::string sock = dir.str() + "/admin.sock";
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, DaemonSection(dir, sock) +
                                 "[storage]\nmin_free_mb = 16000000\n[politeness]\n"
                                 "startup_jitter = \"0s\"\n[[feed]]\nid = \"dknews\"\nurl = "
                                 "\"file://" +
                                 feeds +
                                 "/dknews.xml\"\n[[feed]]\nid = \"off\"\n"
                                 "enabled = false\nurl = \"file://" +
                                 feeds + "/kazinform.xml\"\n");
  Service service(config, sock);
  ASSERT_TRUE(service.ready());
  std::string out;
  for (int i = 0; i < 200; ++i) {
    service.Ctl("--json status", &out);
    if (json::parse(out, nullptr, false).value("state", "") == "paused") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(json::parse(out, nullptr, false).value("state", ""), "paused") << out;
  EXPECT_EQ(service.Ctl("status", &out), 3) << "a health check sees the pause: " << out;
  EXPECT_NE(out.find("paused"), std::string::npos) << out;
  EXPECT_EQ(service.Ctl("feeds poll dknews", &out), 3) << out;
  EXPECT_NE(out.find("ingest is paused"), std::string::npos) << out;
  EXPECT_EQ(service.Stop(), 0);
  // Room again: the feed the file disables is not resumed by newsctl.
  testing::WriteFile(config, std::string(testing::ReadFile(config))
                                 .replace(testing::ReadFile(config).find("16000000"), 8, "0"));
  Service again(config, sock);
  ASSERT_TRUE(again.ready());
  EXPECT_EQ(again.Ctl("feeds poll off", &out), 1) << out;
  EXPECT_NE(out.find("declared with enabled = false in " + config), std::string::npos) << out;
  EXPECT_EQ(again.Stop(), 0);
}

// A failing feed whose host is held by another feed's Retry-After says so: its own reason's
// "next try" is put off by the hold (it named a time already past).
TEST(ServiceTest, AFailingFeedSaysItsHostIsHeld) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::HttpTestServer server;
  server.HandleStatic("/down.xml", testing::MakeResponse(500, "down"));
  server.HandleStatic("/busy.xml",
                      testing::MakeResponse(429, "slow down", {{"Retry-After", "3600"}}));
  TempDir dir;
  const std::string sock = dir.str() + "/admin.sock";
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, DaemonSection(dir, sock) +
                                 "[fetch]\nallow_private = true\n[politeness]\n"
                                 "startup_jitter = \"0s\"\nhost_spacing = \"0s\"\n"
                                 "[[feed]]\nid = \"down\"\nurl = \"" +
                                 server.Url("/down.xml") + "\"\n[[feed]]\nid = \"busy\"\nurl = \"" +
                                 server.Url("/busy.xml") + "\"\n");
  Service service(config, sock);
  ASSERT_TRUE(service.ready());
  std::string out;
  json down;
  for (int i = 0; i < 200; ++i) {
    service.Ctl("--json feeds show down", &out);
    down = json::parse(out, nullptr, false);
    if (server.RequestsFor("/busy.xml").size() == 1 &&
        down.dump().find("held until") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(down.dump().find("HTTP 500"), std::string::npos) << out;
  EXPECT_NE(down.dump().find("asked for it (Retry-After)"), std::string::npos) << out;
  EXPECT_EQ(service.Stop(), 0);
}

// Retention writes too: below the free-space reserve it writes nothing (a failed write would
// leave RocksDB to abort at the next sync) and ingest pauses, visibly, as for a commit.
TEST(ServiceTest, RetentionBelowTheFreeSpaceReservePausesIngest) {
  TempDir dir;
  const std::string sock = dir.str() + "/admin.sock";
  const std::string config = dir.str() + "/newsd.toml";
  const std::time_t month_ago = std::time(nullptr) - 30 * 86400;
  char published[32];
  std::strftime(published, sizeof published, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&month_ago));
  testing::WriteFile(dir.str() + "/old.jsonl",
                     std::string(R"({"id":"old1","source":"a","text":"The harbour of Aktau )") +
                         R"(reopened after the storm.","published":")" + published + "\"}\n");
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/old.jsonl --db " + dir.str() +
                           "/data 2>&1",
                       &out),
            0)
      << out;
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 sock +
                                 "\"\n[storage]\nretention = \"7d\"\nmin_free_mb = 16000000\n");
  // Its first retention pass comes 10 s after start: 0.5 s at 20 times the speed.
  const pid_t pid =
      Spawn({Bin("newsd"), "--config", config, "--log-level", "warn", "--time-scale", "20"}, {});
  ASSERT_GT(pid, 0);
  struct Reaper {  // stops it whatever fails below (it holds the test's output open)
    pid_t pid;
    ~Reaper() {
      if (pid > 0 && ::kill(pid, SIGTERM) == 0) ::waitpid(pid, nullptr, 0);
    }
  } reaper{pid};
  ASSERT_TRUE(WaitForSocket(sock, std::chrono::seconds(20)));
  json status = json::object();
  for (int i = 0; i < 200 && status.value("state", "") != "paused"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    out.clear();
    RunCommand(Bin("newsctl") + " --socket " + sock + " --json status", &out);
    status = json::parse(out, nullptr, false);
    if (!status.is_object()) status = json::object();
  }
  EXPECT_EQ(status.value("state", ""), "paused") << out;
  EXPECT_NE(out.find("retention"), std::string::npos) << out;
  EXPECT_NE(out.find("min_free_mb"), std::string::npos) << out;
  ::kill(pid, SIGTERM);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  reaper.pid = -1;
  EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) << wstatus;
  out.clear();
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export --format jsonl", &out),
            0);
  EXPECT_NE(out.find("\"old1\""), std::string::npos) << "retention removed it below the reserve";
}

// A second newsd given the socket another one answers on is refused before it opens its
// archive: a wrong start leaves nothing behind.
TEST(ServiceTest, ASecondDaemonOnTheSameSocketLeavesNoArchiveBehind) {
  TempDir dir;
  const std::string sock = dir.str() + "/admin.sock";
  auto config = [&](const std::string& name) {
    const std::string path = dir.str() + "/" + name + ".toml";
    testing::WriteFile(path, "[daemon]\ndata_dir = \"" + dir.str() + "/" + name +
                                 "\"\nadmin_socket = \"" + sock + "\"\n");
    return path;
  };
  Service first(config("first"), sock);
  ASSERT_TRUE(first.ready());
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --config " + config("second") + " 2>&1", &out), 1) << out;
  EXPECT_NE(out.find("another newsd uses it"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/second"));
  EXPECT_EQ(first.Stop(), 0);
}

// A metrics port another program holds refuses the start before the archive is made.
TEST(ServiceTest, ATakenMetricsPortLeavesNoArchiveBehind) {
  TempDir dir;
  const int holder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(holder, 1), 0);
  ASSERT_EQ(::getsockname(holder, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string metrics = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  const std::string path = dir.str() + "/newsd.toml";
  testing::WriteFile(path, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                               dir.str() + "/admin.sock\"\nmetrics = \"" + metrics + "\"\n");
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --config " + path + " 2>&1", &out), 1) << out;
  EXPECT_NE(out.find(metrics), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/data")) << out;
  ::close(holder);
}

// SIGHUP and `newsctl reload` apply the feed list's changes without a restart; a bad file is
// refused, said why, and the running feeds stay.
TEST(ServiceTest, ReloadAddsAndRemovesFeedsAndRefusesABadConfig) {
  TempDir dir;
  const std::string feeds = (testing::SourceDir() / "demo/feeds").string();
  const std::string sock = dir.str() + "/admin.sock";
  const std::string config = dir.str() + "/newsd.toml";
  const std::string head = "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                           sock + "\"\n[politeness]\nstartup_jitter = \"0s\"\n";
  auto feed = [&](const std::string& id, const std::string& file) {
    return "[[feed]]\nid = \"" + id + "\"\nurl = \"file://" + feeds + "/" + file + "\"\n";
  };
  testing::WriteFile(config, head + feed("region", "regionnews.xml"));
  NotifySocket notify(dir.str() + "/notify.sock");
  Service service(config, sock, {"NOTIFY_SOCKET=" + dir.str() + "/notify.sock"});
  ASSERT_TRUE(service.ready());
  ASSERT_EQ(service.WaitStories(3), 3u);
  auto feed_ids = [&] {
    std::string out;
    service.Ctl("--json feeds list", &out);
    std::vector<std::string> ids;
    json list = json::parse(out, nullptr, false);
    if (list.is_object()) {
      for (const json& f : list["feeds"]) ids.push_back(f["id"]);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  };

  // A feed added to the file: SIGHUP polls it without a restart.
  testing::WriteFile(config,
                     head + feed("region", "regionnews.xml") + feed("astana", "astanatimes.xml"));
  notify.Receive(std::chrono::milliseconds(50));  // drop the start-up messages
  ASSERT_EQ(::kill(service.pid(), SIGHUP), 0);
  // Its two items: one new story, one copy of the wire story the first feed has.
  EXPECT_EQ(service.WaitStories(4), 4u) << "the added feed was polled";
  EXPECT_EQ(feed_ids(), (std::vector<std::string>{"astana", "region"}));
  const std::string notes = notify.Receive(std::chrono::milliseconds(300));
  EXPECT_NE(notes.find("RELOADING=1"), std::string::npos) << notes;
  EXPECT_NE(notes.find("READY=1"), std::string::npos) << notes;

  // A bad file: refused with file:line, the running feeds stay.
  testing::WriteFile(config, head + feed("region", "regionnews.xml") + "interval = \"soon\"\n");
  std::string out;
  EXPECT_EQ(service.Ctl("reload --wait", &out), 1) << out;
  EXPECT_NE(out.find("reload refused"), std::string::npos) << out;
  EXPECT_NE(out.find("newsd.toml:"), std::string::npos) << out;
  EXPECT_EQ(feed_ids(), (std::vector<std::string>{"astana", "region"}));

  // A file cut short to nothing: refused, not read as "no feeds".
  testing::WriteFile(config, "# newsd\n\n");
  EXPECT_EQ(service.Ctl("reload", &out), 1) << out;
  EXPECT_NE(out.find("newsd.toml: the file is empty"), std::string::npos) << out;
  EXPECT_EQ(feed_ids(), (std::vector<std::string>{"astana", "region"}));

  // A data_dir the next start would refuse (a file): refused now, with its line.
  testing::WriteFile(dir.str() + "/afile", "");
  std::string unusable = head + feed("region", "regionnews.xml");
  unusable.replace(unusable.find("/data\""), 6, "/afile\"");
  testing::WriteFile(config, unusable);
  EXPECT_EQ(service.Ctl("reload", &out), 1) << out;
  EXPECT_NE(out.find("newsd.toml:2: "), std::string::npos) << out;
  EXPECT_NE(out.find("would not start"), std::string::npos) << out;
  EXPECT_EQ(feed_ids(), (std::vector<std::string>{"astana", "region"}));
  std::string lost = head + feed("region", "regionnews.xml");
  lost.replace(lost.find("/admin.sock"), 11, "/nodir/admin.sock");
  testing::WriteFile(config, lost);
  EXPECT_EQ(service.Ctl("reload", &out), 1) << out;
  EXPECT_NE(out.find("nodir does not exist (newsd would not start with it)"), std::string::npos)
      << out;
  // Refused by SIGHUP (systemctl reload, whose kill exits 0 whatever the outcome): status says
  // so until a reload is applied.
  testing::WriteFile(config, head + feed("region", "regionnews.xml") + "interval = \"soon\"\n");
  ASSERT_EQ(::kill(service.pid(), SIGHUP), 0);
  for (int i = 0; i < 100 && out.find("reload refused:") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    out.clear();
    service.Ctl("status", &out);
  }
  EXPECT_NE(out.find("reload refused: "), std::string::npos) << out;
  EXPECT_NE(out.find("newsd.toml:"), std::string::npos) << out;

  // A feed removed: forgotten at once; its stories stay in the archive.
  testing::WriteFile(config, head + feed("astana", "astanatimes.xml"));
  ASSERT_EQ(service.Ctl("--json reload", &out), 0) << out;
  json reloaded = json::parse(out, nullptr, false);
  EXPECT_EQ(reloaded["removed"], json::array({"region"})) << out;
  ASSERT_EQ(service.Ctl("--json status", &out), 0) << out;
  EXPECT_EQ(json::parse(out, nullptr, false).value("reload_refused", "?"), "") << out;
  EXPECT_EQ(feed_ids(), (std::vector<std::string>{"astana"}));
  EXPECT_EQ(service.WaitStories(4), 4u);

  // Another data_dir is a [daemon] key: that section, alone, waits for a restart.
  std::string moved = head + feed("astana", "astanatimes.xml");
  moved.replace(moved.find("/data\""), 6, "/data2\"");
  testing::WriteFile(config, moved);
  ASSERT_EQ(service.Ctl("--json reload", &out), 0) << out;
  reloaded = json::parse(out, nullptr, false);
  EXPECT_EQ(reloaded["restart_needed"], json::array({"[daemon]"})) << out;
  EXPECT_EQ(reloaded["restart_keys"], json::array({"[daemon] data_dir"})) << out;
  // `newsctl status` keeps saying so until the restart, naming the key.
  ASSERT_EQ(service.Ctl("--json status", &out), 0) << out;
  EXPECT_EQ(json::parse(out, nullptr, false)["restart_needed"], json::array({"[daemon]"})) << out;
  ASSERT_EQ(service.Ctl("status", &out), 0) << out;
  EXPECT_NE(out.find("restart needed: [daemon] data_dir changed in the configuration file"),
            std::string::npos)
      << out;
  // A log level is applied at once; what else changed is named key by key.
  std::string louder = moved;
  louder.replace(louder.find("[daemon]\n"), 9, "[daemon]\nlog_level = \"debug\"\n");
  louder += "[fetch]\ntimeout = \"45s\"\n";
  testing::WriteFile(config, louder);
  ASSERT_EQ(service.Ctl("reload", &out), 0) << out;
  EXPECT_NE(out.find("changed and applied now: [daemon] log_level"), std::string::npos) << out;
  EXPECT_NE(out.find("applied at the next start (systemctl restart newsd): [daemon] data_dir, "
                     "[fetch] timeout"),
            std::string::npos)
      << out;
  EXPECT_EQ(service.Stop(), 0);
}

// A reload that lengthens a feed's interval reschedules it: due the new interval after its last
// poll, and `feeds show` and `feeds list` both say so before its next poll.
TEST(ServiceTest, AReloadedLongerIntervalCountsFromTheLastPoll) {
  TempDir dir;
  const std::string feeds = (testing::SourceDir() / "demo/feeds").string();
  const std::string sock = dir.str() + "/admin.sock";
  const std::string config = dir.str() + "/newsd.toml";
  auto write = [&](const std::string& interval) {
    testing::WriteFile(config,
                       "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" + sock +
                           "\"\n[politeness]\nstartup_jitter = \"0s\"\nmin_interval = \"1m\"\n" +
                           "[[feed]]\n" + "id = \"region\"\nurl = \"file://" + feeds +
                           "/regionnews.xml\"\ninterval = \"" + interval + "\"\n");
  };
  write("3m");
  Service service(config, sock);
  ASSERT_TRUE(service.ready());
  ASSERT_EQ(service.WaitStories(3), 3u);
  auto shown = [&] {
    std::string out;
    service.Ctl("--json feeds show region", &out);
    const json show = json::parse(out, nullptr, false);
    return show.is_object() ? show["feed"] : json();
  };
  json before = shown();
  ASSERT_TRUE(before.is_object());
  auto time = [](const json& t) {
    return ParseIso8601(t.is_string() ? t.get<std::string>() : "").value_or(0);
  };
  const UnixSeconds last = time(before["last_fetch"]);
  ASSERT_GT(last, 0) << before;
  EXPECT_NEAR(time(before["next_fetch"]) - last, 180, 1) << before;  // later times round up

  write("20m");
  std::string out;
  ASSERT_EQ(service.Ctl("reload --wait", &out), 0) << out;
  const json after = shown();
  EXPECT_NEAR(time(after["next_fetch"]) - last, 1200, 1) << after;
  EXPECT_EQ(after["interval"], 1200) << after;
  EXPECT_EQ(after["interval_configured"], 1200) << after;
  service.Ctl("--json feeds list", &out);
  const json list = json::parse(out, nullptr, false);
  ASSERT_TRUE(list.is_object() && list["feeds"].size() == 1u) << out;
  EXPECT_EQ(list["feeds"][0]["interval"], 1200) << out;
  EXPECT_EQ(list["feeds"][0]["next_fetch"], after["next_fetch"]) << out;
  EXPECT_EQ(service.Stop(), 0);
}

// A reload's log_level reaches every module's log: the HTTP client's debug lines too.
TEST(ServiceTest, ReloadedLogLevelReachesTheFetcher) {
  TempDir dir;
  const std::string sock = dir.str() + "/admin.sock";
  const std::string config = dir.str() + "/newsd.toml";
  const std::string log = dir.str() + "/newsd.log";
  auto write = [&](const std::string& level) {
    testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() +
                                   "/data\"\nadmin_socket = \"" + sock + "\"\nlog_level = \"" +
                                   level +
                                   "\"\n[fetch]\nallow_private = true\n[politeness]\n"
                                   "startup_jitter = \"0s\"\nmin_interval = \"0s\"\n[[feed]]\n"
                                   "id = \"closed\"\nurl = \"http://127.0.0.1:1/feed.xml\"\n");
  };
  write("info");
  const pid_t pid =
      Spawn({"/bin/sh", "-c", "exec " + Bin("newsd") + " --config " + config + " 2>" + log}, {});
  ASSERT_GT(pid, 0);
  struct Reaper {  // stops it whatever fails below
    pid_t pid;
    ~Reaper() {
      if (pid > 0 && ::kill(pid, SIGTERM) == 0) ::waitpid(pid, nullptr, 0);
    }
  } reaper{pid};
  ASSERT_TRUE(WaitForSocket(sock, std::chrono::seconds(20)));
  auto wait_for = [&](const std::string& text) {
    for (int i = 0; i < 200; ++i) {
      if (testing::ReadFile(log).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  ASSERT_TRUE(wait_for("fetch failed")) << testing::ReadFile(log);  // the daemon's warning
  EXPECT_EQ(testing::ReadFile(log).find("fetch failed url="), std::string::npos);
  write("debug");
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock + " reload --wait 2>&1", &out), 0)
      << out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --socket " + sock + " feeds poll closed 2>&1", &out), 0)
      << out;
  EXPECT_TRUE(wait_for("fetch failed url=http://127.0.0.1:1/feed.xml")) << testing::ReadFile(log);
}

}  // namespace
}  // namespace newsd
