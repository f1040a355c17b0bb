#pragma once

// The JSON Feed twin of a parsed RSS or Atom document, for measuring the JSON Feed reader on
// the same items as the XML one (newsd_parse_bench).

#include <string>

#include "parse/feed.h"

namespace newsd::bench {

/// `feed` written as a JSON Feed 1.1 document: title, home_page_url, description, language;
/// per entry id, url, title, content_html (the longest of summary and contents: the text the
/// daemon keeps), summary (when a content is longer), date_published, date_modified,
/// authors, tags and attachments (enclosures).
std::string JsonFeedTwin(const parse::Feed& feed);

}  // namespace newsd::bench
