#pragma once

// A RocksDB file system that notes the writes refused for want of space, for the restore's
// first open of the archive it copied (storage/rocks_restore.cc): RocksDB returns some of them
// as errors, but only logs others (or drops them), and a close that cannot flush is only
// logged. Storage-internal: only storage/*.cc include this (RocksDB stays inside storage/).

#include <rocksdb/file_system.h>

#include <memory>
#include <mutex>
#include <string>

namespace newsd::storage {

/// The default file system, every call passed through unchanged, remembering the first file
/// or directory creation, lock, write, sync, close or rename that failed for want of space: ENOSPC
/// (no space or no inode left) or EDQUOT (a disk quota used up). Preallocation (fallocate) is not
/// counted: RocksDB asks for more than it writes, and goes on without it. Thread-safe (RocksDB's
/// background threads write through it too).
class SpaceWatch final : public rocksdb::FileSystemWrapper {
 public:
  SpaceWatch();

  /// The first failure for want of space, as RocksDB words it; "" when there was none.
  std::string first_failure() const;
  /// Records `s` when it is such a failure; returns it unchanged.
  rocksdb::IOStatus Note(rocksdb::IOStatus s);

  const char* Name() const override { return "NewsdSpaceWatch"; }
  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus LockFile(const std::string& name, const rocksdb::IOOptions& options,
                             rocksdb::FileLock** lock, rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDir(const std::string& name, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDirIfMissing(const std::string& name, const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewDirectory(const std::string& name, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* result,
                                 rocksdb::IODebugContext* dbg) override;

 private:
  /// Wraps a file just opened (when `s` is ok) so that its writes are watched too.
  rocksdb::IOStatus Watch(rocksdb::IOStatus s, std::unique_ptr<rocksdb::FSWritableFile>* file);

  mutable std::mutex mu_;
  std::string first_failure_;  // guarded by mu_
};

/// An Env over a new SpaceWatch (`*watch` set to it), for RocksArchive::OpenPrimary.
std::unique_ptr<rocksdb::Env> NewSpaceWatchEnv(std::shared_ptr<SpaceWatch>* watch);

}  // namespace newsd::storage
