// The feed suite of $NEWSD_SHARED/corpus/feeds, parsed in this process: every fixture goes
// through Parse and ToSuiteJson as `newsctl parse --json` takes it, and the suite's own
// checker grades the core tier's assertions (check_conformance.py --results). The integration
// test FeedConformanceAllTiers runs every tier through the newsctl binary, a process a case;
// the sanitizer builds run this one instead (871 sanitized process starts cost two minutes of
// both cores; this, a few seconds). Skipped with a message when the suite is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "parse/json.h"
#include "parse/parser.h"
#include "tests/support/test_util.h"

namespace newsd::parse {
namespace {

using nlohmann::json;
namespace nt = newsd::testing;

// Share of cases passing the core tier's assertions that the parser must keep.
constexpr double kMinCoreRate = 0.995;

std::string HttpField(const json& c, const char* key) {
  const json& http = c.value("http", json::object());
  return http.is_object() ? http.value(key, std::string()) : std::string();
}

/// {"id", "output"} for one case of the manifest, as the checker's --results file has it.
json RunCase(const std::filesystem::path& suite, const json& c) {
  const std::filesystem::path fixture = suite / c.at("fixture").get<std::string>();
  EXPECT_TRUE(std::filesystem::exists(fixture)) << "the manifest names a missing " << fixture;
  const std::string body = nt::ReadFile(fixture);
  Input input{body, HttpField(c, "content_type"), HttpField(c, "base_url"),
              HttpField(c, "content_language")};
  return {{"id", c.at("id")}, {"output", json::parse(ToSuiteJson(Parse(input, Options{})))}};
}

/// The checker's failures, one case a line with its first failed assertion.
std::string FirstFailures(const json& report, size_t n) {
  std::string out;
  const json& failures = report.value("failures", json::array());
  for (size_t i = 0; i < failures.size() && i < n; ++i) {
    const json& f = failures[i];
    out += "  " + f.value("id", std::string("?")) + ": " +
           (f.contains("failures") && !f["failures"].empty() ? f["failures"][0].dump() : "") + "\n";
  }
  return out;
}

TEST(ConformanceInProcess, EveryFixtureParsesAndTheCoreTierPasses) {
  auto shared = nt::SharedDir();
  if (!shared) GTEST_SKIP() << "shared corpora not found: set NEWSD_SHARED (default ../shared)";
  const std::filesystem::path suite = *shared / "corpus/feeds";
  std::ifstream manifest(suite / "manifest.jsonl");
  ASSERT_TRUE(manifest) << "no manifest.jsonl in " << suite;

  nt::TempDir dir;
  std::ofstream results(dir.path() / "results.jsonl");
  size_t cases = 0;
  for (std::string line; std::getline(manifest, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    results << RunCase(suite, json::parse(line)).dump() << "\n";
    ++cases;
  }
  results.close();
  EXPECT_GT(cases, 0u);

  const std::string report_path = (dir.path() / "report.json").string();
  nt::RunCommand("python3 -B " + (suite / "check_conformance.py").string() + " --suite " +
                 suite.string() + " --results " + (dir.path() / "results.jsonl").string() +
                 " --tier core --json " + report_path + " > /dev/null 2>&1");
  const json report = json::parse(nt::ReadFile(report_path), nullptr, false);
  ASSERT_TRUE(report.is_object()) << "the checker wrote no report";
  const json& total = report["total"];
  EXPECT_GT(total["cases"].get<size_t>(), cases / 2);  // cases with core-tier assertions
  const double rate =
      total["cases_passed"].get<double>() / std::max(1.0, total["cases"].get<double>());
  std::cout << "conformance in process (core tier): " << total.dump() << "\n";
  EXPECT_GE(rate, kMinCoreRate) << "failing cases (first 20):\n" << FirstFailures(report, 20);
}

}  // namespace
}  // namespace newsd::parse
