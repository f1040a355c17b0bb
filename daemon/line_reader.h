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
/// '\n'. A line longer than the buffer grows it. Not thread-safe.
class LineReader {
 public:
  /// Opens `path` ("-": standard input, not closed). NotFound when it cannot be opened.
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next line in *line, valid until the next call: true, or false at the end of the
  /// input. IOError when reading fails.
  Result<bool> Next(std::string_view* line);

 private:
  LineReader(int fd, std::string path);
  /// Moves the unread rest to the front of the buffer and reads more after it.
  Status Fill();

  int fd_;
  std::string path_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buffer_[begin_, end_)
  size_t searched_ = 0;         // of those, how many are known to hold no newline
  bool eof_ = false;
};

}  // namespace newsd::daemon
