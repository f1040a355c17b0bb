#include "daemon/convert.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <unordered_map>

#include "parse/url.h"

namespace newsd::daemon {

namespace {

std::string* Body(parse::Entry& e) {
  std::string* best = e.summary ? &*e.summary : nullptr;
  for (parse::Content& c : e.content) {
    if (!best || c.value.size() > best->size()) best = &c.value;
  }
  return best;
}

std::string_view TitleOf(const parse::Entry& e) {
  return e.title ? std::string_view(*e.title) : std::string_view();
}

// True for the name of a parameter that carries a web session, not a page: PHP's (Bitrix,
// DLE, Joomla with trans_sid on), Java's, ASP's, ColdFusion's.
bool IsSessionParameter(std::string_view name) {
  static constexpr std::array<std::string_view, 4> kNames = {"phpsessid", "jsessionid", "cfid",
                                                             "cftoken"};
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kNames.begin(), kNames.end(), n) != kNames.end() ||
         n.starts_with("aspsessionid");
}

// `url` without its session parameters (";jsessionid=..." in the path, "PHPSESSID=..." in the
// query): a CMS that puts the visitor's session into every link gives each poll new links, so
// an item without a guid became a new item, and a copy of its story, at every poll. A URL
// without one is left byte for byte as it was (its item keeps its id).
void DropSessionIds(std::string* url) {
  if (url->find("://") == std::string::npos) return;
  const size_t fragment = std::min(url->find('#'), url->size());
  // Path parameters: ";jsessionid=ABC" up to the next '/', ';' or '?'.
  for (size_t semi = url->find(';'); semi < std::min(url->find('?'), fragment);) {
    const size_t end = std::min({url->find_first_of("/;?#", semi + 1), url->size()});
    const size_t eq = url->find('=', semi);
    if (eq < end && IsSessionParameter(std::string_view(*url).substr(semi + 1, eq - semi - 1))) {
      url->erase(semi, end - semi);
      return DropSessionIds(url);
    }
    semi = url->find(';', semi + 1);
  }
  const size_t query = url->find('?');
  if (query >= fragment) return;
  std::string kept;
  bool dropped = false;
  for (size_t begin = query + 1; begin <= fragment;) {
    const size_t end = std::min(url->find('&', begin), fragment);
    const std::string_view param = std::string_view(*url).substr(begin, end - begin);
    if (!param.empty() && IsSessionParameter(param.substr(0, param.find('=')))) {
      dropped = true;
    } else {
      kept += kept.empty() && begin == query + 1 ? "" : "&";
      kept += param;
    }
    begin = end + 1;
  }
  if (!dropped) return;
  // Separators the dropped parameters leave ("?&a=1", "a=1&&b=2", "a=1&") go with them.
  std::string query_part;
  for (size_t i = 0; i < kept.size(); ++i) {
    if (kept[i] == '&' && (query_part.empty() || query_part.back() == '&')) continue;
    query_part += kept[i];
  }
  while (!query_part.empty() && query_part.back() == '&') query_part.pop_back();
  const std::string tail = url->substr(fragment);
  url->resize(query);
  if (!query_part.empty()) *url += "?" + query_part;
  *url += tail;
}

// Values (ids, links) that entries of one response share with other titles or other links.
struct Sharing {
  struct Use {
    std::string_view link, title;  // the first entry's
    bool other_links = false, other_titles = false;
  };
  std::unordered_map<std::string_view, Use> uses;

  void Note(std::string_view value, const parse::Entry& e) {
    if (value.empty()) return;
    const std::string_view link = e.link ? std::string_view(*e.link) : std::string_view();
    auto [it, first] = uses.try_emplace(value, Use{link, TitleOf(e)});
    if (first) return;
    it->second.other_links = it->second.other_links || it->second.link != link;
    it->second.other_titles = it->second.other_titles || it->second.title != TitleOf(e);
  }
  // Shared with another link or another title: names no single item.
  bool Ambiguous(std::string_view value) const {
    auto it = uses.find(value);
    return it != uses.end() && (it->second.other_links || it->second.other_titles);
  }
};

// The key of an entry whose id is missing or not its own: its link (unless entries with other
// titles share it), else its title and date, else its text and date.
std::string KeyWithoutId(parse::Entry& e, const Sharing& links) {
  if (e.link && !e.link->empty() && !links.Ambiguous(*e.link)) return *e.link;
  const std::string date = e.published ? std::to_string(*e.published) : std::string();
  if (e.title && !e.title->empty()) return *e.title + "\n" + date;
  if (const std::string* body = Body(e); body && !body->empty()) {
    return "\ntext\n" + *body + "\n" + date;
  }
  return {};
}

// Each entry's key, in order. An id that entries of one response share with other links or
// other titles tells none of them apart (a CMS that gives every item guid "0", or one guid to
// the two stories of a bulletin): those entries are keyed as if they had none. Entries that
// share an id, a link and a title are one item listed twice: the id stays.
std::vector<std::string> ItemKeys(parse::Feed& parsed) {
  for (parse::Entry& e : parsed.entries) {
    if (e.id) DropSessionIds(&*e.id);
    if (e.link) DropSessionIds(&*e.link);
  }
  Sharing ids, links;
  for (const parse::Entry& e : parsed.entries) {
    if (e.id) ids.Note(*e.id, e);
    if (e.link) links.Note(*e.link, e);
  }
  std::vector<std::string> keys;
  keys.reserve(parsed.entries.size());
  for (parse::Entry& e : parsed.entries) {
    const bool own_id = e.id && !e.id->empty() && !ids.Ambiguous(*e.id);
    keys.push_back(own_id ? *e.id : KeyWithoutId(e, links));
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
    if (parse::IsScriptUrl(a.url)) a.url.clear();              // no address: kept from the archive
    if (e.title) a.title = std::move(*e.title);
    if (std::string* body = Body(e)) a.text = std::move(*body);
    a.published = KnownDate(e.published) ? KnownDate(e.published) : KnownDate(e.updated);
    a.arrived = arrived;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace newsd::daemon
