// ItemsDatedWithin: the archive's items of a span of days, through their stories.

#include "storage/archive_window.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/fakes/fake_archive.h"

namespace newsd::storage {
namespace {

constexpr UnixSeconds kSpanHour = 3600;
constexpr UnixSeconds kSpanStart = 1714521600;  // 2024-05-01

// One story an item, founded by it, dated kSpanStart + hours[i] h.
void StoreStories(Archive& archive, const std::vector<int>& hours) {
  Batch batch;
  for (const int h : hours) {
    std::string id = "s";  // not "s" + ...: GCC 12 warns of an overlap that is not there
    id += std::to_string(h);
    ItemRecord item;
    item.id = id;
    item.story = id;
    item.published = kSpanStart + h * kSpanHour;
    item.arrived = *item.published;
    batch.PutNewItem(item);
    batch.PutNewStory(StoryRecord{id, id, *item.published, 1, *item.published});
  }
  ASSERT_TRUE(archive.Commit(batch).ok());
}

std::vector<std::string> Ids(const SpanItems& span) {
  std::vector<std::string> ids;
  for (const ItemRecord& item : span.items) ids.push_back(item.id);
  return ids;
}

TEST(ItemsDatedWithinTest, ReadsTheItemsOfItsDaysOldestFirst) {
  newsd::testing::FakeArchive archive;
  StoreStories(archive, {30, 0, 10, 20, 50, 5});
  auto span = ItemsDatedWithin(archive, {.from = kSpanStart + 5 * kSpanHour,
                                         .to = kSpanStart + 30 * kSpanHour,
                                         .window = 72 * kSpanHour});
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(Ids(*span), (std::vector<std::string>{"s5", "s10", "s20", "s30"}));
  EXPECT_EQ(span->left_out, 0u);
}

// Over its limit, the items dated nearest its center are read, still oldest first.
TEST(ItemsDatedWithinTest, OverItsLimitKeepsTheItemsNearestItsCenter) {
  newsd::testing::FakeArchive archive;
  StoreStories(archive, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  auto span = ItemsDatedWithin(archive, {.from = kSpanStart,
                                         .to = kSpanStart + 9 * kSpanHour,
                                         .window = 72 * kSpanHour,
                                         .limit = 3,
                                         .center = kSpanStart + 7 * kSpanHour});
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(Ids(*span), (std::vector<std::string>{"s6", "s7", "s8"}));
  EXPECT_EQ(span->left_out, 7u);
}

}  // namespace
}  // namespace newsd::storage
