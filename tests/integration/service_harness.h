#pragma once

// newsd started as a service for a test: its admin socket, newsctl against it, SIGTERM.

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_util.h"

namespace newsd::testing {

/// One of the bundled demo feeds (demo/feeds/NAME), whole.
inline std::string ReadDemoFeed(const std::string& name) {
  return ReadFile(SourceDir() / "demo/feeds" / name);
}

/// newsd --config CONFIG, ready once its admin socket `sock` accepts connections; stopped with
/// SIGTERM.
class Service {
 public:
  Service(const std::string& config, const std::string& sock,
          const std::vector<std::string>& env = {})
      : sock_(sock) {
    pid_ = Spawn({Bin("newsd"), "--config", config, "--log-level", "warn"}, env);
    ready_ = pid_ > 0 && WaitForSocket(sock, std::chrono::seconds(20));
  }
  ~Service() { Stop(); }
  bool ready() const { return ready_; }
  pid_t pid() const { return pid_; }
  /// Exit status of newsd after SIGTERM (-1 when not running).
  int Stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int wstatus = 0;
    ::waitpid(pid_, &wstatus, 0);
    pid_ = -1;
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
  }
  /// newsctl `args` against the service; its exit status, its stdout in *out.
  int Ctl(const std::string& args, std::string* out) const {
    out->clear();
    return RunCommand(Bin("newsctl") + " --socket " + sock_ + " " + args + " 2>&1", out);
  }
  /// Stories listed by the service, polling until there are at least `n` (or 10 s passed).
  size_t WaitStories(size_t n) const {
    std::string out;
    size_t count = 0;
    for (int i = 0; i < 200 && count < n; ++i) {
      if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      Ctl("--json stories recent", &out);
      nlohmann::json recent = nlohmann::json::parse(out, nullptr, false);
      count = recent.is_object() ? recent["stories"].size() : 0;
    }
    return count;
  }

 private:
  std::string sock_;
  pid_t pid_ = -1;
  bool ready_ = false;
};

}  // namespace newsd::testing
