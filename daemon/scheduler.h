#pragma once

#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <vector>

#include "core/ids.h"
#include "core/time.h"

namespace newsd::daemon {

/// When each feed is next due: a min-heap of (next fetch time, feed) with lazy deletion.
/// Pure bookkeeping, no clock reads: callers pass "now". Not thread-safe.
class Scheduler {
 public:
  /// Schedules (or reschedules) `feed` at `when`.
  void Set(const FeedId& feed, UnixSeconds when);
  /// Forgets `feed`.
  void Remove(const FeedId& feed);
  /// When `feed` is due, if it is scheduled.
  std::optional<UnixSeconds> At(const FeedId& feed) const {
    auto it = due_.find(feed);
    return it == due_.end() ? std::nullopt : std::optional<UnixSeconds>(it->second);
  }
  /// Removes and returns every feed due at or before `now`, earliest first.
  std::vector<FeedId> PopDue(UnixSeconds now);
  /// Time of the earliest scheduled feed, if any.
  std::optional<UnixSeconds> NextDue();
  size_t size() const { return due_.size(); }

 private:
  struct Entry {
    UnixSeconds when;
    FeedId feed;
    bool operator>(const Entry& o) const { return when > o.when; }
  };
  void DropStale();

  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
  std::map<FeedId, UnixSeconds> due_;  ///< The live entry per feed.
};

}  // namespace newsd::daemon
