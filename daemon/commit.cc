// Group commit, and what follows a write: the polls applied, or redone when it failed, and
// ingest paused while the archive refuses writes.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/plural.h"
#include "core/time.h"
#include "daemon/daemon.h"
#include "daemon/notify.h"

namespace newsd::daemon {

namespace {

constexpr int64_t kRetryAfterCommitFailure = 60;  // seconds

}  // namespace

void Daemon::CommitGroup() {
  // One group is written at a time; what finishes meanwhile waits for CommitDone.
  // (While the index is read again after a failed commit, nothing is staged: OnRestored.)
  if (!HasUncommitted() || ingestor_->committing() || restoring_) return;
  for (storage::HostStats& host : gate_->TakeDirty()) {
    if (!host.host.empty()) ingestor_->StageHost(std::move(host));
  }
  committing_ = std::move(uncommitted_);
  uncommitted_.clear();
  committing_waiters_ = std::move(uncommitted_waiters_);
  uncommitted_waiters_.clear();
  // The batch is written on a thread of the ingestor's while this loop fetches, parses and
  // stages the next group; the thread only posts the news back here.
  commit_started_ = std::chrono::steady_clock::now();
  Status s = ingestor_->CommitInBackground([this] { asio::post(io_, [this] { OnCommitted(); }); });
  if (!s.ok() || !ingestor_->committing()) CommitDone(s);
}

void Daemon::OnCommitted() { CommitDone(ingestor_->WaitCommitted()); }

void Daemon::CommitDone(const Status& s) {
  if (!committing_.empty() || !committing_waiters_.empty()) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - commit_started_;
    commit_seconds_ += took.count();
    ++commit_groups_;
  }
  std::vector<storage::FeedState> group = std::move(committing_);
  committing_.clear();
  std::vector<CommitWaiter> waiters = std::move(committing_waiters_);
  committing_waiters_.clear();
  if (!s.ok()) {
    CommitFailed(s, std::move(group), &waiters);
  } else {
    CommitApplied(std::move(group));
  }
  if (mode_ == Mode::kService) {
    NotifyStatus(StatusLine());
    ArmTimer();
  }
  for (CommitWaiter& w : waiters) w(s);
  // Polls that finished during the write form the next group at once.
  if (HasUncommitted()) CommitGroup();
  Dispatch();
}

void Daemon::CommitFailed(const Status& s, std::vector<storage::FeedState> group,
                          std::vector<CommitWaiter>* waiters) {
  // What was staged since is dropped too (see below): its waiters learn it now.
  for (CommitWaiter& w : uncommitted_waiters_) waiters->push_back(std::move(w));
  uncommitted_waiters_.clear();
  // The ingestor dropped what was staged since as well (it starts again from what is
  // stored), so those polls are redone too.
  for (storage::FeedState& state : uncommitted_) group.push_back(std::move(state));
  uncommitted_.clear();
  const int64_t retry = mode_ == Mode::kService ? RetrySeconds() : kRetryAfterCommitFailure;
  // Named: their "fetched: ..., N new" lines came before the commit.
  constexpr size_t kNamed = 10;
  std::string feeds;
  for (size_t i = 0; i < group.size() && i < kNamed; ++i) {
    feeds += (i == 0 ? "" : ", ") + group[i].id;
  }
  if (group.size() > kNamed) feeds += ", ...";
  spdlog::error(
      "commit of {} failed (feeds {}): their items are not stored, they will be "
      "fetched again: {}",
      Counted(group.size(), "poll", "polls"), feeds, s.ToString());
  round_.failed += static_cast<int>(group.size());
  round_.unstored += static_cast<int>(group.size());
  for (const storage::FeedState& state : group) RescheduleUnstored(state, retry);
  if (mode_ == Mode::kService) PauseIngest(s);
  RestoreAfterFailedCommit();
}

void Daemon::RescheduleUnstored(const storage::FeedState& state, int64_t retry) {
  const config::FeedConfig* feed = FindFeed(state.id);
  const bool changed = ChangedSincePoll(state.id);
  in_hand_.erase(state.id);
  if (feed == nullptr) return;
  if (changed) {  // states_ holds what the change made of it; the publisher saw this poll
    ScheduleAfterChange(*feed);
    if (auto at = scheduler_.At(state.id); at && mode_ == Mode::kService) {
      scheduler_.Set(state.id, std::max({*at, state.last_fetch + config_.politeness.min_interval,
                                         state.retry_until}));
    }
    return;
  }
  UnixSeconds at = clock_.NowSeconds() + retry;
  if (mode_ == Mode::kService) {
    // The publisher saw this poll: the floor and its Retry-After hold for the next one.
    at = std::max({at, state.last_fetch + config_.politeness.min_interval, state.retry_until});
    unstored_[state.id] = "fetched at " + FormatIso8601(state.last_fetch) +
                          " but not stored (the archive refused the write); fetched again at " +
                          FormatIso8601(at) + " (never sooner than [politeness] min_interval " +
                          "after the publisher's last answer)";
  }
  scheduler_.Set(state.id, at);
}

void Daemon::CommitApplied(std::vector<storage::FeedState> group) {
  for (storage::FeedState& state : group) {
    unstored_.erase(state.id);
    const config::FeedConfig* feed = FindFeed(state.id);
    const bool changed = ChangedSincePoll(state.id);
    if (auto hand = in_hand_.find(state.id); hand != in_hand_.end()) {
      round_.new_items += hand->second.new_items;
      round_.corrected += hand->second.corrected;
      in_hand_.erase(hand);
    }
    if (feed == nullptr) continue;  // removed by a reload meanwhile
    if (changed) {
      // Changed while being written: the stored poll seen through the new configuration
      // (a new URL starts afresh, a paused feed stays paused), scheduled as a reload does.
      // (Keyed by feed->id: state.id is moved from before the map is indexed.)
      states_[feed->id] = InitialState(*feed, std::move(state));
      ScheduleAfterChange(*feed);
      continue;
    }
    if (state.next_fetch > 0) scheduler_.Set(state.id, state.next_fetch);
    states_[state.id] = std::move(state);
  }
  if (Paused() && !group.empty()) {
    spdlog::info("ingest resumed: a commit succeeded after {} s paused",
                 clock_.NowSeconds() - paused_since_);
    storage_error_ = Status::Ok();
  }
}

int64_t Daemon::RetrySeconds() const {
  return std::max<int64_t>(1, config_.daemon.storage_retry_seconds);
}

void Daemon::PauseIngest(const Status& s) {
  if (!Paused() || (NeedsRestart(s) && !NeedsRestart(storage_error_))) {
    if (!Paused()) paused_since_ = clock_.NowSeconds();
    spdlog::error(
        "ingest paused: the archive refuses writes ({}). Nothing committed is lost; no feed is "
        "fetched until a test write succeeds, tried every {} s. {}",
        s.ToString(), RetrySeconds(), WhatToDo(s));
  }
  storage_error_ = s;
  NotifyStatus(StatusLine());
  probe_timer_.expires_after(std::chrono::seconds(RetrySeconds()));
  probe_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) ProbeStorage();
  });
}

bool Daemon::NeedsRestart(const Status& s) {
  return s.message().find(storage::kReopenNeeded) != std::string::npos;
}

std::string Daemon::WhatToDo(const Status& s) const {
  if (NeedsRestart(s)) {
    return "The storage engine cannot take writes again by itself after this error: fix the "
           "file system of " +
           config_.storage.data_dir + ", then restart newsd (systemctl restart newsd).";
  }
  return "Free space or fix the file system of " + config_.storage.data_dir +
         " and ingest resumes by itself.";
}

void Daemon::ProbeStorage() {
  if (stopping_ || !Paused()) return;
  if (ingestor_->committing()) return PauseIngest(storage_error_);  // its result decides
  if (Status s = archive_->ProbeWrite(clock_.NowSeconds()); !s.ok()) {
    spdlog::warn("archive still refuses writes: {}", s.ToString());
    return PauseIngest(s);
  }
  spdlog::info("ingest resumed: the archive takes writes again after {} s paused",
               clock_.NowSeconds() - paused_since_);
  storage_error_ = Status::Ok();
  NotifyStatus(StatusLine());
  PollDue();
}

}  // namespace newsd::daemon
