#include "parse/fields.h"

#include "parse/ascii.h"
#include "parse/xml_util.h"

namespace newsd::parse {
namespace {

bool IsEmailChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '+';
}

bool IsEntryName(std::string_view name) {
  size_t colon = name.find(':');
  std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
  return local == "item" || local == "entry";
}

}  // namespace

std::string Lower(std::string_view s) {
  std::string out(TrimXml(s));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::optional<std::string> Attr(pugi::xml_node node, const char* name) {
  pugi::xml_attribute a = node.attribute(name);
  if (!a) return std::nullopt;
  return std::string(a.value());
}

std::optional<std::string> TypeAttr(pugi::xml_node node) {
  pugi::xml_attribute a = node.attribute("type");
  if (!a) return std::nullopt;
  return AsciiLower(a.value());
}

std::optional<std::string> AttrInNamespace(pugi::xml_node node, const NsScope& scope, Ns ns,
                                           std::string_view local) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    // An undeclared prefix reads by convention (rdf: is RDF), as element names do.
    const QName q = ResolveName(scope, a.name(), /*is_attribute=*/true);
    if (q.ns == ns && q.local == local) return std::string(a.value());
  }
  return std::nullopt;
}

// "me@example.com (Me)", "Me <me@example.com>", "Me" -> name and email.
Person ParsePerson(std::string_view s) {
  Person p;
  std::string rest(TrimXml(s));
  size_t at = rest.find('@');
  if (at != std::string::npos && at > 0) {
    size_t b = at, e = at + 1;
    while (b > 0 && IsEmailChar(rest[b - 1])) --b;
    while (e < rest.size() && IsEmailChar(rest[e])) ++e;
    std::string_view domain = std::string_view(rest).substr(at + 1, e - at - 1);
    if (b < at && domain.find('.') != std::string_view::npos) {
      p.email = rest.substr(b, e - b);
      rest.erase(b, e - b);
      for (std::string_view junk : {"()", "<>", "mailto:"}) {
        size_t j;
        while ((j = rest.find(junk)) != std::string::npos) rest.erase(j, junk.size());
      }
      std::string_view r = TrimXml(rest);
      if (!r.empty() && r.front() == '(') r.remove_prefix(1);
      if (!r.empty() && r.back() == ')') r.remove_suffix(1);
      r = TrimXml(r);
      // A quoted display name ("\"Doe, John\" <john@example.com>") is the name unquoted
      // (one quoted string only: "\"Jane\" Q \"Public\"" stays as it is).
      if (r.size() >= 2 && r.front() == '"' && r.find('"', 1) == r.size() - 1) {
        r = r.substr(1, r.size() - 2);
      }
      rest = std::string(TrimXml(r));
    }
  }
  if (!rest.empty()) p.name = rest;
  return p;
}

void AddTag(Tag tag, std::vector<Tag>* tags) {
  auto blank = [](const std::optional<std::string>& s) { return !s || TrimXml(*s).empty(); };
  if (blank(tag.term) && blank(tag.label) && blank(tag.scheme)) return;
  tags->push_back(std::move(tag));
}

// "a, b,c" -> tags a, b, c (itunes:keywords, <tags>).
void AddKeywords(std::string_view list, std::vector<Tag>* tags) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view word = TrimXml(list.substr(0, comma));
    if (!word.empty()) tags->push_back(Tag{std::string(word), std::nullopt, std::nullopt});
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// <itunes:category text="Tech"><itunes:category text="Gadgets"/></itunes:category>
void AddItunesCategory(pugi::xml_node node, std::vector<Tag>* tags) {
  if (auto text = Attr(node, "text"); text && !text->empty()) {
    tags->push_back(Tag{*text, std::nullopt, std::nullopt});
  }
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) AddItunesCategory(c, tags);
  }
}

// Items/entries that are children or grandchildren of the root: a capacity hint, so the entry
// vector does not move its (large) elements while growing.
size_t CountEntries(pugi::xml_node root) {
  size_t n = 0;
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (IsEntryName(c.name())) {
      ++n;
    } else {
      for (pugi::xml_node g = c.first_child(); g; g = g.next_sibling()) {
        if (g.type() == pugi::node_element && IsEntryName(g.name())) ++n;
      }
    }
  }
  return n;
}

bool IsHtmlType(std::string_view t) { return t == "text/html" || t == "application/xhtml+xml"; }

std::string CanonicalRel(std::string_view rel) {
  constexpr std::string_view kIana = "http://www.iana.org/assignments/relation/";
  std::string r = Lower(rel);
  if (r.size() > kIana.size() && r.compare(0, kIana.size(), kIana) == 0) r.erase(0, kIana.size());
  return r;
}

bool IsHtmlLinkType(std::string_view type) {
  const std::string t = Lower(type.substr(0, type.find(';')));
  return IsHtmlType(t) || t == "html" || t == "xhtml";
}

namespace {

bool ParseSmallInt(std::string_view v, int64_t max, int64_t* out) {
  if (v.empty() || v.size() > 9) return false;
  int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  if (n > max) return false;
  *out = n;
  return true;
}

std::string ChildText(pugi::xml_node child) { return Lower(child.text().get()); }

}  // namespace

uint32_t SkipHours(pugi::xml_node node) {
  uint32_t mask = 0;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    int64_t hour = 0;
    if (c.type() != pugi::node_element || LocalName(c.name()) != "hour") continue;
    if (ParseSmallInt(ChildText(c), 24, &hour)) mask |= uint32_t{1} << (hour % 24);
  }
  return mask;
}

uint8_t SkipDays(pugi::xml_node node) {
  static constexpr std::string_view kDays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                               "thursday", "friday", "saturday"};
  uint8_t mask = 0;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element || LocalName(c.name()) != "day") continue;
    const std::string day = ChildText(c);
    for (size_t d = 0; d < 7; ++d) {
      if (day == kDays[d]) mask |= static_cast<uint8_t>(1u << d);
    }
  }
  return mask;
}

int64_t SyPeriodSeconds(std::string_view period) {
  const std::string p = Lower(period);
  if (p == "hourly") return 3600;
  if (p == "daily") return 86400;
  if (p == "weekly") return int64_t{7} * 86400;
  if (p == "monthly") return int64_t{30} * 86400;
  if (p == "yearly") return int64_t{365} * 86400;
  return 0;
}

int64_t SyFrequency(std::string_view frequency) {
  int64_t n = 0;
  const std::string f = Lower(frequency);
  return ParseSmallInt(f, 1'000'000, &n) && n > 0 ? n : 1;
}

}  // namespace newsd::parse
