#pragma once

// Element names of the feed vocabularies written in another case (<Item>, <Title>, <pubdate>,
// <RSS>): XML names are case-sensitive, but feedparser, and so the feeds' authors' tests,
// read them in any case.

#include <pugixml.hpp>
#include <string_view>

namespace newsd::parse {

/// The spelling RSS, RDF and Atom (and the modules the builder reads) give `local`, an element
/// name's local part written in another case ("Item" → "item", "pubdate" → "pubDate"), or an
/// empty view when `local` is spelt so already or is no name of theirs.
std::string_view VocabularySpelling(std::string_view local);

/// Renames every element of `doc` whose local part VocabularySpelling respells (its prefix
/// kept), so that the builder's comparisons find it.
void RespellVocabularyNames(pugi::xml_document* doc);

}  // namespace newsd::parse
