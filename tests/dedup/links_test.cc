// Links and hashtags are found wherever they start, whatever the text around them.
#include "dedup/links.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newsd::dedup {
namespace {

std::string Strip(const std::string& text) {
  std::string buffer;
  return std::string(WithoutLinksAndHashtags(text, &buffer));
}

// The scan skips eight bytes at a time: a span must be found at every offset from the start,
// right before the end, and next to words full of 'h' and 'w' that start none.
TEST(LinksTest, FoundAtEveryOffsetAndCaseButWordsStay) {
  const std::vector<std::string> spans = {"https://t.me/kaznews/9931",
                                          "HTTP://E.COM/A",
                                          "www.site.kz/a",
                                          "WWW.SITE.KZ",
                                          "#новости",
                                          "#Hot_news"};
  const std::string filler = "which whom show how wow hh ww #1 C# ";
  for (const std::string& span : spans) {
    for (size_t n = 0; n <= filler.size(); ++n) {
      const std::string before = filler.substr(0, n);
      // Glued to what comes before ("C#https", "ww#tag") no span starts: SpanEnd's rule.
      if (!before.empty() && before.back() != ' ') continue;
      EXPECT_EQ(Strip(before + span + " тема"), before + "  тема") << span << " after " << n;
      EXPECT_EQ(Strip(before + span), before + " ") << span << " at the end after " << n;
    }
  }
  EXPECT_EQ(Strip(filler + "https://x.kz"), filler + " ");
  EXPECT_EQ(Strip("what which whom how: no link here, www"),
            "what which whom how: no link here, www");
}

}  // namespace
}  // namespace newsd::dedup
