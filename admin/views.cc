#include "admin/views.h"

#include "core/redact.h"

namespace newsd::admin {

using nlohmann::json;

namespace {

json Time(std::optional<UnixSeconds> t) { return t ? json(FormatIso8601(*t)) : json(nullptr); }

std::optional<UnixSeconds> TimeFrom(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return ParseIso8601(it->get<std::string>());
}

// What an item's JSON says in every view: ids, where it came from, its times.
json ItemFields(const ItemView& v) {
  return {{"id", v.id},
          {"story", v.story},
          {"feed", v.feed},
          {"source", v.source},
          {"url", v.url},
          {"title", v.title},
          {"published", Time(v.published)},
          {"arrived", Time(v.arrived)},
          {"canonical", v.canonical}};
}

}  // namespace

json ToJson(const ItemView& v) {
  json j = ItemFields(v);
  j["similarity"] = v.similarity;
  j["path"] = v.path;
  return j;
}

json ToJson(const StoryView& v) {
  return {{"id", v.id},
          {"title", v.title},
          {"source", v.source},
          {"time", Time(v.time)},
          {"copies", v.copies}};
}

json ToJson(const FeedView& v) {
  // Passwords in feed URLs stay in the configuration (core/redact.h), here and in FeedJson.
  return {{"id", v.id},
          {"url", RedactPasswords(v.url)},
          {"name", v.name},
          {"interval", v.interval},
          {"configured_interval", v.configured_interval},
          {"last_fetch", v.last_fetch ? Time(v.last_fetch) : json(nullptr)},
          {"next_fetch", v.next_fetch ? Time(v.next_fetch) : json(nullptr)},
          {"last_http_status", v.last_http_status},
          {"last_error", RedactPasswords(v.last_error)},
          {"fetches", v.fetches},
          {"items_new", v.items_new},
          {"state", v.state},
          {"state_reason", RedactPasswords(v.state_reason)},
          {"last_ok", v.last_ok ? Time(v.last_ok) : json(nullptr)},
          {"moved_to", RedactPasswords(v.moved_to)},
          {"origin", v.origin},
          {"warning", RedactPasswords(v.warning)},
          {"paused", v.paused}};
}

json ToJson(const StatusView& v) {
  return {{"version", v.version},
          {"feeds", v.feeds},
          {"indexed_items", v.indexed_items},
          {"started", Time(v.started)},
          {"last_round", v.last_round ? Time(v.last_round) : json(nullptr)},
          {"state", v.state},
          {"state_reason", v.state_reason},
          {"data_dir", v.data_dir},
          {"metrics", v.metrics}};
}

json ExportLine(const ItemView& v) {
  json j = ItemFields(v);
  j["text"] = v.text;
  return j;
}

Result<ItemView> ItemFromJson(const json& j) {
  if (!j.is_object() || !j.contains("id")) return Err(Status::InvalidArgument("bad item"));
  ItemView v;
  v.id = j.value("id", "");
  v.story = j.value("story", "");
  v.feed = j.value("feed", "");
  v.source = j.value("source", "");
  v.url = j.value("url", "");
  v.title = j.value("title", "");
  v.published = TimeFrom(j, "published");
  v.arrived = TimeFrom(j, "arrived").value_or(0);
  v.canonical = j.value("canonical", false);
  v.similarity = j.value("similarity", 1.0);
  v.path = j.value("path", "");
  return v;
}

Result<StoryView> StoryFromJson(const json& j) {
  if (!j.is_object() || !j.contains("id")) return Err(Status::InvalidArgument("bad story"));
  StoryView v;
  v.id = j.value("id", "");
  v.title = j.value("title", "");
  v.source = j.value("source", "");
  v.time = TimeFrom(j, "time").value_or(0);
  v.copies = j.value("copies", 0u);
  return v;
}

Result<FeedView> FeedFromJson(const json& j) {
  if (!j.is_object() || !j.contains("id")) return Err(Status::InvalidArgument("bad feed"));
  FeedView v;
  v.id = j.value("id", "");
  v.url = j.value("url", "");
  v.name = j.value("name", "");
  v.interval = j.value("interval", int64_t{0});
  v.configured_interval = j.value("configured_interval", int64_t{0});
  v.last_fetch = TimeFrom(j, "last_fetch").value_or(0);
  v.next_fetch = TimeFrom(j, "next_fetch").value_or(0);
  v.last_http_status = j.value("last_http_status", 0L);
  v.last_error = j.value("last_error", "");
  v.fetches = j.value("fetches", uint64_t{0});
  v.items_new = j.value("items_new", uint64_t{0});
  v.state = j.value("state", "");
  v.state_reason = j.value("state_reason", "");
  v.last_ok = TimeFrom(j, "last_ok").value_or(0);
  v.moved_to = j.value("moved_to", "");
  v.origin = j.value("origin", "");
  v.warning = j.value("warning", "");
  v.paused = j.value("paused", false);
  return v;
}

Result<StatusView> StatusFromJson(const json& j) {
  if (!j.is_object()) return Err(Status::InvalidArgument("bad status"));
  StatusView v;
  v.version = j.value("version", "");
  v.feeds = j.value("feeds", uint64_t{0});
  v.indexed_items = j.value("indexed_items", uint64_t{0});
  v.started = TimeFrom(j, "started").value_or(0);
  v.last_round = TimeFrom(j, "last_round").value_or(0);
  v.state = j.value("state", "");
  v.state_reason = j.value("state_reason", "");
  v.data_dir = j.value("data_dir", "");
  v.metrics = j.value("metrics", "");
  return v;
}

}  // namespace newsd::admin
