// Feed URL checks: what can never be fetched, and when two URLs name one resource.

#include <algorithm>
#include <string>
#include <string_view>

#include "config/checks.h"
#include "config/config.h"

namespace newsd::config {

namespace {

bool IsDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

void LowerAscii(std::string* s) {
  for (char& ch : *s) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
}

// UrlProblem of a file:// url.
std::string FileUrlProblem(std::string_view url) {
  std::string host(url.substr(7, url.find('/', 7) - std::min<size_t>(7, url.size())));
  LowerAscii(&host);
  if (url.find('/', 7) == std::string_view::npos ||
      !(host.empty() || host == "localhost" || host == "127.0.0.1")) {
    return "a file:// url names an absolute path on this machine: file:///path/to/feed.xml";
  }
  return "";
}

// UrlProblem of an http(s) url's `rest` after "scheme://": its host and port.
std::string AuthorityProblem(std::string_view rest) {
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);  // user:password@
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return "url has an unclosed [ in its host";
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return "url has text after its [IPv6] host";
    if (!after.empty()) port = after.substr(1);
  } else if (const size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return "url has no host";
  // An empty port ("http://e.com:/") is the scheme's default.
  if (!port.empty() && (!IsDigits(port) || port.size() > 5 || std::stoi(std::string(port)) < 1 ||
                        std::stoi(std::string(port)) > 65535)) {
    return "url has a bad port (1-65535)";
  }
  return "";
}

// SameUrlKey of a file:// url (`start`: where its "://" is).
std::string FileUrlKey(std::string_view url, size_t start) {
  const size_t path = url.find('/', start + 3);
  if (path == std::string_view::npos) return std::string(url);
  std::string host(url.substr(start + 3, path - start - 3));
  LowerAscii(&host);
  return host.empty() || host == "localhost" || host == "127.0.0.1"
             ? "file://" + std::string(url.substr(path))
             : std::string(url);
}

// Drops from `key` (lower-cased "scheme://host:port", "://" at `start`) the port's leading
// zeros, then the scheme's default port and an empty port.
void TrimPort(std::string* key, size_t start) {
  // A port's leading zeros ("080" is 80), after the host (an IPv6 host ends with ']').
  // (The port's ':' follows the host: after any "user:password@".)
  const size_t at = key->rfind('@');
  const size_t host = at == std::string::npos ? start + 3 : at + 1;
  const size_t colon = key->rfind(':');
  if (colon != std::string::npos && colon > host && key->find(']', colon) == std::string::npos) {
    size_t first = colon + 1;
    while (first + 1 < key->size() && (*key)[first] == '0') ++first;
    key->erase(colon + 1, first - colon - 1);
  }
  for (std::string_view port : {key->starts_with("http:") ? ":80" : ":443", ":"}) {
    if (key->size() > start + 3 + port.size() && key->ends_with(port)) {
      key->resize(key->size() - port.size());
    }
  }
}

// `path` (absolute, or empty) without its "." and ".." segments, as RFC 3986 (5.2.4) resolves
// them: "/a/./b" is "/a/b", "/cyr/../cyr/feed.xml" is "/cyr/feed.xml", "/../x" is "/x".
std::string WithoutDotSegments(std::string_view path) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    const size_t end = std::min(path.find('/', i + 1), path.size());
    const std::string_view segment = path.substr(i, end - i);  // "/name"
    const bool last = end == path.size();
    if (segment == "/." || segment == "/..") {
      if (segment == "/.." && !out.empty()) out.erase(out.rfind('/'));
      if (last) out += '/';
    } else {
      out += segment;
    }
    i = end;
  }
  return out;
}

// Appends to `key` the path and query `rest` (what follows the authority, fragment dropped).
void AppendPathAndQuery(std::string* key, std::string_view rest) {
  // The path without dot segments ("/./feed.xml" is "/feed.xml"); the query as given.
  const size_t query = std::min(rest.find('?'), rest.size());
  const std::string path = WithoutDotSegments(rest.substr(0, query));
  *key += path.empty() ? "/" : path;
  *key += rest.substr(query);
}

}  // namespace

void LowerScheme(std::string* url) {
  const size_t colon = url->find("://");
  if (colon == std::string::npos) return;
  for (size_t i = 0; i < colon; ++i) {
    char& ch = (*url)[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
}

std::string UrlProblem(std::string_view url) {
  if (url.empty()) return "url is missing";
  if (std::any_of(url.begin(), url.end(),
                  [](char ch) { return static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f; })) {
    return "url must not contain spaces or control characters (write a space as %20)";
  }
  if (url.substr(0, 7) == "file://") return FileUrlProblem(url);
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
  } else {
    return "url must start with http://, https:// or file://";
  }
  return AuthorityProblem(rest);
}

bool IsProxyUrl(std::string_view url) {
  if (std::any_of(url.begin(), url.end(),
                  [](char ch) { return static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f; })) {
    return false;
  }
  std::string_view rest = url;
  if (const size_t sep = url.find("://"); sep != std::string_view::npos) {
    std::string scheme(url.substr(0, sep));
    LowerAscii(&scheme);
    static constexpr std::string_view kSchemes[] = {"http",    "https",  "socks4",
                                                    "socks4a", "socks5", "socks5h"};
    if (std::find(std::begin(kSchemes), std::end(kSchemes), scheme) == std::end(kSchemes)) {
      return false;
    }
    rest = url.substr(sep + 3);
  }
  if (rest.ends_with('/')) rest.remove_suffix(1);
  return !rest.empty() && rest.find_first_of("/?#") == std::string_view::npos &&
         AuthorityProblem(rest).empty();
}

std::string SameUrlKey(std::string_view url) {
  const size_t start = url.find("://");
  if (start == std::string_view::npos) return std::string(url);
  if (url.substr(0, 4) == "file") {  // file://localhost/p (or 127.0.0.1) names file:///p
    return FileUrlKey(url, start);
  }
  url = url.substr(0, std::min(url.find('#'), url.size()));  // the fragment is never sent
  const size_t end = std::min(url.find_first_of("/?", start + 3), url.size());
  std::string key(url.substr(0, end));
  LowerAscii(&key);
  TrimPort(&key, start);
  AppendPathAndQuery(&key, url.substr(end));
  return key;
}

std::string FeedUrlProblem(std::string_view url) {
  std::string lowered(url);
  LowerScheme(&lowered);
  return UrlProblem(lowered);
}

}  // namespace newsd::config
