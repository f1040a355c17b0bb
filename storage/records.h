#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"

namespace newsd::storage {

/// One copy of a story, as stored.
struct ItemRecord {
  ItemId id;
  StoryId story;
  FeedId feed;
  std::string source;
  std::string url;
  std::string title;
  std::string text;  ///< As received (HTML or plain).
  std::optional<UnixSeconds> published;
  UnixSeconds arrived = 0;
  double similarity = 1.0;  ///< Similarity to the item it matched (1 for a story's founder).
  std::string match_path;   ///< "new", "lsh", "lead".
  uint32_t shingles = 0;    ///< Shingle count after boilerplate removal (fuller text wins).

  friend bool operator==(const ItemRecord&, const ItemRecord&) = default;
};

/// A story: a cluster of copies, named by the item that founded it.
struct StoryRecord {
  StoryId id;
  ItemId canonical;      ///< The copy shown as the story.
  UnixSeconds time = 0;  ///< Effective time of the founding item; orders listings.
  uint32_t copies = 0;   ///< Number of items, the canonical included.

  friend bool operator==(const StoryRecord&, const StoryRecord&) = default;
};

/// A feed's persisted state: validators and schedule. Written in the same batch as its items.
struct FeedState {
  FeedId id;
  std::string url;
  std::string etag;           ///< Byte-exact, as last received.
  std::string last_modified;  ///< Byte-exact, as last received.
  UnixSeconds last_fetch = 0;
  UnixSeconds next_fetch = 0;
  long last_http_status = 0;
  std::string last_error;  ///< Empty after a successful poll.
  uint32_t consecutive_failures = 0;
  uint64_t fetches = 0;
  uint64_t items_new = 0;

  friend bool operator==(const FeedState&, const FeedState&) = default;
};

}  // namespace newsd::storage
