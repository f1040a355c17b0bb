// parse::kParserRevision against what Parse makes of the feeds kept in this repository: the
// daemon reads a response it skipped as unchanged again only when the revision changes, so a
// parser change that reads these feeds otherwise must raise it. A digest of the outputs is
// recorded here with the revision it was taken at; the test fails, saying what to do, when
// the outputs change and the revision does not (or the other way round).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/hash.h"
#include "parse/json.h"
#include "parse/parser.h"
#include "tests/support/test_util.h"

namespace newsd::parse {
namespace {

namespace nt = newsd::testing;

// Taken with `newsd_parse_test --gtest_filter=ParserRevisionTest.*` (it prints the digest).
constexpr int kRecordedRevision = 2;
constexpr uint64_t kRecordedDigest = 0x140ebcbb7de7ade9;

// The feeds: the bundled demo's, the encoding fixtures, the fuzzer's seeds (JSON Feeds too).
std::vector<std::filesystem::path> Feeds() {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"demo/feeds", "tests/data/feeds", "tests/fuzz/corpus/parse"}) {
    for (const auto& entry : std::filesystem::directory_iterator(nt::SourceDir() / dir)) {
      if (entry.is_regular_file())
        files.push_back(std::filesystem::path(dir) / entry.path().filename());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ParserRevisionTest, TheRevisionChangesWithWhatTheParserReads) {
  const std::vector<std::filesystem::path> files = Feeds();
  ASSERT_GE(files.size(), 30u) << "the repository's feed files were not found";
  uint64_t digest = 0;
  for (const std::filesystem::path& file : files) {
    const std::string body = nt::ReadFile(nt::SourceDir() / file);
    const std::string out = ToSuiteJson(Parse(
        Input{body, "", "https://feeds.example.test/" + file.filename().string(), ""}, Options{}));
    digest = Hash64(file.generic_string() + "\n" + out, digest);
  }
  char hex[19];
  std::snprintf(hex, sizeof(hex), "0x%016llx", static_cast<unsigned long long>(digest));
  std::printf("parser revision %d, outputs digest %s over %zu feeds\n", kParserRevision, hex,
              files.size());
  if (digest != kRecordedDigest) {
    EXPECT_NE(kParserRevision, kRecordedRevision)
        << "Parse reads the repository's feeds otherwise than revision " << kRecordedRevision
        << " did (outputs digest " << hex << "): raise parse::kParserRevision (parse/parser.h), "
        << "so that the daemon reads unchanged responses again, and record the revision and the "
           "digest in this test. (If only a feed file below demo/feeds, tests/data/feeds or "
           "tests/fuzz/corpus/parse changed, record the digest alone.)";
  }
  EXPECT_EQ(digest, kRecordedDigest) << "record kRecordedDigest = " << hex << " in this test";
  EXPECT_EQ(kParserRevision, kRecordedRevision)
      << "record kRecordedRevision = " << kParserRevision << " in this test";
}

}  // namespace
}  // namespace newsd::parse
