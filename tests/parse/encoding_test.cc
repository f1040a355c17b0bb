#include "parse/encoding.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "parse/json.h"
#include "tests/parse/encoding_test_util.h"
#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::FeedFixture;
using testing::kRuItem;
using testing::kRuTitle;
using testing::MustParse;

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
