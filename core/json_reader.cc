#include "core/json_reader.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.h"

namespace newsd {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A byte a JSON string cannot hold as it is: the closing quote, an escape, a control character.
bool EndsPlainRun(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

// The number of bytes from `p` (before `end`) up to the first that EndsPlainRun; UTF-8 is not
// checked here. Sixteen bytes at a time: article text is long runs of such bytes.
size_t PlainRun(const char* p, const char* end) {
  const char* q = p;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  for (; end - q >= 16; q += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(x, last_control), last_control);
    const __m128i stop =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)), control);
    if (const int mask = _mm_movemask_epi8(stop); mask != 0) {
      return static_cast<size_t>(q - p) + static_cast<size_t>(__builtin_ctz(mask));
    }
  }
#endif
  while (q < end && !EndsPlainRun(*q)) ++q;
  return static_cast<size_t>(q - p);
}

}  // namespace

void JsonReader::SkipBom() {
  if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") p_ += 3;
}

void JsonReader::Ws() {
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
}

bool JsonReader::String(std::string* out) {
  ++p_;  // the opening quote
  if (out) out->clear();
  while (p_ < end_) {
    const std::string_view run(p_, PlainRun(p_, end_));
    if (out) out->append(run);
    p_ += run.size();
    if (p_ == end_) break;
    if (*p_ == '"') {
      ++p_;
      return true;
    }
    if (*p_ != '\\') return false;  // a raw control character
    if (!Escape(out)) return false;
  }
  return false;  // unterminated
}

bool JsonReader::Escape(std::string* out) {
  ++p_;  // the backslash
  if (p_ >= end_) return false;
  char decoded;
  switch (*p_++) {
    case '"':
      decoded = '"';
      break;
    case '\\':
      decoded = '\\';
      break;
    case '/':
      decoded = '/';
      break;
    case 'b':
      decoded = '\b';
      break;
    case 'f':
      decoded = '\f';
      break;
    case 'n':
      decoded = '\n';
      break;
    case 'r':
      decoded = '\r';
      break;
    case 't':
      decoded = '\t';
      break;
    case 'u': {
      uint32_t cp;
      if (!Hex4(&cp)) return false;
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = Surrogates(cp);
      if (out) AppendUtf8(cp, out);
      return true;
    }
    default:
      return false;
  }
  if (out) out->push_back(decoded);
  return true;
}

// `high` and, when it is a high surrogate followed by "\\u" and a low one, that one (consumed)
// as one code point. A lone surrogate (text cut between the two halves of an emoji, say) is
// U+FFFD, as a decoder of UTF-16 gives it: the line is not refused for it.
uint32_t JsonReader::Surrogates(uint32_t high) {
  constexpr uint32_t kReplacement = 0xFFFD;
  if (high > 0xDBFF || end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return kReplacement;
  const char* at = p_;
  p_ += 2;
  uint32_t low;
  if (!Hex4(&low) || low < 0xDC00 || low > 0xDFFF) {
    p_ = at;  // not a low half: read on its own
    return kReplacement;
  }
  return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
}

bool JsonReader::Hex4(uint32_t* v) {
  *v = 0;
  for (int i = 0; i < 4; ++i) {
    if (p_ == end_) return false;  // cut inside the escape: AtEnd() tells
    const int d = HexDigit(*p_++);
    if (d < 0) return false;
    *v = (*v << 4) | static_cast<uint32_t>(d);
  }
  return true;
}

bool JsonReader::Number(std::string_view* text) {
  const char* start = p_;
  auto digits = [&] {
    const char* first = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > first;
  };
  Consume('-');
  if (Consume('0')) {
  } else if (!digits()) {
    return false;
  }
  if (Consume('.')) {
    if (!digits()) return false;
  }
  if (Peek('e') || Peek('E')) {
    ++p_;
    if (!Consume('+')) Consume('-');
    if (!digits()) return false;
  }
  if (text != nullptr) *text = std::string_view(start, static_cast<size_t>(p_ - start));
  return true;
}

bool JsonReader::Literal(std::string_view word) {
  const auto left = static_cast<size_t>(end_ - p_);
  if (left < word.size() || std::string_view(p_, word.size()) != word) {
    // The text ends inside the word ("nu"): it was cut, which AtEnd() tells.
    if (left < word.size() && word.starts_with(std::string_view(p_, left))) p_ = end_;
    return false;
  }
  p_ += word.size();
  return true;
}

// A string, number or literal at p_.
bool JsonReader::Scalar() {
  if (p_ >= end_) return false;
  switch (*p_) {
    case '"':
      return String(nullptr);
    case 't':
      return Literal("true");
    case 'f':
      return Literal("false");
    case 'n':
      return Literal("null");
    default:
      return Number(nullptr);
  }
}

bool JsonReader::Key() {
  if (!Peek('"') || !String(&key_)) return false;
  Ws();
  if (!Consume(':')) return false;
  Ws();
  return true;
}

bool JsonReader::SkipValue() {
  stack_.clear();
  for (;;) {
    // A value starts at p_: open a container (and go on with its first value), or read a
    // scalar or an empty container.
    if (Peek('{') || Peek('[')) {
      const char open = *p_++;
      Ws();
      if (!Consume(open == '{' ? '}' : ']')) {
        stack_.push_back(open);
        if (open == '{' && !Key()) return false;
        continue;
      }
    } else if (!Scalar()) {
      return false;
    }
    if (!CloseContainers()) return false;
    if (stack_.empty()) return true;
  }
}

// After a value inside the open containers: closes those that end here, and stops before the
// next value (false when malformed; stack_ empty when the outermost value ended).
bool JsonReader::CloseContainers() {
  while (!stack_.empty()) {
    Ws();
    if (Consume(',')) {
      Ws();
      return stack_.back() != '{' || Key();
    }
    if (!Consume(stack_.back() == '{' ? '}' : ']')) return false;
    stack_.pop_back();
  }
  return true;
}

bool JsonReader::ReadEvents(JsonEvents* events) {
  using Kind = JsonEvents::Kind;
  stack_.clear();
  std::string text;
  Ws();
  for (;;) {
    // A value starts at p_: open a container (and go on with its first value), or hand over
    // a scalar or an empty container.
    if (Peek('{') || Peek('[')) {
      const bool object = *p_++ == '{';
      if (!events->OnOpen(object)) return false;
      Ws();
      if (Consume(object ? '}' : ']')) {
        if (!events->OnClose(object)) return false;
      } else {
        stack_.push_back(object ? '{' : '[');
        if (object && (!Key() || !events->OnKey(key_))) return false;
        continue;
      }
    } else {
      Kind kind;
      if (Peek('"')) {
        if (!String(&text)) return false;
        kind = Kind::kString;
      } else if (Peek('t') || Peek('f') || Peek('n')) {
        const std::string_view word = Peek('t') ? "true" : Peek('f') ? "false" : "null";
        if (!Literal(word)) return false;
        text.assign(word);
        kind = word == "true" ? Kind::kTrue : word == "false" ? Kind::kFalse : Kind::kNull;
      } else {
        std::string_view number;
        if (p_ >= end_ || !Number(&number)) return false;
        text.assign(number);
        kind = Kind::kNumber;
      }
      if (!events->OnScalar(kind, text)) return false;
    }
    // After a value: close the containers that end here, and stop before the next value.
    for (;;) {
      Ws();
      if (stack_.empty()) return true;
      if (Consume(',')) {
        Ws();
        if (stack_.back() == '{' && (!Key() || !events->OnKey(key_))) return false;
        break;
      }
      const bool object = stack_.back() == '{';
      if (!Consume(object ? '}' : ']')) return false;
      stack_.pop_back();
      if (!events->OnClose(object)) return false;
    }
  }
}

bool ReadJsonEvents(JsonReader* in, JsonEvents* events) { return in->ReadEvents(events); }

std::string JsonPlace(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}

}  // namespace newsd
