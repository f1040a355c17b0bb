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

/// Ingests a JSON Lines file of articles (`id`, `source`, `url`, `title`, `text`, `published`
/// as ISO-8601 or null; other fields ignored; see DecodeArticleLine) through the same dedup →
/// archive path as polling, in file order, committing in groups of 4096 articles. `path` "-"
/// reads standard input. Shows progress on a terminal (standard error), nothing when piped.
///
/// Runs two threads: a reader thread reads, decodes and tokenises lines (a bounded number
/// ahead) while the calling thread matches, stages and commits; both are done on return.
/// Tunes glibc malloc for large blocks (process-wide; meant for the import command).
/// Returns NotFound when the file cannot be opened, IOError when reading or a commit fails
/// (groups committed before stay); bad lines are logged (the first 10), counted, skipped.
Result<ImportStats> ImportJsonl(const std::string& path, Ingestor& ingestor, UnixSeconds now);

}  // namespace newsd::daemon
