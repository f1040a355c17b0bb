#include "daemon/ingest.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_archive.h"

namespace newsd::daemon {
namespace {

constexpr char kStory[] =
    "Deputy Prime Minister and Minister of Foreign Affairs Murat Nurtleu arrived in Rabat on "
    "the first official visit in the history of bilateral relations at the invitation of his "
    "Moroccan counterpart Nasser Bourita.\n\nThe sides discussed the intensification of "
    "political dialogue, trade, economic and investment ties, and cultural and humanitarian "
    "contacts. Trade between the two countries grew by 70 percent last year and reached 274 "
    "million US dollars.\n\nThe ministers agreed to finalise the agreement on air communication "
    "and to consider launching direct flights between the two capitals.";

constexpr char kOther[] =
    "Two new stations of the Almaty metro will open to passengers in December, the city "
    "administration said. The extension adds 2.8 kilometres to the line and is expected to "
    "carry up to 40 thousand passengers a day, with trains every seven minutes at rush hour.";

Article Make(std::string id, std::string source, std::string text, UnixSeconds published) {
  Article a;
  a.id = std::move(id);
  a.feed = source;
  a.source = std::move(source);
  a.title = "title of " + a.id;
  a.text = std::move(text);
  a.published = published;
  a.arrived = published + 60;
  return a;
}

class IngestTest : public ::testing::Test {
 protected:
  testing::FakeArchive archive_;
};

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
  auto c1 = archive_.GetItem("c1");
  EXPECT_EQ((*c1)->story, "c1");
  auto state = archive_.GetFeed("outlet");
  ASSERT_TRUE(state && *state);
  EXPECT_EQ((*state)->etag, "\"v1\"");
  EXPECT_EQ(ingest.stats().new_stories, 2u);
  EXPECT_EQ(ingest.stats().copies, 1u);
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

TEST_F(IngestTest, RestartRestoresTheIndexFromTheArchive) {
  {
    Ingestor first(archive_, dedup::Options());
    ASSERT_TRUE(first.Stage(Make("a1", "agency", kStory, 1000)).ok());
    ASSERT_TRUE(first.Commit().ok());
  }
  Ingestor second(archive_, dedup::Options());
  ASSERT_TRUE(second.Restore().ok());
  ASSERT_TRUE(second.Stage(Make("b1", "outlet", kStory, 2000)).ok());
  ASSERT_TRUE(second.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
}

TEST_F(IngestTest, AFailedCommitLeavesNothingAndTheIndexForgetsIt) {
  Ingestor ingest(archive_, dedup::Options());
  archive_.FailNextCommit(Status::IOError("disk full"));
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  EXPECT_FALSE(ingest.Commit().ok());
  EXPECT_FALSE(*archive_.HasItem("a1"));
  // Fetched again after the failure: a new story again, not a copy of a ghost.
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("a1"))->story, "a1");
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

}  // namespace
}  // namespace newsd::daemon
