#include "daemon/import.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

namespace newsd::daemon {

namespace {

constexpr size_t kGroupSize = 4096;  // articles per commit (group commit)
constexpr int kMaxLoggedBadLines = 10;

using Clock = std::chrono::steady_clock;

std::string StringField(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Decodes one line; InvalidArgument names what is wrong.
Result<Article> ParseLine(std::string_view line, UnixSeconds now) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Err(Status::InvalidArgument("not a JSON object"));
  Article a;
  a.id = StringField(j, "id");
  if (a.id.empty()) return Err(Status::InvalidArgument("missing \"id\""));
  a.source = StringField(j, "source");
  a.feed = a.source;
  a.url = StringField(j, "url");
  a.title = StringField(j, "title");
  a.text = StringField(j, "text");
  a.arrived = now;
  if (auto p = j.find("published"); p != j.end() && !p->is_null()) {
    a.published = p->is_string() ? ParseIso8601(p->get<std::string>()) : std::nullopt;
    if (!a.published) return Err(Status::InvalidArgument("\"published\" is not ISO-8601"));
  }
  return a;
}

class Progress {
 public:
  Progress() : tty_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()), last_(start_) {}
  void Update(uint64_t lines) {
    if (!tty_ || lines % 1024 != 0) return;
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    std::fprintf(stderr, "\rimporting: %llu articles (%.0f/s)   ",
                 static_cast<unsigned long long>(lines), lines / Seconds());
  }
  void Done() {
    if (tty_) std::fprintf(stderr, "\r\033[K");
  }
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  bool tty_;
  Clock::time_point start_, last_;
};

}  // namespace

Result<ImportStats> ImportJsonl(const std::string& path, Ingestor& ingestor, UnixSeconds now) {
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return Err(Status::NotFound(path + ": cannot open the import file"));
  }
  std::istream& in = path == "-" ? std::cin : file;
  ImportStats stats;
  Progress progress;
  std::string line;
  while (std::getline(in, line)) {
    ++stats.lines;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto article = ParseLine(line, now);
    if (!article) {
      if (++stats.bad_lines <= kMaxLoggedBadLines) {
        spdlog::warn("{}:{}: skipped: {}", path, stats.lines, article.error().message());
      }
      continue;
    }
    if (Status s = ingestor.Stage(*article); !s.ok()) return Err(s.WithContext(article->id));
    if (ingestor.pending() >= kGroupSize) {
      if (Status s = ingestor.Commit(); !s.ok()) return Err(s);
    }
    progress.Update(stats.lines);
  }
  if (in.bad()) return Err(Status::IOError(path + ": read error"));
  if (Status s = ingestor.Commit(); !s.ok()) return Err(s);
  progress.Done();
  stats.seconds = progress.Seconds();
  return stats;
}

}  // namespace newsd::daemon
