#include "daemon/feed_controls.h"

#include <set>

#include "core/ids.h"

namespace newsd::daemon {

std::vector<config::FeedConfig> EffectiveFeeds(const std::vector<config::FeedConfig>& declared,
                                               const FeedControls& controls,
                                               std::vector<FeedId>* shadowed) {
  std::vector<config::FeedConfig> out = declared;
  std::set<FeedId> ids;
  for (config::FeedConfig& feed : out) {
    ids.insert(feed.id);
    auto control = controls.find(feed.id);
    if (control != controls.end() && control->second.paused) feed.enabled = false;
  }
  for (const auto& [id, control] : controls) {
    if (!control.added) continue;
    if (ids.count(id) != 0) {
      if (shadowed != nullptr) shadowed->push_back(id);
      continue;
    }
    config::FeedConfig feed;
    feed.id = id;
    feed.url = control.url;
    feed.name = control.name.empty() ? id : control.name;
    if (control.interval > 0) feed.interval = control.interval;
    feed.enabled = !control.paused;
    out.push_back(std::move(feed));
  }
  return out;
}

namespace {

std::string_view AfterScheme(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.substr(0, scheme.size()) == scheme) return url.substr(scheme.size());
  }
  return {};
}

bool IdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

bool AddableUrl(std::string_view url) {
  std::string_view rest = AfterScheme(url);
  if (rest.empty() || rest.front() == '/') return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;  // no spaces, controls
  }
  return true;
}

FeedId DeriveFeedId(std::string_view url, const std::function<bool(const FeedId&)>& taken) {
  std::string_view rest = AfterScheme(url);
  rest = rest.substr(0, rest.find_first_of("?#"));
  std::string_view host = rest.substr(0, rest.find('/'));
  std::string_view path = rest.substr(host.size());
  host = host.substr(host.rfind('@') == std::string_view::npos ? 0 : host.rfind('@') + 1);
  host = host.substr(0, host.find(':'));  // the port is not part of the name
  if (host.substr(0, 4) == "www.") host.remove_prefix(4);
  std::string base;
  for (std::string_view part : {host, path}) {
    for (char c : part) {
      if (c == '/' || !IdChar(c)) c = '-';
      if (c == '-' && (base.empty() || base.back() == '-')) continue;
      base += c;
    }
    if (!base.empty() && base.back() != '-') base += '-';
  }
  while (!base.empty() && (base.back() == '-' || base.back() == '.')) base.pop_back();
  base.erase(0, base.find_first_not_of("-."));
  if (base.size() > 56) base.resize(56);
  if (base.empty() || !IsValidFeedId(base)) base = "feed";
  FeedId id = base;
  for (int n = 2; taken(id); ++n) id = base + "-" + std::to_string(n);
  return id;
}

}  // namespace newsd::daemon
