#pragma once

// The TOML side of loading a configuration, shared by config.cc (LoadString) and the files
// that read the tables (read.cc) and check rules across keys (validate.cc). Not part of the
// module's API; only config/*.cc include it (toml++ stays inside config/).

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "config/config.h"
#include "core/status.h"

namespace newsd::config {

/// Collects the first error with its file:line.
class Checker {
 public:
  explicit Checker(std::string_view file) : file_(file) {}

  void Fail(const toml::source_region& where, const std::string& reason) {
    if (!status_.ok()) return;
    std::string msg = file_;
    if (where.begin.line > 0) msg += ":" + std::to_string(where.begin.line);
    status_ = Status::InvalidArgument(msg + ": " + reason);
  }
  bool ok() const { return status_.ok(); }
  Status status() const { return status_; }

 private:
  std::string file_;
  Status status_;
};

/// Reads the parsed file's tables into `cfg` (over its defaults); the first unknown key, wrong
/// type or bad value fails `c` and stops the reading.
void ReadRoot(const toml::table& root, Config& cfg, Checker& c);

// Rules across keys, each error pointing at the key the file sets (root: the parsed file).
Status Validate(const Config& cfg, std::string_view file, const toml::table& root);

}  // namespace newsd::config
