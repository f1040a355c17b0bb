// Restore: RestoreArchive, a backup (storage/rocks_backup.cc) checked and copied into an empty
// data_dir, finished by the restored archive's first open. What the backup uses too is in
// storage/rocks_files.h; the plain file helpers, in storage/file_copy.h.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "storage/file_copy.h"
#include "storage/rocks_archive.h"
#include "storage/rocks_files.h"
#include "storage/rocks_util.h"
#include "storage/space_watch.h"

namespace newsd::storage {

namespace fs = std::filesystem;

namespace {

// Forces `path` (a file or a directory) to disk: 0, or the errno of the call that failed.
int SyncErrno(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  return rc == 0 ? 0 : saved;
}

// SyncErrno's failure as its message; "" when it worked.
std::string SyncPath(const fs::path& path) {
  const int error = SyncErrno(path);
  return error == 0 ? std::string() : std::strerror(error);
}

// The directories a restore made for data_dir (MakeDirs), outermost first: data_dir and the
// parents it lacked. Empty when data_dir was there. A failed restore removes them again.
using MadeDirs = std::vector<fs::path>;

// data_dir must be an empty directory.
Status CheckEmptyDir(const fs::path& data_dir) {
  std::error_code ec;
  if (!fs::is_directory(data_dir, ec)) {
    return Status::InvalidArgument(data_dir.string() + " is not a directory");
  }
  if (!fs::is_empty(data_dir, ec)) {
    return Status::InvalidArgument(
        data_dir.string() +
        " is not empty: stop newsd, move the archive there aside (mv), then restore into the "
        "empty directory");
  }
  return Status::Ok();
}

// data_dir must hold nothing. When it does not exist yet, it is made with the parents it lacks
// (all of them in `*made`); when that fails, or what it names then holds something, the ones
// made are removed again. Checked after making it too: "missing/.." names the directory above,
// which was there, and another process may have made data_dir meanwhile.
Status CheckEmptyTarget(const fs::path& data_dir, MadeDirs* made) {
  std::error_code ec;
  if (!fs::exists(data_dir, ec)) {
    if (const int error = MakeDirs(data_dir, made); error != 0) {
      RemoveMadeDirs(*made);
      made->clear();
      return Status::IOError("cannot create " + data_dir.string() + ": " + std::strerror(error));
    }
  }
  Status empty = CheckEmptyDir(data_dir);
  if (!empty.ok()) {
    RemoveMadeDirs(*made);
    made->clear();
  }
  return empty;
}

// What a failed check of the backup in `dir` means for the operator.
Status Damaged(const std::string& dir, const rocksdb::Status& s) {
  if (!s.IsCorruption() && !s.IsNotFound() && !s.IsPathNotFound()) {
    // Permissions, open-file limits, read errors: the backup may be fine.
    return Status::IOError("cannot read the backup in " + dir + ": " + s.ToString() +
                           " -- nothing was restored; fix that and run the restore again");
  }
  return Status::Corruption("the backup in " + dir + " is damaged: " + s.ToString() +
                            " -- nothing was restored; restore another backup");
}

// The restore was stopped (RestoreProgress said so) while `doing`.
Status Stopped(std::string_view doing) {
  return Status::Aborted("restore stopped while " + std::string(doing) +
                         ": nothing was restored (the directory is as it was before); run it "
                         "again to restore");
}

Status VerifyCopy(const std::string& dir, const RestoreProgress& progress) {
  const rocksdb::Status s = ReadCopyBack(dir, progress);
  if (s.IsAborted()) return Stopped("checking the backup");
  return s.ok() ? Status::Ok() : Damaged(dir, s);
}

// Refuses a running newsd's archive, and a backup that is damaged or does not open.
Status CheckBackup(const std::string& backup_dir, const RestoreProgress& progress) {
  if (LockHeld(backup_dir)) {
    return Status::InvalidArgument(
        backup_dir +
        " is the archive of a running newsd (or its LOCK cannot be read to tell), not a "
        "backup: make one with `newsctl backup DIR` and restore that");
  }
  // The backup must be whole and undamaged, and an archive this build understands.
  if (Status s = VerifyCopy(backup_dir, progress); !s.ok()) return s;
  Options check;
  check.data_dir = backup_dir;
  Result<std::unique_ptr<Archive>> opened = OpenArchiveReadOnly(check);
  if (!opened) return opened.error().WithContext("the backup does not open");
  return Status::Ok();
}

// What restoring `files` takes on a file system that gives files space in `block`s: each
// file in whole blocks, and what the archive's first open (which the restore makes) writes
// beside them: an OPTIONS file and a MANIFEST as large as the backup's, and a block each for
// IDENTITY, the log, and the table its renumbering is flushed to.
uint64_t RoomNeeded(const std::vector<fs::path>& files, uint64_t block) {
  std::error_code ec;
  uint64_t copy = 0, options_file = 0, manifest = 0;
  for (const fs::path& f : files) {
    const uint64_t size = InBlocks(fs::file_size(f, ec), block);
    if (ec) continue;
    copy += size;
    const std::string name = f.filename().string();
    if (name.starts_with("OPTIONS-")) options_file = std::max(options_file, size);
    if (name.starts_with("MANIFEST-")) manifest = std::max(manifest, size);
  }
  return copy + options_file + manifest + 3 * block;
}

// "3.3 MiB (3457024 bytes)": people read the first, the second is what was compared.
std::string Exactly(uint64_t bytes) {
  return HumanBytes(bytes) + " (" + std::to_string(bytes) + " bytes)";
}

// A full disk is named as such before anything is copied, to the byte: `space` on data_dir's
// file system against what restoring `files` needs there. `made`: the directories
// CheckEmptyTarget made, removed again on refusal.
Status CheckRoomFor(const std::string& data_dir, const DiskSpace& space, uint64_t needed,
                    const MadeDirs& made) {
  if (space.free >= needed) return Status::Ok();
  RemoveMadeDirs(made);
  return Status::ResourceExhausted(
      "restoring into " + data_dir + " needs " + Exactly(needed) +
      ": the backup's files in whole blocks of " + HumanBytes(space.block) +
      ", and what the archive's first open writes; its file system has " + Exactly(space.free) +
      " free, " + HumanBytes(needed - space.free) +
      " short -- nothing was restored; free space there or restore to another disk");
}

// Writes kRenumberMarker into the empty data_dir (RocksArchive::FinishRestore). On failure
// the marker and the directories the restore made (`made`) are removed again.
Status MarkRenumberPending(const std::string& data_dir, const MadeDirs& made) {
  const fs::path marker = fs::path(data_dir) / kRenumberMarker;
  std::ofstream(marker).close();
  std::string why = fs::exists(marker) ? SyncPath(marker) : "cannot be created";
  if (why.empty()) return Status::Ok();
  std::error_code ec;
  fs::remove(marker, ec);
  RemoveMadeDirs(made);
  return Status::IOError("restoring into " + data_dir + ": " + marker.string() + ": " + why +
                         " -- nothing was restored; fix the target, then run the restore again");
}

// Removes everything in `dir` (what a failed copy left).
void EmptyDir(const std::string& dir) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) fs::remove(e.path(), ec);
}

// How a failed restore ends: " -- nothing was restored (DATA_DIR is empty again); ", or
// "(DATA_DIR, which it made, is gone again)" when the restore made it, naming the outermost
// of the parents it made too (`made`).
std::string NothingRestored(const std::string& data_dir, const MadeDirs& made) {
  std::string nothing = " -- nothing was restored (" + data_dir;
  if (made.empty()) return nothing + " is empty again); ";
  nothing += ", which it made, is gone again";
  if (made.size() > 1) {
    nothing += ", and so are the directories it made above it, from " + made.front().string();
  }
  return nothing + "); ";
}

// Copying `from` into data_dir failed with `error` (errno), data_dir emptied again (removed
// later, with its parents, when the restore made them: `made`): a full disk is named as such,
// with what the restore needs and what is free now.
Status CopyFailed(const fs::path& from, const std::string& data_dir, int error, uint64_t needed,
                  const MadeDirs& made) {
  const std::string nothing = NothingRestored(data_dir, made);
  const std::optional<DiskSpace> space = SpaceOn(data_dir);
  if (error == ENOSPC && space && space->free >= needed) {
    // Space enough, and still ENOSPC: no file can be made (a tmpfs or ext4 out of inodes).
    return Status::ResourceExhausted(
        "restoring into " + data_dir + ": its file system can hold no more files (" +
        std::to_string(space->files) + " inodes free while copying " + from.filename().string() +
        ", though " + HumanBytes(space->free) + " is free)" + nothing +
        "remove files there or restore to another file system");
  }
  if (error == ENOSPC || error == EDQUOT) {
    std::string message = "restoring into " + data_dir + ": its file system is full (" +
                          (error == ENOSPC ? "no space left" : "the disk quota is used up") +
                          " while copying " + from.filename().string() + "): the restore needs " +
                          HumanBytes(needed);
    if (space) message += " and " + HumanBytes(space->free) + " is free";
    return Status::ResourceExhausted(message + nothing +
                                     "free space there or restore to another disk");
  }
  return Status::IOError("restoring " + from.string() + " into " + data_dir + ": " +
                         std::strerror(error) + nothing + "fix the target, then run the " +
                         "restore again");
}

// Copies `files` (CURRENT last, `total_bytes` in all; `needed` on data_dir's file system)
// into data_dir; on failure empties data_dir again, and removes the directories the restore
// made (`made`: data_dir and its missing parents).
Status CopyFiles(const std::vector<fs::path>& files, const std::string& data_dir,
                 uint64_t total_bytes, uint64_t needed, const MadeDirs& made,
                 const RestoreProgress& progress) {
  std::error_code ec;
  uint64_t copied = 0;
  for (const fs::path& from : files) {
    const fs::path to = fs::path(data_dir) / from.filename();
    // Each file reaches the disk before the next, and every other one (and the directory's
    // entries) before CURRENT, so a crash of the host mid-restore leaves no CURRENT naming
    // files that are not all there.
    const bool last = from.filename() == "CURRENT";
    int error = last ? SyncErrno(data_dir) : 0;
    if (error == 0) error = CopyFileSynced(from, to);
    if (error == 0 && last) error = SyncErrno(data_dir);
    if (error != 0) {
      EmptyDir(data_dir);
      Status failed = CopyFailed(from, data_dir, error, needed, made);  // (its free space)
      RemoveMadeDirs(made);
      return failed;
    }
    copied += fs::file_size(to, ec);
    if (progress && !progress(RestoreStep::kCopying, copied, total_bytes) && !last) {
      EmptyDir(data_dir);
      RemoveMadeDirs(made);
      return Stopped("copying");
    }
  }
  return Status::Ok();
}

// The restored archive's first open in data_dir (or its close) ran out of space, as `failure`
// (RocksDB's words) says: data_dir is emptied again, and the directories the restore made
// (`made`) removed. The check before the copy counted what the open writes, so something
// else has taken the space since.
Status FirstOpenOutOfSpace(const std::string& data_dir, const std::string& failure, uint64_t needed,
                           const MadeDirs& made) {
  // Counted before the copy goes: no inode left (a tmpfs or ext4 out of them) is no full disk.
  const std::optional<DiskSpace> before = SpaceOn(data_dir);
  EmptyDir(data_dir);
  RemoveMadeDirs(made);
  const std::string nothing = NothingRestored(data_dir, made);
  const std::string what =
      "at the restored archive's first open, which writes beside the "
      "copied files: " +
      failure;
  if (before && before->files == 0) {
    return Status::ResourceExhausted(
        "restoring into " + data_dir + ": its file system can hold no more files (no inode left " +
        what + ", though " + HumanBytes(before->free) + " was free)" + nothing +
        "remove files there or restore to another file system");
  }
  if (failure.find("Disk quota exceeded") != std::string::npos) {
    return Status::ResourceExhausted("restoring into " + data_dir +
                                     ": the disk quota is used up (" + what +
                                     "): the restore needs " + HumanBytes(needed) + nothing +
                                     "raise the quota or restore to another disk");
  }
  std::string message = "restoring into " + data_dir + ": its file system is full (no space left " +
                        what + "): the restore needs " + HumanBytes(needed);
  if (const std::optional<DiskSpace> space = SpaceOn(data_dir)) {
    message += " and " + HumanBytes(space->free) + " is free";
  }
  return Status::ResourceExhausted(message + nothing +
                                   "free space there (something else wrote to that file system "
                                   "during the restore) or restore to another disk");
}

// Opens the archive just copied into data_dir, which finishes the restore
// (RocksArchive::FinishRestore), and closes it, flushing what the open wrote. A write refused
// for want of space on the way fails the restore, whether RocksDB returned it, only logged it,
// or the close's flush met it: newsd could not run on that archive, and emptying data_dir
// (FirstOpenOutOfSpace) leaves no half-restored one. Any other failure leaves the copy, whose
// first open newsd then makes.
Status OpenRestored(const std::string& data_dir, uint64_t needed, const MadeDirs& made) {
  Options options;
  options.data_dir = data_dir;
  std::shared_ptr<SpaceWatch> watch;
  Status opened;
  {
    Result<std::unique_ptr<RocksArchive>> archive =
        RocksArchive::OpenPrimary(options, NewSpaceWatchEnv(&watch));
    opened = archive ? (*archive)->Close() : archive.error();
  }
  if (const std::string failure = watch->first_failure(); !failure.empty()) {
    return FirstOpenOutOfSpace(data_dir, failure, needed, made);
  }
  if (opened.ok()) return Status::Ok();
  return opened.WithContext(
      "restored into " + data_dir +
      ", but its first open failed: fix that, then start newsd on it (its first open "
      "finishes the restore); do not restore again into the same directory");
}

}  // namespace

Result<BackupInfo> RestoreArchive(const std::string& backup_dir, const std::string& data_dir,
                                  const RestoreProgress& progress) {
  Result<std::vector<fs::path>> files = ListFiles(backup_dir);
  if (!files) return Err(files.error());
  if (Status s = CheckBackup(backup_dir, progress); !s.ok()) return Err(std::move(s));
  MadeDirs made;
  if (Status s = CheckEmptyTarget(data_dir, &made); !s.ok()) return Err(s);
  const BackupInfo total = Measure(*files);
  // (When statvfs fails, the copy finds out.)
  const DiskSpace space = SpaceOn(data_dir).value_or(DiskSpace{UINT64_MAX, 4096});
  const uint64_t needed = RoomNeeded(*files, space.block);
  if (Status s = CheckRoomFor(data_dir, space, needed, made); !s.ok()) return Err(s);
  // The numbering moves past the lost timeline's at the archive's first open (the marker is
  // written before CURRENT, so a crash before that open still leaves it pending).
  if (Status s = MarkRenumberPending(data_dir, made); !s.ok()) return Err(s);
  if (Status s = CopyFiles(*files, data_dir, total.bytes, needed, made, progress); !s.ok()) {
    return Err(s);
  }
  if (Status s = OpenRestored(data_dir, needed, made); !s.ok()) return Err(std::move(s));
  Log().info("archive restored from={} into={} files={}", backup_dir, data_dir, total.files);
  return total;
}

}  // namespace newsd::storage
