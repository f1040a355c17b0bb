// Ingestor: corrections from polls (Correct) and reparses (Reingest, StageReparsed).

#include <gtest/gtest.h>

#include "daemon/ingest.h"
#include "daemon/reparse.h"
#include "tests/daemon/ingest_test_util.h"

namespace newsd::daemon {
namespace {

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

// A kept body's item that a poll found stored under another item id (the same link and words:
// one feed under two ids) is not added by a reparse, nor counted as added; nor by a dry run,
// which says what the reparse would do. A copy at another link is one the reparse adds.
TEST_F(IngestTest, ReingestCountsNoAddForTheSameArticleUnderAnotherId) {
  Ingestor ingest(archive_, dedup::Options());
  ASSERT_TRUE(ingest.Restore().ok());
  Article stored = Make("px:1", "portal", kStory, 1000);
  stored.url = "https://portal.kz/1";
  ASSERT_TRUE(ingest.Stage(std::move(stored)).ok());
  ASSERT_TRUE(ingest.Commit().ok());
  for (bool dry_run : {true, false}) {
    Article again = Make("py:1", "portal", kStory, 1000);
    again.url = "https://portal.kz/1";
    EXPECT_EQ(*ingest.Reingest(std::move(again), dry_run), Reingested::kUnchanged) << dry_run;
    EXPECT_EQ(ingest.pending(), 0u);
  }
  Article elsewhere = Make("pz:1", "outlet", kStory, 1000);
  elsewhere.url = "https://outlet.kz/1";
  const uint64_t candidates = ingest.stats().candidates;
  EXPECT_EQ(*ingest.Reingest(std::move(elsewhere), /*dry_run=*/true), Reingested::kAdded);
  EXPECT_EQ(ingest.pending(), 0u);
  EXPECT_EQ(ingest.stats().candidates, candidates) << "a dry run counts nothing";
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

}  // namespace
}  // namespace newsd::daemon
