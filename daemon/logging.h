#pragma once

#include <string>

namespace newsd::daemon {

/// Logs to stderr: "<N>"-prefixed lines when stderr is journald's stream (journald reads the
/// priority from the prefix), human-readable timestamped lines otherwise. `level` is one of
/// trace, debug, info, warn, error, off.
void SetupLogging(const std::string& level);

}  // namespace newsd::daemon
