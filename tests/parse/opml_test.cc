#include "parse/opml.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newsd::parse {
namespace {

std::vector<OpmlFeed> MustParseOpml(std::string_view doc) {
  Result<std::vector<OpmlFeed>> r = ParseOpml(doc);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
  return r ? *std::move(r) : std::vector<OpmlFeed>{};
}

// The message of the InvalidArgument ParseOpml must return for `doc`.
std::string ParseError(std::string_view doc) {
  Result<std::vector<OpmlFeed>> r = ParseOpml(doc);
  EXPECT_FALSE(r.has_value());
  if (r) return "";
  EXPECT_EQ(r.error().code(), Status::Code::kInvalidArgument);
  return r.error().message();
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string Body(std::string_view outlines, std::string_view opml_attrs = "") {
  return "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"" + std::string(opml_attrs) +
         ">\n<head><title>t</title></head>\n<body>\n" + std::string(outlines) +
         "\n</body>\n</opml>\n";
}

std::vector<OpmlFeed> SampleFeeds() {
  std::vector<OpmlFeed> feeds(5);
  feeds[0] = {
      "lwn", "https://lwn.net/headlines/rss", "LWN.net", "https://lwn.net/", "", 3600, false, ""};
  feeds[1] = {"meduza",
              "https://meduza.io/rss/all",
              "Медуза — «новости» & <мнения>",
              "https://meduza.io/",
              "Новости/Россия",
              0,
              true,
              ""};
  feeds[2] = {"q.x_1",
              "https://example.com/feed?a=1&b=\"2\"",
              "Tom's \"quoted\" <b>bold</b>",
              "",
              "Новости/World & Co",
              90,
              false,
              "+05:00"};
  feeds[3] = {"ars", "http://feeds.arstechnica.com/arstechnica/index", "", "", "Tech", 0, false,
              ""};
  feeds[4] = {
      "", "https://no-id.example/rss", "Tabs\tand\nnewlines\r\n", "", "Tech/Deep/Er", 0, false, ""};
  return feeds;
}

TEST(OpmlTest, RoundTrip) {
  std::vector<OpmlFeed> feeds = SampleFeeds();
  std::string doc =
      WriteOpml(feeds, "newsd <subscriptions> & more", "Sat, 01 Jun 2024 10:00:00 GMT");
  EXPECT_EQ(MustParseOpml(doc), feeds) << doc;
}

TEST(OpmlTest, WrittenDocumentShape) {
  std::string doc = WriteOpml(SampleFeeds(), "A & B", "Sat, 01 Jun 2024 10:00:00 GMT");
  EXPECT_EQ(doc.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\" "
                      "xmlns:newsd=\"https://github.com/newsd/newsd/opml\">\n",
                      0),
            0u)
      << doc;
  EXPECT_TRUE(Contains(doc, "<title>A &amp; B</title>")) << doc;
  EXPECT_TRUE(Contains(doc, "<dateCreated>Sat, 01 Jun 2024 10:00:00 GMT</dateCreated>")) << doc;
  EXPECT_TRUE(Contains(doc,
                       "\n    <outline type=\"rss\" text=\"LWN.net\" title=\"LWN.net\" "
                       "xmlUrl=\"https://lwn.net/headlines/rss\" htmlUrl=\"https://lwn.net/\" "
                       "newsd:id=\"lwn\" newsd:interval=\"3600\" />"))
      << doc;
  EXPECT_TRUE(Contains(doc, "newsd:paused=\"true\"")) << doc;
  EXPECT_TRUE(Contains(doc, "xmlUrl=\"https://example.com/feed?a=1&amp;b=&quot;2&quot;\""));
  EXPECT_TRUE(Contains(doc, "&amp; &lt;мнения")) << doc;
  EXPECT_FALSE(Contains(doc, "newsd:id=\"\"")) << "a feed without id gets no newsd:id";
  // "Новости/Россия" and "Новости/World & Co" share one Новости outline; Tech/Deep/Er nests.
  EXPECT_EQ(doc.find("text=\"Новости\""), doc.rfind("text=\"Новости\"")) << doc;
  EXPECT_TRUE(Contains(doc, "<outline text=\"Deep\" title=\"Deep\">\n        <outline text=\"Er\""))
      << doc;
}

TEST(OpmlTest, NoDateCreatedWhenNotGiven) {
  std::string doc = WriteOpml({}, "empty");
  EXPECT_FALSE(Contains(doc, "dateCreated")) << doc;
  EXPECT_TRUE(MustParseOpml(doc).empty());
}

TEST(OpmlTest, FeedsKeepTheirOrderEvenWhenCategoriesInterleave) {
  std::vector<OpmlFeed> feeds(3);
  feeds[0] = {"a1", "http://a/1", "A1", "", "a", 0, false, ""};
  feeds[1] = {"n", "http://n/", "N", "", "", 0, false, ""};
  feeds[2] = {"a2", "http://a/2", "A2", "", "a", 0, false, ""};
  EXPECT_EQ(MustParseOpml(WriteOpml(feeds, "t")), feeds);
}

TEST(OpmlTest, WriterCleansWhatXmlCannotCarry) {
  std::vector<OpmlFeed> feeds(1);
  feeds[0] = {"x",
              "http://x/",
              "a\x01"
              "b\xff"
              "c\x7f",
              "",
              "",
              0,
              false,
              ""};
  std::vector<OpmlFeed> read = MustParseOpml(WriteOpml(feeds, "bad\x02title"));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].title, "ab\uFFFDc\x7f");
}

TEST(OpmlTest, ManyFeedsRoundTrip) {
  std::vector<OpmlFeed> feeds;
  feeds.reserve(20000);
  for (int i = 0; i < 20000; ++i) {
    feeds.push_back({"f" + std::to_string(i), "https://example.com/" + std::to_string(i),
                     "Feed " + std::to_string(i), "", "c" + std::to_string(i / 100), i, i % 7 == 0,
                     ""});
  }
  EXPECT_EQ(MustParseOpml(WriteOpml(feeds, "big")), feeds);
}

TEST(OpmlTest, NewsboatExport) {
  std::vector<OpmlFeed> feeds = MustParseOpml(
      "<?xml version=\"1.0\"?>\n"
      "<opml version=\"1.0\">\n"
      "\t<head>\n\t\t<title>newsboat - Exported Feeds</title>\n\t</head>\n"
      "\t<body>\n"
      "\t\t<outline type=\"rss\" xmlUrl=\"https://lwn.net/headlines/rss\" "
      "htmlUrl=\"https://lwn.net\" title=\"LWN.net\"/>\n"
      "\t\t<outline type=\"rss\" xmlUrl=\"https://xkcd.com/atom.xml\" htmlUrl=\"\" title=\"\"/>\n"
      "\t</body>\n"
      "</opml>\n");
  ASSERT_EQ(feeds.size(), 2u);
  EXPECT_EQ(feeds[0], (OpmlFeed{"", "https://lwn.net/headlines/rss", "LWN.net", "https://lwn.net",
                                "", 0, false, ""}));
  EXPECT_EQ(feeds[1].url, "https://xkcd.com/atom.xml");
  EXPECT_EQ(feeds[1].title, "");
}

TEST(OpmlTest, FeedlyExportWithCategories) {
  std::vector<OpmlFeed> feeds = MustParseOpml(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<opml version=\"1.0\">\n"
      "  <head>\n    <title>User subscriptions in feedly Cloud</title>\n  </head>\n"
      "  <body>\n"
      "    <outline text=\"Tech\" title=\"Tech\">\n"
      "      <outline type=\"rss\" text=\"Ars Technica\" title=\"Ars Technica\" "
      "xmlUrl=\"http://feeds.arstechnica.com/arstechnica/index\" "
      "htmlUrl=\"https://arstechnica.com\"/>\n"
      "      <outline type=\"rss\" text=\"Hacker News\" title=\"Hacker News\" "
      "xmlUrl=\"https://news.ycombinator.com/rss\" htmlUrl=\"https://news.ycombinator.com/\"/>\n"
      "    </outline>\n"
      "    <outline text=\"Новости\" title=\"Новости\">\n"
      "      <outline text=\"Europe\">\n"
      "        <outline type=\"rss\" text=\"Meduza\" xmlUrl=\"https://meduza.io/rss/all\"/>\n"
      "      </outline>\n"
      "    </outline>\n"
      "    <outline type=\"rss\" text=\"Loose\" xmlUrl=\"https://loose.example/feed\"/>\n"
      "  </body>\n"
      "</opml>\n");
  ASSERT_EQ(feeds.size(), 4u);
  EXPECT_EQ(feeds[0].title, "Ars Technica");
  EXPECT_EQ(feeds[0].category, "Tech");
  EXPECT_EQ(feeds[1].url, "https://news.ycombinator.com/rss");
  EXPECT_EQ(feeds[1].category, "Tech");
  EXPECT_EQ(feeds[2].title, "Meduza");
  EXPECT_EQ(feeds[2].category, "Новости/Europe");
  EXPECT_EQ(feeds[3].category, "");
  for (const OpmlFeed& f : feeds) {
    EXPECT_EQ(f.id, "");
    EXPECT_EQ(f.interval, 0);
    EXPECT_FALSE(f.paused);
  }
}

TEST(OpmlTest, MinifluxExport) {
  std::vector<OpmlFeed> feeds = MustParseOpml(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<opml version=\"2.0\">\n"
      "    <head>\n"
      "        <title>Miniflux</title>\n"
      "        <dateCreated>Sat, 01 Jun 2024 10:00:00 UTC</dateCreated>\n"
      "    </head>\n"
      "    <body>\n"
      "        <outline text=\"All\">\n"
      "            <outline title=\"Planet Debian\" text=\"Planet Debian\" "
      "xmlUrl=\"https://planet.debian.org/rss20.xml\" "
      "htmlUrl=\"https://planet.debian.org/\"></outline>\n"
      "        </outline>\n"
      "    </body>\n"
      "</opml>\n");
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0], (OpmlFeed{"", "https://planet.debian.org/rss20.xml", "Planet Debian",
                                "https://planet.debian.org/", "All", 0, false, ""}));
}

TEST(OpmlTest, TextUsedWhenTitleAbsent) {
  std::vector<OpmlFeed> feeds = MustParseOpml(
      Body("<outline text=\"Folder\"><outline text=\"By text\" xmlUrl=\"http://a/\"/>"
           "<outline text=\"ignored\" title=\"By title\" xmlUrl=\"http://b/\"/></outline>"));
  ASSERT_EQ(feeds.size(), 2u);
  EXPECT_EQ(feeds[0].title, "By text");
  EXPECT_EQ(feeds[0].category, "Folder");
  EXPECT_EQ(feeds[1].title, "By title");
}

TEST(OpmlTest, NewsdAttributesFollowTheNamespaceNotThePrefix) {
  std::vector<OpmlFeed> feeds = MustParseOpml(
      Body("<outline xmlUrl=\"http://a/\" nd:id=\"a\" nd:interval=\"15m\" nd:paused=\"true\"/>"
           "<outline xmlUrl=\"http://b/\" newsd:id=\"not valid!\" newsd:interval=\"soon\"/>"
           "<outline xmlns:x=\"https://github.com/newsd/newsd/opml\" xmlUrl=\"http://c/\" "
           "x:id=\"c\"/>",
           " xmlns:nd=\"https://github.com/newsd/newsd/opml\" xmlns:newsd=\"http://other/\""));
  ASSERT_EQ(feeds.size(), 3u);
  EXPECT_EQ(feeds[0], (OpmlFeed{"a", "http://a/", "", "", "", 900, true, ""}));
  EXPECT_EQ(feeds[1], (OpmlFeed{"", "http://b/", "", "", "", 0, false, ""}));
  EXPECT_EQ(feeds[2].id, "c");
}

TEST(OpmlTest, ZonelessDatesAreReadAsAnOffsetAndRefusedOtherwise) {
  std::vector<OpmlFeed> feeds =
      MustParseOpml(Body("<outline xmlUrl=\"http://a/\" newsd:zonelessDates=\" +0500 \"/>"
                         "<outline xmlUrl=\"http://b/\" newsd:zonelessDates=\"UTC\"/>",
                         " xmlns:newsd=\"https://github.com/newsd/newsd/opml\""));
  ASSERT_EQ(feeds.size(), 2u);
  EXPECT_EQ(feeds[0].zoneless_dates, "+05:00");
  EXPECT_EQ(feeds[1].zoneless_dates, "+00:00");
  auto bad = ParseOpml(Body("<outline xmlUrl=\"http://a/\" newsd:zonelessDates=\"Asia/Almaty\"/>",
                            " xmlns:newsd=\"https://github.com/newsd/newsd/opml\""));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("newsd:zonelessDates \"Asia/Almaty\" must be an offset"),
            std::string::npos)
      << bad.error().message();
}

TEST(OpmlTest, IntervalDurations) {
  std::vector<OpmlFeed> feeds =
      MustParseOpml(Body("<outline xmlUrl=\"http://a/\" newsd:interval=\"3600\"/>"
                         "<outline xmlUrl=\"http://b/\" newsd:interval=\"90s\"/>"
                         "<outline xmlUrl=\"http://c/\" newsd:interval=\"15m\"/>"
                         "<outline xmlUrl=\"http://d/\" newsd:interval=\" 1h \"/>"
                         "<outline xmlUrl=\"http://e/\" newsd:interval=\"2d\"/>",
                         " xmlns:newsd=\"https://github.com/newsd/newsd/opml\""));
  ASSERT_EQ(feeds.size(), 5u);
  EXPECT_EQ(feeds[0].interval, 3600);
  EXPECT_EQ(feeds[1].interval, 90);
  EXPECT_EQ(feeds[2].interval, 900);
  EXPECT_EQ(feeds[3].interval, 3600);
  EXPECT_EQ(feeds[4].interval, 172800);
}

TEST(OpmlTest, MalformedXmlReportsItsLine) {
  std::string msg = ParseError(
      "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><body>\n"
      "<outline text=\"x\" xmlUrl=\"http://x/\"</body>\n</opml>\n");
  EXPECT_TRUE(Contains(msg, "line 3")) << msg;
  EXPECT_TRUE(Contains(msg, "malformed XML")) << msg;
}

TEST(OpmlTest, MalformedUtf16ReportsItsLine) {
  std::string utf8 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<opml>\n<body>\n<outline a=>";
  std::string utf16 = "\xFF\xFE";
  for (char c : utf8) {
    utf16 += c;
    utf16 += '\0';
  }
  std::string msg = ParseError(utf16);
  EXPECT_TRUE(Contains(msg, "line 4")) << msg;
}

TEST(OpmlTest, RootMustBeOpml) {
  std::string msg = ParseError("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>");
  EXPECT_TRUE(Contains(msg, "line 2")) << msg;
  EXPECT_TRUE(Contains(msg, "<rss>")) << msg;
  EXPECT_TRUE(Contains(ParseError(""), "line 1")) << "empty document";
}

TEST(OpmlTest, MissingBody) {
  std::string msg = ParseError("<opml version=\"2.0\">\n<head><title>x</title></head>\n</opml>");
  EXPECT_TRUE(Contains(msg, "<body>")) << msg;
  EXPECT_TRUE(Contains(msg, "line 1")) << msg;
}

TEST(OpmlTest, EmptyXmlUrl) {
  std::string msg =
      ParseError(Body("<outline text=\"ok\" xmlUrl=\"http://ok/\"/>\n"
                      "<outline text=\"bad\" xmlUrl=\"  \"/>"));
  EXPECT_TRUE(Contains(msg, "line 6")) << msg;
  EXPECT_TRUE(Contains(msg, "xmlUrl")) << msg;
}

TEST(OpmlTest, XmlUrlOfControlCharactersIsEmpty) {
  std::string msg = ParseError(Body("<outline xmlUrl=\" &#1;\x02 \"/>"));
  EXPECT_TRUE(Contains(msg, "line 5: outline with an empty xmlUrl")) << msg;
}

TEST(OpmlTest, BadInterval) {
  const char* ns = " xmlns:n=\"https://github.com/newsd/newsd/opml\"";
  for (const char* bad : {"soon", "-5", "1w", "", "h", "1.5h", "99999999999999999999"}) {
    std::string value = bad;
    std::string msg =
        ParseError(Body("<outline xmlUrl=\"http://a/\" n:interval=\"" + value + "\"/>", ns));
    EXPECT_TRUE(Contains(msg, "line 5")) << bad << ": " << msg;
    EXPECT_TRUE(Contains(msg, "newsd:interval \"" + value + "\"")) << msg;
  }
}

TEST(OpmlTest, InvalidFeedId) {
  std::string msg = ParseError(Body("<outline xmlUrl=\"http://a/\" n:id=\"has space\"/>",
                                    " xmlns:n=\"https://github.com/newsd/newsd/opml\""));
  EXPECT_TRUE(Contains(msg, "line 5")) << msg;
  EXPECT_TRUE(Contains(msg, "newsd:id")) << msg;
}

TEST(OpmlTest, DtdEntitiesAreNotExpanded) {
  std::vector<OpmlFeed> feeds = MustParseOpml(
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE opml [<!ENTITY boom \"BOOM\"><!ENTITY ext SYSTEM \"file:///etc/passwd\">]>\n"
      "<opml version=\"2.0\"><body>"
      "<outline title=\"&boom;&ext;\" xmlUrl=\"http://a/\"/></body></opml>");
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0].title, "&boom;&ext;");
}

TEST(OpmlTest, DeclaredSingleByteCharset) {
  std::vector<OpmlFeed> feeds = MustParseOpml(
      "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<opml><body>"
      "<outline title=\"\xcd\xee\xe2\xee\xf1\xf2\xe8\" xmlUrl=\"http://a/\"/></body></opml>");
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0].title, "Новости");
}

std::string Nested(int depth) {
  std::string doc = "<opml version=\"2.0\"><body>\n";
  for (int i = 1; i < depth; ++i) doc += "<outline text=\"c\">\n";
  doc += "<outline text=\"leaf\" xmlUrl=\"http://deep/\"/>\n";
  for (int i = 1; i < depth; ++i) doc += "</outline>";
  return doc + "</body></opml>";
}

TEST(OpmlTest, SixtyFourLevelsAreRead) {
  std::vector<OpmlFeed> feeds = MustParseOpml(Nested(64));
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0].category.size(), 63u * 2 - 1);
}

TEST(OpmlTest, DeepNestingIsRefusedCleanly) {
  std::string msg = ParseError(Nested(65));
  EXPECT_TRUE(Contains(msg, "line 66")) << msg;
  EXPECT_TRUE(Contains(msg, "64 levels")) << msg;
  msg = ParseError(Nested(10000));
  EXPECT_TRUE(Contains(msg, "64 levels")) << msg;
}

}  // namespace
}  // namespace newsd::parse
