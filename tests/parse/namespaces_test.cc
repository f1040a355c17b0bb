#include <gtest/gtest.h>

#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::MustParse;
using testing::RssWithItem;

TEST(NamespacesTest, OddPrefixesMapByUri) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:c=\"http://purl.org/rss/1.0/modules/content/\" "
      "xmlns:zz=\"http://purl.org/dc/elements/1.1/\"><channel><item>"
      "<c:encoded>&lt;p&gt;body&lt;/p&gt;</c:encoded><zz:creator>Bob</zz:creator>"
      "</item></channel></rss>");
  EXPECT_FALSE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
  ASSERT_EQ(f.entries[0].content.size(), 1u);
  EXPECT_EQ(f.entries[0].content[0].value, "<p>body</p>");
  EXPECT_EQ(f.entries[0].author, "Bob");
}

// A site that replaced http by https everywhere did so in its namespace URIs too: they still
// name the modules.
TEST(NamespacesTest, HttpsNamespaceUrisNameTheSameModules) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:content=\"https://purl.org/rss/1.0/modules/content/\" "
      "xmlns:dc=\"HTTPS://purl.org/dc/elements/1.1/\"><channel><item><title>H1</title>"
      "<content:encoded>&lt;p&gt;Полный текст&lt;/p&gt;</content:encoded>"
      "<dc:date>2023-01-01T10:00:00+06:00</dc:date></item></channel></rss>");
  ASSERT_EQ(f.entries.size(), 1u);
  ASSERT_EQ(f.entries[0].content.size(), 1u);
  EXPECT_EQ(f.entries[0].content[0].value, "<p>Полный текст</p>");
  EXPECT_EQ(f.entries[0].updated, 1672545600);  // dc:date, as feedparser reads it
  Feed rdf = MustParse(
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"https://purl.org/rss/1.0/\"><channel><title>RDF</title></channel>"
      "<item><title>One</title><link>http://ex.org/1</link></item></rdf:RDF>");
  ASSERT_EQ(rdf.entries.size(), 1u);
  EXPECT_EQ(rdf.entries[0].title, "One");
  EXPECT_EQ(rdf.feed.title, "RDF");
}

// Declarations a namespace-aware XML parser refuses (feedparser's strict pass): the feed is
// read all the same, marked bozo; the good forms are not.
TEST(NamespacesTest, DeclarationsNamespacesInXmlForbidsAreBozo) {
  auto parse = [](std::string_view decl) {
    return MustParse("<rss version=\"2.0\" " + std::string(decl) +
                     "><channel><title>t</title><item><title>a</title>"
                     "<itunes:author>Me</itunes:author></item></channel></rss>");
  };
  for (std::string_view bad :
       {"xmlns:itunes=\" http://www.itunes.com/dtds/podcast-1.0.dtd\"",
        "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:p=\"\"",
        "xmlns:xml=\"http://example.com/\"", "xmlns:xmlns=\"http://example.com/\"",
        "xmlns:x=\"http://www.w3.org/XML/1998/namespace\""}) {
    Feed f = parse(bad);
    EXPECT_TRUE(f.bozo) << bad;
    ASSERT_EQ(f.entries.size(), 1u) << bad;
    EXPECT_EQ(f.entries[0].title, "a") << bad;
  }
  for (std::string_view good :
       {"xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns=\"\"",
        "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" "
        "xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"",
        "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd&#x9;\""}) {
    EXPECT_FALSE(parse(good).bozo) << good << ": " << parse(good).bozo_reason;
  }
}

// Media RSS as feedparser reads it: a thumbnail's URL in its text when it has no url
// attribute; media:keywords one tag each.
TEST(NamespacesTest, MediaThumbnailTextAndKeywords) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><item>"
      "<title>a</title><media:thumbnail> http://x/t.jpg </media:thumbnail>"
      "<media:group><media:keywords>wheat, harvest ,, Kostanay</media:keywords></media:group>"
      "</item></channel></rss>",
      "", "http://x/feed");
  const Entry& e = f.entries.at(0);
  ASSERT_EQ(e.media_thumbnail.size(), 1u);
  EXPECT_EQ(e.media_thumbnail[0].url, "http://x/t.jpg");
  ASSERT_EQ(e.tags.size(), 3u);
  EXPECT_EQ(e.tags[0].term, "wheat");
  EXPECT_EQ(e.tags[2].term, "Kostanay");
}

// Yandex.News and Turbo feeds (RU/KZ outlets) carry the whole article beside a one-line
// <description>: both texts are content, so the daemon stores and compares the whole one.
TEST(NamespacesTest, YandexFullTextAndTurboContentAreContent) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:yandex=\"http://news.yandex.ru\" "
      "xmlns:turbo=\"http://turbo.yandex.ru\"><channel><item><title>T</title>"
      "<description>Кратко.</description>"
      "<yandex:full-text>Полный текст новости, второй абзац &amp; конец.</yandex:full-text>"
      "<turbo:content><![CDATA[<p>Полный текст</p>]]></turbo:content>"
      "</item></channel></rss>");
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  ASSERT_EQ(f.entries.size(), 1u);
  ASSERT_EQ(f.entries[0].content.size(), 2u);
  EXPECT_EQ(f.entries[0].content[0].value, "Полный текст новости, второй абзац & конец.");
  EXPECT_EQ(f.entries[0].content[0].type, "text/plain");
  EXPECT_EQ(f.entries[0].content[1].value, "<p>Полный текст</p>");
  EXPECT_EQ(f.entries[0].summary, "Кратко.");
  // Undeclared, the usual prefix still means Yandex's namespace (as content: and dc: do).
  Feed u = MustParse(
      "<rss version=\"2.0\"><channel><item><title>T</title>"
      "<yandex:full-text>Весь текст.</yandex:full-text></item></channel></rss>");
  ASSERT_EQ(u.entries.size(), 1u);
  ASSERT_EQ(u.entries[0].content.size(), 1u);
  EXPECT_EQ(u.entries[0].content[0].value, "Весь текст.");
}

// Rambler's format names the whole article rambler:fulltext: content, as Yandex's is (the
// copy compared by its one-line description only never joined its story).
TEST(NamespacesTest, RamblerFullTextIsContent) {
  Feed f =
      MustParse(RssWithItem("<description>Кратко.</description>"
                            "<rambler:fulltext>Весь текст новости.</rambler:fulltext>",
                            " xmlns:rambler=\"http://news.rambler.ru\""));
  ASSERT_EQ(f.entries.size(), 1u);
  ASSERT_EQ(f.entries[0].content.size(), 1u);
  EXPECT_EQ(f.entries[0].content[0].value, "Весь текст новости.");
  Feed u = MustParse(
      "<rss version=\"2.0\"><channel><item><title>T</title>"
      "<rambler:fulltext>Весь текст.</rambler:fulltext></item></channel></rss>");
  ASSERT_EQ(u.entries.size(), 1u);
  ASSERT_EQ(u.entries[0].content.size(), 1u);
  EXPECT_EQ(u.entries[0].content[0].value, "Весь текст.");
}

// A Turbo item may leave out <title>: its turbo:topic is the headline then, and only then.
TEST(NamespacesTest, TurboTopicIsTheTitleOfAnItemWithoutOne) {
  const std::string ns = " xmlns:turbo=\"http://turbo.yandex.ru\"";
  Feed f =
      MustParse(RssWithItem("<turbo:topic>Закон о бюджете подписан</turbo:topic>"
                            "<turbo:content><![CDATA[<p>Текст</p>]]></turbo:content>",
                            ns));
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title.value_or(""), "Закон о бюджете подписан");
  Feed t = MustParse(RssWithItem("<turbo:topic>Тема</turbo:topic><title>Заголовок</title>", ns));
  ASSERT_EQ(t.entries.size(), 1u);
  EXPECT_EQ(t.entries[0].title.value_or(""), "Заголовок");
}

// Video and podcast feeds: a <description> without a word (an image, nothing) beside a
// media:description with text gives way to it, or the item would be stored without text.
TEST(NamespacesTest, AWordlessDescriptionGivesWayToTheMediaDescription) {
  const std::string ns = " xmlns:media=\"http://search.yahoo.com/mrss/\"";
  Feed f = MustParse(RssWithItem(
      "<description><![CDATA[<img src=\"https://x/1.jpg\"> &nbsp;]]></description>"
      "<media:group><media:description>Жители трех сел эвакуированы.</media:description>"
      "</media:group>",
      ns));
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].summary.value_or(""), "Жители трех сел эвакуированы.");
  Feed kept =
      MustParse(RssWithItem("<description>Кратко.</description>"
                            "<media:description>Жители трех сел эвакуированы.</media:description>",
                            ns));
  ASSERT_EQ(kept.entries.size(), 1u);
  EXPECT_EQ(kept.entries[0].summary.value_or(""), "Кратко.");
}

// A full text written as markup (<p>, <b>, <br/>) keeps it, as HTML, like content:encoded
// with unescaped markup: the text in child elements is the article.
TEST(NamespacesTest, YandexFullTextWithMarkupIsHtml) {
  Feed f = MustParse(RssWithItem(
      "<yandex:full-text><p>Первый абзац.</p><p>Второй абзац.</p></yandex:full-text>"
      "<yandex:full-text>Начало <b>важное</b> конец.<br/>Следующая строка.</yandex:full-text>"
      "<content:encoded><p>Полный <i>текст</i></p></content:encoded>",
      " xmlns:yandex=\"http://news.yandex.ru\""
      " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""));
  ASSERT_EQ(f.entries.size(), 1u);
  const Entry& e = f.entries[0];
  ASSERT_EQ(e.content.size(), 3u);
  EXPECT_EQ(e.content[0].value, "<p>Первый абзац.</p><p>Второй абзац.</p>");
  EXPECT_EQ(e.content[0].type, "text/html");
  EXPECT_EQ(e.content[1].value, "Начало <b>важное</b> конец.<br />Следующая строка.");
  EXPECT_EQ(e.content[1].type, "text/html");
  EXPECT_EQ(e.content[2].value, "<p>Полный <i>текст</i></p>");
}

// Names are text: an author with markup in it is all its text, white space collapsed.
TEST(NamespacesTest, AuthorsWithMarkupKeepAllTheirText) {
  Feed f =
      MustParse(RssWithItem("<author>Иван <b>Петров</b>\n  (ТАСС)</author>"
                            "<dc:creator><span>Анна</span> <i>Сидорова</i></dc:creator>",
                            " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""));
  ASSERT_EQ(f.entries.size(), 1u);
  const Entry& e = f.entries[0];
  EXPECT_EQ(e.author, "Иван Петров (ТАСС)");
  ASSERT_EQ(e.authors.size(), 2u);
  EXPECT_EQ(e.authors[1].name, "Анна Сидорова");
  Feed c = MustParse(
      "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
      "<managingEditor>ed@x.kz (<b>Ed</b>)</managingEditor><item/></channel></rss>");
  EXPECT_EQ(c.feed.author, "ed@x.kz (Ed)");
}

TEST(NamespacesTest, ConventionalPrefixWithOtherUriIsIgnored) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:content=\"http://example.com/not-content\"><channel><item>"
      "<content:encoded>x</content:encoded></item></channel></rss>");
  EXPECT_TRUE(f.entries[0].content.empty());
}

TEST(NamespacesTest, AtomAsPrefixedElementsAndRedeclaredDefault) {
  Feed f = MustParse(
      "<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\"><a:title>T</a:title>"
      "<a:entry><a:title>E</a:title></a:entry>"
      "<entry xmlns=\"http://www.w3.org/2005/Atom\"><title>E2</title></entry></a:feed>");
  EXPECT_FALSE(f.bozo);
  EXPECT_EQ(f.feed.title, "T");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[1].title, "E2");
}

TEST(NamespacesTest, AtomLinkInsideRss) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel>"
      "<link>http://x/</link><atom:link rel=\"self\" href=\"http://x/feed\"/></channel></rss>");
  EXPECT_EQ(f.feed.link, "http://x/");
  ASSERT_EQ(f.feed.links.size(), 2u);
  EXPECT_EQ(f.feed.links[1].rel, "self");
}

TEST(NamespacesTest, UndeclaredPrefixIsBozoButRead) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><item><dc:creator>Ann</dc:creator>"
      "</item></channel></rss>");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.entries[0].author, "Ann");
}

TEST(NamespacesTest, XhtmlBodyAndForeignMarkup) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"><channel><item>"
      "<xhtml:body><xhtml:p>Hi <xhtml:br/></xhtml:p></xhtml:body></item></channel></rss>");
  ASSERT_EQ(f.entries[0].content.size(), 1u);
  EXPECT_EQ(f.entries[0].content[0].value, "<p>Hi <br /></p>");
  EXPECT_EQ(f.entries[0].content[0].type, "application/xhtml+xml");

  Feed svg = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:s=\"http://www.w3.org/2000/svg\">"
      "<entry><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
      "<s:svg><s:circle r=\"1\"/></s:svg></div></content></entry></feed>");
  EXPECT_EQ(svg.entries[0].content[0].value,
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\" /></svg>");
}

// Inside inline SVG, a feed vocabulary's element (dc:title) is the SVG's own, and an unknown
// vocabulary's prefix is dropped (it was put back into XHTML with an xmlns); an element with
// several XLink attributes declares the prefix once (it was once per attribute: markup with
// duplicate attributes).
TEST(NamespacesTest, InlineSvgAndMathMlKeepOneNamespaceEach) {
  Feed svg = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:u=\"urn:x\"><content "
      "type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><svg "
      "xmlns=\"http://www.w3.org/2000/svg\"><dc:title>foo</dc:title><u:bar "
      "u:k=\"v\">z</u:bar></svg><u:baz>w</u:baz></div></content></entry></feed>");
  EXPECT_EQ(svg.entries[0].content[0].value,
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>foo</title><bar k=\"v\">z</bar>"
            "</svg><baz>w</baz>");
  Feed math = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"xhtml\"><div "
      "xmlns=\"http://www.w3.org/1999/xhtml\"><math "
      "xmlns=\"http://www.w3.org/1998/Math/MathML\"><mrow "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:type=\"simple\" "
      "xlink:href=\"http://x.example/\"><mi>a</mi></mrow></math></div></content></entry></feed>");
  // An attribute that loses its prefix does not repeat a name the element has.
  Feed dup = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry xmlns:u=\"urn:x\"><content "
      "type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p id=\"k\" "
      "u:id=\"dup\">a</p></div></content></entry></feed>");
  EXPECT_EQ(dup.entries[0].content[0].value, "<p id=\"k\">a</p>");
  // Whatever the order, the unprefixed one wins; "u:xmlns" is no declaration.
  Feed first = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry xmlns:u=\"urn:x\"><content "
      "type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><a u:href=\"evil\" "
      "href=\"good\" u:xmlns=\"http://www.w3.org/2000/svg\">l</a></div></content></entry></feed>");
  EXPECT_EQ(first.entries[0].content[0].value, "<a href=\"good\">l</a>");
  EXPECT_EQ(math.entries[0].content[0].value,
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mrow "
            "xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:type=\"simple\" "
            "xlink:href=\"http://x.example/\"><mi>a</mi></mrow></math>");
}

TEST(NamespacesTest, EscapedSvgGetsItsNamespace) {
  Feed f = MustParse(testing::RssWithItem(
      "<description>&lt;svg width=\"1\"&gt;&lt;a xlink:href=\"#x\"&gt;&lt;/a&gt;&lt;/svg&gt;"
      "</description>"));
  EXPECT_EQ(f.entries[0].summary,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\">"
            "<a xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"#x\"></a></svg>");
}

// MathML likewise, and xlink: attributes outside any <svg>; a text without either is left as
// it is.
TEST(NamespacesTest, EscapedMathAndLoneXlinkGetTheirNamespaces) {
  Feed f = MustParse(testing::RssWithItem(
      "<description>&lt;p&gt;x &lt;math&gt;&lt;mi&gt;y&lt;/mi&gt;&lt;/math&gt;&lt;/p&gt;"
      "</description>"));
  EXPECT_EQ(f.entries[0].summary,
            "<p>x <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>y</mi></math></p>");
  Feed lone = MustParse(testing::RssWithItem(
      "<description>&lt;a xlink:href=\"#x\"&gt;z&lt;/a&gt; &lt;b&gt;w&lt;/b&gt;</description>"));
  EXPECT_EQ(lone.entries[0].summary,
            "<a xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"#x\">z</a> <b>w</b>");
  Feed plain = MustParse(testing::RssWithItem(
      "<description>&lt;p&gt;an &lt;i&gt;svg&lt;/i&gt; file&lt;/p&gt;</description>"));
  EXPECT_EQ(plain.entries[0].summary, "<p>an <i>svg</i> file</p>");
}

// A podcast's <itunes:subtitle> is the feed's subtitle; with a <description> too, the later
// one in the document (feedparser's reading: both fill one field).
TEST(NamespacesTest, ItunesSubtitleIsTheFeedSubtitle) {
  const std::string open =
      "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">"
      "<channel><title>P</title>";
  EXPECT_EQ(MustParse(open + "<itunes:subtitle>Daily news &amp; talk</itunes:subtitle>"
                             "</channel></rss>")
                .feed.subtitle,
            "Daily news & talk");
  EXPECT_EQ(MustParse(open + "<description>D</description><itunes:subtitle>S</itunes:subtitle>"
                             "</channel></rss>")
                .feed.subtitle,
            "S");
  EXPECT_EQ(MustParse(open + "<itunes:subtitle>S</itunes:subtitle><description>D</description>"
                             "</channel></rss>")
                .feed.subtitle,
            "D");
  EXPECT_EQ(MustParse(open + "<itunes:subtitle>S</itunes:subtitle>"
                             "<dc:description xmlns:dc=\"http://purl.org/dc/elements/1.1/\">DC"
                             "</dc:description></channel></rss>")
                .feed.subtitle,
            "DC");
  EXPECT_EQ(MustParse(open + "<itunes:subtitle>A <b>b</b> c</itunes:subtitle></channel></rss>")
                .feed.subtitle,
            "A <b>b</b> c");
}

// FeedBurner's <link> is a tracking redirect (feedproxy.google.com); feedburner:origLink is
// the article's own URL, kept beside it.
TEST(NamespacesTest, FeedburnerOrigLinkIsKept) {
  Feed f = MustParse(
      "<rss version=\"2.0\" xmlns:fb=\"http://rssnamespace.org/feedburner/ext/1.0\"><channel>"
      "<item><title>A</title><link>http://feedproxy.google.com/~r/kz/~3/abc/story01.htm</link>"
      "<guid isPermaLink=\"false\">tengri-1</guid>"
      "<fb:origLink>https://tengrinews.kz/news/1</fb:origLink></item>"
      "<item><title>B</title><fb:origLink>https://tengrinews.kz/news/2</fb:origLink>"
      "<link>http://feedproxy.google.com/~r/kz/~3/def/story02.htm</link></item>"
      "<item><title>C</title><link>https://tengrinews.kz/news/3</link>"
      "<fb:origLink>not a url</fb:origLink></item></channel></rss>");
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[0].orig_link, "https://tengrinews.kz/news/1");
  EXPECT_EQ(f.entries[0].link, "http://feedproxy.google.com/~r/kz/~3/abc/story01.htm");
  EXPECT_EQ(f.entries[0].id, "tengri-1");
  EXPECT_EQ(f.entries[1].orig_link, "https://tengrinews.kz/news/2");
  EXPECT_FALSE(f.entries[2].orig_link.has_value());
  EXPECT_EQ(f.entries[2].link, "https://tengrinews.kz/news/3");
}

}  // namespace
}  // namespace newsd::parse
