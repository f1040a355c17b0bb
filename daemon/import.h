#pragma once

#include <signal.h>

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "daemon/ingest.h"

namespace newsd::daemon {

/// Articles per commit (group commit): a failed import keeps the groups committed before.
/// 1024, not more: the last group or two are written after the last line is matched, with
/// nothing left to overlap them, so bigger groups lengthen every import's tail (the dev
/// corpus of 9,770 articles: 0.52 s with 4096, 0.41 s with 1024, 0.42 s with 256, where the
/// fsync per commit starts to show: 0.49 s with 128), and hold more memory.
inline constexpr size_t kImportGroupSize = 1024;

struct ImportStats {
  /// Lines read (blank ones too); when interrupted, up to the last one stored.
  uint64_t lines = 0;
  uint64_t bad_lines = 0;   ///< Not JSON, or missing id/text: logged and skipped.
  uint64_t cut_fields = 0;  ///< Titles and texts cut to max_field_bytes: logged, kept.
  double seconds = 0;
  /// The signal (SIGINT, SIGTERM) that stopped the import early; 0 when it read to the end.
  int interrupted = 0;
  /// Article lines taken (stored, skipped or refused) before the import ended.
  uint64_t taken = 0;
  /// The file was out of published order (ImportLines): its lines were taken in published
  /// order, and it has this many article lines; 0 when taken in the file's order.
  uint64_t reordered_of = 0;
  /// Articles filed at the import's time (core/article.h EffectiveTime): without a date (none,
  /// null, the epoch, a year before 1000), or dated more than kMaxPublishedAhead after it.
  uint64_t undated = 0;
  uint64_t dated_ahead = 0;
};

/// The limit feeds' fields have too ([parse] max_field_bytes' default).
inline constexpr size_t kDefaultImportFieldBytes = size_t{1} << 20;

/// Ingests a JSON Lines file of articles (`id`, `source`, `url`, `title`, `text`, `published`
/// as ISO-8601 or null; other fields ignored; see DecodeArticleLine) through the same dedup →
/// archive path as polling, in file order, committing in groups of kImportGroupSize articles.
/// A regular file is first scanned for its lines' times: when one is dated more than [dedup]
/// late before a line above it, its lines are taken in published order instead (the dedup
/// index keeps only a window behind the newest item; ImportLines), which is logged.
/// `path` "-" reads standard input. Shows progress on a terminal (standard error), nothing when
/// piped.
///
/// Runs a pipeline of threads: a reader thread reads, decodes and tokenises lines (a bounded
/// number ahead), the calling thread matches and stages them, and each full group is written
/// on a background thread (Ingestor::CommitInBackground; one group in flight, in file order)
/// while the next is staged. All are done on return; success means every group is committed.
/// Returns NotFound when the file cannot be opened, IOError when reading or a commit fails
/// (groups committed before stay); bad lines are logged (the first 10), counted, skipped.
/// A title or text longer than `max_field_bytes` is cut there (at a character boundary), as a
/// feed's would be; a line whose id is stored already is skipped. Both are logged with their
/// line numbers (the first 10 of each; then how many more there were).
/// While an ImportSignals lives, SIGINT or SIGTERM stops it after the chunk of lines being
/// staged, which is committed (`interrupted` says which): running the same import again
/// finishes it.
Result<ImportStats> ImportJsonl(const std::string& path, Ingestor& ingestor, UnixSeconds now,
                                size_t max_field_bytes = kDefaultImportFieldBytes);

/// The reading side of ImportJsonl on its own, to start before the archive opens: its thread
/// reads, decodes and tokenises the first lines (up to a bounded number) while the archive is
/// opened or created, which takes a new archive about 16 ms. Destruction stops the thread and
/// waits for it, which lasts until its current read returns: on a pipe or a terminal, until
/// more input comes. So start one early on a regular file only.
class ImportReader {
 public:
  /// Opens `path` ("-": standard input) and starts reading it; NotFound when it cannot be
  /// opened. `dedup` must be the options of the Ingestor that ImportJsonl is given.
  static Result<std::unique_ptr<ImportReader>> Start(const std::string& path,
                                                     const dedup::Options& dedup, UnixSeconds now,
                                                     size_t max_field_bytes);
  ~ImportReader();
  ImportReader(const ImportReader&) = delete;
  ImportReader& operator=(const ImportReader&) = delete;

 private:
  struct State;
  explicit ImportReader(std::unique_ptr<State> state);
  friend Result<ImportStats> ImportJsonl(ImportReader& reader, Ingestor& ingestor);
  std::unique_ptr<State> state_;
};

/// ImportJsonl over a started reader: stages and commits what it reads. Call once per reader.
Result<ImportStats> ImportJsonl(ImportReader& reader, Ingestor& ingestor);

/// SIGINT, SIGTERM and SIGHUP (the terminal went away) ask ImportJsonl to stop (between chunks
/// of lines, or while standard input waits for more), from construction on:
/// make one before the archive opens, so that a signal during the open stops the import
/// cleanly rather than ending the process. Once only: the handler is reset, so a second signal
/// ends the process at once. SIGPIPE is ignored from then on (a log piped to `head`). The
/// former handlers are restored on destruction. One at a time per process.
class ImportSignals {
 public:
  ImportSignals();
  ~ImportSignals();
  ImportSignals(const ImportSignals&) = delete;
  ImportSignals& operator=(const ImportSignals&) = delete;
  /// The signal received since the live ImportSignals was made; 0 if none (or none lives).
  static int Received();

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_hup_ {};
};

/// Tunes the process's heap for a large ImportJsonl (TuneHeapForImport: freed memory kept,
/// huge pages where this machine faults them in for less) and logs the page size chosen.
/// Process-wide, not undone: call once at the start of the import command, before any thread
/// starts (opening the archive starts RocksDB's).
void PrepareProcessForImport();

}  // namespace newsd::daemon
