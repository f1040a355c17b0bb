// RocksDB archive backups and restores, and archives whose copy or first open was cut short.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "storage/rocks_util.h"
#include "tests/storage/archive_test_util.h"
#include "tests/storage/rocks_archive_test_util.h"

namespace newsd::storage {
namespace {

namespace fs = std::filesystem;

// Bytes of the write-ahead logs in `dir`.
uint64_t LogBytes(const std::string& dir) {
  uint64_t bytes = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".log") bytes += fs::file_size(e.path());
  }
  return bytes;
}

// A backup of a running archive holds its commits in tables (flushed first), not in a log
// whose cut-off end could not be told from a clean one; and a restore refuses a copy whose log
// was cut short instead of restoring the archive without the lost commits.
TEST_F(RocksArchiveTest, ARestoreRefusesALogCutShort) {
  const std::string live_copy = options().data_dir + "-live-copy";
  const std::string backup = options().data_dir + "-backup";
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    for (int i = 0; i < 200; ++i) batch.PutItem(MakeItem("i" + std::to_string(i), "s", i));
    ASSERT_TRUE(archive->Commit(batch).ok());
    // The commits are in the log only (the archive is open): a copy of the files as they are.
    fs::create_directory(live_copy);
    for (const fs::directory_entry& e : fs::directory_iterator(options().data_dir)) {
      if (e.path().filename() != "LOCK") fs::copy_file(e.path(), live_copy / e.path().filename());
    }
    ASSERT_TRUE(archive->Backup(backup).has_value());
  }
  EXPECT_EQ(LogBytes(backup), 0u) << "the backup's commits should be in its tables";
  ASSERT_GT(LogBytes(live_copy), 4096u);
  for (const fs::directory_entry& e : fs::directory_iterator(live_copy)) {
    if (e.path().extension() == ".log") fs::resize_file(e.path(), fs::file_size(e.path()) / 2);
  }
  Result<BackupInfo> cut = RestoreArchive(live_copy, options().data_dir + "-from-cut", nullptr);
  ASSERT_FALSE(cut.has_value()) << "a log cut in half was restored";
  EXPECT_EQ(cut.error().code(), Status::Code::kCorruption) << cut.error().ToString();
  EXPECT_FALSE(fs::exists(options().data_dir + "-from-cut/CURRENT"));

  ASSERT_TRUE(RestoreArchive(backup, options().data_dir + "-restored", nullptr).has_value());
  Options restored = options();
  restored.data_dir += "-restored";
  std::unique_ptr<Archive> archive = Must(OpenArchive(restored));
  for (int i = 0; i < 200; i += 37) {
    Result<std::optional<ItemRecord>> item = archive->GetItem("i" + std::to_string(i));
    ASSERT_TRUE(item.has_value() && item->has_value()) << "item i" << i << " lost";
  }
  archive.reset();
  for (const char* suffix : {"-live-copy", "-backup", "-from-cut", "-restored"}) {
    fs::remove_all(options().data_dir + suffix);
  }
}

// A backup whose MANIFEST was cut short (an interrupted copy) reads as an archive without the
// tables its last edits added: the restore refuses it instead of restoring what it describes.
TEST_F(RocksArchiveTest, ARestoreRefusesAManifestCutShort) {
  const std::string backup = options().data_dir + "-backup";
  for (int round = 0; round < 3; ++round) {  // a table per round (a close flushes), then more
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    for (int i = 0; i < 100; ++i) {
      batch.PutItem(MakeItem("r" + std::to_string(round) + "-" + std::to_string(i), "s", i));
    }
    ASSERT_TRUE(archive->Commit(batch).ok());
    if (round == 2) {
      ASSERT_TRUE(archive->Backup(backup).has_value());
    }
  }
  for (const fs::directory_entry& e : fs::directory_iterator(backup)) {
    if (e.path().filename().string().rfind("MANIFEST-", 0) == 0) {
      fs::resize_file(e.path(), fs::file_size(e.path()) - 100);
    }
  }
  Result<BackupInfo> cut = RestoreArchive(backup, options().data_dir + "-from-cut", nullptr);
  ASSERT_FALSE(cut.has_value()) << "a MANIFEST cut short was restored";
  EXPECT_EQ(cut.error().code(), Status::Code::kCorruption) << cut.error().ToString();
  EXPECT_NE(cut.error().message().find("MANIFEST does not name it"), std::string::npos)
      << cut.error().ToString();
  EXPECT_FALSE(fs::exists(options().data_dir + "-from-cut/CURRENT"));
  for (const char* suffix : {"-backup", "-from-cut"}) fs::remove_all(options().data_dir + suffix);
}

// A consumer of the export that had read past the backup's last item before the archive was
// lost resumes with its cursor after a restore and is sent every item stored since (they
// used to take the numbers it had passed, and were never exported to it). The restored archive
// keeps the archive id its cursors carry.
TEST_F(RocksArchiveTest, ExportCursorsOfTheLostTimelineMissNothingAfterARestore) {
  const std::string backup = options().data_dir + "-backup";
  uint64_t cursor = 0;
  std::string id;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    id = Must(archive->ArchiveId());
    Batch before;
    for (int i = 0; i < 3; ++i) before.PutItem(MakeItem("b" + std::to_string(i), "s", i));
    ASSERT_TRUE(archive->Commit(before).ok());
    ASSERT_TRUE(archive->Backup(backup).has_value());
    Batch lost;  // stored after the backup, lost with the archive
    for (int i = 0; i < 5; ++i) lost.PutItem(MakeItem("l" + std::to_string(i), "s", i));
    ASSERT_TRUE(archive->Commit(lost).ok());
    cursor = Must(archive->ItemsFrom(0, 100)).back().seq + 1;  // the consumer read them all
  }
  Options restored = options();
  restored.data_dir += "-restored";
  ASSERT_TRUE(RestoreArchive(backup, restored.data_dir, nullptr).has_value());
  std::unique_ptr<Archive> archive = Must(OpenArchive(restored));
  EXPECT_EQ(Must(archive->ArchiveId()), id) << "a restore is the same archive's";
  EXPECT_GT(Must(archive->NextItemSeq()), cursor);
  Batch after;
  after.PutItem(MakeItem("new", "s", 9));
  ASSERT_TRUE(archive->Commit(after).ok());
  std::vector<std::string> sent;
  for (const SequencedItem& e : Must(archive->ItemsFrom(cursor, 100))) sent.push_back(e.item.id);
  EXPECT_EQ(sent, (std::vector<std::string>{"new"}));
  EXPECT_EQ(Must(archive->ItemsFrom(0, 100)).size(), 4u);
  // A backup of the restored archive, restored twice a second apart (a consumer of the first
  // resuming on the second): the second's numbers pass the first's.
  const std::string backup2 = options().data_dir + "-backup2";
  ASSERT_TRUE(archive->Backup(backup2).has_value());
  archive.reset();
  EXPECT_FALSE(fs::exists(restored.data_dir + "/RESTORED-RENUMBER-PENDING"));
  Options first = options();
  first.data_dir += "-first";
  ASSERT_TRUE(RestoreArchive(backup2, first.data_dir, nullptr).has_value());
  uint64_t after_first = 0;
  {
    std::unique_ptr<Archive> a = Must(OpenArchive(first));
    Batch more;
    more.PutItem(MakeItem("x1", "s", 10));
    ASSERT_TRUE(a->Commit(more).ok());
    after_first = Must(a->NextItemSeq());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  Options again = options();
  again.data_dir += "-again";
  ASSERT_TRUE(RestoreArchive(backup2, again.data_dir, nullptr).has_value());
  EXPECT_GT(Must(Must(OpenArchive(again))->NextItemSeq()), after_first);
  // A restore cut off before the archive's first open (the marker left): that open renumbers.
  fs::remove_all(again.data_dir);
  ASSERT_TRUE(RestoreArchive(backup, again.data_dir, nullptr).has_value());
  const uint64_t restored_next = Must(Must(OpenArchive(again))->NextItemSeq());
  std::ofstream(again.data_dir + "/RESTORED-RENUMBER-PENDING").close();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_GT(Must(Must(OpenArchive(again))->NextItemSeq()), restored_next);
  EXPECT_FALSE(fs::exists(again.data_dir + "/RESTORED-RENUMBER-PENDING"));
  for (const std::string& dir :
       {backup, backup2, restored.data_dir, first.data_dir, again.data_dir}) {
    fs::remove_all(dir);
  }
}

// A backup inside the archive's own directory would be lost with it (and a restore needs an
// empty data_dir): refused, however the path is spelled; one beside it is made.
// A file system mounted read-only refuses the LOCK too: named as such, not as another
// process holding the archive.
TEST(FromRocksTest, AReadOnlyFileSystemIsNoLockHeld) {
  const Status s =
      FromRocks(rocksdb::Status::IOError("While lock file: /srv/a/LOCK", "Read-only file system"),
                "opening", "/srv/a");
  EXPECT_EQ(s.code(), Status::Code::kIOError) << s.ToString();
  EXPECT_NE(s.message().find("mounted read-only"), std::string::npos) << s.ToString();
  EXPECT_EQ(s.message().find("locked by another process"), std::string::npos) << s.ToString();
}

TEST_F(RocksArchiveTest, ABackupInsideTheDataDirIsRefused) {
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  const std::string data_dir = options().data_dir;
  for (const std::string& inside :
       {data_dir + "/backup", data_dir + "/../" + fs::path(data_dir).filename().string() + "/b2",
        data_dir + "/"}) {
    Result<BackupInfo> refused = archive->Backup(inside);
    ASSERT_FALSE(refused.has_value()) << inside;
    EXPECT_EQ(refused.error().code(), Status::Code::kInvalidArgument) << inside;
    EXPECT_NE(refused.error().message().find("inside the archive's data_dir"), std::string::npos)
        << refused.error().message();
  }
  EXPECT_FALSE(fs::exists(data_dir + "/backup"));
  const std::string beside = data_dir + "-beside";
  EXPECT_TRUE(archive->Backup(beside).has_value());
  fs::remove_all(beside);
  // A symbolic link to nothing is there as well: refused, and left alone (a failed backup
  // removed it).
  const std::string dangling = data_dir + "-link";
  fs::create_symlink(data_dir + "-nowhere", dangling);
  Result<BackupInfo> linked = archive->Backup(dangling);
  ASSERT_FALSE(linked.has_value());
  EXPECT_EQ(linked.error().code(), Status::Code::kInvalidArgument) << linked.error().ToString();
  EXPECT_TRUE(fs::is_symlink(dangling));
  fs::remove(dangling);
}

// A restore reports its check of the backup's tables (which reads them all, long for a big
// archive) before its copy, each to its total; a damaged table stops it before any copying.
TEST_F(RocksArchiveTest, ARestoreReportsItsCheckThenItsCopy) {
  namespace fs = std::filesystem;
  const std::string backup = options().data_dir + "-backup";
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    for (int i = 0; i < 50; ++i) batch.PutItem(MakeItem("i" + std::to_string(i), "s", i));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }  // the close writes the tables
  ASSERT_TRUE(Must(OpenArchive(options()))->Backup(backup).has_value());
  std::vector<std::tuple<RestoreStep, uint64_t, uint64_t>> calls;
  const RestoreProgress record = [&](RestoreStep step, uint64_t done, uint64_t total) {
    calls.emplace_back(step, done, total);
    return true;
  };
  ASSERT_TRUE(RestoreArchive(backup, options().data_dir + "-restored", record).has_value());
  const auto first_copy = std::find_if(calls.begin(), calls.end(), [](const auto& c) {
    return std::get<0>(c) == RestoreStep::kCopying;
  });
  ASSERT_NE(first_copy, calls.begin()) << "no check reported";
  ASSERT_NE(first_copy, calls.end()) << "no copy reported";
  const auto& [check_step, checked, check_total] = *std::prev(first_copy);
  EXPECT_GT(check_total, 0u);
  EXPECT_EQ(checked, check_total);
  EXPECT_TRUE(std::all_of(first_copy, calls.end(),
                          [](const auto& c) { return std::get<0>(c) == RestoreStep::kCopying; }));
  EXPECT_EQ(std::get<1>(calls.back()), std::get<2>(calls.back()));

  // One byte of a table flipped: refused while checking, nothing copied.
  for (const fs::directory_entry& e : fs::directory_iterator(backup)) {
    if (e.path().extension() != ".sst" || fs::file_size(e.path()) < 64) continue;
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(16);
    const char c = static_cast<char>(f.get());
    f.seekp(16);
    f.put(static_cast<char>(c ^ 0x01));
    break;
  }
  calls.clear();
  Result<BackupInfo> damaged = RestoreArchive(backup, options().data_dir + "-damaged", record);
  ASSERT_FALSE(damaged.has_value());
  EXPECT_EQ(damaged.error().code(), Status::Code::kCorruption) << damaged.error().ToString();
  EXPECT_TRUE(std::none_of(calls.begin(), calls.end(),
                           [](const auto& c) { return std::get<0>(c) == RestoreStep::kCopying; }));
  for (const char* suffix : {"-backup", "-restored", "-damaged"}) {
    fs::remove_all(options().data_dir + suffix);
  }
}

// A restore stopped (Ctrl-C: its progress says stop) while it checks or copies leaves no
// half archive: the directories it made are removed, a directory that was there is empty
// again, and the error says so; the same restore run again then works.
TEST_F(RocksArchiveTest, AStoppedRestoreLeavesNothingBehind) {
  namespace fs = std::filesystem;
  const std::string backup = options().data_dir + "-backup";
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;  // tables in several families: the check and the copy stop part-way
    for (int i = 0; i < 150; ++i) batch.PutItem(MakeItem("i" + std::to_string(i), "s", i));
    ASSERT_TRUE(archive->Commit(batch).ok());
    ASSERT_TRUE(archive->Backup(backup).has_value());
  }
  for (const RestoreStep stop_at : {RestoreStep::kChecking, RestoreStep::kCopying}) {
    const std::string made = options().data_dir + "-stopped/data";
    const std::string existing = options().data_dir + "-existing";
    fs::create_directories(existing);
    for (const std::string& target : {made, existing}) {
      int copied = 0;
      const RestoreProgress stop = [&](RestoreStep step, uint64_t, uint64_t) {
        return step != stop_at || ++copied < 2;
      };
      Result<BackupInfo> stopped = RestoreArchive(backup, target, stop);
      ASSERT_FALSE(stopped.has_value()) << target;
      EXPECT_EQ(stopped.error().code(), Status::Code::kAborted) << stopped.error().ToString();
      EXPECT_NE(stopped.error().message().find("nothing was restored"), std::string::npos)
          << stopped.error().ToString();
      EXPECT_EQ(copied, 2);
    }
    EXPECT_FALSE(fs::exists(options().data_dir + "-stopped")) << "the directories it made";
    ASSERT_TRUE(fs::exists(existing));
    EXPECT_TRUE(fs::is_empty(existing)) << "the directory that was there, emptied again";
    ASSERT_TRUE(RestoreArchive(backup, existing, nullptr).has_value());
    Options restored = options();
    restored.data_dir = existing;
    EXPECT_EQ(Must(Must(OpenArchive(restored))->ItemsFrom(0, 500)).size(), 150u);
    fs::remove_all(existing);
  }
  fs::remove_all(backup);
}

// A table of the live archive damaged on disk is copied as it is: the backup reads its copy
// back and refuses (Corruption), keeping none, rather than report a backup no restore takes.
TEST_F(RocksArchiveTest, ABackupOfADamagedArchiveIsRefusedAndNotKept) {
  const std::string backup = options().data_dir + "-backup";
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    for (int i = 0; i < 50; ++i) batch.PutItem(MakeItem("i" + std::to_string(i), "s", i));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }  // the close writes the tables
  bool flipped = false;
  for (const fs::directory_entry& e : fs::directory_iterator(options().data_dir)) {
    if (e.path().extension() != ".sst" || fs::file_size(e.path()) < 64) continue;
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(16);
    const char c = static_cast<char>(f.get());
    f.seekp(16);
    f.put(static_cast<char>(c ^ 0x01));
    flipped = true;
    break;
  }
  ASSERT_TRUE(flipped);
  Result<BackupInfo> made = Must(OpenArchive(options()))->Backup(backup);
  ASSERT_FALSE(made.has_value());
  EXPECT_EQ(made.error().code(), Status::Code::kCorruption) << made.error().ToString();
  EXPECT_NE(made.error().message().find("restore the last good backup"), std::string::npos);
  EXPECT_FALSE(fs::exists(backup));
  EXPECT_FALSE(fs::exists(backup + ".tmp"));
}

// newsd killed during its very first open (the crash test's round 1, 44 ms in): RocksDB had
// written MANIFEST-000001 and not yet CURRENT. That holds no data, so the next start creates
// the archive, instead of refusing it for ever as a copy cut short.
TEST_F(RocksArchiveTest, AFirstOpenCutShortIsCreatedAgain) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(options().data_dir).string() + "-first";
  fs::create_directories(dir);
  std::ofstream(dir / "MANIFEST-000001") << "half a manifest";
  std::ofstream(dir / "IDENTITY") << "8f0c1d2e-0000-4000-8000-000000000000\n";
  std::ofstream(dir / "LOCK");
  Options o = options();
  o.data_dir = dir.string();
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(o));
    Batch batch;
    batch.PutItem(MakeItem("after", "s", 1));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }
  EXPECT_EQ(Must(Must(OpenArchive(o))->StoryItems("s")).size(), 1u);
  fs::remove_all(dir);
}

// Makes the archive of `o` with one item stored ("kept").
void StoreOneItem(const Options& o) {
  std::unique_ptr<Archive> archive = Must(OpenArchive(o));
  Batch batch;
  batch.PutItem(MakeItem("kept", "s", 1));
  ASSERT_TRUE(archive->Commit(batch).ok());
}

// An archive whose CURRENT is garbage, or whose MANIFEST is gone, is damaged: said so, with
// what to do, by the writer and by newsctl's read-only open alike (the reader said "no column
// family: not a newsd archive, or one whose creation is under way").
TEST_F(RocksArchiveTest, ADamagedCurrentOrAMissingManifestIsSaidToBeDamage) {
  StoreOneItem(options());
  namespace fs = std::filesystem;
  for (int damage = 0; damage < 2; ++damage) {
    const fs::path copy = options().data_dir + "-damaged";
    fs::remove_all(copy);
    fs::copy(options().data_dir, copy);
    if (damage == 0) {
      newsd::testing::WriteFile((copy / "CURRENT").string(), "garbage\n");
    } else {
      for (const fs::directory_entry& e : fs::directory_iterator(copy)) {
        if (e.path().filename().string().rfind("MANIFEST-", 0) == 0) fs::remove(e.path());
      }
    }
    Options o = options();
    o.data_dir = copy.string();
    for (int read_only = 0; read_only < 2; ++read_only) {
      Result<std::unique_ptr<Archive>> opened = read_only ? OpenArchiveReadOnly(o) : OpenArchive(o);
      ASSERT_FALSE(opened.has_value()) << "damage=" << damage << " read_only=" << read_only;
      EXPECT_EQ(opened.error().code(), Status::Code::kCorruption) << opened.error().ToString();
      EXPECT_NE(opened.error().message().find("damaged: restore it from a backup"),
                std::string::npos)
          << opened.error().ToString();
    }
    fs::remove_all(copy);
  }
}

// A copy without its CURRENT file (a restore cut short) is refused, not taken for no archive:
// RocksDB would create an empty one and delete the copied tables.
TEST_F(RocksArchiveTest, AnArchiveWithoutCurrentIsRefusedAndLeftAlone) {
  StoreOneItem(options());
  namespace fs = std::filesystem;
  const fs::path half = fs::path(options().data_dir).string() + "-half";
  fs::create_directories(half);
  for (const fs::directory_entry& e : fs::directory_iterator(options().data_dir)) {
    if (e.path().filename() != "CURRENT") fs::copy_file(e.path(), half / e.path().filename());
  }
  const auto count = [&] {
    return std::distance(fs::directory_iterator(half), fs::directory_iterator());
  };
  const auto before = count();
  Options o = options();
  o.data_dir = half.string();
  for (int read_only = 0; read_only < 2; ++read_only) {
    Result<std::unique_ptr<Archive>> opened = read_only ? OpenArchiveReadOnly(o) : OpenArchive(o);
    ASSERT_FALSE(opened.has_value()) << "read_only=" << read_only;
    EXPECT_NE(opened.error().message().find("cut short"), std::string::npos)
        << opened.error().ToString();
  }
  EXPECT_EQ(count(), before) << "nothing may be created or deleted";
  EXPECT_FALSE(fs::exists(half / "CURRENT"));
  fs::remove_all(half);
  // Other programs' logs (a --db pointed at /tmp by mistake) are not archive files: that is
  // no archive, not one cut short (whose advice is to empty the directory).
  const fs::path other = fs::path(options().data_dir).string() + "-other";
  fs::create_directories(other);
  std::ofstream(other / "apt.log") << "not rocksdb\n";
  std::ofstream(other / "build.sst.log") << "not rocksdb\n";
  o.data_dir = other.string();
  Result<std::unique_ptr<Archive>> none = OpenArchiveReadOnly(o);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code(), Status::Code::kNotFound) << none.error().ToString();
  fs::remove_all(other);
}

}  // namespace
}  // namespace newsd::storage
