#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace newsd::parse {

/// One feed of an OPML subscription list (an <outline> with an xmlUrl).
struct OpmlFeed {
  std::string id;        ///< newsd's feed id (attribute newsd:id), empty when the file has none.
  std::string url;       ///< xmlUrl (required).
  std::string title;     ///< title, else text; may be empty.
  std::string html_url;  ///< htmlUrl, may be empty.
  std::string category;  ///< Titles of the enclosing category outlines joined by "/", may be empty.
  int64_t interval = 0;  ///< newsd:interval in seconds, 0 when absent.
  bool paused = false;   ///< newsd:paused="true".
  /// newsd:zonelessDates: the offset of the feed's dates that name no zone, as
  /// FormatUtcOffset writes it ("+05:00"); empty when absent.
  std::string zoneless_dates;
  friend bool operator==(const OpmlFeed&, const OpmlFeed&) = default;
};

/// Reads every outline carrying an xmlUrl, depth first in document order, from OPML 1.0/2.0
/// (any encoding declaration pugixml handles; a UTF-8 BOM is fine). Outlines nested under
/// outlines without xmlUrl contribute their title/text to `category`. The newsd attributes are
/// read in the namespace bound to kOpmlNamespace whatever its prefix. InvalidArgument with the
/// line number (1-based, computed from pugixml's offset) for malformed XML, a root that is not
/// <opml>, a missing <body>, an outline whose xmlUrl is empty, or an unparsable newsd:interval.
///
/// Also InvalidArgument: a newsd:id that is not a valid FeedId (IsValidFeedId), and outlines
/// nested more than 64 levels deep (a <body> child is at depth 1). The bytes are decoded like feeds
/// are (BOM, XML declaration, then UTF-8 with the feed parser's fallbacks), so every charset iconv
/// knows works. Pure and thread-safe; never recurses, so hostile nesting cannot exhaust the stack.
/// Texts are cleaned as WriteOpml cleans them (below); xmlUrl and newsd:id are also trimmed of
/// whitespace, titles are not.
Result<std::vector<OpmlFeed>> ParseOpml(std::string_view document);

/// An OPML 2.0 document (UTF-8, indented) with one <outline type="rss" text= title= xmlUrl=
/// [htmlUrl=] newsd:id= [newsd:interval=] [newsd:paused="true"]> per feed, grouped under category
/// outlines when `category` is set (nested for "a/b"), feeds without a category at top level;
/// head carries <title>`title`</title> and <dateCreated> when `created` is non-empty (RFC 822 text,
/// given by the caller). Everything escaped properly; ParseOpml(WriteOpml(x)) == x.
///
/// Feeds keep their order: consecutive feeds share the category outlines they have in common,
/// so pass them sorted by category to get one outline per category. newsd:id is omitted when
/// `id` is empty. The round trip holds for valid data: ids valid or empty, intervals >= 0, URLs
/// without surrounding whitespace, category parts neither empty nor containing '/'. Invalid
/// UTF-8 becomes U+FFFD and characters XML 1.0 forbids (C0 controls but tab, LF, CR) are dropped.
std::string WriteOpml(const std::vector<OpmlFeed>& feeds, std::string_view title,
                      std::string_view created = {});

inline constexpr std::string_view kOpmlNamespace = "https://github.com/newsd/newsd/opml";

}  // namespace newsd::parse
