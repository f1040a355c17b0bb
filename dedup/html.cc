#include "dedup/html.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace newsd::dedup {
namespace {

constexpr size_t kMaxTagLength = 1024;
constexpr size_t kMaxEntityLength = 10;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Tags that start a new line of text: paragraphs, breaks, list items, headings, cells.
bool IsBlockTag(std::string_view name) {
  static constexpr std::array<std::string_view, 16> kBlock = {
      "p",  "br", "div", "li", "ul", "ol",    "h1",         "h2",
      "h3", "h4", "h5",  "h6", "tr", "table", "blockquote", "hr"};
  for (std::string_view b : kBlock) {
    if (name == b) return true;
  }
  return false;
}

const std::array<std::pair<std::string_view, char32_t>, 24> kEntities = {{
    {"amp", U'&'},      {"lt", U'<'},      {"gt", U'>'},      {"quot", U'"'},     {"apos", U'\''},
    {"nbsp", 0xA0},     {"laquo", 0xAB},   {"raquo", 0xBB},   {"mdash", 0x2014},  {"ndash", 0x2013},
    {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"bdquo", 0x201E},  {"shy", 0xAD},     {"copy", 0xA9},    {"reg", 0xAE},      {"trade", 0x2122},
    {"euro", 0x20AC},   {"pound", 0xA3},   {"deg", 0xB0},     {"thinsp", 0x2009},
}};

bool ParseNumericEntity(std::string_view body, char32_t* cp) {
  int base = 10;
  size_t i = 1;
  if (body.size() > 1 && (body[1] == 'x' || body[1] == 'X')) {
    base = 16;
    i = 2;
  }
  if (i >= body.size()) return false;
  uint32_t value = 0;
  for (; i < body.size(); ++i) {
    int d = std::isdigit(static_cast<unsigned char>(body[i])) ? body[i] - '0'
            : (base == 16 && std::isxdigit(static_cast<unsigned char>(body[i])))
                ? Lower(body[i]) - 'a' + 10
                : -1;
    if (d < 0) return false;
    value = value * base + d;
    if (value > 0x10FFFF) return false;
  }
  *cp = value;
  return true;
}

// Elements whose content is code or markup, never text of the article: a page's share
// buttons' script, a style sheet, an embed's fallback.
constexpr std::array<std::string_view, 5> kRawText = {"script", "style", "noscript", "template",
                                                      "iframe"};

// The index of `name` in kRawText, or kRawText.size().
size_t RawTextIndex(std::string_view name) {
  return static_cast<size_t>(std::find(kRawText.begin(), kRawText.end(), name) - kRawText.begin());
}
bool IsRawTextTag(std::string_view name) { return RawTextIndex(name) < kRawText.size(); }

// Where the end tag of raw-text element `name` ("</script>", any case; "&lt;/script&gt;" when
// `escaped`) that starts at or after `from` ends, or npos when it has none.
size_t RawTextEnd(std::string_view s, size_t from, std::string_view name, bool escaped) {
  const std::string_view open = escaped ? "&lt;/" : "</";
  const std::string_view close = escaped ? "&gt;" : ">";
  for (size_t at = s.find(open, from); at != std::string_view::npos; at = s.find(open, at + 1)) {
    const size_t name_at = at + open.size();
    if (name_at + name.size() > s.size()) return std::string_view::npos;
    bool same = true;
    for (size_t k = 0; k < name.size() && same; ++k) same = Lower(s[name_at + k]) == name[k];
    if (!same) continue;
    const size_t end = s.find(close, name_at + name.size());
    return end == std::string_view::npos ? end : end + close.size();
  }
  return std::string_view::npos;
}

// Past a start tag of a raw-text element (`name`, ending before `*pos`), skips its content and
// end tag too: *pos moves past the end tag when there is one. An end tag not found is noted in
// *misses, and not looked for again in the rest of the text.
void SkipRawText(std::string_view s, std::string_view name, bool escaped, size_t* pos,
                 RawTextMisses* misses) {
  const size_t index = RawTextIndex(name);
  if (index == kRawText.size()) return;
  const uint32_t bit = uint32_t{1} << (index * 2 + (escaped ? 1 : 0));
  if (misses->missing & bit) return;
  if (const size_t end = RawTextEnd(s, *pos, name, escaped); end != std::string_view::npos) {
    *pos = end;
  } else {
    misses->missing |= bit;
  }
}

}  // namespace

bool SkipHtmlTag(std::string_view s, size_t* pos, bool* line_break, RawTextMisses* misses) {
  size_t i = *pos + 1;
  if (i >= s.size()) return false;
  bool closing = s[i] == '/';
  if (closing) ++i;
  if (i >= s.size() || !(IsAsciiAlpha(s[i]) || (!closing && s[i] == '!'))) return false;
  // Searched within the longest tag only: unbounded, a '<' of prose (a "<" escaped once too
  // few times) searched on to the text's next tag.
  const size_t end = s.substr(0, *pos + kMaxTagLength + 1).find('>', i);
  if (end == std::string_view::npos) return false;
  size_t name_end = i;
  while (name_end < end &&
         (IsAsciiAlpha(s[name_end]) || std::isdigit(static_cast<unsigned char>(s[name_end])))) {
    ++name_end;
  }
  char name[16];
  size_t len = std::min<size_t>(name_end - i, sizeof(name));
  for (size_t k = 0; k < len; ++k) name[k] = Lower(s[i + k]);
  *line_break = IsBlockTag(std::string_view(name, len));
  *pos = end + 1;
  if (!closing && s[end - 1] != '/') {
    const std::string_view tag(name, len);
    if (IsRawTextTag(tag)) *line_break = true;
    SkipRawText(s, tag, false, pos, misses);
  }
  return true;
}

bool SkipEscapedHtmlTag(std::string_view s, size_t* pos, bool* line_break, RawTextMisses* misses) {
  if (s.substr(*pos, 4) != "&lt;") return false;
  size_t i = *pos + 4;
  const bool closing = i < s.size() && s[i] == '/';
  if (closing) ++i;
  if (i >= s.size() || !IsAsciiAlpha(s[i])) return false;
  const size_t end = s.substr(0, *pos + kMaxTagLength + 4).find("&gt;", i);
  if (end == std::string_view::npos) return false;
  const std::string_view inner = s.substr(i, end - i);
  if (inner.find_first_of("<>") != std::string_view::npos) return false;
  size_t name_len = 0;
  while (name_len < inner.size() && name_len < 16 &&
         (IsAsciiAlpha(inner[name_len]) ||
          std::isdigit(static_cast<unsigned char>(inner[name_len])))) {
    ++name_len;
  }
  char name[16];
  for (size_t k = 0; k < name_len; ++k) name[k] = Lower(inner[k]);
  *line_break = IsBlockTag(std::string_view(name, name_len));
  *pos = end + 4;
  if (!closing) {
    const std::string_view tag(name, name_len);
    if (IsRawTextTag(tag)) *line_break = true;
    SkipRawText(s, tag, true, pos, misses);
  }
  return true;
}

bool DecodeHtmlEntity(std::string_view s, size_t* pos, char32_t* cp) {
  const size_t end = s.substr(0, *pos + kMaxEntityLength + 2).find(';', *pos + 1);
  if (end == std::string_view::npos || end == *pos + 1) {
    return false;
  }
  std::string_view body = s.substr(*pos + 1, end - *pos - 1);
  bool ok = false;
  if (body[0] == '#') {
    ok = ParseNumericEntity(body, cp);
  } else {
    for (const auto& [name, value] : kEntities) {
      if (body == name) {
        *cp = value;
        ok = true;
        break;
      }
    }
  }
  if (ok) *pos = end + 1;
  return ok;
}

}  // namespace newsd::dedup
