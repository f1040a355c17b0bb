// Reading the TOML tables into a Config: one setter per key, checking its type and range.

#include <toml++/toml.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/checks.h"
#include "config/reader.h"
#include "core/time.h"

namespace newsd::config {

namespace {

using Setter = std::function<void(const toml::node&, Checker&)>;
using KeyTable = std::map<std::string, Setter, std::less<>>;

// "[table] key"; a `table` given as a label already ("[[feed]] reuters:") is used as it is.
std::string Where(std::string_view table, std::string_view key) {
  if (table.starts_with("[[")) return std::string(table) + " " + std::string(key);
  return "[" + std::string(table) + "] " + std::string(key);
}

Setter String(std::string_view table, std::string_view key, std::string* out) {
  std::string name = Where(table, key);
  return [name, out](const toml::node& n, Checker& c) {
    if (auto v = n.value<std::string>()) {
      *out = *v;
    } else {
      c.Fail(n.source(), name + " must be a string");
    }
  };
}

// "127.0.0.1:PORT", "[::1]:PORT" or "localhost:PORT": a loopback listen address, or "" (off).
Setter LoopbackAddress(std::string_view table, std::string_view key, std::string* out) {
  std::string name = Where(table, key);
  return [name, out](const toml::node& n, Checker& c) {
    auto v = n.value<std::string>();
    if (!v) return c.Fail(n.source(), name + " must be a string");
    if (v->empty()) {
      out->clear();
      return;
    }
    const size_t colon = v->rfind(':');
    const std::string host = colon == std::string::npos ? "" : v->substr(0, colon);
    const std::string port = colon == std::string::npos ? "" : v->substr(colon + 1);
    const bool loopback = host == "127.0.0.1" || host == "[::1]" || host == "localhost";
    const bool digits =
        !port.empty() && port.size() <= 5 &&
        std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    const long number = digits ? std::stol(port) : -1;
    if (!loopback || number < 0 || number > 65535) {
      return c.Fail(n.source(), name +
                                    " must be \"127.0.0.1:PORT\", \"[::1]:PORT\" or "
                                    "\"localhost:PORT\" (metrics are served on loopback only), "
                                    "or \"\" for off");
    }
    *out = *v;
  };
}

// "" (the environment's proxy variables), or a proxy URL curl takes: "host:port" or
// "SCHEME://host[:port][/]", SCHEME one of http, https, socks4, socks4a, socks5, socks5h.
Setter ProxyUrl(std::string_view table, std::string_view key, std::string* out) {
  std::string name = Where(table, key);
  return [name, out](const toml::node& n, Checker& c) {
    auto v = n.value<std::string>();
    if (!v) return c.Fail(n.source(), name + " must be a string");
    if (!v->empty() && !IsProxyUrl(*v)) {
      return c.Fail(n.source(),
                    name +
                        " must be \"\" (the http_proxy/https_proxy/all_proxy variables) or a "
                        "proxy URL such as \"http://proxy.example:3128\" (schemes: http, "
                        "https, socks4, socks4a, socks5, socks5h)");
    }
    *out = *v;
  };
}

Setter Bool(std::string_view table, std::string_view key, bool* out) {
  std::string name = Where(table, key);
  return [name, out](const toml::node& n, Checker& c) {
    if (auto v = n.value<bool>()) {
      *out = *v;
    } else {
      c.Fail(n.source(), name + " must be true or false");
    }
  };
}

template <class T>
Setter Integer(std::string_view table, std::string_view key, T* out, int64_t min, int64_t max) {
  std::string name = Where(table, key);
  return [name, out, min, max](const toml::node& n, Checker& c) {
    auto v = n.is_integer() ? n.value<int64_t>() : std::nullopt;
    if (!v) return c.Fail(n.source(), name + " must be an integer");
    if (*v < min || *v > max) {
      return c.Fail(n.source(), name + " must be between " + std::to_string(min) + " and " +
                                    std::to_string(max));
    }
    *out = static_cast<T>(*v);
  };
}

Setter Fraction(std::string_view table, std::string_view key, double* out) {
  std::string name = Where(table, key);
  return [name, out](const toml::node& n, Checker& c) {
    auto v = n.value<double>();
    if (!v || !(*v > 0.0 && *v <= 1.0)) {  // NaN is refused too
      return c.Fail(n.source(), name + " must be a number in (0, 1]");
    }
    *out = *v;
  };
}

/// True when `s` is written as a duration ("2d12h": digits and a unit, repeated), whatever
/// its numbers' sizes.
bool IsDurationSyntax(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t digits = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == digits || i == s.size() ||
        std::string_view("smhd").find(s[i]) == std::string_view::npos) {
      return false;
    }
    ++i;
  }
  return !s.empty();
}

/// A duration string ("30m"); stored as seconds, or milliseconds when `millis`.
template <class T>
Setter Duration(std::string_view table, std::string_view key, T* out, bool millis = false) {
  std::string name = Where(table, key);
  return [name, out, millis](const toml::node& n, Checker& c) {
    auto s = n.value<std::string>();
    auto secs = s ? ParseDuration(*s) : std::nullopt;
    if (!secs && s && IsDurationSyntax(*s)) {
      return c.Fail(n.source(), name + " \"" + *s +
                                    "\" is too long: each number of a duration is at most "
                                    "100000000 (\"3650d\" is ten years)");
    }
    if (!secs) {
      return c.Fail(n.source(), name +
                                    " must be a duration such as \"90s\", \"30m\", \"1h\" or "
                                    "\"2d\"");
    }
    *out = static_cast<T>(millis ? *secs * 1000 : *secs);
  };
}

template <class T>  // int, or std::optional<int> for a key that may be left out
Setter UtcOffset(std::string_view table, std::string_view key, T* out) {
  std::string name = Where(table, key);
  return [name, out](const toml::node& n, Checker& c) {
    auto s = n.value<std::string>();
    auto offset = s ? ParseUtcOffset(*s) : std::nullopt;
    if (!offset) {
      return c.Fail(n.source(), name + " must be " + kUtcOffsetHint);
    }
    *out = *offset;
  };
}

Setter StringList(std::string_view table, std::string_view key, std::vector<std::string>* out) {
  std::string name = Where(table, key);
  return [name, out](const toml::node& n, Checker& c) {
    const toml::array* arr = n.as_array();
    if (!arr) return c.Fail(n.source(), name + " must be an array of strings");
    out->clear();
    for (const toml::node& e : *arr) {
      auto v = e.value<std::string>();
      if (!v) return c.Fail(e.source(), name + " must contain only strings");
      out->push_back(*v);
    }
  };
}

void ApplyTable(const toml::table& t, std::string_view name, const KeyTable& keys, Checker& c) {
  for (const auto& [key, node] : t) {
    auto it = keys.find(key.str());
    if (it == keys.end()) {
      c.Fail(key.source(), "unknown key " + Where(name, key.str()));
      continue;
    }
    it->second(node, c);
  }
}

KeyTable DaemonKeys(Config& cfg) {
  DaemonOptions& d = cfg.daemon;
  return {{"data_dir", String("daemon", "data_dir", &d.data_dir)},
          {"admin_socket", String("daemon", "admin_socket", &d.admin_socket)},
          {"log_level", String("daemon", "log_level", &d.log_level)},
          {"storage_retry", Duration("daemon", "storage_retry", &d.storage_retry_seconds)},
          {"metrics", LoopbackAddress("daemon", "metrics", &d.metrics)}};
}

KeyTable StorageKeys(Config& cfg) {
  storage::Options& s = cfg.storage;
  return {{"sync_writes", Bool("storage", "sync_writes", &s.sync_writes)},
          {"block_cache_mb", Integer("storage", "block_cache_mb", &s.block_cache_mb, 1, 65536)},
          {"min_free_mb", Integer("storage", "min_free_mb", &s.min_free_mb, 0, 1 << 24)},
          {"retention", Duration("storage", "retention", &s.retention_seconds)},
          {"seen_grace", Duration("storage", "seen_grace", &s.seen_grace_seconds)},
          {"raw_bodies", Integer("storage", "raw_bodies", &s.raw_bodies, 0, 100)}};
}

KeyTable FetchKeys(Config& cfg) {
  fetchers::Options& f = cfg.fetch;
  return {
      {"user_agent", String("fetch", "user_agent", &f.user_agent)},
      {"connect_timeout", Duration("fetch", "connect_timeout", &f.connect_timeout_ms, true)},
      {"timeout", Duration("fetch", "timeout", &f.total_timeout_ms, true)},
      {"stall_timeout", Duration("fetch", "stall_timeout", &f.low_speed_seconds)},
      {"max_body_bytes", Integer("fetch", "max_body_bytes", &f.max_body_bytes, 1024, 1LL << 31)},
      // 0 would fail every moved feed for ever: its 301 or 308 never counted.
      {"max_redirects", Integer("fetch", "max_redirects", &f.max_redirects, 1, 20)},
      {"max_connections", Integer("fetch", "max_connections", &f.max_total_connections, 1, 4096)},
      {"allow_private", Bool("fetch", "allow_private", &f.allow_private)},
      {"proxy", ProxyUrl("fetch", "proxy", &f.proxy)},
  };
}

KeyTable PolitenessKeys(Config& cfg) {
  PolitenessOptions& p = cfg.politeness;
  constexpr const char* kT = "politeness";
  return {
      {"host_inflight", Integer(kT, "host_inflight", &p.host_inflight, 0, 1000)},
      {"host_spacing", Duration(kT, "host_spacing", &p.host_spacing)},
      {"min_interval", Duration(kT, "min_interval", &p.min_interval)},
      {"max_interval", Duration(kT, "max_interval", &p.max_interval)},
      {"startup_jitter", Duration(kT, "startup_jitter", &p.startup_jitter)},
      {"backoff_cap", Duration(kT, "backoff_cap", &p.backoff_cap)},
      {"dead_after", Duration(kT, "dead_after", &p.dead_after)},
      {"retry_after_max", Duration(kT, "retry_after_max", &p.retry_after_max)},
      {"redirect_confirmations",
       Integer(kT, "redirect_confirmations", &p.redirect_confirmations, 1, 1000)},
      {"redirect_period", Duration(kT, "redirect_period", &p.redirect_period)},
  };
}

KeyTable ParseKeys(Config& cfg) {
  parse::Options& p = cfg.parse;
  return {{"max_items", Integer("parse", "max_items", &p.max_items, 1, 1'000'000)},
          {"max_field_bytes",
           Integer("parse", "max_field_bytes", &p.max_field_bytes, 1024, 64LL << 20)},
          {"max_depth", Integer("parse", "max_depth", &p.max_depth, 8, 4096)},
          {"zoneless_dates", UtcOffset("parse", "zoneless_dates", &p.zoneless_offset)}};
}

KeyTable DedupKeys(Config& cfg) {
  dedup::Options& d = cfg.dedup;
  return {
      {"window", Duration("dedup", "window", &d.window_seconds)},
      {"late", Duration("dedup", "late", &d.late_seconds)},
      {"min_resemblance", Fraction("dedup", "min_resemblance", &d.min_resemblance)},
      {"min_containment", Fraction("dedup", "min_containment", &d.min_containment)},
      {"min_containment_shingles",
       Integer("dedup", "min_containment_shingles", &d.min_containment_shingles, 1, 10000)},
      {"min_edited_containment",
       Fraction("dedup", "min_edited_containment", &d.min_edited_containment)},
      {"max_edit_runs", Integer("dedup", "max_edit_runs", &d.max_edit_runs, 0, 1000)},
      {"agency_sources", StringList("dedup", "agency_sources", &d.agency_sources)},
  };
}

// Where a feed table sets `key` (its line), else the [[feed]] header.
const toml::source_region& KeySource(const toml::table& t, std::string_view key) {
  const toml::node* node = t.get(key);
  return node != nullptr ? node->source() : t.source();
}

// The feeds read so far, by id and by URL (SameUrlKey), each with its id and the line that
// set it, so that a second one can point at the first.
struct SeenFeeds {
  std::map<std::string, uint32_t> ids;                           // id -> its line
  std::map<std::string, std::pair<std::string, uint32_t>> urls;  // url -> feed id, line
};

void ReadFeed(const toml::table& t, Config& cfg, SeenFeeds& seen, Checker& c) {
  FeedConfig feed;
  // Errors name the feed when its id can be read: "[[feed]] reuters: interval must be ...".
  const std::optional<std::string> id = t["id"].value<std::string>();
  const std::string label = id && IsValidFeedId(*id) ? "[[feed]] " + *id + ":" : "feed";
  KeyTable keys = {{"id", String("feed", "id", &feed.id)},
                   {"url", String(label, "url", &feed.url)},
                   {"name", String(label, "name", &feed.name)},
                   {"interval", Duration(label, "interval", &feed.interval)},
                   {"enabled", Bool(label, "enabled", &feed.enabled)},
                   {"zoneless_dates", UtcOffset(label, "zoneless_dates", &feed.zoneless_offset)}};
  const size_t errors_before = c.errors();
  ApplyTable(t, "[feed]", keys, c);
  if (c.errors() != errors_before) {
    // Left out, but its id and url are taken: a later feed with either is said now, not at
    // the next start.
    if (IsValidFeedId(feed.id)) seen.ids.emplace(feed.id, KeySource(t, "id").begin.line);
    LowerScheme(&feed.url);
    if (feed.enabled && UrlProblem(feed.url).empty()) {
      seen.urls.emplace(SameUrlKey(feed.url), std::pair{feed.id, KeySource(t, "url").begin.line});
    }
    return;
  }
  feed.interval_set = t.contains("interval");
  if (!IsValidFeedId(feed.id)) {
    return c.Fail(
        KeySource(t, "id"),
        "[[feed]] id must be 1-64 characters of A-Z a-z 0-9 - _ . (got \"" + feed.id + "\")");
  }
  LowerScheme(&feed.url);
  if (const std::string problem = UrlProblem(feed.url); !problem.empty()) {
    return c.Fail(KeySource(t, "url"), "[[feed]] " + feed.id + ": " + problem);
  }
  if (auto [it, added] = seen.ids.emplace(feed.id, KeySource(t, "id").begin.line); !added) {
    return c.Fail(KeySource(t, "id"), "[[feed]] id \"" + feed.id +
                                          "\" is used twice (first at line " +
                                          std::to_string(it->second) + ")");
  }
  if (!feed.enabled) {
    // Kept but not polled: no second poll of its publisher.
  } else if (auto [it, added] = seen.urls.emplace(
                 SameUrlKey(feed.url), std::pair{feed.id, KeySource(t, "url").begin.line});
             !added) {
    return c.Fail(KeySource(t, "url"),
                  "[[feed]] " + feed.id + ": url is already polled as feed " + it->second.first +
                      " (line " + std::to_string(it->second.second) + "; one publisher, one poll)");
  }
  if (feed.name.empty()) feed.name = feed.id;
  cfg.feeds.push_back(std::move(feed));
}

void ReadFeeds(const toml::node& node, Config& cfg, Checker& c) {
  const toml::array* arr = node.as_array();
  if (arr != nullptr && arr->empty()) return;  // "feed = []": no feed, as with none written
  if (!arr || !arr->is_array_of_tables()) {
    return c.Fail(node.source(), "feed must be an array of tables: write [[feed]]");
  }
  SeenFeeds seen;
  for (const toml::node& e : *arr) {
    ReadFeed(*e.as_table(), cfg, seen, c);
  }
}

}  // namespace

void ReadRoot(const toml::table& root, Config& cfg, Checker& c) {
  std::map<std::string, KeyTable, std::less<>> tables = {
      {"daemon", DaemonKeys(cfg)}, {"storage", StorageKeys(cfg)},
      {"fetch", FetchKeys(cfg)},   {"politeness", PolitenessKeys(cfg)},
      {"parse", ParseKeys(cfg)},   {"dedup", DedupKeys(cfg)}};
  for (const auto& [key, node] : root) {
    if (key.str() == "feed") {
      ReadFeeds(node, cfg, c);
    } else if (auto it = tables.find(key.str()); it != tables.end()) {
      if (!node.is_table()) {
        c.Fail(node.source(), "[" + std::string(key.str()) + "] must be a table");
      } else {
        ApplyTable(*node.as_table(), key.str(), it->second, c);
      }
    } else {
      c.Fail(key.source(), "unknown section or key \"" + std::string(key.str()) + "\"");
    }
  }
}

}  // namespace newsd::config
