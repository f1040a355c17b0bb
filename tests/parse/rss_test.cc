#include <gtest/gtest.h>

#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::FeedFixture;
using testing::MustParse;
using testing::RssWithItem;

TEST(RssTest, MapsChannelAndItemElements) {
  Feed f = MustParse(FeedFixture("rss20_basic.xml"));
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  EXPECT_EQ(f.version, "rss20");
  EXPECT_EQ(f.feed.title, "Example News");  // not the <image> title
  EXPECT_EQ(f.feed.link, "http://example.com/");
  EXPECT_EQ(f.feed.subtitle, "All the news & more");
  EXPECT_EQ(f.feed.language, "en-us");
  EXPECT_EQ(f.feed.ttl_minutes, 30);
  EXPECT_EQ(FormatIso8601(*f.feed.updated), "2026-02-02T10:00:00Z");
  ASSERT_EQ(f.entries.size(), 2u);

  const Entry& e = f.entries[0];
  EXPECT_EQ(e.title, "Budget approved");
  EXPECT_EQ(e.link, "http://example.com/news/1");
  EXPECT_EQ(e.id, "news-1");
  EXPECT_EQ(e.summary, "<p>Short <b>summary</b></p>");
  ASSERT_EQ(e.content.size(), 1u);
  EXPECT_EQ(e.content[0].type, "text/html");
  EXPECT_EQ(e.content[0].value, "<p>Full <a href=\"/story/1\">story</a></p>");
  EXPECT_EQ(e.author, "editor@example.com (Jane Editor)");
  ASSERT_TRUE(e.author_detail);
  EXPECT_EQ(e.author_detail->name, "Jane Editor");
  EXPECT_EQ(e.author_detail->email, "editor@example.com");
  ASSERT_EQ(e.tags.size(), 2u);
  EXPECT_EQ(e.tags[0].term, "Politics");
  EXPECT_EQ(e.tags[0].scheme, "http://example.com/sections");
  EXPECT_EQ(e.tags[1].term, "Economy");
  ASSERT_EQ(e.enclosures.size(), 1u);
  EXPECT_EQ(e.enclosures[0].url, "http://example.com/a.mp3");
  EXPECT_EQ(e.enclosures[0].type, "audio/mpeg");
  EXPECT_EQ(e.enclosures[0].length, "12345");
  ASSERT_EQ(e.media_content.size(), 1u);
  EXPECT_EQ(e.media_content[0].medium, "video");
  ASSERT_EQ(e.media_thumbnail.size(), 1u);
  EXPECT_EQ(e.media_thumbnail[0].width, "120");
  EXPECT_EQ(e.comments, "http://example.com/news/1#comments");
  EXPECT_EQ(FormatIso8601(*e.published), "2026-02-01T14:30:00Z");
}

TEST(RssTest, PermalinkGuidBecomesLink) {
  Feed f = MustParse(FeedFixture("rss20_basic.xml"));
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[1].link, "http://example.com/news/2");
  EXPECT_EQ(f.entries[1].id, "http://example.com/news/2");
  EXPECT_EQ(FormatIso8601(*f.entries[1].updated), "2026-02-01T10:00:00Z");
}

TEST(RssTest, NonPermalinkGuidIsNotALink) {
  Feed f = MustParse(RssWithItem("<guid isPermaLink=\"false\">abc</guid>"));
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].id, "abc");
  EXPECT_FALSE(f.entries[0].link);
}

// A permalink guid is the link only when it is a web address (an http(s) URL, or a path
// relative to the feed's): "123456" resolved against the feed's URL named a page that does not
// exist.
TEST(RssTest, AGuidThatIsNoUrlIsNoLink) {
  const std::string doc =
      "<rss version=\"2.0\"><channel><title>T</title>"
      "<item><title>A</title><link></link><guid>123456</guid></item>"
      "<item><title>B</title><guid>tass-1234 politika</guid></item>"
      "<item><title>C</title><guid isPermaLink=\"true\">HTTPS://tengrinews.kz/n/3</guid></item>"
      "<item><title>D</title><guid>/news/4</guid></item>"
      "<item><title>E</title><guid>urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427</guid></item>"
      "</channel></rss>";
  Feed f = MustParse(doc, "", "https://tengrinews.kz/rss/news.xml");
  ASSERT_EQ(f.entries.size(), 5u);
  EXPECT_EQ(f.entries[0].id, "123456");
  EXPECT_FALSE(f.entries[0].link.has_value()) << *f.entries[0].link;
  EXPECT_EQ(f.entries[1].id, "tass-1234 politika");
  EXPECT_FALSE(f.entries[1].link.has_value()) << *f.entries[1].link;
  EXPECT_EQ(f.entries[2].link, "HTTPS://tengrinews.kz/n/3");
  EXPECT_EQ(f.entries[3].link, "https://tengrinews.kz/news/4");
  EXPECT_FALSE(f.entries[4].link.has_value()) << *f.entries[4].link;
}

TEST(RssTest, LinkElementWinsOverGuid) {
  Feed f = MustParse(RssWithItem("<guid>http://a/guid</guid><link>http://a/link</link>"));
  EXPECT_EQ(f.entries[0].link, "http://a/link");
}

TEST(RssTest, ContentOnlyItemGetsSummaryFromContent) {
  Feed f = MustParse(RssWithItem("<content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded>",
                                 " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""));
  EXPECT_EQ(f.entries[0].summary, "<p>x</p>");
}

// "<!" opening no declaration is text: escaped, so an HTML reader does not swallow what
// follows as a bogus comment. Declarations, comments and CDATA stay.
TEST(RssTest, BogusDeclarationsInHtmlAreEscaped) {
  EXPECT_EQ(MustParse(RssWithItem("<description>&lt;!' &lt;a href=\"foo\"&gt;</description>"))
                .entries[0]
                .summary,
            "&lt;!' <a href=\"foo\">");
  EXPECT_EQ(MustParse(RssWithItem("<description>&lt;!DOCTYPE</description>")).entries[0].summary,
            "<!DOCTYPE");
  EXPECT_EQ(MustParse(RssWithItem("<description>a &lt;!-- c --&gt; b &lt;!x</description>"))
                .entries[0]
                .summary,
            "a <!-- c --> b <!x");
  // Several, at the start and the end, with declarations between them; and a text of many.
  EXPECT_EQ(
      MustParse(RssWithItem("<description>&lt;!1 &lt;!-- c --&gt;&lt;!! x&lt;!</description>"))
          .entries[0]
          .summary,
      "&lt;!1 <!-- c -->&lt;!! x&lt;!");
  std::string many;  // "<!<!<!…" once the XML is read
  for (int i = 0; i < 50000; ++i) many += "&lt;!";
  EXPECT_EQ(MustParse(RssWithItem("<description>" + many + "</description>")).entries[0].summary,
            many);
}

// A feed served inside an HTML page (<html><body><rss>...) is still read.
TEST(RssTest, FeedWrappedInHtmlIsFound) {
  Feed f = MustParse(
      "<html><body><div><rss version=\"2.0\"><channel><title>t</title><item><title>a</title>"
      "<link>http://x/1</link></item></channel></rss></div></body></html>");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "a");
}

// A CMS that puts its items in a wrapper of its own (<channel><items><item>) loses none of
// them, and the channel's <image> title stays the image's.
TEST(RssTest, ItemsInsideAnUnknownChannelElementAreFound) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><title>t</title><image><title>logo</title>"
      "<url>http://x/l.png</url></image><items><item><title>a</title><link>http://x/1</link>"
      "</item><item><title>b</title><link>http://x/2</link></item></items></channel></rss>");
  EXPECT_EQ(f.feed.title, "t");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].title, "a");
  EXPECT_EQ(f.entries[1].link, "http://x/2");
  // A channel nested in such an element lends its items, not its title or schedule.
  Feed nested = MustParse(
      "<rss version=\"2.0\"><channel><title>Real</title><related><channel><title>Other</title>"
      "<ttl>5</ttl><item><title>r</title></item></channel></related></channel></rss>");
  EXPECT_EQ(nested.feed.title, "Real");
  EXPECT_FALSE(nested.feed.ttl_minutes.has_value());
  ASSERT_EQ(nested.entries.size(), 1u);
  EXPECT_EQ(nested.entries[0].title, "r");
  // A wrapper between <rss> and its channel is no such element.
  Feed wrapped = MustParse(
      "<rss version=\"2.0\"><result><channel><title>Real</title><ttl>5</ttl><item><title>r"
      "</title></item></channel></result></rss>");
  EXPECT_EQ(wrapped.feed.title, "Real");
  EXPECT_EQ(wrapped.feed.ttl_minutes, 5);
  EXPECT_EQ(wrapped.entries.size(), 1u);
}

// A feed that names no language takes the HTTP Content-Language, "en_US" read as "en-US"
// (as xml:lang is).
TEST(RssTest, ContentLanguageHeaderIsTheFallbackLanguage) {
  Input in;
  in.body = "<rss version=\"2.0\"><channel><title>t</title></channel></rss>";
  in.content_language = "en_US";
  Result<Feed> f = Parse(in, Options{});
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->feed.language, "en-US");
  in.body = "<rss version=\"2.0\"><channel><language>kk</language></channel></rss>";
  EXPECT_EQ(Parse(in, Options{})->feed.language, "kk");
}

TEST(RssTest, Rss091AndRdfVersions) {
  EXPECT_EQ(MustParse("<rss version=\"0.91\"><channel><title>x</title></channel></rss>").version,
            "rss091u");
  EXPECT_EQ(MustParse("<?xml version=\"1.0\"?>\n<!DOCTYPE rss PUBLIC \"-//Netscape "
                      "Communications//DTD RSS 0.91//EN\" "
                      "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n"
                      "<rss version=\"0.91\"><channel><title>x</title></channel></rss>")
                .version,
            "rss091n");
  Feed rdf = MustParse(
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>C</title></channel>"
      "<item rdf:about=\"http://x/1\"><title>I</title><link>http://x/1</link></item></rdf:RDF>");
  EXPECT_EQ(rdf.version, "rss10");
  EXPECT_EQ(rdf.feed.title, "C");
  ASSERT_EQ(rdf.entries.size(), 1u);
  EXPECT_EQ(rdf.entries[0].title, "I");
  EXPECT_EQ(rdf.entries[0].id, "http://x/1");
}

TEST(RssTest, NotAFeedIsAnError) {
  Input in;
  in.body = "<html><body>hi</body></html>";
  EXPECT_FALSE(Parse(in, Options{}).has_value());
  in.body = "";
  EXPECT_FALSE(Parse(in, Options{}).has_value());
  in.body = "just text";
  EXPECT_FALSE(Parse(in, Options{}).has_value());
}

TEST(RssTest, SchedulingHints) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">"
      "<channel><title>t</title><ttl>45</ttl>"
      "<sy:updatePeriod> daily </sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>"
      "<skipHours><hour>0</hour><hour>1</hour><hour>24</hour><hour>99</hour></skipHours>"
      "<skipDays><day>Saturday</day><day>sunday</day><day>Funday</day></skipDays>"
      "</channel></rss>");
  EXPECT_EQ(f.feed.ttl_minutes, 45);
  EXPECT_EQ(f.feed.update_period_seconds, 86400 / 4);
  EXPECT_EQ(f.feed.skip_hours, 0b11u) << "24 is midnight; 99 is ignored";
  EXPECT_EQ(f.feed.skip_days, (1u << 6) | 1u);
  // A ttl too long to read still asks for rare polls; leading zeros do not make it long.
  EXPECT_EQ(MustParse("<rss><channel><ttl>99999999999</ttl></channel></rss>").feed.ttl_minutes,
            99'999'999);
  EXPECT_EQ(MustParse("<rss><channel><ttl>000000000060</ttl></channel></rss>").feed.ttl_minutes,
            60);
}

TEST(RssTest, NoSchedulingHints) {
  Feed f = MustParse("<rss version=\"2.0\"><channel><title>t</title></channel></rss>");
  EXPECT_FALSE(f.feed.update_period_seconds.has_value());
  EXPECT_EQ(f.feed.skip_hours, 0u);
  EXPECT_EQ(f.feed.skip_days, 0u);
}

// RSS 0.90 is told by its namespace, even in a document with no channel yet.
TEST(RssTest, Rss090IsToldByItsDefaultNamespace) {
  Feed f = MustParse(
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"></rdf:RDF>");
  EXPECT_EQ(f.version, "rss090");
}

// Only rdf:about (whatever the prefix bound to RDF) names an RSS 1.0 item: an unprefixed
// "about" is in no namespace.
TEST(RssTest, OnlyRdfAboutIsAnItemId) {
  Feed f = MustParse(
      "<r:RDF xmlns:r=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\"><channel r:about=\"http://e.com/\"><title>T</title>"
      "</channel><item r:about=\"http://e.com/1\"><title>One</title></item>"
      "<item about=\"not-an-id\"><title>Two</title></item>"
      "<item rdf:about=\"http://e.com/3\"><title>Three</title></item></r:RDF>");
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[0].id, "http://e.com/1");
  EXPECT_FALSE(f.entries[1].id) << *f.entries[1].id;
  EXPECT_EQ(f.entries[2].id, "http://e.com/3") << "an undeclared rdf: prefix, by convention";
}

// A quoted display name, as RFC 5322 writes one with a comma, is the name without quotes.
TEST(RssTest, QuotedDisplayNameLosesItsQuotes) {
  Feed f = MustParse(RssWithItem("<author>\"Doe, John\" &lt;john@example.com&gt;</author>"));
  ASSERT_EQ(f.entries.size(), 1u);
  ASSERT_TRUE(f.entries[0].author_detail);
  EXPECT_EQ(f.entries[0].author_detail->name, "Doe, John");
  EXPECT_EQ(f.entries[0].author_detail->email, "john@example.com");
  f = MustParse(RssWithItem("<author>\"Jane\" Q \"Public\" &lt;jane@example.com&gt;</author>"));
  ASSERT_TRUE(f.entries[0].author_detail);
  EXPECT_EQ(f.entries[0].author_detail->name, "\"Jane\" Q \"Public\"");
}

// Markup inside a guid is kept as written (gofeed's reading), not dropped with its text.
TEST(RssTest, AGuidWithMarkupKeepsIt) {
  Feed f = MustParse(RssWithItem("<guid isPermaLink=\"false\"><p>abc123</p></guid>"));
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].id, "<p>abc123</p>");
}

// An empty or blank <category> (a CMS writing every item's slot) is no tag.
TEST(RssTest, EmptyCategoriesAreNoTags) {
  Feed f = MustParse(
      RssWithItem("<category></category><category> \n</category><category>Спорт</category>"
                  "<dc:subject> </dc:subject>",
                  " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""));
  ASSERT_EQ(f.entries.size(), 1u);
  ASSERT_EQ(f.entries[0].tags.size(), 1u);
  EXPECT_EQ(f.entries[0].tags[0].term, "Спорт");
}

// "&amp;amp;" in a URL (a CMS escaping twice) leaves "&amp;" once the XML is decoded: URL
// fields lose that second escape, text fields keep it.
TEST(RssTest, DoublyEscapedAmpersandsInUrlsAreUnescapedOnce) {
  Feed f =
      MustParse(RssWithItem("<title>A &amp;amp; B</title>"
                            "<link>https://www.nur.kz/news?id=1&amp;amp;lang=ru</link>"
                            "<guid>https://www.nur.kz/news?id=1&amp;amp;g=1</guid>"
                            "<enclosure url=\"https://www.nur.kz/i.php?id=1&amp;amp;w=600\" "
                            "type=\"image/jpeg\" length=\"0\"/>"
                            "<media:content url=\"https://x.kz/v?a=1&amp;amp;amp;b=2\"/>"
                            "<atom:link rel=\"related\" href=\"https://x.kz/r?a=1&amp;amp;b=2\"/>",
                            " xmlns:media=\"http://search.yahoo.com/mrss/\""
                            " xmlns:atom=\"http://www.w3.org/2005/Atom\""));
  ASSERT_EQ(f.entries.size(), 1u);
  const Entry& e = f.entries[0];
  EXPECT_EQ(e.link, "https://www.nur.kz/news?id=1&lang=ru");
  EXPECT_EQ(e.id, "https://www.nur.kz/news?id=1&amp;g=1");  // an id, not a URL field
  ASSERT_EQ(e.enclosures.size(), 1u);
  EXPECT_EQ(e.enclosures[0].url, "https://www.nur.kz/i.php?id=1&w=600");
  ASSERT_EQ(e.media_content.size(), 1u);
  EXPECT_EQ(e.media_content[0].url, "https://x.kz/v?a=1&amp;b=2");  // one level only
  ASSERT_EQ(e.links.size(), 3u);
  EXPECT_EQ(e.links[2].href, "https://x.kz/r?a=1&b=2");
  EXPECT_EQ(e.title, "A &amp; B");
  Feed a = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
      "<link href=\"https://x.kz/a?p=1&amp;amp;q=2\"/></entry></feed>");
  ASSERT_EQ(a.entries.size(), 1u);
  EXPECT_EQ(a.entries[0].link, "https://x.kz/a?p=1&q=2");
}

// A site that writes its local time without a zone: the feed's configured zone places its
// items, channel dates and Dublin Core dates included; dates with a zone keep theirs.
TEST(RssTest, DatesWithoutAZoneAreReadInTheConfiguredZone) {
  const std::string body =
      "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>T</title>"
      "<lastBuildDate>Thu, 03 Dec 2026 15:00:00</lastBuildDate>"
      "<item><title>a</title><pubDate>Thu, 03 Dec 2026 14:05:00</pubDate></item>"
      "<item><title>b</title><dc:date>2026-12-03T13:00:00</dc:date></item>"
      "<item><title>c</title><pubDate>Thu, 03 Dec 2026 14:05:00 +0300</pubDate></item>"
      "</channel></rss>";
  Options almaty;
  almaty.zoneless_offset = 5 * 3600;
  const Feed f = MustParse(body, "", "", almaty);
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(FormatIso8601(*f.feed.updated), "2026-12-03T10:00:00Z");
  EXPECT_EQ(FormatIso8601(*f.entries[0].published), "2026-12-03T09:05:00Z");
  EXPECT_EQ(FormatIso8601(*f.entries[1].updated), "2026-12-03T08:00:00Z");
  EXPECT_EQ(FormatIso8601(*f.entries[2].published), "2026-12-03T11:05:00Z");
  EXPECT_TRUE(f.dates_without_zone);
  const Feed utc = MustParse(body);
  EXPECT_EQ(FormatIso8601(*utc.entries[0].published), "2026-12-03T14:05:00Z");
  EXPECT_TRUE(utc.dates_without_zone) << "what tells an operator to set zoneless_dates";
  const Feed zoned = MustParse(RssWithItem("<pubDate>Thu, 03 Dec 2026 14:05:00 +0300</pubDate>"));
  EXPECT_FALSE(zoned.dates_without_zone);
  EXPECT_FALSE(MustParse(RssWithItem("<title>no date</title>")).dates_without_zone);
}

// A date the parser cannot read leaves its entry undated: counted, the first one kept as
// written, so the operator is told why the items are filed at their arrival.
TEST(RssTest, UnreadableDatesAreCountedAndTheFirstIsKept) {
  const Feed f = MustParse(
      "<rss version=\"2.0\"><channel><title>T</title>"
      "<item><title>a</title><pubDate>32 Foo 2026 99:99</pubDate></item>"
      "<item><title>b</title><pubDate>yesterday</pubDate></item>"
      "<item><title>c</title><pubDate>  </pubDate></item>"
      "<item><title>d</title><pubDate>Thu, 03 Dec 2026 14:05:00 +0300</pubDate></item>"
      "</channel></rss>");
  ASSERT_EQ(f.entries.size(), 4u);
  EXPECT_FALSE(f.entries[0].published.has_value());
  EXPECT_EQ(f.unreadable_dates, 2u) << "an empty date is none, not an unreadable one";
  EXPECT_EQ(f.first_unreadable_date, "32 Foo 2026 99:99");
  EXPECT_EQ(MustParse(RssWithItem("<title>no date</title>")).unreadable_dates, 0u);
}

}  // namespace
}  // namespace newsd::parse
