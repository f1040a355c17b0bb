#pragma once

#include <string>

namespace newsd::daemon {

/// Says why newsd stops or refuses to start: logged as an error, and written to stderr
/// ("newsd: MESSAGE") when the log level hides errors, so a refusal is never silent.
void ReportFatal(const std::string& message);

/// Says what a batch command did (an import's or a reparse's summary, a poll round's): logged
/// at info, and written to stderr ("newsd: MESSAGE") when the log level hides info, so that
/// `log_level = "warn"` quiets the logs but not the command's answer ("off" silences both).
void ReportResult(const std::string& message);

/// Logs to stderr: "<N>"-prefixed lines when stderr is journald's stream (journald reads the
/// priority from the prefix), human-readable timestamped lines otherwise. `level` is one of
/// trace, debug, info, warn, error, off.
void SetupLogging(const std::string& level);

}  // namespace newsd::daemon
