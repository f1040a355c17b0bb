#include "parse/json.h"

#include <nlohmann/json.hpp>

namespace newsd::parse {
namespace {

using nlohmann::json;

void Put(json* obj, const char* key, const std::optional<std::string>& v) {
  if (v) (*obj)[key] = *v;
}

void PutTime(json* obj, const char* key, const std::optional<UnixSeconds>& t) {
  if (t) (*obj)[key] = FormatIso8601(*t);
}

json PersonJson(const Person& p) {
  json o = json::object();
  Put(&o, "name", p.name);
  Put(&o, "email", p.email);
  Put(&o, "href", p.href);
  return o;
}

json LinksJson(const std::vector<Link>& links) {
  json a = json::array();
  for (const Link& l : links) {
    json o = json::object();
    Put(&o, "href", l.href);
    Put(&o, "rel", l.rel);
    Put(&o, "type", l.type);
    Put(&o, "title", l.title);
    Put(&o, "length", l.length);
    Put(&o, "hreflang", l.hreflang);
    a.push_back(std::move(o));
  }
  return a;
}

json TagsJson(const std::vector<Tag>& tags) {
  json a = json::array();
  for (const Tag& t : tags) {
    json o = json::object();
    Put(&o, "term", t.term);
    Put(&o, "scheme", t.scheme);
    Put(&o, "label", t.label);
    a.push_back(std::move(o));
  }
  return a;
}

json MediaJson(const std::vector<Media>& media) {
  json a = json::array();
  for (const Media& m : media) {
    json o = json::object();
    Put(&o, "url", m.url);
    Put(&o, "type", m.type);
    Put(&o, "medium", m.medium);
    Put(&o, "width", m.width);
    Put(&o, "height", m.height);
    Put(&o, "fileSize", m.file_size);
    a.push_back(std::move(o));
  }
  return a;
}

void PutAuthors(json* o, const std::optional<std::string>& author,
                const std::optional<Person>& detail, const std::vector<Person>& authors) {
  Put(o, "author", author);
  if (detail) (*o)["author_detail"] = PersonJson(*detail);
  if (!authors.empty()) {
    json a = json::array();
    for (const Person& p : authors) a.push_back(PersonJson(p));
    (*o)["authors"] = std::move(a);
  }
}

json MetaJson(const FeedMeta& m) {
  json o = json::object();
  Put(&o, "title", m.title);
  Put(&o, "link", m.link);
  Put(&o, "subtitle", m.subtitle);
  Put(&o, "id", m.id);
  Put(&o, "language", m.language);
  PutTime(&o, "updated", m.updated);
  PutTime(&o, "published", m.published);
  PutAuthors(&o, m.author, m.author_detail, m.authors);
  if (!m.links.empty()) o["links"] = LinksJson(m.links);
  if (!m.tags.empty()) o["tags"] = TagsJson(m.tags);
  if (m.ttl_minutes) o["ttl"] = *m.ttl_minutes;
  return o;
}

json EntryJson(const Entry& e) {
  json o = json::object();
  Put(&o, "id", e.id);
  Put(&o, "link", e.link);
  Put(&o, "title", e.title);
  Put(&o, "summary", e.summary);
  if (!e.content.empty()) {
    json a = json::array();
    for (const Content& c : e.content) {
      json co = {{"value", c.value}};
      Put(&co, "type", c.type);
      Put(&co, "src", c.src);
      a.push_back(std::move(co));
    }
    o["content"] = std::move(a);
  }
  PutAuthors(&o, e.author, e.author_detail, e.authors);
  PutTime(&o, "published", e.published);
  PutTime(&o, "updated", e.updated);
  if (!e.tags.empty()) o["tags"] = TagsJson(e.tags);
  if (!e.enclosures.empty()) {
    json a = json::array();
    for (const Enclosure& en : e.enclosures) {
      json eo = json::object();
      Put(&eo, "url", en.url);
      Put(&eo, "type", en.type);
      Put(&eo, "length", en.length);
      a.push_back(std::move(eo));
    }
    o["enclosures"] = std::move(a);
  }
  if (!e.links.empty()) o["links"] = LinksJson(e.links);
  if (!e.media_content.empty()) o["media_content"] = MediaJson(e.media_content);
  if (!e.media_thumbnail.empty()) o["media_thumbnail"] = MediaJson(e.media_thumbnail);
  Put(&o, "comments", e.comments);
  Put(&o, "language", e.language);
  Put(&o, "feedburner_origlink", e.orig_link);
  return o;
}

}  // namespace

std::string ToSuiteJson(const Feed& feed) {
  json doc = json::object();
  doc["bozo"] = feed.bozo;
  if (!feed.bozo_reason.empty()) doc["bozo_exception"] = feed.bozo_reason;
  doc["encoding"] = feed.encoding;
  if (!feed.version.empty()) doc["version"] = feed.version;
  doc["feed"] = MetaJson(feed.feed);
  json entries = json::array();
  for (const Entry& e : feed.entries) entries.push_back(EntryJson(e));
  doc["entries"] = std::move(entries);
  if (!feed.limits_hit.empty()) doc["limits_hit"] = feed.limits_hit;
  // Values are validated UTF-8 already; `replace` keeps a stray bad byte from throwing.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToSuiteJson(const Result<Feed>& parsed) {
  if (parsed) return ToSuiteJson(*parsed);
  Feed failed;
  failed.bozo = true;
  failed.bozo_reason = parsed.error().message();
  return ToSuiteJson(failed);
}

}  // namespace newsd::parse
