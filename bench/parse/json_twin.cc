#include "bench/parse/json_twin.h"

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace newsd::bench {

namespace {

using nlohmann::json;

void Put(json* object, const char* key, const std::optional<std::string>& value) {
  if (value) (*object)[key] = *value;
}

json Item(const parse::Entry& e) {
  json item = json::object();
  Put(&item, "id", e.id ? e.id : e.link);
  Put(&item, "url", e.link);
  Put(&item, "title", e.title);
  const std::string* body = e.summary ? &*e.summary : nullptr;
  for (const parse::Content& c : e.content) {
    if (body == nullptr || c.value.size() > body->size()) body = &c.value;
  }
  if (body != nullptr) item["content_html"] = *body;
  if (e.summary && body != &*e.summary) item["summary"] = *e.summary;
  if (e.published) item["date_published"] = FormatIso8601(*e.published);
  if (e.updated) item["date_modified"] = FormatIso8601(*e.updated);
  for (const parse::Person& p : e.authors) {
    if (p.name) item["authors"].push_back({{"name", *p.name}});
  }
  for (const parse::Tag& t : e.tags) {
    if (t.term) item["tags"].push_back(*t.term);
  }
  for (const parse::Enclosure& enc : e.enclosures) {
    if (!enc.url) continue;
    json a = {{"url", *enc.url}};
    Put(&a, "mime_type", enc.type);
    item["attachments"].push_back(std::move(a));
  }
  return item;
}

}  // namespace

std::string JsonFeedTwin(const parse::Feed& feed) {
  json doc = {{"version", "https://jsonfeed.org/version/1.1"}};
  Put(&doc, "title", feed.feed.title);
  Put(&doc, "home_page_url", feed.feed.link);
  Put(&doc, "description", feed.feed.subtitle);
  Put(&doc, "language", feed.feed.language);
  doc["items"] = json::array();
  for (const parse::Entry& e : feed.entries) doc["items"].push_back(Item(e));
  // Invalid UTF-8 cannot come out of the parser; replace rather than throw all the same.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace newsd::bench
