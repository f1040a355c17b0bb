// The admin socket under abuse: strangers refused, malformed, oversized and slow requests
// answered or dropped, a connection flood bounded, and the daemon unharmed throughout.
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/service_harness.h"
#include "tests/support/test_util.h"

namespace newsd {
namespace {

using nlohmann::json;
using testing::Service;
using testing::TempDir;

/// A raw client of the admin socket.
class Client {
 public:
  explicit Client(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    error_ = connected_ ? 0 : errno;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }
  int error() const { return error_; }
  bool Send(const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  /// One reply line parsed ("null" JSON when the connection closed or timed out first).
  json Reply() {
    for (;;) {
      if (size_t nl = in_.find('\n'); nl != std::string::npos) {
        std::string line = in_.substr(0, nl);
        in_.erase(0, nl + 1);
        return json::parse(line, nullptr, false);
      }
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return json();
      in_.append(buf, static_cast<size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  int error_ = 0;
  std::string in_;
};

std::string StatusRequest(int id) {
  return R"({"v":1,"id":)" + std::to_string(id) + R"(,"cmd":"status","args":{}})" + "\n";
}

/// Runs `fn` in a child process as nobody:nogroup (no supplementary groups); its exit code.
template <class Fn>
int AsNobody(Fn fn) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) _exit(99);
    _exit(fn());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class AdminAbuseTest : public ::testing::Test {
 protected:
  AdminAbuseTest() {
    ::chmod(dir_.str().c_str(), 0755);  // only the socket's own mode decides who connects
    testing::WriteFile(config_, "[daemon]\ndata_dir = \"" + dir_.str() +
                                    "/data\"\nadmin_socket = \"" + sock_ + "\"\n");
  }
  TempDir dir_;
  const std::string sock_ = dir_.str() + "/admin.sock";
  const std::string config_ = dir_.str() + "/newsd.toml";
};

TEST_F(AdminAbuseTest, MalformedOversizedAndUnknownRequestsGetErrorsAndTheDaemonGoesOn) {
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  struct stat st {};
  ASSERT_EQ(::stat(sock_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660u) << "the socket is owner and group only";

  Client client(sock_);
  ASSERT_TRUE(client.connected());
  for (const std::string& bad :
       {std::string("not json\n"), std::string("[1,2,3]\n"),
        std::string("{\"v\":99,\"cmd\":\"status\"}\n"),
        std::string(R"({"v":1,"id":5,"cmd":"rm -rf /"})") + "\n",
        std::string(R"({"v":1,"id":6,"cmd":"stories.show","args":{"id":7}})") + "\n",
        // Arguments of the wrong type used to throw out of the event loop: the daemon died.
        std::string(R"({"v":1,"id":10,"cmd":"items.export","args":{"limit":"500"}})") + "\n",
        std::string(R"({"v":1,"id":11,"cmd":"search","args":{"text":5}})") + "\n",
        std::string(R"({"v":1,"id":12,"cmd":"feeds.show","args":{"id":5}})") + "\n",
        std::string(R"({"v":1,"id":13,"cmd":"archive.backup","args":{"dir":[]}})") + "\n",
        // Nesting 150,000 deep (300 KB) overflowed the daemon's stack.
        R"({"v":1,"id":14,"cmd":"status","args":{"a":)" + std::string(150000, '[') +
            std::string(150000, ']') + "}}\n",
        std::string("\x00\xff\xfe\n", 4)}) {
    ASSERT_TRUE(client.Send(bad));
    const json reply = client.Reply();
    ASSERT_TRUE(reply.is_object()) << "no reply to " << bad;
    EXPECT_EQ(reply["ok"], false) << bad;
    EXPECT_FALSE(reply["error"]["message"].get<std::string>().empty()) << bad;
  }
  // A request refused before it ran is still answered under its own id.
  ASSERT_TRUE(client.Send(R"({"v":2,"id":21,"cmd":"status"})" + std::string("\n")));
  EXPECT_EQ(client.Reply()["id"], 21);
  ASSERT_TRUE(client.Send(R"({"v":1,"id":22,"args":{}})" + std::string("\n")));
  EXPECT_EQ(client.Reply()["id"], 22);
  // The same connection still works.
  ASSERT_TRUE(client.Send(StatusRequest(8)));
  EXPECT_EQ(client.Reply()["ok"], true);

  // A line over the 1 MiB limit: an error reply, then the connection is closed.
  Client big(sock_);
  ASSERT_TRUE(big.connected());
  big.Send(std::string(2u << 20, 'x'));
  const json refused = big.Reply();
  ASSERT_TRUE(refused.is_object());
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("too long"), std::string::npos);
  EXPECT_TRUE(big.Reply().is_null()) << "closed after an oversized line";

  // A slow client dribbling its request does not hold others up.
  Client slow(sock_);
  ASSERT_TRUE(slow.connected());
  const std::string request = StatusRequest(9);
  slow.Send(request.substr(0, 10));
  const auto before = std::chrono::steady_clock::now();
  std::string out;
  EXPECT_EQ(service.Ctl("status", &out), 0) << out;
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
  slow.Send(request.substr(10));
  EXPECT_EQ(slow.Reply()["ok"], true) << "the slow request is answered once complete";
  EXPECT_EQ(service.Stop(), 0);
}

TEST_F(AdminAbuseTest, AFloodOfIdleConnectionsIsBoundedAndRecovers) {
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 64; ++i) {
    idle.push_back(std::make_unique<Client>(sock_));
    ASSERT_TRUE(idle.back()->connected());
  }
  // Make sure the daemon accepted them all before the next one.
  ASSERT_TRUE(idle.back()->Send(StatusRequest(1)));
  ASSERT_EQ(idle.back()->Reply()["ok"], true);
  Client extra(sock_);
  ASSERT_TRUE(extra.connected());
  const json refused = extra.Reply();
  ASSERT_TRUE(refused.is_object());
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("too many"), std::string::npos);
  // newsctl says so too (exit 3), not "lost connection", as if newsd had gone away: the
  // refusal may come and the connection close before the request is written.
  std::string out;
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(service.Ctl(i % 2 == 0 ? "status" : "--json status", &out), 3) << out;
    EXPECT_NE(out.find("too many admin connections"), std::string::npos) << out;
  }
  idle.clear();
  int rc = 1;
  for (int i = 0; i < 50 && rc != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    rc = service.Ctl("status", &out);
  }
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(service.Stop(), 0);
}

TEST_F(AdminAbuseTest, AClientOutsideTheServiceGroupIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to become another user";
  Service service(config_, sock_);
  ASSERT_TRUE(service.ready());
  // The socket's mode refuses the connection itself.
  EXPECT_EQ(AsNobody([&] {
              Client c(sock_);
              return c.connected() ? 1 : (c.error() == EACCES ? 0 : 2);
            }),
            0);
  // With the file opened up by mistake, the daemon still refuses the stranger.
  ASSERT_EQ(::chmod(sock_.c_str(), 0666), 0);
  EXPECT_EQ(AsNobody([&] {
              Client c(sock_);
              if (!c.connected()) return 2;
              c.Send(StatusRequest(1));
              const json reply = c.Reply();
              return reply.is_object() && reply["ok"] == false &&
                             reply["error"]["code"] == "PermissionDenied"
                         ? 0
                         : 1;
            }),
            0);
  std::string out;
  EXPECT_EQ(service.Ctl("status", &out), 0) << out;
  EXPECT_EQ(service.Stop(), 0);
}

}  // namespace
}  // namespace newsd
