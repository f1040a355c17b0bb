#pragma once

// Per-host politeness: at most host_inflight requests in flight per host:port, at least
// host_spacing between two starts, a host-wide Retry-After, a global concurrency limit, and
// the counters of the politeness report. A poll known to be redirected asks two hosts (its
// URL's, then the target's): it waits on the limits of both, and holds both while it runs. The host
// "" (file:// feeds) has no per-host limits. Pure bookkeeping: callers pass the time (Unix ms). Not
// thread-safe (the daemon's loop thread owns it).

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/ids.h"
#include "storage/records.h"

namespace newsd::daemon {

class HostGate {
 public:
  /// `global_limit` caps requests in flight over all hosts (0 = no limit).
  HostGate(const config::PolitenessOptions& options, int global_limit);

  /// Loads counters and host-wide Retry-Afters kept in the archive.
  void Restore(const std::vector<storage::HostStats>& hosts);

  /// Queues `feed` (to be fetched from `host`) behind the host's other waiting feeds. `also`:
  /// another host the poll asks (the URL's own host of a feed redirected to `host`; "" or
  /// `host` for none), whose limits it waits on too, without queueing there; the first such
  /// feed that finds `also` not ready reserves it, so that `also`'s own feeds do not take every
  /// turn (they let it go first whenever `host` could start it too). A feed already waiting,
  /// or whose poll still holds two hosts, is not queued again.
  void Enqueue(const std::string& host, const FeedId& feed, const std::string& also = {});
  /// Removes every waiting feed and returns them (shutdown, or a feed disabled meanwhile).
  std::vector<FeedId> DropWaiting();

  /// Removes the waiting feeds whose host (or `also` host) is held by a Retry-After past
  /// `now_ms` and returns them, with the held host and the hold's end: one round (--once)
  /// does not wait for a hold to end.
  struct Held {
    FeedId feed;
    std::string host;
    UnixSeconds until = 0;
  };
  std::vector<Held> DropHeld(int64_t now_ms);
  /// The hosts a waiting poll may start on.
  struct Start {
    FeedId feed;
    std::string host;  ///< Where it was queued.
    std::string also;  ///< The other host it asks, or "".
  };
  /// The hosts `feed` waits on, when it is queued (due, not started yet).
  std::optional<Start> WaitingOn(const FeedId& feed) const;
  /// When the Retry-After holding `host` ends, if one holds it at `now_ms`; else 0.
  UnixSeconds HeldUntil(const std::string& host, int64_t now_ms) const;
  /// The waiting feeds that may start at `now_ms` (at most `max` of them), oldest first per
  /// host, hosts in turn (a feed whose `also` host is not ready lets the next one of its host
  /// go first); each is counted as started (in flight) at `now_ms` on its host and its `also`
  /// host, and once against the global limit.
  std::vector<Start> TakeStartable(int64_t now_ms, size_t max = SIZE_MAX);

  /// The earliest time after `now_ms` at which a waiting feed's host spacing or Retry-After
  /// (of both its hosts) ends; nullopt when nothing waits on time. Feeds that wait only on
  /// in-flight limits (the host's, the global one, or the caller's) are not counted: they can start
  /// when a request finishes, and the caller dispatches again then (TakeStartable after Finished).
  std::optional<int64_t> NextWakeMs(int64_t now_ms) const;

  /// Gives back the in-flight slots TakeStartable counted for `feed`'s start on `host` (and
  /// its `also` host) that did not happen (the feed was removed or paused meanwhile, or its
  /// fetch abandoned); nothing is reported.
  void Release(const std::string& host, const FeedId& feed);
  /// A poll of `feed` that waited on `host`'s limits started at `now_ms` (TakeStartable has
  /// done the in-flight part): the spacing of the host (and of its `also` host) runs from then
  /// if that is later.
  void Started(const std::string& host, const FeedId& feed, int64_t now_ms);
  /// Counts one request of `feed`'s poll to `host` in the report: the URL's own host when the
  /// poll starts, then each host a redirect sends it to. `conditional`: it carried validators.
  /// A request to a host under a Retry-After counts as a violation. `again`: this poll asked
  /// `host` before (a redirect back to it), so it is no new poll of the feed there.
  void Requested(const std::string& host, const FeedId& feed, bool conditional, int64_t now_ms,
                 bool again = false);
  /// Seeds when `feed` last requested `host` (from the archive), so the shortest interval
  /// between two polls of a feed is measured across a restart too.
  void NoteLastRequest(const std::string& host, const FeedId& feed, int64_t at_ms);
  /// The poll of `feed` that waited on `host` (and its `also` host, both freed) ended with
  /// `http_status` (0: no answer) from `answered_by`, the host its redirects led to (`host` itself
  /// when none did). The status counts for `answered_by`, and `retry_after` (seconds, clamped)
  /// blocks that host when `host_scope` (public addresses, or allow_private). A 304 counts as "not
  /// modified" only when the request was `conditional` (to a request without validators it is a
  /// publisher's error).
  void Finished(const std::string& host, const FeedId& feed, const std::string& answered_by,
                long http_status, std::optional<int64_t> retry_after, bool host_scope,
                bool conditional, int64_t now_ms);

  size_t waiting() const { return waiting_count_; }
  int in_flight() const { return in_flight_total_; }
  /// The report, by host name.
  std::vector<storage::HostStats> Report() const;
  /// Stats of the hosts touched since the last call (to persist with the next commit).
  std::vector<storage::HostStats> TakeDirty();

 private:
  // Counts an answer (status, Retry-After) in a host's report, blocking it when due.
  struct Host;
  void Answered(Host& h, long http_status, std::optional<int64_t> retry_after, bool host_scope,
                bool conditional, int64_t now_ms);

  struct Host {
    storage::HostStats stats;
    int in_flight = 0;
    int64_t last_start_ms = -1;
    // When the Retry-After in force was received (0: before this process started): a request
    // of a poll that started before it is no violation.
    int64_t held_since_ms = 0;
    std::deque<FeedId> waiting;
    // A waiting feed of another host's queue that needs this one too and found it busy: this
    // host's own feeds let it start first.
    std::optional<FeedId> reserved_for;
  };
  Host& At(const std::string& host);
  bool Full(const Host& h) const;
  bool CanStart(const Host& h, int64_t now_ms) const;
  int64_t ReadyAtMs(const Host& h) const;
  // The `also` host of a waiting feed; nullptr when it has none.
  const Host* WaitingAlso(const FeedId& feed) const;
  // When the earliest of `h`'s waiting feeds may start as far as their `also` hosts go
  // (INT64_MIN: one has none; nullopt: each waits on an `also` host's in-flight limit).
  std::optional<int64_t> AlsoReadyAtMs(const Host& h) const;
  // Whether `h` is reserved (Host::reserved_for) for a feed that still waits and whose own
  // queue's host could start it at `now_ms`: a reservation never idles `h` while that feed
  // waits on something else (its queue host's spacing, or a Retry-After there).
  bool Reserved(const Host& h, int64_t now_ms) const;
  // Counts a start at `now_ms` on `h`.
  void Take(Host& h, int64_t now_ms);
  // Frees one in-flight slot of `host` (and of `feed`'s `also` host).
  void Free(const std::string& host, const FeedId& feed);

  config::PolitenessOptions options_;
  int global_limit_;
  int in_flight_total_ = 0;
  size_t waiting_count_ = 0;
  std::map<std::string, Host> hosts_;
  std::map<FeedId, std::string> queued_;        // feed -> host, while waiting
  std::map<FeedId, std::string> also_;          // feed -> its `also` host, while waiting
  std::map<FeedId, std::string> started_also_;  // the same, once started until freed
  // (feed, host) -> its last request there, for min_feed_gap
  std::map<std::pair<FeedId, std::string>, int64_t> last_poll_ms_;
  std::vector<std::string> dirty_;
};

}  // namespace newsd::daemon
