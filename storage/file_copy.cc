#include "storage/file_copy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <vector>

namespace newsd::storage {

namespace {

// Closes `fd` on every path out of CopyFileSynced.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now: 0, or close's errno (a network file system reports a full disk there).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Writes all of `data`; 0, or write's errno.
int WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;  // never expected of a regular file
    data += n;
    size -= static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace

int CopyFileSynced(const std::filesystem::path& from, const std::filesystem::path& to) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return errno;
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) return errno;
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 07777));
  if (out.get() < 0) return errno;
  std::vector<char> buffer(size_t{1} << 20);
  for (;;) {
    const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) break;
    if (int error = WriteAll(out.get(), buffer.data(), static_cast<size_t>(n)); error != 0) {
      return error;
    }
  }
  if (::fsync(out.get()) != 0) return errno;
  return out.Close();
}

int MakeDirs(const std::filesystem::path& dir, std::vector<std::filesystem::path>* made) {
  std::filesystem::path at = dir;
  if (!at.has_filename()) at = at.parent_path();  // "a/b/" names a/b
  // The missing ones, deepest first: `dir` and its parents up to the first that is there.
  std::vector<std::filesystem::path> missing;
  std::error_code ec;
  while (at.has_relative_path() && !std::filesystem::exists(at, ec)) {
    missing.push_back(at);
    at = at.parent_path();
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0777) == 0) {  // (less the umask, as mkdir -p)
      made->push_back(*it);
      continue;
    }
    const int error = errno;
    if (error == EEXIST && std::filesystem::is_directory(*it, ec)) continue;  // not ours
    return error;
  }
  return 0;
}

void RemoveMadeDirs(const std::vector<std::filesystem::path>& made) {
  for (auto it = made.rbegin(); it != made.rend(); ++it) ::rmdir(it->c_str());
}

std::optional<DiskSpace> SpaceOn(const std::string& dir) {
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) return std::nullopt;
  return DiskSpace{uint64_t{fs.f_bavail} * fs.f_frsize, fs.f_frsize, uint64_t{fs.f_favail}};
}

std::string HumanBytes(uint64_t bytes) {
  constexpr uint64_t kKiB = 1024, kMiB = kKiB << 10, kGiB = kMiB << 10;
  char text[32];
  if (bytes < kKiB) {
    std::snprintf(text, sizeof(text), "%llu bytes", static_cast<unsigned long long>(bytes));
  } else if (bytes < kMiB) {
    std::snprintf(text, sizeof(text), "%.1f KiB", static_cast<double>(bytes) / kKiB);
  } else if (bytes < kGiB) {
    std::snprintf(text, sizeof(text), "%.1f MiB", static_cast<double>(bytes) / kMiB);
  } else {
    std::snprintf(text, sizeof(text), "%.2f GiB", static_cast<double>(bytes) / kGiB);
  }
  return text;
}

}  // namespace newsd::storage
