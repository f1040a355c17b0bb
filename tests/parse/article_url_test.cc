// ArticleUrlKey: one article page's links, however feeds tag them.
#include <gtest/gtest.h>

#include "parse/url.h"

namespace newsd::parse {
namespace {

TEST(ArticleUrlKeyTest, TrackingParametersAndTheFragmentGo) {
  const std::string key = ArticleUrlKey("https://dknews.kz/news/77001");
  EXPECT_EQ(key, "dknews.kz/news/77001");
  EXPECT_EQ(ArticleUrlKey("https://dknews.kz/news/77001?utm_source=rss&utm_medium=politics"), key);
  EXPECT_EQ(ArticleUrlKey("https://dknews.kz/news/77001?UTM_Campaign=x&fbclid=AbC#utm_source=rss"),
            key);
  EXPECT_EQ(ArticleUrlKey("https://dknews.kz/news/77001#"), key);
  EXPECT_EQ(ArticleUrlKey("https://dknews.kz/news/77001?yclid=1&_openstat=dGVzdA"), key);
  // Other parameters name the page: kept, in order.
  EXPECT_EQ(ArticleUrlKey("https://site.kz/index.php?utm_source=rss&id=5&lang=ru"),
            "site.kz/index.php?id=5&lang=ru");
  EXPECT_NE(ArticleUrlKey("https://site.kz/index.php?id=5"),
            ArticleUrlKey("https://site.kz/index.php?id=6"));
}

TEST(ArticleUrlKeyTest, SchemeMobileAndAmpVariantsAreOnePage) {
  const std::string key = ArticleUrlKey("https://www.tengrinews.kz/news/a-1/");
  EXPECT_EQ(key, "tengrinews.kz/news/a-1");
  for (const char* url :
       {"http://tengrinews.kz/news/a-1", "https://m.tengrinews.kz/news/a-1",
        "https://TengriNews.KZ:443/news/a-1", "https://tengrinews.kz/news/a-1/amp/",
        "https://tengrinews.kz/amp/news/a-1", "https://amp.tengrinews.kz/news/a-1?amp=1",
        "http://tengrinews.kz:80/news/a-1?amp"}) {
    EXPECT_EQ(ArticleUrlKey(url), key) << url;
  }
  // "m." is a prefix, not the name: "m.kz" stays itself; path case matters.
  EXPECT_EQ(ArticleUrlKey("https://m.kz/a"), "m.kz/a");
  EXPECT_NE(ArticleUrlKey("https://site.kz/News/1"), ArticleUrlKey("https://site.kz/news/1"));
}

// Found in review: these name other pages.
TEST(ArticleUrlKeyTest, FragmentsAndPagesNamedAmpThatNameAPageStay) {
  EXPECT_NE(ArticleUrlKey("https://site.kz/#!/news/1"), ArticleUrlKey("https://site.kz/#!/news/2"));
  EXPECT_NE(ArticleUrlKey("https://site.kz/rates#2026-12-06"),
            ArticleUrlKey("https://site.kz/rates#2026-12-07"));
  EXPECT_NE(ArticleUrlKey("https://site.kz/amp"), ArticleUrlKey("https://site.kz/"));
  EXPECT_EQ(ArticleUrlKey("https://site.kz/amp/"), "site.kz/amp");
  // No host: the URL itself, never the key of an empty link.
  EXPECT_EQ(ArticleUrlKey("https://#"), "https://#");
  EXPECT_EQ(ArticleUrlKey("https://?"), "https://?");
  EXPECT_EQ(ArticleUrlKey("http:///"), "http:///");
}

TEST(ArticleUrlKeyTest, OtherUrlsAreTheirOwnKey) {
  EXPECT_EQ(ArticleUrlKey(""), "");
  EXPECT_EQ(ArticleUrlKey("file:///tmp/a.xml?utm_source=x"), "file:///tmp/a.xml?utm_source=x");
  EXPECT_EQ(ArticleUrlKey("tag:dknews.kz,2024:1"), "tag:dknews.kz,2024:1");
  EXPECT_EQ(ArticleUrlKey("https://"), "https://");
}

}  // namespace
}  // namespace newsd::parse
