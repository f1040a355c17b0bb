// RocksDB-specific behaviour: locking, secondary readers, writers in other processes, errors.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/storage/archive_test_util.h"
#include "tests/storage/rocks_archive_test_util.h"

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

TEST_F(RocksArchiveTest, SecondWriterIsUnavailable) {
  std::unique_ptr<Archive> first = Must(OpenArchive(options()));
  Result<std::unique_ptr<Archive>> second = OpenArchive(options());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), Status::Code::kUnavailable) << second.error().ToString();
  EXPECT_NE(second.error().message().find("is newsd running?"), std::string::npos);
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
