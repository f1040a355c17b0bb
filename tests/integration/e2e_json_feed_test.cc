// End to end: a JSON Feed is polled like an RSS feed, and its copy of an agency's story joins
// that story.
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

constexpr char kWireStory[] =
    "The government approved a plan to build three new grain terminals on the Caspian coast by "
    "2027, raising export capacity by 4.5 million tonnes a year. The terminals in Aktau and "
    "Kuryk will be built with private investors, the ministry of agriculture said on Tuesday, "
    "and the first is due to open next autumn. Grain exports reached 11.2 million tonnes in the "
    "last marketing year, most of it shipped by rail to Central Asia and China.";

TEST(EndToEndTest, AJsonFeedsCopyJoinsTheAgencysStory) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/agency.xml",
                     std::string("<rss version=\"2.0\"><channel><title>Agency</title><item>"
                                 "<title>Three grain terminals to be built on the Caspian</title>"
                                 "<link>https://agency.example/grain</link>"
                                 "<pubDate>Tue, 07 May 2024 06:00:00 GMT</pubDate><description>") +
                         kWireStory + "</description></item></channel></rss>");
  const json outlet = {
      {"version", "https://jsonfeed.org/version/1.1"},
      {"title", "Outlet"},
      {"home_page_url", "https://outlet.example/"},
      {"items",
       {{{"id", "https://outlet.example/p/1"},
         {"url", "https://outlet.example/p/1"},
         {"title", "Caspian to get new grain terminals"},
         {"content_html", std::string("<p>ASTANA (Agency) - ") + kWireStory + "</p>"},
         {"date_published", "2024-05-07T08:15:00+05:00"}},
        {{"id", "https://outlet.example/p/2"},
         {"url", "https://outlet.example/p/2"},
         {"title", "City opens a new library"},
         {"content_text",
          "The city library opened its new building on Monday with a reading room for 300 "
          "visitors, a children's floor and an archive of local newspapers from 1920 onwards."},
         {"date_published", "2024-05-07T09:00:00Z"}}}}};
  testing::WriteFile(dir.str() + "/outlet.json", outlet.dump());
  const std::string config = dir.str() + "/newsd.toml";
  std::string toml = "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                     dir.str() + "/admin.sock\"\nlog_level = \"warn\"\n";
  for (const char* id : {"agency", "outlet"}) {
    toml += std::string("[[feed]]\nid = \"") + id + "\"\nurl = \"file://" + dir.str() + "/" + id +
            (std::string(id) == "agency" ? ".xml" : ".json") + "\"\n";
  }
  testing::WriteFile(config, toml);
  std::string log;
  ASSERT_EQ(RunCommand(Bin("newsd") + " --once --config " + config + " 2>&1", &log), 0) << log;
  std::string out;
  ASSERT_EQ(RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data export --format jsonl", &out),
            0);
  std::map<std::string, json> by_url;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    json item = json::parse(line);
    by_url[item["url"]] = item;
  }
  ASSERT_EQ(by_url.size(), 3u) << out;
  const json& copy = by_url["https://outlet.example/p/1"];
  ASSERT_TRUE(copy.is_object()) << out;
  EXPECT_EQ(copy["feed"], "outlet");
  EXPECT_EQ(copy["title"], "Caspian to get new grain terminals");
  EXPECT_EQ(copy["story"], by_url["https://agency.example/grain"]["story"]);
  EXPECT_NE(by_url["https://outlet.example/p/2"]["story"], copy["story"]);
}

}  // namespace
}  // namespace newsd
