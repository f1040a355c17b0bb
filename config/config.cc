#include "config/config.h"

#include <sys/un.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "core/time.h"

namespace newsd::config {

namespace {

// Keys nested deeper than this (dotted keys, table headers) are refused before parsing: the
// TOML library builds one table per level recursively, and a line of 50,000 dotted parts
// overflowed the stack (newsd crashed, the running daemon too when it was reloaded).
constexpr size_t kMaxKeyDepth = 32;
// Dots outside strings and comments on one line: enough for any real line (a float is one).
constexpr size_t kMaxLineDots = 256;

/// Collects the first error with its file:line.
class Checker {
 public:
  explicit Checker(std::string_view file) : file_(file) {}

  void Fail(const toml::source_region& where, const std::string& reason) {
    if (!status_.ok()) return;
    std::string msg = file_;
    if (where.begin.line > 0) msg += ":" + std::to_string(where.begin.line);
    status_ = Status::InvalidArgument(msg + ": " + reason);
  }
  bool ok() const { return status_.ok(); }
  Status status() const { return status_; }

 private:
  std::string file_;
  Status status_;
};

using Setter = std::function<void(const toml::node&, Checker&)>;
using KeyTable = std::map<std::string, Setter, std::less<>>;

std::string Where(std::string_view table, std::string_view key) {
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
    char* end = nullptr;
    const long number = port.empty() ? -1 : std::strtol(port.c_str(), &end, 10);
    if (!loopback || number < 0 || number > 65535 || *end != '\0') {
      return c.Fail(n.source(), name +
                                    " must be \"127.0.0.1:PORT\", \"[::1]:PORT\" or "
                                    "\"localhost:PORT\" (metrics are served on loopback only), "
                                    "or \"\" for off");
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

/// A duration string ("30m"); stored as seconds, or milliseconds when `millis`.
template <class T>
Setter Duration(std::string_view table, std::string_view key, T* out, bool millis = false) {
  std::string name = Where(table, key);
  return [name, out, millis](const toml::node& n, Checker& c) {
    auto s = n.value<std::string>();
    auto secs = s ? ParseDuration(*s) : std::nullopt;
    if (!secs) {
      return c.Fail(n.source(), name +
                                    " must be a duration such as \"90s\", \"30m\", \"1h\" or "
                                    "\"2d\"");
    }
    *out = static_cast<T>(millis ? *secs * 1000 : *secs);
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
      return;
    }
    it->second(node, c);
    if (!c.ok()) return;
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
      {"max_body_bytes", Integer("fetch", "max_body_bytes", &f.max_body_bytes, 1024, 1LL << 31)},
      {"max_redirects", Integer("fetch", "max_redirects", &f.max_redirects, 0, 20)},
      {"max_connections", Integer("fetch", "max_connections", &f.max_total_connections, 1, 4096)},
      {"allow_private", Bool("fetch", "allow_private", &f.allow_private)},
      {"proxy", String("fetch", "proxy", &f.proxy)},
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
          {"max_depth", Integer("parse", "max_depth", &p.max_depth, 8, 4096)}};
}

KeyTable DedupKeys(Config& cfg) {
  dedup::Options& d = cfg.dedup;
  return {
      {"window", Duration("dedup", "window", &d.window_seconds)},
      {"min_resemblance", Fraction("dedup", "min_resemblance", &d.min_resemblance)},
      {"min_containment", Fraction("dedup", "min_containment", &d.min_containment)},
      {"min_containment_shingles",
       Integer("dedup", "min_containment_shingles", &d.min_containment_shingles, 1, 10000)},
      {"agency_sources", StringList("dedup", "agency_sources", &d.agency_sources)},
  };
}

// Lower-cases a URL's scheme (schemes are case-insensitive; "HTTP://" is http://).
void LowerScheme(std::string* url) {
  const size_t colon = url->find("://");
  if (colon == std::string::npos) return;
  for (size_t i = 0; i < colon; ++i) {
    char& ch = (*url)[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
}

bool IsDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// Why `url` (scheme lower-cased) can never be fetched; "" when it may be.
std::string UrlProblem(std::string_view url) {
  if (url.empty()) return "url is missing";
  if (std::any_of(url.begin(), url.end(),
                  [](char ch) { return static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f; })) {
    return "url must not contain spaces or control characters (write a space as %20)";
  }
  if (url.substr(0, 7) == "file://") {
    std::string host(url.substr(7, url.find('/', 7) - std::min<size_t>(7, url.size())));
    for (char& ch : host) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    if (url.find('/', 7) == std::string_view::npos ||
        !(host.empty() || host == "localhost" || host == "127.0.0.1")) {
      return "a file:// url names an absolute path on this machine: file:///path/to/feed.xml";
    }
    return "";
  }
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
  } else {
    return "url must start with http://, https:// or file://";
  }
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

// Where a feed table sets `key` (its line), else the [[feed]] header.
const toml::source_region& KeySource(const toml::table& t, std::string_view key) {
  const toml::node* node = t.get(key);
  return node != nullptr ? node->source() : t.source();
}

void ReadFeed(const toml::table& t, Config& cfg, std::map<std::string, std::string>& urls,
              std::set<std::string>& ids, Checker& c) {
  FeedConfig feed;
  KeyTable keys = {{"id", String("feed", "id", &feed.id)},
                   {"url", String("feed", "url", &feed.url)},
                   {"name", String("feed", "name", &feed.name)},
                   {"interval", Duration("feed", "interval", &feed.interval)},
                   {"enabled", Bool("feed", "enabled", &feed.enabled)}};
  ApplyTable(t, "[feed]", keys, c);
  if (!c.ok()) return;
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
  if (!ids.insert(feed.id).second) {
    return c.Fail(KeySource(t, "id"), "[[feed]] id \"" + feed.id + "\" is used twice");
  }
  if (!feed.enabled) {
    // Kept but not polled: no second poll of its publisher.
  } else if (auto [it, added] = urls.emplace(SameUrlKey(feed.url), feed.id); !added) {
    return c.Fail(KeySource(t, "url"), "[[feed]] " + feed.id + ": url is already polled as feed " +
                                           it->second + " (one publisher, one poll)");
  }
  if (feed.name.empty()) feed.name = feed.id;
  cfg.feeds.push_back(std::move(feed));
}

void ReadFeeds(const toml::node& node, Config& cfg, Checker& c) {
  const toml::array* arr = node.as_array();
  if (!arr || !arr->is_array_of_tables()) {
    return c.Fail(node.source(), "feed must be an array of tables: write [[feed]]");
  }
  std::set<std::string> ids;
  std::map<std::string, std::string> urls;  // url -> feed id
  for (const toml::node& e : *arr) {
    ReadFeed(*e.as_table(), cfg, urls, ids, c);
    if (!c.ok()) return;
  }
}

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
    if (!c.ok()) return;
  }
}

// "file:line: " when the file sets `path` ("section.key"), else "file: " (a default).
std::string At(std::string_view file, const toml::table& root, std::string_view path) {
  const toml::node* node = root.at_path(path).node();
  if (node == nullptr || !node->source().begin) return std::string(file) + ": ";
  return std::string(file) + ":" + std::to_string(node->source().begin.line) + ": ";
}

bool Sets(const toml::table& root, std::string_view path) {
  return root.at_path(path).node() != nullptr;
}

bool HasControlCharacter(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
}

// Rules across keys, each error pointing at the key the file sets (root: the parsed file).
Status Validate(const Config& cfg, std::string_view file, const toml::table& root) {
  static const std::set<std::string, std::less<>> kLevels = {"trace", "debug", "info",
                                                             "warn",  "error", "off"};
  auto fail = [&](std::string_view path, const std::string& why) {
    return Status::InvalidArgument(At(file, root, path) + why);
  };
  if (!kLevels.count(cfg.daemon.log_level)) {
    return fail("daemon.log_level",
                "[daemon] log_level must be one of trace, debug, info, warn, error, off");
  }
  const PolitenessOptions& p = cfg.politeness;
  if (p.max_interval < p.min_interval) {
    return Sets(root, "politeness.max_interval")
               ? fail("politeness.max_interval",
                      "[politeness] max_interval must not be below min_interval")
               : fail("politeness.min_interval",
                      "[politeness] min_interval must not be above max_interval (" +
                          std::to_string(p.max_interval) + " s)");
  }
  // Every request has a time limit (0 would mean none: a trickling server holds a poll
  // forever). A connect_timeout of 0 is curl's default (300 s), within that limit.
  if (cfg.fetch.total_timeout_ms <= 0) {
    return fail("fetch.timeout",
                "[fetch] timeout must be longer than 0s (every request needs "
                "a time limit)");
  }
  if (p.backoff_cap <= 0) {
    return fail("politeness.backoff_cap", "[politeness] backoff_cap must be longer than 0s");
  }
  // A window of 0 compares nothing: every item would be a story of its own.
  if (cfg.dedup.window_seconds <= 0) {
    return fail("dedup.window",
                "[dedup] window must be longer than 0s (copies follow their "
                "story by minutes to days; the default is 72h)");
  }
  const int64_t retention = cfg.storage.retention_seconds;
  if (retention > 0 && retention < 2 * cfg.dedup.window_seconds) {
    return fail(Sets(root, "storage.retention") ? "storage.retention" : "dedup.window",
                "[storage] retention must be \"0d\" (keep everything) or at least twice [dedup] "
                "window (stories still matched against new copies must stay)");
  }
  if (retention > 0 && cfg.storage.seen_grace_seconds <= 0) {
    return fail(Sets(root, "storage.seen_grace") ? "storage.seen_grace" : "storage.retention",
                "[storage] seen_grace must be longer than 0s while retention is on (an expired "
                "item that a feed still lists would be ingested again as new)");
  }
  if (cfg.daemon.data_dir.empty()) {
    return fail("daemon.data_dir", "[daemon] data_dir must not be empty");
  }
  // A Unix socket path has room for 107 bytes (sun_path); an empty one would bind an
  // abstract socket newsctl cannot name.
  const size_t max_socket = sizeof(sockaddr_un{}.sun_path) - 1;
  if (cfg.daemon.admin_socket.empty() || cfg.daemon.admin_socket.size() > max_socket) {
    return fail("daemon.admin_socket", "[daemon] admin_socket must be a path of 1 to " +
                                           std::to_string(max_socket) + " bytes (it is " +
                                           std::to_string(cfg.daemon.admin_socket.size()) + ")");
  }
  if (HasControlCharacter(cfg.fetch.user_agent)) {
    return fail("fetch.user_agent",
                "[fetch] user_agent must not contain control characters (CR, LF, tab, ...)");
  }
  return Status::Ok();
}

std::string EnvOr(const char* name, const std::string& suffix, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) + suffix : fallback;
}

// The first line of `text` whose key has more than kMaxKeyDepth dotted parts, or that holds
// more than kMaxLineDots dots outside strings and comments (dotted keys inside an inline
// table, `y = {x.x.x... = 1}`, nest as deep); line 0 if none. Strings
// are skipped with their escapes, multi-line ones (""" and ''') across lines.
struct TooDeep {
  size_t line = 0;   ///< 0: none
  size_t count = 0;  ///< dotted parts of the key, or dots on the line
  bool key = true;   ///< the key is too deep (else the line has too many dots)
};
TooDeep TooDeepKey(std::string_view text) {
  enum class In { kNone, kBasic, kLiteral, kMultiBasic, kMultiLiteral, kComment };
  In in = In::kNone;
  size_t line = 1, key_dots = 0, line_dots = 0;
  bool in_key = true;  // before the line's first '=' (or in a [table] header)
  auto starts = [&](size_t i, std::string_view what) { return text.substr(i, 3) == what; };
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : '\n';
    if (c == '\n') {
      if (key_dots + 1 > kMaxKeyDepth) return {line, key_dots + 1, true};
      if (line_dots > kMaxLineDots) return {line, line_dots, false};
      ++line;
      key_dots = line_dots = 0;
      in_key = true;
      if (in != In::kMultiBasic && in != In::kMultiLiteral) in = In::kNone;
      continue;
    }
    switch (in) {
      case In::kComment:
        continue;
      case In::kBasic:
      case In::kMultiBasic:
        if (c == '\\') {
          ++i;  // an escaped character: "\"" does not end the string
        } else if (in == In::kBasic ? c == '"' : starts(i, "\"\"\"")) {
          if (in == In::kMultiBasic) i += 2;
          in = In::kNone;
        }
        continue;
      case In::kLiteral:
      case In::kMultiLiteral:
        if (in == In::kLiteral ? c == '\'' : starts(i, "'''")) {
          if (in == In::kMultiLiteral) i += 2;
          in = In::kNone;
        }
        continue;
      case In::kNone:
        break;
    }
    if (starts(i, "\"\"\"")) {
      in = In::kMultiBasic;
      i += 2;
    } else if (starts(i, "'''")) {
      in = In::kMultiLiteral;
      i += 2;
    } else if (c == '"') {
      in = In::kBasic;
    } else if (c == '\'') {
      in = In::kLiteral;
    } else if (c == '#') {
      in = In::kComment;
    } else if (c == '=' || c == ']') {
      in_key = false;
    } else if (c == '.') {
      ++line_dots;
      key_dots += in_key ? 1 : 0;
    }
  }
  return {};
}

}  // namespace

Config Defaults() {
  Config cfg;
  cfg.daemon.data_dir = EnvOr("STATE_DIRECTORY", "", "/var/lib/newsd");
  cfg.daemon.admin_socket = EnvOr("RUNTIME_DIRECTORY", "/admin.sock", "/run/newsd/admin.sock");
  return cfg;
}

Result<Config> LoadString(std::string_view text, std::string_view source_name) {
  Config cfg = Defaults();
  cfg.path = std::string(source_name);
  Checker checker(source_name);
  toml::table root;
  if (const TooDeep deep = TooDeepKey(text); deep.line > 0) {
    const std::string where = std::string(source_name) + ":" + std::to_string(deep.line) + ": ";
    return Err(Status::InvalidArgument(
        deep.key ? where + "a key of " + std::to_string(deep.count) + " dotted parts (at most " +
                       std::to_string(kMaxKeyDepth) + ")"
                 : where + std::to_string(deep.count) + " dots outside strings (at most " +
                       std::to_string(kMaxLineDots) + "): keys nested that deep are refused"));
  }
  try {
    root = toml::parse(text, source_name);
    ReadRoot(root, cfg, checker);
  } catch (const toml::parse_error& e) {
    checker.Fail(e.source(), "TOML syntax error: " + std::string(e.description()));
  }
  if (!checker.ok()) return Err(checker.status());
  if (Status s = Validate(cfg, source_name, root); !s.ok()) return Err(s);
  cfg.storage.data_dir = cfg.daemon.data_dir;
  return cfg;
}

Result<Config> LoadFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Err(Status::InvalidArgument(path + ": is a directory, not a configuration file"));
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    const std::string why = path + ": cannot open the configuration file" +
                            (err != 0 ? std::string(": ") + std::strerror(err) : std::string());
    if (err == EACCES || err == EPERM) return Err(Status::PermissionDenied(why));
    return Err(Status::NotFound(why));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Err(Status::IOError(path + ": read error"));
  return LoadString(ss.str(), path);
}

std::string SameUrlKey(std::string_view url) {
  const size_t start = url.find("://");
  if (start == std::string_view::npos) return std::string(url);
  if (url.substr(0, 4) == "file") {  // file://localhost/p (or 127.0.0.1) names file:///p
    const size_t path = url.find('/', start + 3);
    if (path == std::string_view::npos) return std::string(url);
    std::string host(url.substr(start + 3, path - start - 3));
    for (char& ch : host) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    return host.empty() || host == "localhost" || host == "127.0.0.1"
               ? "file://" + std::string(url.substr(path))
               : std::string(url);
  }
  url = url.substr(0, std::min(url.find('#'), url.size()));  // the fragment is never sent
  const size_t end = std::min(url.find_first_of("/?", start + 3), url.size());
  std::string key(url.substr(0, end));
  for (char& ch : key) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  // A port's leading zeros ("080" is 80), after the host (an IPv6 host ends with ']').
  // (The port's ':' follows the host: after any "user:password@".)
  const size_t at = key.rfind('@');
  const size_t host = at == std::string::npos ? start + 3 : at + 1;
  const size_t colon = key.rfind(':');
  if (colon != std::string::npos && colon > host && key.find(']', colon) == std::string::npos) {
    size_t first = colon + 1;
    while (first + 1 < key.size() && key[first] == '0') ++first;
    key.erase(colon + 1, first - colon - 1);
  }
  for (std::string_view port : {key.starts_with("http:") ? ":80" : ":443", ":"}) {
    if (key.size() > start + 3 + port.size() && key.ends_with(port)) {
      key.resize(key.size() - port.size());
    }
  }
  // The path without "./" segments ("/./feed.xml" is "/feed.xml"); the query as given.
  std::string_view rest = url.substr(end);
  const size_t query = std::min(rest.find('?'), rest.size());
  std::string path(rest.substr(0, query));
  for (size_t at; (at = path.find("/./")) != std::string::npos;) path.erase(at, 2);
  if (path.ends_with("/.")) path.pop_back();
  key += path.empty() ? "/" : path;
  key += rest.substr(query);
  return key;
}

std::string FeedUrlProblem(std::string_view url) {
  std::string lowered(url);
  LowerScheme(&lowered);
  return UrlProblem(lowered);
}

}  // namespace newsd::config
