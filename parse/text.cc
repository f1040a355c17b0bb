#include "parse/text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "parse/ascii.h"
#include "parse/entities.h"

namespace newsd::parse {
namespace {

// ' ', '\t', '\n', '\f' or '\r', as one bit test.
bool IsSpace(char c) {
  auto u = static_cast<unsigned char>(c);
  return u <= ' ' && ((0x100003600ull >> u) & 1) != 0;
}
#if defined(__SSE2__)
// Bytes of the 16 at `v` that are IsSpace.
__m128i SpaceMask(__m128i v) {
  __m128i m =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
  m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
  m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
  return _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\f')));
}
#endif

// The end of a run of words starting before `j`: the first whitespace byte at or after `j`
// that is not a single ' ' followed by a non-space (n if none). Runs are copied as they are.
size_t RunEnd(const char* s, size_t j, size_t n) {
#if defined(__SSE2__)
  for (; j + 17 <= n; j += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + j));
    __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + j + 1));
    __m128i space = SpaceMask(v);
    __m128i blank = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
    __m128i ends =
        _mm_or_si128(_mm_andnot_si128(blank, space), _mm_and_si128(blank, SpaceMask(next)));
    if (int mask = _mm_movemask_epi8(ends)) {
      return j + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  for (; j < n; ++j) {
    if (IsSpace(s[j]) && (s[j] != ' ' || j + 1 >= n || IsSpace(s[j + 1]))) return j;
  }
  return n;
}

std::string LowerName(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!IsAsciiAlpha(c) && !(c >= '0' && c <= '9')) break;
    out.push_back(static_cast<char>(c | 0x20));
  }
  return out;
}

bool IsBlock(std::string_view tag) {
  static constexpr std::string_view kBlocks[] = {
      "p",  "br", "div", "li", "h1",  "h2",    "h3",      "h4",      "h5", "h6", "blockquote",
      "ul", "ol", "tr",  "hr", "pre", "table", "section", "article", "dd", "dt"};
  for (auto b : kBlocks) {
    if (tag == b) return true;
  }
  return false;
}

// Accumulates text with whitespace collapsed and paragraph breaks merged.
class TextSink {
 public:
  void Text(std::string_view decoded) {
    // Runs of words separated by single spaces are appended at once.
    const char* s = decoded.data();
    size_t i = 0;
    const size_t n = decoded.size();
    while (i < n) {
      if (IsSpace(s[i])) {
        pending_space_ = true;
        ++i;
        continue;
      }
      size_t j = RunEnd(s, i + 1, n);
      if (pending_break_ && !out_.empty()) {
        out_ += "\n\n";
      } else if (pending_space_ && !out_.empty()) {
        out_ += ' ';
      }
      pending_break_ = pending_space_ = false;
      out_.append(s + i, j - i);
      i = j;
    }
  }
  void Reserve(size_t n) { out_.reserve(n); }
  void Break() { pending_break_ = true; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  bool pending_space_ = false;
  bool pending_break_ = false;
};

// Writes text between tags to `sink`, its character references decoded (into `decoded`, a
// buffer reused from call to call).
void SinkText(std::string_view text, std::string* decoded, TextSink* sink) {
  if (text.find('&') == std::string_view::npos) {
    sink->Text(text);  // nothing to decode
  } else {
    decoded->clear();
    AppendHtmlUnescaped(text, decoded);
    sink->Text(*decoded);
  }
}

// Where the content of a <script> or <style> element (`name`) that starts at html[pos] ends:
// past its end tag, or at the end of `html` when it has none.
size_t SkipRawText(std::string_view html, size_t pos, const std::string& name) {
  size_t end = pos;
  while (true) {
    end = html.find("</", end);
    if (end == std::string_view::npos || LowerName(html.substr(end + 2)) == name) break;
    end += 2;
  }
  size_t gt2 = end == std::string_view::npos ? end : html.find('>', end);
  return gt2 == std::string_view::npos ? html.size() : gt2 + 1;
}

// Elements whose tag tells HTML from plain text (block elements are IsBlock's).
bool IsInlineElement(std::string_view tag) {
  static constexpr std::string_view kInline[] = {
      "a",      "b",      "i",      "u",      "em",         "strong", "span",  "img",
      "font",   "small",  "sup",    "sub",    "td",         "th",     "tbody", "thead",
      "code",   "q",      "cite",   "figure", "abbr",       "center", "del",   "ins",
      "strike", "iframe", "html",   "body",   "figcaption", "mark",   "time",  "nav",
      "main",   "header", "footer", "dl",     "video",      "audio",  "source"};
  for (auto t : kInline) {
    if (tag == t) return true;
  }
  return false;
}

// Whether the '<' at text[lt] starts a tag of an HTML element: its name known and followed by
// '>', '/' or whitespace.
bool IsElementTag(std::string_view text, size_t lt) {
  size_t at = lt + 1;
  if (at < text.size() && text[at] == '/') ++at;
  const std::string name = LowerName(text.substr(at));
  const size_t after = at + name.size();
  if (name.empty() || after >= text.size()) return false;
  const char next = text[after];
  return (next == '>' || next == '/' || IsSpace(next)) && (IsBlock(name) || IsInlineElement(name));
}

// Whether the '&' at text[amp] starts a character reference: "&name;" or "&#digits;".
bool IsReference(std::string_view text, size_t amp) {
  size_t at = amp + 1;
  const bool numeric = at < text.size() && text[at] == '#';
  if (numeric) ++at;
  const size_t start = at;
  while (at < text.size() && at - start < 32 &&
         (IsAsciiAlpha(text[at]) || (text[at] >= '0' && text[at] <= '9'))) {
    ++at;
  }
  return at > start && at < text.size() && text[at] == ';';
}

}  // namespace

bool LooksLikeHtml(std::string_view text) {
  for (size_t at = text.find_first_of("<&"); at != std::string_view::npos;
       at = text.find_first_of("<&", at + 1)) {
    if (text[at] == '<' ? IsElementTag(text, at) : IsReference(text, at)) return true;
  }
  return false;
}

std::string HtmlToText(std::string_view html) {
  TextSink sink;
  sink.Reserve(html.size());
  std::string decoded;
  size_t pos = 0;
  while (pos < html.size()) {
    size_t lt = html.find('<', pos);
    size_t text_end = lt == std::string_view::npos ? html.size() : lt;
    if (text_end > pos) SinkText(html.substr(pos, text_end - pos), &decoded, &sink);
    if (lt == std::string_view::npos) break;
    std::string_view rest = html.substr(lt);
    if (rest.substr(0, 4) == "<!--") {
      size_t end = html.find("-->", lt + 4);
      pos = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    bool closing = rest.size() > 1 && rest[1] == '/';
    size_t name_at = closing ? 2 : 1;
    if (rest.size() <= name_at ||
        (!IsAsciiAlpha(rest[name_at]) && rest[name_at] != '!' && rest[name_at] != '?')) {
      sink.Text("<");  // a lone '<' is text
      pos = lt + 1;
      continue;
    }
    size_t gt = html.find('>', lt);
    if (gt == std::string_view::npos) break;
    std::string name = LowerName(rest.substr(name_at));
    pos = gt + 1;
    if (!closing && (name == "script" || name == "style")) {
      pos = SkipRawText(html, pos, name);
      continue;
    }
    if (IsBlock(name)) sink.Break();
  }
  return sink.Take();
}

}  // namespace newsd::parse
