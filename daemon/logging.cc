#include "daemon/logging.h"

#include <spdlog/sinks/sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "core/redact.h"

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

/// Hands every line to `inner` with the passwords of the URLs in it masked (core/redact.h):
/// feed URLs with credentials reach log lines from many places (fetch errors, redirects,
/// RocksDB never), and the journal is readable by more people than the configuration.
class RedactingSink final : public spdlog::sinks::sink {
 public:
  explicit RedactingSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}

  void log(const spdlog::details::log_msg& msg) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    if (payload.find("://") == std::string_view::npos) return inner_->log(msg);
    const std::string redacted = RedactPasswords(payload);
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(redacted.data(), redacted.size());
    inner_->log(copy);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

}  // namespace

void ReportFatal(const std::string& message) {
  if (spdlog::should_log(spdlog::level::err)) {
    spdlog::error("{}", message);
  } else {
    std::fprintf(stderr, "newsd: %s\n", message.c_str());
  }
}

void ReportResult(const std::string& message) {
  if (spdlog::should_log(spdlog::level::info)) {
    spdlog::info("{}", message);
  } else if (spdlog::get_level() != spdlog::level::off) {
    std::fprintf(stderr, "newsd: %s\n", message.c_str());
  }
}

void SetupLogging(const std::string& level) {
  auto sink = std::make_shared<RedactingSink>(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  auto logger = std::make_shared<spdlog::logger>("newsd", std::move(sink));
  if (StderrIsJournal()) {
    // sd-daemon(3) priority prefixes are not a spdlog flag; the level name is kept instead
    // and journald stores the line at the stream's default priority.
    logger->set_pattern("%l: %v");
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  spdlog::set_default_logger(logger);
  // Each module's named logger writes through the same sink; registered, so that
  // spdlog::set_level (a reload's log_level) reaches them too.
  for (const char* module : {"fetchers", "storage"}) {
    spdlog::drop(module);
    spdlog::register_logger(logger->clone(module));
  }
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace newsd::daemon
