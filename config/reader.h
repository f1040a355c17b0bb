#pragma once

// The TOML side of loading a configuration, shared by config.cc (LoadString) and the files
// that read the tables (read.cc) and check rules across keys (validate.cc). Not part of the
// module's API; only config/*.cc include it (toml++ stays inside config/).

#include <toml++/toml.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/status.h"

namespace newsd::config {

/// Collects the errors of one file, each with its file:line, so that an operator fixes them
/// all in one go: in line order, up to kMaxErrors, one a line, then how many more there were.
class Checker {
 public:
  static constexpr size_t kMaxErrors = 20;

  explicit Checker(std::string_view file) : file_(file) {}

  void Fail(const toml::source_region& where, const std::string& reason) {
    errors_.emplace_back(where.begin.line, reason);
  }
  bool ok() const { return errors_.empty(); }
  /// Errors so far.
  size_t errors() const { return errors_.size(); }
  /// InvalidArgument with every error said, one a line, in line order (the tables are read
  /// in the order of their names); Ok when there was none.
  Status status() const {
    if (errors_.empty()) return Status::Ok();
    std::vector<std::pair<toml::source_index, std::string>> sorted = errors_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string message;
    for (size_t i = 0; i < sorted.size() && i < kMaxErrors; ++i) {
      if (!message.empty()) message += "\n";
      message += file_;
      if (sorted[i].first > 0) message += ":" + std::to_string(sorted[i].first);
      message += ": " + sorted[i].second;
    }
    if (sorted.size() > kMaxErrors) {
      message += "\n" + file_;
      message += ": " + std::to_string(sorted.size() - kMaxErrors) +
                 " more errors not shown: fix these first";
    }
    return Status::InvalidArgument(message);
  }

 private:
  std::string file_;
  std::vector<std::pair<toml::source_index, std::string>> errors_;  // (line, reason)
};

/// Reads the parsed file's tables into `cfg` (over its defaults). Each unknown key, wrong type
/// or bad value fails `c` and is skipped (its default stays), and the reading goes on so that
/// every such error is said; a feed with an error is left out of cfg.feeds.
void ReadRoot(const toml::table& root, Config& cfg, Checker& c);

// Rules across keys, each error pointing at the key the file sets (root: the parsed file).
Status Validate(const Config& cfg, std::string_view file, const toml::table& root);

}  // namespace newsd::config
