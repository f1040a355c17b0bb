// Backup: RocksArchive::Backup, a RocksDB checkpoint of the live archive in a new directory,
// read back as a restore will read it before it is kept. The restore is in
// storage/rocks_restore.cc; what both use, in storage/rocks_files.h.

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "storage/rocks_archive.h"
#include "storage/rocks_files.h"
#include "storage/rocks_util.h"

namespace newsd::storage {

namespace fs = std::filesystem;

namespace {

// `named` as RocksDB will name the backup directory.
std::string BackupDirName(const std::string& named) {
  // "b/", "b/." and "b//" name b: RocksDB strips the trailing separators too (and stages in
  // b.tmp), so the checks below must look at the same names it uses.
  std::string dir = fs::path(named).lexically_normal().string();
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// A backup goes to a new directory `dir` (as `named` by the caller), staged in a new DIR.tmp.
// True when `inner` is `outer` or under it, both resolved (symbolic links, "..").
bool IsWithin(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  const fs::path in = fs::weakly_canonical(inner, ec);
  if (ec) return false;
  const fs::path out = fs::weakly_canonical(outer, ec);
  if (ec) return false;
  auto [rest, _] = std::mismatch(out.begin(), out.end(), in.begin(), in.end());
  // A trailing separator of `out` ends in an empty element.
  return rest == out.end() || (std::next(rest) == out.end() && rest->empty());
}

Status CheckBackupTarget(const std::string& named, const std::string& dir,
                         const std::string& data_dir) {
  std::error_code ec;
  if (named.empty()) return Status::InvalidArgument("name a new directory for the backup");
  if (IsWithin(dir, data_dir)) {
    return Status::InvalidArgument(
        "backup directory '" + dir + "' is inside the archive's data_dir '" + data_dir +
        "': a backup there is lost with the archive, and a restore needs an empty data_dir; "
        "name a directory elsewhere (on another disk, ideally)");
  }
  // (symlink_status: a symbolic link to nothing is there too, and a failed backup would
  // remove it.)
  if (fs::exists(fs::symlink_status(dir, ec))) {
    return Status::InvalidArgument("backup directory '" + dir +
                                   "' exists: name a new directory (its parent must exist)");
  }
  // RocksDB builds the copy in DIR.tmp and empties that first: never somebody else's.
  if (const std::string staging = dir + ".tmp"; fs::exists(fs::symlink_status(staging, ec))) {
    return Status::InvalidArgument(
        "'" + staging +
        "' exists: the backup is built there first, and newsd does not "
        "overwrite it; move it away (a backup interrupted earlier leaves one) or name another "
        "directory");
  }
  return Status::Ok();
}

// After a failed checkpoint into `dir`: removes what it left, and says what to do.
Status BackupFailed(const std::string& dir, const rocksdb::Status& s) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  // The target's disk, not the archive's: say so, and what to do there.
  const std::string parent = fs::absolute(dir, ec).parent_path().string();
  return Status::IOError(
      "writing a backup to " + dir + ": " + s.ToString() + " -- nothing was kept; " +
      (s.IsNoSpace() ? "a file system is full (the backup's, " + parent +
                           ", or the archive's, where the backup first writes out what is in "
                           "memory): free space there, or back up to another disk"
                     : "check that " + parent + " exists and that newsd may write there"));
}

}  // namespace

Result<BackupInfo> RocksArchive::Backup(const std::string& named) {
  // A backup flushes the archive's log into a table: a write.
  if (!read_only_) {
    if (Status s = CheckDirStillOpened(); !s.ok()) return Err(std::move(s));
  }
  const std::string dir = BackupDirName(named);
  if (read_only_) {
    return Err(
        Status::InvalidArgument("a read-only archive cannot make a backup: open it "
                                "read-write (newsd stopped) or ask the running daemon"));
  }
  if (Status s = CheckBackupTarget(named, dir, options_.data_dir); !s.ok()) return Err(s);
  rocksdb::Checkpoint* raw = nullptr;
  if (rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw); !s.ok()) {
    return Err(Rocks(s, "preparing a backup"));
  }
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // The memtables are flushed into tables first, whatever the log's size, so the copy holds
  // its data in checksummed tables, not in a log (whose cut-off end would read as a clean one).
  // No commit runs meanwhile: the live log is copied up to its size when RocksDB looks, and a
  // commit writing to it then would leave the copy ending inside a record, which the
  // restore's check refuses.
  rocksdb::Status s;
  {
    std::lock_guard lock(commit_mu_);
    s = checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
  }
  if (!s.ok()) return Err(BackupFailed(dir, s));
  // Read back as a restore will read it: a table of the archive damaged on disk (a flipped
  // bit) is copied as it is, and a backup that cannot be restored is found out now, not then.
  if (const rocksdb::Status read = ReadCopyBack(dir, nullptr); !read.ok()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    Log().error("backup into dir={} failed its check: {}", dir, read.ToString());
    if (!read.IsCorruption()) return Err(BackupFailed(dir, read));
    return Err(Status::Corruption(
        "the backup's check found damage the archive itself holds (" + read.ToString() +
        "): no backup was kept in " + dir +
        ". newsd goes on with the archive, but what that table holds may not read back: "
        "restore the last good backup (newsctl restore), or keep the archive and export it "
        "(newsctl export) to save what reads"));
  }
  Result<std::vector<fs::path>> files = ListFiles(dir);
  if (!files) return Err(files.error());
  Log().info("backup written and read back dir={} files={}", dir, files->size());
  return Measure(*files);
}

}  // namespace newsd::storage
