#pragma once

// Batch validation shared by every Archive implementation (header-only, so the in-memory fake
// in tests/fakes uses it without linking RocksDB).

#include <algorithm>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/archive.h"

namespace newsd::storage {

/// True for the names in kIndexFamilies.
inline bool IsIndexFamily(std::string_view family) {
  return std::find(std::begin(kIndexFamilies), std::end(kIndexFamilies), family) !=
         std::end(kIndexFamilies);
}

/// OK when `id` can be a key: non-empty, no NUL byte (story_items keys use NUL as separator).
inline Status CheckId(std::string_view kind, std::string_view id) {
  if (id.empty() || id.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("invalid " + std::string(kind) +
                                   " id (empty or contains NUL): '" + std::string(id) + "'");
  }
  return Status::Ok();
}

/// InvalidArgument describing the first bad id or unknown index family in `batch`.
inline Status CheckBatch(const Batch& batch) {
  for (const ItemRecord& item : batch.items()) {
    for (auto [kind, id] :
         {std::pair<std::string_view, std::string_view>{"item", item.id}, {"story", item.story}}) {
      if (Status s = CheckId(kind, id); !s.ok()) return s;
    }
  }
  for (const StoryRecord& story : batch.stories()) {
    if (Status s = CheckId("story", story.id); !s.ok()) return s;
  }
  for (const FeedState& feed : batch.feeds()) {
    if (Status s = CheckId("feed", feed.id); !s.ok()) return s;
  }
  for (const FeedControl& control : batch.controls()) {
    if (Status s = CheckId("feed", control.id); !s.ok()) return s;
  }
  for (const FeedId& id : batch.control_deletes()) {
    if (Status s = CheckId("feed", id); !s.ok()) return s;
  }
  for (const PackedRawBody& raw : batch.raw_bodies()) {
    if (Status s = CheckId("feed", raw.feed); !s.ok()) return s;
  }
  for (const HostStats& host : batch.hosts()) {
    if (Status s = CheckId("host", host.host); !s.ok()) return s;
  }
  for (const auto* ops : {&batch.index(), &batch.drops()}) {
    for (const Batch::IndexOp& op : *ops) {
      if (!IsIndexFamily(op.family)) {
        return Status::InvalidArgument("unknown index family '" + op.family + "'");
      }
    }
  }
  return Status::Ok();
}

}  // namespace newsd::storage
