#include "daemon/import.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "core/time.h"
#include "daemon/line_reader.h"
#include "tests/fakes/fake_archive.h"

namespace newsd::daemon {
namespace {

namespace fs = std::filesystem;

constexpr UnixSeconds kImportNow = 1'700'000'000;

constexpr char kImportStory[] =
    "Deputy Prime Minister and Minister of Foreign Affairs Murat Nurtleu arrived in Rabat on "
    "the first official visit in the history of bilateral relations at the invitation of his "
    "Moroccan counterpart Nasser Bourita. The sides discussed the intensification of political "
    "dialogue, trade, economic and investment ties, and cultural and humanitarian contacts.";

/// A temporary file removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& contents)
      : path_(fs::temp_directory_path() /
              ("newsd-import-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_++))) {
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int next_ = 0;
  fs::path path_;
};

/// A named pipe that a thread of its own fills with `contents`, removed at the end of the test.
class TempFifo {
 public:
  explicit TempFifo(std::string contents)
      : path_(fs::temp_directory_path() /
              ("newsd-import-fifo-" + std::to_string(::getpid()) + "-" + std::to_string(next_++))) {
    if (::mkfifo(path_.c_str(), 0600) != 0) return;
    writer_ = std::thread([path = path_, contents = std::move(contents)] {
      std::ofstream(path, std::ios::binary) << contents;
    });
  }
  ~TempFifo() {
    if (writer_.joinable()) writer_.join();
    fs::remove(path_);
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int next_ = 0;
  fs::path path_;
  std::thread writer_;
};

std::string Line(const std::string& id, const std::string& text, int minute) {
  return R"({"id": ")" + id + R"(", "source": "s-)" + id + R"(", "title": "t", "text": ")" + text +
         R"(", "published": "2024-01-01T10:)" + (minute < 10 ? "0" : "") + std::to_string(minute) +
         R"(:00Z"})";
}

std::vector<std::string> StoryOrder(testing::FakeArchive& archive, const StoryId& story) {
  std::vector<std::string> ids;
  auto items = archive.StoryItems(story);
  if (items) {
    for (const auto& item : *items) ids.push_back(item.id);
  }
  return ids;
}

/// What ImportInto did.
struct Imported {
  Result<ImportStats> stats;
  uint64_t late = 0;  ///< IngestStats::late
};

/// Imports `path` into `archive` through a new Ingestor with the default options.
Imported ImportInto(testing::FakeArchive& archive, const std::string& path) {
  Ingestor ingestor(archive, dedup::Options());
  if (Status s = ingestor.Restore(); !s.ok()) return {Err(s)};
  Result<ImportStats> stats = ImportJsonl(path, ingestor, kImportNow);
  return {std::move(stats), ingestor.stats().late};
}

TEST(ImportTest, StagesLinesInFileOrderAndCountsBadOnes) {
  TempFile file(Line("a", kImportStory, 1) + "\n" +  // a new story
                "\n   \r\n" +                        // blank lines: counted, not bad
                "not json\n" +                       // bad
                R"({"title": "no id"})"
                "\n" +  // bad
                Line("bad\\u0000id", kImportStory, 1) +
                "\n" +  // bad: no key can hold a NUL
                R"({"id": "empty"})"
                "\n" +  // bad: nothing to store or compare
                R"({"id": "blank", "title": " ", "text": "\n\t"})"
                "\n" +  // bad too
                Line("b", kImportStory, 2) +
                "\n" +                        // a copy of a
                Line("c", kImportStory, 3));  // a copy, no final newline
  testing::FakeArchive archive;
  Ingestor ingestor(archive, dedup::Options());
  ASSERT_TRUE(ingestor.Restore().ok());
  Result<ImportStats> stats = ImportJsonl(file.path(), ingestor, kImportNow);
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(stats->lines, 10u);
  EXPECT_EQ(stats->bad_lines, 5u);
  EXPECT_FALSE(archive.GetItem("empty").value_or(std::nullopt).has_value());
  EXPECT_EQ(ingestor.stats().new_stories, 1u);
  EXPECT_EQ(ingestor.stats().copies, 2u);
  EXPECT_EQ(StoryOrder(archive, "a"), (std::vector<std::string>{"a", "b", "c"}));
  auto b = archive.GetItem("b");
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->arrived, kImportNow);
  EXPECT_EQ((*b)->feed, "s-b");
}

TEST(ImportTest, LongFieldsAreCutLikeAFeedsAndRepeatedIdsSkipped) {
  const std::string long_text(5000, 'x');
  TempFile file(Line("a", "first text of the story " + long_text, 0) + "\n" +
                Line("a", "another text under the same id", 1) + "\n");
  testing::FakeArchive archive;
  Ingestor ingestor(archive, dedup::Options());
  ASSERT_TRUE(ingestor.Restore().ok());
  Result<ImportStats> stats =
      ImportJsonl(file.path(), ingestor, kImportNow, /*max_field_bytes=*/1024);
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(stats->cut_fields, 1u);
  EXPECT_EQ(ingestor.stats().duplicates, 1u);
  auto a = archive.GetItem("a");
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->text.size(), 1024u);
  EXPECT_EQ((*a)->text.rfind("first text", 0), 0u) << "the first line under an id is kept";
}

TEST(ImportTest, CommitsInGroupsAndKeepsEveryArticle) {
  std::string contents;
  constexpr int kArticles = kImportGroupSize + 100;  // two commits
  for (int i = 0; i < kArticles; ++i) {
    contents += Line("n" + std::to_string(i), "unique words number " + std::to_string(i), i % 60);
    contents += '\n';
  }
  TempFile file(contents);
  testing::FakeArchive archive;
  Ingestor ingestor(archive, dedup::Options());
  ASSERT_TRUE(ingestor.Restore().ok());
  Result<ImportStats> stats = ImportJsonl(file.path(), ingestor, kImportNow);
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(stats->lines, static_cast<uint64_t>(kArticles));
  EXPECT_EQ(ingestor.stats().commits, 2u);
  EXPECT_EQ(archive.store()->items.size(), static_cast<size_t>(kArticles));
}

// Lines dated so far before lines read ahead of them that the dedup index had already let
// go of their window (a file not in time order: per-outlet dumps one after the other) are
// counted, so that the import can say its copies may have been missed; a file in time order
// has none.
TEST(ImportTest, CountsLinesDatedBeforeWhatTheIndexStillHolds) {
  // Before kImportNow: the dates are not in the future.
  constexpr UnixSeconds kOctober1 = 1'696'118'400;
  const auto dated = [](int i, UnixSeconds t) {
    return R"({"id": "n)" + std::to_string(i) + R"(", "source": "s", "text": "story number )" +
           std::to_string(i) + R"(", "published": ")" + FormatIso8601(t) + "\"}\n";
  };
  // 50 items on October 1, then a month of items after them, a group's worth and more.
  const int later = static_cast<int>(kImportGroupSize) + 100;
  std::string first, month;
  for (int i = 0; i < 50; ++i) first += dated(i, kOctober1 + i * 60);
  for (int i = 0; i < later; ++i) month += dated(50 + i, kOctober1 + 86400 + i * 2000);
  // From a file, the month first is taken in published order: nothing is late then.
  for (const std::string& contents : {first + month, month + first}) {
    TempFile file(contents);
    testing::FakeArchive archive;
    const Imported imported = ImportInto(archive, file.path());
    ASSERT_TRUE(imported.stats) << imported.stats.error().ToString();
    EXPECT_EQ(imported.late, 0u);
    EXPECT_EQ(imported.stats->reordered_of, contents == first + month ? 0u : uint64_t{50} + later);
  }
  // From a pipe, lines are taken as they come: the 50 after the month are late.
  TempFifo fifo(month + first);
  testing::FakeArchive archive;
  const Imported imported = ImportInto(archive, fifo.path());
  ASSERT_TRUE(imported.stats) << imported.stats.error().ToString();
  EXPECT_EQ(imported.late, 50u);
  EXPECT_EQ(imported.stats->reordered_of, 0u);
}

// A copy dated an hour after its story but placed a month of articles below it in the file
// is still found: the file is taken in published order.
TEST(ImportTest, ACopyFarBelowItsStoryInTheFileJoinsIt) {
  constexpr UnixSeconds kOctober1 = 1'696'118'400;
  const auto dated = [](const std::string& id, const std::string& text, UnixSeconds t) {
    return R"({"id": ")" + id + R"(", "source": "s-)" + id + R"(", "text": ")" + text +
           R"(", "published": ")" + FormatIso8601(t) + "\"}\n";
  };
  std::string month;
  for (int i = 0; i < 1200; ++i) {
    month += dated("m" + std::to_string(i), "other story number " + std::to_string(i),
                   kOctober1 + 86400 + i * 2000);
  }
  const std::string contents = dated("story", kImportStory, kOctober1) + month + "not json\n" +
                               dated("copy", kImportStory, kOctober1 + 3600);
  TempFile file(contents);
  testing::FakeArchive archive;
  const Imported imported = ImportInto(archive, file.path());
  const Result<ImportStats>& stats = imported.stats;
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(StoryOrder(archive, "story"), (std::vector<std::string>{"story", "copy"}));
  EXPECT_EQ(imported.late, 0u);
  EXPECT_EQ(stats->reordered_of, 1203u);
  EXPECT_EQ(stats->taken, 1203u);
  EXPECT_EQ(stats->lines, 1203u);
  EXPECT_EQ(stats->bad_lines, 1u);
  EXPECT_EQ(archive.store()->items.size(), 1202u);
}

// The same for a second import into an archive that holds newer items: the lines dated
// before what its index held are counted (they are compared only with what it still holds).
TEST(ImportTest, CountsLinesDatedBeforeWhatTheArchiveHolds) {
  constexpr UnixSeconds kOctober1 = 1'696'118'400;
  const auto dated = [](const std::string& id, UnixSeconds t) {
    return R"({"id": ")" + id + R"(", "source": "s", "text": "story )" + id +
           R"(", "published": ")" + FormatIso8601(t) + "\"}\n";
  };
  std::string month, older;
  for (int i = 0; i < 100; ++i) month += dated("m" + std::to_string(i), kOctober1 + i * 20000);
  for (int i = 0; i < 30; ++i) older += dated("o" + std::to_string(i), kOctober1 - 86400 * 60);
  testing::FakeArchive archive;
  {
    TempFile file(month);
    Ingestor ingestor(archive, dedup::Options());
    ASSERT_TRUE(ingestor.Restore().ok());
    ASSERT_TRUE(ImportJsonl(file.path(), ingestor, kImportNow).has_value());
    EXPECT_EQ(ingestor.stats().late, 0u);
  }
  TempFile file(older);
  Ingestor ingestor(archive, dedup::Options());
  ASSERT_TRUE(ingestor.Restore().ok());
  ASSERT_TRUE(ImportJsonl(file.path(), ingestor, kImportNow).has_value());
  EXPECT_EQ(ingestor.stats().late, 30u);
}

// The reader starts before the archive and the ingestor exist (newsd import opens the archive
// meanwhile) and reads ahead of them; everything it read is staged once they are there.
TEST(ImportTest, AReaderStartedBeforeTheArchiveOpensLosesNoLine) {
  std::string contents;
  constexpr int kArticles = 3000;  // more than the reader may hold ahead
  for (int i = 0; i < kArticles; ++i) {
    contents += Line("r" + std::to_string(i), "distinct words number " + std::to_string(i), i % 60);
    contents += '\n';
  }
  TempFile file(contents);
  Result<std::unique_ptr<ImportReader>> reader =
      ImportReader::Start(file.path(), dedup::Options(), kImportNow, kDefaultImportFieldBytes);
  ASSERT_TRUE(reader) << reader.error().ToString();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let it fill its queue
  testing::FakeArchive archive;
  Ingestor ingestor(archive, dedup::Options());
  ASSERT_TRUE(ingestor.Restore().ok());
  Result<ImportStats> stats = ImportJsonl(**reader, ingestor);
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(stats->lines, static_cast<uint64_t>(kArticles));
  EXPECT_EQ(archive.store()->items.size(), static_cast<size_t>(kArticles));
  auto last = archive.GetItem("r" + std::to_string(kArticles - 1));
  ASSERT_TRUE(last && *last);
}

// When the archive cannot be opened, the started reader is dropped unread: its thread stops
// though its queue is full.
TEST(ImportTest, AReaderDroppedUnreadStops) {
  std::string contents;
  for (int i = 0; i < 5000; ++i) contents += Line("d" + std::to_string(i), "words", 1) + "\n";
  TempFile file(contents);
  Result<std::unique_ptr<ImportReader>> reader =
      ImportReader::Start(file.path(), dedup::Options(), kImportNow, kDefaultImportFieldBytes);
  ASSERT_TRUE(reader) << reader.error().ToString();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  reader->reset();  // joins the thread: a hang here fails the test by its timeout
  SUCCEED();
}

TEST(ImportTest, AMissingFileIsNotFound) {
  testing::FakeArchive archive;
  Ingestor ingestor(archive, dedup::Options());
  Result<ImportStats> stats = ImportJsonl("/nonexistent/newsd/import.jsonl", ingestor, kImportNow);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code(), Status::Code::kNotFound);
}

TEST(ImportTest, ACommitFailureEndsTheImportWithTheError) {
  std::string contents;
  for (int i = 0; i < 5000; ++i) contents += Line("f" + std::to_string(i), "w", i % 60) + "\n";
  TempFile file(contents);
  testing::FakeArchive archive;
  archive.FailNextCommit(Status::IOError("disk full"));
  Ingestor ingestor(archive, dedup::Options());
  ASSERT_TRUE(ingestor.Restore().ok());
  Result<ImportStats> stats = ImportJsonl(file.path(), ingestor, kImportNow);
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.error().message().find("disk full"), std::string::npos);
  EXPECT_TRUE(archive.store()->items.empty());
}

// Ctrl-C while the archive opens (before the first line is staged) stops the import with
// nothing staged, as the same signal later stops it after the chunk under way; once the
// ImportSignals is gone, a later import is not stopped by it.
TEST(ImportTest, ASignalBeforeTheFirstLineStopsTheImportWithNothingStored) {
  TempFile file(Line("a", kImportStory, 1) + "\n" + Line("b", "other words entirely here", 2));
  testing::FakeArchive archive;
  {
    const ImportSignals signals;
    ASSERT_EQ(::raise(SIGINT), 0);
    EXPECT_EQ(ImportSignals::Received(), SIGINT);
    Ingestor ingestor(archive, dedup::Options());
    ASSERT_TRUE(ingestor.Restore().ok());
    Result<ImportStats> stats = ImportJsonl(file.path(), ingestor, kImportNow);
    ASSERT_TRUE(stats) << stats.error().ToString();
    EXPECT_EQ(stats->interrupted, SIGINT);
    EXPECT_EQ(stats->lines, 0u);
    EXPECT_EQ(ingestor.stats().new_stories, 0u);
  }
  EXPECT_EQ(ImportSignals::Received(), 0);
  EXPECT_FALSE(*archive.HasItem("a"));
  Ingestor ingestor(archive, dedup::Options());
  ASSERT_TRUE(ingestor.Restore().ok());
  Result<ImportStats> stats = ImportJsonl(file.path(), ingestor, kImportNow);
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(stats->interrupted, 0);
  EXPECT_EQ(stats->lines, 2u);
  EXPECT_TRUE(*archive.HasItem("a"));
}

// A line over the limit is not read into memory whole: its first bytes are given, marked
// cut, and the lines after it are read as usual.
TEST(LineReaderTest, ALineOverTheLimitIsCutAndTheRestReadPast) {
  const std::string huge(3u << 20, 'x');  // longer than a read block, so read in parts
  TempFile file("short\n" + huge + "\n" + std::string(25, 'z') + "\nafter\n" + huge);
  auto reader = LineReader::Open(file.path(), 10);
  ASSERT_TRUE(reader);
  std::vector<std::pair<std::string, bool>> got;
  std::string_view line;
  for (;;) {
    auto more = (*reader)->Next(&line);
    ASSERT_TRUE(more);
    if (!*more) break;
    got.emplace_back(std::string(line), (*reader)->LastLineCut());
  }
  const std::vector<std::pair<std::string, bool>> want = {{"short", false},
                                                          {"xxxxxxxxxx", true},
                                                          {"zzzzzzzzzz", true},
                                                          {"after", false},
                                                          {"xxxxxxxxxx", true}};
  EXPECT_EQ(got, want);
}

TEST(LineReaderTest, SplitsLikeGetline) {
  const std::string long_line(3 << 20, 'x');  // longer than one read block
  TempFile file("one\n\ntwo\r\n" + long_line + "\nlast");
  auto reader = LineReader::Open(file.path());
  ASSERT_TRUE(reader);
  std::vector<std::string> lines;
  std::string_view line;
  for (;;) {
    Result<bool> more = (*reader)->Next(&line);
    ASSERT_TRUE(more);
    if (!*more) break;
    lines.emplace_back(line);
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "", "two\r", long_line, "last"}));

  TempFile ends_with_newline("a\nb\n");
  auto again = LineReader::Open(ends_with_newline.path());
  ASSERT_TRUE(again);
  int count = 0;
  while (*(*again)->Next(&line)) ++count;
  EXPECT_EQ(count, 2);
}

}  // namespace
}  // namespace newsd::daemon
