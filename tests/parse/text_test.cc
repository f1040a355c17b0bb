#include "parse/text.h"

#include <gtest/gtest.h>

namespace newsd::parse {
namespace {

TEST(HtmlToTextTest, StripsTagsAndDecodesEntities) {
  EXPECT_EQ(HtmlToText("<b>Fish</b> &amp; <i>chips</i> &eacute;&#233;"), "Fish & chips éé");
}

TEST(HtmlToTextTest, BlocksBecomeParagraphBreaks) {
  EXPECT_EQ(HtmlToText("<p>One</p><p>Two<br>Three</p><ul><li>a</li><li>b</li></ul>"),
            "One\n\nTwo\n\nThree\n\na\n\nb");
}

TEST(HtmlToTextTest, CollapsesWhitespaceAndDropsScripts) {
  EXPECT_EQ(HtmlToText("  a \n\t b <script>var x = '<p>';</script><style>p{}</style> c "), "a b c");
  EXPECT_EQ(HtmlToText("<!-- hidden --><div>shown</div>"), "shown");
}

TEST(HtmlToTextTest, PlainTextAndStrayBrackets) {
  EXPECT_EQ(HtmlToText("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
  EXPECT_EQ(HtmlToText(""), "");
  EXPECT_EQ(HtmlToText("Привет,&nbsp;мир"), "Привет,\u00A0мир");
}

// Plain text is told from HTML, so that an import's text keeps its paragraphs on display.
TEST(LooksLikeHtmlTest, TagsOfElementsAndReferencesAreHtmlTickersAreNot) {
  for (const char* html : {"<p>One</p>", "a<br/>b", "a<br>b", "see </div>", "<A HREF=\"x\">x</A>",
                           "Fish &amp; chips", "an em dash &#8212;", "<img src=x>"}) {
    EXPECT_TRUE(LooksLikeHtml(html)) << html;
  }
  for (const char* plain :
       {"British Petroleum Co Plc <BP>, which owns", "Standard Oil <SRD> to form",
        "1 < 2 and 3 > 2", "One.\n\nTwo.", "AT&T and P&G", "a <b", "", "x &amp"}) {
    EXPECT_FALSE(LooksLikeHtml(plain)) << plain;
  }
}

}  // namespace
}  // namespace newsd::parse
