#include "newsctl/export_output.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace newsd::newsctl {

ExportOutput::ExportOutput(int fd, WriteFn write, SyncFn sync)
    : fd_(fd), write_(std::move(write)), sync_(std::move(sync)) {}

void ExportOutput::Add(const std::string& line, std::string cursor) {
  page_ += line;
  page_ += '\n';
  ends_.emplace_back(page_.size(), std::move(cursor));
}

ssize_t ExportOutput::Write(const char* data, size_t size) {
  return write_ ? write_(fd_, data, size) : ::write(fd_, data, size);
}

std::optional<ExportWriteFailure> ExportOutput::Flush() {
  size_t done = 0;
  int error = 0;
  while (done < page_.size()) {
    const ssize_t n = Write(page_.data() + done, page_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? errno : EIO;  // (a write of nothing, never expected: an error too)
      break;
    }
    done += static_cast<size_t>(n);
  }
  // The lines whose newline reached the output are whole; a failed write may have written
  // part of the next one (a full disk takes what fits).
  const auto whole = std::upper_bound(ends_.begin(), ends_.end(), done,
                                      [](size_t d, const auto& end) { return d < end.first; });
  lines_ += static_cast<uint64_t>(whole - ends_.begin());
  size_t whole_bytes = 0;
  if (whole != ends_.begin()) {
    cursor_ = std::prev(whole)->second;
    whole_bytes = std::prev(whole)->first;
  }
  page_.clear();
  ends_.clear();
  if (error == 0) return std::nullopt;
  ExportWriteFailure failure{error, cursor_, lines_, done - whole_bytes, false};
  if (failure.cut_bytes > 0) failure.cut_removed = RemoveCut(failure.cut_bytes);
  return failure;
}

std::optional<ExportWriteFailure> ExportOutput::Sync() {
  struct stat st {};
  const bool regular = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  int done = 0;
  while ((done = sync_ ? sync_(fd_) : ::fsync(fd_)) != 0 && errno == EINTR) {
  }  // a signal came (an interrupted --follow's): sync again
  if (done == 0) return std::nullopt;
  const int error = errno;
  // A pipe or a terminal holds nothing to sync; a regular file that refuses is a failure.
  if (!regular && (error == EINVAL || error == ENOTSUP)) return std::nullopt;
  ExportWriteFailure failure{error, cursor_, lines_, 0, false};
  failure.at_sync = true;
  return failure;
}

// Truncates the last `cut_bytes` of the output when it is a regular file that ends with them
// (written at its end, as by `>` or `>>`): the output then ends with a whole line.
bool ExportOutput::RemoveCut(uint64_t cut_bytes) {
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  const off_t at = ::lseek(fd_, 0, SEEK_CUR);
  if (at < 0 || static_cast<uint64_t>(at) < cut_bytes || st.st_size != at) return false;
  const off_t end = at - static_cast<off_t>(cut_bytes);
  if (::ftruncate(fd_, end) != 0) return false;
  return ::lseek(fd_, end, SEEK_SET) == end;
}

namespace {

// What went wrong, for people: a full disk as such.
std::string WhatFailed(int error) {
  std::string text = std::strerror(error);
  if (error == ENOSPC) return "the disk is full (" + text + ")";
  if (error == EDQUOT) return "the disk quota is used up (" + text + ")";
  return text;
}

// How the output ends after `failure`.
std::string HowItEnds(const ExportWriteFailure& failure) {
  if (failure.cut_removed) {
    return "the part of the next line that fit was removed, so the output ends with a whole "
           "line";
  }
  if (failure.cut_bytes > 0) {
    return "the output's last line is cut short (" + std::to_string(failure.cut_bytes) +
           " bytes of it were written, and could not be removed): drop that line";
  }
  return "the output ends with a whole line";
}

// "N whole line(s)".
std::string WholeLines(uint64_t lines) {
  return std::to_string(lines) + " whole line" + (lines == 1 ? "" : "s");
}

// After every write worked, the sync failed: the lines written may not all be on disk.
std::string DescribeSyncFailure(const ExportWriteFailure& failure, const std::string& cursor) {
  const bool space = failure.error == ENOSPC || failure.error == EDQUOT;
  const std::string message = "writing the export to disk failed: " + WhatFailed(failure.error) +
                              " when syncing (fsync) the " + WholeLines(failure.lines) +
                              " written, so they may not all be on disk; " +
                              (space ? "free space there" : "fix that") + ", then ";
  // Any page of the file may be lost, not only its end (the page cache still shows it whole):
  // nothing of this run's output can be trusted.
  if (cursor == "0" || cursor.empty()) return message + "run the export again into a new file";
  return message + "run the export again into a new file with --cursor " + cursor +
         " (where this one started)";
}

}  // namespace

std::string DescribeWriteFailure(const ExportWriteFailure& failure, const std::string& cursor) {
  if (failure.at_sync) return DescribeSyncFailure(failure, cursor);
  const bool space = failure.error == ENOSPC || failure.error == EDQUOT;
  std::string message = "writing the export failed: " + WhatFailed(failure.error) + " after " +
                        WholeLines(failure.lines) + "; " + HowItEnds(failure) + "; " +
                        (space ? "free space there" : "fix that") + ", then ";
  const std::string resume = failure.cursor.empty() ? cursor : failure.cursor;
  if (resume == "0" || resume.empty()) return message + "run the export again";
  return message + "resume with --cursor " + resume +
         (failure.cursor.empty() ? "" : " (the last whole line's)") +
         ", appending to the same output (>>)";
}

}  // namespace newsd::newsctl
