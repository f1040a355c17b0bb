// Ingestor: staging, copies joining their stories, background commits.

#include "daemon/ingest.h"

#include <gtest/gtest.h>

#include "tests/daemon/ingest_test_util.h"

namespace newsd::daemon {
namespace {

TEST_F(IngestTest, CopiesJoinTheFirstStoryAndEverythingIsCommittedTogether) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", std::string("(Agency) - ") + kStory, 1100)).ok());
  ASSERT_TRUE(ingest.Stage(Make("c1", "outlet", kOther, 1200)).ok());
  storage::FeedState feed;
  feed.id = "outlet";
  feed.etag = "\"v1\"";
  ingest.StageFeed(feed);
  ASSERT_TRUE(ingest.Commit().ok());

  auto b1 = archive_.GetItem("b1");
  ASSERT_TRUE(b1 && *b1);
  EXPECT_EQ((*b1)->story, "a1");
  auto story = archive_.GetStory("a1");
  ASSERT_TRUE(story && *story);
  EXPECT_EQ((*story)->copies, 2u);
  EXPECT_EQ((*story)->canonical, "a1");  // earliest published
  EXPECT_EQ((*story)->time, 1000);       // listings go by the founding item...
  EXPECT_EQ((*story)->newest, 1100);     // ...retention by the newest copy
  auto c1 = archive_.GetItem("c1");
  EXPECT_EQ((*c1)->story, "c1");
  auto state = archive_.GetFeed("outlet");
  ASSERT_TRUE(state && *state);
  EXPECT_EQ((*state)->etag, "\"v1\"");
  EXPECT_EQ(ingest.stats().new_stories, 2u);
  EXPECT_EQ(ingest.stats().copies, 1u);
}

// One feed under two feed ids (declared again under another id, or reached through a
// redirect to another configured feed): its articles come again under other item ids, with
// the same address and text. They are the stored articles, not copies of them; an edited text
// at that address, or the same text elsewhere, is a copy.
TEST_F(IngestTest, TheSameArticleUnderAnotherItemIdIsNoCopy) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  auto at = [](Article a, std::string url) {
    a.url = std::move(url);
    return a;
  };
  ASSERT_TRUE(ingest.Stage(at(Make("dk:1", "DKnews", kStory, 1000), "https://dk.kz/1")).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  // Again, staged and committed: both are found.
  ASSERT_TRUE(ingest.Stage(at(Make("dk2:1", "DKnews", kStory, 1000), "https://dk.kz/1")).ok());
  ASSERT_TRUE(ingest.Stage(at(Make("c:1", "DKnews", kOther, 1000), "https://dk.kz/2")).ok());
  ASSERT_TRUE(ingest.Stage(at(Make("c2:1", "DKnews", kOther, 1000), "https://dk.kz/2")).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_FALSE(archive_.GetItem("dk2:1").value_or(std::nullopt).has_value());
  EXPECT_FALSE(archive_.GetItem("c2:1").value_or(std::nullopt).has_value());
  EXPECT_EQ(ingest.stats().same_article, 2u);
  EXPECT_EQ(ingest.stats().duplicates, 2u);
  // Edited at the same address, or the same text at another: copies.
  ASSERT_TRUE(ingest
                  .Stage(at(Make("dk3:1", "DKnews", std::string(kStory) + " Updated.", 1000),
                            "https://dk.kz/1"))
                  .ok());
  ASSERT_TRUE(ingest.Stage(at(Make("tass:1", "TASS", kStory, 1000), "https://tass.ru/9")).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_TRUE(archive_.GetItem("dk3:1").value_or(std::nullopt).has_value());
  EXPECT_TRUE(archive_.GetItem("tass:1").value_or(std::nullopt).has_value());
  auto story = archive_.GetStory("dk:1");
  ASSERT_TRUE(story && *story);
  EXPECT_EQ((*story)->copies, 3u);
}

// A page's text with its one figure: a correction changes it.
std::string TreesText(const std::string& trees) {
  return "Almaty will plant " + trees +
         " trees along its avenues this spring, the city administration said on Tuesday, with "
         "maples, elms and birches chosen for the climate. Residents may propose streets on the "
         "city portal until the end of March, officials added.";
}

// Stages px:1 (TreesText 50000 at https://city.kz/trees), then, committed, py:1 (its figure
// corrected, at `url`); returns py:1 as stored.
std::optional<storage::ItemRecord> StageCorrectedPage(storage::Archive& archive,
                                                      const std::string& url,
                                                      UnixSeconds published = 1000) {
  Ingestor ingest(archive, dedup::Options());
  EXPECT_TRUE(ingest.Restore().ok());
  Article stored = Make("px:1", "portal", TreesText("50000"), 1000);
  stored.url = "https://city.kz/trees";
  EXPECT_TRUE(ingest.Stage(std::move(stored)).ok());
  EXPECT_TRUE(ingest.Commit().ok());
  Article corrected = Make("py:1", "portal", TreesText("60000"), published);
  corrected.url = url;
  EXPECT_TRUE(ingest.Stage(std::move(corrected)).ok());
  EXPECT_TRUE(ingest.Commit().ok());
  return archive.GetItem("py:1").value_or(std::nullopt);
}

// A page corrected (a figure changed) that one feed lists anew before the feed that stored it
// sees the correction: the number guard refuses the new version as a copy of the stored one,
// but at the same link it is the same article, and joins its story (path "same-page").
TEST_F(IngestTest, ANewVersionOfAStoredPageJoinsItsStory) {
  const auto py = StageCorrectedPage(archive_, "https://city.kz/trees?utm_source=rss");
  ASSERT_TRUE(py.has_value());
  EXPECT_EQ(py->story, "px:1");
  EXPECT_EQ(py->match_path, "same-page");
}

// A link every report shares (a homepage, a daily rate's page), the next day's figure under
// it: another story, as the engine judged it.
TEST_F(IngestTest, TheNextDaysFigureAtASharedLinkIsAnotherStory) {
  const auto py = StageCorrectedPage(archive_, "https://city.kz/trees", 1000 + 86400);
  ASSERT_TRUE(py.has_value());
  EXPECT_EQ(py->story, "py:1");
}

// The same words at another link are another report (the next day's figure): a new story.
TEST_F(IngestTest, AnotherFigureAtAnotherLinkIsAnotherStory) {
  const auto py = StageCorrectedPage(archive_, "https://city.kz/trees-2");
  ASSERT_TRUE(py.has_value());
  EXPECT_EQ(py->story, "py:1");
  EXPECT_EQ(py->match_path, "new");
}

// An outlet's two feeds (all news, politics) list one article, each tagging the link for its
// own statistics (utm_*), one over AMP: it is stored once, not as a copy of itself.
TEST_F(IngestTest, TheSameArticleUnderATaggedLinkIsNoCopy) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  auto at = [](Article a, std::string url) {
    a.url = std::move(url);
    return a;
  };
  ASSERT_TRUE(ingest.Stage(at(Make("all:1", "DKnews", kStory, 1000), "https://dk.kz/1")).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(
      ingest
          .Stage(at(Make("politics:1", "DKnews", kStory, 1000),
                    "https://www.dk.kz/1?utm_source=rss&utm_medium=feed&utm_campaign=politics"))
          .ok());
  ASSERT_TRUE(ingest.Stage(at(Make("amp:1", "DKnews", kStory, 1000), "https://dk.kz/1/amp")).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_FALSE(archive_.GetItem("politics:1").value_or(std::nullopt).has_value());
  EXPECT_FALSE(archive_.GetItem("amp:1").value_or(std::nullopt).has_value());
  EXPECT_EQ(ingest.stats().same_article, 2u);
  // Another page of the site with the same words is a copy.
  ASSERT_TRUE(ingest.Stage(at(Make("all:2", "DKnews", kStory, 1000), "https://dk.kz/2")).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_TRUE(archive_.GetItem("all:2").value_or(std::nullopt).has_value());
}

// Retention removed a story while the dedup index still holds its item (an item dated long
// ago): a copy arriving now founds a story of its own instead of failing.
TEST_F(IngestTest, ACopyOfAStoryRemovedByRetentionStartsANewStory) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  {  // what ExpireStories does to the story (the fake has no retention of its own)
    std::lock_guard lock(archive_.store()->mu);
    archive_.store()->stories.erase("a1");
    archive_.store()->items.erase("a1");
  }
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", std::string("(Agency) - ") + kStory, 1100)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  auto b1 = archive_.GetItem("b1");
  ASSERT_TRUE(b1 && *b1);
  EXPECT_EQ((*b1)->story, "b1");
  auto story = archive_.GetStory("b1");
  ASSERT_TRUE(story && *story);
  EXPECT_EQ((*story)->copies, 1u);
}

TEST_F(IngestTest, AnItemAlreadyStoredIsSkipped) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());  // same batch
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());  // already stored
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ(ingest.stats().duplicates, 2u);
  auto story = archive_.GetStory("a1");
  EXPECT_EQ((*story)->copies, 1u);
}

TEST_F(IngestTest, AgencySourceBecomesCanonicalEvenWhenLater) {
  dedup::Options options;
  options.agency_sources = {"agency"};
  Ingestor ingest(archive_, options);
  ASSERT_TRUE(ingest.Stage(Make("o1", "outlet", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1500)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  auto story = archive_.GetStory("o1");
  ASSERT_TRUE(story && *story);
  EXPECT_EQ((*story)->canonical, "a1");
  EXPECT_EQ((*story)->copies, 2u);
}

TEST_F(IngestTest, PreparedTextGivesTheSameResultAsPlainStaging) {
  testing::FakeArchive prepared_archive;
  Ingestor plain(archive_, dedup::Options());
  Ingestor prepared(prepared_archive, dedup::Options());
  const std::vector<Article> articles = {
      Make("a1", "agency", kStory, 1000), Make("b1", "outlet", kOther, 1100),
      Make("c1", "outlet", std::string("(Agency) - ") + kStory, 1200),
      Make("a1", "agency", kStory, 1300)};  // a duplicate id
  for (const Article& a : articles) {
    ASSERT_TRUE(plain.Stage(a).ok());
    dedup::PreparedText text = prepared.engine().Prepare(a.title, a.text);
    ASSERT_TRUE(prepared.Stage(Article(a), &text).ok());
  }
  ASSERT_TRUE(plain.Commit().ok());
  ASSERT_TRUE(prepared.Commit().ok());
  for (const char* id : {"a1", "b1", "c1"}) {
    EXPECT_EQ(*archive_.GetItem(id), *prepared_archive.GetItem(id)) << id;
  }
  EXPECT_EQ(*archive_.GetStory("a1"), *prepared_archive.GetStory("a1"));
  EXPECT_EQ((*prepared_archive.GetStory("a1"))->copies, 2u);
  EXPECT_EQ(prepared.stats().duplicates, 1u);
}

TEST_F(IngestTest, CopiesOfAStoredStoryUpdateIt) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Stage(Make("o1", "outlet", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(ingest.Stage(Make("e1", "early", kStory, 900)).ok());  // earlier: canonical
  ASSERT_TRUE(ingest.Stage(Make("p1", "outlet", kStory, 1100)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  auto story = archive_.GetStory("o1");
  ASSERT_TRUE(story && *story);
  EXPECT_EQ((*story)->copies, 3u);
  EXPECT_EQ((*story)->canonical, "e1");
  auto items = archive_.StoryItems("o1");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[2].id, "p1");
}

// The import's pipeline: a batch written in the background stays visible to Stage (repeated
// ids skipped, copies join its stories, its items compete for canonical), commits land in
// order, and the archive ends exactly as with synchronous commits.
TEST_F(IngestTest, BackgroundCommitsMatchSynchronousOnes) {
  const std::vector<std::vector<Article>> groups = {
      {Make("o1", "outlet", kStory, 1000), Make("c1", "outlet", kOther, 1050)},
      {Make("o1", "outlet", kStory, 1000),  // staged in the batch being written
       Make("e1", "early", kStory, 900),    // earlier than o1: becomes canonical
       Make("p1", "outlet", kStory, 1100)},
      {Make("q1", "outlet", kStory, 1200), Make("c2", "other", kOther, 1300)}};
  testing::FakeArchive sync_archive;
  Ingestor sync(sync_archive, dedup::Options());
  Ingestor background(archive_, dedup::Options());
  for (const std::vector<Article>& group : groups) {
    for (const Article& a : group) {
      ASSERT_TRUE(sync.Stage(a).ok());
      ASSERT_TRUE(background.Stage(a).ok());
    }
    ASSERT_TRUE(sync.Commit().ok());
    ASSERT_TRUE(background.CommitInBackground().ok());
  }
  ASSERT_TRUE(background.WaitCommitted().ok());

  EXPECT_EQ(background.stats().commits, 3u);
  EXPECT_EQ(background.stats().duplicates, 1u);
  EXPECT_EQ(background.stats().copies, sync.stats().copies);
  const std::vector<storage::Batch> commits = archive_.commits();
  ASSERT_EQ(commits.size(), 3u);
  EXPECT_EQ(commits[0].items()[0].id, "o1");
  EXPECT_EQ(commits[1].items()[0].id, "e1");
  EXPECT_EQ(commits[2].items()[0].id, "q1");
  for (const char* id : {"o1", "c1", "e1", "p1", "q1", "c2"}) {
    EXPECT_EQ(*archive_.GetItem(id), *sync_archive.GetItem(id)) << id;
  }
  for (const char* id : {"o1", "c1"}) {
    EXPECT_EQ(*archive_.GetStory(id), *sync_archive.GetStory(id)) << id;
  }
  auto story = archive_.GetStory("o1");
  ASSERT_TRUE(story && *story);
  EXPECT_EQ((*story)->copies, 4u);
  EXPECT_EQ((*story)->canonical, "e1");
  auto items = archive_.StoryItems("o1");
  ASSERT_TRUE(items);
  std::vector<std::string> order;
  for (const auto& item : *items) order.push_back(item.id);
  EXPECT_EQ(order, (std::vector<std::string>{"o1", "e1", "p1", "q1"}));
}

}  // namespace
}  // namespace newsd::daemon
