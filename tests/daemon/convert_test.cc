#include "daemon/convert.h"

#include <gtest/gtest.h>

#include "parse/parser.h"

namespace newsd::daemon {
namespace {

parse::Entry MakeEntry(std::optional<std::string> id, std::optional<std::string> link,
                       std::optional<std::string> title) {
  parse::Entry e;
  e.id = std::move(id);
  e.link = std::move(link);
  e.title = std::move(title);
  return e;
}

TEST(ConvertTest, ItemIdsComeFromGuidThenLinkThenTitle) {
  parse::Feed feed;
  feed.entries.push_back(MakeEntry("guid-1", "https://x/1", "A"));
  feed.entries.push_back(MakeEntry(std::nullopt, "https://x/2", "B"));
  feed.entries.push_back(MakeEntry(std::nullopt, std::nullopt, "C"));
  feed.entries.push_back(MakeEntry(std::nullopt, std::nullopt, std::nullopt));  // skipped
  auto articles = ToArticles(&feed, "tass", "TASS", 1000);
  ASSERT_EQ(articles.size(), 3u);
  EXPECT_EQ(articles[0].id, MakeItemId("tass", "guid-1"));
  EXPECT_EQ(articles[1].id, MakeItemId("tass", "https://x/2"));
  EXPECT_EQ(articles[2].id, MakeItemId("tass", "C\n"));
  EXPECT_EQ(articles[0].source, "TASS");
  EXPECT_EQ(articles[0].arrived, 1000);
}

// A CMS that puts the visitor's session into its links (PHPSESSID with trans_sid on) gives
// every poll new links: the item is the same one, under the same id, with the link without
// the session.
TEST(ConvertTest, SessionIdsInLinksAreNoPartOfTheItem) {
  auto id_and_url = [](const std::string& link, std::optional<std::string> guid) {
    parse::Feed feed;
    feed.entries.push_back(MakeEntry(std::move(guid), link, "Завод открыт"));
    std::vector<Article> articles = ToArticles(&feed, "bx", "Bitrix", 1000);
    return std::make_pair(articles.at(0).id, articles.at(0).url);
  };
  const auto plain = id_and_url("https://bx.kz/news/55/", std::nullopt);
  EXPECT_EQ(id_and_url("https://bx.kz/news/55/?PHPSESSID=a1b2c3", std::nullopt), plain);
  EXPECT_EQ(id_and_url("https://bx.kz/news/55/;jsessionid=0A1B2C", std::nullopt), plain);
  EXPECT_EQ(id_and_url("https://bx.kz/news/55/?phpsessid=x", "https://bx.kz/news/55/?phpsessid=x"),
            std::make_pair(MakeItemId("bx", "https://bx.kz/news/55/"),
                           std::string("https://bx.kz/news/55/")));
  // Other parameters stay, in their order, and so does a fragment.
  EXPECT_EQ(id_and_url("https://bx.kz/?id=55&PHPSESSID=a&ASPSESSIONIDQA=b&page=2#top", std::nullopt)
                .second,
            "https://bx.kz/?id=55&page=2#top");
  EXPECT_EQ(id_and_url("https://bx.kz/?sid=55", std::nullopt).second, "https://bx.kz/?sid=55");
  // A URL without a session parameter is left byte for byte (its item keeps its id), and a
  // path parameter ends at the next segment.
  for (const char* as_is : {"http://x.kz/a?", "http://x.kz/a?id=5&", "http://x.kz/?&a=1&&b=2",
                            "http://x.kz/a;v=2/b?c", "http://x.kz/?session_id=12"}) {
    EXPECT_EQ(id_and_url(as_is, std::nullopt).second, as_is);
  }
  EXPECT_EQ(id_and_url("http://x.kz/a;jsessionid=1/b?c", std::nullopt).second, "http://x.kz/a/b?c");
  EXPECT_EQ(id_and_url("http://x.kz/?&PHPSESSID=1&&b=2&", std::nullopt).second, "http://x.kz/?b=2");
  // Not a URL: a guid is left as it is.
  EXPECT_EQ(id_and_url("https://bx.kz/1", "tag:PHPSESSID=1").first,
            MakeItemId("bx", "tag:PHPSESSID=1"));
}

// A CMS that gives every item guid "0", or items that carry only a description (RSS 2.0
// allows it): each item is stored, none taken for another.
TEST(ConvertTest, ItemsWithASharedGuidOrOnlyATextAreToldApart) {
  parse::Feed feed;
  feed.entries.push_back(MakeEntry("0", "https://x/1", "Fire in Almaty"));
  feed.entries.push_back(MakeEntry("0", "https://x/2", "Tenge rate"));
  feed.entries.push_back(MakeEntry("g", "https://x/3", "Own guid"));
  for (const char* text : {"A short note without a title.", "Another note."}) {
    parse::Entry e = MakeEntry(std::nullopt, std::nullopt, std::nullopt);
    e.summary = text;
    e.published = 1000;
    feed.entries.push_back(e);
  }
  feed.entries.push_back(MakeEntry(std::nullopt, std::nullopt, std::nullopt));  // nothing: skipped
  // One item listed twice (same guid, same link): its guid stays its id.
  feed.entries.push_back(MakeEntry("twice", "https://x/9", "Listed twice"));
  feed.entries.push_back(MakeEntry("twice", "https://x/9", "Listed twice"));
  auto articles = ToArticles(&feed, "f", "F", 1000);
  ASSERT_EQ(articles.size(), 7u);
  EXPECT_EQ(articles[5].id, MakeItemId("f", "twice"));
  EXPECT_EQ(articles[6].id, MakeItemId("f", "twice"));
  EXPECT_EQ(articles[0].id, MakeItemId("f", "https://x/1"));
  EXPECT_EQ(articles[1].id, MakeItemId("f", "https://x/2"));
  EXPECT_EQ(articles[2].id, MakeItemId("f", "g"));
  EXPECT_NE(articles[3].id, articles[4].id);
  EXPECT_EQ(articles[3].text, "A short note without a title.");
  // The same response polled again gives the same ids.
  parse::Feed again;
  for (const char* text : {"A short note without a title.", "Another note."}) {
    parse::Entry e = MakeEntry(std::nullopt, std::nullopt, std::nullopt);
    e.summary = text;
    e.published = 1000;
    again.entries.push_back(e);
  }
  auto repolled = ToArticles(&again, "f", "F", 2000);
  ASSERT_EQ(repolled.size(), 2u);
  EXPECT_EQ(repolled[0].id, articles[3].id);
  EXPECT_EQ(repolled[1].id, articles[4].id);
}

// Two stories under one guid and one link (a bulletin's items, a CMS that links every item to
// its front page): each is stored under its title and date, none is lost as a repeat of the
// other; and stays so at the next poll.
TEST(ConvertTest, StoriesSharingAGuidAndALinkAreToldApartByTheirTitles) {
  auto response = [] {
    parse::Feed feed;
    feed.entries.push_back(MakeEntry("dupg", "https://x/", "Caspian sea level falls"));
    feed.entries.push_back(MakeEntry("dupg", "https://x/", "Kairat win the cup final"));
    feed.entries.push_back(MakeEntry(std::nullopt, "https://x/", "A third story"));
    for (parse::Entry& e : feed.entries) e.published = 5000;
    return feed;
  };
  parse::Feed feed = response();
  auto articles = ToArticles(&feed, "f", "F", 1000);
  ASSERT_EQ(articles.size(), 3u);
  EXPECT_EQ(articles[0].id, MakeItemId("f", "Caspian sea level falls\n5000"));
  EXPECT_EQ(articles[1].id, MakeItemId("f", "Kairat win the cup final\n5000"));
  EXPECT_EQ(articles[2].id, MakeItemId("f", "A third story\n5000"));
  parse::Feed again = response();
  auto repolled = ToArticles(&again, "f", "F", 2000);
  ASSERT_EQ(repolled.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(repolled[i].id, articles[i].id);
}

// A FeedBurner item's URL is the article's (feedburner:origLink), not the tracking redirect;
// its identity still comes from its guid or link.
TEST(ConvertTest, TheUrlIsFeedburnersOriginalLink) {
  parse::Feed feed;
  parse::Entry e = MakeEntry(std::nullopt, "http://feedproxy.google.com/~r/x/1", "A");
  e.orig_link = "https://x/1";
  feed.entries.push_back(e);
  auto articles = ToArticles(&feed, "f", "F", 1000);
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0].url, "https://x/1");
  EXPECT_EQ(articles[0].id, MakeItemId("f", "http://feedproxy.google.com/~r/x/1"));
}

// A link that runs code where a reader clicks it is stored as no link (a desk's tool would
// make it clickable); the item is kept, told apart by its guid.
TEST(ConvertTest, AScriptLinkIsNotStored) {
  parse::Feed feed;
  for (const char* link : {"javascript:alert(1)", " JavaScript:void(0)", "data:text/html,x"}) {
    parse::Entry e;
    e.id = std::string("g-") + link;
    e.title = "T";
    e.link = link;
    feed.entries.push_back(e);
  }
  parse::Entry fine;
  fine.id = "g";
  fine.link = "https://a.kz/1";
  feed.entries.push_back(fine);
  std::vector<Article> articles = ToArticles(&feed, "f", "F", 1000);
  ASSERT_EQ(articles.size(), 4u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(articles[i].url, "") << i;
  EXPECT_EQ(articles[3].url, "https://a.kz/1");
}

TEST(ConvertTest, BodyIsTheLongestOfContentAndSummary) {
  parse::Feed feed;
  parse::Entry e = MakeEntry("g", std::nullopt, "T");
  e.summary = "short";
  e.content.push_back({"<p>the full text, longer</p>", "text/html", std::nullopt});
  e.updated = 42;
  feed.entries.push_back(e);
  auto articles = ToArticles(&feed, "f", "F", 1000);
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0].text, "<p>the full text, longer</p>");
  EXPECT_EQ(articles[0].published, 42);  // updated stands in for a missing published
}

TEST(ConvertTest, AnEntryCutOffByATruncatedResponseIsNotStored) {
  // The last item ends mid-link: stored, it would keep that link (and no text) for good.
  parse::Input input;
  input.body =
      "<rss><channel><item><guid>g0</guid><link>http://e.com/0</link></item>"
      "<item><guid>g1</guid><link>http://e.com/1";
  Result<parse::Feed> feed = parse::Parse(input, parse::Options{});
  ASSERT_TRUE(feed.has_value());
  ASSERT_EQ(feed->entries.size(), 2u);
  auto articles = ToArticles(&*feed, "f", "F", 1000);
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0].id, MakeItemId("f", "g0"));
}

}  // namespace
}  // namespace newsd::daemon
