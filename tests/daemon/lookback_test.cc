// ArchiveLookback over more archived items than it holds at once.

#include "daemon/lookback.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/daemon/ingest_test_util.h"
#include "tests/fakes/fake_archive.h"

namespace newsd::daemon {
namespace {

constexpr UnixSeconds kLookStart = 1714521600;  // 2024-05-01
constexpr UnixSeconds kLookHour = 3600;

// An unrelated story a hour, hours 0 to 9, but hour `story_hour`'s, which is kStory.
void StoreHourly(testing::FakeArchive& archive, int story_hour) {
  storage::Batch batch;
  for (int h = 0; h < 10; ++h) {
    const std::string n = std::to_string(h);
    storage::ItemRecord item;
    item.id = "hour" + n;
    item.story = item.id;
    item.source = "agency";
    item.title = "title " + n;
    item.text = h == story_hour ? std::string(kStory)
                                : "Hourly item " + n + " tells of rho" + n + " sigma" + n + " tau" +
                                      n + " upsilon" + n + " phi" + n + ".";
    item.published = kLookStart + h * kLookHour;
    item.arrived = *item.published;
    batch.PutNewItem(item);
    batch.PutNewStory(storage::StoryRecord{item.id, item.id, *item.published, 1, *item.published});
  }
  ASSERT_TRUE(archive.Commit(batch).ok());
}

dedup::Document Copy(UnixSeconds time) { return {"outlet", "A copy", kStory, time}; }

// Holding at most 4 items, it reads the 4 dated nearest the article; the next article dated
// near it is served by them (no read), one dated far from them reads anew around itself.
TEST(ArchiveLookbackTest, OverItsLimitHoldsTheItemsNearestTheArticle) {
  testing::FakeArchive archive;
  StoreHourly(archive, 2);
  ArchiveLookback lookback(archive, dedup::Options(), nullptr, /*max_items=*/4);
  const UnixSeconds held_from = kLookStart + 365 * 24 * kLookHour;  // the index holds none

  auto first = lookback.Find(Copy(kLookStart + 2 * kLookHour), held_from);
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->is_copy);
  EXPECT_EQ(first->story, "hour2");
  EXPECT_EQ(lookback.counts().reads, 1u);
  EXPECT_EQ(lookback.counts().items_read, 4u);
  EXPECT_EQ(lookback.counts().items_left_out, 6u);

  auto near = lookback.Find(Copy(kLookStart + 2 * kLookHour + 1800), held_from);
  ASSERT_TRUE(near.has_value());
  EXPECT_EQ(near->story, "hour2");
  EXPECT_EQ(lookback.counts().reads, 1u);  // served by the items held

  auto far = lookback.Find(Copy(kLookStart + 8 * kLookHour), held_from);
  ASSERT_TRUE(far.has_value());
  EXPECT_FALSE(far->is_copy);  // hour 2's story is no longer among the 4 nearest
  EXPECT_EQ(lookback.counts().reads, 2u);
  EXPECT_EQ(lookback.held(), 4u);
}

}  // namespace
}  // namespace newsd::daemon
