// ArticleUrlKey: one article page's links compared without the tags feeds put on them.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "parse/ascii.h"
#include "parse/url.h"

namespace newsd::parse {

namespace {

// Query parameters that say where a reader came from, not which page it reads.
constexpr std::array<std::string_view, 13> kTrackers = {
    "fbclid",  "gclid",  "yclid",  "ysclid",    "dclid",  "gbraid", "wbraid",
    "msclkid", "mc_cid", "mc_eid", "_openstat", "igshid", "ref_src"};

bool IsTracker(std::string_view param) {
  const std::string name = AsciiLower(param.substr(0, param.find('=')));
  if (name.starts_with("utm_")) return true;
  if (name == "amp") {
    const size_t eq = param.find('=');
    return eq == std::string_view::npos || param.substr(eq + 1) == "1";
  }
  return std::find(kTrackers.begin(), kTrackers.end(), name) != kTrackers.end();
}

// The host without the scheme's default port and a mobile or AMP prefix, lower-cased.
std::string HostKey(std::string_view authority, bool https) {
  std::string host = AsciiLower(authority.substr(authority.rfind('@') + 1));
  if (host.ends_with(https ? ":443" : ":80")) host.resize(host.size() - (https ? 4 : 3));
  for (std::string_view prefix : {"www.", "m.", "mobile.", "amp."}) {
    if (host.starts_with(prefix) && host.find('.', prefix.size()) != std::string::npos) {
      return host.substr(prefix.size());
    }
  }
  return host;
}

// The path without an "amp" segment at either end ("/amp/news/1", "/news/1/amp/") and
// without its trailing '/'. A page named "amp" at the root ("/amp") stays itself.
std::string_view PathKey(std::string_view path) {
  if (path.starts_with("/amp/") && path.size() > 5) path.remove_prefix(4);
  while (path.ends_with("/")) path.remove_suffix(1);
  if (path.ends_with("/amp") && path.size() > 4) path.remove_suffix(4);
  while (path.ends_with("/")) path.remove_suffix(1);
  return path;
}

// A fragment that feeds tag links with ("#utm_source=rss", "#xtor=RSS-1"), not one that names
// a page (a hash-routed site's "#!/news/1") or a place in it ("#2026-12-06").
bool TrackingFragment(std::string_view fragment) {
  return fragment.find("utm_") != std::string_view::npos ||
         fragment.find("xtor=") != std::string_view::npos;
}

}  // namespace

std::string ArticleUrlKey(std::string_view url) {
  const bool https = url.size() > 8 && EqualsIgnoreCase(url.substr(0, 8), "https://");
  if (!https && !(url.size() > 7 && EqualsIgnoreCase(url.substr(0, 7), "http://"))) {
    return std::string(url);
  }
  std::string_view rest = url.substr(https ? 8 : 7);
  std::string_view fragment;
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = rest.substr(hash);
    rest = rest.substr(0, hash);
    if (fragment.size() == 1 || TrackingFragment(fragment)) fragment = {};
  }
  const size_t path_at = std::min(rest.find_first_of("/?"), rest.size());
  if (path_at == 0) return std::string(url);  // no host: nothing to compare but the text
  std::string key = HostKey(rest.substr(0, path_at), https);
  rest.remove_prefix(path_at);
  const size_t query_at = std::min(rest.find('?'), rest.size());
  key += PathKey(rest.substr(0, query_at));
  std::string_view query = rest.substr(query_at);
  if (!query.empty()) query.remove_prefix(1);
  char separator = '?';
  while (!query.empty()) {
    const size_t end = std::min(query.find('&'), query.size());
    const std::string_view param = query.substr(0, end);
    if (!param.empty() && !IsTracker(param)) {
      key += separator;
      key += param;
      separator = '&';
    }
    query.remove_prefix(std::min(end + 1, query.size()));
  }
  key += fragment;
  return key;
}

}  // namespace newsd::parse
