// JSON Feed 1 and 1.1 read into the Feed that RSS and Atom give.
#include <gtest/gtest.h>

#include <string>

#include "parse/parser.h"
#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::MustParse;

constexpr char kFeed11[] = R"({
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Steppe Herald",
  "home_page_url": "https://steppe.example/",
  "feed_url": "/feed.json",
  "description": "News of Kazakhstan",
  "language": "ru",
  "authors": [{"name": "Редакция", "url": "/about"}],
  "items": [
    {"id": 2, "url": "/news/2", "title": " Wheat harvest starts ",
     "content_html": "<p>Farmers <a href=\"photo.jpg\">began</a>.</p>",
     "content_text": "Farmers began.", "summary": "Early harvest",
     "date_published": "2024-05-06T10:00:00+05:00", "date_modified": "2024-05-06T12:00:00Z",
     "tags": ["farming", "", 7],
     "attachments": [{"url": "/a.mp3", "mime_type": "audio/mpeg", "size_in_bytes": 1234},
                     {"mime_type": "image/png"}],
     "image": "/i.jpg", "language": "kk"},
    {"id": "1", "external_url": "https://other.example/x", "title": "Linked",
     "author": {"name": "Ivan"}}
  ]
})";

Feed ParseAt(const std::string& body, const std::string& base = "https://steppe.example/feed.json",
             Options options = {}) {
  return MustParse(body, "application/feed+json", base, options);
}

TEST(JsonFeedTest, FeedMembersMapAsRssAndAtomOnes) {
  const Feed f = ParseAt(kFeed11);
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  EXPECT_EQ(f.version, "json11");
  EXPECT_EQ(f.encoding, "utf-8");
  EXPECT_EQ(f.feed.title, "Steppe Herald");
  EXPECT_EQ(f.feed.link, "https://steppe.example/");
  EXPECT_EQ(f.feed.subtitle, "News of Kazakhstan");
  EXPECT_EQ(f.feed.language, "ru");
  ASSERT_EQ(f.feed.links.size(), 2u);
  EXPECT_EQ(f.feed.links[1].href, "https://steppe.example/feed.json");
  EXPECT_EQ(f.feed.links[1].rel, "self");
  EXPECT_EQ(f.feed.author, "Редакция");
  ASSERT_TRUE(f.feed.author_detail);
  EXPECT_EQ(f.feed.author_detail->href, "https://steppe.example/about");
}

TEST(JsonFeedTest, ItemMembersMapToTheEntry) {
  const Feed f = ParseAt(kFeed11);
  ASSERT_EQ(f.entries.size(), 2u);
  const Entry& e = f.entries[0];
  EXPECT_EQ(e.id, "2");  // a number, as its digits
  EXPECT_EQ(e.link, "https://steppe.example/news/2");
  EXPECT_EQ(e.title, "Wheat harvest starts");
  EXPECT_EQ(e.summary, "Early harvest");
  ASSERT_EQ(e.content.size(), 2u);
  EXPECT_EQ(e.content[0].type, "text/html");
  // Relative links inside the HTML are the item page's.
  EXPECT_EQ(e.content[0].value,
            "<p>Farmers <a href=\"https://steppe.example/news/photo.jpg\">began</a>.</p>");
  EXPECT_EQ(e.content[1].type, "text/plain");
  EXPECT_EQ(e.content[1].value, "Farmers began.");
  EXPECT_EQ(e.published, 1714971600);  // 2024-05-06T05:00:00Z
  EXPECT_EQ(e.updated, 1714996800);    // 2024-05-06T12:00:00Z
  ASSERT_EQ(e.tags.size(), 1u);        // "" and a number are no tags
  EXPECT_EQ(e.tags[0].term, "farming");
  ASSERT_EQ(e.enclosures.size(), 1u);  // an attachment without a url is nothing to fetch
  EXPECT_EQ(e.enclosures[0].url, "https://steppe.example/a.mp3");
  EXPECT_EQ(e.enclosures[0].type, "audio/mpeg");
  EXPECT_EQ(e.enclosures[0].length, "1234");
  ASSERT_EQ(e.media_thumbnail.size(), 1u);
  EXPECT_EQ(e.media_thumbnail[0].url, "https://steppe.example/i.jpg");
  EXPECT_EQ(e.language, "kk");
  EXPECT_EQ(e.author, "Редакция");  // none of its own: the feed's
}

TEST(JsonFeedTest, Version1AuthorAndExternalUrl) {
  const Feed f = ParseAt(kFeed11);
  const Entry& e = f.entries[1];
  EXPECT_EQ(e.link, "https://other.example/x");  // no url: the page it is about
  ASSERT_EQ(e.links.size(), 1u);
  EXPECT_EQ(e.links[0].rel, "related");
  EXPECT_EQ(e.author, "Ivan");  // JSON Feed 1's single "author"
  EXPECT_FALSE(e.published);

  const Feed v1 = ParseAt(R"({"version": "https://jsonfeed.org/version/1", "title": "T",
      "author": {"name": "Desk"}, "items": [{"id": "a", "content_text": "x"}]})");
  EXPECT_EQ(v1.version, "json1");
  EXPECT_FALSE(v1.bozo);
  EXPECT_EQ(v1.feed.author, "Desk");
  ASSERT_EQ(v1.entries.size(), 1u);
  EXPECT_EQ(v1.entries[0].author, "Desk");
}

TEST(JsonFeedTest, ABodyWithAByteOrderMarkAndNoContentTypeIsRead) {
  Input in;
  const std::string body = "\xEF\xBB\xBF\n  " + std::string(kFeed11);
  in.body = body;
  Result<Feed> r = Parse(in, Options());
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->version, "json11");
  EXPECT_EQ(r->entries.size(), 2u);
}

TEST(JsonFeedTest, ACutOffDocumentKeepsTheItemsBeforeTheCut) {
  const std::string whole = kFeed11;
  // Cut inside the second item.
  const std::string cut = whole.substr(0, whole.find("\"Linked\""));
  const Feed f = ParseAt(cut);
  EXPECT_TRUE(f.bozo);
  EXPECT_TRUE(f.cut_off);
  EXPECT_NE(f.bozo_reason.find("cut off in transfer"), std::string::npos) << f.bozo_reason;
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].id, "2");
  EXPECT_EQ(f.feed.title, "Steppe Herald");  // read before the items
}

TEST(JsonFeedTest, ASyntaxErrorSaysWhereAndKeepsTheItemsBefore) {
  const Feed f = ParseAt(
      R"({"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"x"},{"id":2,,}]})");
  EXPECT_TRUE(f.bozo);
  EXPECT_FALSE(f.cut_off);
  EXPECT_NE(f.bozo_reason.find("not well-formed JSON at line 1, column 87 (',')"),
            std::string::npos)
      << f.bozo_reason;
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "x");
}

TEST(JsonFeedTest, JsonThatIsNoFeedIsRefusedSayingWhatToCheck) {
  Input in;
  in.body = R"({"error": "rate limited", "retry": 60})";
  Result<Feed> r = Parse(in, Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("not a JSON Feed"), std::string::npos);
  EXPECT_NE(r.error().message().find("check the feed's address"), std::string::npos);
  in.body = "[1, 2]";
  r = Parse(in, Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("not a JSON Feed"), std::string::npos);
  in.body = "{\"version\": ";
  r = Parse(in, Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("nothing could be read"), std::string::npos)
      << r.error().message();
}

TEST(JsonFeedTest, ItemsWithoutAVersionAreReadWithBozo) {
  const Feed f = ParseAt(R"({"title": "T", "items": [{"id": "a", "title": "x"}, 5]})");
  EXPECT_TRUE(f.bozo);
  EXPECT_NE(f.bozo_reason.find("no JSON Feed \"version\""), std::string::npos) << f.bozo_reason;
  EXPECT_EQ(f.version, "json11");
  EXPECT_EQ(f.entries.size(), 1u);
  const Feed v2 = ParseAt(R"({"version": "https://jsonfeed.org/version/2", "items": []})");
  EXPECT_TRUE(v2.bozo);
  EXPECT_NE(v2.bozo_reason.find("unknown JSON Feed version \"2\""), std::string::npos);
}

TEST(JsonFeedTest, BytesThatAreNotUtf8AreTranscoded) {
  // windows-1251 bytes served as such.
  const std::string body =
      "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"\xcf\xf0\xe8\xe2\xe5\xf2\","
      "\"items\":[{\"id\":\"1\",\"title\":\"\xcd\xee\xe2\xee\xf1\xf2\xfc\"}]}";
  const Feed f = MustParse(body, "application/json; charset=windows-1251");
  EXPECT_EQ(f.encoding, "windows-1251");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.feed.title, "Привет");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "Новость");
}

TEST(JsonFeedTest, LimitsHoldAsForXml) {
  std::string body = R"({"version": "https://jsonfeed.org/version/1.1", "items": [)";
  for (int i = 0; i < 7; ++i) {
    body += (i ? "," : "") + std::string(R"({"id": ")") + std::to_string(i) +
            R"(", "title": "0123456789abcdef", "date_published": "2024-05-0)" +
            std::to_string(i + 1) + R"(T00:00:00Z", "attachments": [[[[1]]]]})";
  }
  body += "]}";
  Options options;
  options.max_items = 3;
  options.max_field_bytes = 8;
  options.max_depth = 4;
  const Feed f = ParseAt(body, "", options);
  ASSERT_EQ(f.entries.size(), 3u);  // the newest three, in document order
  EXPECT_EQ(f.entries[0].id, "4");
  EXPECT_EQ(f.entries[2].id, "6");
  EXPECT_EQ(f.entries[0].title, "01234567");
  ASSERT_EQ(f.limits_hit.size(), 3u);
  EXPECT_NE(f.limits_hit[0].find("max_field_bytes"), std::string::npos);
  EXPECT_EQ(f.limits_hit[1], "max_items: 3 of 7 items kept");
  EXPECT_EQ(f.limits_hit[2], "max_depth: values nested deeper than 4 ignored");
}

// A hostile server's document: nesting 200,000 deep (in an item and at the top) and 20,000
// items. Read within the limits, without recursion.
TEST(JsonFeedTest, AHostileDocumentIsReadWithinTheLimits) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  std::string body = R"({"version": "https://jsonfeed.org/version/1.1", "authors": )" + deep +
                     R"(, "items": [{"id": "deep", "attachments": )" + deep + "}";
  for (int i = 0; i < 20000; ++i) body += R"(, {"id": ")" + std::to_string(i) + R"("})";
  body += "]}";
  const Feed f = ParseAt(body);
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  EXPECT_EQ(f.entries.size(), Options().max_items);
  EXPECT_EQ(f.entries[0].id, "deep");
  ASSERT_EQ(f.limits_hit.size(), 2u);
  EXPECT_EQ(f.limits_hit[0], "max_items: 5000 of 20001 items kept");
  EXPECT_EQ(f.limits_hit[1], "max_depth: values nested deeper than 256 ignored");
}

// Found in review: each of these was read otherwise.
TEST(JsonFeedTest, EdgesOfTheFormat) {
  // Ids of 20 digits or written with an exponent stay as written.
  Feed f = ParseAt(R"({"version": "https://jsonfeed.org/version/1.1", "items": [
      {"id": 18446744073709551615}, {"id": 18446744073709551614}, {"id": 1e3}]})");
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[0].id, "18446744073709551615");
  EXPECT_EQ(f.entries[1].id, "18446744073709551614");
  EXPECT_EQ(f.entries[2].id, "1e3");
  // Cut inside a literal: cut off in transfer, like any other cut.
  f = ParseAt(R"({"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"},
      {"id": "2", "summary": nu)");
  EXPECT_TRUE(f.cut_off);
  EXPECT_EQ(f.entries.size(), 1u);
  // No "items" array: nothing, and bozo says why.
  f = ParseAt(R"({"version": "https://jsonfeed.org/version/1.1", "items": {"id": "1"}})");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.bozo_reason, "\"items\" is missing or not an array");
  // Links resolved inside content_html may lengthen it: the field is cut after.
  Options small;
  small.max_field_bytes = 100;
  std::string links;
  for (int i = 0; i < 20; ++i) links += "<a href=\\\"y\\\">x</a>";
  f = ParseAt(R"({"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1",
      "url": "https://steppe.example/a/very/long/path/to/the/article/page", "content_html": ")" +
                  links + "\"}]}",
              "", small);
  ASSERT_EQ(f.entries.size(), 1u);
  ASSERT_EQ(f.entries[0].content.size(), 1u);
  EXPECT_LE(f.entries[0].content[0].value.size(), 100u);
  // Members the mapping does not read are not kept, however deep.
  f = ParseAt(R"({"version": "https://jsonfeed.org/version/1.1", "x": )" + std::string(1000, '[') +
              std::string(1000, ']') + R"(, "items": []})");
  EXPECT_TRUE(f.limits_hit.empty());
}

TEST(JsonFeedTest, NotJsonWithMarkupInItIsNamedAsBadJson) {
  Input in;
  in.body = "{'version': 'https://jsonfeed.org/version/1.1', 'items': [{'content_html': '<p>'}]}";
  Result<Feed> r = Parse(in, Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("not well-formed JSON at line 1, column 2"), std::string::npos)
      << r.error().message();
  // A stray '{' in front of a feed's XML is the server's junk: the feed is read.
  in.body =
      "{<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>t</title>"
      "</item></channel></rss>";
  r = Parse(in, Options());
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->entries.size(), 1u);
}

TEST(JsonFeedTest, Utf16IsRead) {
  const std::string utf8 = R"({"version": "https://jsonfeed.org/version/1.1", "title": "Жаңа",
      "items": [{"id": "1", "title": "Қазақ"}]})";
  std::string utf16 = "\xFF\xFE";  // little-endian, with its byte-order mark
  std::u16string units;
  for (size_t i = 0; i < utf8.size();) {  // UTF-8 to UTF-16 (the BMP is enough here)
    const auto c = static_cast<unsigned char>(utf8[i]);
    char16_t u = c;
    if (c >= 0xE0) {
      u = static_cast<char16_t>(((c & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) |
                                (utf8[i + 2] & 0x3F));
      i += 3;
    } else if (c >= 0xC0) {
      u = static_cast<char16_t>(((c & 0x1F) << 6) | (utf8[i + 1] & 0x3F));
      i += 2;
    } else {
      ++i;
    }
    units.push_back(u);
  }
  for (char16_t u : units) {
    utf16 += static_cast<char>(u & 0xFF);
    utf16 += static_cast<char>(u >> 8);
  }
  Input in;
  in.body = utf16;
  Result<Feed> r = Parse(in, Options());
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->feed.title, "Жаңа");
  ASSERT_EQ(r->entries.size(), 1u);
  EXPECT_EQ(r->entries[0].title, "Қазақ");
}

TEST(JsonFeedTest, AnHtmlPageLinkingAJsonFeedNamesIt) {
  Input page;
  page.body =
      "<html><head><link rel=\"alternate\" type=\"application/feed+json\" href=\"/feed.json\">"
      "</head><body>x</body></html>";
  page.base_url = "https://www.ex.org/news/";
  Result<Feed> r = Parse(page, Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("it links to a feed at https://www.ex.org/feed.json"),
            std::string::npos)
      << r.error().message();
}

}  // namespace
}  // namespace newsd::parse
