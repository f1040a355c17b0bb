// RocksDB-specific behaviour: locking, secondary readers, corruption, schema, durability.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "storage/rocks_util.h"
#include "tests/storage/archive_test_util.h"

namespace newsd::storage {
namespace {

namespace fs = std::filesystem;
constexpr const char* kHelperEnv = "NEWSD_STORAGE_TEST_WRITER";
constexpr const char* kHelperTest = "RocksArchiveHelper.DISABLED_WriterProcess";

// Run only as the child of WriterProcess: a writer holding the archive at $kHelperEnv. It
// commits item "child:0" and answers "ok" on fd 3, then commits "child:<n>" for each line
// "<n>" on stdin (answering again), and exits at end of input.
TEST(RocksArchiveHelper, DISABLED_WriterProcess) {
  const char* dir = std::getenv(kHelperEnv);
  if (!dir) GTEST_SKIP() << "helper for WriterInAnotherProcess";
  FILE* reply = ::fdopen(3, "w");
  ASSERT_NE(reply, nullptr);
  Options options;
  options.data_dir = dir;
  Result<std::unique_ptr<Archive>> archive = OpenArchive(options);
  if (!archive) std::fprintf(reply, "error %s\n", archive.error().ToString().c_str());
  ASSERT_TRUE(archive.has_value());
  std::string line = "0";
  do {
    Batch batch;
    batch.PutItem(MakeItem("child:" + line, "child:0"));
    std::fprintf(reply, "%s\n", (*archive)->Commit(batch).ok() ? "ok" : "failed");
    std::fflush(reply);
  } while (std::getline(std::cin, line));
  std::fclose(reply);
}

// A writer in another process: this binary re-run with only the helper test.
class WriterProcess {
 public:
  explicit WriterProcess(const std::string& dir) {
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(to_child[0], 0);
      ::dup2(from_child[1], 3);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::setenv(kHelperEnv, dir.c_str(), 1);
      const std::string filter = std::string("--gtest_filter=") + kHelperTest;
      ::execl("/proc/self/exe", "newsd_storage_test", filter.c_str(),
              "--gtest_also_run_disabled_tests", static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    in_ = ::fdopen(to_child[1], "w");
    out_ = ::fdopen(from_child[0], "r");
  }
  ~WriterProcess() {
    if (in_) std::fclose(in_);
    if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
    if (out_) std::fclose(out_);
  }
  /// The child's next reply ("ok" after each commit).
  std::string ReadLine() {
    char buf[512];
    if (!out_ || !std::fgets(buf, sizeof buf, out_)) return "<eof>";
    std::string line(buf);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }
  std::string CommitItem(int n) {
    std::fprintf(in_, "%d\n", n);
    std::fflush(in_);
    return ReadLine();
  }

 private:
  pid_t pid_ = -1;
  FILE* in_ = nullptr;
  FILE* out_ = nullptr;
};

class RocksArchiveTest : public ::testing::Test {
 protected:
  Options options() const { return impl_.options(); }
  RocksImpl impl_;
};

TEST_F(RocksArchiveTest, SecondWriterIsUnavailable) {
  std::unique_ptr<Archive> first = Must(OpenArchive(options()));
  Result<std::unique_ptr<Archive>> second = OpenArchive(options());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), Status::Code::kUnavailable) << second.error().ToString();
  EXPECT_NE(second.error().message().find("is newsd running?"), std::string::npos);
}

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

// A consumer of the export that had read past the backup's last item before the archive was
// lost resumes with its cursor after a restore and is sent every item stored since (they
// used to take the numbers it had passed, and were never exported to it).
TEST_F(RocksArchiveTest, ExportCursorsOfTheLostTimelineMissNothingAfterARestore) {
  const std::string backup = options().data_dir + "-backup";
  uint64_t cursor = 0;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
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

// A copy without its CURRENT file (a restore cut short) is refused, not taken for no archive:
// RocksDB would create an empty one and delete the copied tables.
TEST_F(RocksArchiveTest, AnArchiveWithoutCurrentIsRefusedAndLeftAlone) {
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    batch.PutItem(MakeItem("kept", "s", 1));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }
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

// [storage] raw_bodies = 0 keeps none: the bodies kept before go when the daemon opens the
// archive (drop_raw_bodies_when_off), never when a one-off tool (import, reparse) does; and
// turning it back on starts afresh.
TEST_F(RocksArchiveTest, RawBodiesZeroDropsTheBodiesKeptBefore) {
  auto body = [](const std::string& feed, const std::string& text) {
    return RawBody{feed, 1800000000, "https://example.com/" + feed, "application/rss+xml", text};
  };
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    batch.PutRawBody(archive->PackRawBody(body("f", "<rss>one</rss>")));
    batch.PutRawBody(archive->PackRawBody(body("g", "<rss>two</rss>")));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }
  Options off = options();
  off.raw_bodies = 0;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(off));
    EXPECT_EQ(Must(archive->RawBodies("f")).size(), 1u) << "a tool's open deletes nothing";
  }
  off.drop_raw_bodies_when_off = true;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(off));
    EXPECT_TRUE(Must(archive->RawBodies("f")).empty());
    EXPECT_TRUE(Must(archive->RawBodies("g")).empty());
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_TRUE(Must(archive->RawBodies("f")).empty());
  Batch batch;
  batch.PutRawBody(archive->PackRawBody(body("f", "<rss>three</rss>")));
  ASSERT_TRUE(archive->Commit(batch).ok());
  EXPECT_EQ(Must(archive->RawBodies("f")), (std::vector<RawBody>{body("f", "<rss>three</rss>")}));
}

TEST_F(RocksArchiveTest, WriterInAnotherProcess) {
  WriterProcess writer(options().data_dir);
  ASSERT_EQ(writer.ReadLine(), "ok");
  // The lock is held across processes.
  Result<std::unique_ptr<Archive>> second = OpenArchive(options());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), Status::Code::kUnavailable) << second.error().ToString();
  // A reader follows the running writer.
  std::unique_ptr<Archive> reader = Must(OpenArchiveReadOnly(options()));
  EXPECT_TRUE(Must(reader->HasItem("child:0")));
  ASSERT_EQ(writer.CommitItem(1), "ok");
  ASSERT_TRUE(reader->Refresh().ok());
  EXPECT_TRUE(Must(reader->HasItem("child:1")));
  EXPECT_EQ(Must(reader->StoryItems("child:0")).size(), 2u);
}

// A read-only open removes the temporary directories that killed readers left behind (a
// process that has ended, by the pid in the name), and only those.
TEST_F(RocksArchiveTest, AReadOnlyOpenRemovesWhatEndedReadersLeftBehind) {
  { std::unique_ptr<Archive> writer = Must(OpenArchive(options())); }
  const fs::path tmp = fs::path(options().data_dir).parent_path() / "tmp";
  fs::create_directories(tmp);
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);  // an ended process's pid
  const fs::path ended = tmp / ("newsd-secondary-" + std::to_string(child) + "-abcdef");
  const fs::path running = tmp / ("newsd-secondary-" + std::to_string(::getppid()) + "-abcdef");
  const fs::path other = tmp / "newsd-secondary-Xyz123";
  for (const fs::path& p : {ended, running, other}) fs::create_directories(p);
  std::ofstream(ended / "LOG") << "left behind";
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  {
    std::unique_ptr<Archive> reader = Must(OpenArchiveReadOnly(options()));
    EXPECT_FALSE(fs::exists(ended));
    EXPECT_TRUE(fs::exists(running));
    EXPECT_TRUE(fs::exists(other));
  }
  old ? ::setenv("TMPDIR", saved.c_str(), 1) : ::unsetenv("TMPDIR");
  size_t left = 0;
  for (const auto& e : fs::directory_iterator(tmp)) left += !e.path().empty();
  EXPECT_EQ(left, 2u) << "the reader removed its own directory at close";
}

TEST_F(RocksArchiveTest, ReaderFollowsWriterInThisProcess) {
  std::unique_ptr<Archive> writer = Must(OpenArchive(options()));
  Batch first;
  first.PutItem(MakeItem("a", "a"));
  ASSERT_TRUE(writer->Commit(first).ok());
  std::unique_ptr<Archive> reader = Must(OpenArchiveReadOnly(options()));
  EXPECT_TRUE(Must(reader->HasItem("a")));
  Batch second;
  second.PutItem(MakeItem("b", "a"));
  second.PutStory(MakeStory("a", 7));
  ASSERT_TRUE(writer->Commit(second).ok());
  EXPECT_FALSE(Must(reader->HasItem("b")));  // fixed view until Refresh
  ASSERT_TRUE(reader->Refresh().ok());
  EXPECT_TRUE(Must(reader->HasItem("b")));
  EXPECT_EQ(Must(reader->RecentStories(5)).size(), 1u);
  EXPECT_EQ(reader->Commit(second).code(), Status::Code::kInvalidArgument);
}

TEST_F(RocksArchiveTest, ReaderWithoutWriterAndItsTempDirGoes) {
  {
    std::unique_ptr<Archive> writer = Must(OpenArchive(options()));
    Batch batch;
    batch.PutFeed(MakeFeed("f"));
    ASSERT_TRUE(writer->Commit(batch).ok());
  }
  newsd::testing::TempDir tmp;
  const char* old_tmpdir = std::getenv("TMPDIR");
  const std::string saved = old_tmpdir ? old_tmpdir : "";
  ::setenv("TMPDIR", tmp.str().c_str(), 1);
  {
    std::unique_ptr<Archive> reader = Must(OpenArchiveReadOnly(options()));
    EXPECT_EQ(Must(reader->GetFeed("f")), MakeFeed("f"));
    EXPECT_FALSE(fs::is_empty(tmp.path()));
  }
  old_tmpdir ? ::setenv("TMPDIR", saved.c_str(), 1) : ::unsetenv("TMPDIR");
  EXPECT_TRUE(fs::is_empty(tmp.path()));
  // A writer can still open afterwards: the reader took no lock.
  EXPECT_TRUE(OpenArchive(options()).has_value());
}

TEST_F(RocksArchiveTest, ReaderNeedsAnArchive) {
  Result<std::unique_ptr<Archive>> missing = OpenArchiveReadOnly(options());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Status::Code::kNotFound) << missing.error().ToString();
  fs::create_directories(options().data_dir);
  missing = OpenArchiveReadOnly(options());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Status::Code::kNotFound);
  EXPECT_FALSE(fs::exists(fs::path(options().data_dir) / "CURRENT"));  // created nothing
}

// A table file gone from a stopped archive (or a backup): a reader would fall back to the
// state before it and leave its records out, so it is refused as damaged. While a writer
// holds the archive its files come and go, so the check waits for an idle archive.
TEST_F(RocksArchiveTest, ReaderRefusesAnIdleArchiveMissingATable) {
  {
    std::unique_ptr<Archive> writer = Must(OpenArchive(options()));
    Batch batch;
    batch.PutItem(MakeItem("a", "a"));
    batch.PutStory(MakeStory("a", 7));
    ASSERT_TRUE(writer->Commit(batch).ok());
  }
  EXPECT_TRUE(Must(Must(OpenArchiveReadOnly(options()))->HasItem("a")));
  size_t removed = 0;
  for (const auto& e : fs::directory_iterator(options().data_dir)) {
    if (e.path().extension() == ".sst") removed += fs::remove(e.path()) ? 1 : 0;
  }
  ASSERT_GT(removed, 0u);
  Result<std::unique_ptr<Archive>> reader = OpenArchiveReadOnly(options());
  ASSERT_FALSE(reader.has_value());
  EXPECT_EQ(reader.error().code(), Status::Code::kCorruption);
  EXPECT_NE(reader.error().message().find("restore"), std::string::npos)
      << reader.error().ToString();
}

// data_dir moved aside and another archive restored into its path while the writer runs:
// the writer writes nothing more there (its commits fail, saying to restart), and leaves the
// restored archive as it found it at close; the moved archive keeps every commit.
TEST_F(RocksArchiveTest, AWriterWhoseDirectoryWasReplacedWritesNothingThere) {
  const fs::path dir = options().data_dir;
  const fs::path moved = dir.string() + ".moved";
  {
    std::unique_ptr<Archive> writer = Must(OpenArchive(options()));
    Batch first;
    first.PutItem(MakeItem("a", "a"));
    ASSERT_TRUE(writer->Commit(first).ok());
    fs::rename(dir, moved);
    fs::create_directories(dir);
    std::ofstream(dir / "restored-file") << "x";
    Batch second;
    second.PutItem(MakeItem("b", "a"));
    const Status s = writer->Commit(second);
    EXPECT_EQ(s.code(), Status::Code::kIOError);
    EXPECT_NE(s.message().find(kReopenNeeded), std::string::npos) << s.ToString();
    EXPECT_FALSE(writer->ProbeWrite(1000).ok());
    EXPECT_FALSE(writer->Backup((dir.parent_path() / "bk").string()).has_value());
  }
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.path().filename() == "restored-file";
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  Options at_moved = options();
  at_moved.data_dir = moved.string();
  std::unique_ptr<Archive> reopened = Must(OpenArchive(at_moved));
  EXPECT_TRUE(Must(reopened->HasItem("a")));
  EXPECT_FALSE(Must(reopened->HasItem("b")));
}

// Emptied in place (rm -rf DIR/*) and restored into while the writer runs: the same
// directory, but another LOCK file. Told apart the same way; the restored files are left
// as they are.
TEST_F(RocksArchiveTest, AWriterWhoseDirectoryWasEmptiedInPlaceWritesNothingThere) {
  const fs::path dir = options().data_dir;
  {
    std::unique_ptr<Archive> writer = Must(OpenArchive(options()));
    Batch first;
    first.PutItem(MakeItem("a", "a"));
    ASSERT_TRUE(writer->Commit(first).ok());
    for (const auto& e : fs::directory_iterator(dir)) fs::remove_all(e.path());
    std::ofstream(dir / "restored-file") << "x";
    std::ofstream(dir / "LOCK") << "";
    Batch second;
    second.PutItem(MakeItem("b", "a"));
    const Status s = writer->Commit(second);
    EXPECT_EQ(s.code(), Status::Code::kIOError);
    EXPECT_NE(s.message().find(kReopenNeeded), std::string::npos) << s.ToString();
  }
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"LOCK", "restored-file"}));
}

TEST_F(RocksArchiveTest, CorruptValuesAreCorruption) {
  ASSERT_TRUE(testing::WriteRaw(options(), "items", "i", "\x01garbage").ok());
  ASSERT_TRUE(testing::WriteRaw(options(), "stories", "s", "").ok());
  ASSERT_TRUE(testing::WriteRaw(options(), "feeds", "f", std::string(1, '\x02')).ok());
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_EQ(archive->GetItem("i").error().code(), Status::Code::kCorruption);
  EXPECT_TRUE(Must(archive->HasItem("i")));
  EXPECT_EQ(archive->ForEachItem([](const ItemRecord&) { return true; }).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(archive->GetStory("s").error().code(), Status::Code::kCorruption);
  EXPECT_EQ(archive->GetFeed("f").error().code(), Status::Code::kCorruption);
  EXPECT_EQ(archive->ListFeeds().error().code(), Status::Code::kCorruption);
  // A new record overwrites the damaged one.
  Batch batch;
  batch.PutItem(MakeItem("i", "s"));
  batch.PutStory(MakeStory("s", 5));
  batch.PutFeed(MakeFeed("f"));
  ASSERT_TRUE(archive->Commit(batch).ok());
  EXPECT_EQ(Must(archive->GetItem("i")), MakeItem("i", "s"));
  EXPECT_EQ(Must(archive->RecentStories(5)), (std::vector<StoryRecord>{MakeStory("s", 5)}));
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 1u);
}

TEST_F(RocksArchiveTest, RefusesNewerSchema) {
  ASSERT_TRUE(testing::WriteRaw(options(), "default", "meta/schema_version", "5").ok());
  for (auto open : {OpenArchive, OpenArchiveReadOnly}) {
    Result<std::unique_ptr<Archive>> archive = open(options());
    ASSERT_FALSE(archive.has_value());
    EXPECT_EQ(archive.error().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(archive.error().message().find("schema version 5, newer"), std::string::npos)
        << archive.error().ToString();
  }
}

// A file system with less free space than min_free_mb: Commit and ProbeWrite write nothing and
// say the disk is nearly full; with room again (here: a smaller reserve), both work.
TEST_F(RocksArchiveTest, CommitKeepsTheFreeSpaceReserve) {
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch first;
    first.PutItem(MakeItem("kept", "s", 1));
    StoryRecord old = MakeStory("old", 1000, 1);
    old.newest = old.time;
    first.PutStory(old);
    first.PutItem(MakeItem("olditem", "old", 0));
    ASSERT_TRUE(archive->Commit(first).ok());
  }
  Options tight = options();
  tight.min_free_mb = size_t{1} << 40;  // more than any disk here
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(tight));
    Batch batch;
    batch.PutItem(MakeItem("refused", "s", 2));
    const Status s = archive->Commit(batch);
    EXPECT_EQ(s.code(), Status::Code::kIOError);
    EXPECT_NE(s.message().find("nearly full"), std::string::npos) << s.ToString();
    EXPECT_NE(s.message().find("min_free_mb"), std::string::npos) << s.ToString();
    EXPECT_FALSE(archive->ProbeWrite(100).ok());
    EXPECT_FALSE(Must(archive->HasItem("refused")));
    EXPECT_TRUE(Must(archive->HasItem("kept")));
    // Retention's deletes are writes too: refused the same way, nothing removed.
    Result<ExpiryReport> expired = archive->ExpireStories(3500, std::time(nullptr) + 86400, 10);
    ASSERT_FALSE(expired.has_value()) << "retention wrote below the reserve";
    EXPECT_EQ(expired.error().code(), Status::Code::kIOError);
    EXPECT_NE(expired.error().message().find("min_free_mb"), std::string::npos);
    EXPECT_TRUE(Must(archive->GetStory("old")).has_value());
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_TRUE(archive->ProbeWrite(100).ok());
  Batch batch;
  batch.PutItem(MakeItem("later", "s", 3));
  EXPECT_TRUE(archive->Commit(batch).ok());
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 2u);
}

// Retention takes old stories with their items and keys in one write, chunk by chunk; their
// ids stay seen until the grace ends; newer stories stay whole.
TEST_F(RocksArchiveTest, RetentionRemovesOldStoriesAndKeepsTheirIdsSeen) {
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  Batch batch;
  for (int s = 0; s < 5; ++s) {  // stories at times 1000 .. 5000, two items each
    const std::string story = "s" + std::to_string(s);
    StoryRecord record = MakeStory(story, 1000 * (s + 1), 2);
    record.newest = record.time;
    batch.PutStory(record);
    batch.PutItem(MakeItem(story + "a", story, s));
    batch.PutItem(MakeItem(story + "b", story, s));
  }
  ASSERT_TRUE(archive->Commit(batch).ok());
  const UnixSeconds far_future = std::time(nullptr) + 86400;

  // Older than 3500: s0, s1, s2, two per chunk.
  ExpiryReport first = Must(archive->ExpireStories(3500, far_future, 2));
  EXPECT_EQ(first.stories, 2u);
  EXPECT_EQ(first.items, 4u);
  EXPECT_TRUE(first.more);
  ExpiryReport second = Must(archive->ExpireStories(3500, far_future, 2));
  EXPECT_EQ(second.stories, 1u);
  EXPECT_FALSE(second.more);
  EXPECT_EQ(Must(archive->ExpireStories(3500, far_future, 2)).stories, 0u);

  for (const std::string gone : {"s0", "s1", "s2"}) {
    EXPECT_FALSE(Must(archive->GetStory(gone)).has_value()) << gone;
    EXPECT_TRUE(Must(archive->StoryItems(gone)).empty()) << gone;
    EXPECT_FALSE(Must(archive->GetItem(gone + "a")).has_value()) << gone;
    EXPECT_TRUE(Must(archive->HasItem(gone + "a"))) << gone << ": must stay seen";
  }
  EXPECT_FALSE(Must(archive->HoldsNoItemIds()));
  std::vector<StoryRecord> recent = Must(archive->RecentStories(10));
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].id, "s4");
  EXPECT_EQ(recent[1].id, "s3");
  EXPECT_EQ(Must(archive->StoryItems("s3")).size(), 2u);
  size_t items = 0;
  ASSERT_TRUE(archive->ForEachItem([&](const ItemRecord&) { return ++items, true; }).ok());
  EXPECT_EQ(items, 4u);

  // The export order lost the removed items too.
  std::vector<std::string> exported;
  for (const SequencedItem& e : Must(archive->ItemsFrom(0, 100))) exported.push_back(e.item.id);
  EXPECT_EQ(exported, (std::vector<std::string>{"s3a", "s3b", "s4a", "s4b"}));

  // A grace that has ended: the id is not seen any more (and compactions drop it).
  EXPECT_EQ(Must(archive->ExpireStories(4500, std::time(nullptr) - 1, 10)).stories, 1u);
  EXPECT_FALSE(Must(archive->HasItem("s3a")));
  EXPECT_TRUE(Must(archive->HasItem("s0a")));
}

// Retention removes a revised item's export key, which is not the one its place in the
// story names (ItemRecord::revised moved it).
TEST_F(RocksArchiveTest, RetentionRemovesTheExportKeyOfARevisedItem) {
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    batch.PutStory(MakeStory("s", 1000, 2));
    for (const char* id : {"s1", "s2"}) {
      ItemRecord item = MakeItem(id, "s");
      item.published = 1000;
      batch.PutItem(item);
    }
    ASSERT_TRUE(archive->Commit(batch).ok());
    ItemRecord revised = *Must(archive->GetItem("s1"));
    revised.text = "corrected";
    revised.revised = 2000;
    Batch correction;
    correction.PutItem(revised);
    ASSERT_TRUE(archive->Commit(correction).ok());
  }
  EXPECT_EQ(Must(testing::CountKeys(options(), "item_seq")), 2u);
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    EXPECT_EQ(Must(archive->ExpireStories(5000, std::time(nullptr) + 86400, 10)).stories, 1u);
    EXPECT_TRUE(Must(archive->ItemsFrom(0, 10)).empty());
  }
  EXPECT_EQ(Must(testing::CountKeys(options(), "item_seq")), 0u);
}

// A story goes by its newest copy, not by its founding item: copies can join long after it
// began. A story written before StoryRecord::newest existed is judged by its items' times.
TEST_F(RocksArchiveTest, RetentionKeepsAStoryWhileItHasARecentCopy) {
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  Batch batch;
  StoryRecord chain = MakeStory("chain", 1000, 3);
  chain.newest = 5000;
  batch.PutStory(chain);
  StoryRecord legacy = MakeStory("legacy", 1000, 2);  // newest unknown (0)
  batch.PutStory(legacy);
  for (const auto& [id, story, time] : {std::tuple{"c1", "chain", 1000},
                                        {"c2", "chain", 3000},
                                        {"c3", "chain", 5000},
                                        {"l1", "legacy", 1000},
                                        {"l2", "legacy", 4000}}) {
    ItemRecord item = MakeItem(id, story);
    item.published = time;
    item.arrived = time + 60;
    batch.PutItem(item);
  }
  ASSERT_TRUE(archive->Commit(batch).ok());
  const UnixSeconds far_future = std::time(nullptr) + 86400;

  ExpiryReport kept = Must(archive->ExpireStories(3500, far_future, 10));
  EXPECT_EQ(kept.stories, 0u);
  EXPECT_EQ(kept.kept, 2u);
  EXPECT_EQ(Must(archive->StoryItems("chain")).size(), 3u);
  EXPECT_TRUE(Must(archive->GetItem("c1")).has_value()) << "the founding copy stays with it";
  EXPECT_EQ(Must(archive->StoryItems("legacy")).size(), 2u);

  ExpiryReport legacy_gone = Must(archive->ExpireStories(4500, far_future, 10));
  EXPECT_EQ(legacy_gone.stories, 1u);
  EXPECT_FALSE(Must(archive->GetStory("legacy")).has_value());
  EXPECT_TRUE(Must(archive->GetStory("chain")).has_value());
  EXPECT_EQ(Must(archive->ExpireStories(6000, far_future, 10)).stories, 1u);
  EXPECT_TRUE(Must(archive->RecentStories(10)).empty());
}

// An archive of schema 1 (no "seen" family, no export index) is read as it is, and upgraded
// by the writer, which builds the export index from the stored items.
TEST_F(RocksArchiveTest, MigratesSchemaOneToFour) {
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    Batch batch;
    batch.PutItem(MakeItem("old", "s"));
    batch.PutItem(MakeItem("older", "s"));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }
  ASSERT_TRUE(testing::ClearFamily(options(), "item_seq").ok());
  ASSERT_TRUE(testing::WriteRaw(options(), "default", "meta/schema_version", "1").ok());
  {
    std::unique_ptr<Archive> reader = Must(OpenArchiveReadOnly(options()));
    EXPECT_TRUE(Must(reader->HasItem("old")));
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_TRUE(Must(archive->HasItem("old")));
  EXPECT_EQ(Must(archive->ExpireStories(INT64_MAX, INT64_MAX, 10)).stories, 0u);
  Batch raw;
  raw.PutRawBody(archive->PackRawBody({"f", 1, "https://example.com/f", "text/xml", "<rss/>"}));
  ASSERT_TRUE(archive->Commit(raw).ok());
  EXPECT_EQ(Must(archive->RawBodies("f")).size(), 1u);
  std::vector<std::string> exported;
  for (const SequencedItem& e : Must(archive->ItemsFrom(0, 100))) exported.push_back(e.item.id);
  EXPECT_EQ(exported, (std::vector<std::string>{"old", "older"}));
  archive.reset();
  // Opened again: version 4 now (a newer-schema refusal would say otherwise).
  EXPECT_TRUE(OpenArchive(options()).has_value());
}

// [storage] raw_bodies: 0 keeps none; lowering it drops the surplus at the feed's next body.
TEST_F(RocksArchiveTest, RawBodiesFollowTheConfiguredCount) {
  auto put = [](Archive& archive, const std::string& feed, int n) {
    Batch batch;
    batch.PutRawBody(archive.PackRawBody(
        {feed, n, "https://example.com/" + feed, "text/xml", std::to_string(n)}));
    ASSERT_TRUE(archive.Commit(batch).ok());
  };
  Options none = options();
  none.raw_bodies = 0;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(none));
    put(*archive, "f", 1);
    EXPECT_TRUE(Must(archive->RawBodies("f")).empty());
  }
  Options five = options();
  five.raw_bodies = 5;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(five));
    for (int n = 1; n <= 6; ++n) put(*archive, "f", n);
    EXPECT_EQ(Must(archive->RawBodies("f")).front().body, "2");
  }
  Options two = options();
  two.raw_bodies = 2;
  std::unique_ptr<Archive> archive = Must(OpenArchive(two));
  put(*archive, "f", 7);
  std::vector<RawBody> kept = Must(archive->RawBodies("f"));
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].body, "6");
  EXPECT_EQ(kept[1].body, "7");
  EXPECT_EQ(kept[1].fetched_at, 7);
}

TEST_F(RocksArchiveTest, SyncWritesSurviveReopen) {
  Options sync = options();
  sync.sync_writes = true;
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(sync));
    for (int i = 0; i < 20; ++i) {
      Batch batch;
      batch.PutItem(MakeItem("i" + std::to_string(i), "s", i));
      ASSERT_TRUE(archive->Commit(batch).ok());
    }
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(sync));
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 20u);
}

// A clean close writes every family's memtable out and records it for the families left empty
// too, so the write-ahead log holds nothing for the next open to read. (Flushing the families
// in parallel, two waits instead of one, left the first log behind for the empty families.)
TEST_F(RocksArchiveTest, CleanCloseLeavesNoLogToReplay) {
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
    for (int i = 0; i < 20; ++i) {
      Batch batch;
      batch.PutItem(MakeItem("i" + std::to_string(i), "s", i));
      batch.PutIndex(std::string(kDedupDocsFamily), "d" + std::to_string(i), "doc");
      batch.PutIndex(std::string(kDedupBoilerplateFamily), "b" + std::to_string(i), "line");
      ASSERT_TRUE(archive->Commit(batch).ok());
    }
  }
  uintmax_t log_bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(options().data_dir)) {
    if (entry.path().extension() == ".log") log_bytes += entry.file_size();
  }
  EXPECT_EQ(log_bytes, 0u);
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 20u);
}

// Every family shares one block cache: its usage is reported once, not once per family, so it
// never exceeds the configured size (by more than the blocks pinned while read).
TEST_F(RocksArchiveTest, ReportsTheSharedBlockCacheOnce) {
  Options small = options();
  small.block_cache_mb = 1;
  const std::string text(16 * 1024, 'y');
  std::unique_ptr<Archive> archive = Must(OpenArchive(small));
  for (int i = 0; i < 600; ++i) {  // 9.6 MB: past the 4 MiB memtables, so tables get written
    Batch batch;
    ItemRecord item = MakeItem("i" + std::to_string(i), "s", i);
    item.text = text;
    batch.PutItem(std::move(item));
    ASSERT_TRUE(archive->Commit(batch).ok());
  }
  archive.reset();
  archive = Must(OpenArchive(small));
  for (int i = 0; i < 600; ++i) ASSERT_TRUE(Must(archive->HasItem("i" + std::to_string(i))));
  ASSERT_EQ(Must(archive->StoryItems("s")).size(), 600u);
  std::optional<uint64_t> usage;
  for (const auto& [name, value] : archive->EngineStats()) {
    if (name == "block-cache-usage") usage = value;
  }
  ASSERT_TRUE(usage.has_value());
  EXPECT_GT(*usage, 0u);
  EXPECT_LE(*usage, 3u << 19) << "1 MiB cache";  // 1.5 MiB
}

// Short runs, each closing right after its commit, leave one level-0 table per family each;
// the eighth items table starts a compaction (items_level0_tables, lowered from 16 to keep
// the test small), which RocksDB would cancel at close. With
// finish_compactions_at_close the close waits for it, so no compaction is left pending (seen
// by a read-only open, which never compacts); without it, the tables would stay uncompacted
// until a run lasts long enough.
TEST_F(RocksArchiveTest, ShortRunsFinishTheirCompactionsAtClose) {
  Options short_run = options();
  short_run.finish_compactions_at_close = true;
  short_run.items_level0_tables = 8;
  auto pending_bytes = [&] {
    std::unique_ptr<Archive> reader = Must(OpenArchiveReadOnly(short_run));
    for (const auto& [name, value] : reader->EngineStats()) {
      if (name == "estimate-pending-compaction-bytes") return value;
    }
    ADD_FAILURE() << "no estimate-pending-compaction-bytes";
    return uint64_t{0};
  };
  constexpr int kRuns = 8;
  for (int run = 0; run < kRuns; ++run) {
    std::unique_ptr<Archive> archive = Must(OpenArchive(short_run));
    // 6 MB of varied text a commit; the last run's four commits fill a memtable, so its
    // flush (the eighth table) comes mid-run and the compaction is under way at the close.
    for (int commit = 0; commit < (run == kRuns - 1 ? 4 : 1); ++commit) {
      Batch batch;
      for (int i = 0; i < 100; ++i) {
        const int n = commit * 100 + i;
        ItemRecord item = MakeItem("r" + std::to_string(run) + "-" + std::to_string(n), "s", n);
        item.text.clear();
        for (int w = 0; w < 8000; ++w) item.text += std::to_string(w * 7919 + n * 104729 + run);
        batch.PutItem(std::move(item));
      }
      ASSERT_TRUE(archive->Commit(batch).ok());
    }
  }
  // Cut off, the items' compaction leaves its ~38 MB of input pending.
  EXPECT_LT(pending_bytes(), uint64_t{1} << 20) << "a compaction was left for later";
  std::unique_ptr<Archive> archive = Must(OpenArchive(short_run));
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 100u * (kRuns - 1) + 400u);
}

// bulk_load only sizes the memtables: every commit is readable at once and, the WAL holding
// it, survives a reopen with the usual options (which replays the WAL into their tables).
TEST_F(RocksArchiveTest, BulkLoadCommitsSurviveReopenWithUsualOptions) {
  Options bulk = options();
  bulk.sync_writes = true;
  bulk.bulk_load = true;
  const std::string text(64 * 1024, 'x');
  {
    std::unique_ptr<Archive> archive = Must(OpenArchive(bulk));
    for (int i = 0; i < 200; ++i) {  // 12.8 MB of text: past the usual dedup_docs memtable
      Batch batch;
      ItemRecord item = MakeItem("i" + std::to_string(i), "s", i);
      item.text = text;
      batch.PutItem(std::move(item));
      batch.PutIndex(std::string(kDedupDocsFamily), "k" + std::to_string(i), text);
      ASSERT_TRUE(archive->Commit(batch).ok());
      ASSERT_TRUE(Must(archive->HasItem("i" + std::to_string(i))));
    }
  }
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  const std::vector<ItemRecord> items = Must(archive->StoryItems("s"));
  ASSERT_EQ(items.size(), 200u);
  EXPECT_EQ(items.back().id, "i199");
  EXPECT_EQ(items.back().text, text);
  size_t index_records = 0;
  ASSERT_TRUE(archive
                  ->ForEachIndexRecord(kDedupDocsFamily,
                                       [&](std::string_view, std::string_view value) {
                                         index_records += value == text ? 1 : 0;
                                       })
                  .ok());
  EXPECT_EQ(index_records, 200u);
}

TEST_F(RocksArchiveTest, FatalWriteErrorNeedsReopen) {
  std::unique_ptr<Archive> archive = Must(impl_.OpenFaulty());
  Batch before;
  before.PutItem(MakeItem("kept", "s"));
  ASSERT_TRUE(archive->Commit(before).ok());
  impl_.BreakNextCommit(*archive, testing::WalFault::kIOError);
  Batch lost;
  lost.PutItem(MakeItem("lost", "s"));
  EXPECT_EQ(archive->Commit(lost).code(), Status::Code::kIOError);
  impl_.Heal();
  const Status again = archive->Commit(lost);
  EXPECT_EQ(again.code(), Status::Code::kIOError);
  EXPECT_NE(again.message().find("restart newsd"), std::string::npos) << again.ToString();
  EXPECT_TRUE(Must(archive->HasItem("kept")));  // reads still work
  archive.reset();
  archive = Must(OpenArchive(options()));
  EXPECT_TRUE(Must(archive->HasItem("kept")));
  EXPECT_FALSE(Must(archive->HasItem("lost")));
  ASSERT_TRUE(archive->Commit(lost).ok());
  EXPECT_EQ(Must(archive->StoryItems("s")).size(), 2u);
}

TEST_F(RocksArchiveTest, ConcurrentCommitsAndReads) {
  std::unique_ptr<Archive> archive = Must(OpenArchive(options()));
  auto writer = [&](const std::string& prefix) {
    for (int i = 0; i < 50; ++i) {
      Batch batch;
      batch.PutItem(MakeItem(prefix + std::to_string(i), "shared", i));
      batch.PutStory(MakeStory("shared", i));
      EXPECT_TRUE(archive->Commit(batch).ok());
    }
  };
  std::thread a(writer, "a"), b(writer, "b");
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(archive->RecentStories(3).has_value());
    EXPECT_TRUE(archive->StoryItems("shared").has_value());
  }
  a.join();
  b.join();
  EXPECT_EQ(Must(archive->StoryItems("shared")).size(), 100u);
  EXPECT_EQ(Must(archive->RecentStories(10)).size(), 1u);  // one by-time key survives
}

TEST_F(RocksArchiveTest, UncreatableDirectoryIsIOError) {
  Options bad = options();
  bad.data_dir = "/proc/newsd-no-such/archive";
  Result<std::unique_ptr<Archive>> archive = OpenArchive(bad);
  ASSERT_FALSE(archive.has_value());
  EXPECT_EQ(archive.error().code(), Status::Code::kIOError) << archive.error().ToString();
}

}  // namespace
}  // namespace newsd::storage
