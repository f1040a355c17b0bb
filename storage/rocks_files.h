#pragma once

// An archive's directory on disk, outside an open archive: its files listed and measured,
// whether a process holds it, and a copy of it read back against its checksums. What the
// backup (storage/rocks_backup.cc) and the restore (storage/rocks_restore.cc) both use.
// Storage-internal: only storage/*.cc include this (RocksDB stays inside storage/).

#include <rocksdb/status.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/archive.h"

namespace newsd::storage {

/// Files directly in `dir` (a checkpoint has no subdirectories), CURRENT last. NotFound when
/// `dir` is not a directory or holds no CURRENT file; IOError when it cannot be listed.
Result<std::vector<std::filesystem::path>> ListFiles(const std::filesystem::path& dir);

/// How many `files` there are and the sum of their sizes (a file whose size cannot be read
/// counts with 0 bytes).
BackupInfo Measure(const std::vector<std::filesystem::path>& files);

/// Whether another process holds `dir`'s LOCK (a running newsd: its files change while they
/// are copied). True too when the LOCK is there but may not be opened (cannot tell: assume the
/// worst); false when there is no LOCK.
bool LockHeld(const std::filesystem::path& dir);

/// Opens the copy in `dir` read-only with paranoid checks (every table file the manifest names
/// present, at its recorded size; no table file in `dir` that the manifest does not name, as a
/// manifest cut short leaves) and reads every block against its checksum, one table file
/// at a time so that `progress` (may be empty; RestoreStep::kChecking) can follow (what
/// DB::VerifyChecksum does in one call): what the writer will need of it. (A secondary
/// instance, OpenArchiveReadOnly, falls back to an earlier state over a missing file instead.)
/// Corruption says what is wrong; Aborted when `progress` said stop.
rocksdb::Status ReadCopyBack(const std::string& dir, const RestoreProgress& progress);

}  // namespace newsd::storage
