#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "parse/feed.h"
#include "parse/options.h"

namespace newsd::parse {

/// Transport metadata that affects decoding, as the fetcher received it.
struct Input {
  std::string_view body;         ///< Raw bytes, any encoding.
  std::string content_type;      ///< HTTP Content-Type header (with charset), "" if none.
  std::string base_url;          ///< Document URL (after Content-Location), base for relative URLs.
  std::string content_language;  ///< HTTP Content-Language, "" if none.
};

/// The parser's revision: raised whenever Parse reads some input otherwise than before (a new
/// format, a field mapped anew, a date form understood). The daemon re-reads a response it
/// skipped as unchanged once this differs (with the version and the [parse] limits): an
/// upgraded newsd stores the items the old parser did not give, and corrects stored ones
/// whose title or text now read with other words (a stored item's date or link is not
/// revised). 2: JSON Feed. tests/parse/parser_revision_test.cc records a digest of what Parse
/// makes of the repository's feed files with the revision: a change to those outputs fails it
/// until both are recorded anew.
inline constexpr int kParserRevision = 2;

/// Parses an RSS/Atom document, or a JSON Feed (a body that opens with '{': ParseJsonFeed).
/// Pure: no I/O, no clock, no logging; thread-safe. Ill-formed documents are recovered where
/// possible (Feed::bozo set). Returns an InvalidArgument status only when nothing feed-like
/// could be read at all (empty body, not XML, no rss/feed/RDF root, JSON that is no JSON Feed).
Result<Feed> Parse(const Input& input, const Options& options);

}  // namespace newsd::parse
