#include "storage/space_watch.h"

#include <rocksdb/env.h>

#include <utility>

namespace newsd::storage {

namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

// A file whose writes, syncs and close report their failures for want of space to `watch`.
class SpaceWatchedFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  SpaceWatchedFile(std::unique_ptr<rocksdb::FSWritableFile> file, SpaceWatch* watch)
      : FSWritableFileOwnerWrapper(std::move(file)), watch_(watch) {}

  IOStatus Append(const Slice& data, const IOOptions& options, IODebugContext* dbg) override {
    return watch_->Note(FSWritableFileOwnerWrapper::Append(data, options, dbg));
  }
  IOStatus Append(const Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo& info, IODebugContext* dbg) override {
    return watch_->Note(FSWritableFileOwnerWrapper::Append(data, options, info, dbg));
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            IODebugContext* dbg) override {
    return watch_->Note(FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, dbg));
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            const rocksdb::DataVerificationInfo& info,
                            IODebugContext* dbg) override {
    return watch_->Note(
        FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, info, dbg));
  }
  IOStatus Truncate(uint64_t size, const IOOptions& options, IODebugContext* dbg) override {
    return watch_->Note(FSWritableFileOwnerWrapper::Truncate(size, options, dbg));
  }
  IOStatus Close(const IOOptions& options, IODebugContext* dbg) override {
    return watch_->Note(FSWritableFileOwnerWrapper::Close(options, dbg));
  }
  IOStatus Flush(const IOOptions& options, IODebugContext* dbg) override {
    return watch_->Note(FSWritableFileOwnerWrapper::Flush(options, dbg));
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    return watch_->Note(FSWritableFileOwnerWrapper::Sync(options, dbg));
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return watch_->Note(FSWritableFileOwnerWrapper::Fsync(options, dbg));
  }
  IOStatus RangeSync(uint64_t offset, uint64_t bytes, const IOOptions& options,
                     IODebugContext* dbg) override {
    return watch_->Note(FSWritableFileOwnerWrapper::RangeSync(offset, bytes, options, dbg));
  }

 private:
  SpaceWatch* watch_;  // outlives the file: the Env holding it outlives the database
};

// RocksDB's POSIX layer gives ENOSPC its own subcode, and EDQUOT only its text.
bool ForWantOfSpace(const IOStatus& s) {
  return s.IsNoSpace() ||
         (s.IsIOError() && s.ToString().find("Disk quota exceeded") != std::string::npos);
}

}  // namespace

SpaceWatch::SpaceWatch() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

std::string SpaceWatch::first_failure() const {
  std::lock_guard lock(mu_);
  return first_failure_;
}

IOStatus SpaceWatch::Note(IOStatus s) {
  if (!s.ok() && ForWantOfSpace(s)) {
    std::lock_guard lock(mu_);
    if (first_failure_.empty()) first_failure_ = s.ToString();
  }
  return s;
}

IOStatus SpaceWatch::Watch(IOStatus s, std::unique_ptr<rocksdb::FSWritableFile>* file) {
  if (s.ok()) *file = std::make_unique<SpaceWatchedFile>(std::move(*file), this);
  return Note(std::move(s));
}

IOStatus SpaceWatch::NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                     std::unique_ptr<rocksdb::FSWritableFile>* result,
                                     IODebugContext* dbg) {
  return Watch(FileSystemWrapper::NewWritableFile(name, options, result, dbg), result);
}

IOStatus SpaceWatch::ReopenWritableFile(const std::string& name,
                                        const rocksdb::FileOptions& options,
                                        std::unique_ptr<rocksdb::FSWritableFile>* result,
                                        IODebugContext* dbg) {
  return Watch(FileSystemWrapper::ReopenWritableFile(name, options, result, dbg), result);
}

IOStatus SpaceWatch::ReuseWritableFile(const std::string& name, const std::string& old_name,
                                       const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       IODebugContext* dbg) {
  return Watch(FileSystemWrapper::ReuseWritableFile(name, old_name, options, result, dbg), result);
}

IOStatus SpaceWatch::RenameFile(const std::string& from, const std::string& to,
                                const IOOptions& options, IODebugContext* dbg) {
  return Note(FileSystemWrapper::RenameFile(from, to, options, dbg));
}

IOStatus SpaceWatch::LockFile(const std::string& name, const IOOptions& options,
                              rocksdb::FileLock** lock, IODebugContext* dbg) {
  return Note(FileSystemWrapper::LockFile(name, options, lock, dbg));
}

IOStatus SpaceWatch::CreateDir(const std::string& name, const IOOptions& options,
                               IODebugContext* dbg) {
  return Note(FileSystemWrapper::CreateDir(name, options, dbg));
}

IOStatus SpaceWatch::CreateDirIfMissing(const std::string& name, const IOOptions& options,
                                        IODebugContext* dbg) {
  return Note(FileSystemWrapper::CreateDirIfMissing(name, options, dbg));
}

IOStatus SpaceWatch::NewDirectory(const std::string& name, const IOOptions& options,
                                  std::unique_ptr<rocksdb::FSDirectory>* result,
                                  IODebugContext* dbg) {
  return Note(FileSystemWrapper::NewDirectory(name, options, result, dbg));
}

std::unique_ptr<rocksdb::Env> NewSpaceWatchEnv(std::shared_ptr<SpaceWatch>* watch) {
  *watch = std::make_shared<SpaceWatch>();
  return rocksdb::NewCompositeEnv(*watch);
}

}  // namespace newsd::storage
