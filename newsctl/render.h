#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace newsd::newsctl {

/// A plain aligned text table for terminals: a header row, then rows; cells are cut to `width`
/// display columns (UTF-8 aware) when a maximum is given.
class Table {
 public:
  /// Cells longer than their column's max_width are cut with "…" when `cut` is set (the
  /// default; main() clears it when stdout is not a terminal, so scripts get whole values).
  static void SetCutting(bool cut);
  explicit Table(std::vector<std::string> header, std::vector<size_t> max_width = {});
  void Add(std::vector<std::string> row);
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<size_t> max_width_;
  std::vector<std::vector<std::string>> rows_;
};

/// Human output of the protocol's results.
void PrintStories(const nlohmann::json& result, std::ostream& out);
void PrintStory(const nlohmann::json& result, std::ostream& out);
void PrintFeeds(const nlohmann::json& result, std::ostream& out);
/// The politeness report: one row per host.
void PrintHosts(const nlohmann::json& result, std::ostream& out);
void PrintStatus(const nlohmann::json& result, std::ostream& out);
/// "backup written to DIR: N files, X MiB in Y s" and how to restore it.
void PrintBackup(const nlohmann::json& result, std::ostream& out);
/// A reparse's counts (feeds.reparse, or newsd reparse) and its errors.
void PrintReparse(const nlohmann::json& result, std::ostream& out);
/// What a configuration reload changed.
void PrintReload(const nlohmann::json& result, std::ostream& out);
/// One feed (feeds.show): a field per line, then its URL moves and kept raw bodies.
void PrintFeed(const nlohmann::json& result, std::ostream& out);

/// What a feeds add|remove|pause|resume|poll did (`cmd` is the protocol command). The feeds
/// an add refused, with the reasons, go to `err` (the counts stay on `out`).
void PrintFeedChange(const std::string& cmd, const nlohmann::json& result, std::ostream& out,
                     std::ostream& err);
/// Search hits, newest stories first, and whether the archive was searched to the end.
void PrintSearch(const nlohmann::json& result, std::ostream& out);

/// A JSON string field, or `fallback` when missing or null.
std::string Str(const nlohmann::json& j, const char* key, const std::string& fallback = "-");
/// A title field as a reader sees it: HTML character references decoded (twice, for a feed
/// that escaped its titles twice: "&amp;quot;"), inline HTML tags removed ("<b>Срочно:</b>"),
/// white space collapsed; other angle brackets stay ("STANDARD OIL <SRD>"). Printable, like
/// Str. The stored title and --json keep what the feed sent.
std::string Title(const nlohmann::json& j, const char* key = "title");
/// `s` made safe to print: control characters (C0, DEL, C1: terminal escapes) and explicit
/// bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) become
/// U+FFFD, tabs and line breaks a space (kept as they are with `keep_lines`: a text printed whole).
/// Str applies it to every string it returns.
std::string Printable(std::string_view s, bool keep_lines = false);

}  // namespace newsd::newsctl
