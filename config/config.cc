// Loading a configuration: defaults, the file, then the checks in their order.

#include "config/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/checks.h"
#include "config/reader.h"

namespace newsd::config {

namespace {

std::string EnvOr(const char* name, const std::string& suffix, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) + suffix : fallback;
}

// Whether TOML `text` holds nothing but blank lines and comments (after a UTF-8 BOM).
bool SetsNothing(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  bool in_comment = false;
  for (const char c : text) {
    if (c == '\n') {
      in_comment = false;
    } else if (!in_comment && c == '#') {
      in_comment = true;
    } else if (!in_comment && c != ' ' && c != '\t' && c != '\r') {
      return false;
    }
  }
  return true;
}

// Line `line` (from 1) of `text`, without its end.
std::string_view LineOf(std::string_view text, uint32_t line) {
  for (uint32_t n = 1; n < line; ++n) {
    const size_t end = text.find('\n');
    if (end == std::string_view::npos) return {};
    text.remove_prefix(end + 1);
  }
  return text.substr(0, text.find('\n'));
}

// What the likely mistake on the line of a TOML syntax error is, when it is a common one:
// a string without its closing quote, or a duration written without quotes. "" otherwise.
std::string SyntaxHint(std::string_view line) {
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && in_string) {
      ++i;
    } else if (line[i] == '"') {
      in_string = !in_string;
    } else if (line[i] == '#' && !in_string) {
      break;
    }
  }
  if (in_string) return " (a string on this line lacks its closing quote)";
  const size_t eq = line.find('=');
  if (eq == std::string_view::npos) return "";
  std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
      s.remove_suffix(1);
    }
    return s;
  };
  key = trim(key);
  value = trim(value.substr(0, value.find('#')));
  size_t digits = 0;
  while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
  const bool letters = digits > 0 && digits < value.size() &&
                       std::all_of(value.begin() + static_cast<ptrdiff_t>(digits), value.end(),
                                   [](char c) { return c >= 'a' && c <= 'z'; });
  if (!letters) return "";
  return " (a duration is a string: write " + std::string(key) + " = \"" + std::string(value) +
         "\")";
}

// Records every key under `table` but the feeds as `prefix` + its dotted name (see
// Config::settings).
void CollectSettings(const toml::table& table, const std::string& prefix,
                     std::map<std::string, std::string>* out) {
  for (const auto& [key, node] : table) {
    const std::string name = prefix + std::string(key.str());
    if (prefix.empty() && name == "feed") continue;  // [[feed]]s are compared feed by feed
    if (const toml::table* inner = node.as_table()) {
      CollectSettings(*inner, name + ".", out);
      continue;
    }
    std::ostringstream text;
    node.visit([&text](const auto& value) { text << value; });
    (*out)[name] = text.str();
  }
}

// Whether `a` and `b` read [section] alike (the same options).
bool SameSection(const Config& a, const Config& b, std::string_view section) {
  if (section == "daemon") return a.daemon == b.daemon;
  if (section == "storage") return a.storage == b.storage;
  if (section == "fetch") return a.fetch == b.fetch;
  if (section == "politeness") return a.politeness == b.politeness;
  if (section == "parse") return a.parse == b.parse;
  if (section == "dedup") return a.dedup == b.dedup;
  return false;
}

// Whether [section] `key` means the same in `a` and `b` though spelled otherwise ("0s" and
// "0m", or a default written out against none): each read alone, over the defaults. A value
// that cannot be read alone (a rule across keys refuses it) counts as changed.
bool SameValue(const Config& a, const Config& b, std::string_view section, const std::string& key) {
  const std::string name = std::string(section) + "." + key;
  auto alone = [&](const Config& c) {
    std::string doc = "[" + std::string(section) + "]\n";
    if (auto it = c.settings.find(name); it != c.settings.end()) {
      doc += key + " = " + it->second + "\n";
    }
    return LoadString(doc, "(one key)");
  };
  const auto x = alone(a), y = alone(b);
  return x && y && SameSection(*x, *y, section);
}

}  // namespace

std::vector<std::string> ChangedKeys(const Config& a, const Config& b, std::string_view section) {
  const std::string prefix = std::string(section) + ".";
  auto in_section = [&prefix](const auto& entry) {
    return std::string_view(entry.first).substr(0, prefix.size()) == prefix;
  };
  std::vector<std::string> out;
  auto note = [&](const std::string& name) { out.push_back(name.substr(prefix.size())); };
  for (const auto& entry : a.settings) {
    if (!in_section(entry)) continue;
    auto other = b.settings.find(entry.first);
    if (other == b.settings.end() || other->second != entry.second) note(entry.first);
  }
  for (const auto& entry : b.settings) {
    if (in_section(entry) && a.settings.count(entry.first) == 0) note(entry.first);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::erase_if(out, [&](const std::string& key) { return SameValue(a, b, section, key); });
  return out;
}

parse::Options FeedParseOptions(const parse::Options& base, const FeedConfig& feed) {
  parse::Options options = base;
  if (feed.zoneless_offset) options.zoneless_offset = *feed.zoneless_offset;
  return options;
}

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
    checker.Fail(e.source(), "TOML syntax error: " + std::string(e.description()) +
                                 SyntaxHint(LineOf(text, e.source().begin.line)));
  }
  if (!checker.ok()) return Err(checker.status());
  if (Status s = Validate(cfg, source_name, root); !s.ok()) return Err(s);
  CollectSettings(root, "", &cfg.settings);
  cfg.storage.data_dir = cfg.daemon.data_dir;
  cfg.data_dir_at = cfg.path;
  if (const toml::node* key = root.at_path("daemon.data_dir").node(); key != nullptr) {
    cfg.data_dir_at += ":" + std::to_string(key->source().begin.line);
  }
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
  const std::string text = ss.str();
  if (SetsNothing(text)) {
    return Err(Status::InvalidArgument(
        path +
        ": the file is empty (or comments only): refused, so that a file cut short "
        "cannot stop every feed; it needs at least one setting or [[feed]] "
        "(config/newsd.example.toml shows them all)"));
  }
  return LoadString(text, path);
}

}  // namespace newsd::config
