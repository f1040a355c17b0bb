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
  /// items.export with "refresh": true first catches up with the writer (a read-only archive
  /// shows the state at open otherwise; the daemon always answers from its current state).
  virtual Result<nlohmann::json> Call(const std::string& cmd, const nlohmann::json& args) = 0;
};

/// Connects to the daemon's admin socket. Unavailable when nothing listens there.
Result<std::unique_ptr<Backend>> ConnectSocket(const std::string& path);

/// Whether an archive opened read-only (OpenDirect) answers `cmd`; the others need the daemon.
bool DirectlyAnswers(const std::string& cmd);

/// Opens the archive in `data_dir` read-only (safe while the daemon runs).
Result<std::unique_ptr<Backend>> OpenDirect(const std::string& data_dir);

}  // namespace newsd::newsctl
