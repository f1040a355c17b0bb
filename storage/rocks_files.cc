// An archive's directory on disk, outside an open archive (storage/rocks_files.h): its files
// listed and measured, whether a process holds it, a copy read back against its checksums;
// and CheckIdleArchiveTables (storage/rocks_util.h), the read-only open's check of a stopped
// archive's table files.

#include "storage/rocks_files.h"

#include <fcntl.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "storage/rocks_util.h"

namespace newsd::storage {

namespace fs = std::filesystem;

Result<std::vector<fs::path>> ListFiles(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  fs::path current;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    if (e.path().filename() == "CURRENT") {
      current = e.path();
    } else {
      files.push_back(e.path());
    }
  }
  if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) {
    return Err(Status::NotFound("no backup at " + dir.string() + ": no such directory"));
  }
  if (ec) return Err(Status::IOError("cannot list " + dir.string() + ": " + ec.message()));
  if (current.empty()) {
    return Err(Status::NotFound(dir.string() + " holds no archive (no CURRENT file)"));
  }
  files.push_back(current);
  return files;
}

BackupInfo Measure(const std::vector<fs::path>& files) {
  BackupInfo info;
  std::error_code ec;
  for (const fs::path& f : files) {
    ++info.files;
    const uintmax_t size = fs::file_size(f, ec);
    if (!ec) info.bytes += size;
  }
  return info;
}

bool LockHeld(const fs::path& dir) {
  const int fd = ::open((dir / "LOCK").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == EACCES || errno == EPERM;  // cannot tell: assume the worst
  struct flock probe {};
  probe.l_type = F_RDLCK;
  probe.l_whence = SEEK_SET;
  const bool held = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
  ::close(fd);
  return held;
}

namespace {

// Options of the read-only open that checks a copy (ReadCopyBack).
rocksdb::DBOptions VerifyOptions(const Options& options) {
  rocksdb::DBOptions db_options = MakeDbOptions(options, /*secondary=*/true);
  db_options.paranoid_checks = true;
  // A log cut short (an interrupted copy, a full disk) is damage, not a clean end: RocksDB's
  // default recovery would silently drop the commits in the lost part.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kAbsoluteConsistency;
  db_options.info_log->SetInfoLogLevel(rocksdb::InfoLogLevel::ERROR_LEVEL);  // no chatter
  return db_options;
}

// Corruption when `dir` holds a table file its MANIFEST does not name: the MANIFEST was cut
// short (an interrupted copy, a full disk) and lost the edits that added it, which RocksDB
// reads as a clean end. (A checkpoint copies the live tables only.)
rocksdb::Status CheckNoStrayTables(const std::string& dir,
                                   const std::vector<rocksdb::LiveFileMetaData>& tables) {
  std::unordered_set<std::string> named;
  for (const rocksdb::LiveFileMetaData& t : tables) {
    named.insert(fs::path(t.relative_filename).filename().string());
  }
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->path().extension() == ".sst" && named.count(name) == 0) {
      std::string why = "table file " + name;
      why +=
          " is in the copy but its MANIFEST does not name it: the MANIFEST was cut short (the "
          "archive it describes would lack that table's data), or the copy is of an archive "
          "that stopped while writing that table. Restore a backup made by newsctl backup; to "
          "take this copy as it is, remove ";
      why += name + " from it and restore again";
      return rocksdb::Status::Corruption(why);
    }
  }
  if (ec) return rocksdb::Status::IOError("listing " + dir + ": " + ec.message());
  return rocksdb::Status::OK();
}

// Reads every block of the table files `tables` against its checksum, one file at a time.
rocksdb::Status VerifyTables(const std::vector<rocksdb::LiveFileMetaData>& tables,
                             const rocksdb::DBOptions& db_options,
                             const FamilyOptions& family_options, const RestoreProgress& progress) {
  uint64_t total = 0, done = 0;
  for (const rocksdb::LiveFileMetaData& t : tables) total += t.size;
  const rocksdb::EnvOptions env_options(db_options);
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  rocksdb::Status s;
  for (const rocksdb::LiveFileMetaData& t : tables) {
    const rocksdb::Options table_options(db_options, family_options.For(t.column_family_name));
    s = rocksdb::VerifySstFileChecksum(table_options, env_options, read,
                                       t.directory + "/" + t.relative_filename, t.largest_seqno);
    if (!s.ok()) break;
    done += t.size;
    if (progress && !progress(RestoreStep::kChecking, done, total)) {
      return rocksdb::Status::Aborted("stopped while checking the backup");
    }
  }
  return s;
}

}  // namespace

rocksdb::Status ReadCopyBack(const std::string& dir, const RestoreProgress& progress) {
  Options options;
  options.data_dir = dir;
  const rocksdb::DBOptions db_options = VerifyOptions(options);
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, dir, &names);
  if (!s.ok()) return s;
  const FamilyOptions family_options(options);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(names.size());
  for (const std::string& name : names) descriptors.emplace_back(name, family_options.For(name));
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  s = rocksdb::DB::OpenForReadOnly(db_options, dir, descriptors, &handles, &raw);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<rocksdb::LiveFileMetaData> tables;
  db->GetLiveFilesMetaData(&tables);
  s = CheckNoStrayTables(dir, tables);
  if (s.ok()) s = VerifyTables(tables, db_options, family_options, progress);
  for (rocksdb::ColumnFamilyHandle* h : handles) db->DestroyColumnFamilyHandle(h);
  return s;
}

Status CheckIdleArchiveTables(const std::string& dir) {
  // A running newsd compacts: a file may go between the manifest read and its check.
  if (LockHeld(dir)) return Status::Ok();
  Options options;
  options.data_dir = dir;
  rocksdb::DBOptions db_options = MakeDbOptions(options, /*secondary=*/true);
  db_options.paranoid_checks = true;
  // The check stats every table file the manifest names; it need not open them (a secondary
  // keeps them all open: -1).
  db_options.max_open_files = 16;
  db_options.info_log->SetInfoLogLevel(rocksdb::InfoLogLevel::ERROR_LEVEL);  // no chatter
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, dir, &names);
  if (!s.ok()) return Status::Ok();  // the open that follows says what is wrong
  const FamilyOptions family_options(options);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(names.size());
  for (const std::string& name : names) descriptors.emplace_back(name, family_options.For(name));
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  s = rocksdb::DB::OpenForReadOnly(db_options, dir, descriptors, &handles, &raw);
  if (s.ok()) {
    std::unique_ptr<rocksdb::DB> db(raw);
    for (rocksdb::ColumnFamilyHandle* h : handles) db->DestroyColumnFamilyHandle(h);
    return Status::Ok();
  }
  if (!s.IsCorruption() && !s.IsNotFound() && !s.IsPathNotFound()) {
    return FromRocks(s, "checking the archive's files", dir);
  }
  return Status::Corruption(
      "the archive in " + dir +
      " is damaged: a table file is missing or not at its recorded size (RocksDB: " + s.ToString() +
      "); read, it would leave out what that file held, and newsd refuses it too. Restore the "
      "last backup: `newsctl --db DIR restore BACKUP` into an empty DIR");
}

}  // namespace newsd::storage
