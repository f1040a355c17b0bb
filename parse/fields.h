#pragma once

// Small helpers for reading feed fields out of pugixml nodes and strings.

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "parse/feed.h"
#include "parse/xml_util.h"

namespace newsd::parse {

/// `s` trimmed and ASCII-lower-cased.
std::string Lower(std::string_view s);

/// The value of attribute `name` (exact, prefix included); nullopt when absent.
std::optional<std::string> Attr(pugi::xml_node node, const char* name);

/// The `type` attribute's value (a media type), ASCII-lower-cased as feedparser reads it
/// ("Audio/MPEG" is audio/mpeg); nullopt when absent.
std::optional<std::string> TypeAttr(pugi::xml_node node);

/// The value of the first attribute named `local` in the namespace family `ns` (whatever its
/// prefix, resolved in `scope`: rdf:about); an unprefixed attribute is in no namespace.
std::optional<std::string> AttrInNamespace(pugi::xml_node node, const NsScope& scope, Ns ns,
                                           std::string_view local);

/// Splits "me@example.com (Me)", "Me <me@example.com>" or "Me" into name and email.
Person ParsePerson(std::string_view s);

/// Appends `tag` unless it names nothing: its term, label and scheme absent or blank (an empty
/// <category></category>; a scheme alone is kept, as feedparser keeps it).
void AddTag(Tag tag, std::vector<Tag>* tags);

/// Appends one tag per comma-separated word ("a, b,c"): itunes:keywords, <tags>.
void AddKeywords(std::string_view list, std::vector<Tag>* tags);

/// Appends the text="" of an itunes:category and of its nested subcategories.
void AddItunesCategory(pugi::xml_node node, std::vector<Tag>* tags);

/// RSS <skipHours>: a bit per <hour> child (0-23, GMT; 24 counts as 0). Bad values ignored.
uint32_t SkipHours(pugi::xml_node node);

/// RSS <skipDays>: a bit per <day> child, bit 0 = Sunday (English day names, any case).
uint8_t SkipDays(pugi::xml_node node);

/// sy:updatePeriod ("hourly", "daily", "weekly", "monthly", "yearly") in seconds; 0 if unknown.
int64_t SyPeriodSeconds(std::string_view period);

/// sy:updateFrequency (a positive integer, default 1); 1 when unreadable.
int64_t SyFrequency(std::string_view frequency);

/// text/html or application/xhtml+xml.
bool IsHtmlType(std::string_view type);

/// A link relation as Atom compares it (RFC 4287 4.2.7.2): trimmed, lower case, without the
/// IANA registry prefix ("http://www.iana.org/assignments/relation/alternate" is "alternate").
std::string CanonicalRel(std::string_view rel);

/// The type="" of a link names HTML: text/html or application/xhtml+xml in any case, with
/// parameters or not ("text/html; charset=utf-8"), or Atom's short "html" and "xhtml".
bool IsHtmlLinkType(std::string_view type);

/// Items/entries among the children and grandchildren of `root`: a capacity hint, so the
/// entry vector does not move its (large) elements while growing.
size_t CountEntries(pugi::xml_node root);

}  // namespace newsd::parse
