#include "daemon/import_order.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/time.h"
#include "daemon/line_reader.h"

namespace newsd::daemon {
namespace {

namespace fs = std::filesystem;

constexpr UnixSeconds kScanNow = 1'700'000'000;
constexpr UnixSeconds kScanOctober1 = 1'696'118'400;
constexpr UnixSeconds kScanDay = 86400;
constexpr int64_t kScanLate = 3 * kScanDay;

/// A temporary file removed at the end of the test.
class ScanFile {
 public:
  explicit ScanFile(const std::string& contents)
      : path_(fs::temp_directory_path() /
              ("newsd-order-test-" + std::to_string(::getpid()) + "-" + std::to_string(Next()))) {
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~ScanFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static int Next() {
    static int next = 0;
    return next++;
  }
  fs::path path_;
};

std::string DatedLine(const std::string& id, UnixSeconds t) {
  return R"({"id": ")" + id + R"(", "text": "x", "published": ")" + FormatIso8601(t) + "\"}";
}

std::unique_ptr<LineReader> OpenLines(const std::string& path, size_t max_line) {
  auto reader = LineReader::Open(path, max_line);
  return reader ? std::move(*reader) : nullptr;
}

Result<ImportPlan> PlanOf(LineReader& reader, size_t max_lines = 100) {
  return PlanImport(reader, kScanNow, kScanLate, max_lines, nullptr);
}

// The lines ImportLines gives, as "number:line".
std::vector<std::string> TakenLines(ImportLines& lines) {
  std::vector<std::string> taken;
  std::string_view line;
  uint64_t number = 0;
  bool cut = false;
  while (true) {
    Result<bool> more = lines.Next(&line, &number, &cut);
    if (!more || !*more) break;
    taken.push_back(std::to_string(number) + ":" + std::string(line));
  }
  return taken;
}

TEST(ImportOrderTest, AFileInOrderWithinLateIsTakenAsItIs) {
  // Two days back is within the 72 hours the index keeps behind its newest item.
  const std::string a = DatedLine("a", kScanOctober1 + kScanDay * 3),
                    b = DatedLine("b", kScanOctober1 + kScanDay),
                    c = DatedLine("c", kScanOctober1 + kScanDay * 4);
  ScanFile file(a + "\n\n" + b + "\r\n" + c);
  auto reader = OpenLines(file.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  Result<ImportPlan> plan = PlanOf(*reader);
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_TRUE(plan->lines.empty());
  EXPECT_EQ(plan->late_line, 0u);
  ImportLines lines(*reader);  // rewound: from the first line again
  ASSERT_TRUE(lines.PlanOrder(file.path(), kScanNow, kScanLate, nullptr).ok());
  EXPECT_FALSE(lines.reordered());
  EXPECT_EQ(TakenLines(lines), (std::vector<std::string>{"1:" + a, "3:" + b + "\r", "4:" + c}));
  EXPECT_EQ(lines.lines(), 4u);
}

// How far an import got, for its progress line: of the bytes of a file taken as it is, of
// the planned lines of one taken in published order, unknown for a pipe.
TEST(ImportOrderTest, SaysHowMuchOfTheInputWasGiven) {
  const std::string a = DatedLine("a", kScanOctober1), b = DatedLine("b", kScanOctober1 + 60);
  ScanFile in_order(a + "\n" + b + "\n");
  auto reader = OpenLines(in_order.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  ImportLines lines(*reader);
  ASSERT_TRUE(lines.PlanOrder(in_order.path(), kScanNow, kScanLate, nullptr).ok());
  EXPECT_EQ(lines.Done(), 0.0);
  std::string_view line;
  uint64_t number = 0;
  bool cut = false;
  ASSERT_TRUE(*lines.Next(&line, &number, &cut));
  EXPECT_DOUBLE_EQ(lines.Done(), static_cast<double>(a.size() + 1) / (a.size() + b.size() + 2));
  ASSERT_TRUE(*lines.Next(&line, &number, &cut));
  EXPECT_EQ(lines.Done(), 1.0);

  ScanFile reversed(b + "\n" + DatedLine("c", kScanOctober1 - 10 * kScanDay) + "\n" + a + "\n");
  reader = OpenLines(reversed.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  ImportLines planned(*reader);
  ASSERT_TRUE(planned.PlanOrder(reversed.path(), kScanNow, kScanLate, nullptr).ok());
  ASSERT_TRUE(planned.reordered());
  ASSERT_TRUE(*planned.Next(&line, &number, &cut));
  EXPECT_DOUBLE_EQ(planned.Done(), 1.0 / 3);

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "x\n", 2), 2);
  ::close(fds[1]);
  reader = OpenLines("/dev/fd/" + std::to_string(fds[0]), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  ImportLines piped(*reader);
  ASSERT_TRUE(piped.PlanOrder("-", kScanNow, kScanLate, nullptr).ok());
  ASSERT_TRUE(*piped.Next(&line, &number, &cut));
  EXPECT_LT(piped.Done(), 0.0);
  reader.reset();
  ::close(fds[0]);
}

TEST(ImportOrderTest, AFileOutOfOrderIsSortedStablyAndUndatedLinesKeepTheirPlace) {
  const std::string first = DatedLine("first", kScanOctober1 + kScanDay * 10);
  const std::string undated = R"({"id": "undated", "text": "x", "published": null})";
  const std::string early = DatedLine("early", kScanOctober1),
                    tie = DatedLine("tie", kScanOctober1);
  ScanFile file(first + "\n\n" + undated + "\n" + early + "\nnot json\n" + tie + "\n");
  auto reader = OpenLines(file.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  ImportLines lines(*reader);
  ASSERT_TRUE(lines.PlanOrder(file.path(), kScanNow, kScanLate, nullptr).ok());
  ASSERT_TRUE(lines.reordered());
  EXPECT_EQ(lines.planned_lines(), 5u);
  EXPECT_EQ(lines.lines(), 6u);
  // The undated line goes with the dated one above it, the bad one with "early".
  EXPECT_EQ(TakenLines(lines), (std::vector<std::string>{"4:" + early, "5:not json", "6:" + tie,
                                                         "1:" + first, "3:" + undated}));
}

// An id on two lines: taken in published order, the file's first line of it still comes
// first (the import keeps it and skips the other), wherever the other's date puts it.
TEST(ImportOrderTest, AnIdOnTwoLinesKeepsItsFirstLineFirst) {
  const std::string x1 = DatedLine("x1", kScanOctober1 + kScanDay * 10),
                    x2 = DatedLine("x2", kScanOctober1 + kScanDay * 11),
                    again = R"({"text": "other", "id": "x\u0031", "published": ")" +
                            FormatIso8601(kScanOctober1) + "\"}",
                    y = DatedLine("y", kScanOctober1 + kScanDay);
  ScanFile file(x1 + "\n" + x2 + "\n" + again + "\n" + y + "\n");
  auto reader = OpenLines(file.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  ImportLines lines(*reader);
  ASSERT_TRUE(lines.PlanOrder(file.path(), kScanNow, kScanLate, nullptr).ok());
  ASSERT_TRUE(lines.reordered()) << "line 3 is 10 days before line 2";
  EXPECT_EQ(TakenLines(lines),
            (std::vector<std::string>{"4:" + y, "1:" + x1, "3:" + again, "2:" + x2}));
}

TEST(ImportOrderTest, ThePlanNamesTheFirstLateLineAndTheLineItIsLateFor) {
  ScanFile file(
      DatedLine("a", kScanOctober1) + "\n" + DatedLine("b", kScanOctober1 + kScanDay * 5) + "\n" +
      DatedLine("c", kScanOctober1 + kScanDay * 4) + "\n" + DatedLine("d", kScanOctober1 + 3600) +
      "\n" + DatedLine("e", kScanOctober1 + 60) + "\n");
  auto reader = OpenLines(file.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  Result<ImportPlan> plan = PlanOf(*reader);
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->late_line, 4u);
  EXPECT_EQ(plan->late_time, kScanOctober1 + 3600);
  EXPECT_EQ(plan->ahead_line, 2u);
  EXPECT_EQ(plan->ahead_time, kScanOctober1 + kScanDay * 5);
  EXPECT_EQ(plan->total_lines, 5u);
  ASSERT_EQ(plan->lines.size(), 5u);
  std::vector<uint64_t> order;
  for (const PlannedLine& line : plan->lines) order.push_back(line.number);
  EXPECT_EQ(order, (std::vector<uint64_t>{1, 5, 4, 3, 2}));
}

// A date more than a day after the import's now is not believed (core/article.h): such a line
// counts at now, and does not make the lines below it late.
TEST(ImportOrderTest, ADateAheadOfNowDoesNotMakeLaterLinesLate) {
  ScanFile file(DatedLine("a", kScanOctober1) + "\n" +
                DatedLine("future", kScanNow + kScanDay * 400) + "\n" +
                DatedLine("b", kScanOctober1 + 60) + "\n");
  auto reader = OpenLines(file.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  Result<ImportPlan> plan = PlanOf(*reader);
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->late_line, 0u);
  EXPECT_TRUE(plan->lines.empty());
}

TEST(ImportOrderTest, AFileTooLongToSortIsTakenInItsOwnOrder) {
  std::string contents;
  for (int i = 0; i < 10; ++i)
    contents += DatedLine("n" + std::to_string(i), kScanOctober1 - i * kScanDay) + "\n";
  ScanFile file(contents);
  auto reader = OpenLines(file.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  Result<ImportPlan> plan = PlanOf(*reader, /*max_lines=*/4);
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_TRUE(plan->too_long);
  EXPECT_TRUE(plan->lines.empty());
  EXPECT_EQ(plan->late_line, 5u);  // 4 days before line 1: more than the 72 hours
  EXPECT_EQ(plan->ahead_line, 1u);
  std::string_view line;
  ASSERT_TRUE(reader->Next(&line).value_or(false));  // rewound
  EXPECT_EQ(line, DatedLine("n0", kScanOctober1));
}

TEST(ImportOrderTest, ALineOverTheLimitIsReadBackCutAsTheFileReaderCutsIt) {
  const std::string long_line = R"({"pad": ")" + std::string(100, 'x') + R"(", "id": "long", )" +
                                R"("published": "2023-10-01T00:00:00Z"})";
  ScanFile file(DatedLine("late", kScanOctober1 + kScanDay * 9) + "\n" + long_line + "\n" +
                DatedLine("early", kScanOctober1) + "\n");
  auto reader = OpenLines(file.path(), /*max_line=*/70);
  ASSERT_TRUE(reader);
  ImportLines lines(*reader);
  ASSERT_TRUE(lines.PlanOrder(file.path(), kScanNow, kScanLate, nullptr).ok());
  ASSERT_TRUE(lines.reordered());
  // The cut line cannot be read for its date: it keeps its place below "late".
  std::vector<std::string> taken;
  std::string_view line;
  uint64_t number = 0;
  bool cut = false;
  while (lines.Next(&line, &number, &cut).value_or(false)) {
    taken.push_back(std::to_string(number) + (cut ? " cut:" : ":") + std::string(line));
  }
  EXPECT_EQ(taken, (std::vector<std::string>{"3:" + DatedLine("early", kScanOctober1),
                                             "1:" + DatedLine("late", kScanOctober1 + kScanDay * 9),
                                             "2 cut:" + long_line.substr(0, 70)}));
}

TEST(ImportOrderTest, AFileCutShortAfterItsScanFailsWithWhatToDo) {
  ScanFile file(DatedLine("b", kScanOctober1 + kScanDay * 9) + "\n" +
                DatedLine("a", kScanOctober1) + "\n");
  auto reader = OpenLines(file.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  ImportLines lines(*reader);
  ASSERT_TRUE(lines.PlanOrder(file.path(), kScanNow, kScanLate, nullptr).ok());
  ASSERT_TRUE(lines.reordered());
  fs::resize_file(file.path(), 10);
  std::string_view line;
  uint64_t number = 0;
  bool cut = false;
  Result<bool> more = lines.Next(&line, &number, &cut);
  ASSERT_FALSE(more);
  EXPECT_NE(more.error().message().find("cut short"), std::string::npos) << more.error().message();
}

TEST(ImportOrderTest, AScanStopsWhenItsProgressSaysSo) {
  std::string contents;
  for (int i = 0; i < 5000; ++i)
    contents += DatedLine("n" + std::to_string(i), kScanOctober1 + i) + "\n";
  ScanFile file(contents);
  auto reader = OpenLines(file.path(), LineReader::kDefaultMaxLine);
  ASSERT_TRUE(reader);
  uint64_t seen = 0;
  Result<ImportPlan> plan =
      PlanImport(*reader, kScanNow, kScanLate, 100, [&seen](uint64_t lines, uint64_t bytes) {
        seen = lines;
        EXPECT_GT(bytes, lines);
        return false;
      });
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code(), Status::Code::kAborted);
  EXPECT_EQ(seen, 4096u);
}

}  // namespace
}  // namespace newsd::daemon
