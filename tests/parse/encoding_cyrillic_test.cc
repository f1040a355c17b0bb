#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "parse/encoding.h"
#include "tests/parse/encoding_test_util.h"
#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::Cp1251;
using testing::FeedFixture;
using testing::kKzItem;
using testing::kRuItem;
using testing::kRuTitle;
using testing::MustParse;
using testing::RssWithItem;

TEST(CyrillicFeedTest, Windows1251Declared) {
  Feed f = MustParse(FeedFixture("ru_windows1251.xml"));
  EXPECT_EQ(f.encoding, "windows-1251");
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  EXPECT_EQ(f.feed.title, kRuTitle);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kRuItem);
  EXPECT_NE(f.entries[0].summary->find("Ёлки, щи, ъ и ё"), std::string::npos);
}

// Served with a wrong charset: the document's own declaration is tried before any guess.
TEST(CyrillicFeedTest, DeclarationIsTriedWhenTheHttpCharsetFails) {
  const std::string doc = FeedFixture("ru_windows1251.xml");
  for (const char* content_type :
       {"application/rss+xml; charset=utf-8", "application/rss+xml; charset=bogus"}) {
    Feed f = MustParse(doc, content_type);
    EXPECT_EQ(f.encoding, "windows-1251") << content_type;
    EXPECT_TRUE(f.bozo) << content_type;
    EXPECT_EQ(f.feed.title, kRuTitle) << content_type;
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, kRuItem) << content_type;
  }
}

// One stray Latin-1 byte in a UTF-8 feed is replaced; the rest stays readable.
TEST(CyrillicFeedTest, AStrayByteInUtf8ReplacesOnlyItself) {
  const std::string doc =
      std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\">") +
      "<channel><title>" + kRuTitle + "</title><item><title>" + kKzItem + "</title><description>" +
      kRuItem + " caf\xE9</description></item>" + "</channel></rss>";
  Feed f = MustParse(doc);
  EXPECT_EQ(f.encoding, "utf-8");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.feed.title, kRuTitle);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kKzItem);
  EXPECT_EQ(*f.entries[0].summary, std::string(kRuItem) + " caf\uFFFD");
  // Mostly not UTF-8 (a legacy page with a few UTF-8-looking pairs): no repair.
  std::string out;
  EXPECT_FALSE(RepairMostlyUtf8("\xCF\xF0\xE8\xE2\xE5\xF2 \xD0\x9F", &out));
}

// A UTF-8 feed with one item a CMS pasted from an old windows-1251 page: that item's words
// are read in windows-1251 (they were lost to U+FFFD), the rest as UTF-8.
TEST(CyrillicFeedTest, AWindows1251StretchInUtf8IsReadInItsCodePage) {
  // "Новости дня: на выборах «МВД» Пётр" in windows-1251 ("Д»" and "Пё" are valid UTF-8 pairs
  // by chance).
  const std::string legacy =
      "\xCD\xEE\xE2\xEE\xF1\xF2\xE8 \xE4\xED\xFF: \xED\xE0 "
      "\xE2\xFB\xE1\xEE\xF0\xE0\xF5 \xAB\xCC\xC2\xC4\xBB \xCF\xB8\xF2\xF0";
  const std::string doc =
      std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\">") +
      "<channel><title>" + kRuTitle + "</title><item><title>" + legacy + "</title><description>" +
      kRuItem + "</description></item><item><title>" + kKzItem + "</title></item></channel></rss>";
  Feed f = MustParse(doc);
  EXPECT_EQ(f.encoding, "utf-8");
  EXPECT_TRUE(f.bozo);
  EXPECT_NE(f.bozo_reason.find("1 stretches not in UTF-8 read as windows-1251"), std::string::npos)
      << f.bozo_reason;
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].title, "Новости дня: на выборах «МВД» Пётр");
  EXPECT_EQ(*f.entries[0].summary, kRuItem);
  EXPECT_EQ(f.entries[1].title, kKzItem);
}

// A character cut short (the maximal subpart of a sequence) is one U+FFFD, as Unicode and
// Python's errors="replace" count it, and a few such in short UTF-8 text do not send the
// whole document to a legacy code page.
TEST(CyrillicFeedTest, ACutOffCharacterIsOneReplacement) {
  const std::string math = "\xF0\x9D\x90\x94";  // U+1D414, 4 bytes
  std::string text;
  for (int i = 0; i < 5; ++i) text += math;
  text += "\xF0\x9D\x92\xF0\x9D\x92";  // two characters cut to 3 bytes each
  for (int i = 0; i < 5; ++i) text += math;
  std::string out;
  ASSERT_TRUE(RepairMostlyUtf8(text, &out));
  std::string expected;
  for (int i = 0; i < 5; ++i) expected += math;
  expected += "\uFFFD\uFFFD";
  for (int i = 0; i < 5; ++i) expected += math;
  EXPECT_EQ(out, expected);
  const std::string doc =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\">"
      "<channel><item><description>" +
      text + "</description></item></channel></rss>";
  Feed f = MustParse(doc);
  EXPECT_EQ(f.encoding, "utf-8");
  EXPECT_TRUE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(*f.entries[0].summary, expected);
}

TEST(CyrillicFeedTest, Koi8rDeclared) {
  Feed f = MustParse(FeedFixture("ru_koi8r.xml"));
  EXPECT_EQ(f.encoding, "koi8-r");
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  EXPECT_EQ(f.feed.title, kRuTitle);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kRuItem);
}

TEST(CyrillicFeedTest, Koi8rOnlyInHttpHeader) {
  Feed f = MustParse(FeedFixture("ru_koi8r_http_only.xml"), "text/xml; charset=KOI8-R");
  EXPECT_EQ(f.encoding, "koi8-r");
  EXPECT_FALSE(f.bozo);
  EXPECT_EQ(f.feed.title, kRuTitle);
}

// KOI8-R served as windows-1251, and the reverse, decode without error with every letter's
// case swapped ("нОВПУФЙ ДОС"): the text is read in the code page its letters are from,
// bozo set, saying so.
TEST(CyrillicFeedTest, Koi8rAndWindows1251UnderEachOthersLabelAreReadRight) {
  Feed koi8 = MustParse(FeedFixture("ru_koi8r_http_only.xml"), "text/xml; charset=windows-1251");
  EXPECT_EQ(koi8.encoding, "koi8-r");
  EXPECT_TRUE(koi8.bozo);
  EXPECT_NE(koi8.bozo_reason.find("labelled windows-1251"), std::string::npos) << koi8.bozo_reason;
  EXPECT_EQ(koi8.feed.title, kRuTitle);
  Feed cp1251 = MustParse(FeedFixture("ru_windows1251.xml"), "text/xml; charset=koi8-r");
  EXPECT_EQ(cp1251.encoding, "windows-1251");
  EXPECT_TRUE(cp1251.bozo);
  EXPECT_EQ(cp1251.feed.title, kRuTitle);
  ASSERT_EQ(cp1251.entries.size(), 1u);
  EXPECT_EQ(cp1251.entries[0].title, kRuItem);
  // Headlines in capitals are no sign of a swap, with a unit in them or not.
  const std::string capitals =
      "СРОЧНО: ПРАВИТЕЛЬСТВО УТВЕРДИЛО БЮДЖЕТ НА 2027 ГОД. ПОДСТАНЦИЯ 110 кВ ВВЕДЕНА В РАБОТУ, "
      "ЛИНИЯ 35 кВ ТОЖЕ";
  std::string in_1251;
  for (size_t i = 0; i < capitals.size();) {
    const auto c = static_cast<unsigned char>(capitals[i]);
    if (c < 0x80) {
      in_1251 += capitals[i++];
    } else {  // А-я (U+0410-U+044F) are 0xC0-0xFF in windows-1251
      const auto next = static_cast<unsigned char>(capitals[i + 1]);
      in_1251 += static_cast<char>(0xC0 + (((c & 0x1F) << 6) | (next & 0x3F)) - 0x410);
      i += 2;
    }
  }
  Feed loud = MustParse(
      "<rss version=\"2.0\"><channel><item><title>" + in_1251 + "</title></item></channel></rss>",
      "text/xml; charset=windows-1251");
  EXPECT_EQ(loud.encoding, "windows-1251");
  ASSERT_EQ(loud.entries.size(), 1u);
  EXPECT_EQ(loud.entries[0].title, capitals);
}

// A windows-1251 feed that declares its code page, served as Latin-1 (Apache's
// AddDefaultCharset): read by its declaration, bozo set, saying so; Latin-1 text under the
// same labels stays Latin-1.
TEST(CyrillicFeedTest, Windows1251DeclaredUnderALatin1HeaderIsReadByItsDeclaration) {
  for (const char* type :
       {"text/xml; charset=iso-8859-1", "application/rss+xml; charset=windows-1252"}) {
    Feed f = MustParse(FeedFixture("ru_windows1251.xml"), type);
    EXPECT_EQ(f.encoding, "windows-1251") << type;
    EXPECT_TRUE(f.bozo) << type;
    EXPECT_NE(f.bozo_reason.find("declares windows-1251"), std::string::npos) << f.bozo_reason;
    EXPECT_EQ(f.feed.title, kRuTitle) << type;
  }
  const std::string french =
      "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\"><channel><title>"
      "L'\xE9t\xE9 \xE0 Paris: caf\xE9s et th\xE9\xE2tres, la f\xEAte</title></channel></rss>";
  // Read as under that label from then on: a byte windows-1251 leaves undefined (0x98, half a
  // UTF-8 "И" pasted in) is U+FFFD, not a reason to fall back to Latin-1.
  std::string pasted = FeedFixture("ru_windows1251.xml");
  pasted.insert(pasted.find("</title>"), "\x98");
  Feed undefined = MustParse(pasted, "text/xml; charset=iso-8859-1");
  EXPECT_EQ(undefined.encoding, "windows-1251");
  EXPECT_EQ(undefined.feed.title, kRuTitle + std::string("\uFFFD"));
  Feed latin = MustParse(french, "text/xml; charset=iso-8859-1");
  EXPECT_EQ(latin.feed.title,
            "L'\u00e9t\u00e9 \u00e0 Paris: caf\u00e9s et th\u00e9\u00e2tres, la f\u00eate");
}

TEST(CyrillicFeedTest, KazakhInKz1048) {
  Feed f = MustParse(FeedFixture("kz_kz1048.xml"));
  EXPECT_EQ(f.encoding, "kz-1048");
  EXPECT_FALSE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kKzItem);
}

TEST(CyrillicFeedTest, KazakhLettersAsCharRefsInWindows1251) {
  Feed f = MustParse(FeedFixture("kz_charrefs_windows1251.xml"));
  EXPECT_EQ(f.encoding, "windows-1251");
  EXPECT_FALSE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kKzItem);
}

TEST(CyrillicFeedTest, UndeclaredCodePagesAreDetected) {
  Feed w = MustParse(FeedFixture("ru_undeclared_windows1251.xml"));
  EXPECT_EQ(w.encoding, "windows-1251");
  EXPECT_TRUE(w.bozo);  // not UTF-8 as an undeclared document must be
  EXPECT_EQ(w.feed.title, kRuTitle);
  Feed k = MustParse(FeedFixture("ru_undeclared_koi8r.xml"));
  EXPECT_EQ(k.encoding, "koi8-r");
  EXPECT_EQ(k.feed.title, kRuTitle);
}

// A windows-1251 feed with one byte that code page leaves undefined (0x98, here from a
// headline pasted in UTF-8: "МИД" is D0 9C D0 98 D0 94) is still windows-1251: that byte
// becomes U+FFFD, as WHATWG decoders do, rather than every headline turning to mojibake.
TEST(CyrillicFeedTest, AByteUndefinedInTheCodePageReplacesOnlyItself) {
  const std::string doc =
      "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\">"
      "<channel><title>" +
      Cp1251("Новости") + "</title><item><title>" + Cp1251("Глава государства провел встречу") +
      "</title></item><item><title>\xD0\x9C\xD0\x98\xD0\x94</title></item>"
      "</channel></rss>";
  Feed f = MustParse(doc);
  EXPECT_EQ(f.encoding, "windows-1251");
  EXPECT_TRUE(f.bozo);
  EXPECT_NE(f.bozo_reason.find("U+FFFD"), std::string::npos) << f.bozo_reason;
  EXPECT_EQ(f.feed.title, "Новости");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].title, "Глава государства провел встречу");
  EXPECT_EQ(f.entries[1].title, "РњР\uFFFDР”");
  // Many such bytes mean another code page under a wrong label (windows-1251 text said to be
  // windows-1253, which lacks Т and я): that is still guessed.
  const std::string greek =
      "<?xml version=\"1.0\" encoding=\"windows-1253\"?><rss><channel>"
      "<item><title>" +
      Cp1251("Тяжелая неделя для Тараза и Тамбова") + "</title></item></channel></rss>";
  EXPECT_EQ(MustParse(greek).encoding, "windows-1251");
  // The same bytes decoded directly: strictly invalid, so the caller can tell.
  std::string out;
  EXPECT_FALSE(TranscodeToUtf8("\x98", "windows-1251", &out));
}

// PHP prints its warnings ahead of the feed on many shared hosts: the feed is still read,
// in the charset its declaration names, and the warning says what was dropped.
TEST(CyrillicFeedTest, AServerWarningBeforeTheDeclarationIsDropped) {
  const std::string warning =
      "<br />\n<b>Notice</b>:  Undefined index: page in <b>/var/www/site/rss.php</b> on line "
      "<b>12</b><br />\n";
  Feed f = MustParse(warning + FeedFixture("ru_windows1251.xml"), "application/rss+xml");
  EXPECT_EQ(f.encoding, "windows-1251");
  EXPECT_TRUE(f.bozo);
  EXPECT_NE(f.bozo_reason.find("before the XML declaration"), std::string::npos) << f.bozo_reason;
  EXPECT_EQ(f.feed.title, kRuTitle);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kRuItem);
}

// A blank line before the declaration (a PHP include's) no longer hides the charset.
TEST(CyrillicFeedTest, WhiteSpaceBeforeTheDeclarationKeepsItsCharset) {
  for (const char* lead : {"\n", "\r\n", "  \n", "\xEF\xBB\xBF\n"}) {
    Feed f = MustParse(lead + FeedFixture("ru_windows1251.xml"), "application/rss+xml");
    EXPECT_EQ(f.encoding, "windows-1251") << lead;
    // Read by its declaration, not rescued by a guess after failing as UTF-8.
    EXPECT_EQ(f.bozo_reason.find("not valid"), std::string::npos) << f.bozo_reason;
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, kRuItem) << lead;
  }
}

// "<?xml" inside a feed that has no declaration is text, not a declaration behind junk,
// also under a prefixed root element.
TEST(CyrillicFeedTest, AnXmlDeclarationInsideTheFeedIsText) {
  Feed f = MustParse(testing::RssWithItem(
      "<title>T</title><description><![CDATA[<?xml version=\"1.0\"?> in a post]]>"
      "</description>"));
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "T");
  Feed a = MustParse(
      "<atom:feed xmlns:atom=\"http://www.w3.org/2005/Atom\"><atom:title>F</atom:title>"
      "<atom:entry><atom:title>One</atom:title><atom:content type=\"html\"><![CDATA[<?xml "
      "version=\"1.0\"?> quoted]]></atom:content></atom:entry>"
      "<atom:entry><atom:title>Two</atom:title></atom:entry></atom:feed>");
  ASSERT_EQ(a.entries.size(), 2u);
  EXPECT_EQ(a.entries[1].title, "Two");
}

// A site moved to UTF-8 while its server still says windows-1251: read as UTF-8 (with a
// warning), whatever its headlines hold. Decoded by the label it came out as "РџСЂР°...",
// unless a headline held a byte windows-1251 lacks.
TEST(CyrillicFeedTest, Utf8UnderASingleByteLabelIsReadAsUtf8) {
  const std::string doc =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
      "<title>Новости дня</title><item><title>" +
      std::string(kRuItem) + "</title></item></channel></rss>";
  for (const char* content_type :
       {"application/rss+xml; charset=windows-1251", "text/xml; charset=koi8-r"}) {
    Feed f = MustParse(doc, content_type);
    EXPECT_EQ(f.encoding, "utf-8") << content_type;
    EXPECT_TRUE(f.bozo) << content_type;
    EXPECT_NE(f.bozo_reason.find("but is UTF-8"), std::string::npos) << f.bozo_reason;
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, kRuItem) << content_type;
  }
}

// The same with an English headline and fewer than 8 UTF-8 characters (’ “ ” — é): what they
// decode to is typographic punctuation and letters, not the "вЂ™" windows-1251 makes of them.
TEST(CyrillicFeedTest, FewPlausibleUtf8CharactersUnderACyrillicLabelAreUtf8) {
  const std::string doc =
      "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\"><channel>"
      "<title>Kazinform English</title><item><title>Tokayev’s visit to “Astana Hub” — café"
      "</title></item></channel></rss>";
  Feed f = MustParse(doc);
  EXPECT_EQ(f.encoding, "utf-8");
  EXPECT_TRUE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "Tokayev’s visit to “Astana Hub” — café");
  // Cyrillic, Kazakh letters and guillemets too.
  Feed k = MustParse(
      "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><channel><item><title>"
      "The «Қос» bridge</title></item></channel></rss>");
  EXPECT_EQ(k.encoding, "utf-8");
  ASSERT_EQ(k.entries.size(), 1u);
  EXPECT_EQ(k.entries[0].title, "The «Қос» bridge");
  // windows-1251 text whose bytes happen to be valid UTF-8 as characters no Russian or English
  // text holds ("Ві" is C2 B3: U+00B3 ³; "Сѓ" is D1 83: U+0443 у, but "Ві" decides).
  const std::string legacy =
      "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><channel>"
      "<item><title>\xC2\xB3 \xD1\x83</title></item></channel></rss>";
  Feed l = MustParse(legacy);
  EXPECT_EQ(l.encoding, "windows-1251");
  ASSERT_EQ(l.entries.size(), 1u);
  EXPECT_EQ(l.entries[0].title, "Ві Сѓ");
}

TEST(CyrillicFeedTest, HttpCharsetBeatsWrongDeclaration) {
  std::string body =
      "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\">"
      "<channel><title>Новости</title></channel></rss>";
  Feed f = MustParse(body, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(f.encoding, "utf-8");
  EXPECT_EQ(f.feed.title, "Новости");
}

}  // namespace
}  // namespace newsd::parse
