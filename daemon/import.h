#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "daemon/ingest.h"

namespace newsd::daemon {

struct ImportStats {
  uint64_t lines = 0;
  uint64_t bad_lines = 0;  ///< Not JSON, or missing id/text: logged and skipped.
  double seconds = 0;
};

/// Ingests a JSON Lines file of articles (`id`, `source`, `title`, `text`, `published` as
/// ISO-8601 or null; other fields ignored) through the same dedup → archive path as polling,
/// committing in groups. `path` "-" reads standard input. Shows progress on a terminal.
/// Returns NotFound/IOError when the file cannot be read or a commit fails; bad lines are not
/// fatal.
Result<ImportStats> ImportJsonl(const std::string& path, Ingestor& ingestor, UnixSeconds now);

}  // namespace newsd::daemon
