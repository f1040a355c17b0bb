#pragma once

// Read-only queries behind the protocol's commands, written once for both sides: the daemon
// runs them on its own archive, newsctl --db on a read-only one. They are templates over the
// archive type so admin/ needs no sibling module: any type with storage::Archive's read
// functions and record field names works.

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/views.h"
#include "core/article.h"
#include "core/redact.h"
#include "core/status.h"
#include "core/time.h"

namespace newsd::admin {

/// The reply to archive.backup: where, how many files and bytes, how long it took.
template <class BackupInfo>
nlohmann::json BackupJson(const std::string& dir, const BackupInfo& info, double seconds) {
  return {{"dir", dir}, {"files", info.files}, {"bytes", info.bytes}, {"seconds", seconds}};
}

template <class ItemRecord>
ItemView ItemViewOf(const ItemRecord& r, const std::string& canonical_id) {
  ItemView v;
  v.id = r.id;
  v.story = r.story;
  v.feed = r.feed;
  v.source = r.source;
  v.url = r.url;
  v.title = r.title;
  v.published = KnownDate(r.published);  // an epoch date stored before: none
  v.arrived = r.arrived;
  v.revised = r.revised;
  v.canonical = r.id == canonical_id;
  v.similarity = r.similarity;
  v.path = r.match_path;
  v.text = r.text;
  return v;
}

/// The view of a feed's persisted state (`state_name` is its health state's name).
template <class FeedState>
FeedView FeedViewOf(const FeedState& s, std::string name, int64_t interval,
                    std::string state_name) {
  FeedView v;
  v.id = s.id;
  v.url = s.url;
  v.name = std::move(name);
  v.interval = interval;
  v.last_fetch = s.last_fetch;
  v.next_fetch = s.next_fetch;
  v.last_http_status = s.last_http_status;
  v.last_error = s.last_error;
  v.fetches = s.fetches;
  v.items_new = s.items_new;
  v.state = std::move(state_name);
  v.state_reason = s.status_reason;
  v.last_ok = s.last_ok;
  v.moved_to = s.moved_to;
  v.warning = s.last_warning;
  return v;
}

/// {hosts:[...]}: the politeness report, one object per host:port (file:// feeds, which have
/// no host and ask no publisher anything, are left out). `blocked_until` is the end of the
/// host's Retry-After hold while it is after `now`, else empty (a hold that ended blocks
/// nothing; `throttled` and `retry_after` count the past ones).
template <class HostStats>
nlohmann::json HostsJson(const std::vector<HostStats>& hosts, UnixSeconds now) {
  nlohmann::json out = nlohmann::json::array();
  for (const HostStats& h : hosts) {
    if (h.host.empty()) continue;
    out.push_back({{"host", h.host},
                   {"requests", h.requests},
                   {"conditional", h.conditional},
                   {"conditional_share", h.requests ? double(h.conditional) / h.requests : 0.0},
                   {"not_modified", h.not_modified},
                   {"not_modified_ratio", h.requests ? double(h.not_modified) / h.requests : 0.0},
                   {"min_gap_ms", h.min_gap_ms},
                   {"min_feed_interval_s", h.min_feed_gap},
                   {"throttled", h.throttled},
                   {"retry_after", h.retry_after},
                   {"retry_after_violations", h.retry_violations},
                   {"retry_after_honoured", h.retry_violations == 0},
                   {"blocked_until", h.blocked_until > now ? FormatIso8601(h.blocked_until) : ""}});
  }
  return nlohmann::json{{"hosts", out}};
}

/// {stories:[StoryView...]}, newest first.
template <class Archive>
Result<nlohmann::json> QueryRecentStories(Archive& archive, size_t limit) {
  auto stories = archive.RecentStories(limit);
  if (!stories) return Err(stories.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : *stories) {
    StoryView v;
    v.id = s.id;
    v.time = s.time;
    v.copies = s.copies;
    auto canonical = archive.GetItem(s.canonical);
    if (!canonical) return Err(canonical.error());
    if (*canonical) {
      v.title = (*canonical)->title;
      v.source = (*canonical)->source;
    }
    out.push_back(ToJson(v));
  }
  return nlohmann::json{{"stories", out}};
}

/// {feed:{...}}: everything about one feed (feeds.show) given its state `s` (the running
/// daemon's, or the archive's): its state and why, validators, schedule, failure run,
/// Retry-After, adaptive interval, URL moves, and the raw bodies the archive keeps (fetch
/// times). `state_name(status)` names the health state.
template <class Archive, class FeedState, class StateName>
Result<nlohmann::json> FeedJson(Archive& archive, const FeedState& s, StateName state_name) {
  const std::string& id = s.id;
  auto time = [](UnixSeconds t) { return t ? nlohmann::json(FormatIso8601(t)) : nlohmann::json(); };
  nlohmann::json moves = nlohmann::json::array();
  for (const auto& m : s.url_history) {
    moves.push_back({{"at", time(m.at)},
                     {"from", RedactPasswords(m.from)},
                     {"to", RedactPasswords(m.to)},
                     {"confirmations", m.confirmations}});
  }
  nlohmann::json raw = nlohmann::json::array();
  auto bodies = archive.RawBodies(id);
  if (!bodies) return Err(bodies.error());
  for (const auto& b : *bodies) {
    raw.push_back({{"fetched", time(b.fetched_at)},
                   {"bytes", b.body.size()},
                   {"url", RedactPasswords(b.url)}});
  }
  return nlohmann::json{{"feed",
                         {{"id", s.id},
                          {"url", RedactPasswords(s.url)},
                          {"config_url", RedactPasswords(s.config_url)},
                          {"state", std::string(state_name(s.status))},
                          {"state_reason", RedactPasswords(s.status_reason)},
                          {"etag", s.etag},
                          {"last_modified", s.last_modified},
                          {"last_fetch", time(s.last_fetch)},
                          {"next_fetch", time(s.next_fetch)},
                          {"last_ok", time(s.last_ok)},
                          {"last_http_status", s.last_http_status},
                          {"last_error", RedactPasswords(s.last_error)},
                          {"consecutive_failures", s.consecutive_failures},
                          {"failing_since", time(s.failing_since)},
                          {"retry_until", time(s.retry_until)},
                          {"interval", s.interval},
                          {"interval_configured", s.base_interval},
                          {"interval_hinted", s.hint_interval},
                          {"interval_fresh", s.fresh_interval},
                          {"item_gap", s.item_gap},
                          {"last_new_items", time(s.last_new_items)},
                          {"fetches", s.fetches},
                          {"items_new", s.items_new},
                          {"moved_to", RedactPasswords(s.moved_to)},
                          {"warning", RedactPasswords(s.last_warning)},
                          {"content_encoding", s.sent_encoding},
                          {"moved_seen", s.moved_seen},
                          {"url_history", moves},
                          {"raw_bodies", raw}}}};
}

/// FeedJson of the state the archive holds; NotFound when it has no record of the feed (never
/// polled).
template <class Archive, class StateName>
Result<nlohmann::json> QueryFeed(Archive& archive, const std::string& id, StateName state_name) {
  auto stored = archive.GetFeed(id);
  if (!stored) return Err(stored.error());
  if (!*stored) {
    return Err(Status::NotFound("no feed \"" + id + "\" in the archive (never polled?): " +
                                "`newsctl feeds list` shows the feeds"));
  }
  return FeedJson(archive, **stored, state_name);
}

/// {story:StoryView + first_published, first_published_by, items:[ItemView...]}; NotFound for
/// an unknown id. `first_published` is the earliest publication time of any copy (null when
/// none carries one) and `first_published_by` its outlet: a story is listed under the time of
/// the copy that founded it, which may be a later reprint. With `with_text`, each item also
/// carries its "text" as received (HTML or plain).
template <class Archive>
Result<nlohmann::json> QueryStory(Archive& archive, const std::string& id, bool with_text = false) {
  auto story = archive.GetStory(id);
  if (!story) return Err(story.error());
  if (!*story) {
    // An item's id (search and export print them): its story.
    auto item = archive.GetItem(id);
    if (item && *item && (*item)->story != id) {
      return QueryStory(archive, (*item)->story, with_text);
    }
    return Err(Status::NotFound("no story or item with id \"" + id +
                                "\": `newsctl stories recent` lists stories"));
  }
  auto items = archive.StoryItems(id);
  if (!items) return Err(items.error());
  StoryView sv;
  sv.id = (*story)->id;
  sv.time = (*story)->time;
  sv.copies = (*story)->copies;
  nlohmann::json list = nlohmann::json::array();
  nlohmann::json first_published, first_published_by;  // null until a copy has a date
  std::optional<UnixSeconds> earliest;
  for (const auto& item : *items) {
    if (item.id == (*story)->canonical) {
      sv.title = item.title;
      sv.source = item.source;
    }
    if (const std::optional<UnixSeconds> date = KnownDate(item.published);
        date && (!earliest || *date < *earliest)) {
      earliest = date;
      first_published = FormatIso8601(*date);
      first_published_by = item.source;
    }
    list.push_back(ToJson(ItemViewOf(item, (*story)->canonical)));
    if (with_text) list.back()["text"] = item.text;
  }
  nlohmann::json view = ToJson(sv);
  view["first_published"] = first_published;
  view["first_published_by"] = first_published_by;
  return nlohmann::json{{"story", view}, {"items", list}};
}

}  // namespace newsd::admin
