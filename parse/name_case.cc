#include "parse/name_case.h"

#include <algorithm>
#include <array>
#include <string>

#include "parse/ascii.h"

namespace newsd::parse {
namespace {

// The local names the builder compares (builder*.cc), and the usual RSS 2.0 channel elements.
constexpr std::array<std::string_view, 60> kNames = {
    "RDF",
    "author",
    "body",
    "category",
    "channel",
    "comments",
    "content",
    "creator",
    "date",
    "description",
    "div",
    "email",
    "enclosure",
    "encoded",
    "entries",
    "entry",
    "feed",
    "full-text",
    "fullitem",
    "group",
    "guid",
    "homepage",
    "id",
    "identifier",
    "image",
    "interval",
    "issued",
    "item",
    "items",
    "keywords",
    "language",
    "lastBuildDate",
    "link",
    "managingEditor",
    "modified",
    "name",
    "origLink",
    "paused",
    "pubDate",
    "published",
    "rss",
    "skipDays",
    "skipHours",
    "source",
    "subject",
    "subtitle",
    "summary",
    "tagline",
    "tags",
    "thumbnail",
    "title",
    "ttl",
    "updateFrequency",
    "updatePeriod",
    "updated",
    "uri",
    "url",
    "zonelessDates",
    "webMaster",
    "copyright",
};

bool HasCapital(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

std::string_view VocabularySpelling(std::string_view local) {
  // Names in small letters are spelt right unless they are the small-letter form of one of
  // the few with capitals ("pubdate"): a handful of comparisons, by length first.
  static constexpr std::array<std::string_view, 12> kCamel = {
      "RDF",       "pubDate",  "lastBuildDate",   "managingEditor", "webMaster",     "skipDays",
      "skipHours", "origLink", "updateFrequency", "updatePeriod",   "zonelessDates", "textInput"};
  if (!HasCapital(local)) {
    for (std::string_view name : kCamel) {
      if (name.size() == local.size() && EqualsIgnoreCase(name, local)) return name;
    }
    return {};
  }
  // With capitals: right when it is one of those, else looked up among all.
  for (std::string_view name : kCamel) {
    if (name == local) return {};
  }
  for (std::string_view name : kNames) {
    if (name.size() == local.size() && EqualsIgnoreCase(name, local)) return name;
  }
  return {};
}

void RespellVocabularyNames(pugi::xml_document* doc) {
  pugi::xml_node node = doc->first_child();
  std::string respelt;
  while (node) {
    if (node.type() == pugi::node_element) {
      const std::string_view name = node.name();
      const size_t colon = name.find(':');
      const size_t local_at = colon == std::string_view::npos ? 0 : colon + 1;
      if (std::string_view right = VocabularySpelling(name.substr(local_at)); !right.empty()) {
        respelt.assign(name.substr(0, local_at));
        respelt.append(right);
        node.set_name(respelt.c_str());
      }
    }
    // Document order, without recursion: a feed nested thousands deep stays off the stack.
    if (pugi::xml_node child = node.first_child()) {
      node = child;
      continue;
    }
    while (node && !node.next_sibling()) node = node.parent();
    if (node) node = node.next_sibling();
  }
}

}  // namespace newsd::parse
