#include "newsctl/render.h"

#include <algorithm>

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

}  // namespace

std::string Str(const json& j, const char* key, const std::string& fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

Table::Table(std::vector<std::string> header, std::vector<size_t> max_width)
    : header_(std::move(header)), max_width_(std::move(max_width)) {
  max_width_.resize(header_.size(), 0);
}

void Table::Add(std::vector<std::string> row) {
  row.resize(header_.size());
  for (size_t i = 0; i < row.size(); ++i) row[i] = Cut(row[i], max_width_[i]);
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
  Table t({"STORY", "TIME", "COPIES", "SOURCE", "TITLE"}, {28, 0, 0, 20, 60});
  for (const json& s : result.value("stories", json::array())) {
    t.Add({Str(s, "id"), Str(s, "time"), Str(s, "copies"), Str(s, "source"), Str(s, "title")});
  }
  t.Print(out);
}

void PrintStory(const json& result, std::ostream& out) {
  const json& story = result["story"];
  out << "Story " << Str(story, "id") << ": " << Str(story, "title") << "\n"
      << "  " << Str(story, "copies") << " copies, first seen " << Str(story, "time")
      << ", canonical from " << Str(story, "source") << "\n\n";
  Table t({"", "OUTLET", "PUBLISHED", "MATCH", "TITLE", "URL"}, {0, 20, 0, 0, 50, 0});
  for (const json& item : result.value("items", json::array())) {
    char sim[32];
    std::snprintf(sim, sizeof sim, "%s %.2f", Str(item, "path").c_str(),
                  item.value("similarity", 0.0));
    t.Add({item.value("canonical", false) ? "*" : " ", Str(item, "source"), Str(item, "published"),
           sim, Str(item, "title"), Str(item, "url")});
  }
  t.Print(out);
  out << "\n* canonical copy\n";
}

void PrintFeeds(const json& result, std::ostream& out) {
  Table t({"FEED", "LAST FETCH", "NEXT FETCH", "HTTP", "NEW ITEMS", "ERROR", "URL"},
          {24, 0, 0, 0, 0, 40, 60});
  for (const json& f : result.value("feeds", json::array())) {
    t.Add({Str(f, "id"), Str(f, "last_fetch"), Str(f, "next_fetch"), Str(f, "last_http_status"),
           Str(f, "items_new"), Str(f, "last_error", ""), Str(f, "url")});
  }
  t.Print(out);
}

void PrintStatus(const json& result, std::ostream& out) {
  out << "newsd " << Str(result, "version") << ": " << Str(result, "state") << "\n"
      << "  started:        " << Str(result, "started") << "\n"
      << "  feeds:          " << Str(result, "feeds") << "\n"
      << "  indexed items:  " << Str(result, "indexed_items") << "\n"
      << "  last round:     " << Str(result, "last_round") << "\n";
}

}  // namespace newsd::newsctl
