#include "admin/views.h"

#include "core/redact.h"

namespace newsd::admin {

using nlohmann::json;

namespace {

json Time(std::optional<UnixSeconds> t) { return t ? json(FormatIso8601(*t)) : json(nullptr); }

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
          {"revised", v.revised ? Time(v.revised) : json(nullptr)},
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
          {"paused", v.paused},
          {"zoneless_dates", v.zoneless_dates}};
}

json ToJson(const StatusView& v) {
  return {{"version", v.version},
          {"feeds", v.feeds},
          {"indexed_items", v.indexed_items},
          {"index_bytes", v.index_bytes},
          {"started", Time(v.started)},
          {"last_round", v.last_round ? Time(v.last_round) : json(nullptr)},
          {"state", v.state},
          {"state_reason", v.state_reason},
          {"data_dir", v.data_dir},
          {"metrics", v.metrics},
          {"config", v.config},
          {"restart_needed", v.restart_needed},
          {"restart_keys", v.restart_keys},
          {"reload_refused", v.reload_refused}};
}

json ExportLine(const ItemView& v) {
  json j = ItemFields(v);
  j["text"] = v.text;
  return j;
}

}  // namespace newsd::admin
