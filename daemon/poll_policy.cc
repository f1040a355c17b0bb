#include "daemon/poll_policy.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/plural.h"
#include "core/redact.h"
#include "parse/encoding.h"

namespace newsd::daemon {
namespace {

constexpr size_t kUrlHistoryKept = 16;
constexpr double kItemGapWeight = 0.3;  // EWMA weight of the newest gap between new items

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) { return std::max(lo, std::min(v, hi)); }

// True when a hop of the fetch's redirects was temporary (anything but 301 and 308): what the
// final URL answered says nothing lasting about the feed's own URL.
bool TemporaryRedirect(const fetchers::FetchResult& f) {
  return std::any_of(f.redirects.begin(), f.redirects.end(), [](const fetchers::Redirect& r) {
    return r.status != 301 && r.status != 308;
  });
}

// `text` (from a publisher's answer: a redirect's Location, an error message, a parse
// warning) cut to `max` bytes at a character boundary, saying how long it was: the texts a
// feed's state keeps are built from such pieces, and one feed must not fill `newsctl feeds
// list` (kMaxStateText).
std::string Capped(std::string text, size_t max = kMaxStateText) {
  if (text.size() <= max) return text;
  // Its start and its end: newsd's own words often follow a URL ("URL: couldn't connect").
  std::string head = text.substr(0, max / 2);
  parse::TruncateUtf8(&head, max / 2);
  size_t tail = text.size() - max / 2;
  while (tail < text.size() && (static_cast<unsigned char>(text[tail]) & 0xC0) == 0x80) ++tail;
  return head + "... (" + std::to_string(text.size()) + " bytes in all) ..." + text.substr(tail);
}

// " from URL (reached by redirect: 302, 307)" when redirects led elsewhere, else "": where an
// answer came from, for the operator who tries the feed's URL by hand and gets a redirect.
std::string RedirectedFrom(const fetchers::FetchResult& f) {
  if (f.redirects.empty()) return "";
  std::string text =
      " from " + Capped(f.redirects.back().to, kMaxStateText / 2) + " (reached by redirect";
  text += f.redirects.size() > 1 ? "s: " : ": ";
  for (size_t i = 0; i < f.redirects.size(); ++i) {
    text += (i > 0 ? ", " : "") + std::to_string(f.redirects[i].status);
  }
  return text + ")";
}

std::string HttpText(const fetchers::FetchResult& f) {
  if (!f.status.ok()) return Capped(f.status.message());
  return "HTTP " + std::to_string(f.http_status) + RedirectedFrom(f);
}

// The interval after a good poll: the configured one, lengthened by what the publisher asks
// (ttl, sy:updatePeriod, Cache-Control/Expires) and by a slow observed item rate, clamped.
// Keeps in *s what each kind of hint asked, for polls that do not repeat it: the body's hints
// (ttl, sy:updatePeriod, item rate) hold until the next parse; the freshness lifetime until a
// response gives another (a 304 that carries none keeps the stored response's, as in HTTP
// caching; a 200 without one has none).
int64_t AdaptiveInterval(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                         const fetchers::FetchResult& fetch, const PollReport& report,
                         storage::FeedState* s) {
  const int64_t base = BaseInterval(feed, p);
  int64_t want = base;
  if (report.parsed) {
    int64_t hints = 0;
    if (report.ttl_minutes) hints = std::max<int64_t>(hints, *report.ttl_minutes * 60);
    if (report.update_period) hints = std::max(hints, *report.update_period);
    // Poll about twice per expected new item: slow feeds are polled less often.
    if (s->item_gap > 0) hints = std::max(hints, s->item_gap / 2);
    s->hint_interval = hints;
  } else if (s->base_interval == 0 && s->interval > 0) {
    // A record from before the hints were kept apart: the interval of the last parse stands
    // for them until the next parse.
    s->hint_interval = s->interval;
  }
  if (fetch.fresh_for_seconds) {
    s->fresh_interval = *fetch.fresh_for_seconds;
  } else if (fetch.http_status != 304) {
    s->fresh_interval = 0;
  }
  want = std::max({want, s->hint_interval, s->fresh_interval});
  return Clamp(want, p.min_interval, std::max(p.max_interval, base));
}

void UpdateItemRate(const PollReport& report, UnixSeconds now, storage::FeedState* s) {
  if (!report.parsed || report.new_items == 0) return;
  if (s->last_new_items > 0 && now > s->last_new_items) {
    const auto gap = static_cast<double>(now - s->last_new_items);
    s->item_gap =
        s->item_gap == 0
            ? static_cast<int64_t>(gap)
            : static_cast<int64_t>(kItemGapWeight * gap + (1 - kItemGapWeight) * s->item_gap);
  }
  s->last_new_items = now;
}

// Where the leading run of permanent hops (301/308) leads; "" when the first hop is not one.
std::string PermanentTarget(const std::vector<fetchers::Redirect>& hops) {
  std::string target;
  for (const fetchers::Redirect& hop : hops) {
    if (hop.status != 301 && hop.status != 308) break;
    target = hop.to;
  }
  // A fragment is never sent: the feed's new URL is the resource without it.
  return target.substr(0, std::min(target.find('#'), target.size()));
}

// `target` with the user info of `url` when it has none of its own and stays on the same
// scheme, host and port: curl sends a URL's credentials along such a redirect (and only
// there), so the feed's new URL must keep them or the next poll is refused (401).
std::string WithCredentialsOf(const std::string& url, const std::string& target) {
  const std::string_view info = UserInfo(url);
  if (info.empty() || target.empty() || !UserInfo(target).empty()) return target;
  const size_t scheme = url.find("://"), target_scheme = target.find("://");
  if (target_scheme == std::string::npos ||
      !std::equal(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(scheme), target.begin(),
                  target.begin() + static_cast<std::ptrdiff_t>(target_scheme),
                  [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) ==
                           std::tolower(static_cast<unsigned char>(b));
                  }) ||
      fetchers::HostKey(WithoutUserInfo(url)) != fetchers::HostKey(target)) {
    return target;
  }
  std::string out = target;
  out.insert(target_scheme + 3, std::string(info) + "@");
  return out;
}

// A permanent move is confirmed over polls in a row: a poll that is not answered as a feed
// breaks the row.
void ForgetMove(storage::FeedState* s) {
  s->moved_to.clear();
  s->moved_seen = 0;
  s->moved_first = 0;
}

// Confirms a permanent move over several good polls before the feed URL changes.
bool TrackMove(const config::PolitenessOptions& p, const fetchers::FetchResult& fetch,
               UnixSeconds now, storage::FeedState* s, std::string* log) {
  const std::string target = WithCredentialsOf(s->url, PermanentTarget(fetch.redirects));
  if (target.empty() || target == s->url) {
    ForgetMove(s);  // the move must be seen on consecutive polls
    return false;
  }
  if (target.size() > kMaxMovedUrl) {  // no feed's address: the URL stays
    ForgetMove(s);
    *log = "permanent redirect to a URL of " + std::to_string(target.size()) +
           " bytes not taken as the feed's new URL (at most " + std::to_string(kMaxMovedUrl) +
           "): " + Capped(target, kMaxStateText / 2);
    return false;
  }
  if (s->moved_to != target) {
    s->moved_to = target;
    s->moved_seen = 0;
    s->moved_first = now;
  }
  ++s->moved_seen;
  if (s->moved_seen < static_cast<uint32_t>(p.redirect_confirmations) ||
      now - s->moved_first < p.redirect_period) {
    *log = "permanent redirect to " + target + " seen " + Counted(s->moved_seen, "time", "times") +
           "; the URL changes after " + std::to_string(p.redirect_confirmations) + " over " +
           FormatDuration(p.redirect_period);
    return false;
  }
  s->url_history.push_back(storage::UrlMove{now, s->url, target, s->moved_seen});
  if (s->url_history.size() > kUrlHistoryKept) s->url_history.erase(s->url_history.begin());
  *log = "feed moved permanently: " + s->url + " -> " + target + " (confirmed " +
         std::to_string(s->moved_seen) + " times since " + FormatIso8601(s->moved_first) + ")";
  s->url = target;
  s->sent_encoding.clear();  // another server: asked with compression again
  ForgetMove(s);
  return true;
}

PollDecision Succeeded(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                       const fetchers::FetchResult& fetch, const PollReport& report,
                       UnixSeconds now, storage::FeedState* s) {
  PollDecision d;
  d.ok = true;
  if (fetch.http_status == 304) {
    // A 304 updates only the validators it carries.
    if (!fetch.etag.empty()) s->etag = fetch.etag;
    if (!fetch.last_modified.empty()) s->last_modified = fetch.last_modified;
  } else {
    // A 200 replaces both, even with empty ones (also when the body is unchanged); a body cut
    // off in transfer keeps none: a 304 to them would hide the entries after the cut.
    s->etag = report.cut_off ? std::string() : fetch.etag;
    s->last_modified = report.cut_off ? std::string() : fetch.last_modified;
    if (!report.unchanged) {
      s->skip_hours = report.skip_hours;
      s->skip_days = report.skip_days;
      // Nor is a cut body taken for one already read: served again, it is read again.
      s->body_hash = report.cut_off ? 0 : report.body_hash;
    }
  }
  if (s->status != storage::FeedStatus::kActive) {
    d.log = "feed is active again after " + std::string(storage::FeedStatusName(s->status));
  }
  s->status = storage::FeedStatus::kActive;
  s->status_reason.clear();
  s->last_error.clear();
  s->consecutive_failures = 0;
  s->failing_since = 0;
  s->last_ok = now;
  UpdateItemRate(report, now, s);
  std::string move_log;
  d.url_moved = TrackMove(p, fetch, now, s, &move_log);
  if (!move_log.empty()) d.log = move_log;
  s->interval = AdaptiveInterval(feed, p, fetch, report, s);
  s->base_interval = BaseInterval(feed, p);
  s->next_fetch = SkipForward(now + s->interval, s->skip_hours, s->skip_days);
  return d;
}

PollDecision Held(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                  const fetchers::FetchResult& fetch, UnixSeconds until, UnixSeconds now,
                  storage::FeedState* s) {
  PollDecision d;
  const int64_t interval = std::max(BaseInterval(feed, p), s->interval);
  s->retry_until = std::max(s->retry_until, until);
  s->next_fetch = SkipForward(std::max(until, now + interval), s->skip_hours, s->skip_days);
  d.log = "redirect to " + fetch.held_at + " not followed: that host asked to wait until " +
          FormatIso8601(until) + " (Retry-After)";
  s->status_reason = d.log;  // active, and why it waits (cleared by the next good poll)
  return d;
}

PollDecision Gone(const config::FeedConfig& feed, const fetchers::FetchResult& fetch,
                  UnixSeconds now, storage::FeedState* s) {
  PollDecision d;
  s->status = storage::FeedStatus::kGone;
  s->status_reason = "HTTP 410 Gone" + RedirectedFrom(fetch) + " at " + FormatIso8601(now) +
                     ": not polled any more (`newsctl feeds resume " + feed.id +
                     "` polls it again; or give it another url)";
  s->last_error = HttpText(fetch);
  s->next_fetch = 0;
  d.log = s->status_reason;
  return d;
}

// Why a feed failing for longer than dead_after is dead: since when, its last error (and
// `also`, what that answer asked), and how often it is still retried.
std::string DeadReason(const config::PolitenessOptions& p, const storage::FeedState& s,
                       const std::string& also) {
  return "failing since " + FormatIso8601(s.failing_since) + ": " + s.last_error + also +
         " (retried every " + FormatDuration(p.backoff_cap) + ")";
}

// Counts a failed poll and records its error in the feed's state.
void NoteFailure(const fetchers::FetchResult& fetch, const PollReport& report, UnixSeconds now,
                 storage::FeedState* s) {
  ++s->consecutive_failures;
  if (s->failing_since == 0) s->failing_since = now;
  s->last_error = fetch.status.ok() && fetch.http_status == 200
                      ? "parse: " + Capped(report.parse_error) + RedirectedFrom(fetch)
                      : HttpText(fetch);
  if (fetch.status.ok() && fetch.http_status == 304) {
    s->last_error += " to a request without validators (the publisher sent no feed)";
  }
}

// A failed feed whose answer asked for a Retry-After (429, 503): held until then at least, or
// until `next` (its next poll, as dead or backing off) when that is later.
PollDecision Throttled(const config::PolitenessOptions& p, int64_t retry_after, UnixSeconds now,
                       UnixSeconds next, bool dead, storage::FeedState* s) {
  PollDecision d;
  d.throttled = true;
  d.retry_after = Clamp(retry_after, 0, p.retry_after_max);
  s->retry_until = now + d.retry_after;
  // A wait longer than retry_after_max is cut to it: say what was asked ("Retry-After 5m,
  // cut from 11574d by retry_after_max").
  std::string asked = ", Retry-After " + FormatDuration(d.retry_after);
  if (retry_after > p.retry_after_max) {
    asked += " (asked " + FormatDuration(retry_after) + ", cut to retry_after_max)";
  }
  // A feed failing for longer than dead_after stays dead, whatever its last answer asked.
  s->status = dead ? storage::FeedStatus::kDead : storage::FeedStatus::kBackoff;
  s->status_reason = dead ? DeadReason(p, *s, asked) : s->last_error + asked;
  s->next_fetch = SkipForward(std::max(s->retry_until, next), s->skip_hours, s->skip_days);
  d.log = s->status_reason;
  return d;
}

// Capped exponential backoff with full jitter over [interval, ceiling]: never sooner than
// the normal interval, and spread evenly above it (failing feeds do not come back in step).
int64_t BackoffDelay(const config::PolitenessOptions& p, int64_t interval, uint32_t failures,
                     double u) {
  const int shift = static_cast<int>(std::min<uint32_t>(failures, 30));
  const double ceiling = std::min(static_cast<double>(p.backoff_cap),
                                  std::ldexp(static_cast<double>(interval), shift));
  const auto base = static_cast<double>(interval);
  return std::max(interval, static_cast<int64_t>(base + u * std::max(0.0, ceiling - base)));
}

PollDecision Failed(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                    const fetchers::FetchResult& fetch, const PollReport& report, UnixSeconds now,
                    double u, storage::FeedState* s) {
  PollDecision d;
  ForgetMove(s);
  const int64_t interval = std::max(BaseInterval(feed, p), s->interval);
  NoteFailure(fetch, report, now, s);
  const bool throttle_code =
      fetch.status.ok() && (fetch.http_status == 429 || fetch.http_status == 503);
  if (throttle_code && !fetch.retry_after_seconds && !fetch.retry_after_unread.empty()) {
    // Asked to wait, but not for how long: said, as the wait is then the error backoff.
    s->last_error += ", Retry-After \"" + Capped(fetch.retry_after_unread, 64) +
                     "\" names no time (backing off as after an error)";
  }
  const bool dead = now - s->failing_since >= p.dead_after;
  // Dead feeds are retried every backoff_cap, jittered too, so that the dead feeds of one host
  // do not come back all at once.
  const int64_t dead_retry = now + std::max<int64_t>(interval, p.backoff_cap) +
                             static_cast<int64_t>(u * static_cast<double>(interval));
  // Asked to wait or not, a failure backs off: a publisher that keeps throttling is asked less
  // and less often (its Retry-After a floor), as a failing one is.
  const int64_t delay = BackoffDelay(p, interval, s->consecutive_failures, u);
  if (throttle_code && fetch.retry_after_seconds) {
    return Throttled(p, *fetch.retry_after_seconds, now, dead ? dead_retry : now + delay, dead, s);
  }
  s->next_fetch = now + delay;
  if (dead) {
    s->status = storage::FeedStatus::kDead;
    s->status_reason = DeadReason(p, *s, "");
    s->next_fetch = dead_retry;
  }
  // A retry is a poll: not in the hours and days the feed asked to be left alone.
  s->next_fetch = SkipForward(s->next_fetch, s->skip_hours, s->skip_days);
  if (!dead) {
    // When, not "in how long": the reason is read later (`newsctl feeds list`).
    s->status = storage::FeedStatus::kBackoff;
    const uint32_t n = s->consecutive_failures;
    s->status_reason = s->last_error + " (" + std::to_string(n) +
                       (n == 1 ? " failure" : " failures in a row") + ", next try at " +
                       FormatIso8601(s->next_fetch) + ")";
  }
  return d;
}

}  // namespace

int64_t BaseInterval(const config::FeedConfig& feed, const config::PolitenessOptions& p) {
  return std::max(feed.interval, p.min_interval);
}

namespace {

PollDecision Decide(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                    const fetchers::FetchResult& fetch, const PollReport& report, UnixSeconds now,
                    double u, storage::FeedState* state) {
  state->last_fetch = now;
  // The status of an answer received whole: a transfer that failed after its headers (a body
  // over the cap, a stall, a connection closed mid-body) shows none, not the 200 it began with.
  state->last_http_status = fetch.status.ok() ? fetch.http_status : 0;
  ++state->fetches;
  if (report.held_until > 0) return Held(feed, p, fetch, report.held_until, now, state);
  const bool answered = fetch.status.ok();
  if (answered && fetch.http_status == 200 && report.parsed) {
    state->last_warning = Capped(report.warning);
  }
  const bool read = report.parsed || report.unchanged;
  if (answered && fetch.http_status == 200 && !read) state->body_hash = 0;  // parse it next time
  // 304 answers a conditional request only (RFC 9110 15.4.5): to one without validators it
  // brings no feed, and taking it for "not modified" would show a feed that never had a body
  // as healthy.
  const bool conditional = fetchers::SendsValidators(state->etag, state->last_modified);
  if (answered &&
      ((fetch.http_status == 304 && conditional) || (fetch.http_status == 200 && read))) {
    return Succeeded(feed, p, fetch, report, now, state);
  }
  // Gone for good only when the feed's URL, or where it moved for good, says so: a 410 behind
  // a temporary redirect (a maintenance page, a captive portal) is a failure like any other.
  if (answered && fetch.http_status == 410 && !TemporaryRedirect(fetch)) {
    return Gone(feed, fetch, now, state);
  }
  return Failed(feed, p, fetch, report, now, u, state);
}

}  // namespace

PollDecision ApplyPoll(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                       const fetchers::FetchResult& fetch, const PollReport& report,
                       UnixSeconds now, double u, storage::FeedState* state) {
  PollDecision d = Decide(feed, p, fetch, report, now, u, state);
  // Where an answered poll's redirects led (after a confirmed move, from the new URL), or the
  // held host a redirect was not followed to.
  if ((fetch.status.ok() && !fetch.effective_url.empty()) || !fetch.held_at.empty()) {
    const std::string answered_by =
        fetch.held_at.empty() ? fetchers::HostKey(fetch.effective_url) : fetch.held_at;
    state->answered_by = answered_by != fetchers::HostKey(state->url) ? answered_by : "";
  }
  // Read only when asked again without compression: so are its next polls (StartPoll).
  if (fetch.status.ok() && fetch.http_status >= 200 && fetch.http_status < 300 &&
      !fetch.undecoded_encoding.empty()) {
    state->sent_encoding = fetch.undecoded_encoding;
  }
  return d;
}

void RoundUpPollTimes(UnixSeconds now, storage::FeedState* state) {
  const UnixSeconds before = state->next_fetch;
  if (state->next_fetch > now) ++state->next_fetch;
  if (state->retry_until > now) ++state->retry_until;
  RetimeReason(before, state->next_fetch, state);
}

void RetimeReason(UnixSeconds before, UnixSeconds after, storage::FeedState* state) {
  auto next_try = [](UnixSeconds at) { return ", next try at " + FormatIso8601(at) + ")"; };
  const std::string said = next_try(before);
  std::string& reason = state->status_reason;
  if (reason.size() >= said.size() &&
      reason.compare(reason.size() - said.size(), said.size(), said) == 0) {
    reason.replace(reason.size() - said.size(), said.size(), next_try(after));
  }
}

UnixSeconds SkipForward(UnixSeconds t, uint32_t skip_hours, uint32_t skip_days) {
  if ((skip_hours & 0xFFFFFFu) == 0xFFFFFFu || (skip_days & 0x7Fu) == 0x7Fu) return t;
  if (skip_hours == 0 && skip_days == 0) return t;
  UnixSeconds at = t;
  for (int step = 0; step < 24 * 8; ++step) {
    const int64_t day_number = at >= 0 ? at / 86400 : (at - 86399) / 86400;
    const int hour = static_cast<int>((at - day_number * 86400) / 3600);
    const int weekday = static_cast<int>(((day_number % 7) + 7 + 4) % 7);  // 1970-01-01: Thu
    if (!(skip_hours & (1u << hour)) && !(skip_days & (1u << weekday))) return at;
    at = day_number * 86400 + int64_t{hour + 1} * 3600;  // start of the next hour
  }
  return t;
}

int64_t OnceSlack(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                  const storage::FeedState& state) {
  return std::min<int64_t>(std::max(BaseInterval(feed, p), state.interval) / 20, 300);
}

UnixSeconds FirstPollTime(const config::FeedConfig& feed, const config::PolitenessOptions& p,
                          const storage::FeedState& state, UnixSeconds now, double u,
                          int64_t early) {
  if (!feed.enabled || state.status == storage::FeedStatus::kGone ||
      state.status == storage::FeedStatus::kDisabled) {
    return 0;
  }
  const auto jitter = static_cast<int64_t>(u * static_cast<double>(p.startup_jitter));
  if (state.last_fetch == 0) return now + jitter;
  UnixSeconds when = state.next_fetch;
  // A restart keeps the time the last poll scheduled, lengthened by what the publisher asked
  // (max-age, ttl, sy:updatePeriod), unless the feed's interval is set in the configuration or
  // changed since that poll (base_interval; 0 in records older than it): then an active feed
  // is polled once that interval has passed (the configuration governs; so the test
  // profile's interval 0 polls every feed again). The floor and a Retry-After hold below
  // apply either way.
  const int64_t base = BaseInterval(feed, p);
  const bool changed = state.base_interval != 0 && state.base_interval != base;
  const bool configured = feed.interval_set || state.base_interval != base;
  if (state.status == storage::FeedStatus::kActive) {
    if (changed) {
      // The interval changed since that poll (a reload, or a restart with another file): the
      // new one counts from the last poll, longer or shorter.
      when = state.last_fetch + base;
    } else {
      // The publisher's wishes within today's ceiling (an operator may have lowered it).
      const int64_t longest = configured ? base : std::max(p.max_interval, base);
      when = std::min(when, state.last_fetch + longest);
    }
    if (when > now && when - now <= early) when = now;  // nearly due (the floor still holds)
  } else if (state.status == storage::FeedStatus::kBackoff ||
             state.status == storage::FeedStatus::kDead) {
    // A failing feed waits no longer than today's settings would make it wait after that
    // failure (an operator may have lowered backoff_cap or the interval): the longest backoff
    // delay, or a dead feed's retry with its jitter (as Failed computes them, the interval in
    // force within today's ceiling). A Retry-After holds below.
    const int64_t interval = std::max(base, std::min(state.interval, p.max_interval));
    const int64_t longest = state.status == storage::FeedStatus::kDead
                                ? std::max(interval, p.backoff_cap) + interval
                                : std::max(interval, p.backoff_cap);
    when = std::min(when, state.last_fetch + longest);
  }
  // last_fetch is rounded down to the second: the floor starts a second later, so a poll that
  // ended at 10.9 s is not followed by one at 13.0 s under a 3 s floor.
  const int64_t floor_rounding = p.min_interval > 0 ? 1 : 0;
  // A Retry-After holds, within today's retry_after_max from the poll it answered (an
  // operator may have lowered it to lift a publisher's week-long hold).
  const UnixSeconds held = std::min(state.retry_until, state.last_fetch + p.retry_after_max);
  when = std::max({when, state.last_fetch + p.min_interval + floor_rounding, held});
  // Not in the hours and days the feed asked to be left alone, after a restart either.
  return SkipForward(when <= now ? now + jitter : when, state.skip_hours, state.skip_days);
}

}  // namespace newsd::daemon
