#pragma once

// Plain file helpers of the restore (storage/rocks_restore.cc): a copy that reports the
// errno of the call that failed, directories made and removed again, and byte counts for
// people. No RocksDB here.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace newsd::storage {

/// Copies the regular file `from` to `to`, which must not exist, with `from`'s permission
/// bits, and syncs `to` to disk. 0, or the errno of the call that failed (ENOSPC: the disk
/// is full), `to` then holding what was written of it. (std::filesystem::copy_file reports a
/// short sendfile, which is how a full disk first shows, as EIO.)
int CopyFileSynced(const std::filesystem::path& from, const std::filesystem::path& to);

/// Creates `dir` and whichever of its parents are missing, as `mkdir -p` does, appending to
/// `*made` each directory this call created itself, outermost first: none that was there, nor
/// one another process made meanwhile. 0, or the errno of the mkdir that failed (`*made` then
/// holds those made before it).
int MakeDirs(const std::filesystem::path& dir, std::vector<std::filesystem::path>* made);

/// Removes the directories of `made` (from MakeDirs) deepest first, each only while it is
/// empty (rmdir): what a failed restore made, and nothing else.
void RemoveMadeDirs(const std::vector<std::filesystem::path>& made);

/// Free space on a file system, in bytes.
struct DiskSpace {
  uint64_t free = 0;            ///< what an unprivileged writer may still use (statvfs f_bavail)
  uint64_t block = 4096;        ///< the unit it is counted and files are given space in (f_frsize)
  uint64_t files = UINT64_MAX;  ///< files (inodes) an unprivileged writer may still make (f_favail)
};
/// The space on `dir`'s file system; nullopt when statvfs fails.
std::optional<DiskSpace> SpaceOn(const std::string& dir);

/// `bytes` rounded up to whole `block`s: the space a file of that size takes.
inline uint64_t InBlocks(uint64_t bytes, uint64_t block) {
  return block == 0 ? bytes : (bytes + block - 1) / block * block;
}

/// `bytes` for people: "812 bytes", "4.0 KiB", "119.7 MiB", "2.31 GiB".
std::string HumanBytes(uint64_t bytes);

}  // namespace newsd::storage
