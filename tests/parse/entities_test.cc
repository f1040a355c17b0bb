#include "parse/entities.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::MustParse;
using testing::RssWithItem;

TEST(EntitiesTest, LookupTable) {
  EXPECT_EQ(LookupHtmlEntity("eacute"), U'\u00E9');
  EXPECT_EQ(LookupHtmlEntity("nbsp"), U'\u00A0');
  EXPECT_EQ(LookupHtmlEntity("hellip"), U'\u2026');
  EXPECT_EQ(LookupHtmlEntity("Eacute"), U'\u00C9');
  EXPECT_FALSE(LookupHtmlEntity("notanentity"));
}

TEST(EntitiesTest, DecodeCharRef) {
  EXPECT_EQ(DecodeCharRef("#233"), U'\u00E9');
  EXPECT_EQ(DecodeCharRef("#xE9"), U'\u00E9');
  EXPECT_EQ(DecodeCharRef("#x110000"), U'\uFFFD');
  EXPECT_FALSE(DecodeCharRef("#xZZ"));
}

TEST(EntitiesTest, HtmlUnescapingDecodesOnlyWholeShortReferences) {
  std::string out = "kept ";
  AppendHtmlUnescaped("a &amp; b &eacute;t&eacute; &#x44F; &nosuch; & c&d", &out);
  EXPECT_EQ(out, "kept a & b \u00E9t\u00E9 \u044F &nosuch; & c&d");
  out.clear();
  AppendHtmlUnescaped("&thetasym;&#x0000044F;&#0000000065;", &out);  // 10 digits: too many
  EXPECT_EQ(out, "\u03D1\u044F&#0000000065;");
  // Many '&' and no ';' (read once each, not to the end of the text every time).
  out.clear();
  const std::string many(200000, '&');
  AppendHtmlUnescaped(many, &out);
  EXPECT_EQ(out, many);
}

TEST(EntitiesTest, HtmlEntityInXmlIsDecodedAndBozo) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><title>caf&eacute;&nbsp;bar</title></channel></rss>");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.feed.title, "café\u00A0bar");
}

TEST(EntitiesTest, NumericReferencesAreNotBozo) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><title>&#233;&#x2014;&amp;&lt;</title></channel></rss>");
  EXPECT_FALSE(f.bozo);
  EXPECT_EQ(f.feed.title, "é—&<");
}

// "&#X41;" is no XML reference (the x is lower-case there) but HTML's: read, and bozo.
TEST(EntitiesTest, UpperCaseHexReferenceIsReadAndBozo) {
  Feed f =
      MustParse("<rss version=\"2.0\"><channel><title>&#X41;&#x42;&#X430;</title></channel></rss>");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.feed.title, "AB\u0430");
  Feed c1 = MustParse("<rss version=\"2.0\"><channel><title>&#X93;q&#X94;</title></channel></rss>");
  EXPECT_TRUE(c1.bozo);
  EXPECT_EQ(c1.feed.title, "\u201Cq\u201D");
}

TEST(EntitiesTest, BareAmpersandRecovered) {
  Feed f = MustParse(
      "<rss version=\"2.0\"><channel><title>Fish & Chips &copy=2</title>"
      "</channel></rss>");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.feed.title, "Fish & Chips &copy=2");
}

TEST(EntitiesTest, DoctypeDeclaredEntitiesAreExpanded) {
  Feed f = MustParse(
      "<!DOCTYPE rss [<!ENTITY who \"World\">]><rss version=\"2.0\"><channel>"
      "<title>Hello &who;</title></channel></rss>");
  EXPECT_FALSE(f.bozo);
  EXPECT_EQ(f.feed.title, "Hello World");
}

TEST(EntitiesTest, DeclaredEntitiesNamingEntitiesAreExpandedInTurn) {
  Feed f = MustParse(
      "<!DOCTYPE rss [<!ENTITY a \"bogus \"><!ENTITY b \"&a;&a;\"><!ENTITY c \"&b;&amp;&b;\">"
      "]><rss version=\"2.0\"><channel><title>&c;</title></channel></rss>");
  EXPECT_FALSE(f.bozo);
  EXPECT_EQ(f.feed.title, "bogus bogus &bogus bogus");  // titles are trimmed
}

TEST(EntitiesTest, BillionLaughsIsCutShortAndFlagged) {
  // Seven levels of ten references each: 2 MB of "ha", within the depth limit, past the
  // bound on expansion (1 MiB plus 8 times this small document).
  std::string dtd = "<!ENTITY l0 \"ha\">";
  for (int i = 1; i <= 6; ++i) {
    std::string refs;
    for (int k = 0; k < 10; ++k) refs += "&l" + std::to_string(i - 1) + ";";
    dtd += "<!ENTITY l" + std::to_string(i) + " \"" + refs + "\">";
  }
  Feed f = MustParse("<!DOCTYPE rss [" + dtd +
                     "]><rss version=\"2.0\"><channel><title>&l6;</title>"
                     "<item><title>kept</title></item></channel></rss>");
  EXPECT_TRUE(f.bozo);
  const std::string title = f.feed.title.value_or("");
  EXPECT_GT(title.size(), size_t{100'000}) << "expanded until the bound";
  EXPECT_LE(title.size(), (size_t{1} << 20) + 8 * (dtd.size() + 200));
  EXPECT_EQ(title.substr(0, 6), "hahaha");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "kept");
}

TEST(EntitiesTest, AnEntityUsedInEveryItemIsExpandedEverywhere) {
  const std::string footer(2000, 'f');
  std::string items;
  for (int i = 0; i < 600; ++i) items += "<item><description>&footer;</description></item>";
  Feed f =
      MustParse("<!DOCTYPE rss [<!ENTITY footer \"" + footer +
                "\">]><rss version=\"2.0\"><channel><title>t</title>" + items + "</channel></rss>");
  EXPECT_FALSE(f.bozo) << f.bozo_reason;
  ASSERT_EQ(f.entries.size(), 600u);
  EXPECT_EQ(f.entries[599].summary, footer);
}

TEST(EntitiesTest, EntityNamingItselfStopsAtTheDepthLimit) {
  Feed f = MustParse(
      "<!DOCTYPE rss [<!ENTITY self \"x&self;\">]><rss version=\"2.0\"><channel>"
      "<title>&self;</title></channel></rss>");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.feed.title, std::string(8, 'x'));
}

TEST(EscapingTest, CdataAndEscapedMarkupGiveTheSameHtml) {
  Feed a = MustParse(RssWithItem("<description><![CDATA[<p>a &amp; b</p>]]></description>"));
  Feed b = MustParse(RssWithItem("<description>&lt;p&gt;a &amp;amp; b&lt;/p&gt;</description>"));
  EXPECT_EQ(a.entries[0].summary, "<p>a &amp; b</p>");
  EXPECT_EQ(a.entries[0].summary, b.entries[0].summary);
}

TEST(EscapingTest, NakedMarkupIsKeptAsHtml) {
  Feed f =
      MustParse(RssWithItem("<description><p>Naked <b>markup</b> &amp; text</p>"
                            "</description>"));
  EXPECT_FALSE(f.bozo);
  EXPECT_EQ(f.entries[0].summary, "<p>Naked <b>markup</b> &amp; text</p>");
}

TEST(EscapingTest, Windows1252ControlsAreDemoronized) {
  Feed f = MustParse(RssWithItem("<description>don\xC2\x92t &#150;</description>"));
  EXPECT_EQ(f.entries[0].summary, "don\u2019t \u2013");
}

}  // namespace
}  // namespace newsd::parse
