// `newsd import FILE --db DATA_DIR`: a batch import of JSON Lines articles, with the checks
// of its input before the archive is opened and the report after it is closed.
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "core/clock.h"
#include "core/plural.h"
#include "core/time.h"
#include "daemon/daemon.h"
#include "daemon/heap.h"
#include "daemon/import.h"
#include "daemon/logging.h"
#include "daemon/main_modes.h"
#include "storage/archive.h"

namespace newsd::daemon {

namespace {

/// Why `file` cannot be imported as it is (a compressed file), or "" when it may be.
std::string CompressedInput(const std::string& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) return "";
  unsigned char head[4] = {};
  const size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  struct Magic {
    const char* bytes;
    size_t size;
    const char* tool;
  };
  static constexpr Magic kMagics[] = {{"\x1f\x8b", 2, "zcat"},
                                      {"\xfd"
                                       "7zX",
                                       4, "xzcat"},
                                      {"\x28\xb5\x2f\xfd", 4, "zstdcat"},
                                      {"BZh", 3, "bzcat"}};
  for (const Magic& m : kMagics) {
    if (n >= m.size && std::memcmp(head, m.bytes, m.size) == 0) {
      std::string why = "import: " + file;
      why += " is compressed: decompress it on the way in (";
      why += m.tool;
      why += " " + file +
             " | newsd import - --db DATA_DIR; a pipe is taken in its own order, so a file not "
             "in published order is better decompressed to a file first); nothing done";
      return why;
    }
  }
  return "";
}

/// The import's closing lines: what was stored, and what to do when that is not everything.
int ReportImport(const ImportStats& stats, const IngestStats& in) {
  const uint64_t read = in.new_stories + in.copies + in.duplicates;
  if (stats.interrupted != 0) {
    const bool reordered = stats.reordered_of > 0;
    const uint64_t at = reordered ? stats.taken : stats.lines;
    const std::string where =
        at == 0     ? "before its first line"
        : reordered ? fmt::format("after {} of its {} article lines (taken in published order)", at,
                                  stats.reordered_of)
                    : fmt::format("after line {}", at);
    const std::string what = in.new_stories + in.copies == 0 ? "nothing stored"  // bad lines only
                             : reordered                     ? "those are stored"
                                         : fmt::format("lines 1 to {} are stored", at);
    spdlog::warn("import interrupted by signal {} {}: {}{}", stats.interrupted, where, what,
                 at == 0 ? "" : "; run the same import again to finish (stored lines are skipped)");
    return 128 + stats.interrupted;
  }
  if (read == 0 && stats.bad_lines == 0) {
    spdlog::warn("import: the input had no article lines: nothing stored");
  }
  if (stats.bad_lines > 0 && read == 0) {
    return FailWith(
        kExitFailure,
        (stats.bad_lines == 1
             ? std::string("import: its one line could not be read")
             : "import: none of the " + std::to_string(stats.bad_lines) + " lines could be read") +
            " (see the errors above): nothing stored. Is the file JSON Lines, one "
            "article object per line?");
  }
  return kExitOk;
}

/// The articles an import filed at its own time, for its summary: "" when none.
std::string FiledAtImport(const ImportStats& stats) {
  std::string said;
  if (stats.undated > 0) {
    said += fmt::format("; {} without a usable date", stats.undated);
  }
  if (stats.dated_ahead > 0) {
    said += fmt::format("; {} dated more than a day after the import", stats.dated_ahead);
  }
  if (!said.empty()) said += " (filed at the import's time)";
  return said;
}

/// Why `file` (- for stdin) cannot be imported, or "" when it may be.
std::string UnusableInput(const std::string& file) {
  if (file == "-" && ::fcntl(STDIN_FILENO, F_GETFD) == -1) {
    // Else the archive's first file would take descriptor 0 and be read as the input.
    return "import: standard input is closed: give a file, or pipe one in";
  }
  if (file != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
      return "import: " + file + " is a directory: give a JSON Lines file, or - for stdin";
    }
    if (::access(file.c_str(), R_OK) != 0) {
      return "import: cannot read " + file + ": " + std::strerror(errno) + " (nothing done)";
    }
    if (std::string why = CompressedInput(file); !why.empty()) return why;
  }
  return "";
}

/// What ImportAndClose did to the archive.
struct ImportTouched {
  bool opened = false;     ///< It opened (so created, if it was not there) the archive.
  bool committed = false;  ///< It wrote a group of lines.
  bool held_items = true;  ///< The archive held item ids when the import ended (or could not tell).
};

/// The import command up to the archive's close.
int ImportAndClose(const config::Config& config, const std::string& file, ImportTouched* touched) {
  PrepareProcessForImport();
  const ImportSignals signals;  // Ctrl-C while the archive opens stops the import too
  // A batch job: spend RAM on each indexed item's band fragments so that expiry does not sign
  // it again (dedup::Options::keep_band_fragments).
  newsd::dedup::Options dedup = config.dedup;
  dedup.keep_band_fragments = true;
  const newsd::UnixSeconds now = newsd::SystemClock().NowSeconds();
  std::unique_ptr<ImportReader> reader;
  auto start_reading = [&]() -> std::string {
    auto started = ImportReader::Start(file, dedup, now, config.parse.max_field_bytes);
    if (!started) return started.error().ToString();
    reader = std::move(*started);
    return "";
  };
  // A regular file is read while the archive opens (its first lines tokenised meanwhile). A
  // pipe or a terminal is read only once the archive is open: should the open fail, a reader
  // blocked on one would hold the exit until more input came.
  struct stat input {};
  if (file != "-" && ::stat(file.c_str(), &input) == 0 && S_ISREG(input.st_mode)) {
    if (std::string why = start_reading(); !why.empty()) return FailWith(kExitFailure, why);
  }
  auto archive = storage::OpenArchive(config.storage);
  if (!archive) return FailWith(kExitFailure, archive.error().ToString());
  touched->opened = true;
  Ingestor ingestor(**archive, dedup);
  struct NoteCommits {  // on every return, before the archive closes: what it holds now
    const Ingestor& ingestor;
    storage::Archive& archive;
    ImportTouched* touched;
    ~NoteCommits() {
      touched->committed = ingestor.stats().commits > 0;
      // Another process's archive, made and filled between the check that none was there and
      // this open, holds items: never removed.
      auto none = archive.HoldsNoItemIds();
      touched->held_items = !none || !*none;
    }
  } note{ingestor, **archive, touched};
  // A signal while the archive opened, or while its index is read back: nothing is read.
  auto stopped = [] {
    const int signo = ImportSignals::Received();
    if (signo != 0) {
      spdlog::warn("import interrupted by signal {} before its first line: nothing stored", signo);
    }
    return signo == 0 ? 0 : 128 + signo;
  };
  if (int code = stopped(); code != 0) return code;
  if (auto s = ingestor.Restore(); !s.ok()) return FailWith(kExitFailure, s.ToString());
  if (int code = stopped(); code != 0) return code;
  // What the archive's index held before this import (from earlier imports or polls).
  const newsd::UnixSeconds held_before = ingestor.expired_below();
  if (!reader) {
    if (std::string why = start_reading(); !why.empty()) return FailWith(kExitFailure, why);
  }
  auto stats = ImportJsonl(*reader, ingestor);
  if (!stats) {
    // Groups are committed whole as they fill: those before the failure are stored.
    const auto& in = ingestor.stats();
    return FailWith(kExitFailure,
                    "import failed: " + stats.error().ToString() + " -- " +
                        newsd::Counted(in.commits, "group", "groups") + " of up to " +
                        std::to_string(kImportGroupSize) +
                        " articles were stored before it; fix the cause and run the same import "
                        "again (stored lines are skipped)");
  }
  const auto& in = ingestor.stats();
  if (in.late > 0) {
    // Why, as far as it is known: the archive held newer items (nothing to do about that but
    // know it is slower), or a pipe brought lines out of order (a file is sorted first).
    const std::string held =
        held_before == INT64_MIN
            ? ""
            : fmt::format(
                  " (the archive already held items up to {}, from earlier imports or "
                  "polls)",
                  newsd::FormatIso8601(held_before + dedup.kept_seconds()));
    spdlog::warn(
        "{} dated more than [dedup] window before lines read ahead of them, or before what "
        "the archive held{}: the dedup index had already let go of the items they may copy, "
        "so each was compared with the archive's items of its days as well ({} found a copy "
        "there), read back and fingerprinted again, which is slower; nothing was missed.{}",
        newsd::Counted(in.late, "line was", "lines were"), held, in.archive_copies,
        file == "-" || !S_ISREG(input.st_mode)
            ? " Import from a file, not a pipe, to have the lines taken in published order"
            : "");
  }
  // Interrupted while taking a file in published order: the lines taken, not those read ahead.
  const bool cut_in_order = stats->interrupted != 0 && stats->reordered_of > 0;
  const uint64_t done = cut_in_order ? stats->taken : stats->lines;
  ReportResult(
      fmt::format("imported {} in {:.2f}s ({:.0f}/s): {}, {}, "
                  "{} already seen (stored, or removed by retention and remembered), {}{}",
                  cut_in_order ? fmt::format("{} of {} article lines", done, stats->reordered_of)
                               : newsd::Counted(done, "line", "lines"),
                  stats->seconds, static_cast<double>(done) / std::max(stats->seconds, 1e-9),
                  newsd::Counted(in.new_stories, "new story", "new stories"),
                  newsd::Counted(in.copies, "copy", "copies"), in.duplicates,
                  newsd::Counted(stats->bad_lines, "bad line", "bad lines"),
                  stats->cut_fields > 0
                      ? fmt::format(", {} cut to [parse] max_field_bytes", stats->cut_fields)
                      : "") +
      FiledAtImport(*stats));
  return ReportImport(*stats, in);
}

}  // namespace

int RunImport(const config::Config& config, const std::string& file) {
  // The input first: a mistyped file name must not leave a new, empty archive behind.
  if (std::string why = UnusableInput(file); !why.empty()) return FailWith(kExitFailure, why);
  namespace fs = std::filesystem;
  const fs::path dir = config.storage.data_dir;
  std::error_code ec;
  const bool existed = fs::exists(dir, ec) || ec;
  const bool was_empty_dir = existed && !ec && fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
  ImportTouched touched;
  const int code = ImportAndClose(config, file, &touched);
  // Nor may an import that ended before storing anything (an empty file, no line readable, a
  // pipe of garbage, Ctrl-C): the archive it created holds nothing. Only one it opened itself:
  // a failed open may be another process's archive, made a moment before. A directory that
  // was there, empty, is emptied again.
  if ((!existed || was_empty_dir) && touched.opened && !touched.committed && !touched.held_items) {
    uintmax_t removed = 0;
    if (!existed) {
      removed = fs::remove_all(dir, ec);
    } else {
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code one;
        removed += fs::remove_all(it->path(), one);
      }
    }
    if (removed > 0) {
      ReportResult(std::string("removed the archive this import created: nothing was stored in "
                               "it") +
                   (existed ? " (its directory, empty before, is left)" : ""));
    }
  }
  return code;
}

}  // namespace newsd::daemon
