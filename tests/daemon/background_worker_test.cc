#include "daemon/background_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace newsd::daemon {
namespace {

TEST(BackgroundWorkerTest, RunsJobsInOrderOnOneThreadAndReturnsTheirResults) {
  BackgroundWorker worker;
  std::vector<int> order;  // written by the worker's thread alone
  std::vector<std::thread::id> threads;
  std::vector<std::future<Status>> results;
  for (int i = 0; i < 50; ++i) {
    results.push_back(worker.Run([&, i] {
      order.push_back(i);
      threads.push_back(std::this_thread::get_id());
      return i % 7 == 3 ? Status::IOError("job " + std::to_string(i)) : Status::Ok();
    }));
  }
  for (int i = 0; i < 50; ++i) {
    const Status s = results[i].get();
    EXPECT_EQ(s.ok(), i % 7 != 3) << i;
    if (!s.ok()) {
      EXPECT_NE(s.message().find("job " + std::to_string(i)), std::string::npos);
    }
  }
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
  // One thread for all of them, and not the caller's.
  for (const std::thread::id& id : threads) EXPECT_EQ(id, threads.front());
  EXPECT_NE(threads.front(), std::this_thread::get_id());
}

TEST(BackgroundWorkerTest, DestructionRunsTheQueuedJobsFirst) {
  std::atomic<int> ran{0};
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::future<Status> last;
  {
    BackgroundWorker worker;
    worker.Run([&] {
      gate.wait();  // the others queue up behind this one
      ++ran;
      return Status::Ok();
    });
    for (int i = 0; i < 4; ++i) {
      last = worker.Run([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ++ran;
        return Status::Ok();
      });
    }
    release.set_value();
  }  // joins here
  EXPECT_EQ(ran.load(), 5);
  ASSERT_EQ(last.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_TRUE(last.get().ok());
}

}  // namespace
}  // namespace newsd::daemon
