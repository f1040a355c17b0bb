#include "parse/encoding.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>

#include "parse/json.h"
#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::FeedFixture;
using testing::MustParse;
using testing::RssWithItem;

constexpr char kRuTitle[] = "Новости дня";
constexpr char kRuItem[] = "Правительство утвердило бюджет — «ключевые» решения";
constexpr char kKzItem[] = "Қазақстан Үкіметі жаңа бағдарламаны бекітті";

TEST(DecodeToUtf8Test, CharsetFromContentType) {
  EXPECT_EQ(CharsetFromContentType("text/xml; charset=KOI8-R"), "koi8-r");
  EXPECT_EQ(CharsetFromContentType("application/xml;charset= \"us-ascii\""), "us-ascii");
  EXPECT_EQ(CharsetFromContentType("application/atom+xml;charset='gb2312'"), "gb2312");
  EXPECT_EQ(CharsetFromContentType("application/xml"), "");
}

TEST(DecodeToUtf8Test, XmlDeclEncoding) {
  EXPECT_EQ(XmlDeclEncoding("<?xml version=\"1.0\" encoding=\"Windows-1251\"?><rss/>"),
            "windows-1251");
  EXPECT_EQ(XmlDeclEncoding("<?xml version='1.0' encoding='koi8-r'?>"), "koi8-r");
  EXPECT_EQ(XmlDeclEncoding("<rss/>"), "");
}

TEST(DecodeToUtf8Test, Utf8BomIsStripped) {
  std::string_view body = "\xEF\xBB\xBF<rss/>";
  Decoded d = DecodeToUtf8(body, "");
  EXPECT_EQ(d.encoding, "utf-8");
  EXPECT_EQ(d.Text(body), "<rss/>");
  EXPECT_FALSE(d.bozo);
}

TEST(DecodeToUtf8Test, Utf16WithAndWithoutBom) {
  std::string le("\xFF\xFE<\0r\0/\0>\0", 10);
  Decoded d = DecodeToUtf8(le, "");
  EXPECT_EQ(d.encoding, "utf-16le");
  EXPECT_EQ(d.utf8, "<r/>");
  std::string be("\0<\0r\0/\0>", 8);
  d = DecodeToUtf8(be, "");
  EXPECT_EQ(d.encoding, "utf-16be");
  EXPECT_EQ(d.utf8, "<r/>");
}

TEST(DecodeToUtf8Test, HttpCharsetOverridesDeclaration) {
  Decoded d = DecodeToUtf8("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><r/>",
                           "application/xml; charset=utf-8");
  EXPECT_EQ(d.encoding, "utf-8");
  EXPECT_FALSE(d.bozo);
}

TEST(DecodeToUtf8Test, WrongUtf16HttpCharsetIsIgnored) {
  Decoded d = DecodeToUtf8("<rss/>", "application/xml; charset=utf-16");
  EXPECT_TRUE(d.bozo);
  EXPECT_EQ(d.encoding, "utf-8");
  EXPECT_EQ(d.Text("<rss/>"), "<rss/>");
}

// UTF-16 without a BOM under a server's charset=utf-8: its bytes ("<", 0, "?", 0) say what
// it is, and are no UTF-8 XML.
TEST(DecodeToUtf8Test, Utf16WithoutBomUnderAWrongHttpCharsetIsReadAsUtf16) {
  std::string body;
  for (char c : std::string("<?xml version=\"1.0\"?><rss/>")) body += {c, '\0'};
  Decoded d = DecodeToUtf8(body, "text/xml; charset=utf-8");
  EXPECT_TRUE(d.bozo);
  EXPECT_EQ(d.encoding, "utf-16le");
  EXPECT_EQ(d.Text(body), "<?xml version=\"1.0\"?><rss/>");
}

TEST(DecodeToUtf8Test, TextXmlWithoutCharsetIsAscii) {
  Decoded d = DecodeToUtf8("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><r/>", "text/xml");
  EXPECT_EQ(d.encoding, "us-ascii");
  // So is any text/ type, as feedparser reads them (bozo: no XML type); not others.
  for (const char* type : {"text/html", " Text/Plain"}) {
    d = DecodeToUtf8("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><r/>", type);
    EXPECT_EQ(d.encoding, "us-ascii") << type;
    EXPECT_TRUE(d.bozo) << type;
  }
  d = DecodeToUtf8("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><r/>", "application/json");
  EXPECT_EQ(d.encoding, "iso-8859-1");
  d = DecodeToUtf8("<?xml version=\"1.0\" encoding=\"utf-8\"?><r>\xc3\xa9</r>", "text/html");
  EXPECT_EQ(d.encoding, "utf-8") << "other bytes: the declaration";
  // A 7-bit encoding that is no ASCII is read by its declaration: "ニュース" in ISO-2022-JP.
  const std::string jp =
      "<?xml version=\"1.0\" encoding=\"iso-2022-jp\"?><rss version=\"2.0\"><channel><title>"
      "\x1b$B%K%e!<%9\x1b(B</title></channel></rss>";
  for (const char* type : {"text/html", "text/xml", "application/rss+xml"}) {
    Feed f = MustParse(jp, type);
    EXPECT_EQ(f.feed.title, "\u30CB\u30E5\u30FC\u30B9") << type;
  }
}

// text/xml without a charset is us-ascii only for ASCII bytes (RFC 3023); a document with
// others is read by its declaration, without a warning (RFC 7303, and nginx's default type).
TEST(DecodeToUtf8Test, TextXmlWithOtherBytesFollowsTheDeclaration) {
  Feed f = MustParse(FeedFixture("ru_windows1251.xml"), "text/xml");
  EXPECT_EQ(f.encoding, "windows-1251");
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kRuItem);
  Feed u = MustParse(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
      "<title>Новости дня</title></channel></rss>",
      "text/xml");
  EXPECT_EQ(u.encoding, "utf-8");
  EXPECT_FALSE(u.bozo) << u.bozo_reason;
  EXPECT_EQ(u.feed.title, kRuTitle);
}

TEST(DecodeToUtf8Test, MislabelledUtf8IsBozoAndStillDecoded) {
  // "Привет" in windows-1251, declared as UTF-8.
  Decoded d = DecodeToUtf8(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><r>\xCF\xF0\xE8\xE2\xE5\xF2 \xEC\xE8\xF0</r>", "");
  EXPECT_TRUE(d.bozo);
  EXPECT_TRUE(IsValidUtf8(d.utf8));
}

TEST(DecodeToUtf8Test, Latin1LabelsReadWindows1252Punctuation) {
  Decoded d = DecodeToUtf8("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><r>\x93q\x94</r>", "");
  EXPECT_NE(d.utf8.find("\u201Cq\u201D"), std::string::npos);
}

TEST(IsValidUtf8Test, RejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("plain ascii and Қазақ"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));       // truncated
}

TEST(TruncateUtf8Test, NeverSplitsACharacter) {
  std::string s = "ЖЖЖ";  // 2 bytes each
  EXPECT_TRUE(TruncateUtf8(&s, 5));
  EXPECT_EQ(s, "ЖЖ");
  EXPECT_FALSE(TruncateUtf8(&s, 100));
}

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

// Russian text (ASCII, А-я, Ёё) in windows-1251.
std::string Cp1251(std::string_view utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    const auto c2 = static_cast<unsigned char>(utf8[++i]);
    const unsigned cp = ((c & 0x1Fu) << 6) | (c2 & 0x3Fu);
    if (cp == 0x401) {
      out += '\xA8';
    } else if (cp == 0x451) {
      out += '\xB8';
    } else {
      EXPECT_TRUE(cp >= 0x410 && cp <= 0x44F) << cp;
      out += static_cast<char>(cp - 0x410 + 0xC0);
    }
  }
  return out;
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

// Labels that CMSs write and no registry has.
TEST(EncodingLabelsTest, SloppyWindowsAndKoi8LabelsDecode) {
  std::string doc = FeedFixture("ru_windows1251.xml");
  const std::string declared = "encoding=\"windows-1251\"";
  const size_t at = doc.find(declared);
  ASSERT_NE(at, std::string::npos);
  for (const char* label : {"win-1251", "windows1251", "cp-1251", "win1251", "1251", "WIN_1251"}) {
    std::string relabelled = doc;
    relabelled.replace(at, declared.size(), std::string("encoding=\"") + label + "\"");
    Feed f = MustParse(relabelled);
    EXPECT_FALSE(f.bozo) << label << ": " << f.bozo_reason;
    ASSERT_EQ(f.entries.size(), 1u) << label;
    EXPECT_EQ(f.entries[0].title, kRuItem) << label;
  }
  std::string koi8 = FeedFixture("ru_undeclared_koi8r.xml");
  koi8.replace(0, koi8.find("?>"), "<?xml version=\"1.0\" encoding=\"koi8\"");
  Feed k = MustParse(koi8);
  EXPECT_FALSE(k.bozo) << k.bozo_reason;
  EXPECT_EQ(k.feed.title, kRuTitle);
}

TEST(EncodingLabelsTest, AnUnknownLabelIsNamedAndTheTextGuessed) {
  std::string doc = FeedFixture("ru_windows1251.xml");
  const std::string declared = "encoding=\"windows-1251\"";
  doc.replace(doc.find(declared), declared.size(), "encoding=\"foo-cyr\"");
  Feed f = MustParse(doc);
  EXPECT_TRUE(f.bozo);
  EXPECT_NE(f.bozo_reason.find("unknown charset \"foo-cyr\""), std::string::npos) << f.bozo_reason;
  EXPECT_EQ(f.encoding, "windows-1251");
  EXPECT_EQ(f.feed.title, kRuTitle);
}

// A feed of short headlines under long links, windows-1251 served as UTF-8: the guess looks
// at the text, not at the markup, so the headlines come out readable.
TEST(EncodingDetectTest, HeadlinesAreJudgedWithoutTheirMarkup) {
  std::string doc = "<rss version=\"2.0\"><channel><title>" + Cp1251("Лента") + "</title>";
  const char* headlines[] = {"Курс тенге", "Погода в Астане", "Новый аэропорт", "Цены на бензин"};
  for (int i = 0; i < 12; ++i) {
    doc += "<item><title>" + Cp1251(headlines[i % 4]) +
           "</title><link>https://www.example-news-agency.kz/ru/news/politics/2026/12/02/"
           "article-with-a-long-slug-" +
           std::to_string(i) + ".html?utm_source=rss&amp;utm_medium=feed</link></item>";
  }
  doc += "</channel></rss>";
  Feed f = MustParse(doc, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(f.encoding, "windows-1251");
  ASSERT_EQ(f.entries.size(), 12u);
  EXPECT_EQ(f.entries[1].title, "Погода в Астане");
}

// Kazakh in KZ-1048 with no label anywhere: its letters that windows-1251 would show as
// Macedonian and Ukrainian ones ("Ќазаќстан") tell the code page.
TEST(EncodingDetectTest, UndeclaredKazakhIsReadAsKz1048) {
  std::string doc = FeedFixture("kz_kz1048.xml");
  doc.erase(0, doc.find("<rss"));
  Feed f = MustParse(doc);
  EXPECT_EQ(f.encoding, "kz-1048");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kKzItem);
  // Russian text in windows-1251 stays windows-1251.
  Feed r = MustParse(FeedFixture("ru_undeclared_windows1251.xml"));
  EXPECT_EQ(r.encoding, "windows-1251");
}

// A label naming a code page the text is not in, which lacks a few of its bytes (Қ and қ in
// windows-1252, я in windows-1253): the bytes' own guess wins over the label read with U+FFFD.
TEST(EncodingDetectTest, AWrongLabelLackingAFewOfTheBytesIsStillGuessed) {
  std::string kz = FeedFixture("kz_kz1048.xml");
  kz.erase(0, kz.find("<rss"));
  Feed f = MustParse("<?xml version=\"1.0\" encoding=\"windows-1252\"?>" + kz);
  EXPECT_EQ(f.encoding, "kz-1048");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kKzItem);
  std::string ru = FeedFixture("ru_undeclared_windows1251.xml");
  ru.erase(0, ru.find("<rss"));
  Feed r = MustParse("<?xml version=\"1.0\" encoding=\"windows-1253\"?>" + ru);
  EXPECT_EQ(r.encoding, "windows-1251");
}

// `utf8` in the single-byte code page `charset`, through the code page's table as
// TranscodeToUtf8 reads it; characters it lacks become '?'.
std::string EncodeSingleByte(std::string_view utf8, std::string_view charset) {
  std::map<std::string, char> bytes;
  for (int b = 0x80; b <= 0xFF; ++b) {
    std::string ch;
    if (TranscodeToUtf8(std::string(1, static_cast<char>(b)), charset, &ch)) {
      bytes.emplace(ch, static_cast<char>(b));
    }
  }
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string ch(utf8.substr(i, len));
    auto it = bytes.find(ch);
    out += len == 1 ? ch : it != bytes.end() ? std::string(1, it->second) : "?";
    i += len;
  }
  return out;
}

// A Kazakh feed in KZ-1048 or PT154 whose server or declaration says windows-1251 decodes
// without error by the label, as "Ќазаќстан Їкіметі": its letters tell the code page.
TEST(EncodingDetectTest, KazakhLabelledWindows1251IsReadInItsCodePage) {
  const std::string utf8 = RssWithItem(
      "<title>" + std::string(kKzItem) +
      "</title><description>Үкімет өңірлерді дамытудың жаңа бағдарламасын бекітті. Құжатқа "
      "сәйкес жұмыс үш жылға созылады, деп хабарлады министрлік.</description>");
  for (const char* charset : {"kz-1048", "ptcp154"}) {
    SCOPED_TRACE(charset);
    const std::string doc = EncodeSingleByte(utf8, charset);
    Feed in_decl = MustParse("<?xml version=\"1.0\" encoding=\"windows-1251\"?>" + doc);
    Feed in_header = MustParse(doc, "application/rss+xml; charset=cp1251");
    for (const Feed* f : {&in_decl, &in_header}) {
      EXPECT_EQ(f->encoding, charset);
      EXPECT_TRUE(f->bozo);
      EXPECT_NE(f->bozo_reason.find("letters are Kazakh"), std::string::npos) << f->bozo_reason;
      ASSERT_EQ(f->entries.size(), 1u);
      EXPECT_EQ(f->entries[0].title, kKzItem);
    }
  }
}

// Texts in windows-1251 with letters of one of those kinds only, or one of each, keep the
// label: Ukrainian (ї є ґ), Serbian (ј љ њ), a Russian item naming "Києва" and "Јовановић",
// Serbian naming "Київ" and "Україна", and Serbian and Macedonian with a sign next to a letter.
TEST(EncodingDetectTest, UkrainianOrSerbianInWindows1251KeepTheLabel) {
  for (const char* title :
       {"Київ готує реформу: уряд схвалив ґрунтовні зміни, єдині для всіх",
        "Влада Србије је најавила нове мере, рекао је Јовановић у Београду",
        "Вучич и Јовановић встретились с мэром Києва в Белграде",
        "Делегација из Київ (Україна) стигла је у Београд, где је Влада Србије најавила нове мере "
        "за јачање сарадње и размену искустава о развоју",
        "Вести¦Србија: Влада је најавила нове мере за јачање привреде",
        "Водата во Скопје содржи 5 µг/л олово, а ќерката на министерот ќе ја отвори новата "
        "пречистителна станица"}) {
    SCOPED_TRACE(title);
    const std::string doc =
        EncodeSingleByte("<?xml version=\"1.0\" encoding=\"windows-1251\"?>" +
                             RssWithItem("<title>" + std::string(title) + "</title>"),
                         "windows-1251");
    Feed f = MustParse(doc);
    EXPECT_EQ(f.encoding, "windows-1251");
    EXPECT_FALSE(f.bozo) << f.bozo_reason;
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, title);
  }
}

// `doc` with the encoding its XML declaration names replaced by `label`, or dropped for "".
std::string Redeclared(std::string doc, std::string_view label) {
  const size_t at = doc.find(" encoding=\"");
  const size_t end = doc.find('"', at + 11);
  EXPECT_NE(at, std::string::npos);
  doc.replace(at, end + 1 - at, label.empty() ? "" : " encoding=\"" + std::string(label) + "\"");
  return doc;
}

// An old Russian site whose feed says it is Latin-1 (its declaration, only its server's
// charset=, or both) while its bytes are windows-1251: read in windows-1251, not as
// "Ïðàâèòåëüñòâî", bozo set, saying what was declared and what was used.
TEST(CyrillicFeedTest, Windows1251DeclaringLatin1IsReadInItsCodePage) {
  const std::string doc = FeedFixture("ru_windows1251.xml");
  struct Case {
    std::string body;
    const char* content_type;
    const char* reason;
  } cases[] = {
      {Redeclared(doc, "iso-8859-1"), "", "declared as iso-8859-1"},
      {Redeclared(doc, "ISO-8859-1"), "application/rss+xml", "declared as iso-8859-1"},
      {Redeclared(doc, "windows-1252"), "", "declared as windows-1252"},
      {Redeclared(doc, ""), "text/xml; charset=latin1", "served as latin1"},
      {Redeclared(doc, "iso-8859-1"), "application/rss+xml; charset=ISO-8859-1",
       "served as iso-8859-1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    Feed f = MustParse(c.body, c.content_type);
    EXPECT_EQ(f.encoding, "windows-1251");
    EXPECT_TRUE(f.bozo);
    EXPECT_NE(f.bozo_reason.find(c.reason), std::string::npos) << f.bozo_reason;
    EXPECT_NE(f.bozo_reason.find("read as windows-1251"), std::string::npos) << f.bozo_reason;
    EXPECT_EQ(f.feed.title, kRuTitle);
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, kRuItem);
    EXPECT_NE(f.entries[0].summary->find("Ёлки, щи, ъ и ё"), std::string::npos);
  }
  // A byte windows-1251 leaves undefined (0x98, half a UTF-8 "И" pasted in) is U+FFFD.
  std::string pasted = Redeclared(doc, "iso-8859-1");
  pasted.insert(pasted.find("</title>"), "\x98");
  Feed f = MustParse(pasted);
  EXPECT_EQ(f.encoding, "windows-1251");
  EXPECT_NE(f.bozo_reason.find("U+FFFD"), std::string::npos) << f.bozo_reason;
  EXPECT_EQ(f.feed.title, kRuTitle + std::string("\uFFFD"));
}

// The same in KOI8-R: the letters' frequencies tell the code page, not a fixed windows-1251.
TEST(CyrillicFeedTest, Koi8rDeclaringLatin1IsReadAsKoi8r) {
  Feed f = MustParse(Redeclared(FeedFixture("ru_koi8r.xml"), "iso-8859-1"));
  EXPECT_EQ(f.encoding, "koi8-r");
  EXPECT_TRUE(f.bozo);
  EXPECT_NE(f.bozo_reason.find("read as koi8-r"), std::string::npos) << f.bozo_reason;
  EXPECT_EQ(f.feed.title, kRuTitle);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kRuItem);
}

// Ukrainian in KOI8-U declared iso-8859-1: its letters і ї є ґ (where KOI8-R draws boxes) read
// as such; and the word count goes on past an escaped tag left open ("&lt;img" with no "&gt;").
TEST(CyrillicFeedTest, Koi8uDeclaringLatin1IsReadAsKoi8u) {
  const std::string title = "У Києві відбулися збори громади щодо ремонту їхньої школи";
  const std::string summary =
      "&lt;img src=x Депутати міської ради підтримали проєкт, який передбачає ремонт "
      "шкільного їдальні та спортивного залу, повідомили у міській раді.";
  Feed f = MustParse(EncodeSingleByte(
      "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" +
          RssWithItem("<title>" + title + "</title><description>" + summary + "</description>"),
      "koi8-u"));
  EXPECT_EQ(f.encoding, "koi8-u");
  EXPECT_TRUE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, title);
}

// A short feed of one headline in capitals: windows-1251's capitals (0xC0-0xDF) are KOI8-R's
// small letters, yet the letters' frequencies still say windows-1251; and the reverse.
TEST(CyrillicFeedTest, OneHeadlineInCapitalsDeclaringLatin1IsReadInItsCodePage) {
  const std::string headline = "СРОЧНО: ПРАВИТЕЛЬСТВО УТВЕРДИЛО НОВЫЙ БЮДЖЕТ";
  for (const char* charset : {"windows-1251", "koi8-r"}) {
    SCOPED_TRACE(charset);
    Feed f = MustParse(EncodeSingleByte("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" +
                                            RssWithItem("<title>" + headline + "</title>"),
                                        charset));
    EXPECT_EQ(f.encoding, charset);
    EXPECT_TRUE(f.bozo);
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, headline);
  }
}

// A Kazakh feed in KZ-1048 or PT154 declared iso-8859-1: its Kazakh letters (at 0x80-0xBF,
// signs and controls in Latin-1) are read as such, not as windows-1251's "Ќазаќстан".
TEST(CyrillicFeedTest, KazakhDeclaringLatin1IsReadInItsCodePage) {
  const std::string utf8 =
      "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" +
      RssWithItem("<title>" + std::string(kKzItem) +
                  "</title><description>Үкімет өңірлерді дамытудың жаңа бағдарламасын бекітті. "
                  "Құжатқа сәйкес жұмыс үш жылға созылады, деп хабарлады министрлік."
                  "</description>");
  for (const char* charset : {"kz-1048", "ptcp154"}) {
    SCOPED_TRACE(charset);
    Feed f = MustParse(EncodeSingleByte(utf8, charset));
    EXPECT_EQ(f.encoding, charset);
    EXPECT_TRUE(f.bozo);
    EXPECT_NE(f.bozo_reason.find("declared as iso-8859-1"), std::string::npos) << f.bozo_reason;
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, kKzItem);
  }
}

// Latin-1 text keeps its label, without a warning, however many of its letters are 0xC0-0xFF:
// French, German, Icelandic and Faroese (þ ð æ ö ø), short words of accented letters only, an
// English text naming a Russian in windows-1251 bytes, and Greek in windows-1253.
TEST(CyrillicFeedTest, Latin1TextDeclaringLatin1KeepsItsLabel) {
  const char* texts[] = {
      "L'été à Paris: les cafés et les théâtres préparent la fête. Le président a déclaré "
      "mercredi que la réforme serait présentée à l'Assemblée après les élections régionales.",
      "Die Größe der Städte wächst schnell, sagte der Bürgermeister. Für die Übergangszeit "
      "müssen die Bürger höhere Gebühren zahlen. Außerdem wird die Straße gesperrt.",
      "Það er mikið að gerast á Íslandi í dag. Ríkisstjórnin hefur ákveðið að hækka skatta á "
      "þá sem eiga mest. Þjóðin er óánægð með þetta, sagði ráðherra. Tað er gott veður í "
      "Føroyum í dag, og Løgtingið hevur samtykt nýggja lóg. Øll eru boðin á Ólavsøku.",
      "À É Ó Á Í Ú Ý Æ Ø Ö Ä Ü. Ó, á í ú! Æ ø å ö. Í á ó ú ý. Ég á. Þú ó. À où é ó? Él é à í.",
      "ÉTÉ À PARIS: LES CAFÉS ET LES THÉÂTRES PRÉPARENT LA FÊTE. GRÖSSERE ÄNDERUNGEN FÜR "
      "ÜBERGRÖßE"};
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    for (const char* charset : {"iso-8859-1", "windows-1252"}) {
      const std::string doc = "<?xml version=\"1.0\" encoding=\"" + std::string(charset) + "\"?>" +
                              RssWithItem("<title>" + std::string(text) + "</title><description>" +
                                          text + "</description>");
      Feed f = MustParse(EncodeSingleByte(doc, "windows-1252"));
      EXPECT_EQ(f.encoding, charset);
      EXPECT_FALSE(f.bozo) << f.bozo_reason;
      ASSERT_EQ(f.entries.size(), 1u);
      EXPECT_EQ(f.entries[0].summary, text);
    }
  }
  // An English feed naming Vladimir Putin in windows-1251 bytes, however often: a name in
  // Cyrillic letters is no Cyrillic text. Nor is Greek, whose words are runs of high bytes too,
  // nor a French item under a Russian headline: its accented words are Latin-1's.
  const std::string name = Cp1251("Владимир Путин");
  const std::string english =
      RssWithItem("<title>" + name + " meets the press</title><description>President " + name +
                  " said on Tuesday that talks would resume next week. " + name +
                  " spoke to reporters after the meeting in the Kremlin, where " + name +
                  " and his guests discussed trade, energy and security.</description>");
  const std::string greek = EncodeSingleByte(
      RssWithItem("<title>Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία</title>"),
      "windows-1253");
  const std::string french = RssWithItem(
      "<title>" +
      EncodeSingleByte("Владимир Путин заявил: «Мы никогда не отступим»", "windows-1251") +
      "</title><description>R\xE9"
      "action tr\xE8s vive \xE0 l'\xE9tranger, \xE9"
      "crit Le Monde."
      "</description>");
  for (const std::string& body : {english, greek, french}) {
    Feed f = MustParse("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" + body);
    EXPECT_EQ(f.encoding, "iso-8859-1");
    EXPECT_FALSE(f.bozo) << f.bozo_reason;
  }
}

TEST(EncodingDetectTest, UndeclaredKazakhInPtcp154IsToldFromKz1048) {
  Feed f = MustParse(FeedFixture("kz_undeclared_ptcp154.xml"));
  EXPECT_EQ(f.encoding, "ptcp154");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kKzItem);
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

TEST(EncodingDetectTest, UndeclaredCjkAndThaiAreDetected) {
  struct Case {
    const char* file;
    const char* encoding;
    const char* title;
  } cases[] = {
      {"ja_undeclared_shift_jis.xml", "shift_jis",
       "ゲーム三昧な正月を過ごしました。今年もよろしくお願いします。"},
      {"ko_undeclared_euc_kr.xml", "euc-kr",
       "대한민국 정부는 새로운 정책을 발표했습니다. 경제 성장률이 증가했습니다."},
      {"zh_undeclared_big5.xml", "big5",
       "不歸移民漫畫系列：專業工作。台灣經濟快速發展，人民生活水平提高。"},
      {"th_undeclared_tis620.xml", "tis-620", "รัฐบาลไทยประกาศนโยบายใหม่เกี่ยวกับเศรษฐกิจและการศึกษา"},
  };
  for (const Case& c : cases) {
    Feed f = MustParse(FeedFixture(c.file));
    EXPECT_EQ(f.encoding, c.encoding) << c.file;
    EXPECT_TRUE(f.bozo) << c.file;  // undeclared and not UTF-8
    ASSERT_EQ(f.entries.size(), 1u) << c.file;
    EXPECT_EQ(f.entries[0].title, c.title) << c.file;
  }
}

// Feeds with no charset anywhere and bytes that are not UTF-8: the code page is guessed from
// the text's high bytes.
TEST(EncodingDetectTest, UndeclaredWindows1251IsFoundInMostlyEnglishText) {
  // One Russian sentence after two English ones: its letters are a fifth of the text's.
  const std::string text =
      "Markets closed higher on Tuesday as investors weighed new data on inflation and jobs. "
      "Analysts expect the central bank to hold rates steady next month. \xD0\xFB\xED\xEA\xE8 "
      "\xE7\xE0\xEA\xF0\xFB\xEB\xE8\xF1\xFC \xF0\xEE\xF1\xF2\xEE\xEC \xE2\xEE "
      "\xE2\xF2\xEE\xF0\xED\xE8\xEA.";
  Feed f = MustParse("<rss><channel><item><title>" + text + "</title></item></channel></rss>");
  EXPECT_EQ(f.encoding, "windows-1251");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_NE(f.entries[0].title->find("Рынки закрылись ростом во вторник."), std::string::npos)
      << *f.entries[0].title;
}

TEST(EncodingDetectTest, ShortLowerCaseRussianIsNotReadAsHebrew) {
  // Lower case only and none of ы ь э ю я: bytes 0xE0-0xFA, where windows-1255 has Hebrew.
  Feed f =
      MustParse(std::string("<rss><channel><item><title>") +
                "\xE2 \xE3\xEE\xF0\xEE\xE4\xE5 \xEF\xF0\xEE\xF8\xE5\xEB \xEC\xE8\xF2\xE8\xED\xE3" +
                "</title></item></channel></rss>");
  EXPECT_EQ(f.encoding, "windows-1251");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "в городе прошел митинг");
}

TEST(EncodingDetectTest, UndeclaredLatinTextWithAccentsStaysWindows1252) {
  const std::string text =
      "Die Gr\xF6\xDF"
      "e der St\xE4"
      "dte w\xE4"
      "chst schnell, sagte der B\xFCrgermeister. Le caf\xE9 \xE9tait tr\xE8s pr\xE8s de "
      "l\x92\xE9glise o\xF9 nous \xE9tions d\xE9j\xE0 all\xE9s. S\xE3o Paulo e a popula\xE7\xE3o "
      "n\xE3o param de crescer.";
  Feed f = MustParse("<rss><channel><item><title>" + text + "</title></item></channel></rss>");
  EXPECT_EQ(f.encoding, "windows-1252");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_NE(f.entries[0].title->find("Die Größe der Städte wächst"), std::string::npos);
  EXPECT_NE(f.entries[0].title->find("São Paulo e a população não param"), std::string::npos);
}

// A short Latin text's accented letters sit inside ASCII words: they are not Big5 pairs
// ("\xC4nderungen") nor a Cyrillic text ("caf\xE9 cr\xE8me" has more accents than letters
// around them).
TEST(EncodingDetectTest, ShortUndeclaredLatinTextIsNeitherCjkNorCyrillic) {
  Feed de = MustParse(std::string("<rss><channel><item><title>") +
                      "Gr\xF6\xDF"
                      "ere \xC4nderungen f\xFCr \xDC"
                      "bergr\xF6\xDF"
                      "e" +
                      "</title></item></channel></rss>");
  EXPECT_EQ(de.encoding, "windows-1252");
  ASSERT_EQ(de.entries.size(), 1u);
  EXPECT_EQ(de.entries[0].title, "Größere Änderungen für Übergröße");
  Feed fr = MustParse(std::string("<rss><channel><item><title>") +
                      "Le caf\xE9 cr\xE8me br\xFBl\xE9"
                      "e \xE0 c\xF4t\xE9 de l'h\xF4tel, o\xF9 \xE9t\xE9" +
                      "</title></item></channel></rss>");
  EXPECT_EQ(fr.encoding, "windows-1252");
  ASSERT_EQ(fr.entries.size(), 1u);
  EXPECT_EQ(fr.entries[0].title, "Le café crème brûlée à côté de l'hôtel, où été");
  // windows-1252's curly quotes inside English words are no Shift_JIS pairs either.
  Feed en = MustParse(std::string("<rss><channel><item><title>") +
                      "Trump\x92s allies say it\x92s time; she\x92s sure they\x92re right" +
                      "</title></item></channel></rss>");
  EXPECT_EQ(en.encoding, "windows-1252");
  ASSERT_EQ(en.entries.size(), 1u);
  EXPECT_EQ(en.entries[0].title, "Trump’s allies say it’s time; she’s sure they’re right");
}

// Said to be UTF-8 (charset= or the declaration), a text with as many UTF-8 characters as
// invalid bytes is UTF-8 with U+FFFD for those, as feedparser reads it; a text guessed to be
// another code page would be mojibake throughout.
TEST(EncodingDetectTest, LabelledUtf8WithAFewInvalidBytesStaysUtf8) {
  const std::string body = std::string("<rss><channel><item><description>") +
                           "\xC3\xA9\xC3\xA9\xC3\xA9 x \xE9\xE9\xE9" +
                           "</description></item></channel></rss>";
  Feed f = MustParse(body, "application/rss+xml; charset=utf-8");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.encoding, "utf-8");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].summary, "ééé x \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  // A windows-1251 text mislabelled UTF-8 has next to no UTF-8 characters: still guessed.
  Feed ru = MustParse(std::string("<rss><channel><item><title>") +
                          "\xC2 \xE3\xEE\xF0\xEE\xE4\xE5 \xEF\xF0\xEE\xF8\xE5\xEB "
                          "\xEC\xE8\xF2\xE8\xED\xE3 \xAB\xD2\xC0\xD1\xD1\xBB" +
                          "</title></item></channel></rss>",
                      "application/rss+xml; charset=utf-8");
  EXPECT_EQ(ru.encoding, "windows-1251");
  ASSERT_EQ(ru.entries.size(), 1u);
  EXPECT_EQ(ru.entries[0].title, "В городе прошел митинг «ТАСС»");
}

TEST(CyrillicFeedTest, HttpCharsetBeatsWrongDeclaration) {
  std::string body =
      "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\">"
      "<channel><title>Новости</title></channel></rss>";
  Feed f = MustParse(body, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(f.encoding, "utf-8");
  EXPECT_EQ(f.feed.title, "Новости");
}

TEST(EncodingFeedTest, OutputIsAlwaysValidUtf8) {
  std::string body = "<rss><channel><title>\xFF\xFE\x80 bad \xC3</title></channel></rss>";
  Feed f = MustParse(body);
  EXPECT_TRUE(f.bozo);
  ASSERT_TRUE(f.feed.title);
  EXPECT_TRUE(IsValidUtf8(*f.feed.title));
  EXPECT_TRUE(IsValidUtf8(ToSuiteJson(f)));
}

// Code-page names Python knows and glibc's iconv does not (feedparser's test_encoding labels),
// and code pages iconv lacks: byte 0x80 of each, declared in the XML declaration.
TEST(EncodingLabelsTest, LabelsIconvDoesNotKnowStillDecode) {
  const std::pair<const char*, const char*> cases[] = {
      {"cp_is", "\u00C7"},     {"csibm861", "\u00C7"}, {"maccentraleurope", "\u00C4"},
      {"maclatin2", "\u00C4"}, {"macgreek", "\u00C4"}, {"macturkish", "\u00C4"},
      {"maciceland", "\u00C4"}};
  for (const auto& [label, expected] : cases) {
    const std::string doc = std::string("<?xml version=\"1.0\" encoding=\"") + label +
                            "\"?><feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
                            "<title>\x80</title></feed>";
    Feed f = MustParse(doc);
    EXPECT_EQ(f.encoding, label);
    EXPECT_FALSE(f.bozo) << label << ": " << f.bozo_reason;
    EXPECT_EQ(f.feed.title, expected) << label;
  }
}

// An EBCDIC document ("<?xm" as 4C 6F A7 94) is read in the code page its declaration names.
TEST(EncodingLabelsTest, EbcdicDocumentsAreReadInTheirDeclaredCodePage) {
  const std::string doc(
      "\x4C\x6F\xA7\x94\x93\x40\xA5\x85\x99\xA2\x89\x96\x95\x7E\x7F\xF1"
      "\x4B\xF0\x7F\x40\x85\x95\x83\x96\x84\x89\x95\x87\x7E\x7F\x83\x97"
      "\xF5\xF0\xF0\x7F\x6F\x6E\x4C\x86\x85\x85\x84\x40\xA5\x85\x99\xA2"
      "\x89\x96\x95\x7E\x7F\xF0\x4B\xF3\x7F\x40\xA7\x94\x93\x95\xA2\x7E"
      "\x7F\x88\xA3\xA3\x97\x7A\x61\x61\x97\xA4\x99\x93\x4B\x96\x99\x87"
      "\x61\x81\xA3\x96\x94\x61\x95\xA2\x7B\x7F\x6E\x4C\xA3\x89\xA3\x93"
      "\x85\x6E\x80\x4C\x61\xA3\x89\xA3\x93\x85\x6E\x4C\x61\x86\x85\x85"
      "\x84\x6E",
      114);
  Feed f = MustParse(doc);
  EXPECT_EQ(f.encoding, "cp500");
  EXPECT_EQ(f.feed.title, "\u00D8");
}

}  // namespace
}  // namespace newsd::parse
