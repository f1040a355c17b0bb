#pragma once

#include <cstdint>
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

/// How long a Call waits for the daemon's answer unless told otherwise.
inline constexpr int64_t kDefaultTimeoutSeconds = 60;

/// What the "newsd is not running" error of ConnectSocket says next, before the service's
/// data_dir (NotRunningMessage); newsctl replaces the rest of the message from here for the
/// commands --db cannot answer.
inline constexpr char kStartOrReadHint[] = "; start it, or read the archive with --db DATA_DIR";

/// The configuration file the packaged service runs with.
inline constexpr char kServiceConfig[] = "/etc/newsd/newsd.toml";

/// The "newsd is not running" error's message for admin socket `socket` (`why`: what
/// connecting to it said), ending with kStartOrReadHint and the service's data_dir as
/// `service_config` gives it when this user may read that file: the one it sets (relative
/// paths from /, the service's directory; also its admin_socket when that is not `socket`),
/// or the default; when the file does not load (what keeps the service from starting), why.
/// Without the file, /var/lib/newsd, saying that the file is not there (or not readable). A
/// data_dir that does not exist is said to be so.
std::string NotRunningMessage(const std::string& socket, const std::string& why,
                              const std::string& service_config);

/// Connects to the daemon's admin socket. Unavailable when nothing listens there (its message
/// from NotRunningMessage). Each Call waits at most `timeout_seconds` for its answer (0: no
/// limit; -1: kDefaultTimeoutSeconds, except for archive.backup and feeds.reparse, which have
/// none), then fails with Unavailable.
Result<std::unique_ptr<Backend>> ConnectSocket(const std::string& path,
                                               int64_t timeout_seconds = -1);

/// Whether an archive opened read-only (OpenDirect) answers `cmd`; the others need the daemon.
bool DirectlyAnswers(const std::string& cmd);

/// Opens the archive in `data_dir` read-only (safe while the daemon runs).
Result<std::unique_ptr<Backend>> OpenDirect(const std::string& data_dir);

}  // namespace newsd::newsctl
