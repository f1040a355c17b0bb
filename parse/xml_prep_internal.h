#pragma once

// Lexical helpers shared by PrepareXml (xml_prep.cc) and RepairXml (xml_repair.cc). Not part
// of the module's API.

#include <cstddef>
#include <string_view>

#include "parse/ascii.h"  // IsXmlSpace

namespace newsd::parse {

/// True for a byte that may start an XML name: an ASCII letter, '_', ':', or any byte of a
/// non-ASCII character.
bool IsNameStart(char c);

/// True for a byte that may continue an XML name: IsNameStart, a digit, '-' or '.'.
bool IsNameChar(char c);

/// Length of the construct starting at `doc[pos]` ('<!' or '<?'), up to and including its end
/// marker, or npos when unterminated. `*kind` is set to what it is: "comment", "cdata", "pi",
/// "doctype" (any other "<!" construct).
size_t SpecialLength(std::string_view doc, size_t pos, std::string_view* kind);

}  // namespace newsd::parse
