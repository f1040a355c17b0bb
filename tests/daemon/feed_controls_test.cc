#include "daemon/feed_controls.h"

#include <gtest/gtest.h>

#include <set>

namespace newsd::daemon {
namespace {

config::FeedConfig Declared(const std::string& id, bool enabled = true) {
  config::FeedConfig f;
  f.id = id;
  f.url = "https://example.com/" + id + ".xml";
  f.name = "Name " + id;
  f.interval = 1800;
  f.enabled = enabled;
  return f;
}

storage::FeedControl Added(const std::string& id, bool paused = false) {
  storage::FeedControl c;
  c.id = id;
  c.added = true;
  c.url = "https://added.example/" + id;
  c.interval = 600;
  c.paused = paused;
  return c;
}

TEST(EffectiveFeedsTest, TheFileStaysAuthoritativeAndPausesApplyToEveryFeed) {
  FeedControls controls;
  controls["a"] = Added("a");
  controls["b"] = Added("b", /*paused=*/true);
  controls["declared"] = Added("declared");  // the file declares it too: the file wins
  storage::FeedControl pause;
  pause.id = "paused-decl";
  pause.paused = true;
  controls["paused-decl"] = pause;
  std::vector<Shadowed> shadowed;
  std::vector<config::FeedConfig> feeds = EffectiveFeeds(
      {Declared("declared"), Declared("paused-decl"), Declared("off", false)}, controls, &shadowed);
  ASSERT_EQ(feeds.size(), 5u);
  EXPECT_EQ(feeds[0], Declared("declared"));
  EXPECT_FALSE(feeds[1].enabled) << "a paused declared feed is not polled";
  EXPECT_EQ(feeds[1].url, Declared("paused-decl").url);
  EXPECT_FALSE(feeds[2].enabled);
  EXPECT_EQ(feeds[3].id, "a");
  EXPECT_EQ(feeds[3].url, "https://added.example/a");
  EXPECT_EQ(feeds[3].name, "a") << "no name given: the id";
  EXPECT_EQ(feeds[3].interval, 600);
  EXPECT_TRUE(feeds[3].enabled);
  EXPECT_EQ(feeds[4].id, "b");
  EXPECT_FALSE(feeds[4].enabled);
  ASSERT_EQ(shadowed.size(), 1u);
  EXPECT_EQ(shadowed[0].id, "declared");
  EXPECT_EQ(shadowed[0].by, "declared");
}

TEST(EffectiveFeedsTest, AnAddedFeedWithTheUrlOfADeclaredOneIsNotPolledTwice) {
  FeedControls controls;
  controls["copy"] = Added("copy");
  controls["copy"].url = "https://EXAMPLE.com:443/decl.xml";  // declared's URL, spelt otherwise
  controls["other"] = Added("other");
  controls["other"].url = "https://example.com/off.xml";  // a disabled feed's: still its URL
  controls["fresh"] = Added("fresh");
  std::vector<Shadowed> shadowed;
  std::vector<config::FeedConfig> feeds =
      EffectiveFeeds({Declared("decl"), Declared("off", false)}, controls, &shadowed);
  ASSERT_EQ(feeds.size(), 3u);
  EXPECT_EQ(feeds[2].id, "fresh");
  ASSERT_EQ(shadowed.size(), 2u);
  EXPECT_EQ(shadowed[0].id, "copy");
  EXPECT_EQ(shadowed[0].by, "decl");
  EXPECT_EQ(shadowed[1].id, "other");
  EXPECT_EQ(shadowed[1].by, "off");
}

TEST(FeedControlsTest, OnlyHttpUrlsMayBeAddedAtRunTime) {
  EXPECT_TRUE(AddableUrl("https://example.com/rss"));
  EXPECT_TRUE(AddableUrl("http://127.0.0.1:8080/feed.xml"));
  EXPECT_FALSE(AddableUrl("file:///etc/passwd"));
  EXPECT_FALSE(AddableUrl("https:///nohost"));
  EXPECT_FALSE(AddableUrl("https://"));
  EXPECT_FALSE(AddableUrl("https://exa mple.com/"));
  EXPECT_FALSE(AddableUrl("gopher://example.com/"));
}

TEST(FeedControlsTest, DerivedIdsAreValidReadableAndUnique) {
  std::set<FeedId> taken;
  auto derive = [&](const std::string& url) {
    FeedId id = DeriveFeedId(url, [&](const FeedId& x) { return taken.count(x) != 0; });
    taken.insert(id);
    return id;
  };
  EXPECT_EQ(derive("https://www.example.com/rss/world.xml?utm=1#top"), "example.com-rss-world.xml");
  EXPECT_EQ(derive("https://example.com/rss/world.xml"), "example.com-rss-world.xml-2");
  EXPECT_EQ(derive("http://user@127.0.0.1:8080/"), "127.0.0.1");
  EXPECT_EQ(derive("http://[::1]:8765/x.xml"), "ipv6-1-x.xml");
  EXPECT_EQ(derive("http://[2001:db8::7]/rss"), "ipv6-2001-db8-7-rss");
  EXPECT_EQ(derive("https://кириллица.kz/лента"), "kz");
  const FeedId longest = derive("https://example.com/" + std::string(200, 'a'));
  EXPECT_TRUE(IsValidFeedId(longest)) << longest;
  EXPECT_LE(longest.size(), 64u);
}

}  // namespace
}  // namespace newsd::daemon
