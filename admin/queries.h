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

/// When an item took its place in the export order: its arrival, or its revision, which moved
/// it to the end (storage::ItemRecord::revised).
template <class ItemRecord>
UnixSeconds ExportTime(const ItemRecord& item) {
  return std::max(item.arrived, item.revised);
}

/// Arrival times follow the arrival sequence up to a commit's latency (an item's time is its
/// fetch, its place the commit after it): an export `since` a time starts this much earlier.
inline constexpr UnixSeconds kArrivalSkew = 3600;

/// The arrival sequence number to read from so that every item that arrived at or after
/// `since - kArrivalSkew` is reached: the smallest `seq` whose next stored item (ItemsFrom(seq,
/// 1)) arrived then or later, or that has none. A doubling, then binary, search: O(log n)
/// point reads, where a scan from the start of a year-long archive reads gigabytes.
template <class Archive>
Result<uint64_t> FirstSeqSince(Archive& archive, UnixSeconds since) {
  const UnixSeconds target = since - kArrivalSkew;
  // Does the first item stored at or after `seq` predate the target?
  auto early = [&](uint64_t seq) -> Result<bool> {
    auto page = archive.ItemsFrom(seq, 1);
    if (!page) return Err(page.error());
    return !page->empty() && ExportTime(page->front().item) < target;
  };
  uint64_t lo = 0;  // every seq below lo is early
  uint64_t hi = 0;  // not early
  for (uint64_t step = 1;; step *= 2) {
    auto e = early(hi);
    if (!e) return Err(e.error());
    if (!*e) break;
    lo = hi + 1;
    hi += step;
  }
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    auto e = early(mid);
    if (!e) return Err(e.error());
    if (*e) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return hi;
}

/// Where an export resumes: the arrival number `seq`, and the id of the archive that gave the
/// cursor out (Archive::ArchiveId; "" in cursor "0" and in the plain numbers an earlier newsd
/// gave out, which are taken as they are).
struct ExportCursor {
  uint64_t seq = 0;
  std::string archive;
};

/// The text of the cursor that resumes at `seq` in the archive whose id is `archive_id`:
/// "SEQ-ID" ("41-3fa9c2d1"), or "SEQ" for an archive without an id.
inline std::string CursorText(uint64_t seq, std::string_view archive_id) {
  std::string text = std::to_string(seq);
  if (!archive_id.empty()) text.append("-").append(archive_id);
  return text;
}

/// items.export: a page of export lines in arrival order (Archive::ItemsFrom: a revised item
/// comes again, at its revision's place), from cursor `from` (seq 0: the beginning). Each line
/// carries "cursor": the cursor that resumes after it. Items that arrived (or were revised)
/// before `since` are left out but still advance the cursor; from cursor 0
/// the page starts at FirstSeqSince(since), not at the archive's first item. A page looks at
/// up to `limit` items and holds about `max_bytes` of JSON at most (one item at least).
/// InvalidArgument (the message begins "export cursor") for a cursor another archive gave out,
/// and for one past the end of this archive's numbering.
/// → {items:[line...], cursor: the next page's cursor, more: whether to ask again now}.
template <class Archive>
Result<nlohmann::json> QueryExport(Archive& archive, const ExportCursor& cursor, size_t limit,
                                   std::optional<UnixSeconds> since,
                                   size_t max_bytes = size_t{4} << 20) {
  auto id = archive.ArchiveId();
  if (!id) return Err(id.error());
  if (!cursor.archive.empty() && !id->empty() && cursor.archive != *id) {
    // Its number means nothing here: resuming at it would skip items or send some again.
    return Err(Status::InvalidArgument("export cursor " + CursorText(cursor.seq, cursor.archive) +
                                       " was given out by another archive (archive id " +
                                       cursor.archive + "; this archive's is " + *id +
                                       "): export again from cursor 0, or with --since"));
  }
  uint64_t from = cursor.seq;
  if (since && from == 0) {
    auto start = FirstSeqSince(archive, *since);
    if (!start) return Err(start.error());
    from = *start;
  }
  auto page = archive.ItemsFrom(from, limit);
  if (!page) return Err(page.error());
  if (page->empty() && from > 0) {
    // Nothing past the cursor: caught up, or a cursor this archive never gave out, which
    // would wait for ever while the items stored under lower numbers go unseen.
    auto next = archive.NextItemSeq();
    if (!next) return Err(next.error());
    if (from > *next) {
      return Err(Status::InvalidArgument(
          "export cursor " + CursorText(from, cursor.archive) +
          " is past the end of this archive (the last cursor it gave out is " +
          CursorText(*next, *id) + "): the cursor is another archive's, " +
          "or was taken before the archive was restored from an older backup by an earlier " +
          "newsd; export again from cursor 0, or with --since"));
    }
  }
  nlohmann::json lines = nlohmann::json::array();
  std::map<std::string, std::string> canonical;  // story → canonical item, for this page
  uint64_t next = from;
  size_t bytes = 0;
  bool full = page->size() == limit;
  for (const auto& entry : *page) {
    if (bytes >= max_bytes) {
      full = true;
      break;
    }
    next = entry.seq + 1;
    if (since && ExportTime(entry.item) < *since) continue;
    auto known = canonical.find(entry.item.story);
    if (known == canonical.end()) {
      auto story = archive.GetStory(entry.item.story);
      if (!story) return Err(story.error());
      known =
          canonical.emplace(entry.item.story, *story ? (*story)->canonical : entry.item.id).first;
    }
    nlohmann::json line = ExportLine(ItemViewOf(entry.item, known->second));
    line["cursor"] = CursorText(next, *id);
    bytes += entry.item.text.size() + entry.item.title.size() + 512;
    lines.push_back(std::move(line));
  }
  return nlohmann::json{{"items", lines}, {"cursor", CursorText(next, *id)}, {"more", full}};
}

/// Parses an export cursor: "0", one from an export line ("41-3fa9c2d1"), or a plain number
/// an earlier newsd gave out; InvalidArgument otherwise.
inline Result<ExportCursor> ParseCursor(std::string_view text) {
  auto bad = [&] {
    return Err(Status::InvalidArgument("bad export cursor \"" + std::string(text) +
                                       "\": use 0, or the \"cursor\" of an export line"));
  };
  ExportCursor cursor;
  const size_t dash = text.find('-');
  const std::string_view number = text.substr(0, dash);
  if (number.empty() || number.size() > 19) return bad();
  for (char c : number) {
    if (c < '0' || c > '9') return bad();
    cursor.seq = cursor.seq * 10 + static_cast<uint64_t>(c - '0');
  }
  if (dash != std::string_view::npos) {
    const std::string_view id = text.substr(dash + 1);
    if (id.size() != 8) return bad();
    for (char c : id) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return bad();
    }
    cursor.archive = std::string(id);
  }
  return cursor;
}

/// Whether `needle`'s last word must be a whole word of the text: a number ("20", or
/// "жиырма", which normalises to it, does not find "2025" or "320"), and a word of one or two
/// letters ("us" does not find "use", nor "AT&T", read "at t", "at the"), which as a start
/// would find nearly anything.
inline bool EndsWithWholeWord(std::string_view needle) {
  if (needle.empty()) return false;
  if (needle.back() >= '0' && needle.back() <= '9') return true;
  const size_t space = needle.find_last_of(" \n");
  const std::string_view last = space == std::string_view::npos ? needle : needle.substr(space + 1);
  // Code points: bytes that do not continue a UTF-8 sequence.
  const auto letters = std::count_if(last.begin(), last.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  return letters < 3;
}

/// Whether normalised `needle` occurs in normalised `hay` starting at a word: "казах" finds
/// "казахстан"; a needle that ends in a number or a word of one or two letters must end where
/// a word does (EndsWithWholeWord).
inline bool ContainsAtWordStart(std::string_view hay, std::string_view needle) {
  auto boundary = [&](size_t at) { return hay[at] == ' ' || hay[at] == '\n'; };
  const bool whole = EndsWithWholeWord(needle);
  for (size_t at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + 1)) {
    const size_t end = at + needle.size();
    if ((at == 0 || boundary(at - 1)) && (!whole || end == hay.size() || boundary(end))) {
      return true;
    }
  }
  return false;
}

/// `text` split at blanks (spaces, tabs, line ends), empty pieces left out.
inline std::vector<std::string_view> SplitBlanks(std::string_view text) {
  std::vector<std::string_view> words;
  for (size_t w = 0; w < text.size();) {
    const size_t end = std::min(text.find_first_of(" \t\r\n", w), text.size());
    if (end > w) words.push_back(text.substr(w, end - w));
    w = end + 1;
  }
  return words;
}

/// The terms of a search query, each passed through `normalize`: every word as written (one
/// that normalises to several, "AT&T", stays a phrase of them), and every "double-quoted"
/// phrase whole. Words the normaliser reads together (number words: "жүз отыз мың" is 130000)
/// are taken as it reads them. Terms that normalise to nothing are left out. Angle brackets
/// are punctuation in a query, not markup: "<IBM>", a ticker as wire texts write it, is "IBM".
template <class Normalize>
std::vector<std::string> SearchTerms(std::string_view query, Normalize normalize) {
  std::string unbracketed(query);
  std::replace_if(
      unbracketed.begin(), unbracketed.end(), [](char c) { return c == '<' || c == '>'; }, ' ');
  const std::string_view text = unbracketed;
  std::vector<std::string> terms;
  auto normalized = [&](std::string_view raw) {
    std::string term = normalize(raw);
    std::replace(term.begin(), term.end(), '\n', ' ');
    return term;
  };
  auto add = [&](std::string term) {
    if (!term.empty()) terms.push_back(std::move(term));
  };
  bool quoted = false;
  for (size_t start = 0; start <= text.size();) {
    const size_t quote = std::min(text.find('"', start), text.size());
    const std::string_view part = text.substr(start, quote - start);
    if (quoted) {
      add(normalized(part));
    } else {
      std::vector<std::string> words;
      std::string joined;
      for (std::string_view word : SplitBlanks(part)) {
        words.push_back(normalized(word));
        if (words.back().empty()) continue;
        joined += (joined.empty() ? "" : " ") + words.back();
      }
      const std::string whole = normalized(part);
      if (whole == joined) {
        for (std::string& word : words) add(std::move(word));
      } else {
        for (std::string_view word : SplitBlanks(whole)) add(std::string(word));
      }
    }
    quoted = !quoted;
    start = quote + 1;
  }
  return terms;
}

/// search: items whose title and text together hold every term of `text` (SearchTerms: its
/// words in any order, its quoted phrases as written), each from the start of a word
/// (ContainsAtWordStart), all passed through `normalize` (the dedup normaliser: case, ё/е,
/// look-alike letters, HTML, number words as digits), newest stories first, up to `limit` items
/// from at most `max_stories` stories, and about `max_bytes` of text (a reply line stays well
/// under admin::kMaxReplyBytes).
/// → {items:[ItemView...], scanned: stories looked at, complete: whether all were, and when
/// not, stopped: "limit", "bytes" or "stories" (which bound ended the search)}.
template <class Archive, class Normalize>
Result<nlohmann::json> QuerySearch(Archive& archive, std::string_view text, size_t limit,
                                   size_t max_stories, Normalize normalize,
                                   size_t max_bytes = size_t{16} << 20) {
  const std::vector<std::string> terms = SearchTerms(text, normalize);
  if (terms.empty()) {
    return Err(Status::InvalidArgument("nothing to search for: give a word or phrase"));
  }
  nlohmann::json found = nlohmann::json::array();
  size_t scanned = 0, bytes = 0;
  Status inner;
  Status s = archive.ForEachStoryByTime([&](const auto& story) {
    if (scanned == max_stories) return false;
    ++scanned;
    auto items = archive.StoryItems(story.id);
    if (!items) {
      inner = items.error();
      return false;
    }
    for (const auto& item : *items) {
      const std::string title = normalize(item.title);
      std::optional<std::string> body;  // normalised once a term is not in the title
      const bool all = std::all_of(terms.begin(), terms.end(), [&](const std::string& term) {
        if (ContainsAtWordStart(title, term)) return true;
        if (!body) body = normalize(item.text);
        return ContainsAtWordStart(*body, term);
      });
      if (!all) continue;
      nlohmann::json view = ToJson(ItemViewOf(item, story.canonical));
      view["story_time"] = FormatIso8601(story.time);
      found.push_back(std::move(view));
      bytes += item.text.size() + item.title.size() + 512;
      if (found.size() == limit || bytes >= max_bytes) return false;
    }
    return true;
  });
  if (!inner.ok()) return Err(inner);
  if (!s.ok()) return Err(s);
  nlohmann::json result{{"items", found}, {"scanned", scanned}, {"complete", true}};
  const char* stopped = found.size() == limit    ? "limit"
                        : bytes >= max_bytes     ? "bytes"
                        : scanned == max_stories ? "stories"
                                                 : nullptr;
  if (stopped != nullptr) {
    result["complete"] = false;
    result["stopped"] = stopped;
  }
  return result;
}

}  // namespace newsd::admin
