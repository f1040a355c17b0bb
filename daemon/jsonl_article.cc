#include "daemon/jsonl_article.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "parse/encoding.h"

namespace newsd::daemon {

namespace {

enum class Field { kId, kSource, kUrl, kTitle, kText, kPublished, kOther };

Field FieldOf(std::string_view key) {
  if (key == "id") return Field::kId;
  if (key == "source") return Field::kSource;
  if (key == "url") return Field::kUrl;
  if (key == "title") return Field::kTitle;
  if (key == "text") return Field::kText;
  if (key == "published") return Field::kPublished;
  return Field::kOther;
}

/// What the last "published" member held.
enum class Published { kAbsent, kNull, kString, kOther };

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// A strict RFC 8259 reader over one line. Every method returns false on malformed input
/// (the position is then at or a few bytes past the first byte that does not fit, or at the
/// end of the line). Iterative, so deep nesting cannot exhaust the stack.
class Reader {
 public:
  explicit Reader(std::string_view in)
      : begin_(in.data()), p_(in.data()), end_(in.data() + in.size()) {}

  void SkipBom() {
    if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") p_ += 3;
  }
  void Ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool AtEnd() const { return p_ == end_; }
  /// The position, in bytes from the start of the line.
  size_t Offset() const { return static_cast<size_t>(p_ - begin_); }
  bool Peek(char c) const { return p_ < end_ && *p_ == c; }
  bool Consume(char c) {
    if (!Peek(c)) return false;
    ++p_;
    return true;
  }

  /// A string at p_ (which must be '"'), decoded into *out (null: validated only).
  bool String(std::string* out);
  /// Any value, validated and skipped.
  bool SkipValue();
  /// `"key" ws : ws` with the key decoded into key_.
  bool Key();
  const std::string& key() const { return key_; }

 private:
  bool Escape(std::string* out);
  bool Hex4(uint32_t* v);
  uint32_t Surrogates(uint32_t high);
  bool Number();
  bool Literal(std::string_view word);
  bool Scalar();
  bool CloseContainers();

  const char* begin_;
  const char* p_;
  const char* end_;
  std::string key_;
  std::vector<char> stack_;  // open '{' / '[' of SkipValue
};

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

bool Reader::String(std::string* out) {
  ++p_;  // the opening quote
  if (out) out->clear();
  while (p_ < end_) {
    // A multi-byte character never holds a byte that ends a run, so each run is valid UTF-8
    // on its own when the string is.
    const std::string_view run(p_, PlainRun(p_, end_));
    if (!parse::IsValidUtf8(run)) return false;  // bytes that are not UTF-8
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

bool Reader::Escape(std::string* out) {
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
uint32_t Reader::Surrogates(uint32_t high) {
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

bool Reader::Hex4(uint32_t* v) {
  if (end_ - p_ < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) {
    const int d = HexDigit(*p_++);
    if (d < 0) return false;
    *v = (*v << 4) | static_cast<uint32_t>(d);
  }
  return true;
}

// RFC 8259 number grammar (any magnitude: no field newsd reads is a number).
bool Reader::Number() {
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
  return true;
}

bool Reader::Literal(std::string_view word) {
  if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
    return false;
  }
  p_ += word.size();
  return true;
}

// A string, number or literal at p_.
bool Reader::Scalar() {
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
      return Number();
  }
}

bool Reader::Key() {
  if (!Peek('"') || !String(&key_)) return false;
  Ws();
  if (!Consume(':')) return false;
  Ws();
  return true;
}

bool Reader::SkipValue() {
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
bool Reader::CloseContainers() {
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

/// The members of the object being decoded.
class ArticleFields {
 public:
  explicit ArticleFields(Article* a) : a_(a) {
    for (std::string* s : {&a->id, &a->source, &a->url, &a->title, &a->text}) s->clear();
  }

  /// The value of member `key` at the reader's position.
  bool Member(std::string_view key, Reader& in) {
    const Field field = FieldOf(key);
    if (field == Field::kOther) return in.SkipValue();
    if (field == Field::kPublished) {
      if (in.Peek('"')) {
        published_ = Published::kString;
        return in.String(&published_text_);
      }
      published_ = in.Peek('n') ? Published::kNull : Published::kOther;
      return in.SkipValue();  // validates that 'n' starts "null"
    }
    if (field == Field::kId) id_given_ = true;
    std::string* target = Target(field);
    const auto bit = static_cast<uint8_t>(1u << static_cast<int>(field));
    wrong_type_ &= static_cast<uint8_t>(~bit);  // the last value of a repeated key counts
    if (in.Peek('"')) return in.String(target);
    target->clear();  // null: absent
    if (!in.Peek('n')) wrong_type_ |= bit;
    return in.SkipValue();
  }

  /// Fills the rest of the article once the object decoded.
  Status Finish(UnixSeconds now) {
    // A number, list or object where text belongs would be lost: the line is refused.
    for (const char* name : {"id", "source", "url", "title", "text"}) {
      if (wrong_type_ & (1u << static_cast<int>(FieldOf(name)))) {
        return Status::InvalidArgument("\"" + std::string(name) + "\" is not a string (nor null)");
      }
    }
    if (a_->id.empty()) {
      return Status::InvalidArgument(id_given_ ? "\"id\" is empty or null: every line needs one"
                                               : "missing \"id\"");
    }
    if (a_->id.size() > kMaxIdBytes) {
      return Status::InvalidArgument("\"id\" is " + std::to_string(a_->id.size()) +
                                     " bytes long: at most " + std::to_string(kMaxIdBytes));
    }
    // The archive's keys cannot hold a NUL: refused here, for this line alone.
    if (a_->id.find('\0') != std::string::npos) {
      return Status::InvalidArgument("\"id\" contains a NUL character (\\u0000)");
    }
    a_->feed = a_->source;
    a_->arrived = now;
    a_->published.reset();
    if (published_ == Published::kString) {
      a_->published = ParseIso8601DateOrTime(published_text_);
    }
    if (published_ == Published::kOther || (published_ == Published::kString && !a_->published)) {
      return Status::InvalidArgument(std::string(kPublishedForms));
    }
    a_->published = KnownDate(a_->published);  // the epoch: no date (core/article.h)
    return Status::Ok();
  }

 private:
  std::string* Target(Field field) {
    switch (field) {
      case Field::kId:
        return &a_->id;
      case Field::kSource:
        return &a_->source;
      case Field::kUrl:
        return &a_->url;
      case Field::kTitle:
        return &a_->title;
      default:
        return &a_->text;
    }
  }

  Article* a_;
  Published published_ = Published::kAbsent;
  std::string published_text_;
  uint8_t wrong_type_ = 0;  // bit per Field: its value is not a string or null
  bool id_given_ = false;   // an "id" member, whatever its value
};

// `{ members }` at the reader's position.
bool DecodeObject(Reader& in, ArticleFields& fields) {
  if (!in.Consume('{')) return false;
  in.Ws();
  if (in.Consume('}')) return true;
  for (;;) {
    if (!in.Key() || !fields.Member(in.key(), in)) return false;
    in.Ws();
    if (in.Consume('}')) return true;
    if (!in.Consume(',')) return false;
    in.Ws();
  }
}

// Why a line is not one JSON object; `in` stopped where the object stopped fitting, `opened`
// when the line starts with '{'.
Status NotAnObject(std::string_view line, const Reader& in, bool opened) {
  if (!parse::IsValidUtf8(line)) {
    return Status::InvalidArgument(
        "not valid UTF-8: convert the file first (iconv -f windows-1251 -t utf-8, say)");
  }
  if (!opened) return Status::InvalidArgument("not a JSON object (one {...} article a line)");
  if (in.AtEnd()) {
    return Status::InvalidArgument("not valid JSON: the line ends inside its object (cut short?)");
  }
  return Status::InvalidArgument("not valid JSON near byte " + std::to_string(in.Offset() + 1) +
                                 " of the line");
}

}  // namespace

Status DecodeArticleLine(std::string_view line, UnixSeconds now, Article* article) {
  Reader in(line);
  in.SkipBom();
  in.Ws();
  const bool opened = in.Peek('{');
  ArticleFields fields(article);
  if (!DecodeObject(in, fields)) return NotAnObject(line, in, opened);
  in.Ws();
  if (!in.AtEnd()) {
    if (!parse::IsValidUtf8(line)) return NotAnObject(line, in, opened);
    return Status::InvalidArgument("not valid JSON: more after the object, at byte " +
                                   std::to_string(in.Offset() + 1) + " (one article a line)");
  }
  return fields.Finish(now);
}

namespace {

// One quick pass over a line for its top-level "published" member: strings are skipped by
// their quotes and escapes, containers by their depth, and nothing is validated (the line is
// decoded in full later): a third of the instructions of the validating Reader on the dev
// corpus.
class PublishedScan {
 public:
  explicit PublishedScan(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}

  std::optional<UnixSeconds> Run() {
    if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") p_ += 3;
    Ws();
    if (!Consume('{')) return std::nullopt;
    std::optional<UnixSeconds> published;
    for (;;) {
      Ws();
      std::string_view key;
      if (!SkipString(&key)) return std::nullopt;
      Ws();
      if (!Consume(':')) return std::nullopt;
      Ws();
      std::string_view value;
      const bool published_key =
          key == "published" || (key.size() > 9 && Decoded(key) == "published");
      if (!published_key) {
        if (!SkipValue()) return std::nullopt;
      } else if (p_ < end_ && *p_ == '"') {
        if (!SkipString(&value)) return std::nullopt;
        published = KnownDate(ParseIso8601DateOrTime(Decoded(value)));
      } else {
        published.reset();  // null, or no time
        if (!SkipValue()) return std::nullopt;
      }
      Ws();
      if (Consume('}')) return published;
      if (!Consume(',')) return std::nullopt;
    }
  }

 private:
  void Ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool Consume(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  // A string at p_: its bytes between the quotes, escapes as they are, in *raw (may be null).
  bool SkipString(std::string_view* raw) {
    if (!Consume('"')) return false;
    const char* start = p_;
    for (;;) {
      // The next quote ends the string unless an odd run of backslashes escapes it.
      const auto* quote = static_cast<const char*>(std::memchr(p_, '"', end_ - p_));
      if (quote == nullptr) return false;
      const char* q = quote;
      while (q > start && q[-1] == '\\') --q;
      p_ = quote;
      if ((quote - q) % 2 == 0) break;
      ++p_;
    }
    if (raw != nullptr) *raw = std::string_view(start, static_cast<size_t>(p_ - start));
    ++p_;
    return true;
  }
  // Any value at p_.
  bool SkipValue() {
    if (p_ < end_ && *p_ == '"') return SkipString(nullptr);
    if (p_ < end_ && (*p_ == '{' || *p_ == '[')) {
      for (int depth = 0; p_ < end_;) {
        const char c = *p_;
        if (c == '"') {
          if (!SkipString(nullptr)) return false;
          continue;
        }
        ++p_;
        if (c == '{' || c == '[') ++depth;
        if ((c == '}' || c == ']') && --depth == 0) return true;
      }
      return false;
    }
    const char* start = p_;
    while (p_ < end_ && std::string_view(",}] \t\r\n").find(*p_) == std::string_view::npos) ++p_;
    return p_ > start;
  }
  // `raw` (a string's bytes) with its escapes decoded; as it is when it has none.
  std::string_view Decoded(std::string_view raw) {
    if (raw.find('\\') == std::string_view::npos) return raw;
    decoded_.clear();
    std::string quoted = "\"" + std::string(raw) + "\"";
    Reader in(quoted);
    if (!in.String(&decoded_)) decoded_.clear();
    return decoded_;
  }

  const char* p_;
  const char* end_;
  std::string decoded_;
};

}  // namespace

std::optional<UnixSeconds> PublishedOfLine(std::string_view line) {
  return PublishedScan(line).Run();
}

}  // namespace newsd::daemon
