#pragma once

// The export behind items.export (newsctl export): items in arrival order from a cursor or a
// time, and the cursors that name the archive they belong to. Templates over the archive
// type, as admin/queries.h.

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "admin/queries.h"

namespace newsd::admin {

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

}  // namespace newsd::admin
