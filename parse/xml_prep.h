#pragma once

#include <string>
#include <string_view>

namespace newsd::parse {

/// Problems found while preparing a document; the first one is kept as the reason.
struct XmlIssues {
  bool bozo = false;
  bool cut_off = false;  ///< The document ended with elements open (Feed::cut_off).
  std::string reason;
  void Note(std::string_view why) {
    if (!bozo) reason = std::string(why);
    bozo = true;
  }
};

/// Makes a UTF-8 document digestible by pugixml without losing feed content, noting every
/// well-formedness problem in `issues`:
/// - HTML named entities (&nbsp;) become numeric references, entities declared in the internal
///   DTD subset are expanded, and bare or unknown '&' become "&amp;";
/// - characters XML forbids (C0 controls) become spaces;
/// - an XML declaration that is not at the very start is reported.
/// CDATA sections, comments and processing instructions are left untouched. Returns false
/// (and leaves `*out` alone) when `doc` needs no change, which is the common case; otherwise
/// the prepared document is in `*out`.
bool PrepareXml(std::string_view doc, std::string* out, XmlIssues* issues);

/// The attribute RepairXml gives an item or entry element that the end of the document cut
/// off (FeedBuilder then marks its Entry::cut_off).
inline constexpr char kCutOffAttributeName[] = "newsd-cut-off";
inline constexpr char kCutOffAttribute[] = " newsd-cut-off=\"1\"";

/// Rewrites a document that is not well-formed into one that is: stray '<' escaped, attributes
/// quoted and de-duplicated, mismatched end tags dropped or used to close the open elements
/// they match, unterminated constructs and still-open elements closed at the end. Items and
/// entries still open at the end get kCutOffAttribute (the document's own attributes of that
/// name are dropped). `*cut_off` (when given) names the innermost item or entry the document
/// ended inside, or is empty when it ended inside none; `*ended_open` (when given) says
/// whether any element was still open at the end (the document stops early: a response cut
/// off between two entries too).
std::string RepairXml(std::string_view doc, std::string* cut_off = nullptr,
                      bool* ended_open = nullptr);

}  // namespace newsd::parse
