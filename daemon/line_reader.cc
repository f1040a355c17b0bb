#include "daemon/line_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace newsd::daemon {

namespace {
constexpr size_t kBlockSize = size_t{1} << 20;
}  // namespace

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  int fd = STDIN_FILENO;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Err(Status::NotFound(path + ": cannot open the import file"));
  }
  return std::unique_ptr<LineReader>(new LineReader(fd, path));
}

LineReader::LineReader(int fd, std::string path)
    : fd_(fd), path_(std::move(path)), buffer_(kBlockSize) {}

LineReader::~LineReader() {
  if (fd_ != STDIN_FILENO) ::close(fd_);
}

Result<bool> LineReader::Next(std::string_view* line) {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    if (const void* nl = std::memchr(start, '\n', end_ - begin_)) {
      const size_t size = static_cast<const char*>(nl) - start;
      *line = std::string_view(start, size);
      begin_ += size + 1;
      return true;
    }
    if (eof_) {
      if (begin_ == end_) return false;
      *line = std::string_view(start, end_ - begin_);  // the last line, without '\n'
      begin_ = end_;
      return true;
    }
    if (Status s = Fill(); !s.ok()) return Err(s);
  }
}

Status LineReader::Fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - end_ < kBlockSize / 2) buffer_.resize(buffer_.size() * 2);
  for (;;) {
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

}  // namespace newsd::daemon
