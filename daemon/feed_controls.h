#pragma once

// Feeds changed at run time (`newsctl feeds add|remove|pause|resume`), merged with the ones
// the configuration file declares. The rule (newsctl(1), "feeds"): the file stays authoritative
// for every feed it declares (id, URL, name, interval, enabled); newsctl may pause and resume
// any feed, and may add and remove feeds the file does not declare. Those changes are
// storage::FeedControl records in the archive, so they survive restarts and reloads.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "storage/records.h"

namespace newsd::daemon {

using FeedControls = std::map<FeedId, storage::FeedControl>;

/// An added feed that is not polled because the configuration file has it: by id, or by URL
/// (config::SameUrlKey) under another id, `by`.
struct Shadowed {
  FeedId id;
  FeedId by;
};

/// The feeds to poll: `declared` in order (paused ones disabled), then the added feeds the
/// file does not declare, by id. An added feed whose URL a declared feed has is left out too
/// (whether the declared one is paused or not: pausing it does not hand its URL over): one
/// publisher is not polled twice. `shadowed` (if given) gets the added feeds
/// left out; the file's entry wins.
std::vector<config::FeedConfig> EffectiveFeeds(const std::vector<config::FeedConfig>& declared,
                                               const FeedControls& controls,
                                               std::vector<Shadowed>* shadowed = nullptr);

/// Logs a warning for each feed EffectiveFeeds left out, saying what to do.
void WarnShadowed(const std::vector<Shadowed>& shadowed, const std::string& config_path);

/// True when `url` may be added at run time: http:// or https:// with a host (file:// feeds
/// are for the configuration file only: an admin client must not make newsd read local files).
bool AddableUrl(std::string_view url);

/// A feed id for `url` when the operator gave none: the host without "www." and the path's
/// words, as a valid FeedId ("example.com-rss-world"), made unique with "-2", "-3"... while
/// `taken(id)` says it is in use.
FeedId DeriveFeedId(std::string_view url, const std::function<bool(const FeedId&)>& taken);

}  // namespace newsd::daemon
