#pragma once

// The search behind items.search (newsctl search): the query's terms, normalised as the
// texts are, and the scan that finds them at word starts. Templates over the archive type
// and the normaliser, as admin/queries.h.

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "admin/queries.h"

namespace newsd::admin {

/// Whether `needle`'s last word must be a whole word of the text: a number ("20", or
/// "жиырма", which normalises to it, does not find "2025" or "320"), and a word of one or two
/// letters ("us" does not find "use", nor "AT&T", read "at t", "at the"), which as a start
/// would find nearly anything.
inline bool EndsWithWholeWord(std::string_view needle) {
  if (needle.empty()) return false;
  if (needle.back() >= '0' && needle.back() <= '9') return true;
  const size_t space = needle.find_last_of(" \n");
  const std::string_view last = space == std::string_view::npos ? needle : needle.substr(space + 1);
  // Code points: bytes that do not continue a UTF-8 sequence.
  const auto letters = std::count_if(last.begin(), last.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  return letters < 3;
}

/// Whether normalised `needle` occurs in normalised `hay` starting at a word: "казах" finds
/// "казахстан"; a needle that ends in a number or a word of one or two letters must end where
/// a word does (EndsWithWholeWord).
inline bool ContainsAtWordStart(std::string_view hay, std::string_view needle) {
  auto boundary = [&](size_t at) { return hay[at] == ' ' || hay[at] == '\n'; };
  const bool whole = EndsWithWholeWord(needle);
  for (size_t at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + 1)) {
    const size_t end = at + needle.size();
    if ((at == 0 || boundary(at - 1)) && (!whole || end == hay.size() || boundary(end))) {
      return true;
    }
  }
  return false;
}

/// `text` split at blanks (spaces, tabs, line ends), empty pieces left out.
inline std::vector<std::string_view> SplitBlanks(std::string_view text) {
  std::vector<std::string_view> words;
  for (size_t w = 0; w < text.size();) {
    const size_t end = std::min(text.find_first_of(" \t\r\n", w), text.size());
    if (end > w) words.push_back(text.substr(w, end - w));
    w = end + 1;
  }
  return words;
}

/// The terms of a search query, each passed through `normalize`: every word as written (one
/// that normalises to several, "AT&T", stays a phrase of them), and every "double-quoted"
/// phrase whole. Words the normaliser reads together (number words: "жүз отыз мың" is 130000)
/// are taken as it reads them. Terms that normalise to nothing are left out. Angle brackets
/// are punctuation in a query, not markup: "<IBM>", a ticker as wire texts write it, is "IBM".
template <class Normalize>
std::vector<std::string> SearchTerms(std::string_view query, Normalize normalize) {
  std::string unbracketed(query);
  std::replace_if(
      unbracketed.begin(), unbracketed.end(), [](char c) { return c == '<' || c == '>'; }, ' ');
  const std::string_view text = unbracketed;
  std::vector<std::string> terms;
  auto normalized = [&](std::string_view raw) {
    std::string term = normalize(raw);
    std::replace(term.begin(), term.end(), '\n', ' ');
    return term;
  };
  auto add = [&](std::string term) {
    if (!term.empty()) terms.push_back(std::move(term));
  };
  bool quoted = false;
  for (size_t start = 0; start <= text.size();) {
    const size_t quote = std::min(text.find('"', start), text.size());
    const std::string_view part = text.substr(start, quote - start);
    if (quoted) {
      add(normalized(part));
    } else {
      std::vector<std::string> words;
      std::string joined;
      for (std::string_view word : SplitBlanks(part)) {
        words.push_back(normalized(word));
        if (words.back().empty()) continue;
        joined += (joined.empty() ? "" : " ") + words.back();
      }
      const std::string whole = normalized(part);
      if (whole == joined) {
        for (std::string& word : words) add(std::move(word));
      } else {
        for (std::string_view word : SplitBlanks(whole)) add(std::string(word));
      }
    }
    quoted = !quoted;
    start = quote + 1;
  }
  return terms;
}

/// search: items whose title and text together hold every term of `text` (SearchTerms: its
/// words in any order, its quoted phrases as written), each from the start of a word
/// (ContainsAtWordStart), all passed through `normalize` (the dedup normaliser: case, ё/е,
/// look-alike letters, HTML, number words as digits), newest stories first, up to `limit` items
/// from at most `max_stories` stories, and about `max_bytes` of text (a reply line stays well
/// under admin::kMaxReplyBytes).
/// → {items:[ItemView...], scanned: stories looked at, complete: whether all were, and when
/// not, stopped: "limit", "bytes" or "stories" (which bound ended the search)}.
template <class Archive, class Normalize>
Result<nlohmann::json> QuerySearch(Archive& archive, std::string_view text, size_t limit,
                                   size_t max_stories, Normalize normalize,
                                   size_t max_bytes = size_t{16} << 20) {
  const std::vector<std::string> terms = SearchTerms(text, normalize);
  if (terms.empty()) {
    return Err(Status::InvalidArgument("nothing to search for: give a word or phrase"));
  }
  nlohmann::json found = nlohmann::json::array();
  size_t scanned = 0, bytes = 0;
  Status inner;
  Status s = archive.ForEachStoryByTime([&](const auto& story) {
    if (scanned == max_stories) return false;
    ++scanned;
    auto items = archive.StoryItems(story.id);
    if (!items) {
      inner = items.error();
      return false;
    }
    for (const auto& item : *items) {
      const std::string title = normalize(item.title);
      std::optional<std::string> body;  // normalised once a term is not in the title
      const bool all = std::all_of(terms.begin(), terms.end(), [&](const std::string& term) {
        if (ContainsAtWordStart(title, term)) return true;
        if (!body) body = normalize(item.text);
        return ContainsAtWordStart(*body, term);
      });
      if (!all) continue;
      nlohmann::json view = ToJson(ItemViewOf(item, story.canonical));
      view["story_time"] = FormatIso8601(story.time);
      found.push_back(std::move(view));
      bytes += item.text.size() + item.title.size() + 512;
      if (found.size() == limit || bytes >= max_bytes) return false;
    }
    return true;
  });
  if (!inner.ok()) return Err(inner);
  if (!s.ok()) return Err(s);
  nlohmann::json result{{"items", found}, {"scanned", scanned}, {"complete", true}};
  const char* stopped = found.size() == limit    ? "limit"
                        : bytes >= max_bytes     ? "bytes"
                        : scanned == max_stories ? "stories"
                                                 : nullptr;
  if (stopped != nullptr) {
    result["complete"] = false;
    result["stopped"] = stopped;
  }
  return result;
}

}  // namespace newsd::admin
