// End to end: a feed whose items are older than what the dedup index holds (a backlog) is
// compared with the archive's stories of their days.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/test_util.h"

namespace newsd {
namespace {

using nlohmann::json;
using testing::Bin;
using testing::RunCommand;
using testing::TempDir;

constexpr char kBacklogStory[] =
    "The central bank raised its base rate by 50 basis points to 15.25 percent on Friday, "
    "citing inflation that reached 9.8 percent in April and a weaker currency. The regulator "
    "said it expects inflation to slow to between 7.5 and 8.5 percent by the end of the year "
    "and will consider further steps at its next meeting in June. Analysts had expected a "
    "smaller increase of 25 basis points after the rate was held for two meetings in a row.";

// An archive holding a story of 2024-05-01, then a month of later news (the index lets go of
// May's first days); the daemon then polls a feed added with a backlog: a copy of that story
// under another headline, dated that day. It joins the archived story.
TEST(EndToEndTest, AFeedsBacklogJoinsTheArchivedStoriesItCopies) {
  TempDir dir;
  std::string lines = json{{"id", "wire-1"},
                           {"source", "Agency"},
                           {"title", "Central bank raises base rate to 15.25%"},
                           {"text", kBacklogStory},
                           {"published", "2024-05-01T06:00:00Z"}}
                          .dump() +
                      "\n";
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i);
    lines += json{{"id", "june-" + n},
                  {"source", "Agency"},
                  {"title", "June item " + n},
                  {"text", "June item " + n + " reports alpha" + n + " beta" + n + " gamma" + n +
                               " delta" + n + " epsilon" + n + " zeta" + n + "."},
                  {"published", "2024-06-01T08:" + std::string(i < 10 ? "0" : "") + n + ":00Z"}}
                 .dump() +
             "\n";
  }
  testing::WriteFile(dir.str() + "/archive.jsonl", lines);
  std::string log;
  ASSERT_EQ(RunCommand(Bin("newsd") + " import " + dir.str() + "/archive.jsonl --db " + dir.str() +
                           "/data 2>&1",
                       &log),
            0)
      << log;
  testing::WriteFile(dir.str() + "/outlet.xml",
                     std::string("<rss version=\"2.0\"><channel><title>Outlet</title><item>"
                                 "<title>Rate goes up again</title><link>https://outlet.example/"
                                 "rate</link><pubDate>Wed, 01 May 2024 09:30:00 GMT</pubDate>"
                                 "<description>(Reuters) - ") +
                         kBacklogStory + "</description></item></channel></rss>");
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 dir.str() +
                                 "/admin.sock\"\nlog_level = \"warn\"\n"
                                 "[[feed]]\nid = \"outlet\"\nurl = \"file://" +
                                 dir.str() + "/outlet.xml\"\n");
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &log), 0) << log;
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export --format jsonl", &out),
            0);
  std::map<std::string, std::string> story_of_feed;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const json item = json::parse(line);
    story_of_feed[item["feed"]] = item["story"];
  }
  ASSERT_TRUE(story_of_feed.contains("outlet")) << out;
  EXPECT_EQ(story_of_feed["outlet"], "wire-1");
}

}  // namespace
}  // namespace newsd
