// Scheduling decisions of one poll, driven with exact times (the fake clock is the `now`
// argument) and an exact jitter draw.
#include "daemon/poll_policy.h"

#include <gtest/gtest.h>

namespace newsd::daemon {
namespace {

using storage::FeedState;
using storage::FeedStatus;

constexpr UnixSeconds kT0 = 1'790'000'000;  // 2026-09-21

config::FeedConfig Feed(int64_t interval = 3600) {
  config::FeedConfig f;
  f.id = "f";
  f.url = "https://example.com/feed.xml";
  f.interval = interval;
  return f;
}

FeedState State() {
  FeedState s;
  s.id = "f";
  s.url = s.config_url = "https://example.com/feed.xml";
  return s;
}

fetchers::FetchResult Http(long code) {
  fetchers::FetchResult r;
  r.http_status = code;
  return r;
}

PollReport Parsed(uint64_t new_items = 1) {
  PollReport r;
  r.parsed = true;
  r.new_items = new_items;
  return r;
}

TEST(PollPolicyTest, OkPollSchedulesTheIntervalAndReplacesBothValidators) {
  config::PolitenessOptions p;
  FeedState s = State();
  s.etag = "\"old\"";
  s.last_modified = "Mon, 01 Jan 2026 00:00:00 GMT";
  fetchers::FetchResult r = Http(200);
  r.etag = "\"new\"";  // no Last-Modified this time: the old one must go
  PollDecision d = ApplyPoll(Feed(), p, r, Parsed(), kT0, 0.5, &s);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(s.etag, "\"new\"");
  EXPECT_EQ(s.last_modified, "");
  EXPECT_EQ(s.next_fetch, kT0 + 3600);
  EXPECT_EQ(s.status, FeedStatus::kActive);
  EXPECT_EQ(s.last_ok, kT0);
}

// A body cut off in transfer (a response without a length, its connection closed early)
// gave only the entries before the cut: its validators would get a 304 next time and hide
// the rest until the feed changed. None are kept: the next request asks for the whole feed.
TEST(PollPolicyTest, ABodyCutOffInTransferKeepsNoValidators) {
  config::PolitenessOptions p;
  FeedState s = State();
  s.etag = "\"old\"";
  fetchers::FetchResult r = Http(200);
  r.etag = "\"t1\"";
  r.last_modified = "Mon, 01 Jan 2026 00:00:00 GMT";
  PollReport cut = Parsed();
  cut.cut_off = true;
  cut.body_hash = 42;
  PollDecision d = ApplyPoll(Feed(), p, r, cut, kT0, 0.5, &s);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(s.etag, "");
  EXPECT_EQ(s.last_modified, "");
  EXPECT_EQ(s.body_hash, 0u);  // the same cut body, served again, is read again
  ApplyPoll(Feed(), p, r, Parsed(), kT0 + 3600, 0.5, &s);  // the whole body, next time
  EXPECT_EQ(s.etag, "\"t1\"");
}

// A publisher's answer cannot make a feed's stored texts (and so every line of `newsctl feeds
// list`) as long as it likes: a redirect to a 70,000-byte Location that fails.
TEST(PollPolicyTest, AFeedsErrorTextsStayShortWhateverThePublisherSends) {
  config::PolitenessOptions p;
  FeedState s = State();
  fetchers::FetchResult r = Http(414);
  const std::string target = "http://example.com/" + std::string(70000, 'a');
  r.redirects.push_back({301, "https://example.com/feed.xml", target});
  r.effective_url = target;
  PollDecision d = ApplyPoll(Feed(), p, r, PollReport{}, kT0, 0.5, &s);
  EXPECT_FALSE(d.ok);
  for (const std::string* text : {&s.last_error, &s.status_reason}) {
    EXPECT_LE(text->size(), kMaxStateText + 200) << text->substr(0, 80);
    EXPECT_NE(text->find("HTTP 414 from http://example.com/aaa"), std::string::npos)
        << text->substr(0, 80);
    EXPECT_NE(text->find("(70019 bytes in all) ...aaa"), std::string::npos) << text->substr(0, 600);
    EXPECT_NE(text->find("aaa (reached by redirect: 301)"), std::string::npos)
        << text->substr(text->size() - std::min<size_t>(text->size(), 120));
  }
  // What newsd adds after the publisher's text stays: when it tries again.
  EXPECT_NE(s.status_reason.find("(1 failure, next try at "), std::string::npos)
      << s.status_reason.substr(s.status_reason.size() - 120);
  // An error of newsd's own after a long URL keeps its end (its advice).
  FeedState e = State();
  fetchers::FetchResult refused;
  refused.status = Status::Unavailable("https://example.com/" + std::string(3000, 'x') +
                                       ": couldn't connect to server");
  ApplyPoll(Feed(), p, refused, PollReport{}, kT0, 0.5, &e);
  EXPECT_LE(e.last_error.size(), kMaxStateText + 40);
  EXPECT_NE(e.last_error.find("xxx: couldn't connect to server"), std::string::npos)
      << e.last_error;
  // A warning kept by polls that do not parse is not cut again (nor counted again).
  FeedState w = State();
  PollReport long_warning = Parsed();
  long_warning.warning = std::string(5000, 'w');
  ApplyPoll(Feed(), p, Http(200), long_warning, kT0, 0.5, &w);
  const std::string kept = w.last_warning;
  EXPECT_NE(kept.find("(5000 bytes in all)"), std::string::npos) << kept.substr(1000);
  fetchers::FetchResult not_modified = Http(304);
  w.etag = "\"v1\"";
  ApplyPoll(Feed(), p, not_modified, PollReport{}, kT0 + 3600, 0.5, &w);
  EXPECT_EQ(w.last_warning, kept);
}

// A 429 whose Retry-After names no time backs off as after an error, and says why.
TEST(PollPolicyTest, ARetryAfterThatNamesNoTimeIsSaid) {
  config::PolitenessOptions p;
  FeedState s = State();
  fetchers::FetchResult r = Http(429);
  r.retry_after_unread = "soon";
  PollDecision d = ApplyPoll(Feed(), p, r, PollReport{}, kT0, 0.5, &s);
  EXPECT_FALSE(d.throttled);
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  EXPECT_NE(s.status_reason.find("HTTP 429, Retry-After \"soon\" names no time"), std::string::npos)
      << s.status_reason;
}

TEST(PollPolicyTest, NotModifiedUpdatesOnlyTheValidatorsItCarries) {
  config::PolitenessOptions p;
  FeedState s = State();
  s.etag = "\"v1\"";
  s.last_modified = "Mon, 01 Jan 2026 00:00:00 GMT";
  fetchers::FetchResult r = Http(304);
  r.etag = "\"v2\"";  // rotated ETag, same Last-Modified (not sent again)
  ApplyPoll(Feed(), p, r, PollReport{}, kT0, 0.5, &s);
  EXPECT_EQ(s.etag, "\"v2\"");
  EXPECT_EQ(s.last_modified, "Mon, 01 Jan 2026 00:00:00 GMT");
  EXPECT_EQ(s.next_fetch, kT0 + 3600);
}

TEST(PollPolicyTest, FloorHoldsForShortIntervals) {
  config::PolitenessOptions p;  // min_interval 15 min
  FeedState s = State();
  s.etag = "\"v1\"";  // a 304 answers a conditional request
  ApplyPoll(Feed(60), p, Http(304), PollReport{}, kT0, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kActive);
  EXPECT_EQ(s.next_fetch, kT0 + 15 * 60);
}

TEST(PollPolicyTest, PublisherHintsLengthenTheIntervalWithinTheCeiling) {
  config::PolitenessOptions p;
  FeedState s = State();
  PollReport ttl = Parsed();
  ttl.ttl_minutes = 120;
  ApplyPoll(Feed(), p, Http(200), ttl, kT0, 0.5, &s);
  EXPECT_EQ(s.next_fetch, kT0 + 7200) << "RSS ttl";

  fetchers::FetchResult cached = Http(200);
  cached.fresh_for_seconds = 3 * 3600;
  ApplyPoll(Feed(), p, cached, Parsed(), kT0, 0.5, &s);
  EXPECT_EQ(s.next_fetch, kT0 + 3 * 3600) << "Cache-Control max-age";

  PollReport sy = Parsed();
  sy.update_period = 86400;
  ApplyPoll(Feed(), p, Http(200), sy, kT0, 0.5, &s);
  EXPECT_EQ(s.next_fetch, kT0 + 86400) << "sy:updatePeriod daily";

  PollReport huge = Parsed();
  huge.ttl_minutes = 100'000;
  ApplyPoll(Feed(), p, Http(200), huge, kT0, 0.5, &s);
  EXPECT_EQ(s.next_fetch, kT0 + p.max_interval) << "clamped to max_interval";
}

// The freshness lifetime is the stored response's: a 304 that carries a shorter max-age
// shortens the interval, one that carries none keeps it; the body's ttl holds until the next
// parse either way.
TEST(PollPolicyTest, A304UpdatesTheFreshnessLifetimeItCarries) {
  config::PolitenessOptions p;
  FeedState s = State();
  fetchers::FetchResult long_lived = Http(200);
  long_lived.fresh_for_seconds = 20 * 3600;
  long_lived.etag = "\"v1\"";  // the 304s below answer conditional requests
  ApplyPoll(Feed(), p, long_lived, Parsed(), kT0, 0.5, &s);
  EXPECT_EQ(s.interval, 20 * 3600);
  fetchers::FetchResult shorter = Http(304);
  shorter.fresh_for_seconds = 2 * 3600;
  ApplyPoll(Feed(), p, shorter, PollReport{}, kT0 + 20 * 3600, 0.5, &s);
  EXPECT_EQ(s.interval, 2 * 3600) << "the publisher lowered its max-age";
  ApplyPoll(Feed(), p, Http(304), PollReport{}, kT0 + 22 * 3600, 0.5, &s);
  EXPECT_EQ(s.interval, 2 * 3600) << "a 304 without Cache-Control keeps the stored lifetime";
  PollReport ttl = Parsed(/*new_items=*/0);  // no item-rate hint in the way
  ttl.ttl_minutes = 300;
  ApplyPoll(Feed(), p, Http(200), ttl, kT0 + 24 * 3600, 0.5, &s);
  EXPECT_EQ(s.interval, 5 * 3600) << "ttl; a 200 without Cache-Control has no lifetime";
  ApplyPoll(Feed(), p, shorter, PollReport{}, kT0 + 29 * 3600, 0.5, &s);
  EXPECT_EQ(s.interval, 5 * 3600) << "the body's ttl holds across 304s";
}

// A record written before the interval's parts were kept (no base_interval): its interval
// stands for the last parse's hints across any number of 304s.
TEST(PollPolicyTest, AnOlderRecordKeepsItsIntervalAcross304s) {
  config::PolitenessOptions p;
  FeedState s = State();
  s.interval = 5 * 3600;  // from a ttl, as an older build stored it
  for (int i = 0; i < 3; ++i) {
    ApplyPoll(Feed(), p, Http(304), PollReport{}, kT0 + i * 5 * 3600, 0.5, &s);
    EXPECT_EQ(s.interval, 5 * 3600) << "poll " << i;
  }
}

TEST(PollPolicyTest, SlowFeedsArePolledLessOften) {
  config::PolitenessOptions p;
  FeedState s = State();
  // New items once every 8 hours: polled about twice per expected item.
  for (int i = 0; i < 4; ++i) {
    ApplyPoll(Feed(), p, Http(200), Parsed(1), kT0 + i * 8 * 3600, 0.5, &s);
  }
  EXPECT_EQ(s.item_gap, 8 * 3600);
  EXPECT_EQ(s.next_fetch - s.last_fetch, 4 * 3600);
}

TEST(PollPolicyTest, RetryAfterDelaysTheFeedAndIsClamped) {
  config::PolitenessOptions p;
  FeedState s = State();
  fetchers::FetchResult r = Http(429);
  r.retry_after_seconds = 7200;
  PollDecision d = ApplyPoll(Feed(), p, r, PollReport{}, kT0, 0.5, &s);
  EXPECT_TRUE(d.throttled);
  EXPECT_EQ(s.next_fetch, kT0 + 7200);
  EXPECT_EQ(s.retry_until, kT0 + 7200);
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  EXPECT_NE(s.status_reason.find("Retry-After"), std::string::npos) << s.status_reason;

  r = Http(503);
  r.retry_after_seconds = 60;  // shorter than the backoff (2nd failure: 1h to 4h): it wins
  ApplyPoll(Feed(), p, r, PollReport{}, kT0, 0.5, &s);
  EXPECT_EQ(s.next_fetch, kT0 + 9000);

  r.retry_after_seconds = 365 * 86400;
  ApplyPoll(Feed(), p, r, PollReport{}, kT0, 0.5, &s);
  EXPECT_EQ(s.next_fetch, kT0 + p.retry_after_max);
  // The reason says what was asked, not only the wait kept.
  EXPECT_NE(s.status_reason.find("(asked 365d, cut to retry_after_max)"), std::string::npos)
      << s.status_reason;
}

// A publisher that keeps answering 429 with a short Retry-After is asked less and less often,
// as a failing feed is (it used to be polled every interval, for ever, while it throttled).
TEST(PollPolicyTest, RepeatedThrottlingBacksOffLikeErrors) {
  config::PolitenessOptions p;
  FeedState s = State();
  fetchers::FetchResult r = Http(429);
  r.retry_after_seconds = 120;
  // u = 0.999: the top of each jitter range, as for errors: 2h, 4h, 8h, 16h, then the 24h cap.
  const int64_t expected[] = {7196, 14389, 28774, 57546, 86317};
  UnixSeconds now = kT0;
  for (int64_t want : expected) {
    PollDecision d = ApplyPoll(Feed(), p, r, PollReport{}, now, 0.999, &s);
    EXPECT_TRUE(d.throttled);
    EXPECT_EQ(s.retry_until, now + 120) << "the hold is what was asked";
    EXPECT_EQ(s.next_fetch - now, want);
    now = s.next_fetch;
  }
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  EXPECT_EQ(s.consecutive_failures, 5u);
}

// A transfer that failed after its headers said 200 (a body over the cap, a stall) shows no
// HTTP status: operators watching the column would read 200 as healthy.
TEST(PollPolicyTest, ATransferThatFailedAfterItsHeadersShowsNoHttpStatus) {
  config::PolitenessOptions p;
  FeedState s = State();
  fetchers::FetchResult r = Http(200);
  r.status = Status::ResourceExhausted("body larger than 1048576 bytes ([fetch] max_body_bytes)");
  ApplyPoll(Feed(), p, r, PollReport{}, kT0, 0.5, &s);
  EXPECT_EQ(s.last_http_status, 0);
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  ApplyPoll(Feed(), p, Http(404), PollReport{}, kT0 + 7200, 0.5, &s);
  EXPECT_EQ(s.last_http_status, 404) << "an answer received whole keeps its status";
}

TEST(PollPolicyTest, ErrorsBackOffExponentiallyWithFullJitterUpToTheCap) {
  config::PolitenessOptions p;
  FeedState s = State();
  // u = 0.999: the top of each jitter range: 2h, 4h, 8h, 16h, then the 24h cap.
  const int64_t expected[] = {7196, 14389, 28774, 57546, 86317, 86317};
  UnixSeconds now = kT0;
  for (int64_t want : expected) {
    ApplyPoll(Feed(), p, Http(500), PollReport{}, now, 0.999, &s);
    EXPECT_EQ(s.next_fetch - now, want);
    now = s.next_fetch;
  }
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  // u = 0: the bottom of the range, which is the normal interval.
  ApplyPoll(Feed(), p, Http(500), PollReport{}, now, 0.0, &s);
  EXPECT_EQ(s.next_fetch - now, 3600);
  // Spread evenly over [interval, ceiling]: the middle draw lands in the middle, not on the
  // interval (which would send half of the failing feeds back in step).
  FeedState first = State();
  ApplyPoll(Feed(), p, Http(500), PollReport{}, kT0, 0.5, &first);
  EXPECT_EQ(first.next_fetch - kT0, 5400) << "1st failure: between 1h and 2h";
  ApplyPoll(Feed(), p, Http(500), PollReport{}, first.next_fetch, 0.5, &first);
  EXPECT_EQ(first.next_fetch - (kT0 + 5400), 9000) << "2nd failure: between 1h and 4h";
  // Success resets everything.
  s.etag = "\"v1\"";
  ApplyPoll(Feed(), p, Http(304), PollReport{}, s.next_fetch, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kActive);
  EXPECT_EQ(s.consecutive_failures, 0u);
  EXPECT_EQ(s.failing_since, 0);
}

// A poll that ended a fraction of a second after `now`: its later times one second on, and
// the reason's "next try at" still the time next_fetch says (`feeds list` shows both).
TEST(PollPolicyTest, RoundingUpKeepsTheNextTryOfTheReason) {
  config::PolitenessOptions p;
  FeedState s = State();
  ApplyPoll(Feed(), p, Http(500), PollReport{}, kT0, 0.5, &s);
  const UnixSeconds next = s.next_fetch;
  RoundUpPollTimes(kT0, &s);
  EXPECT_EQ(s.next_fetch, next + 1);
  EXPECT_NE(s.status_reason.find(", next try at " + FormatIso8601(next + 1) + ")"),
            std::string::npos)
      << s.status_reason;
  FeedState t = State();
  fetchers::FetchResult throttled = Http(429);
  throttled.retry_after_seconds = 120;
  ApplyPoll(Feed(), p, throttled, PollReport{}, kT0, 0.5, &t);
  const UnixSeconds until = t.retry_until;
  RoundUpPollTimes(kT0, &t);
  EXPECT_EQ(t.retry_until, until + 1);
}

// A start that retries a failing feed sooner than its last poll planned (backoff_cap lowered)
// says that time in the reason too: `feeds list` showed the new NEXT FETCH beside the old one.
TEST(PollPolicyTest, AStartRetimesTheReasonsNextTry) {
  config::PolitenessOptions p;
  FeedState s = State();
  ApplyPoll(Feed(), p, Http(500), PollReport{}, kT0, 0.5, &s);
  const UnixSeconds planned = s.next_fetch;
  p.backoff_cap = 60;
  const UnixSeconds when = FirstPollTime(Feed(60), p, s, kT0 + 30, 0.5);
  ASSERT_LT(when, planned);
  RetimeReason(s.next_fetch, when, &s);
  EXPECT_NE(s.status_reason.find(", next try at " + FormatIso8601(when) + ")"), std::string::npos)
      << s.status_reason;
  const std::string other = "HTTP 410: gone";
  s.status_reason = other;
  RetimeReason(when, when + 60, &s);
  EXPECT_EQ(s.status_reason, other) << "a reason without a next try is left alone";
}

TEST(PollPolicyTest, FailingForDeadAfterMakesTheFeedDead) {
  config::PolitenessOptions p;
  FeedState s = State();
  ApplyPoll(Feed(), p, Http(404), PollReport{}, kT0, 0.5, &s);
  ApplyPoll(Feed(), p, Http(404), PollReport{}, kT0 + p.dead_after - 1, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  // When the next try is, not how long from a moment the reader no longer knows.
  EXPECT_NE(s.status_reason.find("2 failures in a row, next try at " + FormatIso8601(s.next_fetch)),
            std::string::npos)
      << s.status_reason;
  ApplyPoll(Feed(), p, Http(404), PollReport{}, kT0 + p.dead_after, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kDead);
  EXPECT_EQ(s.next_fetch, kT0 + p.dead_after + p.backoff_cap + 1800) << "cap + u * interval";
  EXPECT_NE(s.status_reason.find("HTTP 404"), std::string::npos) << s.status_reason;
}

// A dead feed that answers 429 or 503 with a Retry-After is still failing: it stays dead (the
// reason says what it asked), and is retried no sooner than the hold or the dead feeds' pace.
TEST(PollPolicyTest, ADeadFeedStaysDeadWhenItAsksToWait) {
  config::PolitenessOptions p;
  FeedState s = State();
  ApplyPoll(Feed(), p, Http(500), PollReport{}, kT0, 0.5, &s);
  ApplyPoll(Feed(), p, Http(500), PollReport{}, kT0 + p.dead_after, 0.5, &s);
  ASSERT_EQ(s.status, FeedStatus::kDead);
  fetchers::FetchResult r = Http(429);
  r.retry_after_seconds = 60;
  const UnixSeconds now = kT0 + p.dead_after + p.backoff_cap;
  PollDecision d = ApplyPoll(Feed(), p, r, PollReport{}, now, 0.5, &s);
  EXPECT_TRUE(d.throttled);
  EXPECT_EQ(s.status, FeedStatus::kDead) << s.status_reason;
  EXPECT_NE(s.status_reason.find("failing since"), std::string::npos) << s.status_reason;
  EXPECT_NE(s.status_reason.find("Retry-After 1m"), std::string::npos) << s.status_reason;
  EXPECT_EQ(s.retry_until, now + 60);
  EXPECT_EQ(s.next_fetch, now + p.backoff_cap + 1800) << "the dead feeds' pace, not 1 minute";
  r.retry_after_seconds = 3 * 86400;  // longer than the dead feeds' pace: the hold wins
  ApplyPoll(Feed(), p, r, PollReport{}, now, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kDead);
  EXPECT_EQ(s.next_fetch, now + 3 * 86400);
}

// Retries after errors and Retry-After respect the feed's skipHours like any other poll.
TEST(PollPolicyTest, RetriesKeepOutOfTheSkippedHours) {
  config::PolitenessOptions p;
  FeedState s = State();
  PollReport night = Parsed();
  night.skip_hours = 0xFFFFFF & ~1u;  // every hour but 00 GMT
  ApplyPoll(Feed(), p, Http(200), night, kT0, 0.5, &s);
  const UnixSeconds midnight = (kT0 / 86400 + 1) * 86400;
  ApplyPoll(Feed(), p, Http(500), PollReport{}, midnight, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  EXPECT_EQ(s.next_fetch, midnight + 86400) << "the next 00 GMT hour";
  fetchers::FetchResult busy = Http(503);
  busy.retry_after_seconds = 600;
  ApplyPoll(Feed(), p, busy, PollReport{}, midnight + 86400, 0.5, &s);
  EXPECT_EQ(s.next_fetch, midnight + 2 * 86400);
}

TEST(PollPolicyTest, UnparsableBodyIsAFailureWithTheParseError) {
  config::PolitenessOptions p;
  FeedState s = State();
  PollReport bad;
  bad.parse_error = "not a feed: <html>";
  ApplyPoll(Feed(), p, Http(200), bad, kT0, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  EXPECT_EQ(s.last_error, "parse: not a feed: <html>");
}

// A 200 that is the response last parsed is a good poll: the validators are replaced as on any
// 200, and the hints and hash of that parse stay. A 200 that does not parse forgets the hash,
// so the same body is parsed (and its error reported) again.
TEST(PollPolicyTest, UnchangedResponseKeepsTheLastParseAndUnparsableForgetsIt) {
  config::PolitenessOptions p;
  FeedState s = State();
  PollReport first = Parsed();
  first.ttl_minutes = 120;
  first.skip_hours = 1u << 3;
  first.body_hash = 0xabc;
  ApplyPoll(Feed(), p, Http(200), first, kT0, 0.5, &s);
  EXPECT_EQ(s.body_hash, 0xabcu);
  EXPECT_EQ(s.interval, 7200);

  s.status = FeedStatus::kBackoff;
  fetchers::FetchResult again = Http(200);
  again.etag = "\"rotated\"";
  PollReport unchanged;
  unchanged.unchanged = true;
  PollDecision d = ApplyPoll(Feed(), p, again, unchanged, kT0 + 7200, 0.5, &s);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(s.status, FeedStatus::kActive);
  EXPECT_EQ(s.etag, "\"rotated\"");
  EXPECT_EQ(s.body_hash, 0xabcu);
  EXPECT_EQ(s.skip_hours, 1u << 3);
  EXPECT_EQ(s.next_fetch - s.last_fetch, 7200) << "the ttl of the last parse still holds";
  EXPECT_EQ(s.last_ok, kT0 + 7200);

  PollReport bad;
  bad.parse_error = "not a feed";
  ApplyPoll(Feed(), p, Http(200), bad, kT0 + 14400, 0.5, &s);
  EXPECT_EQ(s.body_hash, 0u);
  PollReport later = Parsed();
  later.body_hash = 0xdef;
  ApplyPoll(Feed(), p, Http(200), later, kT0 + 20000, 0.5, &s);
  ApplyPoll(Feed(), p, Http(503), PollReport{}, kT0 + 30000, 0.5, &s);
  EXPECT_EQ(s.body_hash, 0xdefu) << "an unanswered poll says nothing about the body";
}

TEST(PollPolicyTest, GoneStopsPolling) {
  config::PolitenessOptions p;
  FeedState s = State();
  ApplyPoll(Feed(), p, Http(410), PollReport{}, kT0, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kGone);
  EXPECT_EQ(s.next_fetch, 0);
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0 + 86400, 0.5), 0) << "not even after a restart";
  EXPECT_NE(s.status_reason.find("`newsctl feeds resume " + Feed().id + "` polls it again"),
            std::string::npos)
      << s.status_reason;
}

TEST(PollPolicyTest, A304ToAnUnconditionalRequestIsAFailure) {
  config::PolitenessOptions p;
  FeedState s = State();
  s.etag.clear();
  s.last_modified.clear();
  ApplyPoll(Feed(), p, Http(304), PollReport{}, kT0, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  EXPECT_NE(s.last_error.find("without validators"), std::string::npos) << s.last_error;
  // A stored ETag that cannot be sent (CR/LF, stored before such values were refused) is left
  // out of the request, which is then unconditional too.
  FeedState unsendable = State();
  unsendable.etag = "\"v1\"\r\nX-Injected: 1";
  unsendable.last_modified.clear();
  ApplyPoll(Feed(), p, Http(304), PollReport{}, kT0, 0.5, &unsendable);
  EXPECT_EQ(unsendable.status, FeedStatus::kBackoff);
  // After a conditional request it is the good answer it always was.
  FeedState with = State();
  with.etag = "\"v1\"";
  ApplyPoll(Feed(), p, Http(304), PollReport{}, kT0, 0.5, &with);
  EXPECT_EQ(with.status, FeedStatus::kActive);
  EXPECT_EQ(with.consecutive_failures, 0u);
}

TEST(PollPolicyTest, GoneBehindATemporaryRedirectIsAFailure) {
  config::PolitenessOptions p;
  FeedState s = State();
  fetchers::FetchResult r = Http(410);
  r.redirects.push_back({302, "https://example.com/feed.xml", "https://example.com/gone.xml"});
  ApplyPoll(Feed(), p, r, PollReport{}, kT0, 0.5, &s);
  EXPECT_EQ(s.status, FeedStatus::kBackoff);
  EXPECT_GT(s.next_fetch, kT0);
  EXPECT_EQ(s.last_error, "HTTP 410 from https://example.com/gone.xml (reached by redirect: 302)");
  // Where the feed moved for good, a 410 is the feed's own.
  FeedState moved = State();
  r.redirects[0].status = 301;
  ApplyPoll(Feed(), p, r, PollReport{}, kT0, 0.5, &moved);
  EXPECT_EQ(moved.status, FeedStatus::kGone);
  EXPECT_NE(moved.status_reason.find("from https://example.com/gone.xml"), std::string::npos)
      << moved.status_reason;
}

fetchers::FetchResult MovedTo(const std::string& to, long code = 301) {
  fetchers::FetchResult r = Http(200);
  r.redirects.push_back({code, "https://example.com/feed.xml", to});
  return r;
}

TEST(PollPolicyTest, PermanentRedirectChangesTheUrlOnlyAfterKConfirmationsOverThePeriod) {
  config::PolitenessOptions p;  // 3 confirmations over 24 h
  FeedState s = State();
  const std::string to = "https://news.example.com/rss";
  ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0, 0.5, &s);
  ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0 + 3600, 0.5, &s);
  ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0 + 7200, 0.5, &s);
  EXPECT_EQ(s.url, "https://example.com/feed.xml") << "3 times, but within 2 hours";
  EXPECT_EQ(s.moved_seen, 3u);
  // The same move with a fragment (never sent) is the same move, recorded without it.
  PollDecision d = ApplyPoll(Feed(), p, MovedTo(to + "#top", 308), Parsed(), kT0 + 86400, 0.5, &s);
  EXPECT_TRUE(d.url_moved);
  EXPECT_EQ(s.url, to);
  ASSERT_EQ(s.url_history.size(), 1u);
  EXPECT_EQ(s.url_history[0].from, "https://example.com/feed.xml");
  EXPECT_EQ(s.url_history[0].to, to);
  EXPECT_EQ(s.url_history[0].at, kT0 + 86400);
}

// A move to a URL no feed has (70 KB) is followed but never becomes the feed's URL, and what
// it logs stays short.
TEST(PollPolicyTest, APermanentRedirectToAHugeUrlIsNotTakenForGood) {
  config::PolitenessOptions p;
  FeedState s = State();
  const std::string to = "https://news.example.com/" + std::string(70000, 'a');
  for (int i = 0; i < 4; ++i) {
    PollDecision d = ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0 + i * 86400, 0.5, &s);
    EXPECT_FALSE(d.url_moved);
    EXPECT_LE(d.log.size(), kMaxStateText + 200);
  }
  EXPECT_EQ(s.url, "https://example.com/feed.xml");
  EXPECT_TRUE(s.moved_to.empty());
}

TEST(PollPolicyTest, TemporaryRedirectsAndInterruptedMovesNeverChangeTheUrl) {
  config::PolitenessOptions p;
  FeedState s = State();
  const std::string to = "https://news.example.com/rss";
  for (int i = 0; i < 5; ++i) {
    ApplyPoll(Feed(), p, MovedTo(to, 302), Parsed(), kT0 + i * 86400, 0.5, &s);
  }
  EXPECT_EQ(s.url, "https://example.com/feed.xml");
  ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0, 0.5, &s);
  ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0 + 86400, 0.5, &s);
  ApplyPoll(Feed(), p, Http(200), Parsed(), kT0 + 2 * 86400, 0.5, &s);  // no redirect now
  ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0 + 3 * 86400, 0.5, &s);
  EXPECT_EQ(s.url, "https://example.com/feed.xml");
  EXPECT_EQ(s.moved_seen, 1u);
  // A 301 to a page that does not parse as a feed is not a confirmation either.
  PollReport html;
  html.parse_error = "not a feed";
  ApplyPoll(Feed(), p, MovedTo(to), html, kT0 + 4 * 86400, 0.5, &s);
  EXPECT_EQ(s.moved_seen, 0u) << "nor does it leave the earlier ones standing";
}

TEST(PollPolicyTest, RemembersTheHostTheRedirectsLedTo) {
  config::PolitenessOptions p;
  FeedState s = State();
  fetchers::FetchResult r = MovedTo("https://cdn.example.net/rss", 302);
  r.effective_url = "https://cdn.example.net/rss";
  ApplyPoll(Feed(), p, r, Parsed(), kT0, 0.5, &s);
  EXPECT_EQ(s.answered_by, "cdn.example.net:443");
  r = Http(503);
  r.status = Status::Unavailable("connection refused");
  ApplyPoll(Feed(), p, r, Parsed(), kT0 + 3600, 0.5, &s);
  EXPECT_EQ(s.answered_by, "cdn.example.net:443") << "no answer: nothing learned";
  r = Http(200);
  r.effective_url = "https://example.com/feed.xml";
  ApplyPoll(Feed(), p, r, Parsed(), kT0 + 7200, 0.5, &s);
  EXPECT_EQ(s.answered_by, "") << "answered by its own host";
}

// A server whose Content-Encoding names no compression is remembered (its next polls ask
// plain, after a restart too), until the feed moves to another URL.
TEST(PollPolicyTest, RemembersAContentEncodingThatNamesNoCompression) {
  config::PolitenessOptions p;
  p.redirect_confirmations = 1;
  p.redirect_period = 0;
  FeedState s = State();
  fetchers::FetchResult r = Http(200);
  r.undecoded_encoding = "UTF-8";
  ApplyPoll(Feed(), p, r, Parsed(), kT0, 0.5, &s);
  EXPECT_EQ(s.sent_encoding, "UTF-8");
  ApplyPoll(Feed(), p, Http(200), Parsed(), kT0 + 3600, 0.5, &s);  // asked plain: none named
  EXPECT_EQ(s.sent_encoding, "UTF-8") << "an answer asked plain at once keeps it";
  ApplyPoll(Feed(), p, MovedTo("https://new.example.org/rss"), Parsed(), kT0 + 7200, 0.5, &s);
  EXPECT_EQ(s.url, "https://new.example.org/rss");
  EXPECT_EQ(s.sent_encoding, "") << "another server: asked with compression again";
}

// A poll stopped at a redirect to a host under a Retry-After is no failure: the feed waits
// for the hold (and its interval), and on that host from then on.
TEST(PollPolicyTest, ARedirectToAHeldHostHoldsTheFeedWithoutAFailure) {
  config::PolitenessOptions p;
  p.min_interval = 60;
  FeedState s = State();
  fetchers::FetchResult r;
  r.status = Status::Unavailable("redirect not followed");
  r.held_at = "cdn.example.net:443";
  PollReport held;
  held.held_until = kT0 + 7200;
  const PollDecision d = ApplyPoll(Feed(), p, r, held, kT0, 0.5, &s);
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.log.find("cdn.example.net:443 not followed"), std::string::npos) << d.log;
  EXPECT_EQ(s.status, storage::FeedStatus::kActive);
  EXPECT_EQ(s.consecutive_failures, 0u);
  EXPECT_EQ(s.retry_until, kT0 + 7200);
  EXPECT_EQ(s.next_fetch, kT0 + 7200);
  EXPECT_EQ(s.answered_by, "cdn.example.net:443");
  // A hold shorter than the interval: the interval governs.
  held.held_until = kT0 + 10;
  ApplyPoll(Feed(), p, r, held, kT0 + 7200, 0.5, &s);
  EXPECT_EQ(s.next_fetch, kT0 + 7200 + std::max<int64_t>(Feed().interval, 60));
}

TEST(PollPolicyTest, AFailedPollBreaksTheRowOfConfirmations) {
  config::PolitenessOptions p;
  p.redirect_confirmations = 2;
  p.redirect_period = 0;
  FeedState s = State();
  const std::string to = "https://news.example.com/rss";
  ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0, 0.5, &s);
  ApplyPoll(Feed(), p, Http(500), Parsed(), kT0 + 3600, 0.5, &s);
  PollDecision d = ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0 + 7200, 0.5, &s);
  EXPECT_FALSE(d.url_moved) << "two polls that saw the move, but not in a row";
  EXPECT_EQ(s.moved_seen, 1u);
  d = ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0 + 10800, 0.5, &s);
  EXPECT_TRUE(d.url_moved);
}

// A feed URL with credentials that moves for good on its own host keeps them (curl sent them
// along the redirect; without them the next poll is refused); moved to another host or
// scheme, it does not hand them on.
TEST(PollPolicyTest, AMoveOnTheSameHostKeepsTheUrlsCredentials) {
  config::PolitenessOptions p;
  p.redirect_confirmations = 1;
  p.redirect_period = 0;
  const auto moved = [&](const std::string& to) {
    FeedState s = State();
    s.url = "https://desk:s3cret@news.example.com/feed.xml";
    EXPECT_TRUE(ApplyPoll(Feed(), p, MovedTo(to), Parsed(), kT0, 0.5, &s).url_moved) << to;
    return s.url;
  };
  EXPECT_EQ(moved("https://news.example.com/rss"), "https://desk:s3cret@news.example.com/rss");
  EXPECT_EQ(moved("HTTPS://NEWS.example.com:443/rss"),
            "HTTPS://desk:s3cret@NEWS.example.com:443/rss");
  EXPECT_EQ(moved("https://cdn.example.net/rss"), "https://cdn.example.net/rss");
  EXPECT_EQ(moved("http://news.example.com/rss"), "http://news.example.com/rss");
  EXPECT_EQ(moved("https://news.example.com:8443/rss"), "https://news.example.com:8443/rss");
  EXPECT_EQ(moved("https://other@news.example.com/rss"), "https://other@news.example.com/rss");
}

TEST(PollPolicyTest, SkipHoursAndSkipDaysShiftTheNextPoll) {
  // 2026-09-21 is a Monday; kT0 is 14:13:20 GMT.
  const UnixSeconds monday_14h = kT0 - (kT0 % 3600);
  EXPECT_EQ(SkipForward(monday_14h, 0, 0), monday_14h);
  const uint32_t skip_14_to_16 = (1u << 14) | (1u << 15) | (1u << 16);
  EXPECT_EQ(SkipForward(monday_14h + 60, skip_14_to_16, 0), monday_14h + 3 * 3600);
  const uint32_t skip_monday = 1u << 1;
  const UnixSeconds tuesday = monday_14h - 14 * 3600 + 86400;
  EXPECT_EQ(SkipForward(monday_14h, 0, skip_monday), tuesday);
  EXPECT_EQ(SkipForward(monday_14h, 0xFFFFFF, 0), monday_14h) << "all skipped: ignore";
}

TEST(PollPolicyTest, RestartKeepsTheFloorAndRetryAfterAndJittersDueFeeds) {
  config::PolitenessOptions p;  // floor 15 min, jitter 5 min
  FeedState s = State();
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.5), kT0 + 150) << "never polled: jittered";
  s.last_fetch = kT0 - 60;
  s.next_fetch = kT0 - 60 + 3600;
  EXPECT_EQ(FirstPollTime(Feed(60), p, s, kT0, 0.5), kT0 - 60 + 15 * 60 + 1)
      << "a 1-minute interval cannot beat the floor across a restart";
  s.retry_until = kT0 + 5000;
  s.next_fetch = kT0 + 5000;
  s.status = FeedStatus::kBackoff;
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.5), kT0 + 5000) << "Retry-After survives";
  s = State();
  s.last_fetch = kT0 - 7200;
  s.next_fetch = kT0 - 3600;
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.0), kT0);
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.999), kT0 + 299);
  config::FeedConfig off = Feed();
  off.enabled = false;
  EXPECT_EQ(FirstPollTime(off, p, s, kT0, 0.5), 0);
}

// A restart (or the next `newsd --once`) keeps what the publisher asked (max-age, ttl) for a
// feed on the default interval; an interval set in the configuration, or changed since the
// last poll, governs instead.
TEST(PollPolicyTest, ARestartKeepsThePublishersIntervalUnlessTheConfigurationSetsOne) {
  config::PolitenessOptions p;
  p.startup_jitter = 0;
  FeedState s = State();
  s.last_fetch = kT0 - 3700;
  s.base_interval = 3600;
  s.next_fetch = kT0 + 3500;  // max-age 2 h
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.5), kT0 + 3500) << "the publisher's 2 h kept";
  config::PolitenessOptions lowered = p;
  lowered.max_interval = 5400;  // the ceiling lowered to 90 min since
  EXPECT_EQ(FirstPollTime(Feed(), lowered, s, kT0, 0.5), kT0 - 3700 + 5400);
  config::FeedConfig set = Feed();
  set.interval_set = true;  // interval = "60m" in the configuration
  EXPECT_EQ(FirstPollTime(set, p, s, kT0, 0.5), kT0) << "the configured interval governs";
  EXPECT_EQ(FirstPollTime(Feed(1800), p, s, kT0, 0.5), kT0) << "a changed interval takes effect";
  EXPECT_EQ(FirstPollTime(Feed(7200), p, s, kT0, 0.5), kT0 - 3700 + 7200)
      << "a lengthened one too, counted from the last poll";
  s.base_interval = 0;  // a record from before base_interval was kept
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.5), kT0);
}

// A failing feed's retry after a restart follows today's backoff_cap and interval: an
// operator who lowered them does not wait out the delay the old ones gave.
TEST(PollPolicyTest, ARestartRetriesAFailingFeedWithinTodaysBackoffCap) {
  config::PolitenessOptions p;
  p.startup_jitter = 0;
  p.min_interval = 0;
  FeedState s = State();
  s.status = storage::FeedStatus::kBackoff;
  s.consecutive_failures = 6;
  s.last_fetch = kT0 - 60;
  s.next_fetch = kT0 + 4 * 3600;  // the old cap's delay
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.5), kT0 + 4 * 3600) << "within the 24 h cap";
  p.backoff_cap = 600;
  EXPECT_EQ(FirstPollTime(Feed(60), p, s, kT0, 0.5), kT0 - 60 + 600) << "the lowered cap";
  EXPECT_EQ(FirstPollTime(Feed(30), p, s, kT0, 0.5), kT0 - 60 + 600);
  EXPECT_EQ(FirstPollTime(Feed(3600), p, s, kT0, 0.5), kT0 - 60 + 3600)
      << "never sooner than the interval";
  s.retry_until = kT0 + 7200;  // the publisher's Retry-After still holds
  EXPECT_EQ(FirstPollTime(Feed(60), p, s, kT0, 0.5), kT0 + 7200);
  p.retry_after_max = 1200;  // lowered: the hold is cut to it from the poll it answered
  EXPECT_EQ(FirstPollTime(Feed(60), p, s, kT0, 0.5), kT0 - 60 + 1200);
  s.retry_until = 0;
  s.status = storage::FeedStatus::kDead;
  s.next_fetch = kT0 + 20 * 3600;
  EXPECT_EQ(FirstPollTime(Feed(60), p, s, kT0, 0.5), kT0 - 60 + 600 + 60)
      << "a dead feed: the lowered cap and its jitter";
}

// One round from cron every hour: a feed polled 10 s into the last round is 10 s short of due
// now, and is polled rather than left for the round after (an hour late); never before the
// floor or a Retry-After.
TEST(PollPolicyTest, OneRoundPollsAFeedThatIsNearlyDue) {
  config::PolitenessOptions p;
  p.startup_jitter = 0;
  FeedState s = State();
  s.last_fetch = kT0 - 3590;
  s.base_interval = 3600;
  s.next_fetch = s.last_fetch + 3600;
  EXPECT_EQ(OnceSlack(Feed(), p, s), 180);
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.5), kT0 + 10) << "the service waits";
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.5, OnceSlack(Feed(), p, s)), kT0);
  s.next_fetch = kT0 + 600;  // 10 min short: not nearly due
  EXPECT_EQ(FirstPollTime(Feed(), p, s, kT0, 0.5, 180), kT0 + 600);
  // The floor holds: interval 15 min, polled 14 min 50 s ago.
  FeedState f = State();
  f.last_fetch = kT0 - 890;
  f.base_interval = 900;
  f.next_fetch = f.last_fetch + 900;
  EXPECT_EQ(FirstPollTime(Feed(900), p, f, kT0, 0.5, 45), f.last_fetch + 901);
  f.retry_until = kT0 + 30;  // and so does a Retry-After
  f.last_fetch = kT0 - 3590;
  f.next_fetch = kT0 + 10;
  EXPECT_EQ(FirstPollTime(Feed(900), p, f, kT0, 0.5, 45), kT0 + 30);
}

TEST(PollPolicyTest, TheFloorAcrossARestartCountsTheSecondItWasRoundedDownFrom) {
  config::PolitenessOptions p;
  p.min_interval = 3;
  p.startup_jitter = 0;
  FeedState s = State();
  s.last_fetch = kT0;  // the poll ended somewhere in [kT0, kT0 + 1)
  s.next_fetch = kT0;
  EXPECT_EQ(FirstPollTime(Feed(0), p, s, kT0 + 3, 0.5), kT0 + 4);
  p.min_interval = 0;  // the test profile: due again at once
  EXPECT_EQ(FirstPollTime(Feed(0), p, s, kT0, 0.5), kT0);
}

TEST(PollPolicyTest, ARestartKeepsOutOfTheSkippedHours) {
  config::PolitenessOptions p;
  p.startup_jitter = 0;
  FeedState s = State();
  const UnixSeconds hour = kT0 - (kT0 % 3600);  // 14:00 GMT
  s.last_fetch = hour - 7200;
  s.next_fetch = hour + 16 * 3600;
  s.skip_hours = (1u << 14) | (1u << 15) | (1u << 16);
  EXPECT_EQ(FirstPollTime(Feed(60), p, s, kT0, 0.5), hour + 3 * 3600)
      << "its interval has passed, but 14:00-17:00 GMT are skipped";
}

}  // namespace
}  // namespace newsd::daemon
