// End to end: newsctl and a daemon that is not running, stopping, hung or gone.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>

#include "tests/support/test_util.h"

namespace newsd {
namespace {

using nlohmann::json;
using testing::Bin;
using testing::RunCommand;
using testing::TempDir;

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

}  // namespace
}  // namespace newsd
