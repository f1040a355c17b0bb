#include <gtest/gtest.h>

#include "parse/url.h"
#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::MustParse;

TEST(ResolveUrlTest, Rfc3986Examples) {
  const char* base = "http://a/b/c/d;p?q";
  EXPECT_EQ(ResolveUrl(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(ResolveUrl(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(ResolveUrl(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(ResolveUrl(base, "/g"), "http://a/g");
  EXPECT_EQ(ResolveUrl(base, "//g"), "http://g");
  EXPECT_EQ(ResolveUrl(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(ResolveUrl(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(ResolveUrl(base, ""), "http://a/b/c/d;p?q");
  EXPECT_EQ(ResolveUrl(base, "../g"), "http://a/b/g");
  EXPECT_EQ(ResolveUrl(base, "../../../g"), "http://a/g");
  EXPECT_EQ(ResolveUrl(base, "mailto:x@y"), "mailto:x@y");
  EXPECT_EQ(ResolveUrl("", "rel/x"), "rel/x");
}

// A feed's link as a browser would follow it: "&amp;" escaped twice unescaped once, no-break
// spaces around it trimmed, tabs and line breaks inside it dropped.
TEST(ResolveUrlTest, FeedUrlFieldsAreReadAsABrowserReadsThem) {
  EXPECT_EQ(ResolveFeedUrl("", "https://l.ru/a\xC2\xA0"), "https://l.ru/a");
  EXPECT_EQ(ResolveFeedUrl("", " \xC2\xA0 https://l.ru/a \xC2\xA0"), "https://l.ru/a");
  EXPECT_EQ(ResolveFeedUrl("", "https://l.ru/ne\tws/12"), "https://l.ru/news/12");
  EXPECT_EQ(ResolveFeedUrl("http://l.ru/x/", "news/\r\n1.html"), "http://l.ru/x/news/1.html");
  EXPECT_EQ(ResolveFeedUrl("", "https://l.ru/9?a=1&amp;b=2"), "https://l.ru/9?a=1&b=2");
  EXPECT_EQ(ResolveFeedUrl("", "https://l.ru/\xC2\xA0x"), "https://l.ru/\xC2\xA0x");  // inside
}

TEST(ResolveHtmlUrlsTest, OnlyRelativeUrlAttributesChange) {
  EXPECT_EQ(
      ResolveHtmlUrls("<a href=\"x.html\" title=\"y\">t</a><img src='/i.png'>", "http://e.com/d/"),
      "<a href=\"http://e.com/d/x.html\" title=\"y\">t</a><img src='http://e.com/i.png'>");
  EXPECT_EQ(ResolveHtmlUrls("<a href=\"http://o/\">x</a> 1 < 2", "http://e.com/"),
            "<a href=\"http://o/\">x</a> 1 < 2");
}

// srcset lists each candidate's URL, then its descriptor; every URL is resolved.
TEST(ResolveHtmlUrlsTest, EachUrlOfASrcsetIsResolved) {
  EXPECT_EQ(
      ResolveHtmlUrls("<img srcset=\"/a.png, b.png 2x,c.png 640w\" SRC=x.png>", "http://e.com/d/"),
      "<img srcset=\"http://e.com/a.png, http://e.com/d/b.png 2x,http://e.com/d/c.png "
      "640w\" SRC=http://e.com/d/x.png>");
  EXPECT_EQ(ResolveHtmlUrls("<img srcset=\"http://o/a.png 1x\">", "http://e.com/"),
            "<img srcset=\"http://o/a.png 1x\">");
  // A comma inside a descriptor's parentheses does not end the candidate.
  EXPECT_EQ(ResolveHtmlUrls("<img srcset=\"c.png (a, b) 4x, d.png\">", "http://e.com/"),
            "<img srcset=\"http://e.com/c.png (a, b) 4x, http://e.com/d.png\">");
}

TEST(XmlBaseTest, NestedBasesScopeLinksAndContent) {
  Feed f = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://example.com/a/\">"
      "<link href=\"index.html\"/>"
      "<entry xml:base=\"b/\"><link href=\"page.html\"/>"
      "<content type=\"html\" xml:base=\"../c/\">&lt;a href=\"x\"&gt;x&lt;/a&gt;</content>"
      "</entry></feed>");
  EXPECT_EQ(f.feed.link, "http://example.com/a/index.html");
  EXPECT_EQ(f.entries[0].link, "http://example.com/a/b/page.html");
  EXPECT_EQ(f.entries[0].content[0].value, "<a href=\"http://example.com/a/c/x\">x</a>");
}

TEST(XmlBaseTest, DocumentUrlIsTheOuterBase) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><link>/home</link><item><link>story/1</link>"
      "<description>&lt;img src=\"/i.png\"&gt;</description></item></channel></rss>",
      "", "http://news.example/feeds/main.xml");
  EXPECT_EQ(f.feed.link, "http://news.example/home");
  EXPECT_EQ(f.entries[0].link, "http://news.example/feeds/story/1");
  EXPECT_EQ(f.entries[0].summary, "<img src=\"http://news.example/i.png\">");
}

// An empty <link> is no link (not the document's URL), so a permalink guid gives the link;
// a relative permalink guid is resolved like any link.
TEST(XmlBaseTest, EmptyLinkIsNotTheBaseAndGuidLinksAreResolved) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><title>t</title><link> </link>"
      "<item><title>a</title><link></link><guid>http://example.com/p/1</guid></item>"
      "<item><title>b</title><link>  </link><guid>/relative/7</guid></item>"
      "<item><title>c</title><guid isPermaLink=\"false\">/not/a/link</guid></item>"
      "</channel></rss>",
      "", "http://example.com/feed");
  EXPECT_FALSE(f.feed.link.has_value()) << *f.feed.link;
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[0].link, "http://example.com/p/1");
  EXPECT_EQ(f.entries[1].link, "http://example.com/relative/7");
  EXPECT_FALSE(f.entries[2].link.has_value()) << *f.entries[2].link;
  EXPECT_EQ(f.entries[2].id, "/not/a/link");
}

TEST(XmlBaseTest, RelativeAtomIdResolved) {
  Feed f = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://e.com/\">"
      "<entry><id>/rel/1</id></entry></feed>");
  EXPECT_EQ(f.entries[0].id, "http://e.com/rel/1");
}

}  // namespace
}  // namespace newsd::parse
