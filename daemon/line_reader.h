#pragma once

// Reading a text file line by line in large blocks, for batch imports.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace newsd::daemon {

/// Splits a file (or standard input) into lines, reading blocks of about 1 MiB with read(2)
/// into one reused buffer: no per-line allocation or copy. Lines are what std::getline
/// yields: without their '\n', a last line without '\n' included, no empty line after a final
/// '\n'. A line longer than the buffer grows it, up to `max_line` bytes: of a longer line only
/// its first `max_line` bytes are read into memory and given (LastLineCut() says so), and the
/// rest is read past. Not thread-safe.
class LineReader {
 public:
  static constexpr size_t kDefaultMaxLine = size_t{64} << 20;

  /// Opens `path` ("-": standard input, not closed). NotFound when it cannot be opened.
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                  size_t max_line = kDefaultMaxLine);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next line in *line, valid until the next call: true, or false at the end of the
  /// input. IOError when reading fails.
  Result<bool> Next(std::string_view* line);
  /// The line Next gave last was longer than `max_line`: it holds only its first bytes.
  bool LastLineCut() const { return cut_; }
  /// From now on, while waiting for input (a pipe, a terminal), `stop` is asked about every
  /// 200 ms and a signal ends the wait (it is no longer read again): when it says true, Next
  /// fails with Aborted. Lines already in the buffer are still given first.
  void StopWhen(bool (*stop)()) { stop_ = stop; }
  /// Where the line Next gave last starts in the file (for pread(2)): its offset there.
  uint64_t LineOffset() const { return line_offset_; }
  /// Whether the input is a regular file: one Rewind and pread(2) at its offsets work on.
  bool IsRegularFile() const;
  /// Reads again from where reading began (a regular file only; IOError otherwise).
  Status Rewind();
  /// The descriptor read from (owned by the reader; standard input's is not closed).
  int fd() const { return fd_; }

 private:
  LineReader(int fd, std::string path, size_t max_line);
  /// Reads past the rest of a cut line, up to and including its '\n' (or the end).
  Status SkipRestOfLine();
  /// Moves the unread rest to the front of the buffer and reads more after it.
  Status Fill();

  /// Waits until fd_ can be read or stop_ says true (Aborted).
  Status WaitReadable();

  int fd_;
  bool (*stop_)() = nullptr;
  std::string path_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buffer_[begin_, end_)
  uint64_t origin_ = 0;         // the file offset reading began at
  uint64_t base_ = 0;           // the file offset of buffer_[0]
  uint64_t line_offset_ = 0;    // the offset of the last line given
  size_t searched_ = 0;         // of those, how many are known to hold no newline
  bool eof_ = false;
  size_t max_line_;
  bool cut_ = false;       // the last line given was cut at max_line_
  bool skipping_ = false;  // its rest is still to be read past
};

}  // namespace newsd::daemon
