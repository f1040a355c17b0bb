#include "daemon/scheduler.h"

namespace newsd::daemon {

void Scheduler::Set(const FeedId& feed, UnixSeconds when) {
  due_[feed] = when;
  heap_.push({when, feed});
}

void Scheduler::Remove(const FeedId& feed) { due_.erase(feed); }

void Scheduler::DropStale() {
  while (!heap_.empty()) {
    const Entry& top = heap_.top();
    auto it = due_.find(top.feed);
    if (it != due_.end() && it->second == top.when) return;
    heap_.pop();
  }
}

std::vector<FeedId> Scheduler::PopDue(UnixSeconds now) {
  std::vector<FeedId> out;
  for (DropStale(); !heap_.empty() && heap_.top().when <= now; DropStale()) {
    out.push_back(heap_.top().feed);
    due_.erase(heap_.top().feed);
    heap_.pop();
  }
  return out;
}

std::optional<UnixSeconds> Scheduler::NextDue() {
  DropStale();
  if (heap_.empty()) return std::nullopt;
  return heap_.top().when;
}

}  // namespace newsd::daemon
