#pragma once

#include <string>

#include "parse/feed.h"

namespace newsd::parse {

/// The normalized JSON document of the conformance suite (one object, UTF-8, no trailing
/// newline). Absent optionals are left out; present-but-empty strings are emitted as "".
/// Times are ISO-8601 UTC.
std::string ToSuiteJson(const Feed& feed);

}  // namespace newsd::parse
