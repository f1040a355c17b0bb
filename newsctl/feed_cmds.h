#pragma once

#include <string>

#include "newsctl/commands.h"

namespace newsd::newsctl {

/// `feeds add URL`: what the operator gives (id, name, interval may be empty).
struct FeedAddArgs {
  std::string url, id, name, interval;
  std::string zoneless_dates;  ///< --zoneless-dates OFFSET ("" = [parse]'s).
  bool paused = false;
};
int RunFeedsAdd(const GlobalArgs& g, const FeedAddArgs& a);

/// `feeds import --opml FILE|-`: every outline with an xmlUrl is added (feed ids in the file,
/// newsd:id, are kept; feeds already polled are skipped and listed).
int RunFeedsImport(const GlobalArgs& g, const std::string& file);

/// `feeds export --opml`: the feeds as an OPML 2.0 document on stdout, with newsd:id,
/// newsd:interval, newsd:paused and newsd:zonelessDates, so that an import gives the same
/// feeds back.
int RunFeedsExport(const GlobalArgs& g);

}  // namespace newsd::newsctl
