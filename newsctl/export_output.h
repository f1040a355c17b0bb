#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace newsd::newsctl {

/// Why ExportOutput::Flush stopped, and exactly what of the export reached the output.
struct ExportWriteFailure {
  int error = 0;  ///< errno of the write that failed (ENOSPC: the disk is full)
  /// The cursor of the last line written whole: resumes right after it. "" when no line was
  /// written whole by this ExportOutput.
  std::string cursor;
  uint64_t lines = 0;      ///< lines written whole by this ExportOutput, in all
  uint64_t cut_bytes = 0;  ///< bytes of the next line that reached the output (0: none)
  /// Those bytes were truncated away (the output is a regular file ending with them), so the
  /// output ends with a whole line.
  bool cut_removed = false;
  /// Every write worked, and forcing them to disk (ExportOutput::Sync) failed: which of the
  /// lines written are on disk is not known.
  bool at_sync = false;
};

/// The lines of an export on a file descriptor (standard output), written a page at a time
/// with write(2), not through a stream buffer, so that it is known exactly which lines
/// reached the output whole when a write fails (a full disk) part-way. Not thread-safe.
class ExportOutput {
 public:
  /// write(2)'s signature; tests pass one that fails part-way.
  using WriteFn = std::function<ssize_t(int fd, const void* data, size_t size)>;
  /// fsync(2)'s signature; tests pass one that fails.
  using SyncFn = std::function<int(int fd)>;

  explicit ExportOutput(int fd, WriteFn write = {}, SyncFn sync = {});

  /// Adds `line` (one JSON document, no newline) and a newline to the page; `cursor` is the
  /// one that resumes after it.
  void Add(const std::string& line, std::string cursor);

  /// Writes the page and empties it. On a failed write: what reached the output whole, and
  /// the next line's part that did, removed when the output is a regular file ending with
  /// it (else it stays: ExportWriteFailure::cut_removed is false).
  std::optional<ExportWriteFailure> Flush();

  /// At the end of an export, after the last Flush: forces what was written to disk (fsync)
  /// when the output is a regular file, so that an export that ends well is stored, not just
  /// handed to the kernel. Other outputs are synced too (a block device), except that their
  /// EINVAL or ENOTSUP (a pipe, a terminal, /dev/null: nothing to sync) is no failure. On
  /// failure (EIO; ENOSPC or EDQUOT where space is taken only then, as on NFS): its errno,
  /// the lines written and the last one's cursor, with ExportWriteFailure::at_sync set. A
  /// sync a signal interrupts (EINTR) is made again.
  std::optional<ExportWriteFailure> Sync();

  uint64_t lines() const { return lines_; }

 private:
  ssize_t Write(const char* data, size_t size);
  bool RemoveCut(uint64_t cut_bytes);

  int fd_;
  WriteFn write_;
  SyncFn sync_;
  std::string page_;
  /// For each line of the page: the offset in page_ just past its newline, and its cursor.
  std::vector<std::pair<size_t, std::string>> ends_;
  uint64_t lines_ = 0;
  std::string cursor_;  ///< of the last line written whole
};

/// The operator's message for `failure` of an export whose failed page began at `cursor`
/// ("0": the export's start): what went wrong (a full disk named as such), how the output
/// ends (a whole line, or a last line cut short), and the --cursor that resumes after the last
/// whole line (or, with none written, to run the export again). After a failed sync
/// (ExportWriteFailure::at_sync) `cursor` is where the export started: any of its lines may be
/// lost, so the message says to run it again from there into a new file.
std::string DescribeWriteFailure(const ExportWriteFailure& failure, const std::string& cursor);

}  // namespace newsd::newsctl
