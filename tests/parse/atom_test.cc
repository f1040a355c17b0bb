#include <gtest/gtest.h>

#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::FeedFixture;
using testing::MustParse;

std::string AtomEntry(std::string_view inner) {
  return "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>" + std::string(inner) +
         "</entry></feed>";
}

TEST(AtomTest, MapsFeedAndEntry) {
  Feed f = MustParse(FeedFixture("atom10_basic.xml"));
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  EXPECT_EQ(f.version, "atom10");
  EXPECT_EQ(f.feed.title, "Example <b>Blog</b>");
  EXPECT_EQ(f.feed.link, "http://example.org/");
  EXPECT_EQ(f.feed.id, "tag:example.org,2026:blog");
  EXPECT_EQ(FormatIso8601(*f.feed.updated), "2026-02-03T03:05:06Z");
  EXPECT_EQ(f.feed.author, "Ann (ann@example.org)");
  ASSERT_TRUE(f.feed.author_detail);
  EXPECT_EQ(f.feed.author_detail->email, "ann@example.org");
  ASSERT_EQ(f.feed.links.size(), 2u);
  EXPECT_EQ(f.feed.links[0].rel, "self");
  EXPECT_EQ(f.feed.links[0].href, "http://example.org/blog/feed.atom");

  ASSERT_EQ(f.entries.size(), 1u);
  const Entry& e = f.entries[0];
  EXPECT_EQ(e.title, "First & best");
  EXPECT_EQ(e.link, "http://example.org/blog/posts/1.html");
  EXPECT_EQ(e.id, "tag:example.org,2026:1");
  EXPECT_EQ(FormatIso8601(*e.published), "2026-02-01T10:00:00Z");
  EXPECT_EQ(FormatIso8601(*e.updated), "2026-02-02T10:00:00Z");
  ASSERT_EQ(e.tags.size(), 1u);
  EXPECT_EQ(e.tags[0].term, "news");
  EXPECT_EQ(e.tags[0].label, "News");
  ASSERT_EQ(e.enclosures.size(), 1u);
  EXPECT_EQ(e.enclosures[0].url, "http://example.org/media/1.mp3");
  EXPECT_EQ(e.enclosures[0].length, "1234");
  EXPECT_EQ(e.summary, "<a href=\"http://example.org/blog/posts/more.html\">more</a>");
  ASSERT_EQ(e.content.size(), 1u);
  EXPECT_EQ(e.content[0].type, "application/xhtml+xml");
  EXPECT_EQ(e.content[0].value,
            "<p>Hello <a href=\"http://example.org/blog/posts/img/\">there</a></p>");
}

TEST(AtomTest, ItemElementsAreEntriesToo) {
  // As feedparser reads them: an Atom feed whose entries are spelt <item> (and an RSS channel
  // with an <entry>) loses none of them.
  Feed atom = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><item><title>Hello</title>"
      "<link href=\"http://example.com/a\"/><id>urn:a</id></item></feed>");
  EXPECT_FALSE(atom.bozo);
  ASSERT_EQ(atom.entries.size(), 1u);
  EXPECT_EQ(atom.entries[0].title, "Hello");
  EXPECT_EQ(atom.entries[0].link, "http://example.com/a");
  Feed rss = MustParse(
      "<rss version=\"2.0\"><channel><entry><title>Hi</title><link>http://example.com/b</link>"
      "</entry></channel></rss>");
  ASSERT_EQ(rss.entries.size(), 1u);
  EXPECT_EQ(rss.entries[0].link, "http://example.com/b");
}

// An entry without a link whose id is a web address: the id is its address (as feedparser
// reads it); an id that is none (a tag: or urn: URI) gives no link.
TEST(AtomTest, AnHttpIdIsTheLinkOfAnEntryWithoutOne) {
  Feed f = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>"
      "<entry><id> http://ex.org/post/1 </id><title>A</title></entry>"
      "<entry><id>tag:ex.org,2026:2</id><title>B</title></entry>"
      "<entry><id>http://ex.org/post/3</id><link "
      "href=\"http://ex.org/p3\"/><title>C</title></entry>"
      "</feed>");
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[0].link, "http://ex.org/post/1");
  EXPECT_FALSE(f.entries[1].link.has_value());
  EXPECT_EQ(f.entries[2].link, "http://ex.org/p3");
}

TEST(AtomTest, TextConstructTypes) {
  Feed f =
      MustParse(AtomEntry("<title type=\"text\">a &lt;b&gt;</title>"
                          "<summary type=\"html\">&lt;i&gt;x&lt;/i&gt;</summary>"
                          "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                          "1 &lt; 2 <b>bold</b></div></content>"));
  const Entry& e = f.entries[0];
  EXPECT_EQ(e.title, "a <b>");
  EXPECT_EQ(e.summary, "<i>x</i>");
  EXPECT_EQ(e.content[0].value, "1 &lt; 2 <b>bold</b>");
}

TEST(AtomTest, Base64Content) {
  Feed f = MustParse(AtomEntry("<content type=\"application/octet-stream\">aGVsbG8=</content>"));
  EXPECT_EQ(f.entries[0].content[0].value, "hello");
  Feed f03 = MustParse(
      "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry>"
      "<content type=\"text/html\" mode=\"base64\">PGI+aGk8L2I+</content></entry></feed>");
  EXPECT_EQ(f03.version, "atom03");
  EXPECT_EQ(f03.entries[0].content[0].value, "<b>hi</b>");
}

TEST(AtomTest, AlternateHtmlLinkPreferred) {
  Feed f =
      MustParse(AtomEntry("<link rel=\"related\" href=\"http://x/related\"/>"
                          "<link rel=\"alternate\" type=\"application/pdf\" href=\"http://x/pdf\"/>"
                          "<link href=\"http://x/html\"/>"));
  EXPECT_EQ(f.entries[0].link, "http://x/html");
  EXPECT_EQ(f.entries[0].links.size(), 3u);
}

// Media types are read lower-cased (as feedparser reads every type attribute), in links and
// enclosures of both dialects.
TEST(AtomTest, MediaTypesAreLowerCased) {
  Feed f = MustParse(AtomEntry(
      "<link rel=\"ALTERNATE\" type=\"Text/HTML\" href=\"http://x/a\"/>"
      "<link rel=\"Enclosure\" type=\"Audio/MPEG\" length=\"9\" href=\"http://x/a.mp3\"/>"));
  ASSERT_EQ(f.entries[0].links.size(), 2u);
  EXPECT_EQ(f.entries[0].links[0].type, "text/html");
  EXPECT_EQ(f.entries[0].link, "http://x/a");
  ASSERT_EQ(f.entries[0].enclosures.size(), 1u);
  EXPECT_EQ(f.entries[0].enclosures[0].type, "audio/mpeg");
  Feed rss = MustParse(
      "<rss version=\"2.0\"><channel><item><title>a</title><enclosure url=\"http://x/b.mp3\" "
      "type=\"Audio/MPEG\" length=\"9\"/></item></channel></rss>");
  ASSERT_EQ(rss.entries[0].enclosures.size(), 1u);
  EXPECT_EQ(rss.entries[0].enclosures[0].type, "audio/mpeg");
}

// rel is case-insensitive and may be written as its IANA URI; a media type may carry
// parameters, or be Atom's short "html".
TEST(AtomTest, AlternateLinkSpellings) {
  Feed f = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
      "<entry><link rel=\"ALTERNATE\" href=\"http://x/1\"/></entry>"
      "<entry><link rel=\"alternate\" type=\"text/html; charset=utf-8\" href=\"http://x/2\"/>"
      "</entry><entry><link rel=\"http://www.iana.org/assignments/relation/alternate\" "
      "href=\"http://x/3\"/></entry>"
      "<entry><link rel=\"alternate\" type=\"html\" href=\"http://x/4\"/></entry>"
      "<entry><link rel=\" Enclosure \" type=\"audio/mpeg\" href=\"http://x/5.mp3\"/></entry>"
      "</feed>");
  ASSERT_EQ(f.entries.size(), 5u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(f.entries[i].link, "http://x/" + std::to_string(i + 1)) << i;
    ASSERT_EQ(f.entries[i].links.size(), 1u);
    EXPECT_EQ(f.entries[i].links[0].rel, "alternate") << i;
  }
  EXPECT_EQ(f.entries[1].links[0].type, "text/html; charset=utf-8");
  ASSERT_EQ(f.entries[4].enclosures.size(), 1u);
  EXPECT_EQ(f.entries[4].enclosures[0].url, "http://x/5.mp3");
  EXPECT_FALSE(f.entries[4].link.has_value());
}

// RFC 4287 4.2.1: an entry without an author has its <source>'s, else the feed's; its own
// author wins.
TEST(AtomTest, EntriesInheritTheFeedAuthor) {
  Feed f = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><author><name>Казинформ</name>"
      "<email>news@inform.kz</email></author>"
      "<entry><title>A</title></entry>"
      "<entry><title>B</title><author><name>Own</name></author></entry>"
      "<entry><title>C</title><category term=\"\"/><category term=\"kz\"/>"
      "<category scheme=\"http://x/s\"/></entry>"
      "<entry><title>D</title><source><title>Blog</title><author><name>Post Writer</name>"
      "<email>pw@blog.kz</email><uri>http://blog.kz/pw</uri></author></source></entry>"
      "<entry><title>E</title><author><name>Alice</name><email>a@x.kz</email></author>"
      "<author><name>Bob</name></author></entry></feed>");
  ASSERT_EQ(f.entries.size(), 5u);
  // Its <source>'s author comes first, read as a person like the entry's own.
  EXPECT_EQ(f.entries[3].author, "Post Writer (pw@blog.kz)");
  ASSERT_TRUE(f.entries[3].author_detail);
  EXPECT_EQ(f.entries[3].author_detail->name, "Post Writer");
  EXPECT_EQ(f.entries[3].author_detail->email, "pw@blog.kz");
  EXPECT_EQ(f.entries[3].author_detail->href, "http://blog.kz/pw");
  // Two authors: `author` and `author_detail` name the same one, the first (the lead byline).
  ASSERT_EQ(f.entries[4].authors.size(), 2u);
  EXPECT_EQ(f.entries[4].author, "Alice (a@x.kz)");
  ASSERT_TRUE(f.entries[4].author_detail);
  EXPECT_EQ(f.entries[4].author_detail->name, "Alice");
  EXPECT_EQ(f.entries[4].authors[1].name, "Bob");
  EXPECT_EQ(f.entries[3].title, "D");
  EXPECT_EQ(f.entries[0].author, "Казинформ (news@inform.kz)");
  ASSERT_TRUE(f.entries[0].author_detail);
  EXPECT_EQ(f.entries[0].author_detail->name, "Казинформ");
  EXPECT_EQ(f.entries[0].authors.size(), 1u);
  EXPECT_EQ(f.entries[1].author, "Own");
  ASSERT_EQ(f.entries[2].tags.size(), 2u);
  EXPECT_EQ(f.entries[2].tags[0].term, "kz");
  EXPECT_EQ(f.entries[2].tags[1].scheme, "http://x/s");
  // RSS has no such rule: a channel's managingEditor is no item's author.
  Feed r = MustParse(
      "<rss version=\"2.0\"><channel><managingEditor>ed@x.kz (Ed)</managingEditor>"
      "<item><title>A</title></item></channel></rss>");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_FALSE(r.entries[0].author.has_value());
}

TEST(AtomTest, Atom03IssuedAndModified) {
  Feed f = MustParse(
      "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry>"
      "<issued>2003-12-31T10:14:55Z</issued><modified>2004-01-01T00:00:00Z</modified>"
      "</entry></feed>");
  EXPECT_EQ(FormatIso8601(*f.entries[0].published), "2003-12-31T10:14:55Z");
  EXPECT_EQ(FormatIso8601(*f.entries[0].updated), "2004-01-01T00:00:00Z");
}

// <description> in an Atom feed or entry reads as its subtitle or summary (as feedparser
// reads it), and media:title names an item that has no title of its own.
TEST(AtomTest, DescriptionAndMediaTitleAreFallbacks) {
  Feed f = MustParse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:media=\"http://search.yahoo.com/mrss/\">"
      "<description>Sub</description>"
      "<entry><media:group><media:title>Media title</media:title>"
      "<media:description>Media text</media:description></media:group>"
      "<description>Entry text</description></entry>"
      "<entry><title>Own</title><media:title>Media title</media:title><summary>S</summary>"
      "<description>D</description></entry></feed>");
  EXPECT_EQ(f.feed.subtitle, "Sub");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].title, "Media title");
  EXPECT_EQ(f.entries[0].summary, "Entry text");
  EXPECT_EQ(f.entries[1].title, "Own");
  EXPECT_EQ(f.entries[1].summary, "S");
}

}  // namespace
}  // namespace newsd::parse
