#pragma once

// JSON Feed (https://jsonfeed.org/version/1.1, and version 1): the JSON twin of RSS and Atom,
// read into the same Feed as they are.

#include <optional>
#include <string_view>

#include "core/status.h"
#include "parse/feed.h"
#include "parse/options.h"
#include "parse/parser.h"

namespace newsd::parse {

/// True when `body` opens (after a UTF-8 byte-order mark and white space) with '{', or with a
/// UTF-16 byte-order mark and '{': a JSON object, which only a JSON Feed is among the
/// documents newsd reads.
bool OpensJsonObject(std::string_view body);

/// The error for JSON that is no JSON Feed object (an array, a bare value).
Status NotAJsonFeed();

/// Reads a JSON Feed. Feed::version is "json1" or "json11" ("jsonfeed.org/version/1" or
/// "/1.1"; another version of jsonfeed.org is read as 1.1 with bozo set), Feed::encoding
/// "utf-8" (a body that is not UTF-8 is transcoded: the Content-Type's charset, else stray
/// bytes as U+FFFD, else a guess; bozo set). Mapping, as feedparser's names go:
/// * feed: title, home_page_url → link (and links[] alternate), feed_url → links[] self,
///   description → subtitle, language (else Content-Language), authors (1.1) or author (1.0)
///   → author, author_detail {name, href = url}, authors;
/// * item: id (a number as its digits) → id, url → link (else external_url), url and
///   external_url → links[] alternate and related, title, summary, content_html → content[]
///   text/html, content_text → content[] text/plain, date_published → published,
///   date_modified → updated, authors or author (else the feed's) → author..., tags → tags[]
///   terms, attachments → enclosures {url, mime_type → type, size_in_bytes → length}, image
///   → media_thumbnail, language.
/// URLs are resolved against the document's address (Input::base_url); relative URLs inside
/// content_html against the item's url when it is an absolute http(s) URL, else the same.
/// Values of other JSON types than the spec's are ignored, as are (not kept while reading)
/// members the mapping does not read. Options hold as for XML: the newest max_items items are
/// kept, fields are cut to max_field_bytes, values nested deeper than max_depth are ignored
/// (limits_hit says so). "items" missing or not an array: no entries, bozo.
/// Not well-formed JSON: the items complete before the error are read, with bozo set and
/// the byte offset in bozo_reason; one that ends early (a response cut off in transfer) sets
/// Feed::cut_off. Errors (InvalidArgument), each saying what to do: nothing read before the
/// error, a JSON object that is no feed (neither a jsonfeed.org "version" nor "items").
/// Returns nullopt when not even the object's first member could be read and `body` holds a
/// feed's XML ("<?xml", "<rss", "<feed", "<rdf:RDF"): the caller reads it as XML.
std::optional<Result<Feed>> ParseJsonFeed(const Input& input, const Options& options);

}  // namespace newsd::parse
