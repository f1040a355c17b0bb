#include "daemon/line_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace newsd::daemon {

namespace {
constexpr size_t kBlockSize = size_t{1} << 20;
}  // namespace

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path, size_t max_line) {
  int fd = STDIN_FILENO;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Err(Status::NotFound(path + ": cannot open the import file"));
  }
  return std::unique_ptr<LineReader>(new LineReader(fd, path, max_line));
}

LineReader::LineReader(int fd, std::string path, size_t max_line)
    : fd_(fd), path_(std::move(path)), buffer_(kBlockSize), max_line_(max_line) {
  const off_t at = ::lseek(fd_, 0, SEEK_CUR);  // standard input may be a file read part-way
  origin_ = base_ = at > 0 ? static_cast<uint64_t>(at) : 0;
}

LineReader::~LineReader() {
  if (fd_ != STDIN_FILENO) ::close(fd_);
}

Result<bool> LineReader::Next(std::string_view* line) {
  if (skipping_) {
    if (Status s = SkipRestOfLine(); !s.ok()) return Err(s);
  }
  cut_ = false;
  for (;;) {
    const char* start = buffer_.data() + begin_;
    line_offset_ = base_ + begin_;
    // Only the bytes read since the last look: a long line arriving from a pipe 64 KiB at a
    // time was searched from its start after every read (200 MB took 17 s).
    if (const void* nl = std::memchr(start + searched_, '\n', end_ - begin_ - searched_)) {
      const size_t size = static_cast<const char*>(nl) - start;
      cut_ = size > max_line_;
      *line = std::string_view(start, cut_ ? max_line_ : size);
      begin_ += size + 1;
      searched_ = 0;
      return true;
    }
    searched_ = end_ - begin_;
    if (end_ - begin_ > max_line_) {  // give its first max_line_ bytes, read past the rest
      *line = std::string_view(start, max_line_);
      cut_ = skipping_ = true;
      return true;
    }
    if (eof_) {
      if (begin_ == end_) return false;
      cut_ = end_ - begin_ > max_line_;  // the last line, without '\n'
      *line = std::string_view(start, cut_ ? max_line_ : end_ - begin_);
      begin_ = end_;
      searched_ = 0;
      return true;
    }
    if (Status s = Fill(); !s.ok()) return Err(s);
  }
}

Status LineReader::SkipRestOfLine() {
  begin_ = end_;  // the part given, and what was read after it, are all this line's
  searched_ = 0;
  while (!eof_) {
    if (Status s = Fill(); !s.ok()) return s;
    if (const void* nl = std::memchr(buffer_.data() + begin_, '\n', end_ - begin_)) {
      begin_ = static_cast<size_t>(static_cast<const char*>(nl) - buffer_.data()) + 1;
      break;
    }
    begin_ = end_;
  }
  skipping_ = false;
  return Status::Ok();
}

Status LineReader::Fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    base_ += begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  // Grown for a long line, never much past max_line_ (a longer one is cut there).
  if (buffer_.size() - end_ < kBlockSize / 2) {
    buffer_.resize(std::max(buffer_.size() + kBlockSize / 2,
                            std::min(buffer_.size() * 2, max_line_ + kBlockSize)));
  }
  for (;;) {
    if (stop_ != nullptr) {
      if (Status s = WaitReadable(); !s.ok()) return s;
    }
    const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n > 0) {
      end_ += static_cast<size_t>(n);
      return Status::Ok();
    }
    if (n == 0) {
      eof_ = true;
      return Status::Ok();
    }
    if (errno != EINTR) {
      return Status::IOError(path_ + ": read error: " + std::strerror(errno));
    }
  }
}

bool LineReader::IsRegularFile() const {
  struct stat st {};
  return ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
}

Status LineReader::Rewind() {
  if (!IsRegularFile() ||
      ::lseek(fd_, static_cast<off_t>(origin_), SEEK_SET) != static_cast<off_t>(origin_)) {
    return Status::IOError(path_ + ": cannot read it again from its start");
  }
  begin_ = end_ = searched_ = 0;
  base_ = line_offset_ = origin_;
  eof_ = cut_ = skipping_ = false;
  return Status::Ok();
}

Status LineReader::WaitReadable() {
  constexpr int kSliceMs = 200;
  for (;;) {
    if (stop_()) return Status::Aborted(path_ + ": reading stopped");
    pollfd p{fd_, POLLIN, 0};
    const int n = ::poll(&p, 1, kSliceMs);
    if (n > 0) return Status::Ok();                    // data, the end, or an error read() reports
    if (n < 0 && errno != EINTR) return Status::Ok();  // read() will say what is wrong
  }
}

}  // namespace newsd::daemon
