// Ingestor: guids reused for later stories (a rate report under one guid, bulletins).

#include <gtest/gtest.h>

#include <future>

#include "daemon/ingest.h"
#include "daemon/reparse.h"
#include "tests/daemon/ingest_test_util.h"

namespace newsd::daemon {
namespace {

std::string Rate(int tenge, int volume, int euro) {
  return "The tenge traded at " + std::to_string(tenge) +
         " per US dollar at the close of the morning session on the Kazakhstan Stock Exchange, "
         "the exchange said. Trading volume reached " +
         std::to_string(volume) + " million dollars, and the euro traded at " +
         std::to_string(euro) +
         " tenge. Analysts expect the national currency to stay within a narrow range this "
         "week as oil prices hold steady and the National Bank keeps its base rate unchanged.";
}

// The report of `days` later under the same guid, headline and words, with other figures.
Article RateLater(const Article& rate, int days, int tenge, int volume, int euro) {
  Article later = rate;
  later.text = Rate(tenge, volume, euro);
  later.published = rate.published.value_or(0) + days * 86400;
  later.arrived = *later.published + 60;
  return later;
}

// Stores the morning rate report "r1" (and commits); returns it.
Article StoreRate(Ingestor& ingest) {
  EXPECT_TRUE(ingest.Restore().ok());
  Article rate = Make("r1", "agency", Rate(520, 120, 560), 1000);
  rate.title = "Tenge steady against dollar";
  EXPECT_TRUE(ingest.Stage(Article(rate)).ok());
  EXPECT_TRUE(ingest.Commit().ok());
  return rate;
}

// A figure corrected under the same headline and date is a correction, although the dedup
// engine keeps two such texts apart (template siblings); under another date it is the next
// report of the template under a reused guid: a new item. A reparse of the kept bodies then
// leaves both as they are (it used to overwrite the first with the later story's text).
TEST_F(IngestTest, AFigureCorrectedUnderTheSameHeadlineIsACorrection) {
  Ingestor ingest(archive_, dedup::Options());
  const Article rate = StoreRate(ingest);
  Article fixed = rate;
  fixed.text = Rate(521, 210, 561);  // three figures put right
  EXPECT_EQ(*ingest.Correct(Article(fixed)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("r1"))->text, fixed.text);

  const Article next_day = RateLater(rate, 1, 530, 95, 571);
  EXPECT_EQ(*ingest.Correct(Article(next_day)), Reingested::kAdded);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("r1"))->text, fixed.text);
  auto own = archive_.GetItem(ReusedGuidId(next_day));
  ASSERT_TRUE(own && *own);
  EXPECT_EQ((*own)->text, next_day.text);

  std::vector<ReparsedBody> bodies(2);
  bodies[0] = {1060, std::vector<Article>{fixed}};
  bodies[1] = {next_day.arrived, std::vector<Article>{next_day}};
  ReparseReport report = StageReparsed(std::move(bodies), ingest, /*dry_run=*/false, 99000);
  EXPECT_EQ(report.updated, 0u);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("r1"))->text, fixed.text) << "not overwritten by the next report";
  EXPECT_EQ((*archive_.GetItem(ReusedGuidId(next_day)))->text, next_day.text);

  // Undated, the next report cannot be told from a correction: a new item, nothing overwritten.
  Article undated = Make("u1", "agency", Rate(450, 80, 500), 0);
  undated.published.reset();
  undated.title = "Exchange rates";
  ASSERT_TRUE(ingest.Stage(Article(undated)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  Article next = undated;
  next.text = Rate(455, 91, 507);
  EXPECT_EQ(*ingest.Correct(Article(next)), Reingested::kAdded);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("u1"))->text, undated.text);
}

// A guid reused for a second story (the next day's rate): that story's own corrections are
// found through the first item (ItemRecord::reused_by) and re-put over it; they used to become
// a third item, and a fourth. A reparse whose words differ from every stored version of a
// reused guid writes over none.
TEST_F(IngestTest, ACorrectionOfTheStoryUnderAReusedGuidCorrectsThatStory) {
  Ingestor ingest(archive_, dedup::Options());
  const Article rate = StoreRate(ingest);
  const Article next_day = RateLater(rate, 1, 530, 95, 571);
  EXPECT_EQ(*ingest.Correct(Article(next_day)), Reingested::kAdded);
  ASSERT_TRUE(ingest.Commit().ok());
  const ItemId second = ReusedGuidId(next_day);
  EXPECT_EQ((*archive_.GetItem("r1"))->reused_by, second);
  EXPECT_EQ((*archive_.GetItem("r1"))->text, rate.text) << "the first story's words stay";
  EXPECT_EQ(*ingest.Correct(Article(next_day)), Reingested::kUnchanged) << "listed again";

  Article fixed = next_day;  // the next day's figures put right, then a sentence added
  fixed.text = Rate(531, 96, 571);
  fixed.arrived += 600;
  EXPECT_EQ(*ingest.Correct(Article(fixed)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  fixed.text += " The bank will publish its next review on Friday.";
  fixed.arrived += 600;
  EXPECT_EQ(*ingest.Correct(Article(fixed)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  auto corrected = archive_.GetItem(second);
  ASSERT_TRUE(corrected && *corrected);
  EXPECT_EQ((*corrected)->text, fixed.text);
  EXPECT_EQ((*corrected)->revised, fixed.arrived);
  EXPECT_EQ((*archive_.GetItem("r1"))->text, rate.text);
  EXPECT_FALSE(archive_.GetItem(ReusedGuidId(fixed))->has_value()) << "no third item";
  EXPECT_EQ(archive_.ItemsFrom(0, 10)->size(), 2u);

  // A third story under the guid is a new item, and the one the guid now names.
  const Article third = RateLater(rate, 2, 540, 70, 580);
  EXPECT_EQ(*ingest.Correct(Article(third)), Reingested::kAdded);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("r1"))->reused_by, ReusedGuidId(third));

  // A reparse reading the second story's words otherwise (a newer parser) finds neither the
  // first item nor the latest: nothing is written over.
  Article reread = fixed;
  reread.text = Rate(531, 96, 571) + " The bank will publish its next review on Thursday.";
  std::vector<ReparsedBody> bodies(1);
  bodies[0] = {fixed.arrived, std::vector<Article>{reread}};
  ReparseReport report = StageReparsed(std::move(bodies), ingest, /*dry_run=*/false, 99000);
  EXPECT_EQ(report.updated, 0u);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("r1"))->text, rate.text);
  EXPECT_EQ((*archive_.GetItem(second))->text, fixed.text);
}

// How many times the archive was given item `id`.
size_t PutsOf(const testing::FakeArchive& a, const ItemId& id) {
  size_t n = 0;
  for (const storage::Batch& b : a.commits())
    for (const auto& item : b.items()) n += item.id == id;
  return n;
}

// A feed listing two stories under one guid by turns (a stale CDN node): nothing is written
// again (the guid's first item was re-put at each poll to name the other).
TEST_F(IngestTest, AFeedAlternatingTwoStoriesUnderAGuidWritesNothingAgain) {
  Ingestor ingest(archive_, dedup::Options());
  const Article rate = StoreRate(ingest);
  const Article b = RateLater(rate, 1, 530, 95, 571);
  const Article c = RateLater(rate, 2, 540, 70, 580);
  EXPECT_EQ(*ingest.Correct(Article(b)), Reingested::kAdded);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ(*ingest.Correct(Article(c)), Reingested::kAdded);
  ASSERT_TRUE(ingest.Commit().ok());
  const size_t before = PutsOf(archive_, "r1");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(*ingest.Correct(Article(i % 2 ? c : b)), Reingested::kUnchanged);
    ASSERT_TRUE(ingest.Commit().ok());
  }
  EXPECT_EQ(PutsOf(archive_, "r1") - before, 0u) << "r1 re-put at alternating polls";
  EXPECT_EQ(archive_.ItemsFrom(0, 10)->size(), 3u);
}

// The latest story's correction listed again before its batch is committed: no third item.
TEST_F(IngestTest, ACorrectionListedAgainBeforeItsCommitMakesNoThirdItem) {
  Ingestor ingest(archive_, dedup::Options());
  const Article rate = StoreRate(ingest);
  const Article b = RateLater(rate, 1, 530, 95, 571);
  EXPECT_EQ(*ingest.Correct(Article(b)), Reingested::kAdded);
  ASSERT_TRUE(ingest.Commit().ok());
  Article fixed = b;
  fixed.text = Rate(531, 96, 571);
  fixed.arrived += 600;
  EXPECT_EQ(*ingest.Correct(Article(fixed)), Reingested::kUpdated);
  // Listed again before the commit (next poll in the same group).
  auto again = ingest.Correct(Article(fixed));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, Reingested::kUnchanged);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ(archive_.ItemsFrom(0, 10)->size(), 2u);
  EXPECT_EQ((*archive_.GetItem("r1"))->reused_by, ReusedGuidId(b));
}

// A first item stored mangled (a parser bug) whose guid was reused since: the reparse dated
// as it is re-puts it.
TEST_F(IngestTest, AReparseFixesAMangledFirstItemOfAReusedGuid) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  Article good = Make("g1", "agency", kStory, 1000);
  Article mangled = good;
  mangled.text = "&lt;p&gt;Deputy&amp;nbsp;Prime&amp;nbsp;Minister&amp;nbsp;and&amp;nbsp;Minister";
  ASSERT_TRUE(ingest.Stage(Article(mangled)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  Article other = Make("g1", "agency", kOther, 90000);
  EXPECT_EQ(*ingest.Correct(Article(other)), Reingested::kAdded);
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_FALSE((*archive_.GetItem("g1"))->reused_by.empty());
  std::vector<ReparsedBody> bodies(1);
  bodies[0] = {2000, std::vector<Article>{good}};
  ReparseReport report = StageReparsed(std::move(bodies), ingest, false, 99000);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ(report.updated, 1u);
  EXPECT_EQ((*archive_.GetItem("g1"))->text, good.text);
}

// An archive whose commits wait for `go` while `block` is set: a background commit in flight.
class SlowArchive : public testing::FakeArchive {
 public:
  std::promise<void> go;
  std::shared_future<void> gate = go.get_future().share();
  bool block = false;
  Status Commit(const storage::Batch& batch) override {
    if (block) gate.wait();
    return FakeArchive::Commit(batch);
  }
};

// A guid reused while the batch with the first item's correction is being written: the first
// item now naming the new story keeps that correction.
TEST(IngestRaceTest, AReusedGuidDuringABackgroundCommitKeepsItsCorrection) {
  SlowArchive archive;
  Ingestor ingest(archive, dedup::Options());
  const Article rate = StoreRate(ingest);
  Article fixed = rate;
  fixed.text = Rate(521, 210, 561);
  fixed.arrived += 600;
  EXPECT_EQ(*ingest.Correct(Article(fixed)), Reingested::kUpdated);
  archive.block = true;
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  const Article next_day = RateLater(rate, 1, 530, 95, 571);
  EXPECT_EQ(*ingest.Correct(Article(next_day)), Reingested::kAdded);
  archive.go.set_value();
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive.GetItem("r1"))->text, fixed.text) << "correction lost";
  EXPECT_EQ((*archive.GetItem("r1"))->revised, fixed.arrived);
}

// The next day's rate report listed alone under the guid of `rate` (stored): stored as a
// reused guid's story, at its own link. Returns it.
Article StoreDay4UnderTheGuid(Ingestor& ingest, const Article& rate) {
  Article day4 = RateLater(rate, 1, 530, 95, 571);
  day4.url = "https://agency.kz/rates/4";
  EXPECT_EQ(*ingest.Correct(Article(day4)), Reingested::kAdded);
  EXPECT_TRUE(ingest.Commit().ok());
  return day4;
}

// The day after `day4`'s report and `day4` listed in one response, newest first, under the
// guid they share: keyed by their links (ToArticles), staged and committed.
void ListDays5And4(Ingestor& ingest, const Article& rate, const Article& day4) {
  Article day5 = RateLater(rate, 2, 540, 70, 580);
  day5.url = "https://agency.kz/rates/5";
  day5.id = MakeItemId("agency", day5.url);
  Article again = day4;
  again.id = MakeItemId("agency", day4.url);
  EXPECT_TRUE(ingest.Stage(std::move(day5)).ok());
  EXPECT_TRUE(ingest.Stage(std::move(again)).ok());
  EXPECT_TRUE(ingest.Commit().ok());
}

// A bulletin feed listing its stories newest first under one guid: alone in a response, the
// guid's story is stored under the reused-guid id; listed with the next one, both are keyed
// by their links (the guid names neither, ToArticles). The stored story listed again so is
// the same article (same link and words), also when its source's template sentences have
// become boilerplate since it was signed; it used to be stored again, a copy of itself.
TEST_F(IngestTest, ANewestFirstBulletinFeedStoresNoStoryTwice) {
  Ingestor ingest(archive_, dedup::Options());
  const Article rate = StoreRate(ingest);
  const Article day4 = StoreDay4UnderTheGuid(ingest, rate);
  ListDays5And4(ingest, rate, day4);
  EXPECT_EQ(archive_.ItemsFrom(0, 10)->size(), 3u) << "the 3rd, 4th and 5th, each once";
  EXPECT_FALSE(archive_.GetItem(MakeItemId("agency", day4.url))->has_value());
  EXPECT_EQ(ingest.stats().same_article, 1u);
}

// ... also when an outlet's copy of that story, without the sentence the agency's template
// repeats, is the best match of the story listed again.
TEST_F(IngestTest, AStoryListedAgainIsFoundBehindAnOutletsCloserCopy) {
  Ingestor ingest(archive_, dedup::Options());
  const Article rate = StoreRate(ingest);
  const Article day4 = StoreDay4UnderTheGuid(ingest, rate);
  Article copy = Make("outlet-1", "outlet", day4.text.substr(0, day4.text.find(" Analysts")), 0);
  copy.published = *day4.published + 600;
  copy.arrived = day4.arrived + 600;
  copy.url = "https://outlet.kz/tenge";
  ASSERT_TRUE(ingest.Stage(std::move(copy)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  ListDays5And4(ingest, rate, day4);
  EXPECT_EQ(ingest.stats().same_article, 1u);
  EXPECT_EQ(archive_.ItemsFrom(0, 10)->size(), 4u);
}

}  // namespace
}  // namespace newsd::daemon
