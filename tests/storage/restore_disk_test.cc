// A restore into a file system that is, or becomes, too small. Mounts a small tmpfs: needs
// root, and skips (with the reason) when the mount fails; always unmounts.

#include <gtest/gtest.h>
#include <sys/statvfs.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/storage/archive_test_util.h"

namespace newsd::storage {
namespace {

namespace fs = std::filesystem;

uint64_t FreeOn(const std::string& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return 0;
  return uint64_t{st.f_bavail} * st.f_frsize;
}

// A tmpfs of `size` mounted on a fresh directory for the object's life.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& size) : dir_(tmp_.str() + "/disk") {
    fs::create_directory(dir_);
    mounted_ = ::newsd::testing::RunCommand(
                   "mount -t tmpfs -o size=" + size + " tmpfs " + dir_ + " 2>&1", &why_) == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::newsd::testing::RunCommand("umount -l " + dir_ + " 2>&1");
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }
  const std::string& dir() const { return dir_; }

  // Grows or shrinks a filler file until exactly `leave` bytes are free (a tmpfs counts
  // whole pages: `leave` a multiple of 4 KiB). False when that cannot be done.
  bool LeaveFree(uint64_t leave) {
    const std::string filler = dir_ + "/filler";
    const uint64_t free = FreeOn(dir_);
    std::error_code ec;
    const uint64_t size = fs::exists(filler) ? fs::file_size(filler, ec) : 0;
    if (free < leave) {
      if (size < leave - free) return false;
      fs::resize_file(filler, size - (leave - free), ec);  // frees those pages
    } else {
      std::ofstream out(filler, std::ios::binary | std::ios::app);
      const std::string block(4096, '\0');
      for (uint64_t left = free - leave; left > 0;) {
        const uint64_t n = std::min<uint64_t>(left, block.size());
        out.write(block.data(), static_cast<std::streamsize>(n));
        left -= n;
      }
    }
    return FreeOn(dir_) == leave;
  }
  void RemoveFiller() { fs::remove(dir_ + "/filler"); }

 private:
  ::newsd::testing::TempDir tmp_;
  std::string dir_;
  std::string why_;
  bool mounted_ = false;
};

class RestoreDiskTest : public ::testing::Test {
 protected:
  // A backup of an archive of `items` items, in tables.
  std::string MakeBackup(int items) {
    std::string backup = options().data_dir + "-backup";
    {
      std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
      Batch batch;
      for (int i = 0; i < items; ++i) batch.PutItem(MakeItem("i" + std::to_string(i), "s", i));
      EXPECT_TRUE(archive->Commit(batch).ok());
    }  // the close writes the tables
    EXPECT_TRUE(Must(OpenArchive(options()))->Backup(backup).has_value());
    return backup;
  }
  void TearDown() override { fs::remove_all(options().data_dir + "-backup"); }
  Options options() const { return impl_.options(); }
  RocksImpl impl_;
};

// The disk fills while the backup's files are copied: the restore says the disk is full
// (libstdc++'s copy_file made a short write of it "Input/output error"), what it needs and
// what is free, and leaves the target empty: no half archive. With space back, the same
// restore into the same directory works.
TEST_F(RestoreDiskTest, ADiskThatFillsDuringTheCopyIsNamedAndLeavesNothing) {
  SmallDisk disk("8m");
  if (!disk.mounted()) GTEST_SKIP() << "needs root to mount a tmpfs: " << disk.why();
  const std::string backup = MakeBackup(500);
  const std::string target = disk.dir() + "/restored";
  bool filled = false;
  const RestoreProgress fill = [&](RestoreStep step, uint64_t, uint64_t) {
    // After each file, one page left: the first file larger than that is cut short (a
    // short write, then ENOSPC).
    if (step == RestoreStep::kCopying) filled = disk.LeaveFree(4096) || filled;
    return true;
  };
  Result<BackupInfo> full = RestoreArchive(backup, target, fill);
  ASSERT_TRUE(filled) << "the tmpfs could not be filled";
  ASSERT_FALSE(full.has_value()) << "restored into a full disk";
  const std::string message = full.error().message();
  EXPECT_EQ(full.error().code(), Status::Code::kResourceExhausted) << message;
  EXPECT_NE(message.find("is full"), std::string::npos) << message;
  EXPECT_NE(message.find("the restore needs "), std::string::npos) << message;
  EXPECT_NE(message.find(" is free"), std::string::npos) << message;
  EXPECT_NE(message.find("nothing was restored"), std::string::npos) << message;
  EXPECT_EQ(message.find("Input/output error"), std::string::npos) << message;
  // The restore made the directory: it is gone again, as after a refusal before the copy.
  EXPECT_FALSE(fs::exists(target)) << "a failed restore left " << target;
  EXPECT_NE(message.find("which it made, is gone again"), std::string::npos) << message;

  // A directory that was there (empty) stays, emptied again.
  fs::create_directory(target);
  disk.RemoveFiller();
  Result<BackupInfo> again = RestoreArchive(backup, target, fill);
  ASSERT_FALSE(again.has_value()) << "restored into a full disk";
  EXPECT_NE(again.error().message().find("is empty again"), std::string::npos)
      << again.error().message();
  EXPECT_TRUE(fs::is_empty(target)) << "a failed restore left files in " << target;

  disk.RemoveFiller();
  ASSERT_TRUE(RestoreArchive(backup, target, nullptr).has_value());
  Options restored = options();
  restored.data_dir = target;
  EXPECT_TRUE(Must(Must(OpenArchive(restored))->GetItem("i499")).has_value());
}

// The disk fills between the copy and the restored archive's first open (which the restore
// makes: it writes a manifest, an OPTIONS file, a log and the renumbering beside the copied
// files, and flushes them at its close). However little is left -- nothing, or enough for
// some of those writes, so that one fails in the open, another only in the close's flush --
// the restore is no success: it says the file system is full and what to do, and leaves no
// half-restored archive (the directory it made is gone). With space back it works.
TEST_F(RestoreDiskTest, ADiskThatFillsBeforeTheFirstOpenIsNamedAndLeavesNothing) {
  SmallDisk disk("32m");
  if (!disk.mounted()) GTEST_SKIP() << "needs root to mount a tmpfs: " << disk.why();
  const std::string backup = MakeBackup(500);
  for (const uint64_t leave : {0, 4096, 8192, 16384, 65536}) {
    SCOPED_TRACE("free at the first open: " + std::to_string(leave));
    const std::string target = disk.dir() + "/restored-" + std::to_string(leave);
    bool filled = false;
    const RestoreProgress fill = [&](RestoreStep step, uint64_t done, uint64_t total) {
      if (step == RestoreStep::kCopying && done == total) filled = disk.LeaveFree(leave);
      return true;
    };
    Result<BackupInfo> full = RestoreArchive(backup, target, fill);
    ASSERT_TRUE(filled) << "the tmpfs could not be filled";
    ASSERT_FALSE(full.has_value()) << "restored, though its first open ran out of space";
    const std::string message = full.error().message();
    EXPECT_EQ(full.error().code(), Status::Code::kResourceExhausted) << message;
    EXPECT_NE(message.find("is full"), std::string::npos) << message;
    EXPECT_NE(message.find("first open"), std::string::npos) << message;
    EXPECT_NE(message.find("nothing was restored"), std::string::npos) << message;
    EXPECT_NE(message.find("free space there"), std::string::npos) << message;
    EXPECT_FALSE(fs::exists(target)) << "a failed restore left " << target;
    disk.RemoveFiller();
  }
  const std::string target = disk.dir() + "/restored";
  ASSERT_TRUE(RestoreArchive(backup, target, nullptr).has_value());
  Options restored = options();
  restored.data_dir = target;
  EXPECT_TRUE(Must(Must(OpenArchive(restored))->GetItem("i499")).has_value());
}

// A restore into a path whose parents are missing makes them (as mkdir -p); one that fails
// removes exactly the directories it made, deepest first, and none that was there before:
// refused before the copy (too little space), or failed during it (the disk fills).
TEST_F(RestoreDiskTest, AFailedRestoreRemovesTheDirectoriesItMadeAndNoOther) {
  SmallDisk disk("8m");
  if (!disk.mounted()) GTEST_SKIP() << "needs root to mount a tmpfs: " << disk.why();
  const std::string backup = MakeBackup(500);
  const std::string kept = disk.dir() + "/kept";  // there before the restore
  fs::create_directory(kept);
  const std::string made = kept + "/made";  // the outermost directory the restore makes
  const std::string target = made + "/by/restore";

  ASSERT_TRUE(disk.LeaveFree(uint64_t{64} << 10));
  Result<BackupInfo> refused = RestoreArchive(backup, target, nullptr);
  ASSERT_FALSE(refused.has_value()) << "restored with 64 KiB free";
  EXPECT_NE(refused.error().message().find(" short -- nothing was restored"), std::string::npos)
      << refused.error().message();
  EXPECT_FALSE(fs::exists(made)) << "a refused restore left directories it made under " << made;
  EXPECT_TRUE(fs::is_directory(kept)) << "a refused restore removed " << kept;
  disk.RemoveFiller();

  bool filled = false;
  const RestoreProgress fill = [&](RestoreStep step, uint64_t, uint64_t) {
    if (step == RestoreStep::kCopying) filled = disk.LeaveFree(4096) || filled;
    return true;
  };
  Result<BackupInfo> full = RestoreArchive(backup, target, fill);
  ASSERT_TRUE(filled) << "the tmpfs could not be filled";
  ASSERT_FALSE(full.has_value()) << "restored into a full disk";
  const std::string message = full.error().message();
  EXPECT_NE(message.find("which it made, is gone again, and so are the directories it made "
                         "above it, from " +
                         made + ")"),
            std::string::npos)
      << message;
  EXPECT_FALSE(fs::exists(made)) << "a failed restore left directories it made under " << made;
  EXPECT_TRUE(fs::is_directory(kept)) << "a failed restore removed " << kept;

  disk.RemoveFiller();
  ASSERT_TRUE(RestoreArchive(backup, target, nullptr).has_value());
  EXPECT_TRUE(fs::exists(target + "/CURRENT"));
}

// A file system with room but no inodes left (a tmpfs of 8 of them: the directory and a few
// files) refuses a file with ENOSPC too: the message says it can hold no more files, not that
// it is full with more free than needed.
TEST_F(RestoreDiskTest, AFileSystemOutOfInodesIsNamedAsSuch) {
  SmallDisk disk("8m,nr_inodes=8");
  if (!disk.mounted()) GTEST_SKIP() << "needs root to mount a tmpfs: " << disk.why();
  const std::string backup = MakeBackup(500);
  const std::string target = disk.dir() + "/restored";
  Result<BackupInfo> restored = RestoreArchive(backup, target, nullptr);
  ASSERT_FALSE(restored.has_value()) << "restored into a file system of 8 inodes";
  const std::string message = restored.error().message();
  EXPECT_NE(message.find("can hold no more files"), std::string::npos) << message;
  EXPECT_EQ(message.find("is full"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(target)) << "a failed restore left " << target;
}

// The same when the inodes run out at the restored archive's first open (its LOCK, its log, a
// new MANIFEST), after every file was copied: named as such, never as another process holding
// the archive or a full disk, and nothing left. Tried with each inode count from one short of
// the copy's to a few past it, so that every file the first open makes is the one refused.
TEST_F(RestoreDiskTest, InodesRunningOutAtTheFirstOpenAreNamedAsSuch) {
  const std::string backup = MakeBackup(500);
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(backup)) ++files;
  size_t failed_at_open = 0;
  for (size_t inodes = files + 2; inodes <= files + 10; ++inodes) {
    SCOPED_TRACE("nr_inodes=" + std::to_string(inodes));
    SmallDisk disk("8m,nr_inodes=" + std::to_string(inodes));
    if (!disk.mounted()) GTEST_SKIP() << "needs root to mount a tmpfs: " << disk.why();
    const std::string target = disk.dir() + "/restored";
    Result<BackupInfo> restored = RestoreArchive(backup, target, nullptr);
    if (restored.has_value()) continue;  // inodes enough
    const std::string message = restored.error().message();
    failed_at_open += message.find("first open") != std::string::npos ? 1 : 0;
    EXPECT_NE(message.find("can hold no more files"), std::string::npos) << message;
    EXPECT_EQ(message.find("locked by another process"), std::string::npos) << message;
    EXPECT_FALSE(fs::exists(target)) << "a failed restore left " << target;
  }
  EXPECT_GT(failed_at_open, 0u) << "no inode count made the first open fail";
}

// A target written with ".." after a directory that is not there names the directory above
// it, which was: it is refused as not empty, and nothing in it is touched or removed.
TEST_F(RestoreDiskTest, ATargetThroughAMissingDirectoryAndDotDotIsCheckedForEmptiness) {
  const std::string backup = MakeBackup(50);
  ::newsd::testing::TempDir tmp;
  const std::string user = tmp.str() + "/user";
  fs::create_directory(user);
  std::ofstream(user + "/notes.txt") << "precious\n";
  Result<BackupInfo> restored = RestoreArchive(backup, user + "/missing/..", nullptr);
  ASSERT_FALSE(restored.has_value()) << "restored into a directory holding a file";
  EXPECT_NE(restored.error().message().find("is not empty"), std::string::npos)
      << restored.error().message();
  EXPECT_TRUE(fs::exists(user + "/notes.txt"));
  EXPECT_FALSE(fs::exists(user + "/missing")) << "the refused restore left what it made";
  EXPECT_FALSE(fs::exists(user + "/CURRENT")) << "the refused restore copied files";
}

// The room a restore needs, as its refusal gives it in bytes ("(N bytes)", the first figure).
uint64_t NeededIn(const std::string& message) {
  const size_t open = message.find(" (");
  return open == std::string::npos ? 0 : std::strtoull(message.c_str() + open + 2, nullptr, 10);
}

// The check before the copy compares bytes as the file system counts them: each file in whole
// blocks, and what the archive's first open writes. Free space of the backup's byte count
// (which passed, and the copy then failed) is refused before anything is copied, and so is one
// block less than the figure the refusal gives; that figure itself is enough for the copy and
// the first open, with no write of it failing for want of space.
TEST_F(RestoreDiskTest, TheSpaceCheckCountsEveryBlockTheRestoreWrites) {
  SmallDisk disk("16m");
  if (!disk.mounted()) GTEST_SKIP() << "needs root to mount a tmpfs: " << disk.why();
  const std::string backup = MakeBackup(500);
  uint64_t bytes = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(backup)) bytes += e.file_size();
  const std::string target = disk.dir() + "/restored";
  bool copied = false;
  const RestoreProgress watch = [&](RestoreStep step, uint64_t, uint64_t) {
    copied = copied || step == RestoreStep::kCopying;
    return true;
  };

  ASSERT_TRUE(disk.LeaveFree((bytes + 4095) / 4096 * 4096));
  Result<BackupInfo> short_of_blocks = RestoreArchive(backup, target, watch);
  ASSERT_FALSE(short_of_blocks.has_value()) << "restored with the backup's bytes free";
  const std::string message = short_of_blocks.error().message();
  EXPECT_EQ(short_of_blocks.error().code(), Status::Code::kResourceExhausted) << message;
  EXPECT_FALSE(copied) << "the check passed and the copy ran out of space: " << message;
  EXPECT_NE(message.find(" short -- nothing was restored"), std::string::npos) << message;
  const uint64_t needed = NeededIn(message);
  ASSERT_GT(needed, bytes) << message;
  ASSERT_EQ(needed % 4096, 0u) << message;

  ASSERT_TRUE(disk.LeaveFree(needed - 4096));
  Result<BackupInfo> one_block_short = RestoreArchive(backup, target, watch);
  ASSERT_FALSE(one_block_short.has_value()) << "restored one block short";
  EXPECT_FALSE(copied);
  EXPECT_NE(one_block_short.error().message().find("4.0 KiB short"), std::string::npos)
      << one_block_short.error().message();

  ASSERT_TRUE(disk.LeaveFree(needed));
  Result<BackupInfo> enough = RestoreArchive(backup, target, watch);
  ASSERT_TRUE(enough.has_value()) << enough.error().ToString();
  EXPECT_GT(FreeOn(disk.dir()), 0u) << "the first open filled the disk";
  Options restored = options();
  restored.data_dir = target;
  EXPECT_TRUE(Must(Must(OpenArchive(restored))->GetItem("i499")).has_value());
}

}  // namespace
}  // namespace newsd::storage
