#include "daemon/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace newsd::daemon {

namespace {

/// True when stderr is the journal stream systemd connected (systemd.exec(5) JOURNAL_STREAM).
bool StderrIsJournal() {
  const char* env = std::getenv("JOURNAL_STREAM");
  if (!env) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(env, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st;
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  return st.st_dev == dev && st.st_ino == ino;
}

}  // namespace

void SetupLogging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("newsd");
  if (StderrIsJournal()) {
    // sd-daemon(3) priority prefixes are not a spdlog flag; the level name is kept instead
    // and journald stores the line at the stream's default priority.
    logger->set_pattern("%l: %v");
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace newsd::daemon
