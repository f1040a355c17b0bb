#include "daemon/convert.h"

#include <string_view>
#include <unordered_map>

namespace newsd::daemon {

namespace {

std::string* Body(parse::Entry& e) {
  std::string* best = e.summary ? &*e.summary : nullptr;
  for (parse::Content& c : e.content) {
    if (!best || c.value.size() > best->size()) best = &c.value;
  }
  return best;
}

// The key of an entry whose id is missing or not its own: its link, else its title and date,
// else its text and date.
std::string KeyWithoutId(parse::Entry& e) {
  if (e.link && !e.link->empty()) return *e.link;
  const std::string date = e.published ? std::to_string(*e.published) : std::string();
  if (e.title && !e.title->empty()) return *e.title + "\n" + date;
  if (const std::string* body = Body(e); body && !body->empty()) {
    return "\ntext\n" + *body + "\n" + date;
  }
  return {};
}

// Each entry's key, in order. An id that entries of one response with other links share (a
// CMS that gives every item guid "0") tells none of them apart: those entries are keyed as if
// they had none. Entries that share an id and a link are one item listed twice: the id stays.
std::vector<std::string> ItemKeys(parse::Feed& parsed) {
  struct Use {
    std::string_view link;  // the first entry's
    bool other_links = false;
  };
  std::unordered_map<std::string_view, Use> uses;
  for (const parse::Entry& e : parsed.entries) {
    if (!e.id || e.id->empty()) continue;
    const std::string_view link = e.link ? std::string_view(*e.link) : std::string_view();
    auto [it, first] = uses.try_emplace(*e.id, Use{link});
    if (!first && it->second.link != link) it->second.other_links = true;
  }
  std::vector<std::string> keys;
  keys.reserve(parsed.entries.size());
  for (parse::Entry& e : parsed.entries) {
    const bool own_id = e.id && !e.id->empty() && !uses[*e.id].other_links;
    keys.push_back(own_id ? *e.id : KeyWithoutId(e));
  }
  return keys;
}

}  // namespace

std::vector<Article> ToArticles(parse::Feed* parsed, const FeedId& feed, const std::string& source,
                                UnixSeconds arrived) {
  std::vector<Article> out;
  out.reserve(parsed->entries.size());
  const std::vector<std::string> keys = ItemKeys(*parsed);
  for (size_t i = 0; i < parsed->entries.size(); ++i) {
    parse::Entry& e = parsed->entries[i];
    const std::string& key = keys[i];
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
