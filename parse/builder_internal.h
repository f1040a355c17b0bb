#pragma once

// Declarations shared by the parts of FeedBuilder (builder.cc: the walk; builder_values.cc:
// the readers of dates, text constructs, authors, categories and links; builder_feed.cc:
// feed-level elements; builder_entry.cc: entry-level elements). Not part of the module's API.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/builder.h"
#include "parse/xml_util.h"

namespace newsd::parse {

// Per-element walk state. Views point into strings owned by the Ctx objects of enclosing
// elements (alive in the callers' stack frames) or by the document, so they stay valid while
// the element is processed.
struct FeedBuilder::Ctx {
  const NsScope* scope = nullptr;
  QName name;
  std::string own_base;
  std::string_view base;
  bool doc_base = false;  // an xml:base is in scope
  std::string_view lang;
  size_t depth = 0;
  bool wrapper = false;  // inside an unknown element: only look for entries
  bool in_feed = false;  // inside the feed's rss, channel, RDF or feed element
  EntryState* entry = nullptr;
};

struct FeedBuilder::EntryState {
  Entry entry;
  bool guid_is_link = false;
  std::optional<std::string> guid;
  std::string guid_link;  // a permalink guid (an absolute http(s) URL), trimmed
  std::string id_link;    // an Atom <id> that is an http(s) URL: the link of an entry without one
  std::optional<std::string> description;
  std::optional<std::string> fallback_summary;  // media:description, itunes:summary
  std::optional<std::string> fallback_title;    // media:title
  std::string lang;                             // xml:lang in scope of the item
  // The authors of an Atom entry's <source>: its own when it names none (RFC 4287 4.2.1).
  std::optional<std::string> source_author;
  decltype(Entry::author_detail) source_author_detail;
  decltype(Entry::authors) source_authors;
};

/// Keeps the `keep` newest of `entries` (by published, else updated; undated ones after the
/// dated, in document order), in document order.
void KeepNewestEntries(std::vector<Entry>* entries, size_t keep);

/// A feed's date (RFC 822, W3C, ...) read with options.zoneless_offset. One that cannot be read
/// is counted in feed->unreadable_dates (the first kept, cut, in first_unreadable_date); of the
/// first few read (`*checked` counts them), one that names no zone sets
/// feed->dates_without_zone.
std::optional<UnixSeconds> ReadFeedDate(std::string_view text, const Options& options, Feed* feed,
                                        size_t* checked);

/// Cuts `value` to options.max_field_bytes at a UTF-8 boundary; the first cut of a document
/// (`*noted` false) is reported in feed->limits_hit.
void LimitField(std::string* value, const Options& options, Feed* feed, bool* noted);

/// Element families after namespace resolution; kRss and kAtom* also cover elements in no
/// namespace, read by the document's own format.
enum class Fam {
  kRss,
  kAtom,
  kAtom03,
  kRdf,
  kContent,
  kDc,
  kDcTerms,
  kMedia,
  kXhtml,
  kItunes,
  kSy,
  kYandex,
  kOther
};

/// The family of an element; elements in an unknown namespace equal to the root element's
/// (`root_uri`) count as the document's own format.
Fam FamilyOf(const QName& q, bool atom_doc, bool atom03_doc, const char* root_uri);

}  // namespace newsd::parse
