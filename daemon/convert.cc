#include "daemon/convert.h"

namespace newsd::daemon {

namespace {

std::string ItemKey(const parse::Entry& e) {
  if (e.id && !e.id->empty()) return *e.id;
  if (e.link && !e.link->empty()) return *e.link;
  if (e.title && !e.title->empty()) {
    return *e.title + "\n" + (e.published ? std::to_string(*e.published) : std::string());
  }
  return {};
}

std::string* Body(parse::Entry& e) {
  std::string* best = e.summary ? &*e.summary : nullptr;
  for (parse::Content& c : e.content) {
    if (!best || c.value.size() > best->size()) best = &c.value;
  }
  return best;
}

}  // namespace

std::vector<Article> ToArticles(parse::Feed* parsed, const FeedId& feed, const std::string& source,
                                UnixSeconds arrived) {
  std::vector<Article> out;
  out.reserve(parsed->entries.size());
  for (parse::Entry& e : parsed->entries) {
    std::string key = ItemKey(e);
    // A cut-off entry is left for a complete response: stored, it would never be corrected.
    if (key.empty() || e.cut_off) continue;
    Article a;
    a.id = MakeItemId(feed, key);
    a.feed = feed;
    a.source = source;
    a.url = e.orig_link ? *e.orig_link : e.link.value_or("");  // not FeedBurner's redirect
    if (e.title) a.title = std::move(*e.title);
    if (std::string* body = Body(e)) a.text = std::move(*body);
    a.published = e.published ? e.published : e.updated;
    a.arrived = arrived;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace newsd::daemon
