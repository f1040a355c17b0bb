#include "daemon/host_gate.h"

#include <gtest/gtest.h>

#include <map>

namespace newsd::daemon {
namespace {

constexpr int64_t kMs = 1'790'000'000'000;

std::vector<FeedId> Feeds(const std::vector<HostGate::Start>& starts) {
  std::vector<FeedId> out;
  for (const auto& s : starts) out.push_back(s.feed);
  return out;
}

// A poll that waited on `host` starts, and asks `host` itself first.
void Start(HostGate& g, const std::string& host, const FeedId& feed, bool conditional,
           int64_t now_ms) {
  g.Started(host, feed, now_ms);
  g.Requested(host, feed, conditional, now_ms);
}

config::PolitenessOptions Polite(int inflight, int64_t spacing) {
  config::PolitenessOptions p;
  p.host_inflight = inflight;
  p.host_spacing = spacing;
  return p;
}

TEST(HostGateTest, SpacingAndInFlightLimitPerHost) {
  HostGate g(Polite(2, 1), 0);
  for (const char* f : {"a1", "a2", "a3"}) g.Enqueue("a:443", f);
  g.Enqueue("b:443", "b1");
  EXPECT_EQ(Feeds(g.TakeStartable(kMs)), (std::vector<FeedId>{"a1", "b1"}));
  EXPECT_TRUE(g.TakeStartable(kMs + 999).empty()) << "1 s spacing";
  EXPECT_EQ(g.NextWakeMs(kMs + 10), kMs + 1000);
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 1000)), (std::vector<FeedId>{"a2"}));
  EXPECT_TRUE(g.TakeStartable(kMs + 5000).empty()) << "2 in flight on a:443";
  EXPECT_FALSE(g.NextWakeMs(kMs + 5000).has_value());
  g.Finished("a:443", "a1", "a:443", 200, std::nullopt, true, /*conditional=*/true, kMs + 5000);
  EXPECT_FALSE(g.NextWakeMs(kMs + 5000).has_value()) << "startable now: no timer needed";
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 5000)), (std::vector<FeedId>{"a3"}));
  EXPECT_EQ(g.waiting(), 0u);
}

// A host's Retry-After hold read back at a start is cut to today's retry_after_max, counted
// from the request it answered: an operator lowers it to lift a publisher's week-long hold.
TEST(HostGateTest, ARestoredHoldIsCutToTodaysRetryAfterMax) {
  storage::HostStats held;
  held.host = "a:443";
  held.requests = 1;
  held.last_request_ms = kMs;
  held.blocked_until = kMs / 1000 + 7 * 86400;
  config::PolitenessOptions p = Polite(0, 0);
  {
    HostGate g(p, 0);
    g.Restore({held});
    EXPECT_EQ(g.HeldUntil("a:443", kMs + 1000), kMs / 1000 + 7 * 86400) << "within the default";
  }
  p.retry_after_max = 120;
  HostGate g(p, 0);
  g.Restore({held});
  EXPECT_EQ(g.HeldUntil("a:443", kMs + 1000), kMs / 1000 + 120);
  EXPECT_EQ(g.HeldUntil("a:443", kMs + 121'000), 0) << "lifted";
}

TEST(HostGateTest, SpacingRunsFromTheRealStart) {
  HostGate g(Polite(0, 1), 0);
  g.Enqueue("a:443", "a1");
  g.Enqueue("a:443", "a2");
  ASSERT_EQ(g.TakeStartable(kMs).size(), 1u);
  Start(g, "a:443", "a1", false, kMs + 300);  // started 300 ms after it was allowed
  EXPECT_TRUE(g.TakeStartable(kMs + 1000).empty());
  EXPECT_EQ(g.NextWakeMs(kMs + 1000), kMs + 1300);
  ASSERT_EQ(g.TakeStartable(kMs + 1300).size(), 1u);
  Start(g, "a:443", "a2", false, kMs + 1300);
  EXPECT_EQ(g.Report()[0].min_gap_ms, 1000);
}

TEST(HostGateTest, GlobalLimit) {
  HostGate g(Polite(0, 0), 2);
  for (const char* h : {"a", "b", "c"}) g.Enqueue(h, std::string("f") + h);
  EXPECT_EQ(g.TakeStartable(kMs).size(), 2u);
  EXPECT_TRUE(g.TakeStartable(kMs).empty());
  // Waiting on the global limit only: no wake-up time (a timer for "now" would spin the loop
  // until a request ends; the end of one dispatches again).
  EXPECT_FALSE(g.NextWakeMs(kMs).has_value());
  g.Finished("a", "fa", "a", 304, std::nullopt, true, /*conditional=*/true, kMs);
  EXPECT_EQ(Feeds(g.TakeStartable(kMs)), (std::vector<FeedId>{"fc"}));
}

TEST(HostGateTest, UnlimitedProfileStartsEverythingAtOnce) {
  HostGate g(Polite(0, 0), 0);
  for (int i = 0; i < 100; ++i) g.Enqueue("127.0.0.1:8080", "f" + std::to_string(i));
  EXPECT_EQ(g.TakeStartable(kMs).size(), 100u);
}

TEST(HostGateTest, HostWideRetryAfterOnlyForPublicHosts) {
  HostGate g(Polite(0, 0), 0);
  g.Enqueue("pub", "p1");
  g.Enqueue("priv", "q1");
  ASSERT_EQ(g.TakeStartable(kMs).size(), 2u);
  g.Finished("pub", "p1", "pub", 429, 600, /*host_scope=*/true, /*conditional=*/true, kMs);
  g.Finished("priv", "q1", "priv", 429, 600, /*host_scope=*/false, /*conditional=*/true, kMs);
  g.Enqueue("pub", "p2");
  g.Enqueue("priv", "q2");
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 1000)), (std::vector<FeedId>{"q2"}));
  EXPECT_EQ(g.NextWakeMs(kMs + 1000), kMs + 600'000);
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 600'000)), (std::vector<FeedId>{"p2"}));
}

// One round (--once) takes the feeds a Retry-After holds out of the queue instead of waiting;
// feeds that wait only for spacing stay.
TEST(HostGateTest, DropHeldTakesOnlyFeedsOfHostsUnderARetryAfter) {
  HostGate g(Polite(0, 10), 0);
  g.Enqueue("held", "h1");
  g.Enqueue("spaced", "s1");
  ASSERT_EQ(g.TakeStartable(kMs).size(), 2u);
  g.Finished("held", "h1", "held", 503, 600, /*host_scope=*/true, /*conditional=*/true, kMs);
  g.Finished("spaced", "s1", "spaced", 200, std::nullopt, true, /*conditional=*/true, kMs);
  g.Enqueue("held", "h2");
  g.Enqueue("held", "h3");
  g.Enqueue("spaced", "s2");
  const std::vector<HostGate::Held> held = g.DropHeld(kMs + 1000);
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0].feed, "h2");
  EXPECT_EQ(held[1].feed, "h3");
  EXPECT_EQ(held[0].until, kMs / 1000 + 600);
  EXPECT_EQ(g.waiting(), 1u);
  EXPECT_TRUE(g.DropHeld(kMs + 1000).empty());
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 10'000)), (std::vector<FeedId>{"s2"}));
  g.Enqueue("held", "h2");  // queued again later: not "already waiting"
  EXPECT_EQ(g.waiting(), 1u);
}

// HeldUntil: when a host's Retry-After ends while it holds, 0 otherwise (unknown hosts too).
TEST(HostGateTest, HeldUntilTellsWhenAHoldEnds) {
  HostGate g(Polite(0, 0), 0);
  EXPECT_EQ(g.HeldUntil("cdn", kMs), 0);
  g.Enqueue("cdn", "f");
  ASSERT_EQ(g.TakeStartable(kMs).size(), 1u);
  g.Finished("cdn", "f", "cdn", 429, 60, /*host_scope=*/true, /*conditional=*/true, kMs);
  EXPECT_EQ(g.HeldUntil("cdn", kMs + 1000), kMs / 1000 + 60);
  EXPECT_EQ(g.HeldUntil("cdn", (kMs / 1000 + 60) * 1000), 0) << "the hold has ended";
  EXPECT_EQ(g.HeldUntil("other", kMs + 1000), 0);
}

// A poll started on a host and redirected to another: the first host's in-flight slot is
// freed, and the answer (a 429 with Retry-After) counts for, and blocks, the host that sent it.
TEST(HostGateTest, ARedirectedAnswerCountsForTheHostThatSentIt) {
  HostGate g(Polite(1, 0), 0);
  g.Enqueue("origin", "f");
  ASSERT_EQ(g.TakeStartable(kMs).size(), 1u);
  Start(g, "origin", "f", false, kMs);
  g.Requested("target", "f", false, kMs);  // the redirect's hop
  g.Finished("origin", "f", "target", 429, 600, /*host_scope=*/true, /*conditional=*/true, kMs);
  g.Enqueue("origin", "f2");
  g.Enqueue("target", "g");
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 1000)), (std::vector<FeedId>{"f2"}));
  std::map<std::string, storage::HostStats> by_host;
  for (const storage::HostStats& h : g.Report()) by_host[h.host] = h;
  EXPECT_EQ(by_host["origin"].throttled, 0u);
  EXPECT_EQ(by_host["target"].throttled, 1u);
  EXPECT_EQ(by_host["target"].requests, 1u);
  EXPECT_EQ(by_host["target"].blocked_until, kMs / 1000 + 600);
}

// A poll redirected from "own" to "cdn" waits in the cdn's queue and on own's limits too: it
// keeps own's spacing and in-flight limit, and while own is not ready the cdn's other feeds
// go first. Its end (or a start that did not happen) frees both hosts.
TEST(HostGateTest, ARedirectedPollWaitsOnBothOfItsHosts) {
  HostGate g(Polite(1, 2), 0);
  g.Enqueue("own", "o1");
  ASSERT_EQ(Feeds(g.TakeStartable(kMs)), (std::vector<FeedId>{"o1"}));
  g.Enqueue("cdn", "r", "own");
  g.Enqueue("cdn", "c1");
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 100)), (std::vector<FeedId>{"c1"}))
      << "own is busy: r lets the cdn's next feed go first";
  g.Finished("own", "o1", "own", 200, std::nullopt, true, /*conditional=*/false, kMs + 200);
  g.Finished("cdn", "c1", "cdn", 200, std::nullopt, true, /*conditional=*/false, kMs + 300);
  EXPECT_TRUE(g.TakeStartable(kMs + 1999).empty()) << "own's spacing (from o1) holds r";
  EXPECT_EQ(g.NextWakeMs(kMs + 1999), kMs + 2100) << "the cdn's spacing (from c1) ends later";
  const std::optional<HostGate::Start> waiting = g.WaitingOn("r");
  ASSERT_TRUE(waiting.has_value());
  EXPECT_EQ(waiting->host, "cdn");
  EXPECT_EQ(waiting->also, "own");
  const std::vector<HostGate::Start> started = g.TakeStartable(kMs + 2100);
  ASSERT_EQ(Feeds(started), (std::vector<FeedId>{"r"}));
  EXPECT_EQ(started[0].also, "own");
  g.Enqueue("own", "o2");
  EXPECT_TRUE(g.TakeStartable(kMs + 10'000).empty()) << "r holds own's only slot";
  g.Finished("cdn", "r", "cdn", 200, std::nullopt, true, /*conditional=*/false, kMs + 10'000);
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 10'000)), (std::vector<FeedId>{"o2"}));
  g.Enqueue("cdn", "r", "own");
  g.Finished("own", "o2", "own", 200, std::nullopt, true, /*conditional=*/false, kMs + 20'000);
  ASSERT_EQ(Feeds(g.TakeStartable(kMs + 20'000)), (std::vector<FeedId>{"r"}));
  g.Release("cdn", "r");  // not started after all
  g.Enqueue("own", "o3");
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 30'000)), (std::vector<FeedId>{"o3"}));
  EXPECT_EQ(g.in_flight(), 1);
}

// A redirected feed that finds its URL's host busy reserves it: that host's own feeds, even
// when it comes first in the turns (and always has one waiting), let the redirected feed start
// at the host's next free turn instead of taking every turn.
TEST(HostGateTest, ARedirectedPollIsNotStarvedByItsOwnHostsQueue) {
  HostGate g(Polite(1, 1), 0);
  for (const char* f : {"o1", "o2", "o3", "o4"}) g.Enqueue("a-own", f);
  g.Enqueue("z-cdn", "r", "a-own");
  ASSERT_EQ(Feeds(g.TakeStartable(kMs)), (std::vector<FeedId>{"o1"})) << "r finds a-own busy";
  g.Finished("a-own", "o1", "a-own", 200, std::nullopt, true, /*conditional=*/false, kMs + 100);
  EXPECT_EQ(g.NextWakeMs(kMs + 100), kMs + 1000);
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 1000)), (std::vector<FeedId>{"r"}))
      << "a-own's next turn is r's";
  g.Finished("z-cdn", "r", "z-cdn", 200, std::nullopt, true, /*conditional=*/false, kMs + 1100);
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 2000)), (std::vector<FeedId>{"o2"}));
  // A reservation never idles the host while its feed waits on something else: here a
  // Retry-After of z-cdn that r (reserving a-own again) must sit out.
  g.Enqueue("z-cdn", "r", "a-own");
  EXPECT_TRUE(g.TakeStartable(kMs + 2100).empty());  // r reserves a-own, busy with o2
  g.Enqueue("z-cdn", "c1");
  ASSERT_EQ(Feeds(g.TakeStartable(kMs + 2100)), (std::vector<FeedId>{"c1"}));
  g.Finished("z-cdn", "c1", "z-cdn", 429, 3600, /*host_scope=*/true, false, kMs + 2200);
  g.Finished("a-own", "o2", "a-own", 200, std::nullopt, true, /*conditional=*/false, kMs + 2200);
  EXPECT_EQ(g.NextWakeMs(kMs + 2200), kMs + 3000);
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 3000)), (std::vector<FeedId>{"o3"}));
}

// A feed whose poll holds two hosts is not queued again until that poll ends (a second start
// would lose the first one's other host).
TEST(HostGateTest, APollHoldingTwoHostsIsNotQueuedAgain) {
  HostGate g(Polite(1, 0), 0);
  g.Enqueue("cdn", "r", "own");
  ASSERT_EQ(g.TakeStartable(kMs).size(), 1u);
  g.Enqueue("cdn", "r", "own");
  EXPECT_EQ(g.waiting(), 0u);
  g.Finished("cdn", "r", "cdn", 200, std::nullopt, true, /*conditional=*/false, kMs);
  g.Enqueue("own", "o1");
  EXPECT_EQ(Feeds(g.TakeStartable(kMs)), (std::vector<FeedId>{"o1"})) << "own was freed";
  EXPECT_EQ(g.in_flight(), 1);
}

// One round (--once) does not wait for a Retry-After of the host a redirected feed asks first.
TEST(HostGateTest, DropHeldTakesFeedsWhoseOtherHostIsHeld) {
  HostGate g(Polite(0, 0), 0);
  g.Enqueue("own", "o1");
  ASSERT_EQ(g.TakeStartable(kMs).size(), 1u);
  g.Finished("own", "o1", "own", 429, 600, /*host_scope=*/true, /*conditional=*/false, kMs);
  g.Enqueue("cdn", "r", "own");
  g.Enqueue("cdn", "c1");
  EXPECT_EQ(Feeds(g.TakeStartable(kMs + 1000)), (std::vector<FeedId>{"c1"}));
  EXPECT_EQ(g.NextWakeMs(kMs + 1000), kMs + 600'000);
  g.Enqueue("cdn", "c2");
  ASSERT_EQ(g.TakeStartable(kMs + 1000).size(), 1u);
  g.Finished("cdn", "c2", "cdn", 429, 60, /*host_scope=*/true, /*conditional=*/false, kMs + 1000);
  const std::vector<HostGate::Held> held = g.DropHeld(kMs + 1000);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].feed, "r");
  EXPECT_EQ(held[0].host, "own");
  EXPECT_EQ(held[0].until, kMs / 1000 + 600);
  EXPECT_EQ(g.waiting(), 0u);
}

TEST(HostGateTest, ReportCountsConditionalsNotModifiedThrottlingAndGaps) {
  HostGate g(Polite(0, 0), 0);
  Start(g, "h", "f", false, kMs);
  g.Finished("h", "f", "h", 200, std::nullopt, true, /*conditional=*/false, kMs);
  Start(g, "h", "f", false, kMs + 1'800'000);
  // A 304 to a request without validators is no "not modified" (the publisher sent nothing).
  g.Finished("h", "f", "h", 304, std::nullopt, true, /*conditional=*/false, kMs + 1'800'000);
  Start(g, "h", "f", true, kMs + 3'600'000);
  g.Finished("h", "f", "h", 304, std::nullopt, true, /*conditional=*/true, kMs + 3'600'000);
  Start(g, "h", "g", true, kMs + 3'601'000);
  g.Finished("h", "g", "h", 429, 60, true, /*conditional=*/true, kMs + 3'601'000);
  Start(g, "h", "g", true, kMs + 3'602'000);  // inside the Retry-After: a violation
  auto report = g.Report();
  ASSERT_EQ(report.size(), 1u);
  const storage::HostStats& s = report[0];
  EXPECT_EQ(s.requests, 5u);
  EXPECT_EQ(s.conditional, 3u);
  EXPECT_EQ(s.not_modified, 1u);
  EXPECT_EQ(s.throttled, 1u);
  EXPECT_EQ(s.retry_after, 1u);
  EXPECT_EQ(s.retry_violations, 1u);
  EXPECT_EQ(s.min_gap_ms, 1000);
  EXPECT_EQ(s.min_feed_gap, 1);
  EXPECT_EQ(g.TakeDirty().size(), 1u);
  EXPECT_TRUE(g.TakeDirty().empty());
}

// Each request of a poll counts for the host it went to: the URL's, then each redirect's
// target, conditional on every hop; a hop back to a host already asked is no new poll there.
TEST(HostGateTest, EveryHopOfARedirectChainIsARequestOfItsHost) {
  HostGate g(Polite(0, 0), 0);
  for (int64_t t : {kMs, kMs + 60'000}) {
    Start(g, "a", "f", true, t);
    g.Requested("b", "f", true, t + 10);
    g.Requested("c", "f", true, t + 20);
    g.Requested("a", "f", true, t + 30, /*again=*/true);
    g.Finished("a", "f", "a", 304, std::nullopt, true, /*conditional=*/true, t + 40);
  }
  std::map<std::string, storage::HostStats> by_host;
  for (const storage::HostStats& h : g.Report()) by_host[h.host] = h;
  EXPECT_EQ(by_host["a"].requests, 4u);
  EXPECT_EQ(by_host["b"].requests, 2u);
  EXPECT_EQ(by_host["c"].conditional, 2u);
  EXPECT_EQ(by_host["a"].not_modified, 2u);
  EXPECT_EQ(by_host["a"].min_feed_gap, 60) << "the hop back to a is part of the poll";
  EXPECT_EQ(by_host["c"].min_feed_gap, 60);
}

// A poll that started before a host asked to wait cannot take back its redirect's hops: they
// are no violation. A poll started during the wait is one.
TEST(HostGateTest, OnlyRequestsOfPollsStartedDuringARetryAfterAreViolations) {
  HostGate g(Polite(0, 0), 0);
  Start(g, "a", "early", false, kMs);
  Start(g, "h", "x", false, kMs + 100);
  g.Finished("h", "x", "h", 429, 60, true, /*conditional=*/true,
             kMs + 200);                                   // h asks to wait a minute
  g.Requested("h", "early", false, kMs, /*again=*/false);  // early's hop, dated at its start
  Start(g, "h", "late", false, kMs + 300);
  std::map<std::string, storage::HostStats> by_host;
  for (const storage::HostStats& h : g.Report()) by_host[h.host] = h;
  EXPECT_EQ(by_host["h"].retry_violations, 1u);
}

TEST(HostGateTest, TheShortestFeedIntervalIsMeasuredAcrossARestart) {
  HostGate g(Polite(0, 0), 0);
  g.NoteLastRequest("h", "f", kMs);  // from the archive: its last poll
  Start(g, "h", "f", true, kMs + 2'500);
  EXPECT_EQ(g.Report()[0].min_feed_gap, 2);
}

TEST(HostGateTest, DuplicateEnqueueIsIgnored) {
  HostGate g(Polite(0, 0), 0);
  g.Enqueue("h", "f");
  g.Enqueue("h", "f");
  EXPECT_EQ(g.waiting(), 1u);
  EXPECT_EQ(g.DropWaiting(), (std::vector<FeedId>{"f"}));
  EXPECT_EQ(g.waiting(), 0u);
}

}  // namespace
}  // namespace newsd::daemon
