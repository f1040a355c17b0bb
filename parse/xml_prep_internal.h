#pragma once

// Helpers shared by the files that prepare and repair XML: the lexical ones of PrepareXml
// (xml_prep.cc) and RepairXml (xml_repair.cc), and what PrepareXml's scan (xml_prep.cc) and
// its references (xml_references.cc) both use. Not part of the module's API.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "parse/ascii.h"  // IsXmlSpace
#include "parse/xml_prep.h"

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

using EntityMap = std::unordered_map<std::string, std::string>;

/// The entities of the internal DTD subset, and how many bytes of replacement text expanding
/// them has taken so far, against a bound for "billion laughs" documents: 1 MiB plus 8 times
/// the document (expat's is 100 times past 8 MiB; a feed that uses an entity in every item
/// stays far below either).
struct DeclaredEntities {
  explicit DeclaredEntities(size_t document_bytes)
      : max_expanded_bytes((size_t{1} << 20) + 8 * document_bytes) {}
  EntityMap values;
  size_t expanded_bytes = 0;
  size_t max_expanded_bytes;
};

/// Reads <!ENTITY name "value"> declarations of the internal subset `dtd`.
void ReadEntityDecls(std::string_view dtd, EntityMap* map);

/// The character windows-1252 gives C1 control `cp` (U+0080-U+009F), which feeds use by mistake
/// for curly quotes and dashes ("demoronizing"); `cp` itself for any other, and for the C1
/// bytes windows-1252 leaves undefined.
char32_t Demoronize(char32_t cp);

/// Handles the '&' at doc[pos] (in an entity's replacement text `depth` levels deep, 0 in the
/// document): sets *keep when the reference is fine as it is, else appends its replacement to
/// *out. Returns the bytes consumed.
size_t FixReference(std::string_view doc, size_t pos, DeclaredEntities* declared, std::string* out,
                    bool* keep, XmlIssues* issues, int depth);

}  // namespace newsd::parse
