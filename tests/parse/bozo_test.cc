#include <gtest/gtest.h>

#include "parse/xml_prep.h"
#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::MustParse;

// gzip bytes the server did not declare: the error says what they are, not "no feed element".
TEST(BozoTest, UndeclaredGzipIsNamed) {
  Input in;
  const std::string body("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  in.body = body;
  in.content_type = "application/rss+xml";
  Result<Feed> r = Parse(in, Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("gzip"), std::string::npos) << r.error().message();
}

// Two documents concatenated into one body (a CMS writing its feed twice, or page after page):
// the entries of both are read, bozo, and the feed's own fields are the first document's.
TEST(BozoTest, ConcatenatedDocumentsGiveTheEntriesOfBoth) {
  const Feed rss = MustParse(
      "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>First</title><item>"
      "<title>One</title><guid>1</guid></item></channel></rss>\n<?xml version=\"1.0\"?>\n"
      "<rss version=\"2.0\"><channel><title>Second</title><item><title>Two</title><guid>2</guid>"
      "</item></channel></rss>\n");
  EXPECT_TRUE(rss.bozo);
  ASSERT_EQ(rss.entries.size(), 2u);
  EXPECT_EQ(rss.entries[1].title, "Two");
  EXPECT_EQ(rss.feed.title, "First");
  const Feed atom = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title><entry><id>u1</id>"
      "</entry></feed><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>B</title><entry>"
      "<id>u2</id></entry></feed>");
  ASSERT_EQ(atom.entries.size(), 2u);
  EXPECT_EQ(atom.entries[1].id, "u2");
  EXPECT_EQ(atom.feed.title, "A");
}

// What is no feed says what it is: an HTML page (with the feed it links to, the likely new
// address), JSON (a JSON Feed).
TEST(BozoTest, AnHtmlPageOrJsonSaysWhatItIs) {
  Input page;
  page.body =
      "<!DOCTYPE html><html><head><title>News</title><link rel=\"alternate\" "
      "type=\"application/rss+xml\" href=\"/rss.xml\"></head><body><p>Hi<br></body></html>";
  page.base_url = "https://www.ex.org/news/";
  Result<Feed> r = Parse(page, Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(),
            "an HTML page, not a feed; it links to a feed at https://www.ex.org/rss.xml: poll "
            "that address instead");
  // A gateway's error page served with 200: its title tells the operator what went wrong.
  page.body =
      "<html><head><title>502 Bad\n  \xE2\x80\xAEGateway\x07</title></head><body><h1>502</h1>"
      "</body></html>";
  r = Parse(page, Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(),
            "an HTML page titled \"502 Bad Gateway\", not a feed (the address may have changed: "
            "ask the publisher for its feed's address)");
  Input json;
  json.body = "\xEF\xBB\xBF [{\"title\": \"an API's answer\"}]";
  r = Parse(json, Options());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("JSON, but not a JSON Feed"), std::string::npos)
      << r.error().message();
  // A server's warning in brackets ahead of a feed is no JSON: the feed is read.
  Input warned;
  warned.body =
      "[an error]\n<?xml version=\"1.0\"?><rss><channel><item><title>t</title></item>"
      "</channel></rss>";
  r = Parse(warned, Options());
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->entries.size(), 1u);
}

TEST(BozoTest, WellFormedIsNotBozo) {
  Feed f = MustParse(
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title>"
      "</channel></rss>");
  EXPECT_FALSE(f.bozo);
  EXPECT_TRUE(f.bozo_reason.empty());
}

TEST(BozoTest, TruncatedDocumentStillYieldsItems) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><title>T</title>"
      "<item><title>One</title></item><item><title>Two</title><descr");
  EXPECT_TRUE(f.bozo);
  EXPECT_FALSE(f.bozo_reason.empty());
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[1].title, "Two");
}

TEST(BozoTest, MismatchedTagsRecovered) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><item><title>A <b>bold</title></item>"
      "<item><title>B</title></item></channel></rss>");
  EXPECT_TRUE(f.bozo);
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[1].title, "B");
}

// Elements a template left open: the start of the next item or entry ends them, so the
// items after them are still read (feedparser's loose parser reads them all too).
TEST(BozoTest, AnUnclosedHeaderElementOrItemDoesNotSwallowTheItemsAfterIt) {
  Feed rss = MustParse(
      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>T</title>"
      "<atom:link href=\"http://c/rss\" rel=\"self\" type=\"application/rss+xml\">"
      "<image><url>http://c/logo.png</url><title>T</title>"
      "<item><title>One</title><link>http://c/1</link>"
      "<item><title>Two</title><link>http://c/2</link></item>"
      "<item><title>Three</title><link>http://c/3</link></item></channel></rss>");
  EXPECT_TRUE(rss.bozo);
  ASSERT_EQ(rss.entries.size(), 3u);
  EXPECT_EQ(rss.entries[0].title, "One");
  EXPECT_EQ(rss.entries[1].link, "http://c/2");
  EXPECT_EQ(rss.entries[2].title, "Three");
  EXPECT_EQ(rss.feed.title, "T");

  Feed atom = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><link href=\"http://a/\">"
      "<entry><title>One</title><link href=\"http://a/1\"><id>urn:a:1</id>"
      "<entry><title>Two</title><link href=\"http://a/2\"/><id>urn:a:2</id></entry></feed>");
  EXPECT_TRUE(atom.bozo);
  ASSERT_EQ(atom.entries.size(), 2u);
  EXPECT_EQ(atom.entries[0].id, "urn:a:1");
  EXPECT_EQ(atom.entries[0].link, "http://a/1");
  EXPECT_EQ(atom.entries[1].id, "urn:a:2");
}

// An attribute-only element left open (an enclosure, a media thumbnail) or a text element
// left open before its sibling: the item keeps its guid, date and text.
TEST(BozoTest, AnUnclosedElementInsideAnItemDoesNotHideItsSiblings) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel>"
      "<item><title>A</title><enclosure url=\"http://e/1.jpg\" type=\"image/jpeg\">"
      "<guid>e-1</guid><pubDate>Sat, 05 Dec 2026 10:00:00 +0300</pubDate>"
      "<description>Text one</description></item>"
      "<item><title>B</title><media:thumbnail url=\"http://e/2.jpg\"><category>Politics"
      "<guid>e-2</guid><description>Text two</description></item></channel></rss>");
  EXPECT_TRUE(f.bozo);
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].id, "e-1");
  EXPECT_EQ(f.entries[0].published, 1'796'454'000);  // 2026-12-05T07:00:00Z
  EXPECT_EQ(f.entries[0].summary, "Text one");
  ASSERT_EQ(f.entries[0].enclosures.size(), 1u);
  EXPECT_EQ(f.entries[0].enclosures[0].url, "http://e/1.jpg");
  EXPECT_EQ(f.entries[1].id, "e-2");
  EXPECT_EQ(f.entries[1].summary, "Text two");
  ASSERT_EQ(f.entries[1].tags.size(), 1u);
  EXPECT_EQ(f.entries[1].tags[0].term, "Politics");
}

// Raw (unescaped) HTML in a body, as a CMS writes it: void elements (<br>, <img>) have no end
// tag, and a template may leave thousands of <p> open. The body is read, and the items after
// it are too, however many there are.
TEST(BozoTest, RawHtmlLeftOpenInABodyDoesNotSwallowTheItemsAfterIt) {
  for (const char* open : {"<br>", "<p>", "<p><b>", "<img src=\"x.jpg\">"}) {
    std::string body;
    for (int i = 0; i < 3000; ++i) body += "Строка " + std::to_string(i) + open;
    Feed f = MustParse(
        "<rss version=\"2.0\" xmlns:yandex=\"http://news.yandex.ru\"><channel>"
        "<item><title>D1</title><yandex:full-text>" +
        body +
        "</yandex:full-text><guid>g1</guid></item>"
        "<item><title>D2</title><description>Два</description></item>"
        "<item><title>D3</title></item></channel></rss>");
    EXPECT_TRUE(f.bozo) << open;
    ASSERT_EQ(f.entries.size(), 3u) << open;
    EXPECT_EQ(f.entries[0].id, "g1") << open;
    ASSERT_EQ(f.entries[0].content.size(), 1u) << open;
    EXPECT_NE(f.entries[0].content[0].value.find("Строка 2999"), std::string::npos) << open;
    EXPECT_EQ(f.entries[1].summary, "Два") << open;
    EXPECT_EQ(f.entries[2].title, "D3") << open;
  }
}

// XML names are case-sensitive, but feeds written by hand or by a careless template spell the
// vocabulary's in any case; feedparser reads them, and so does newsd.
TEST(BozoTest, VocabularyNamesInAnotherCaseAreRead) {
  Feed f = MustParse(
      "<RSS version=\"2.0\"><Channel><Title>MC</Title>"
      "<Item><Title>T1</Title><Link>http://ex.org/1</Link><Guid>g1</Guid>"
      "<pubdate>Tue, 03 Jan 2023 10:00:00 GMT</pubdate><DESCRIPTION>d1</DESCRIPTION></Item>"
      "<item><title>T2</title><PubDate>Tue, 03 Jan 2023 11:00:00 GMT</PubDate></item>"
      "</Channel></RSS>");
  EXPECT_EQ(f.version, "rss20");
  EXPECT_EQ(f.feed.title, "MC");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].title, "T1");
  EXPECT_EQ(f.entries[0].link, "http://ex.org/1");
  EXPECT_EQ(f.entries[0].id, "g1");
  EXPECT_EQ(f.entries[0].published, 1672740000);
  EXPECT_EQ(f.entries[0].summary, "d1");
  EXPECT_EQ(f.entries[1].published, 1672743600);
  Feed rdf = MustParse(
      "<rdf:rdf xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>R</title></channel>"
      "<item><title>One</title></item></rdf:rdf>");
  ASSERT_EQ(rdf.entries.size(), 1u);
  EXPECT_EQ(rdf.entries[0].title, "One");
}

// Raw HTML inside a description stays inside it (an HTML <link rel=...> too); '<' before a
// word in another script is text; an extension's <content:item> is no item.
TEST(BozoTest, RawMarkupStaysInItsElementAndForeignScriptAfterLtIsText) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><item>"
      "<title>Акция <Бессмертный полк> прошла</title>"
      "<description>Intro <link rel=stylesheet href=s.css><p>para <a href=x>link</a><br>"
      "</description><guid>g</guid></item></channel></rss>");
  EXPECT_TRUE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "Акция <Бессмертный полк> прошла");
  ASSERT_TRUE(f.entries[0].summary.has_value());
  EXPECT_NE(f.entries[0].summary->find("<a href=\"x\">link</a>"), std::string::npos)
      << *f.entries[0].summary;
  EXPECT_EQ(f.entries[0].id, "g");

  Feed rdf = MustParse(
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\" "
      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>T</title></channel>"
      "<item><title>One</title><link>http://r/1</link><content:items><rdf:Bag><rdf:li>"
      "<content:item><content:encoding>x</content:encoding></content:item></rdf:li></rdf:Bag>"
      "</content:items><dc:date>2026-12-05T10:00:00Z</dc:date><br></item></rdf:RDF>");
  EXPECT_TRUE(rdf.bozo);
  ASSERT_EQ(rdf.entries.size(), 1u);
  EXPECT_EQ(rdf.entries[0].updated, 1'796'464'800);  // its dc:date, after the extension
}

// A CDATA section whose "]]>" a template forgot, or an attribute whose closing quote it did,
// in the first item: that item keeps what it has, and every item after it is read (the whole
// feed was one item long, its end called a transfer cut short). Also when a later item's own
// "]]>" ends the section (well-formed: the two items were read as one).
TEST(BozoTest, AnUnclosedCdataOrQuoteInOneItemLosesNoOtherItem) {
  const std::string rest =
      "<item><title>Two</title><link>http://c/2</link><guid isPermaLink=\"false\">g2</guid>"
      "<description><![CDATA[<p>Second.</p>]]></description></item>"
      "<item><title>Three</title><link>http://c/3</link></item></channel></rss>";
  const std::string first[] = {
      "<item><title>One</title><link>http://c/1</link>"
      "<description><![CDATA[<p>Lead paragraph.</p></description></item>",
      "<item><title>One</title><link>http://c/1</link><guid isPermaLink=\"false>g1</guid>"
      "<description>Lead paragraph.</description></item>"};
  for (const std::string& item : first) {
    SCOPED_TRACE(item);
    Feed f = MustParse("<rss version=\"2.0\"><channel><title>T</title>" + item + rest);
    EXPECT_TRUE(f.bozo);
    EXPECT_EQ(f.bozo_reason.find("cut off"), std::string::npos) << f.bozo_reason;
    ASSERT_EQ(f.entries.size(), 3u);
    EXPECT_EQ(f.entries[0].title, "One");
    EXPECT_NE(f.entries[0].summary.value_or("").find("Lead paragraph."), std::string::npos);
    EXPECT_EQ(f.entries[1].id, "g2");
    EXPECT_EQ(f.entries[2].title, "Three");
  }
}

TEST(BozoTest, UnquotedAndDuplicateAttributes) {
  Feed f = MustParse(
      "<rss version=2.0><channel><item><enclosure url=http://x/a.mp3 "
      "type=\"audio/mpeg\" type=\"x\"/></item></channel></rss>");
  EXPECT_TRUE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
  ASSERT_EQ(f.entries[0].enclosures.size(), 1u);
  EXPECT_EQ(f.entries[0].enclosures[0].url, "http://x/a.mp3");
  EXPECT_EQ(f.entries[0].enclosures[0].type, "audio/mpeg");
}

TEST(BozoTest, ControlCharactersAndLateDeclaration) {
  EXPECT_TRUE(MustParse("<rss><channel><title>a\x01"
                        "b</title></channel></rss>")
                  .bozo);
  EXPECT_TRUE(MustParse("\n<?xml version=\"1.0\"?><rss><channel/></rss>").bozo);
}

TEST(BozoTest, ThingsPugixmlAcceptsButXmlForbids) {
  const std::string feed = "<rss version=\"2.0\"><channel><title>x</title></channel></rss>";
  EXPECT_TRUE(MustParse("junk" + feed).bozo);
  EXPECT_TRUE(MustParse(feed + "junk").bozo);
  EXPECT_TRUE(MustParse(feed + "<rss/>").bozo);
  EXPECT_TRUE(MustParse("<rss><channel><title a=\"1<2\">x</title></channel></rss>").bozo);
  EXPECT_TRUE(MustParse("<rss><!-- a -- b --><channel/></rss>").bozo);
  EXPECT_FALSE(MustParse("<?xml version=\"1.0\"?>\n<!-- c -->\n" + feed + "\n").bozo);
  // "]]>" ends a CDATA section, and may stand in a comment; in text it is an error (CDATA
  // wrapped in CDATA by a CMS).
  EXPECT_FALSE(
      MustParse("<rss><!-- ]]> --><channel><title><![CDATA[a]]></title></channel></rss>").bozo);
  Feed nested =
      MustParse("<rss><channel><title><![CDATA[a <![CDATA[b]]> c]]></title></channel></rss>");
  EXPECT_TRUE(nested.bozo);
  EXPECT_EQ(nested.bozo_reason, "']]>' in text");
  // An attribute value may hold one.
  Feed attr = MustParse(
      "<rss><channel><title a=\"x]]>y\"><![CDATA[a]]></title><link b='z]]>'/></channel></rss>");
  EXPECT_FALSE(attr.bozo) << attr.bozo_reason;
  EXPECT_TRUE(MustParse("<rss><channel><title a=\"x]]>y\">a]]>b</title></channel></rss>").bozo);
  // And what a namespace-aware parser refuses besides (expat, feedparser's strict pass).
  EXPECT_TRUE(MustParse("<![CDATA[x]]>" + feed).bozo);
  EXPECT_TRUE(MustParse("<?xml version=\"1.0\" standalone=\"maybe\"?>" + feed).bozo);
  EXPECT_FALSE(MustParse("<?xml version=\"1.0\" standalone='yes'?>" + feed).bozo);
  EXPECT_TRUE(
      MustParse("<rss><channel><a:b:c xmlns:a=\"http://x/\">t</a:b:c></channel></rss>").bozo);
  EXPECT_EQ(MustParse("junk" + feed).feed.title, "x");
}

TEST(BozoTest, NonXmlContentTypeIsBozo) {
  EXPECT_TRUE(MustParse("<rss><channel/></rss>", "text/plain").bozo);
  EXPECT_FALSE(MustParse("<rss><channel/></rss>", "application/rss+xml").bozo);
}

TEST(RepairXmlTest, ProducesWellFormedMarkup) {
  EXPECT_EQ(RepairXml("<a><b>x</a>"), "<a><b>x</b></a>");
  EXPECT_EQ(RepairXml("<a>1 < 2</c></a>"), "<a>1 &lt; 2</a>");
  EXPECT_EQ(RepairXml("<a x=1 y>t"), "<a x=\"1\" y=\"y\">t</a>");
  EXPECT_EQ(RepairXml("<a><![CDATA[x"), "<a><![CDATA[x]]></a>");
}

TEST(BozoTest, AnEntryCutOffByTheEndOfTheDocumentIsMarked) {
  const std::string full =
      "<rss version=\"2.0\"><channel><title>T</title>"
      "<item><title>Zero</title><link>http://e.com/0</link><guid>g0</guid></item>"
      "<item><title>One</title><link>http://e.com/1</link><guid>g1</guid></item>"
      "</channel></rss>";
  const std::string half = full.substr(0, full.find("/1<") + 3);  // ".../1<": cut in a link
  Feed cut = MustParse(half);
  EXPECT_TRUE(cut.bozo);
  EXPECT_TRUE(cut.cut_off);
  EXPECT_NE(cut.bozo_reason.find("ends inside <item>"), std::string::npos) << cut.bozo_reason;
  ASSERT_EQ(cut.entries.size(), 2u);
  EXPECT_FALSE(cut.entries[0].cut_off);
  EXPECT_TRUE(cut.entries[1].cut_off);
  // Atom too; and a document that only lacks its closing root tags cuts off no entry.
  Feed atom = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>a</id></entry><entry><id>b");
  ASSERT_EQ(atom.entries.size(), 2u);
  EXPECT_FALSE(atom.entries[0].cut_off);
  EXPECT_TRUE(atom.entries[1].cut_off);
  Feed unclosed = MustParse(full.substr(0, full.find("</channel>")));
  ASSERT_EQ(unclosed.entries.size(), 2u);
  EXPECT_FALSE(unclosed.entries[1].cut_off);
  // Cut between two entries: none of them is cut, but the feed is (more may have followed).
  EXPECT_TRUE(unclosed.cut_off);
  EXPECT_FALSE(MustParse(full).cut_off);
  EXPECT_FALSE(MustParse(full).entries[1].cut_off);
  EXPECT_EQ(unclosed.bozo_reason.find("ends inside"), std::string::npos)
      << "no entry was cut: the first problem found is the reason";
  // The marker is the repair's: a publisher's attribute of that name means nothing, in a
  // well-formed document or a cut one.
  Feed own = MustParse(
      "<rss><channel><item newsd-cut-off=\"1\"><guid>x</guid></item>"
      "</channel></rss>");
  ASSERT_EQ(own.entries.size(), 1u);
  EXPECT_FALSE(own.entries[0].cut_off);
  Feed own_cut = MustParse(
      "<rss><channel><item newsd-cut-off=\"1\"><guid>x</guid></item>"
      "<item newsd-cut-off=\"1\"><guid>y");
  ASSERT_EQ(own_cut.entries.size(), 2u);
  EXPECT_FALSE(own_cut.entries[0].cut_off);
  EXPECT_TRUE(own_cut.entries[1].cut_off);
}

TEST(BozoTest, GarbageNeverCrashes) {
  const char* inputs[] = {"<",
                          "<<<<",
                          "<rss",
                          "<rss><",
                          "&",
                          "<rss>&#xFFFFFFFF;</rss>",
                          "<!DOCTYPE",
                          "<![CDATA[",
                          "<?xml",
                          "\xFF\xFE",
                          "<rss>]]></rss>",
                          "<rss xmlns:a=\"\"><a:b/></rss>"};
  for (const char* in : inputs) {
    Input input;
    input.body = in;
    Result<Feed> r = Parse(input, Options{});
    (void)r;  // an error or a feed, never a crash
  }
  SUCCEED();
}

}  // namespace
}  // namespace newsd::parse
