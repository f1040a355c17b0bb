#include "core/redact.h"

#include <gtest/gtest.h>

namespace newsd {
namespace {

TEST(RedactPasswordsTest, HidesThePasswordAndKeepsTheUser) {
  EXPECT_EQ(RedactPasswords("https://desk:s3cret@news.example/feed.xml"),
            "https://desk:***@news.example/feed.xml");
  EXPECT_EQ(RedactPasswords("http://a:b@h:8080"), "http://a:***@h:8080");
}

TEST(RedactPasswordsTest, EveryUrlInAMessage) {
  EXPECT_EQ(RedactPasswords("feed moved permanently: https://u:p1@old.example/rss -> "
                            "https://u:p2@new.example/rss (confirmed 3 times)"),
            "feed moved permanently: https://u:***@old.example/rss -> "
            "https://u:***@new.example/rss (confirmed 3 times)");
  EXPECT_EQ(RedactPasswords("HTTP 410 from \"http://x:y@h/gone\""),
            "HTTP 410 from \"http://x:***@h/gone\"");
}

TEST(RedactPasswordsTest, PasswordsWithAtSignsAndColons) {
  // The user info ends at the authority's last '@'; the password starts after its first ':'.
  EXPECT_EQ(RedactPasswords("https://me:p@ss:w@rd@host/x"), "https://me:***@host/x");
}

TEST(RedactPasswordsTest, QuotesAndAnglesInAPasswordAndUrlsBackToBack) {
  EXPECT_EQ(RedactPasswords("url=http://desk:it'sSEKRIT@h:1/x"), "url=http://desk:***@h:1/x");
  EXPECT_EQ(RedactPasswords("http://a:q<b>\"c@h/x"), "http://a:***@h/x");
  EXPECT_EQ(RedactPasswords("https://a:b@h1,https://c:d@h2/x"),
            "https://a:***@h1,https://c:***@h2/x");
}

TEST(WithoutUserInfoTest, DropsUserAndPassword) {
  EXPECT_EQ(WithoutUserInfo("https://desk:s3cret@news.example/rss/feed.xml"),
            "https://news.example/rss/feed.xml");
  EXPECT_EQ(WithoutUserInfo("http://desk@h:8080/?q=a@b"), "http://h:8080/?q=a@b");
  EXPECT_EQ(WithoutUserInfo("https://news.example/a@b"), "https://news.example/a@b");
  EXPECT_EQ(WithoutUserInfo("file:///var/feeds/a.xml"), "file:///var/feeds/a.xml");
}

TEST(RedactPasswordsTest, LeavesEverythingElseAlone) {
  for (const char* text :
       {"https://news.example/feed.xml", "https://user@host/feed", "https://user:@host/x",
        "https://host/path?mail=a:b@c", "https://host/a:b@c", "no url here: a:b@c", "",
        "file:///var/feeds/a.xml", "https://[::1]:8080/feed"}) {
    EXPECT_EQ(RedactPasswords(text), text);
  }
}

}  // namespace
}  // namespace newsd
