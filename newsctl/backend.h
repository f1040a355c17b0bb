#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace newsd::newsctl {

/// Where newsctl's questions go: the running daemon over its admin socket, or an archive
/// opened read-only (--db). Both answer the admin protocol's commands with the same JSON.
class Backend {
 public:
  virtual ~Backend() = default;
  /// Runs one command; the Status code says what failed (Unavailable: daemon not running,
  /// NotFound: no such object).
  virtual Result<nlohmann::json> Call(const std::string& cmd, const nlohmann::json& args) = 0;
  /// Streams every item as an export line (JSONL) to `emit`.
  virtual Status Export(const std::function<void(const nlohmann::json&)>& emit) = 0;
};

/// Connects to the daemon's admin socket. Unavailable when nothing listens there.
Result<std::unique_ptr<Backend>> ConnectSocket(const std::string& path);

/// Opens the archive in `data_dir` read-only (safe while the daemon runs).
Result<std::unique_ptr<Backend>> OpenDirect(const std::string& data_dir);

}  // namespace newsd::newsctl
