#pragma once

// The order `newsd import` takes a file's lines in: the file's own, or published order when
// the file is out of it by more than the dedup index can absorb.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "daemon/line_reader.h"

namespace newsd::daemon {

/// One non-blank line of an import file: where it is, and where it sorts.
struct PlannedLine {
  /// Its published time (as the import files it: core/article.h's EffectiveTime at `now`); a
  /// line without one, or unreadable, takes the time of the dated line above it, so it keeps
  /// its place among its neighbours.
  UnixSeconds time = 0;
  uint64_t offset = 0;  ///< The file offset of its first byte.
  uint64_t number = 0;  ///< Its line number in the file, from 1.
  uint32_t length = 0;  ///< Its bytes, up to the LineReader's max_line.
  bool cut = false;     ///< It is longer than max_line: only its start is read.
};

/// What a scan of an import file found.
struct ImportPlan {
  /// The non-blank lines in the order to take them; empty when the file's own order will do.
  std::vector<PlannedLine> lines;
  uint64_t total_lines = 0;  ///< The lines of the file, blank ones too (0: not scanned whole).
  /// The first line dated more than `late` before a line above it (0: none), that line's
  /// number, and both times: what the import says when it reorders.
  uint64_t late_line = 0, ahead_line = 0;
  UnixSeconds late_time = 0, ahead_time = 0;
  /// The file is out of order but has more than `max_lines` lines: taken in its own order.
  bool too_long = false;
};

/// Called every few thousand lines of a scan with the lines and bytes scanned so far; the
/// scan stops (Aborted) when it returns false.
using ScanProgress = std::function<bool(uint64_t lines, uint64_t bytes)>;

/// Reads all of `reader`'s input, which must be a regular file (LineReader::IsRegularFile),
/// noting each line's published time; then rewinds it. When a line is dated more than
/// `late_seconds` before a line above it (the dedup index would have let go of the items it
/// may copy), the plan holds every non-blank line sorted by time, stably (a file in order
/// within `late_seconds` is left as it is). Undated lines count at `now`, as the import files
/// them; a line whose id a line above it has too sorts right after that line, wherever its
/// own date would put it (the import keeps the first line of an id and skips the others, in
/// either order). At most `max_lines` non-blank lines are sorted (32 bytes each, and 16 more
/// while the scan finds the repeated ids); a longer file out
/// of order is left in its own order (`too_long`). IOError when reading fails, Aborted when
/// `progress` says stop.
Result<ImportPlan> PlanImport(LineReader& reader, UnixSeconds now, int64_t late_seconds,
                              size_t max_lines, const ScanProgress& progress);

/// Gives a plan's lines in its order, each read with pread(2) from the file `fd` (not owned).
/// Not thread-safe.
class PlannedLineReader {
 public:
  PlannedLineReader(int fd, std::string path, std::vector<PlannedLine> lines);
  /// The next line (valid until the next call) and its entry: true, or false after the last.
  /// IOError when the file no longer holds it (cut short since the scan) or reading fails.
  Result<bool> Next(std::string_view* line, const PlannedLine** entry);

 private:
  int fd_;
  std::string path_;
  std::vector<PlannedLine> lines_;
  size_t next_ = 0;
  std::string buffer_;
};

/// The lines an import takes, blank ones left out: in the file's own order from a LineReader,
/// or, once PlanOrder found a regular file out of published order, in published order. Not
/// thread-safe.
class ImportLines {
 public:
  explicit ImportLines(LineReader& reader) : reader_(reader) {}
  /// For a regular file: scans it (PlanImport, at most kMaxPlannedLines sorted) and, when it is
  /// out of order, takes its lines in published order from then on, saying so in the log (as
  /// `path`). Other input (a pipe, a terminal) is taken as it comes: nothing is done.
  Status PlanOrder(const std::string& path, UnixSeconds now, int64_t late_seconds,
                   const ScanProgress& progress);
  /// The next non-blank line (valid until the next call), its number in the file and whether
  /// it was cut (LineReader::LastLineCut): true, or false at the end. IOError when reading
  /// fails.
  Result<bool> Next(std::string_view* line, uint64_t* number, bool* cut);
  /// The lines read so far, blank ones too; once reordered, all of the file's.
  uint64_t lines() const { return lines_; }
  /// The lines are taken in published order (the file was out of it).
  bool reordered() const { return planned_ != nullptr; }
  /// Once reordered: the non-blank lines of the file.
  uint64_t planned_lines() const { return planned_count_; }
  /// How much of the input Next has given, in [0, 1] (for a progress line): of the planned
  /// lines once reordered, else of a regular file's bytes; negative for a pipe or a terminal.
  double Done() const;

  /// The most lines PlanOrder sorts: 128 MiB of PlannedLine (and 64 MiB more during its scan).
  static constexpr size_t kMaxPlannedLines = size_t{4} << 20;

 private:
  LineReader& reader_;
  std::unique_ptr<PlannedLineReader> planned_;
  uint64_t lines_ = 0;
  uint64_t planned_count_ = 0;
  uint64_t planned_given_ = 0;  // of planned_count_
  uint64_t read_to_ = 0;        // in file order: the offset after the last line given
  int64_t file_size_ = -1;      // a regular file's size when PlanOrder ran, else -1
};

}  // namespace newsd::daemon
