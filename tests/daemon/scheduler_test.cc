#include "daemon/scheduler.h"

#include <gtest/gtest.h>

namespace newsd::daemon {
namespace {

TEST(SchedulerTest, PopsDueFeedsEarliestFirst) {
  Scheduler s;
  s.Set("b", 200);
  s.Set("a", 100);
  s.Set("c", 300);
  EXPECT_EQ(s.NextDue(), 100);
  EXPECT_EQ(s.PopDue(250), (std::vector<FeedId>{"a", "b"}));
  EXPECT_EQ(s.NextDue(), 300);
  EXPECT_TRUE(s.PopDue(299).empty());
}

TEST(SchedulerTest, RescheduleReplacesTheOldTime) {
  Scheduler s;
  s.Set("a", 100);
  s.Set("a", 500);
  EXPECT_TRUE(s.PopDue(400).empty());
  EXPECT_EQ(s.PopDue(500), (std::vector<FeedId>{"a"}));
  EXPECT_EQ(s.size(), 0u);
}

TEST(SchedulerTest, RemovedFeedsAreNeverDue) {
  Scheduler s;
  s.Set("a", 100);
  s.Remove("a");
  EXPECT_FALSE(s.NextDue());
  EXPECT_TRUE(s.PopDue(1000).empty());
}

}  // namespace
}  // namespace newsd::daemon
