// The archive's directory before any open: whether data_dir can hold an archive
// (CheckDataDir) and whether it holds one (HoldsArchive). No RocksDB here.

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "storage/archive.h"

namespace newsd::storage {
namespace {

namespace fs = std::filesystem;

// Creates and removes a directory in `parent`, where newsd is to create data_dir: write
// permission alone does not tell (root may write anywhere, but not make directories in /proc
// or /sys).
Status ProbeCreate(const fs::path& parent, const std::string& shown) {
  std::string probe = (parent / ".newsd-check-XXXXXX").string();
  if (::mkdtemp(probe.data()) == nullptr) {
    const int err = errno;
    const std::string what = shown + ": cannot create a directory there: " + std::strerror(err);
    if (err == EACCES) {
      return Status::PermissionDenied(what +
                                      " -- give the service user write access or "
                                      "choose another data_dir");
    }
    return Status::InvalidArgument(what + " -- choose a data_dir on a writable file system");
  }
  ::rmdir(probe.c_str());
  return Status::Ok();
}

}  // namespace

Status CheckDataDir(const std::string& data_dir) {
  if (data_dir.empty()) return Status::InvalidArgument("data_dir is empty: give a directory");
  // The directory itself when it exists, else the nearest ancestor that does (symlinks
  // resolved first, so "link/.." is the link target's parent).
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(fs::absolute(fs::path(data_dir)), ec);
  if (ec) dir = fs::absolute(fs::path(data_dir)).lexically_normal();
  ec.clear();
  const fs::path given = dir;
  while (!fs::exists(dir, ec) && !ec && dir.has_relative_path()) {
    if (fs::is_symlink(fs::symlink_status(dir, ec))) {
      return Status::InvalidArgument("data_dir " + data_dir + ": " + dir.string() +
                                     " is a symlink to nothing: point it at a directory");
    }
    dir = dir.parent_path();
  }
  if (ec) {
    return Status::InvalidArgument("data_dir " + data_dir + ": cannot look at " + dir.string() +
                                   ": " + ec.message() +
                                   " -- give the service user access to the path");
  }
  const std::string shown = dir == given ? "data_dir " + data_dir
                                         : "data_dir " + data_dir + ": its parent " + dir.string();
  if (!fs::is_directory(dir, ec)) {
    return Status::InvalidArgument(shown +
                                   " is not a directory: point data_dir at a directory "
                                   "(newsd creates it when its parent exists)");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    const int err = errno;
    return Status::PermissionDenied(shown + " is not writable by uid " +
                                    std::to_string(::geteuid()) + ": " + std::strerror(err) +
                                    " -- give the service user write access (the unit's "
                                    "StateDirectory= does) or choose another data_dir");
  }
  if (dir != given) return ProbeCreate(dir, shown);
  return Status::Ok();
}

bool HoldsArchive(const std::string& data_dir) {
  std::error_code ec;
  return !data_dir.empty() && fs::exists(fs::path(data_dir) / "CURRENT", ec);
}

}  // namespace newsd::storage
