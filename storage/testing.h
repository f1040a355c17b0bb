#pragma once

// Test hooks into the RocksDB archive, for tests/storage only (no RocksDB in this header).

#include <atomic>
#include <memory>
#include <string_view>

#include "core/status.h"
#include "storage/archive.h"
#include "storage/options.h"

namespace newsd::storage::testing {

/// Opens the archive read-write, writes `value` under `key` of the column family named
/// `family` ("default", "items", ...) without encoding, and closes it. Lets tests plant
/// corrupt values or a foreign schema version.
Status WriteRaw(const Options& options, std::string_view family, std::string_view key,
                std::string_view value);

/// Opens the archive read-write and deletes every key of the column family named `family`
/// (how an archive of an older schema lacks a later family's records).
Status ClearFamily(const Options& options, std::string_view family);

/// Opens the archive read-write and counts the keys of the column family named `family`.
Result<size_t> CountKeys(const Options& options, std::string_view family);

/// How write-ahead-log appends fail (OpenArchiveWithWalFaults).
enum class WalFault {
  kNone,
  kNoSpace,  ///< ENOSPC: RocksDB stops writes; the next Commit resumes once space is back.
  kIOError,  ///< EIO: fatal for RocksDB; writes fail until the archive is reopened.
};

/// OpenArchive over a file system whose write-ahead-log appends fail as *fault says.
Result<std::unique_ptr<Archive>> OpenArchiveWithWalFaults(
    const Options& options, std::shared_ptr<std::atomic<WalFault>> fault);

}  // namespace newsd::storage::testing
