#include "daemon/ingest.h"

#include <gtest/gtest.h>

#include <future>

#include "daemon/reparse.h"
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

// A reparse (Reingest): a new id is deduplicated like any article, a changed stored item is
// re-put in its story with the new fields, an unchanged one is left alone; a dry run stages
// nothing.
TEST_F(IngestTest, ReingestAddsNewItemsAndUpdatesChangedOnes) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", std::string("(Agency) - ") + kStory, 1100)).ok());
  ASSERT_TRUE(ingest.Commit().ok());

  Article fixed = Make("b1", "outlet", std::string("(Agency) - ") + kStory + " Fixed.", 1100);
  fixed.title = "Мурат Нуртлеу прибыл в Рабат";  // say, once garbled by a charset bug
  Article copy = Make("c1", "outlet", kStory, 1200);
  for (bool dry_run : {true, false}) {
    EXPECT_EQ(*ingest.Reingest(Make("a1", "agency", kStory, 1000), dry_run),
              Reingested::kUnchanged);
    EXPECT_EQ(*ingest.Reingest(Article(fixed), dry_run), Reingested::kUpdated);
    EXPECT_EQ(*ingest.Reingest(Article(copy), dry_run), Reingested::kAdded);
    if (dry_run) {
      EXPECT_EQ(ingest.pending(), 0u) << "a dry run stages nothing";
    }
  }
  ASSERT_TRUE(ingest.Commit().ok());
  auto b1 = archive_.GetItem("b1");
  ASSERT_TRUE(b1 && *b1);
  EXPECT_EQ((*b1)->title, fixed.title);
  EXPECT_EQ((*b1)->text, fixed.text);
  EXPECT_EQ((*b1)->story, "a1") << "an updated item keeps its story";
  auto c1 = archive_.GetItem("c1");
  ASSERT_TRUE(c1 && *c1);
  EXPECT_EQ((*c1)->story, "a1") << "a new item goes through dedup";
  auto story = archive_.GetStory("a1");
  ASSERT_TRUE(story && *story);
  EXPECT_EQ((*story)->copies, 3u);
  auto items = archive_.StoryItems("a1");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[1].id, "b1") << "an updated item keeps its place";
}

// A poll's correction (Correct): a stored item with another text is re-put with it, keeping
// its story and its first publication date; a date-only change and an item never stored (or
// staged in this batch) are left alone.
TEST_F(IngestTest, CorrectRePutsChangedTextButKeepsTheDate) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", std::string("(Agency) - ") + kStory, 1100)).ok());
  ASSERT_TRUE(ingest.Commit().ok());

  EXPECT_EQ(*ingest.Correct(Make("a1", "agency", kStory, 5000)), Reingested::kUnchanged)
      << "a feed that stamps its items with the time of the request";
  Article expanded = Make("b1", "outlet", std::string("(Agency) - ") + kStory + " More.", 9000);
  EXPECT_EQ(*ingest.Correct(Article(expanded)), Reingested::kUpdated);
  EXPECT_EQ(*ingest.Correct(Article(expanded)), Reingested::kUnchanged) << "staged already";
  EXPECT_EQ(*ingest.Correct(Make("c1", "outlet", kStory, 1200)), Reingested::kUnchanged)
      << "never stored: Stage's";
  EXPECT_EQ(ingest.pending(), 1u);
  ASSERT_TRUE(ingest.Commit().ok());
  auto b1 = archive_.GetItem("b1");
  ASSERT_TRUE(b1 && *b1);
  EXPECT_EQ((*b1)->text, expanded.text);
  EXPECT_EQ((*b1)->published, 1100) << "the first date stays";
  EXPECT_EQ((*b1)->story, "a1");
  auto a1 = archive_.GetItem("a1");
  ASSERT_TRUE(a1 && *a1);
  EXPECT_EQ((*a1)->published, 1000);
  EXPECT_FALSE(archive_.GetItem("c1")->has_value());
  EXPECT_EQ((*b1)->revised, expanded.arrived) << "revised when the correction came";
  EXPECT_EQ((*a1)->revised, 0);
  // Exported again: a consumer past b1's first place (cursor 2) is sent its new text.
  auto page = archive_.ItemsFrom(2, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].item.id, "b1");
  EXPECT_EQ((*page)[0].item.text, expanded.text);

  // The same guid for another story (a bulletin that reuses it): a new item, once.
  Article reused = Make("a1", "agency", kOther, 7000);
  reused.feed = "agency";
  EXPECT_EQ(*ingest.Correct(Article(reused)), Reingested::kAdded);
  EXPECT_EQ(*ingest.Correct(Article(reused)), Reingested::kUnchanged) << "staged already";
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ(*ingest.Correct(Article(reused)), Reingested::kUnchanged) << "stored already";
  const ItemId new_id =
      MakeItemId("agency", "a1\n" + WordsOf(reused.title) + "\n" + WordsOf(reused.text));
  auto added = archive_.GetItem(new_id);
  ASSERT_TRUE(added && *added);
  EXPECT_EQ((*added)->text, kOther);
  EXPECT_EQ((*added)->story, new_id) << "a story of its own";
  EXPECT_EQ((*archive_.GetItem("a1"))->text, kStory) << "the stored item stays";
  // Listed again with a tracking pixel that changes at each request: the same new item.
  Article pixel = reused;
  pixel.text += "<img src=\"http://x/px.gif?r=2\">";
  EXPECT_EQ(*ingest.Correct(std::move(pixel)), Reingested::kUnchanged);

  // A headline-only item has no text to compare: its headline is corrected in place.
  Article flash = Make("f1", "agency", "", 8000);
  flash.title = "Earthquake in Almaty, magnitude 5";
  ASSERT_TRUE(ingest.Stage(Article(flash)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  flash.title = "Earthquake in Almaty, magnitude 5.2, no damage";
  EXPECT_EQ(*ingest.Correct(Article(flash)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("f1"))->title, flash.title);
}

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

// The publisher's own item grown with news above its text (an update under the guid) is the
// item updated, not another outlet's follow-up; a day put right under the same headline and
// date is a correction, as a figure is (the dedup engine keeps such texts apart).
// A mirror that lags serves the replaced version between polls of the corrected one: the old
// text is no new correction (it flipped the item back and forth, moving it in the export
// order at every poll, and could end on the stale text); dated later, it is the publisher's
// own revert.
TEST_F(IngestTest, AReplacedVersionListedAgainIsStale) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  const std::string v1 =
      "The city council approved the new budget on Monday after a long debate, raising "
      "spending on schools and roads and cutting the cost of public transport passes.";
  const std::string v2 = v1 + " The mayor said the plan would be reviewed in the spring.";
  ASSERT_TRUE(ingest.Stage(Make("b1", "city", v1, 1000)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ(*ingest.Correct(Make("b1", "city", v2, 1000)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  for (int poll = 0; poll < 3; ++poll) {
    EXPECT_EQ(*ingest.Correct(Make("b1", "city", v1, 1000)), Reingested::kUnchanged) << poll;
    EXPECT_EQ(*ingest.Correct(Make("b1", "city", v2, 1000)), Reingested::kUnchanged) << poll;
    ASSERT_TRUE(ingest.Commit().ok());
  }
  EXPECT_EQ((*archive_.GetItem("b1"))->text, v2);
  // The old words under a later date: the publisher took the correction back.
  EXPECT_EQ(*ingest.Correct(Make("b1", "city", v1, 5000)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->text, v1);
  // A feed that dates each version (the item keeps its first date): a lagging mirror's version
  // is judged by the date of the version in force, not by the item's first date.
  const std::string v3 = v1 + " Opposition members said they would vote against it.";
  EXPECT_EQ(*ingest.Correct(Make("b1", "city", v3, 9000)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ(*ingest.Correct(Make("b1", "city", v2, 2000)), Reingested::kUnchanged);
  EXPECT_EQ(*ingest.Correct(Make("b1", "city", v1, 5000)), Reingested::kUnchanged);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->text, v3);
}

TEST_F(IngestTest, AnUpdateAboveTheTextAndADayPutRightAreTheSameItem) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  const std::string body =
      "The former mayor of the northern town was arrested on Monday on suspicion of taking "
      "bribes worth two million dollars from construction firms, prosecutors said. "
      "Investigators searched his home and offices and seized documents, computers and several "
      "cars. His lawyer said the charges were politically motivated and that his client would "
      "appeal against the arrest in the regional court next week.";
  Article item = Make("m1", "agency", body, 1000);
  item.title = "Former mayor arrested";
  ASSERT_TRUE(ingest.Stage(Article(item)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  Article updated = item;
  updated.text =
      "UPDATE: A regional court on Tuesday ordered the former official held in custody for two "
      "months while the investigation goes on, rejecting his lawyer's request for house arrest "
      "and bail of one hundred thousand dollars offered by his family.\n\n" +
      body;
  EXPECT_EQ(*ingest.Correct(Article(updated)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("m1"))->text, updated.text);
  // The next update, dated anew under its headline marked: still the item.
  Article marked = updated;
  marked.title = "UPDATE 2: Former mayor arrested";
  marked.text =
      "The former mayor resigned from the party on Wednesday, a day after the court ordered "
      "him held in custody, saying he wanted to spare his colleagues the scandal before the "
      "regional elections in the spring.\n\n" +
      updated.text;
  marked.published = 1000 + 86400;
  EXPECT_EQ(*ingest.Correct(Article(marked)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("m1"))->text, marked.text);
  // And the next, its marker's number counted on ("UPDATE 2" then "UPDATE 3").
  Article third = marked;
  third.title = "UPDATE 3-Former mayor arrested";
  third.text =
      "Prosecutors said on Thursday they had opened a second case against the former mayor, "
      "over a land deal signed three years ago with a firm owned by his brother-in-law.\n\n" +
      marked.text;
  third.published = 1000 + 2 * 86400;
  EXPECT_EQ(*ingest.Correct(Article(third)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("m1"))->text, third.text);
  marked = third;
  updated = marked;
  // Under another headline and date, news above the text is another story under a reused
  // guid (the verdict a week after the arrest): a new item, the first kept.
  Article verdict = updated;
  verdict.title = "Former mayor sentenced to seven years";
  verdict.text =
      "Seven years in a high-security colony: that is the sentence handed down on Monday to "
      "the ex-mayor, whose property will also be confiscated; his defence team says it will "
      "challenge the ruling before the supreme bench.\n\n" +
      updated.text;
  verdict.published = 1000 + 7 * 86400;
  verdict.arrived = *verdict.published + 60;
  EXPECT_EQ(*ingest.Correct(Article(verdict)), Reingested::kAdded);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("m1"))->text, updated.text);

  Article notice = Make("n1", "power", "", 5000);
  notice.title = "Planned power cut";
  auto text = [](const char* day) {
    return std::string("Due to planned maintenance of the power grid on ") + day +
           " from 09:00 to 17:00, electricity will be cut off at Abay street, houses 10 to 24, "
           "and Zhambyl street, houses 1 to 15. The power company asks residents to switch off "
           "their electrical appliances in advance.";
  };
  notice.text = text("12 November");
  ASSERT_TRUE(ingest.Stage(Article(notice)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  Article fixed = notice;
  fixed.text = text("19 November");
  EXPECT_EQ(*ingest.Correct(Article(fixed)), Reingested::kUpdated);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("n1"))->text, fixed.text);
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

// A reparse that finds only other markup (a tracking pixel's session id) re-puts the item in
// place: not revised, not sent to export cursors again; other words are a revision.
TEST_F(IngestTest, AReparseOfOtherMarkupIsNoRevision) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  auto reparse = [&](const std::string& text) {
    Article a = Make("a1", "agency", text, 1000);
    std::vector<ReparsedBody> bodies(1);
    bodies[0] = {2000, std::vector<Article>{a}};
    ReparseReport report = StageReparsed(std::move(bodies), ingest, /*dry_run=*/false, 9000);
    EXPECT_TRUE(ingest.Commit().ok());
    return report.updated;
  };
  EXPECT_EQ(reparse(std::string(kStory) + "<img src=\"http://x/px.gif?session=2222\">"), 1u);
  EXPECT_EQ((*archive_.GetItem("a1"))->revised, 0) << "markup alone";
  EXPECT_EQ(archive_.ItemsFrom(1, 10)->size(), 0u) << "not exported again";
  EXPECT_EQ(reparse(std::string(kStory) + " A sentence the first parse lost."), 1u);
  EXPECT_EQ((*archive_.GetItem("a1"))->revised, 9000);
  EXPECT_EQ(archive_.ItemsFrom(1, 10)->size(), 1u);
}

// A flash (a headline alone) expanded into the full story under its guid: an outlet's copy of
// the story, under a headline of its own, joins the flash's story (the correction's text was
// indexed), after a restart as well (the index record is the new version's).
TEST_F(IngestTest, ACopyOfACorrectedTextJoinsTheCorrectedItem) {
  {
    Ingestor ingest(archive_, dedup::Options());
    ASSERT_TRUE(ingest.Restore().ok());
    Article flash = Make("f1", "agency", "", 1000);
    flash.title = "Kazakh foreign minister arrives in Rabat";
    ASSERT_TRUE(ingest.Stage(Article(flash)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    flash.text = kStory;
    flash.arrived = 1900;
    EXPECT_EQ(*ingest.Correct(Article(flash)), Reingested::kUpdated);
    ASSERT_TRUE(ingest.Commit().ok());
    Article copy = Make("o1", "outlet", std::string("(Agency) - ") + kStory, 2000);
    copy.title = "Nurtleu and Bourita discuss direct flights";
    ASSERT_TRUE(ingest.Stage(std::move(copy)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    EXPECT_EQ((*archive_.GetItem("o1"))->story, "f1");
  }
  Ingestor restarted(archive_, dedup::Options());
  ASSERT_TRUE(restarted.Restore().ok());
  Article copy = Make("o2", "outlet2", kStory, 2100);
  copy.title = "Kazakhstan and Morocco to launch direct flights";
  ASSERT_TRUE(restarted.Stage(std::move(copy)).ok());
  ASSERT_TRUE(restarted.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("o2"))->story, "f1");
  EXPECT_EQ(restarted.engine().IndexedItems(), 3u) << "one entry per item after a restart";
}

// Two kept bodies list the same item with other titles: the newest body's version wins,
// whatever is stored, so a second reparse changes nothing (it used to flip the item between
// the two versions on every run). Also after a commit written in the background.
TEST_F(IngestTest, ReparseTakesEachItemFromTheNewestBodyAndIsIdempotent) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  auto bodies = [&] {
    Article older = Make("a1", "agency", kStory, 1000);
    older.title = "Older headline";
    Article newer = Make("a1", "agency", kStory, 1000);
    newer.title = "Newer headline";
    std::vector<ReparsedBody> out(2);
    out[0] = {2000, std::vector<Article>{older}};
    out[1] = {3000, std::vector<Article>{newer}};
    return out;
  };
  ReparseReport first = StageReparsed(bodies(), ingest, /*dry_run=*/false, 4000);
  EXPECT_EQ(first.updated, 1u);
  EXPECT_EQ(first.unchanged, 1u);
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  EXPECT_EQ((*archive_.GetItem("a1"))->title, "Newer headline");
  ReparseReport second = StageReparsed(bodies(), ingest, /*dry_run=*/false, 4000);
  EXPECT_EQ(second.updated, 0u);
  EXPECT_EQ(second.unchanged, 2u);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("a1"))->title, "Newer headline");
}

// Items a reparse adds arrive when it runs, not when their body was fetched, and items it
// revises are revised then: the export order's times (arrival, or revision for a revised
// item, what export --since searches) never go back in time.
TEST_F(IngestTest, ItemsAReparseAddsArriveWhenItRuns) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("early", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Stage(Make("late", "agency", "Another story altogether.", 9000)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  std::vector<ReparsedBody> bodies(1);
  Article missed = Make("missed", "agency", "A story the first parse missed.", 1000);
  missed.arrived = 2000;  // when its body was fetched
  Article known = Make("early", "agency", kStory, 1000);
  known.title = "Fixed headline";
  bodies[0] = {2000, std::vector<Article>{missed, known}};
  ReparseReport report = StageReparsed(std::move(bodies), ingest, /*dry_run=*/false, 9500);
  EXPECT_EQ(report.added, 1u);
  EXPECT_EQ(report.updated, 1u);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("missed"))->arrived, 9500);
  EXPECT_EQ((*archive_.GetItem("early"))->arrived, 1060) << "a stored item keeps its arrival";
  auto page = archive_.ItemsFrom(0, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ(page->back().item.id, "early") << "revised: exported again";
  EXPECT_EQ(page->back().item.revised, 9500);
  auto time = [](const storage::ItemRecord& item) { return std::max(item.arrived, item.revised); };
  for (size_t i = 1; i < page->size(); ++i) {
    EXPECT_LE(time((*page)[i - 1].item), time((*page)[i].item)) << (*page)[i].item.id;
  }
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

// Expiry follows the items' times, and drops old items for good: a few items dated decades
// ahead (a typo year) must not drag it past every other item. A copy of an earlier story,
// staged after them, still joins it.
TEST_F(IngestTest, AFewItemsDatedFarAheadDoNotExpireTheIndex) {
  constexpr UnixSeconds kMay2024 = 1714521600;
  constexpr UnixSeconds kYear = 365 * 86400;
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, kMay2024)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(ingest
                    .Stage(Make("typo" + std::to_string(i), "outlet",
                                kOther + std::string(" Item ") + std::to_string(i) + ".",
                                kMay2024 + 75 * kYear + i))
                    .ok());
    ASSERT_TRUE(ingest.Commit().ok());
  }
  for (int i = 0; i < 40; ++i) {  // more items than the horizon needs, at the usual time
    const std::string n = std::to_string(i);
    ASSERT_TRUE(ingest
                    .Stage(Make("f" + n, "wire",
                                "Filler number " + n + " reports alpha" + n + " beta" + n +
                                    " gamma" + n + " delta" + n + " epsilon" + n + ".",
                                kMay2024 + 60 + i))
                    .ok());
  }
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, kMay2024 + 5 * 3600)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
}

// The index keeps the window plus Options::late() below the newest item: by default (late =
// the window) a copy dated 71 h behind the newest still joins its story of 101 h back (30 h
// before the copy); with late = 6 h that story has been let go of, and the copy, counted
// late, starts a new one.
TEST_F(IngestTest, LateBoundsHowFarBehindTheNewestACopyFindsItsStory) {
  constexpr UnixSeconds kMay2024 = 1714521600, kHour = 3600;
  for (const int64_t late : {int64_t{-1}, 6 * kHour}) {
    testing::FakeArchive archive;
    dedup::Options options;  // window 72 h
    options.late_seconds = late;
    Ingestor ingest(archive, options);
    ASSERT_TRUE(ingest.Restore().ok());
    ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, kMay2024)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    for (size_t i = 0; i < dedup::TimeHorizon::kSupport + 8; ++i) {  // the newest: 101 h on
      const std::string n = std::to_string(i);
      ASSERT_TRUE(ingest
                      .Stage(Make("f" + n, "wire",
                                  "Filler number " + n + " reports alpha" + n + " beta" + n +
                                      " gamma" + n + " delta" + n + " epsilon" + n + ".",
                                  kMay2024 + 101 * kHour + static_cast<UnixSeconds>(i)))
                      .ok());
    }
    ASSERT_TRUE(ingest.Commit().ok());
    ASSERT_TRUE(ingest.Commit().ok());  // the expiry the newest items call for
    ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, kMay2024 + 30 * kHour)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    if (late < 0) {
      EXPECT_EQ((*archive.GetItem("b1"))->story, "a1");
      EXPECT_EQ(ingest.stats().late, 0u);
    } else {
      EXPECT_EQ((*archive.GetItem("b1"))->story, "b1");
      EXPECT_EQ(ingest.stats().late, 1u);
    }
  }
}

// Items more than the window (and a time bucket) below the newest are kept cold: their sets
// leave RAM and are read back from the archive when a late item must be compared with them.
// The late copy still joins its story, through one read of the archive; with the archive's
// record gone it cannot be compared, and starts a story of its own.
TEST_F(IngestTest, ALateCopyFindsItsStoryThroughTheArchive) {
  constexpr UnixSeconds kMay2024 = 1714521600, kHour = 3600;
  for (const bool record_lost : {false, true}) {
    testing::FakeArchive archive;
    Ingestor ingest(archive, dedup::Options());  // window 72 h, late 72 h
    ASSERT_TRUE(ingest.Restore().ok());
    ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, kMay2024)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    auto filler = [&](size_t i) {
      const std::string n = std::to_string(i);
      return Make("f" + n, "wire",
                  "Filler number " + n + " reports alpha" + n + " beta" + n + " gamma" + n +
                      " delta" + n + " epsilon" + n + ".",
                  kMay2024 + 101 * kHour + static_cast<UnixSeconds>(i));
    };
    size_t i = 0;
    for (; i < dedup::TimeHorizon::kSupport + 8; ++i) ASSERT_TRUE(ingest.Stage(filler(i)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    ASSERT_TRUE(ingest.Commit().ok());  // the expiry the newest items call for: a1 goes cold
    ASSERT_TRUE(ingest.Stage(filler(i++)).ok());  // its sets leave RAM here
    ASSERT_TRUE(ingest.Commit().ok());
    EXPECT_EQ(ingest.engine().ColdReadCounts().reads, 0u);
    if (record_lost) {
      testing::FakeArchive::Store& store = *archive.store();
      std::lock_guard lock(store.mu);
      store.index["dedup_docs"].clear();
    }
    ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, kMay2024 + 30 * kHour)).ok());
    ASSERT_TRUE(ingest.Commit().ok());
    const dedup::Engine::ColdReads reads = ingest.engine().ColdReadCounts();
    EXPECT_EQ(reads.reads, 1u);
    if (!record_lost) {
      EXPECT_EQ((*archive.GetItem("b1"))->story, "a1");
      EXPECT_EQ(reads.failures, 0u);
    } else {
      EXPECT_EQ((*archive.GetItem("b1"))->story, "b1");
      EXPECT_EQ(reads.failures, 1u);
    }
  }
}

// A restored index keeps the items behind the window cold at once: a late copy still finds its
// story, through one read of the archive.
TEST_F(IngestTest, AfterARestartItemsBehindTheWindowAreCold) {
  constexpr UnixSeconds kMay2024 = 1714521600, kHour = 3600;
  testing::FakeArchive archive;
  {
    Ingestor ingest(archive, dedup::Options());
    ASSERT_TRUE(ingest.Restore().ok());
    ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, kMay2024)).ok());
    ASSERT_TRUE(ingest
                    .Stage(Make("f1", "wire", "Filler alpha beta gamma delta epsilon zeta eta.",
                                kMay2024 + 101 * kHour))
                    .ok());
    ASSERT_TRUE(ingest.Commit().ok());
  }
  Ingestor ingest(archive, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, kMay2024 + 30 * kHour)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive.GetItem("b1"))->story, "a1");
  EXPECT_EQ(ingest.engine().ColdReadCounts().reads, 1u);
}

// A commit's expiry drops the index records of items older than it keeps, those staged in the
// same batch too: they are not written only for the next commit to delete, and a restart
// indexes what the running ingestor held.
TEST_F(IngestTest, RecordsTheCommitExpiresAreNotWritten) {
  constexpr UnixSeconds kMay2024 = 1714521600;
  constexpr UnixSeconds kLater = kMay2024 + 30 * 86400;
  constexpr size_t kNew = dedup::TimeHorizon::kSupport;  // enough for expiry to follow them
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("old", "agency", kStory, kMay2024)).ok());
  for (size_t i = 0; i < kNew; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(ingest
                    .Stage(Make("new" + n, "wire",
                                "Item number " + n + " reports alpha" + n + " beta" + n + " gamma" +
                                    n + " delta" + n + " epsilon" + n + ".",
                                kLater + static_cast<UnixSeconds>(i)))
                    .ok());
  }
  ASSERT_TRUE(ingest.Commit().ok());
  size_t docs = 0;
  bool old_written = false;
  ASSERT_TRUE(archive_
                  .ForEachIndexRecord(storage::kDedupDocsFamily,
                                      [&](std::string_view key, std::string_view) {
                                        ++docs;
                                        old_written |= key.find("old") != std::string_view::npos;
                                      })
                  .ok());
  EXPECT_EQ(docs, kNew);
  EXPECT_FALSE(old_written);
  Ingestor restarted(archive_, dedup::Options());
  ASSERT_TRUE(restarted.Restore().ok());
  EXPECT_EQ(restarted.engine().IndexedItems(), kNew);
  ASSERT_TRUE(restarted.Stage(Make("copy", "outlet", kStory, kMay2024 + 60)).ok());
  ASSERT_TRUE(restarted.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("copy"))->story, "copy");  // "old" was let go of: a new story
}

// Counts the archive lookups of item ids.
class CountingArchive : public testing::FakeArchive {
 public:
  using FakeArchive::FakeArchive;
  Result<bool> HasItem(const ItemId& id) override {
    ++lookups;
    return FakeArchive::HasItem(id);
  }
  int lookups = 0;  // HasItem runs on the ingestor's thread only
};

// An archive that held no item id when the ingestor started holds only the ids it stored: new
// ids are not looked up there, and an id stored by an earlier commit (in the background or
// not) is still skipped as stored. After a restart the archive holds ids: every one is looked up.
TEST_F(IngestTest, AnArchiveThatHeldNoIdsIsNotReadForNewOnes) {
  CountingArchive archive;
  Ingestor ingest(archive, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "wire", kOther, 2000)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  EXPECT_EQ(archive.lookups, 0);
  ASSERT_TRUE(ingest.Stage(Make("a1", "outlet", kStory, 3000)).ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kOther, 3000)).ok());
  EXPECT_EQ(ingest.stats().duplicates, 2u);
  EXPECT_EQ(archive.lookups, 1);  // a1's: b1 is still known as the batch just written
  ASSERT_TRUE(ingest.Commit().ok());

  CountingArchive restarted(archive.store());
  Ingestor again(restarted, dedup::Options());
  ASSERT_TRUE(again.Restore().ok());
  ASSERT_TRUE(again.Stage(Make("c1", "outlet", kStory, 4000)).ok());
  ASSERT_TRUE(again.Stage(Make("a1", "outlet", kStory, 4000)).ok());
  EXPECT_EQ(restarted.lookups, 2);
  EXPECT_EQ(again.stats().duplicates, 1u);
}

// In an import of dated stories with undated ones among them, the undated count at the
// import's time: they must not expire the dated past either.
TEST_F(IngestTest, UndatedItemsDoNotExpireTheDatedOnes) {
  constexpr UnixSeconds k2015 = 1420070400;
  constexpr UnixSeconds kNow = 1790000000;
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, k2015)).ok());
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i);
    Article undated = Make("u" + n, "wire",
                           "Undated item " + n + " reports alpha" + n + " beta" + n + " gamma" + n +
                               " delta" + n + ".",
                           0);
    undated.published.reset();
    undated.arrived = kNow + i;
    ASSERT_TRUE(ingest.Stage(undated).ok());
  }
  ASSERT_TRUE(ingest.Commit().ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, k2015 + 3600)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
}

// A publication time days after the item's arrival is a wrong date: the item counts at its
// arrival, so it still matches a correctly dated copy.
TEST_F(IngestTest, AnItemDatedDaysAfterItsArrivalCountsAtItsArrival) {
  constexpr UnixSeconds kNow = 1714521600;
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  Article wrong = Make("a1", "outlet", kStory, kNow);
  wrong.published = kNow + 3 * 365 * 86400;  // arrived stays kNow + 60
  ASSERT_TRUE(ingest.Stage(wrong).ok());
  ASSERT_TRUE(ingest.Stage(Make("b1", "agency", kStory, kNow + 3600)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
  EXPECT_EQ(*(*archive_.GetItem("a1"))->published, kNow + 3 * 365 * 86400);  // kept as received
}

TEST_F(IngestTest, AFailedCommitLeavesNothingAndTheIndexForgetsIt) {
  Ingestor ingest(archive_, dedup::Options());
  archive_.FailNextCommit(Status::IOError("disk full"));
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  EXPECT_FALSE(ingest.Commit().ok());
  EXPECT_FALSE(*archive_.HasItem("a1"));
  EXPECT_EQ(ingest.stats().new_stories, 0u);  // status and metrics count what is stored
  // Fetched again after the failure: a new story again, not a copy of a ghost.
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  EXPECT_EQ(ingest.staged_items(), 1u);
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("a1"))->story, "a1");
  EXPECT_EQ(ingest.stats().new_stories, 1u);
  EXPECT_EQ(ingest.staged_items(), 0u);
}

// A dedup index record that cannot be read (a damaged archive) is skipped and counted; the
// rest of the index still finds copies.
TEST_F(IngestTest, AnUnreadableIndexRecordIsSkippedAndCounted) {
  {
    Ingestor first(archive_, dedup::Options());
    ASSERT_TRUE(first.Stage(Make("a1", "agency", kStory, 1000)).ok());
    ASSERT_TRUE(first.Commit().ok());
  }
  storage::Batch damaged;
  damaged.PutIndex("dedup_docs", "short", "x");
  ASSERT_TRUE(archive_.Commit(damaged).ok());
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  EXPECT_EQ(ingest.stats().unreadable_index_records, 1u);
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", std::string("(Agency) - ") + kStory, 1100)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1");
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

// A failed background commit is reported by the next commit call, and nothing staged after it
// is written: the archive holds what was committed before, the index forgets the rest.
TEST_F(IngestTest, AFailedBackgroundCommitIsReportedAndWritesNothingAfterIt) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Stage(Make("k1", "outlet", kOther, 900)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  archive_.FailNextCommit(Status::IOError("disk full"));
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());  // started; fails in the background
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, 1100)).ok());
  const Status failed = ingest.Commit();
  EXPECT_EQ(failed.code(), Status::Code::kIOError);
  EXPECT_NE(failed.message().find("disk full"), std::string::npos) << failed.ToString();
  EXPECT_TRUE(ingest.WaitCommitted().ok());  // reported once
  EXPECT_TRUE(*archive_.HasItem("k1"));
  EXPECT_FALSE(*archive_.HasItem("a1"));
  EXPECT_FALSE(*archive_.HasItem("b1"));
  EXPECT_EQ(ingest.stats().commits, 1u);
  EXPECT_EQ(ingest.stats().new_stories + ingest.stats().copies, 1u);  // k1 only
  // Fetched again after the failure: b1 founds its story, not a copy of a ghost.
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, 1100)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "b1");
  EXPECT_EQ(ingest.stats().new_stories, 2u);
}

// A failed background commit empties the index and leaves the restore to the caller (the
// daemon runs it off its event loop): nothing is staged against the empty index meanwhile,
// and once restored, copies of what was stored before join their stories again.
TEST_F(IngestTest, AfterAFailedBackgroundCommitNothingIsStagedUntilTheIndexIsRestored) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Stage(Make("a1", "agency", kStory, 1000)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  ASSERT_TRUE(ingest.WaitCommitted().ok());
  archive_.FailNextCommit(Status::IOError("disk full"));
  ASSERT_TRUE(ingest.Stage(Make("k1", "outlet", kOther, 1050)).ok());
  ASSERT_TRUE(ingest.CommitInBackground().ok());
  EXPECT_EQ(ingest.WaitCommitted().code(), Status::Code::kIOError);
  EXPECT_TRUE(ingest.stale());
  EXPECT_EQ(ingest.engine().IndexedItems(), 0u) << "the restore is the caller's, not here";
  const Status refused = ingest.Stage(Make("b1", "outlet", kStory, 1100));
  EXPECT_EQ(refused.code(), Status::Code::kUnavailable) << refused.ToString();
  EXPECT_EQ(ingest.staged_items(), 0u);
  ASSERT_TRUE(ingest.Restore().ok());
  EXPECT_FALSE(ingest.stale());
  ASSERT_TRUE(ingest.Stage(Make("b1", "outlet", kStory, 1100)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  EXPECT_EQ((*archive_.GetItem("b1"))->story, "a1") << "a copy of what was stored before";
  EXPECT_FALSE(*archive_.HasItem("k1"));
}

// A restore that failed part-way is run again (the daemon's next try): it starts from an
// empty index, so no item is indexed twice.
TEST_F(IngestTest, ARestoreRunAgainIndexesEachItemOnce) {
  {
    Ingestor first(archive_, dedup::Options());
    ASSERT_TRUE(first.Stage(Make("a1", "agency", kStory, 1000)).ok());
    ASSERT_TRUE(first.Stage(Make("k1", "outlet", kOther, 1050)).ok());
    ASSERT_TRUE(first.Commit().ok());
  }
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  ASSERT_TRUE(ingest.Restore().ok());
  EXPECT_EQ(ingest.engine().IndexedItems(), 2u);
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
