#include "newsctl/render.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <iomanip>

#include "core/time.h"
#include "parse/entities.h"
#include "parse/text.h"

namespace newsd::newsctl {

using nlohmann::json;

namespace {

/// Display width of UTF-8 text, counting code points (good enough for Latin and Cyrillic).
size_t Width(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string Cut(const std::string& s, size_t max) {
  if (max == 0 || Width(s) <= max) return s;
  size_t cps = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((s[i] & 0xC0) != 0x80 && ++cps == max) break;
  }
  return s.substr(0, i) + "…";
}

bool g_cut_cells = true;

}  // namespace

void Table::SetCutting(bool cut) { g_cut_cells = cut; }

namespace {

// True when `s` starts with an explicit bidirectional embedding, override or isolate (U+202A-
// U+202E, U+2066-U+2069): "\u202E" in a title prints the rest of its row, and the columns after
// it, right to left. The marks U+200E and U+200F reorder nothing and stay.
bool IsBidiControl(std::string_view s) {
  if (s.size() < 3 || s[0] != '\xE2') return false;
  const auto b1 = static_cast<unsigned char>(s[1]);
  const auto b2 = static_cast<unsigned char>(s[2]);
  return (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9);
}

}  // namespace

std::string Printable(std::string_view s, bool keep_lines) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\t' || c == '\n' || c == '\r') {
      out += keep_lines && c != '\r' ? static_cast<char>(c) : ' ';  // else one row per item
    } else if (c < 0x20 || c == 0x7F) {
      out += "\xEF\xBF\xBD";  // ESC, BEL, ...: never sent to the terminal
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += "\xEF\xBF\xBD";  // a C1 control (U+0080-U+009F), CSI among them
      ++i;
    } else if (IsBidiControl(s.substr(i))) {
      out += "\xEF\xBF\xBD";  // would reorder the rest of the line, columns after it too
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string Str(const json& j, const char* key, const std::string& fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_string()) return Printable(it->get_ref<const std::string&>());
  return it->dump();
}

namespace {

// True when `tag` (what follows '<' up to '>') is an HTML element a title may carry inline.
bool IsInlineTag(std::string_view tag) {
  if (!tag.empty() && tag.front() == '/') tag.remove_prefix(1);
  size_t n = 0;
  while (n < tag.size() && std::isalpha(static_cast<unsigned char>(tag[n])) != 0) ++n;
  // Well formed: the name alone, "/" after it, or attributes ("a href=..."), not "a<b and c>d".
  const std::string_view rest = tag.substr(n);
  if (n == 0 || !(rest.empty() || rest == "/" || rest == " /" ||
                  (rest.front() == ' ' && rest.find('=') != std::string_view::npos))) {
    return false;
  }
  std::string name(tag.substr(0, n));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::string_view kInline[] = {"a",      "b",    "i",     "u",    "em",
                                                 "strong", "span", "font",  "br",   "p",
                                                 "sup",    "sub",  "small", "mark", "q"};
  return std::find(std::begin(kInline), std::end(kInline), name) != std::end(kInline);
}

// True for an inline tag (IsInlineTag) that breaks the line: <br>, <p>, </p>.
bool IsBreakTag(std::string_view tag) {
  if (!tag.empty() && tag.front() == '/') tag.remove_prefix(1);
  const size_t n = std::min(tag.find_first_of(" /"), tag.size());
  std::string name(tag.substr(0, n));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name == "br" || name == "p";
}

}  // namespace

std::string Title(const json& j, const char* key) {
  std::string raw = Str(j, key);
  std::string text;
  for (size_t i = 0; i < raw.size(); ++i) {
    const size_t close = raw[i] == '<' ? raw.find('>', i) : std::string::npos;
    const std::string_view tag =
        close != std::string::npos ? std::string_view(raw).substr(i + 1, close - i - 1) : "";
    if (close != std::string::npos && IsInlineTag(tag)) {
      // "<b>BREAKING</b>: ..." reads "BREAKING: ...": only a break or a paragraph is a space.
      if (IsBreakTag(tag)) text += ' ';
      i = close;
    } else {
      text += raw[i];
    }
  }
  for (int pass = 0; pass < 2 && text.find('&') != std::string::npos; ++pass) {
    std::string decoded;
    parse::AppendHtmlUnescaped(text, &decoded);
    text = std::move(decoded);
  }
  std::string out;
  for (const char c : Printable(text)) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Table::Table(std::vector<std::string> header, std::vector<size_t> max_width)
    : header_(std::move(header)), max_width_(std::move(max_width)) {
  max_width_.resize(header_.size(), 0);
}

void Table::Add(std::vector<std::string> row) {
  row.resize(header_.size());
  if (g_cut_cells) {
    for (size_t i = 0; i < row.size(); ++i) row[i] = Cut(row[i], max_width_[i]);
  }
  rows_.push_back(std::move(row));
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(header_.size());
  for (size_t i = 0; i < header_.size(); ++i) widths[i] = Width(header_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], Width(row[i]));
  }
  auto line = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      out << row[i];
      if (i + 1 < row.size()) out << std::string(widths[i] - Width(row[i]) + 2, ' ');
    }
    out << '\n';
  };
  line(header_);
  for (const auto& row : rows_) line(row);
}

void PrintStories(const json& result, std::ostream& out) {
  // Ids are never cut: they are what an operator pastes into the next command.
  Table t({"STORY", "TIME", "COPIES", "SOURCE", "TITLE"}, {0, 0, 0, 20, 60});
  for (const json& s : result.value("stories", json::array())) {
    t.Add({Str(s, "id"), Str(s, "time"), Str(s, "copies"), Str(s, "source"), Title(s)});
  }
  t.Print(out);
}

void PrintStory(const json& result, std::ostream& out) {
  const json& story = result["story"];
  out << "Story " << Str(story, "id") << ": " << Title(story) << "\n"
      << "  " << Str(story, "copies") << (Str(story, "copies") == "1" ? " copy, " : " copies, ");
  if (story.value("first_published", json()).is_string()) {
    out << "first published " << Str(story, "first_published") << " by "
        << Str(story, "first_published_by");
  } else {
    out << "first seen " << Str(story, "time");
  }
  out << ", canonical from " << Str(story, "source") << "\n\n";
  Table t({"", "OUTLET", "PUBLISHED", "MATCH", "TITLE", "URL"}, {0, 20, 0, 0, 50, 0});
  bool any_revised = false;
  for (const json& item : result.value("items", json::array())) {
    char sim[32];
    std::snprintf(sim, sizeof sim, "%s %.2f", Str(item, "path").c_str(),
                  item.value("similarity", 0.0));
    const bool revised = item.value("revised", json()).is_string();
    any_revised = any_revised || revised;
    const std::string mark = std::string(item.value("canonical", false) ? "*" : "") +
                             (revised ? "r" : (item.value("canonical", false) ? "" : " "));
    t.Add({mark, Str(item, "source"), Str(item, "published"), sim, Title(item), Str(item, "url")});
  }
  t.Print(out);
  out << "\n* canonical copy\n";
  if (any_revised)
    out << "r revised: a later version (its feed's correction, a reparse) replaced its words\n";
  for (const json& item : result.value("items", json::array())) {
    if (!item.contains("text")) continue;
    // A feed's HTML as its text; an import's plain text as it is, its paragraphs kept.
    std::string text = item.value("text", std::string());
    if (parse::LooksLikeHtml(text)) text = parse::HtmlToText(text);
    out << "\n"
        << (item.value("canonical", false) ? "* " : "") << Str(item, "source") << "  "
        << Str(item, "url") << "\n"
        << Printable(text, /*keep_lines=*/true) << "\n";
  }
}

void PrintFeeds(const json& result, std::ostream& out) {
  Table t({"FEED", "FROM", "STATE", "LAST FETCH", "NEXT FETCH", "HTTP", "NEW ITEMS", "WHY", "URL"},
          {0, 0, 0, 0, 0, 0, 0, 50, 60});  // ids whole
  for (const json& f : result.value("feeds", json::array())) {
    std::string why = Str(f, "state_reason", "");
    if (why.empty()) why = Str(f, "last_error", "");
    if (why.empty()) why = Str(f, "warning", "");
    t.Add({Str(f, "id"), Str(f, "origin", "config"), Str(f, "state", ""), Str(f, "last_fetch"),
           Str(f, "next_fetch"),
           f.value("last_http_status", 0) == 0 ? "-" : Str(f, "last_http_status"),  // no answer
           Str(f, "items_new"), why, Str(f, "url")});
  }
  t.Print(out);
}

void PrintFeedChange(const std::string& cmd, const json& result, std::ostream& out,
                     std::ostream& err) {
  if (cmd == "feeds.add") {
    for (const json& f : result.value("added", json::array())) {
      out << "added " << Str(f, "id") << "  " << Str(f, "url") << "\n";
      if (const std::string note = Str(f, "note", ""); !note.empty()) out << "  " << note << "\n";
    }
    for (const json& f : result.value("skipped", json::array())) {
      err << "newsctl: skipped " << Str(f, "url") << ": " << Str(f, "reason") << "\n";
    }
    out << result.value("added", json::array()).size() << " added, "
        << result.value("skipped", json::array()).size() << " skipped\n";
  } else if (cmd == "feeds.remove") {
    if (const std::string file = Str(result, "declared_in", ""); !file.empty()) {
      const std::string id = Str(result, "removed");
      out << "forgot " << id << " as added with newsctl; " << file << " declares it, and "
          << (result.value("paused", false)
                  ? "that one is kept, paused with newsctl (`newsctl feeds resume " + id +
                        "` polls it)"
                  : std::string("that one is polled"))
          << "\n";
    } else {
      out << "removed " << Str(result, "removed") << " (its stories stay in the archive)\n";
    }
  } else if (cmd == "feeds.poll") {
    const std::string held = Str(result, "held_by", "");
    out << Str(result, "id")
        << (result.value("under_way", false) ? " is being polled now"
            : held.empty()                   ? " is polled now"
                           : " is polled at " + Str(result, "at") + " (held by " + held + ")")
        << "\n";
  } else if (result.value("unchanged", false)) {
    out << Str(result, "id")
        << (result.value("paused", false) ? " was paused already" : " was not paused") << "\n";
  } else {
    out << Str(result, "id") << (result.value("paused", false) ? " paused" : " resumed")
        << (result.value("revived", false)
                ? ": no longer gone or dead, polled again at its next turn (`newsctl feeds show " +
                      Str(result, "id") + "` says when)"
                : "")
        << "\n";
  }
}

void PrintSearch(const json& result, std::ostream& out) {
  Table t({"STORY", "TIME", "OUTLET", "TITLE", "ITEM"}, {0, 0, 20, 60, 0});  // ids whole
  const json items = result.value("items", json::array());
  for (const json& item : items) {
    t.Add({Str(item, "story"), Str(item, "story_time"), Str(item, "source"), Title(item),
           Str(item, "id")});
  }
  t.Print(out);
  out << items.size() << (items.size() == 1 ? " item" : " items") << " in "
      << Str(result, "scanned") << " stories searched";
  const std::string stopped = Str(result, "stopped");
  if (result.value("complete", true)) {
    out << " (the whole archive)";
  } else if (stopped == "limit") {
    out << "; more may match: raise --limit";
  } else if (stopped == "bytes") {
    out << "; more may match, but a reply holds at most 16 MiB of text: search for a longer "
           "phrase";
  } else {
    out << "; only the newest stories were searched: search for a longer phrase";
  }
  out << "\n";
}

namespace {

// A host's smallest gap between two requests: "250 ms", "1.5 s", or as the intervals beside it
// ("5m") from a minute on.
std::string FormatGap(int64_t ms) {
  if (ms < 0) return "-";
  if (ms < 1000) return std::to_string(ms) + " ms";
  const int64_t tenths = (ms + 50) / 100;  // as "%.1f" would round
  if (tenths >= 600) return FormatDuration((ms + 500) / 1000);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%lld s", static_cast<long long>(tenths / 10),
                static_cast<long long>(tenths % 10));
  return buf;
}

}  // namespace

void PrintHosts(const json& result, std::ostream& out) {
  Table t({"HOST", "REQUESTS", "CONDITIONAL", "304", "MIN GAP", "MIN FEED INTERVAL", "429/503",
           "RETRY-AFTER HONOURED", "BLOCKED UNTIL"},
          {40, 0, 0, 0, 0, 0, 0, 0, 0});
  auto percent = [](const json& h, const char* key) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * h.value(key, 0.0));
    return std::string(buf);
  };
  for (const json& h : result.value("hosts", json::array())) {
    const int64_t gap_ms = h.value("min_gap_ms", int64_t{-1});
    const int64_t feed_gap = h.value("min_feed_interval_s", int64_t{-1});
    t.Add({Str(h, "host"), Str(h, "requests"), percent(h, "conditional_share"),
           percent(h, "not_modified_ratio"), FormatGap(gap_ms),
           feed_gap < 0 ? "-" : FormatDuration(feed_gap),
           Str(h, "throttled") + " (" + Str(h, "retry_after") + " with Retry-After)",
           h.value("retry_after_honoured", true)
               ? "yes"
               : "NO (" + Str(h, "retry_after_violations") + " early)",
           Str(h, "blocked_until", "")});
  }
  t.Print(out);
}

void PrintBackup(const json& result, std::ostream& out) {
  const std::string dir = Str(result, "dir");
  char size[64];
  std::snprintf(size, sizeof(size), "%.1f MiB in %.2f s",
                static_cast<double>(result.value("bytes", uint64_t{0})) / 1048576.0,
                result.value("seconds", 0.0));
  out << "backup written to " << dir << ": " << Str(result, "files") << " files, " << size << "\n"
      << "restore: stop newsd, move the archive aside, then\n"
      << "  newsctl --db DATA_DIR restore " << dir << "\n";
}

void PrintReparse(const json& result, std::ostream& out) {
  const bool dry_run = result.value("dry_run", false);
  out << "feed " << Str(result, "feed") << ": " << Str(result, "bodies")
      << " raw bodies parsed again (" << Str(result, "unreadable") << " unreadable), "
      << Str(result, "entries") << " entries: " << Str(result, "added") << " added, "
      << Str(result, "updated") << " updated, " << Str(result, "unchanged") << " unchanged\n";
  for (const json& error : result.value("errors", json::array())) {
    out << "  " << (error.is_string() ? error.get<std::string>() : error.dump()) << "\n";
  }
  if (dry_run) out << "dry run: nothing was stored\n";
}

// What set a feed's adaptive interval: " (configured 1m; feed hints 12h; HTTP freshness 2h)",
// the parts that are known.
std::string IntervalCauses(const json& feed) {
  std::string causes;
  for (const auto& [key, name] :
       {std::pair{"interval_configured", "configured"},
        std::pair{"interval_hinted", "feed hints (ttl, sy:updatePeriod, item rate)"},
        std::pair{"interval_fresh", "HTTP freshness (max-age, Expires)"}}) {
    const int64_t seconds = feed.value(key, int64_t{0});
    if (seconds <= 0) continue;
    causes += (causes.empty() ? " (" : "; ") + std::string(name) + " " + FormatDuration(seconds);
  }
  return causes.empty() ? causes : causes + ")";
}

void PrintFeed(const json& result, std::ostream& out) {
  const json feed = result.value("feed", json::object());
  out << "Feed " << Str(feed, "id") << ": " << Str(feed, "state");
  if (const std::string why = Str(feed, "state_reason", ""); !why.empty())
    out << " (" << why << ")";
  out << "\n";
  for (const char* key : {"url",
                          "config_url",
                          "etag",
                          "last_modified",
                          "last_fetch",
                          "last_ok",
                          "next_fetch",
                          "last_http_status",
                          "last_error",
                          "consecutive_failures",
                          "failing_since",
                          "retry_until",
                          "interval",
                          "item_gap",
                          "last_new_items",
                          "fetches",
                          "items_new",
                          "moved_to",
                          "warning",
                          "content_encoding",
                          "zoneless_dates"}) {
    std::string value = Str(feed, key, "");
    if (std::strcmp(key, "interval") == 0 || std::strcmp(key, "item_gap") == 0) {
      const int64_t seconds = feed.value(key, int64_t{0});
      value = seconds > 0 ? FormatDuration(seconds) : "";
      if (std::strcmp(key, "interval") == 0 && seconds > 0) value += IntervalCauses(feed);
    }
    if (std::strcmp(key, "moved_to") == 0 && !value.empty()) {
      // Not followed yet: the move is confirmed over several polls.
      const auto seen = feed.value("moved_seen", uint64_t{0});
      value += " (permanent redirect seen on " + std::to_string(seen) +
               (seen == 1 ? " poll" : " polls") +
               " so far: the url changes once [politeness] redirect_confirmations confirm it)";
    }
    if (std::strcmp(key, "content_encoding") == 0 && !value.empty()) {
      value.insert(0, "\"");
      value += "\" (names no compression: polls ask without compression)";
    }
    if (!value.empty() && value != "0" && value != "\"\"") {
      out << "  " << key << ": " << std::string(21 - std::min<size_t>(20, std::strlen(key)), ' ')
          << value << "\n";
    }
  }
  for (const json& m : feed.value("url_history", json::array())) {
    out << "  moved " << Str(m, "at") << ": " << Str(m, "from") << " -> " << Str(m, "to") << "\n";
  }
  const json raw = feed.value("raw_bodies", json::array());
  out << "  raw bodies kept: " << raw.size() << "\n";
  for (const json& b : raw) {
    out << "    " << Str(b, "fetched") << "  " << Str(b, "bytes") << " bytes  " << Str(b, "url")
        << "\n";
  }
}

namespace {

// The strings of array `key` of `result`, joined with ", " ("" when none).
std::string Listed(const json& result, const char* key) {
  const json list = result.value(key, json::array());
  std::string out;
  if (!list.is_array()) return out;
  for (const json& entry : list) {
    out += (out.empty() ? "" : ", ") + (entry.is_string() ? entry.get<std::string>() : "?");
  }
  return out;
}

// What only a restart applies: its keys ("[fetch] timeout"), or its sections from a daemon
// that names none.
std::string RestartKeys(const json& result) {
  const std::string keys = Listed(result, "restart_keys");
  return keys.empty() ? Listed(result, "restart_needed") : keys;
}

}  // namespace

void PrintReload(const json& result, std::ostream& out) {
  out << "reloaded " << Str(result, "config") << "\n";
  for (const char* what : {"added", "removed", "changed"}) {
    const json ids = result.value(what, json::array());
    out << "  feeds " << what << ": " << ids.size();
    for (const json& id : ids) out << " " << (id.is_string() ? id.get<std::string>() : id.dump());
    out << "\n";
  }
  for (const json& s : result.value("shadowed", json::array())) {
    if (Str(s, "id") == Str(s, "by")) {
      out << "  feed " << Str(s, "id")
          << " (added with newsctl) is now declared in the file: the file's entry is used "
             "(`newsctl feeds remove "
          << Str(s, "id") << "` forgets the added one)\n";
      continue;
    }
    out << "  feed " << Str(s, "id") << " (added with newsctl) gives way to " << Str(s, "by")
        << ", which the file declares with its URL; kept, not polled (`newsctl feeds remove "
        << Str(s, "id") << "` forgets it)\n";
  }
  if (const std::string applied = Listed(result, "applied"); !applied.empty()) {
    out << "  changed and applied now: " << applied << "\n";
  }
  if (const std::string later = RestartKeys(result); !later.empty()) {
    out << "  changed, applied at the next start (systemctl restart newsd): " << later << "\n";
  }
}

void PrintStatus(const json& result, std::ostream& out) {
  out << "newsd " << Str(result, "version") << ": " << Str(result, "state") << "\n";
  if (const std::string why = Str(result, "state_reason", ""); !why.empty()) {
    out << "  " << why << "\n";
  }
  out << "  started:        " << Str(result, "started") << "\n"
      << "  feeds:          " << Str(result, "feeds") << "\n"
      << "  indexed items:  " << Str(result, "indexed_items");
  if (const uint64_t bytes = result.value("index_bytes", uint64_t{0}); bytes > 0) {
    out << " (" << std::fixed << std::setprecision(1) << bytes / 1048576.0 << std::defaultfloat
        << " MiB of RAM)";
  }
  out << "\n"
      << "  last round:     " << Str(result, "last_round") << "\n";
  if (const std::string metrics = Str(result, "metrics", ""); !metrics.empty()) {
    out << "  metrics:        http://" << metrics << "/metrics\n";
  }
  if (const std::string later = RestartKeys(result); !later.empty()) {
    out << "  restart needed: " << later
        << " changed in the configuration file (a restart applies them: systemctl restart "
           "newsd)\n";
  }
  if (const std::string refused = Str(result, "reload_refused", ""); !refused.empty()) {
    out << "  reload refused: " << refused
        << " -- the running configuration stays; fix the file (newsd --check-config) and "
           "reload again, as a restart would refuse it too\n";
  }
}

}  // namespace newsd::newsctl
