// The poll pipeline, up to the fetch and after it: due feeds wait at the politeness gate and
// are fetched, and each poll's outcome is staged on the loop for the next group commit. What
// comes between (a body parsed and tokenised on the pool, its items matched and staged) is in
// daemon/poll_parse.cc.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/hash.h"
#include "core/time.h"
#include "daemon/daemon.h"
#include "daemon/logging.h"

namespace newsd::daemon {

namespace {

// Group commit: a commit covers the polls finished within this long, or this many. 64 feeds
// (about 2,300 items, ~12 MB of batch in a cold round of bench-feeds) rather than 128: with
// one group written while the next fills, a cold round's peak RSS fell from ~480 to ~390 MB
// and its time by 7 % (docs/BENCHMARKS.md), for twice the (grouped) log syncs.
constexpr auto kGroupCommitDelay = std::chrono::milliseconds(50);
constexpr size_t kGroupCommitFeeds = 64;

std::string Describe(const fetchers::FetchResult& r) {
  if (!r.status.ok()) return r.status.ToString();
  return "HTTP " + std::to_string(r.http_status);
}

}  // namespace

HostGate::Start Daemon::GateHosts(const FeedId& id) const {
  auto state = states_.find(id);
  std::string own = state == states_.end() ? std::string() : fetchers::HostKey(state->second.url);
  auto target = redirected_to_.find(id);
  if (target == redirected_to_.end() || target->second == own) return {id, own, {}};
  return {id, target->second, own};
}

std::pair<std::string, UnixSeconds> Daemon::LongestHold(const FeedId& id) const {
  const HostGate::Start hosts = GateHosts(id);
  const int64_t now = NowMs();
  const UnixSeconds target = gate_->HeldUntil(hosts.host, now);
  const UnixSeconds own = hosts.also.empty() ? 0 : gate_->HeldUntil(hosts.also, now);
  return own > target ? std::pair{hosts.also, own} : std::pair{hosts.host, target};
}

void Daemon::PollDue() {
  if (stopping_) return MaybeFinish();
  if (restoring_) return;  // OnRestored polls
  const UnixSeconds now = clock_.NowSeconds();
  for (const FeedId& id : scheduler_.PopDue(now)) {
    const config::FeedConfig* feed = FindFeed(id);
    // In hand: whoever ends that poll schedules the next. Paused: not polled.
    if (feed == nullptr || !feed->enabled || in_hand_.count(id) != 0) continue;
    const HostGate::Start hosts = GateHosts(id);
    gate_->Enqueue(hosts.host, id, hosts.also);
  }
  last_round_ = now;
  Dispatch();
}

void Daemon::Dispatch() {
  // Back-pressure: while a group is being written and the next one is full, start nothing
  // more (CommitDone dispatches again), so staged batches stay bounded.
  // Polls in hand (fetching, parsing or staged) are bounded too: fetching outruns parsing on
  // a fast network, and each waiting body is memory.
  const bool backlog =
      Paused() || (ingestor_->committing() && uncommitted_.size() >= kGroupCommitFeeds);
  const int in_hand_limit = 2 * config_.fetch.max_total_connections;
  // A start given back frees its hosts' slots: the gate is asked again (nothing else would
  // until a request ends, and a host ready now arms no timer).
  for (bool released = true; released && !stopping_ && !backlog && in_flight_ < in_hand_limit;) {
    released = false;
    const auto room = static_cast<size_t>(in_hand_limit - in_flight_);
    for (const HostGate::Start& start : gate_->TakeStartable(NowMs(), room)) {
      const config::FeedConfig* feed = FindFeed(start.feed);
      if (feed != nullptr && feed->enabled && in_hand_.count(start.feed) == 0) {
        StartPoll(*feed, start.host);
      } else {
        gate_->Release(start.host, start.feed);  // removed, paused or in hand: not started
        released = true;
      }
    }
  }
  if (mode_ == Mode::kOnce) {
    // One round does not sit out a publisher's Retry-After (up to retry_after_max, days): the
    // feeds it holds are left to a round after it (the hold is kept in the archive).
    for (const HostGate::Held& held : gate_->DropHeld(NowMs())) {
      ++round_.held;
      spdlog::warn(
          "feed={} not polled this round: its host {} asked to wait until {} (Retry-After); "
          "a round after that polls it",
          held.feed, held.host, FormatIso8601(held.until));
    }
  }
  ArmTimer();
  MaybeFinish();
}

void Daemon::StartPoll(const config::FeedConfig& feed, const std::string& host) {
  const storage::FeedState& state = states_[feed.id];
  fetchers::FetchRequest request{state.url, state.etag, state.last_modified, {}};
  request.as_sent = !state.sent_encoding.empty();
  // A redirect to a host under a Retry-After stops there (a feed whose redirect target is new,
  // or changed, did not wait on that host's limits: its next poll does, GateHosts).
  request.may_follow = [this](const std::string& target) {
    return gate_->HeldUntil(target, NowMs()) == 0;
  };
  const bool conditional = fetchers::SendsValidators(state.etag, state.last_modified);
  const int64_t start_ms = NowMs();
  gate_->Started(host, feed.id, start_ms);
  // Waiting on the host its redirect leads to (GateHosts), it still asks its own URL's first.
  gate_->Requested(fetchers::HostKey(state.url), feed.id, conditional, start_ms);
  ++in_flight_;
  ++round_.polled;
  auto generation = generation_.find(feed.id);
  in_hand_[feed.id] = InHand{generation == generation_.end() ? 0 : generation->second, {}};
  http_->Fetch(std::move(request),
               [this, feed, host, conditional, start_ms](fetchers::FetchResult result) {
                 CountRedirects(feed.id, conditional, start_ms, result);
                 OnFetched(feed, host, conditional, std::move(result));
               });
}

void Daemon::CountRedirects(const FeedId& feed, bool conditional, int64_t start_ms,
                            const fetchers::FetchResult& result) {
  // Each hop followed is a request of its own (curl sends the validators to every hop). Hops
  // are dated at the poll's start: their own times are not known, and a Retry-After that came
  // while the poll ran could not stop them.
  const std::string first =
      fetchers::HostKey(result.redirects.empty() ? result.effective_url : result.redirects[0].from);
  std::vector<std::string> asked = {first};
  // A server whose Content-Encoding libcurl does not know was asked twice (the second time
  // without compression): its chain, as the second request followed it, counts twice.
  const int rounds = result.undecoded_encoding.empty() ? 1 : 2;
  for (int round = 0; round < rounds; ++round) {
    if (round > 0) gate_->Requested(first, feed, conditional, start_ms, /*again=*/true);
    for (const fetchers::Redirect& hop : result.redirects) {
      const std::string host = fetchers::HostKey(hop.to);
      const bool again = std::find(asked.begin(), asked.end(), host) != asked.end();
      gate_->Requested(host, feed, conditional, start_ms, again);
      if (!again) asked.push_back(host);
    }
  }
}

void Daemon::OnFetched(const config::FeedConfig& feed, const std::string& host, bool conditional,
                       fetchers::FetchResult result) {
  if (abandoning_ && result.status.code() == Status::Code::kAborted) {
    // Abandoned at a stop (AbandonFetches): no answer to count, its state stays as committed.
    gate_->Release(host, feed.id);
    in_hand_.erase(feed.id);
    --in_flight_;
    return MaybeFinish();
  }
  const storage::FeedState* live = NoteAnswer(feed.id, host, conditional, result);
  Dispatch();  // the connection is free: the next fetch starts while this body is parsed
  if (!result.undecoded_encoding.empty() && result.status.ok() && result.http_status >= 200 &&
      result.http_status < 300 && live != nullptr) {
    // Asked so from now on (FeedState::sent_encoding, after a restart too): one request a poll.
    spdlog::info(
        "feed={} url={} sends Content-Encoding \"{}\", which is no compression libcurl knows: "
        "asked again without compression and read as sent, as its next polls will be (the "
        "publisher's header is wrong)",
        feed.id, UrlOf(feed), result.undecoded_encoding);
  }
  if (result.status.ok() && result.http_status == 200) {
    const uint64_t response_hash = ResponseHash(result);
    if (live != nullptr && response_hash == live->body_hash) {
      // The response last parsed, again (a feed served without validators, say): its items
      // are stored, so it is neither parsed nor kept as a raw body again.
      ++round_.unchanged;
      spdlog::debug("feed={} unchanged since its last parse", feed.id);
      PollReport report;
      report.unchanged = true;
      return FinishPoll(feed, result, report);
    }
    return ParseOnPool(feed, response_hash, std::move(result));
  }
  if (!result.held_at.empty()) return FinishHeldRedirect(feed, result);
  // A 304 to a request without validators is the publisher's error (ApplyPoll: a failure).
  if (result.status.ok() && result.http_status == 304 && conditional) {
    ++round_.not_modified;
    spdlog::debug("feed={} not modified", feed.id);
  } else {
    ++round_.failed;
    spdlog::warn("feed={} url={} fetch failed: {}{}{}", feed.id, UrlOf(feed), Describe(result),
                 result.status.ok() && result.http_status == 304
                     ? " to a request without validators (the publisher sent no feed)"
                     : "",
                 result.undecoded_encoding.empty()
                     ? ""
                     : " (asked a second time, without compression: its Content-Encoding \"" +
                           result.undecoded_encoding + "\" is none libcurl knows)");
  }
  FinishPoll(feed, result, PollReport{});
}

const storage::FeedState* Daemon::NoteAnswer(const FeedId& feed, const std::string& host,
                                             bool conditional,
                                             const fetchers::FetchResult& result) {
  // A poll stopped at a redirect to a held host got its answer (the redirect): no failure.
  const bool answered = result.status.ok() || !result.held_at.empty();
  ++responses_[answered ? result.http_status : 0];
  bytes_fetched_ += result.body.size();
  const bool host_scope = result.public_address || config_.fetch.allow_private;
  // A poll stopped at a redirect to a held host waits on that host from now on.
  const std::string answered_by = !result.held_at.empty() ? result.held_at
                                  : result.effective_url.empty()
                                      ? host
                                      : fetchers::HostKey(result.effective_url);
  gate_->Finished(host, feed, answered_by, result.status.ok() ? result.http_status : 0,
                  result.retry_after_seconds, host_scope, conditional, NowMs());
  // Where the feed's requests end up is the host whose limits its next poll waits on (the
  // poll itself may have waited on that host already: compare with the URL's host). Not
  // learned for a feed a reload removed or changed meanwhile (its URL may be another).
  auto live = states_.find(feed);
  const bool same_feed = live != states_.end() && !ChangedSincePoll(feed);
  if (!same_feed) return nullptr;
  const std::string url_host = fetchers::HostKey(live->second.url);
  if (!answered_by.empty() && answered_by != url_host) {
    redirected_to_[feed] = answered_by;
  } else {
    redirected_to_.erase(feed);
  }
  return &live->second;
}

void Daemon::FinishHeldRedirect(const config::FeedConfig& feed,
                                const fetchers::FetchResult& result) {
  PollReport report;
  // At least a second on: the hold may have ended since the redirect was refused.
  report.held_until = std::max(gate_->HeldUntil(result.held_at, NowMs()), NowMs() / 1000 + 1);
  ++round_.held;
  spdlog::warn(
      "feed={} url={} redirect to {} not followed: that host asked to wait until {} "
      "(Retry-After); the feed is polled after that",
      feed.id, UrlOf(feed), result.held_at, FormatIso8601(report.held_until));
  FinishPoll(feed, result, report);
}

uint64_t Daemon::ResponseHash(const fetchers::FetchResult& result) const {
  const uint64_t context =
      Hash64(result.content_type + '\n' + result.effective_url, parser_identity_);
  const uint64_t hash = Hash64(result.body, context);
  return hash != 0 ? hash : 1;
}

void Daemon::FinishPoll(const config::FeedConfig& feed, const fetchers::FetchResult& result,
                        const PollReport& report) {
  if (WhenRestored(feed.id, [this, feed, result, report] { FinishPoll(feed, result, report); })) {
    return;  // it stages the feed's state: once the restore is done
  }
  // A reload or newsctl may have changed the feed during its poll. The publisher saw the poll,
  // so it counts: under the configuration in force now when the URL stayed, else (removed, or
  // another URL) over the state and configuration it ran with, and CommitDone sees the result
  // through the new configuration.
  const config::FeedConfig* current = FindFeed(feed.id);
  const bool changed = ChangedSincePoll(feed.id);
  InHand& hand = in_hand_[feed.id];
  const bool carry_over = current != nullptr && (!changed || current->url == feed.url);
  storage::FeedState state = carry_over          ? states_[feed.id]
                             : hand.polled_state ? std::move(*hand.polled_state)
                                                 : InitialState(feed, std::nullopt);
  hand.polled_state.reset();
  hand.new_items = report.new_items;  // counted once stored (CommitDone)
  hand.corrected = report.corrected;
  const int64_t now_ms = NowMs();
  const UnixSeconds now = now_ms / 1000;
  const bool was_dead = state.status == storage::FeedStatus::kDead;
  const PollDecision d = ApplyPoll(carry_over ? *current : feed, config_.politeness, result, report,
                                   now, Uniform(), &state);
  if (!was_dead && state.status == storage::FeedStatus::kDead) {
    spdlog::warn(
        "feed={} is dead: {}; retried every [politeness] backoff_cap, `newsctl feeds "
        "show {}` says more",
        feed.id, state.status_reason, feed.id);
  }
  if (changed && carry_over) {
    state = InitialState(*current, std::move(state));  // paused meanwhile: stays paused
    hand.generation = generation_[feed.id];
  }
  // The policy works in whole seconds: round later times up, so a poll never comes sooner
  // than its interval or Retry-After (a zero interval stays "due now").
  if (now_ms % 1000 != 0) RoundUpPollTimes(now, &state);
  state.items_new += report.new_items;
  if (!d.log.empty()) spdlog::info("feed={} {}", feed.id, d.log);
  if (d.url_moved) WarnIfPolledTwice(feed.id, state.url);
  ingestor_->StageFeed(state);
  uncommitted_.push_back(std::move(state));
  --in_flight_;
  CommitSoon();
  Dispatch();
}

void Daemon::CommitSoon() {
  const bool idle = in_flight_ == 0 && gate_->waiting() == 0;
  if (idle || stopping_ || uncommitted_.size() >= kGroupCommitFeeds) {
    CommitGroup();
  } else if (!commit_armed_) {
    commit_armed_ = true;
    commit_timer_.expires_after(kGroupCommitDelay);
    commit_timer_.async_wait([this](boost::system::error_code ec) {
      commit_armed_ = false;
      if (!ec) CommitGroup();
    });
  }
}

UnixSeconds Daemon::ScheduledAt(const FeedId& id, std::string* waiting) const {
  if (std::optional<UnixSeconds> at = scheduler_.At(id)) return *at;
  const std::optional<HostGate::Start> hosts = gate_->WaitingOn(id);
  if (!hosts) return 0;
  if (Paused()) {
    *waiting = "due; waiting for ingest to resume (the archive refuses writes: newsctl status)";
    return clock_.NowSeconds();
  }
  const int64_t now_ms = NowMs();
  const UnixSeconds until = gate_->HeldUntil(hosts->host, now_ms);
  const UnixSeconds also_until = hosts->also.empty() ? 0 : gate_->HeldUntil(hosts->also, now_ms);
  if (until > 0 || also_until > 0) {
    const bool also = also_until > until;
    *waiting = "due; waiting until " + FormatIso8601(also ? also_until : until) + ": host " +
               (also ? hosts->also : hosts->host) + " asked for it (Retry-After)";
    return also ? also_until : until;
  }
  *waiting = "due; waiting for its turn on host " + hosts->host +
             (hosts->also.empty() ? "" : " and on " + hosts->also + ", which redirects there") +
             " ([politeness] limits)";
  return clock_.NowSeconds();
}

std::string Daemon::HoldNote(const FeedId& id) const {
  if (states_.count(id) == 0) return "";
  const auto [host, until] = LongestHold(id);
  if (until <= clock_.NowSeconds()) return "";
  return "; held until " + FormatIso8601(until) + ": host " + host + " asked for it (Retry-After)";
}

std::string Daemon::ReasonNow(const FeedId& id, std::string reason,
                              const std::string& waiting) const {
  if (reason.empty()) {
    reason = waiting;
  } else if (waiting.empty()) {
    reason += HoldNote(id);
  }
  if (auto unstored = unstored_.find(id); unstored != unstored_.end()) {
    reason = unstored->second + (reason.empty() ? "" : "; " + reason);
  }
  return reason;
}

void Daemon::WarnIfPolledTwice(const FeedId& id, const std::string& url) const {
  const std::string key = config::SameUrlKey(url);
  for (const config::FeedConfig& other : config_.feeds) {
    if (other.id == id || !other.enabled || config::SameUrlKey(UrlOf(other)) != key) continue;
    spdlog::warn(
        "feed={} moved to {}, which feed {} polls too: the publisher now gets both polls; "
        "remove one of them (`newsctl feeds remove`, or the configuration)",
        id, url, other.id);
  }
}

void Daemon::ArmTimer() {
  // While paused only the probe timer runs (waiting feeds would wake the loop at once).
  if (stopping_ || Paused()) return;
  const int64_t now_ms = NowMs();
  std::optional<int64_t> wake = gate_->NextWakeMs(now_ms);
  if (mode_ == Mode::kService) {
    if (auto next = scheduler_.NextDue()) {
      const int64_t due_ms = *next * 1000;
      wake = wake ? std::min(*wake, due_ms) : due_ms;
    }
  }
  if (!wake || wake == timer_wake_ms_) return;  // nothing to wait for, or already waiting
  timer_wake_ms_ = wake;
  timer_.expires_after(
      clock_.RealSpan(std::chrono::milliseconds(std::max<int64_t>(0, *wake - now_ms))));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // re-armed (or cancelled at stop): timer_wake_ms_ is the new one's
    timer_wake_ms_.reset();
    if (mode_ == Mode::kService) {
      PollDue();
    } else {
      Dispatch();
    }
  });
}

}  // namespace newsd::daemon
