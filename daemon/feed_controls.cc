#include "daemon/feed_controls.h"

#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "core/ids.h"

namespace newsd::daemon {

std::vector<config::FeedConfig> EffectiveFeeds(const std::vector<config::FeedConfig>& declared,
                                               const FeedControls& controls,
                                               std::vector<Shadowed>* shadowed) {
  std::vector<config::FeedConfig> out = declared;
  std::set<FeedId> ids;
  std::map<std::string, FeedId> urls;  // SameUrlKey -> the declared feed with that URL
  for (config::FeedConfig& feed : out) {
    ids.insert(feed.id);
    auto control = controls.find(feed.id);
    if (control != controls.end() && control->second.paused) feed.enabled = false;
    urls.emplace(config::SameUrlKey(feed.url), feed.id);  // paused or not: the file's feed
  }
  for (const auto& [id, control] : controls) {
    if (!control.added) continue;
    const auto same_url = urls.find(config::SameUrlKey(control.url));
    if (ids.count(id) != 0 || same_url != urls.end()) {
      if (shadowed != nullptr) {
        shadowed->push_back({id, ids.count(id) != 0 ? id : same_url->second});
      }
      continue;
    }
    config::FeedConfig feed;
    feed.id = id;
    feed.url = control.url;
    feed.name = control.name.empty() ? id : control.name;
    if (control.interval > 0) {
      feed.interval = control.interval;
      feed.interval_set = true;
    }
    feed.enabled = !control.paused;
    feed.zoneless_offset = control.zoneless_offset;
    out.push_back(std::move(feed));
  }
  return out;
}

void WarnShadowed(const std::vector<Shadowed>& shadowed, const std::string& config_path) {
  for (const Shadowed& s : shadowed) {
    if (s.by == s.id) {
      spdlog::warn(
          "feed={} was added with newsctl and is now declared in {}: the file's entry is "
          "used (`newsctl feeds remove {}` forgets the added one)",
          s.id, config_path, s.id);
    } else {
      spdlog::warn(
          "feed={} was added with newsctl, and {} now declares its URL as feed {}: only {} is "
          "polled (`newsctl feeds remove {}` forgets the added one)",
          s.id, config_path, s.by, s.by, s.id);
    }
  }
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
  std::string base;
  if (host.substr(0, 1) == "[") {  // an IPv6 address ("[::1]:8080"): its groups, named so
    host = host.substr(1, host.find(']') - 1);
    base = "ipv6-";
  } else {
    host = host.substr(0, host.find(':'));  // the port is not part of the name
  }
  if (host.substr(0, 4) == "www.") host.remove_prefix(4);
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
