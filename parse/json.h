#pragma once

#include <string>

#include "core/status.h"
#include "parse/feed.h"

namespace newsd::parse {

/// The normalized JSON document of the conformance suite (one object, UTF-8, no trailing
/// newline). Absent optionals are left out; present-but-empty strings are emitted as "".
/// Times are ISO-8601 UTC.
std::string ToSuiteJson(const Feed& feed);

/// The document for what Parse returned: the feed's, or, for input with nothing feed-like in
/// it, a bozo document whose bozo_exception says why (the suite's checker expects a document
/// for every case). What `newsctl parse --json` prints.
std::string ToSuiteJson(const Result<Feed>& parsed);

}  // namespace newsd::parse
