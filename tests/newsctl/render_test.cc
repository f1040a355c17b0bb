// What newsctl prints for people: tables cut long text on a terminal, never the ids an
// operator pastes into the next command.
#include "newsctl/render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace newsd::newsctl {
namespace {

using nlohmann::json;

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override { Table::SetCutting(true); }  // as on a terminal
  void TearDown() override { Table::SetCutting(true); }
};

const std::string kStory = "127.0.0.1-regionnews.xml:5a0c61f1c0b36e0d";
const std::string kFeed = "127.0.0.1-regionnews.xml-politics";

// Titles are shown as a reader sees them: a feed's escaped or marked-up title decoded,
// but a wire ticker in angle brackets kept; --json keeps the title as sent.
TEST_F(RenderTest, TitlesAreShownDecoded) {
  auto title = [](const std::string& t) { return Title(json{{"title", t}}); };
  EXPECT_EQ(title("&laquo;Эйр Астана&raquo; t0 &quot;Газпром&quot;"),
            "«Эйр Астана» t0 \"Газпром\"");
  EXPECT_EQ(title("Глава&nbsp;МИД"), "Глава\u00a0МИД");
  EXPECT_EQ(title("То&#1179;аев жа&#1187;а"), "Тоқаев жаңа");
  EXPECT_EQ(title("<b>Срочно:</b> &amp;quot;Цена&amp;quot;\n  выросла"),
            "Срочно: \"Цена\" выросла");
  EXPECT_EQ(title("STANDARD OIL <SRD> TO FORM FINANCIAL UNIT"),
            "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT");
  EXPECT_EQ(title("AT&T <i>buys</i> a 5 < 6 stake"), "AT&T buys a 5 < 6 stake");
  EXPECT_EQ(title("if a<b and c>d then <a href=\"/x\">x</a>"), "if a<b and c>d then x");
  // Markup inside a word or before its punctuation adds no space; line breaks and tabs in a
  // plain title are one space.
  EXPECT_EQ(title("<b>BREAKING</b>: Central <i>bank</i>s"), "BREAKING: Central banks");
  EXPECT_EQ(title("Multi\n   line\ttitle"), "Multi line title");
  EXPECT_EQ(title("One<br>two<p>three</p>"), "One two three");
  std::ostringstream out;
  PrintStories(json{{"stories", json::array({json{{"id", "s1"},
                                                  {"time", "t"},
                                                  {"copies", 1},
                                                  {"source", "kz"},
                                                  {"title", "&laquo;Air&raquo;"}}})}},
               out);
  EXPECT_NE(out.str().find("«Air»"), std::string::npos) << out.str();
}

TEST_F(RenderTest, StoryAndFeedIdsAreNeverCut) {
  const std::string title(200, 't');
  std::ostringstream stories, search, feeds;
  PrintStories(json{{"stories", {{{"id", kStory}, {"title", title}, {"copies", 2}}}}}, stories);
  PrintSearch(
      json{{"items", {{{"story", kStory}, {"id", kStory}, {"title", title}}}}, {"scanned", 1}},
      search);
  PrintFeeds(json{{"feeds", {{{"id", kFeed}, {"url", "http://127.0.0.1/x"}}}}}, feeds);
  EXPECT_NE(stories.str().find(kStory), std::string::npos) << stories.str();
  EXPECT_NE(search.str().find(kStory + " "), std::string::npos) << search.str();
  EXPECT_NE(feeds.str().find(kFeed), std::string::npos) << feeds.str();
  // Titles are still cut to keep a row on a line.
  EXPECT_EQ(stories.str().find(title), std::string::npos);
  EXPECT_NE(stories.str().find("…"), std::string::npos);
}

// A permanent redirect being confirmed is no move yet: `feeds show` says so.
TEST_F(RenderTest, AMoveBeingConfirmedIsShownAsPending) {
  std::ostringstream out;
  PrintFeed(json{{"feed",
                  {{"id", kFeed},
                   {"state", "active"},
                   {"url", "http://127.0.0.1/old.xml"},
                   {"moved_to", "http://127.0.0.1/new.xml"},
                   {"moved_seen", 1}}}},
            out);
  EXPECT_NE(out.str().find("moved_to:"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("http://127.0.0.1/new.xml (permanent redirect seen on 1 poll so far"),
            std::string::npos)
      << out.str();
}

TEST_F(RenderTest, ABackupsSizeAndTimeAreRounded) {
  std::ostringstream out;
  PrintBackup(json{{"dir", "/b"}, {"files", 12}, {"bytes", 1207535}, {"seconds", 0.0266114}}, out);
  EXPECT_NE(out.str().find("12 files, 1.2 MiB in 0.03 s"), std::string::npos) << out.str();
}

TEST_F(RenderTest, AHostsGapsReadLikeItsIntervals) {
  std::ostringstream out;
  PrintHosts(json{{"hosts",
                   {{{"host", "a.example"}, {"min_gap_ms", 250}, {"min_feed_interval_s", 600}},
                    {{"host", "b.example"}, {"min_gap_ms", 1500}, {"min_feed_interval_s", 3600}},
                    {{"host", "c.example"}, {"min_gap_ms", 300000}},
                    {{"host", "d.example"}, {"min_gap_ms", 59960}}}}},
             out);
  const std::string text = out.str();
  EXPECT_NE(text.find("250 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("1.5 s"), std::string::npos) << text;
  EXPECT_EQ(text.find("300000 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("5m"), std::string::npos) << "c's gap: " << text;
  EXPECT_EQ(text.find("60.0 s"), std::string::npos) << text;
  EXPECT_NE(text.find("1m"), std::string::npos) << "d's gap, rounded: " << text;
}

TEST_F(RenderTest, PipedOutputKeepsEveryCellWhole) {
  Table::SetCutting(false);
  const std::string title(200, 't');
  std::ostringstream out;
  PrintStories(json{{"stories", {{{"id", kStory}, {"title", title}}}}}, out);
  EXPECT_NE(out.str().find(title), std::string::npos);
}

}  // namespace
}  // namespace newsd::newsctl
