#pragma once

#include <string>
#include <string_view>

namespace newsd {

/// A feed's stable identity: the `id` of its `[[feed]]` table, never its URL, so a confirmed
/// permanent redirect can change the URL without losing history (ARCHITECTURE.md invariant 3).
/// Allowed characters: ASCII letters, digits, '-', '_' and '.', 1..64 of them.
using FeedId = std::string;

/// An item's (one copy's) id. Imported articles keep their input id verbatim; feed items get
/// MakeItemId(feed, key) where key is the guid, else the link, else title + date.
using ItemId = std::string;

/// A story (cluster of copies) is named by the id of the item that founded it. It never
/// changes, even when a better canonical copy arrives later.
using StoryId = std::string;

/// True when `id` is a valid FeedId (see above).
bool IsValidFeedId(std::string_view id);

/// Stable id of a feed item: "<feed>:<16 hex digits of xxh3-64(key)>". The same feed and key
/// always give the same id, across restarts and versions.
ItemId MakeItemId(std::string_view feed, std::string_view key);

}  // namespace newsd
