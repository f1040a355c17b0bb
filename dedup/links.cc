// Links and hashtags, set aside before tokenising (links.h).
#include "dedup/links.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "dedup/token_chars.h"

namespace newsd::dedup {
namespace {

// Where a link or hashtag may begin: not inside a word, a number or another link.
bool StartsSpan(std::string_view text, size_t pos, std::string_view glue) {
  if (pos == 0) return true;
  const auto prev = static_cast<unsigned char>(text[pos - 1]);
  return !IsAsciiAlnum(prev) && glue.find(static_cast<char>(prev)) == std::string_view::npos;
}

// The end of a link starting at `pos`: white space, markup, quotes or a non-ASCII byte stop
// it, and punctuation that ends it belongs to the sentence ("see http://x.com/a.").
size_t LinkEnd(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size()) {
    const auto c = static_cast<unsigned char>(text[end]);
    if (c <= ' ' || c >= 0x80 || c == '<' || c == '>' || c == '"' || c == '\'') break;
    ++end;
  }
  while (end > pos && std::string_view(".,;:!?)").find(text[end - 1]) != std::string_view::npos) {
    --end;
  }
  return end;
}

// The end of a hashtag (or a chain of them, "#спорт#хоккей") starting at `pos`: letters,
// digits, '_' and '#'. Bytes from 0x80 count as letters, but for the lead bytes C2 and E2
// (no-break space, dashes, quotes, '«»').
size_t HashtagEnd(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size()) {
    const auto c = static_cast<unsigned char>(text[end]);
    const bool word =
        c == '#' || c == '_' || IsAsciiAlnum(c) || (c >= 0x80 && c != 0xC2 && c != 0xE2);
    if (!word) break;
    ++end;
  }
  return end;
}

// True when the '#' at `pos` may start a hashtag: after white space, a tag or '('.
bool HashtagStart(std::string_view text, size_t pos) {
  return pos == 0 || std::string_view(" \t\r\n>(").find(text[pos - 1]) != std::string_view::npos;
}

// The end of the link or hashtag starting at `pos`, or `pos` when none starts there.
size_t SpanEnd(std::string_view text, size_t pos) {
  const char c = text[pos];
  if (c == 'h' || c == 'H' || c == 'w' || c == 'W') {
    const std::string_view rest = text.substr(pos);
    auto starts = [&](std::string_view prefix) {
      return rest.size() > prefix.size() &&
             std::equal(prefix.begin(), prefix.end(), rest.begin(), [](char a, char b) {
               return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
             });
    };
    if ((starts("http://") || starts("https://") || starts("www.")) &&
        StartsSpan(text, pos, "./@-_")) {
      return LinkEnd(text, pos);
    }
  } else if (c == '#' && pos + 1 < text.size() && HashtagStart(text, pos)) {
    // After white space or a tag only: never "color:#f00", href="#top" or "&#39;".
    const auto next = static_cast<unsigned char>(text[pos + 1]);
    const bool word = next >= 0x80 || next == '_' || (IsAsciiAlnum(next) && next > '9');
    if (word) return HashtagEnd(text, pos);
  }
  return pos;
}

// True when one of the eight bytes at `p` is 'h', 'w' (either case) or '#': the bytes
// SpanEnd can start a span at. Or-ing 0x20 folds the case ('#' has the bit already; 0x03
// becomes '#' too, which SpanEnd then refuses).
bool WordMayStart(const char* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  v |= 0x2020202020202020ULL;
  auto has_zero = [](uint64_t x) {
    return ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) != 0;
  };
  return has_zero(v ^ 0x6868686868686868ULL) || has_zero(v ^ 0x7777777777777777ULL) ||
         has_zero(v ^ 0x2323232323232323ULL);
}

bool ByteMayStart(char c) {
  const char folded = static_cast<char>(c | 0x20);
  return folded == 'h' || folded == 'w' || c == '#';
}

// The first position from `pos` where SpanEnd may find a span (text.size() when none):
// eight bytes at a time, most of the text never reaching SpanEnd's tests.
size_t NextCandidate(std::string_view text, size_t pos) {
  while (pos < text.size()) {
    while (pos + 8 <= text.size() && !WordMayStart(text.data() + pos)) pos += 8;
    for (const size_t stop = std::min(text.size(), pos + 8); pos < stop; ++pos) {
      if (ByteMayStart(text[pos])) return pos;
    }
  }
  return text.size();
}

// True when the text may hold a span at all: "://", "www." in any case, or a '#' where a
// hashtag may start. Searched with find (memchr), much cheaper than the scan, which most
// texts never need.
bool MayHoldSpan(std::string_view text) {
  if (text.find("://") != std::string_view::npos) return true;
  for (size_t at = text.find('.', 3); at != std::string_view::npos; at = text.find('.', at + 1)) {
    auto w = [&](size_t i) { return (text[i] | 0x20) == 'w'; };
    if (w(at - 1) && w(at - 2) && w(at - 3)) return true;
  }
  for (size_t at = text.find('#'); at != std::string_view::npos; at = text.find('#', at + 1)) {
    if (HashtagStart(text, at)) return true;  // not "&#39;" or "color:#f00"
  }
  return false;
}

}  // namespace

std::string_view WithoutLinksAndHashtags(std::string_view text, std::string* buffer) {
  if (!MayHoldSpan(text)) return text;
  buffer->clear();
  size_t copied = 0;
  for (size_t pos = NextCandidate(text, 0); pos < text.size(); pos = NextCandidate(text, pos)) {
    const size_t end = SpanEnd(text, pos);
    if (end == pos) {
      ++pos;
      continue;
    }
    buffer->append(text.substr(copied, pos - copied));
    buffer->push_back(' ');
    copied = pos = end;
  }
  if (copied == 0) return text;
  buffer->append(text.substr(copied));
  return *buffer;
}

}  // namespace newsd::dedup
