#include "core/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace newsd {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(ClockTest, RealClockTimersWaitTheSpanItself) {
  SystemClock clock;
  EXPECT_EQ(clock.RealSpan(seconds(90)), seconds(90));
  EXPECT_EQ(clock.RealSpan(nanoseconds(0)), nanoseconds(0));
}

TEST(ClockTest, ScaledClockTimersWaitTheSpanDividedByTheFactor) {
  ScaledClock clock(180);
  // 15 minutes of the daemon's clock pass in 5 real seconds.
  EXPECT_EQ(clock.RealSpan(std::chrono::minutes(15)), seconds(5));
  // Rounded up: a timer never wakes before the time it waits for.
  EXPECT_EQ(clock.RealSpan(nanoseconds(181)), nanoseconds(2));
  EXPECT_EQ(clock.RealSpan(nanoseconds(0)), nanoseconds(0));
}

TEST(ClockTest, ScaledClockStartsAtRealTimeAndRunsFaster) {
  const auto before = std::chrono::system_clock::now();
  ScaledClock clock(1000);
  const auto start = clock.Now();
  EXPECT_GE(start, before);
  EXPECT_LT(start - before, seconds(10));  // starts at the real time, not at the epoch
  std::this_thread::sleep_for(milliseconds(5));
  // At least 5 ms of real time passed: at least 5 s of the clock's.
  EXPECT_GE(clock.Now() - start, seconds(5));
  EXPECT_GE(clock.Now(), clock.origin());
}

}  // namespace
}  // namespace newsd
