#include "daemon/host_gate.h"

#include <algorithm>

namespace newsd::daemon {

HostGate::HostGate(const config::PolitenessOptions& options, int global_limit)
    : options_(options), global_limit_(global_limit) {}

void HostGate::Restore(const std::vector<storage::HostStats>& hosts) {
  for (const storage::HostStats& s : hosts) {
    Host& h = At(s.host);
    h.stats = s;
    h.last_start_ms = s.last_request_ms > 0 ? s.last_request_ms : -1;
    // A hold no longer than today's retry_after_max from the request it answered (the last
    // one: an operator may have lowered it to lift a publisher's week-long Retry-After).
    if (s.blocked_until > 0 && s.last_request_ms > 0) {
      h.stats.blocked_until =
          std::min(s.blocked_until, (s.last_request_ms + 999) / 1000 + options_.retry_after_max);
    }
  }
  dirty_.clear();
}

HostGate::Host& HostGate::At(const std::string& host) {
  auto [it, inserted] = hosts_.try_emplace(host);
  if (inserted) it->second.stats.host = host;
  return it->second;
}

void HostGate::Enqueue(const std::string& host, const FeedId& feed, const std::string& also) {
  // (A second start would replace the running one's record of its other host.)
  if (started_also_.count(feed) != 0) return;
  if (!queued_.emplace(feed, host).second) return;
  At(host).waiting.push_back(feed);
  ++waiting_count_;
  if (!also.empty() && also != host) {
    At(also);
    also_[feed] = also;
  } else {
    also_.erase(feed);
  }
}

const HostGate::Host* HostGate::WaitingAlso(const FeedId& feed) const {
  auto it = also_.find(feed);
  if (it == also_.end()) return nullptr;
  auto h = hosts_.find(it->second);
  return h == hosts_.end() ? nullptr : &h->second;
}

std::vector<FeedId> HostGate::DropWaiting() {
  std::vector<FeedId> out;
  for (auto& [name, h] : hosts_) {
    for (const FeedId& feed : h.waiting) also_.erase(feed);
    out.insert(out.end(), h.waiting.begin(), h.waiting.end());
    h.waiting.clear();
  }
  queued_.clear();
  waiting_count_ = 0;
  return out;
}

std::vector<HostGate::Held> HostGate::DropHeld(int64_t now_ms) {
  std::vector<Held> out;
  for (auto& [name, h] : hosts_) {
    const UnixSeconds own_hold = HeldUntil(name, now_ms);
    for (auto it = h.waiting.begin(); it != h.waiting.end();) {
      Held held{*it, name, own_hold};
      if (auto also = also_.find(*it); also != also_.end()) {
        const UnixSeconds also_hold = HeldUntil(also->second, now_ms);
        if (also_hold > own_hold) held = Held{*it, also->second, also_hold};
      }
      if (held.until == 0) {
        ++it;
        continue;
      }
      queued_.erase(*it);
      also_.erase(*it);
      out.push_back(std::move(held));
      it = h.waiting.erase(it);
      --waiting_count_;
    }
  }
  return out;
}

std::optional<HostGate::Start> HostGate::WaitingOn(const FeedId& feed) const {
  auto it = queued_.find(feed);
  if (it == queued_.end()) return std::nullopt;
  auto also = also_.find(feed);
  return Start{feed, it->second, also == also_.end() ? std::string() : also->second};
}

UnixSeconds HostGate::HeldUntil(const std::string& host, int64_t now_ms) const {
  auto it = hosts_.find(host);
  if (host.empty() || it == hosts_.end()) return 0;
  const UnixSeconds until = it->second.stats.blocked_until;
  return until * 1000 > now_ms ? until : 0;
}

int64_t HostGate::ReadyAtMs(const Host& h) const {
  if (h.stats.host.empty()) return 0;  // file:// feeds: no publisher to be polite to
  int64_t ready = h.stats.blocked_until * 1000;
  if (h.last_start_ms >= 0) ready = std::max(ready, h.last_start_ms + options_.host_spacing * 1000);
  return ready;
}

bool HostGate::Full(const Host& h) const {
  return !h.stats.host.empty() && options_.host_inflight > 0 &&
         h.in_flight >= options_.host_inflight;
}

bool HostGate::CanStart(const Host& h, int64_t now_ms) const {
  return !Full(h) && ReadyAtMs(h) <= now_ms;
}

bool HostGate::Reserved(const Host& h, int64_t now_ms) const {
  if (!h.reserved_for) return false;
  auto queue = queued_.find(*h.reserved_for);
  if (queue == queued_.end()) return false;
  auto by = hosts_.find(queue->second);
  return by != hosts_.end() && CanStart(by->second, now_ms);
}

void HostGate::Take(Host& h, int64_t now_ms) {
  ++h.in_flight;
  h.last_start_ms = std::max(h.last_start_ms, now_ms);
}

std::vector<HostGate::Start> HostGate::TakeStartable(int64_t now_ms, size_t max) {
  std::vector<Start> out;
  // Hosts take turns, one feed each per pass, so one busy host cannot starve the others.
  for (bool progress = true; progress;) {
    progress = false;
    for (auto& [name, h] : hosts_) {
      if (global_limit_ > 0 && in_flight_total_ >= global_limit_) return out;
      if (out.size() >= max) return out;
      if (h.waiting.empty() || !CanStart(h, now_ms)) continue;
      // The first of its feeds whose other host (if any) is ready too; its own feeds only
      // while no other queue's feed has reserved it. A feed that finds its other host busy
      // reserves it when no one has.
      const bool reserved = Reserved(h, now_ms);
      auto pick = std::find_if(h.waiting.begin(), h.waiting.end(), [&](const FeedId& feed) {
        auto also = also_.find(feed);
        if (also == also_.end()) return !reserved;
        Host& other = At(also->second);
        if (CanStart(other, now_ms)) return true;
        if (!other.reserved_for || queued_.count(*other.reserved_for) == 0) {
          other.reserved_for = feed;
        }
        return false;
      });
      if (pick == h.waiting.end()) continue;
      Start start{*pick, name, {}};
      if (auto also = also_.find(*pick); also != also_.end()) {
        start.also = also->second;
        Host& other = At(start.also);
        Take(other, now_ms);
        if (other.reserved_for == *pick) other.reserved_for.reset();
        started_also_[*pick] = std::move(also->second);
        also_.erase(also);
      }
      Take(h, now_ms);
      ++in_flight_total_;
      queued_.erase(*pick);
      h.waiting.erase(pick);
      --waiting_count_;
      out.push_back(std::move(start));
      progress = true;
    }
  }
  return out;
}

std::optional<int64_t> HostGate::NextWakeMs(int64_t now_ms) const {
  std::optional<int64_t> next;
  for (const auto& [name, h] : hosts_) {
    if (h.waiting.empty() || Full(h)) continue;
    const std::optional<int64_t> also_at = AlsoReadyAtMs(h);
    if (!also_at) continue;
    // A host ready now waits only on the global limit or the caller's: the end of a request
    // (or of a commit) dispatches again, so a timer for "now" would only spin the loop.
    const int64_t at = std::max(ReadyAtMs(h), *also_at);
    if (at <= now_ms) continue;
    if (!next || at < *next) next = at;
  }
  return next;
}

std::optional<int64_t> HostGate::AlsoReadyAtMs(const Host& h) const {
  // (A reservation of `h` never idles it: when `h` is ready either the reserving feed or one
  // of `h`'s own starts, so it needs no time of its own here.)
  std::optional<int64_t> earliest;
  for (const FeedId& feed : h.waiting) {
    const Host* also = WaitingAlso(feed);
    if (also == nullptr) return INT64_MIN;
    if (Full(*also)) continue;  // the end of a request dispatches again
    const int64_t at = ReadyAtMs(*also);
    if (!earliest || at < *earliest) earliest = at;
  }
  return earliest;
}

void HostGate::Started(const std::string& host, const FeedId& feed, int64_t now_ms) {
  // The spacing runs from the request's real start, which can come a little after the
  // TakeStartable that allowed it (other starts of the same dispatch go first).
  Host& h = At(host);
  h.last_start_ms = std::max(h.last_start_ms, now_ms);
  if (auto also = started_also_.find(feed); also != started_also_.end()) {
    Host& a = At(also->second);
    a.last_start_ms = std::max(a.last_start_ms, now_ms);
  }
}

void HostGate::Requested(const std::string& host, const FeedId& feed, bool conditional,
                         int64_t now_ms, bool again) {
  Host& h = At(host);
  storage::HostStats& s = h.stats;
  ++s.requests;
  if (conditional) ++s.conditional;
  if (now_ms >= h.held_since_ms && now_ms < s.blocked_until * 1000) ++s.retry_violations;
  if (s.last_request_ms > 0 && now_ms >= s.last_request_ms) {
    const int64_t gap = now_ms - s.last_request_ms;
    s.min_gap_ms = s.min_gap_ms < 0 ? gap : std::min(s.min_gap_ms, gap);
  }
  s.last_request_ms = std::max(s.last_request_ms, now_ms);
  auto [it, first] = last_poll_ms_.try_emplace({feed, host}, now_ms);
  if (!first && !again) {
    const int64_t gap = std::max<int64_t>(0, now_ms - it->second) / 1000;
    s.min_feed_gap = s.min_feed_gap < 0 ? gap : std::min(s.min_feed_gap, gap);
    it->second = now_ms;
  }
  dirty_.push_back(host);
}

void HostGate::NoteLastRequest(const std::string& host, const FeedId& feed, int64_t at_ms) {
  last_poll_ms_.try_emplace({feed, host}, at_ms);
}

void HostGate::Free(const std::string& host, const FeedId& feed) {
  Host& h = At(host);
  if (h.in_flight > 0) {
    --h.in_flight;
    --in_flight_total_;
  }
  if (auto also = started_also_.find(feed); also != started_also_.end()) {
    Host& a = At(also->second);
    if (a.in_flight > 0) --a.in_flight;
    started_also_.erase(also);
  }
}

void HostGate::Release(const std::string& host, const FeedId& feed) { Free(host, feed); }

void HostGate::Finished(const std::string& host, const FeedId& feed, const std::string& answered_by,
                        long http_status, std::optional<int64_t> retry_after, bool host_scope,
                        bool conditional, int64_t now_ms) {
  Free(host, feed);
  // Redirected: the answer, and its Retry-After, are the target's own.
  const std::string& by = answered_by.empty() ? host : answered_by;
  dirty_.push_back(by);
  Answered(At(by), http_status, retry_after, host_scope, conditional, now_ms);
}

void HostGate::Answered(Host& h, long http_status, std::optional<int64_t> retry_after,
                        bool host_scope, bool conditional, int64_t now_ms) {
  storage::HostStats& s = h.stats;
  if (http_status == 304 && conditional) ++s.not_modified;
  const bool throttled = http_status == 429 || http_status == 503;
  if (throttled) ++s.throttled;
  if (throttled && retry_after) {
    ++s.retry_after;
    if (host_scope) {
      const int64_t secs = std::min(*retry_after, options_.retry_after_max);
      s.blocked_until = std::max(s.blocked_until, (now_ms + 999) / 1000 + secs);
      h.held_since_ms = now_ms;
    }
  }
}

std::vector<storage::HostStats> HostGate::Report() const {
  std::vector<storage::HostStats> out;
  out.reserve(hosts_.size());
  for (const auto& [name, h] : hosts_) {
    if (h.stats.requests > 0 || h.stats.blocked_until > 0) out.push_back(h.stats);
  }
  return out;
}

std::vector<storage::HostStats> HostGate::TakeDirty() {
  std::sort(dirty_.begin(), dirty_.end());
  dirty_.erase(std::unique(dirty_.begin(), dirty_.end()), dirty_.end());
  std::vector<storage::HostStats> out;
  out.reserve(dirty_.size());
  for (const std::string& name : dirty_) out.push_back(hosts_.at(name).stats);
  dirty_.clear();
  return out;
}

}  // namespace newsd::daemon
