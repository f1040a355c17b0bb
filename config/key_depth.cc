// The key-depth check on configuration text, before the TOML library parses it.

#include <string_view>

#include "config/checks.h"

namespace newsd::config {

namespace {

enum class In { kNone, kBasic, kLiteral, kMultiBasic, kMultiLiteral, kComment };

// Where the scan of TooDeepKey stands.
struct Scan {
  In in = In::kNone;
  size_t line = 1, key_dots = 0, line_dots = 0;
  bool in_key = true;  // before the line's first '=' (or in a [table] header)
};

bool StartsAt(std::string_view text, size_t i, std::string_view what) {
  return text.substr(i, 3) == what;
}

// At a line's end: the line when it is too deep, else line 0 and the scan on the next line.
TooDeep EndLine(Scan* s) {
  if (s->key_dots + 1 > kMaxKeyDepth) return {s->line, s->key_dots + 1, true};
  if (s->line_dots > kMaxLineDots) return {s->line, s->line_dots, false};
  ++s->line;
  s->key_dots = s->line_dots = 0;
  s->in_key = true;
  if (s->in != In::kMultiBasic && s->in != In::kMultiLiteral) s->in = In::kNone;
  return {};
}

// Inside a string or comment (s->in is not kNone): steps over text[i], leaving at its end.
void SkipQuoted(std::string_view text, size_t* i, Scan* s) {
  const char c = text[*i];
  switch (s->in) {
    case In::kComment:
      return;
    case In::kBasic:
    case In::kMultiBasic:
      if (c == '\\') {
        ++*i;  // an escaped character: "\"" does not end the string
      } else if (s->in == In::kBasic ? c == '"' : StartsAt(text, *i, "\"\"\"")) {
        if (s->in == In::kMultiBasic) *i += 2;
        s->in = In::kNone;
      }
      return;
    case In::kLiteral:
    case In::kMultiLiteral:
      if (s->in == In::kLiteral ? c == '\'' : StartsAt(text, *i, "'''")) {
        if (s->in == In::kMultiLiteral) *i += 2;
        s->in = In::kNone;
      }
      return;
    case In::kNone:
      return;
  }
}

// Outside strings and comments: text[i] may open one, end the key, or be a dot.
void ScanCode(std::string_view text, size_t* i, Scan* s) {
  const char c = text[*i];
  if (StartsAt(text, *i, "\"\"\"")) {
    s->in = In::kMultiBasic;
    *i += 2;
  } else if (StartsAt(text, *i, "'''")) {
    s->in = In::kMultiLiteral;
    *i += 2;
  } else if (c == '"') {
    s->in = In::kBasic;
  } else if (c == '\'') {
    s->in = In::kLiteral;
  } else if (c == '#') {
    s->in = In::kComment;
  } else if (c == '=' || c == ']') {
    s->in_key = false;
  } else if (c == '.') {
    ++s->line_dots;
    s->key_dots += s->in_key ? 1 : 0;
  }
}

}  // namespace

TooDeep TooDeepKey(std::string_view text) {
  Scan s;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : '\n';
    if (c == '\n') {
      if (const TooDeep deep = EndLine(&s); deep.line > 0) return deep;
    } else if (s.in != In::kNone) {
      SkipQuoted(text, &i, &s);
    } else {
      ScanCode(text, &i, &s);
    }
  }
  return {};
}

}  // namespace newsd::config
