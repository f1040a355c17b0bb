#include "storage/testing.h"

#include <rocksdb/file_system.h>

#include "storage/rocks_archive.h"

namespace newsd::storage::testing {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;

class FaultyWal : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  IOStatus Injected() const {
    switch (fail_->load()) {
      case WalFault::kNone:
        return IOStatus::OK();
      case WalFault::kNoSpace:
        return IOStatus::NoSpace("injected WAL write failure: no space left on device");
      case WalFault::kIOError:
        break;
    }
    return IOStatus::IOError("injected WAL write failure");
  }
  FaultyWal(std::unique_ptr<rocksdb::FSWritableFile> file,
            std::shared_ptr<std::atomic<WalFault>> fail)
      : FSWritableFileOwnerWrapper(std::move(file)), fail_(std::move(fail)) {}
  IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                  IODebugContext* dbg) override {
    if (IOStatus s = Injected(); !s.ok()) return s;
    return FSWritableFileOwnerWrapper::Append(data, options, dbg);
  }
  IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo& info, IODebugContext* dbg) override {
    if (IOStatus s = Injected(); !s.ok()) return s;
    return FSWritableFileOwnerWrapper::Append(data, options, info, dbg);
  }

 private:
  std::shared_ptr<std::atomic<WalFault>> fail_;
};

class FaultyFs : public rocksdb::FileSystemWrapper {
 public:
  explicit FaultyFs(std::shared_ptr<std::atomic<WalFault>> fail)
      : FileSystemWrapper(rocksdb::FileSystem::Default()), fail_(std::move(fail)) {}
  const char* Name() const override { return "NewsdFaultyFs"; }
  IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                           std::unique_ptr<rocksdb::FSWritableFile>* result,
                           IODebugContext* dbg) override {
    IOStatus s = FileSystemWrapper::NewWritableFile(name, options, result, dbg);
    if (s.ok() && name.ends_with(".log")) {
      *result = std::make_unique<FaultyWal>(std::move(*result), fail_);
    }
    return s;
  }

 private:
  std::shared_ptr<std::atomic<WalFault>> fail_;
};

}  // namespace

Status WriteRaw(const Options& options, std::string_view family, std::string_view key,
                std::string_view value) {
  Result<std::unique_ptr<RocksArchive>> archive = RocksArchive::OpenPrimary(options);
  // A foreign schema version makes the open fail; write it through a fresh open only.
  if (!archive) return archive.error();
  return (*archive)->PutRaw(family, key, value);
}

Status ClearFamily(const Options& options, std::string_view family) {
  Result<std::unique_ptr<RocksArchive>> archive = RocksArchive::OpenPrimary(options);
  if (!archive) return archive.error();
  return (*archive)->ClearRaw(family);
}

Result<size_t> CountKeys(const Options& options, std::string_view family) {
  Result<std::unique_ptr<RocksArchive>> archive = RocksArchive::OpenPrimary(options);
  if (!archive) return Err(archive.error());
  return (*archive)->CountRaw(family);
}

Result<std::unique_ptr<Archive>> OpenArchiveWithWalFaults(
    const Options& options, std::shared_ptr<std::atomic<WalFault>> fault) {
  auto fs = std::make_shared<FaultyFs>(std::move(fault));
  Result<std::unique_ptr<RocksArchive>> archive =
      RocksArchive::OpenPrimary(options, rocksdb::NewCompositeEnv(fs));
  if (!archive) return Err(archive.error());
  return std::unique_ptr<Archive>(std::move(*archive));
}

}  // namespace newsd::storage::testing
