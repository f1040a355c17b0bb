// An export cut short by a full disk: the output ends with a whole line (a regular file is
// truncated back to it), and the cursor given to resume is exactly the last whole line's. An
// export that ends well is synced to disk when it went to a regular file.
#include "newsctl/export_output.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tests/support/test_util.h"

namespace newsd::newsctl {
namespace {

// write(2) into a file system with `room` bytes left: writes what fits, then ENOSPC, as a
// full disk does (a short write first, the error on the next call).
ExportOutput::WriteFn FullAfter(size_t room) {
  return [room](int fd, const void* data, size_t size) mutable -> ssize_t {
    if (room == 0) {
      errno = ENOSPC;
      return -1;
    }
    const ssize_t n = ::write(fd, data, std::min(size, room));
    if (n > 0) room -= static_cast<size_t>(n);
    return n;
  };
}

std::string Line(int i) {
  return R"({"id":"item-)" + std::to_string(i) + R"(","cursor":")" + std::to_string(100 + i) +
         R"("})";
}

TEST(ExportOutputTest, AFullDiskLeavesWholeLinesAndTheirLastCursor) {
  testing::TempDir dir;
  const std::string path = dir.str() + "/out.jsonl";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  const size_t line_bytes = Line(0).size() + 1;  // all lines below are as long
  // Room for two pages of 4 lines and 2.5 lines of the third page.
  ExportOutput output(fd, FullAfter(line_bytes * 10 + line_bytes / 2));
  int next = 0;
  for (int page = 0; page < 2; ++page) {
    for (int i = 0; i < 4; ++i, ++next) output.Add(Line(next), std::to_string(100 + next));
    ASSERT_FALSE(output.Flush().has_value());
  }
  for (int i = 0; i < 4; ++i, ++next) output.Add(Line(next), std::to_string(100 + next));
  const std::optional<ExportWriteFailure> failure = output.Flush();
  ::close(fd);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->error, ENOSPC);
  EXPECT_EQ(failure->lines, 10u);
  EXPECT_EQ(failure->cursor, "109") << "the 10th line's cursor resumes after it";
  EXPECT_EQ(failure->cut_bytes, line_bytes / 2);
  EXPECT_TRUE(failure->cut_removed);
  std::string expected;
  for (int i = 0; i < 10; ++i) expected += Line(i) + "\n";
  EXPECT_EQ(testing::ReadFile(path), expected) << "the file should end with the 10th line";

  const std::string message = DescribeWriteFailure(*failure, "108");
  EXPECT_NE(message.find("the disk is full"), std::string::npos) << message;
  EXPECT_NE(message.find("after 10 whole lines"), std::string::npos) << message;
  EXPECT_NE(message.find("ends with a whole line"), std::string::npos) << message;
  EXPECT_NE(message.find("resume with --cursor 109 "), std::string::npos) << message;
  EXPECT_NE(message.find("free space"), std::string::npos) << message;
}

// Appended to a file that held something before (`>>`): only the cut line goes.
TEST(ExportOutputTest, AppendedOutputKeepsWhatTheFileHeld) {
  testing::TempDir dir;
  const std::string path = dir.str() + "/out.jsonl";
  testing::WriteFile(path, "earlier\n");
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ExportOutput output(fd, FullAfter(Line(0).size() + 4));
  output.Add(Line(0), "100");
  output.Add(Line(1), "101");
  const std::optional<ExportWriteFailure> failure = output.Flush();
  ::close(fd);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->lines, 1u);
  EXPECT_EQ(failure->cursor, "100");
  EXPECT_TRUE(failure->cut_removed);
  EXPECT_EQ(testing::ReadFile(path), "earlier\n" + Line(0) + "\n");
}

// Not a regular file (a device, a socket): the cut line cannot be taken back, and the
// message says so; nothing whole written yet: the export is run again.
TEST(ExportOutputTest, ACutLineThatCannotBeRemovedIsNamed) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ExportOutput output(fds[1], FullAfter(5));
  output.Add(Line(0), "100");
  const std::optional<ExportWriteFailure> failure = output.Flush();
  ::close(fds[0]);
  ::close(fds[1]);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->lines, 0u);
  EXPECT_EQ(failure->cursor, "");
  EXPECT_EQ(failure->cut_bytes, 5u);
  EXPECT_FALSE(failure->cut_removed);
  const std::string message = DescribeWriteFailure(*failure, "0");
  EXPECT_NE(message.find("last line is cut short"), std::string::npos) << message;
  EXPECT_NE(message.find("run the export again"), std::string::npos) << message;
  EXPECT_EQ(message.find("--cursor"), std::string::npos) << message;
}

// fsync(2) that counts its calls and fails with `error` (0: succeeds).
ExportOutput::SyncFn SyncFailingWith(int error, int* calls) {
  return [error, calls](int fd) {
    ++*calls;
    if (error == 0) return ::fsync(fd);
    errno = error;
    return -1;
  };
}

// Two lines written to a regular file, one page.
std::optional<ExportWriteFailure> WriteTwoLinesAndSync(const std::string& path,
                                                       ExportOutput::SyncFn sync) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  EXPECT_GE(fd, 0);
  ExportOutput output(fd, {}, std::move(sync));
  output.Add(Line(0), "100");
  output.Add(Line(1), "101");
  EXPECT_FALSE(output.Flush().has_value());
  std::optional<ExportWriteFailure> failure = output.Sync();
  ::close(fd);
  return failure;
}

// At its end an export to a regular file is forced to disk: written is not yet stored.
TEST(ExportOutputTest, AnExportToAFileIsSyncedAtItsEnd) {
  testing::TempDir dir;
  int calls = 0;
  EXPECT_FALSE(WriteTwoLinesAndSync(dir.str() + "/out.jsonl", SyncFailingWith(0, &calls)));
  EXPECT_EQ(calls, 1) << "the export's file was not synced";
}

// A sync a signal interrupts (EINTR: Ctrl-C ending a --follow) is made again, not reported.
TEST(ExportOutputTest, ASyncASignalInterruptsIsMadeAgain) {
  testing::TempDir dir;
  int calls = 0;
  const ExportOutput::SyncFn interrupted_once = [&calls](int fd) {
    if (++calls == 1) {
      errno = EINTR;
      return -1;
    }
    return ::fsync(fd);
  };
  EXPECT_FALSE(WriteTwoLinesAndSync(dir.str() + "/out.jsonl", interrupted_once))
      << "an interrupted sync was reported as failed";
  EXPECT_EQ(calls, 2);
}

// A sync that fails (EIO: the disk lost the writes; EINVAL, which a pipe's sync gives, from a
// regular file) is the export's failure: the message says what failed, that the lines may not
// be on disk, and the cursor of the last line written.
TEST(ExportOutputTest, AFailedSyncOfAFileIsNamedWithTheCursorToResume) {
  for (const int error : {EIO, EINVAL, ENOSPC}) {
    SCOPED_TRACE(std::strerror(error));
    testing::TempDir dir;
    int calls = 0;
    const std::optional<ExportWriteFailure> failure =
        WriteTwoLinesAndSync(dir.str() + "/out.jsonl", SyncFailingWith(error, &calls));
    ASSERT_TRUE(failure.has_value()) << "a failed sync of the export's file went unreported";
    EXPECT_TRUE(failure->at_sync);
    EXPECT_EQ(failure->error, error);
    EXPECT_EQ(failure->lines, 2u);
    EXPECT_EQ(failure->cursor, "101");
    // Any page of the file may be lost, not only its end: the export runs again from where
    // it started, into a new file, not on from its last line.
    const std::string message = DescribeWriteFailure(*failure, "42");
    EXPECT_NE(message.find(std::strerror(error)), std::string::npos) << message;
    EXPECT_NE(message.find("syncing"), std::string::npos) << message;
    EXPECT_NE(message.find("may not all be on disk"), std::string::npos) << message;
    EXPECT_NE(message.find("again into a new file with --cursor 42 "), std::string::npos)
        << message;
    EXPECT_EQ(message.find("101"), std::string::npos) << message;
    EXPECT_EQ(message.find(">>"), std::string::npos) << message;
    EXPECT_EQ(message.find("free space") != std::string::npos, error == ENOSPC) << message;
  }
}

// A pipe (a terminal alike) has nothing to sync: fsync's EINVAL there is no failure.
TEST(ExportOutputTest, APipeNeedsNoSync) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ExportOutput output(fds[1]);
  output.Add(Line(0), "100");
  EXPECT_FALSE(output.Flush().has_value());
  EXPECT_FALSE(output.Sync().has_value());
  int calls = 0;
  ExportOutput refused(fds[1], {}, SyncFailingWith(ENOTSUP, &calls));
  EXPECT_FALSE(refused.Sync().has_value());
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace newsd::newsctl
