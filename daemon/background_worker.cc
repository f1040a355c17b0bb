#include "daemon/background_worker.h"

#include <utility>

namespace newsd::daemon {

BackgroundWorker::~BackgroundWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::future<Status> BackgroundWorker::Run(std::function<Status()> job) {
  std::packaged_task<Status()> task(std::move(job));
  std::future<Status> result = task.get_future();
  {
    std::lock_guard lock(mu_);
    // Started before the job is queued: should starting it throw, no job is left behind for a
    // later Run's thread to write twice. (It waits for mu_ before looking at the queue.)
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
    jobs_.push_back(std::move(task));
  }
  wake_.notify_one();
  return result;
}

void BackgroundWorker::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and nothing left to run
    std::packaged_task<Status()> task = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace newsd::daemon
