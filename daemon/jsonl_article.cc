#include "daemon/jsonl_article.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "parse/encoding.h"
#include "parse/url.h"

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

/// The members of the object being decoded.
class ArticleFields {
 public:
  explicit ArticleFields(Article* a) : a_(a) {
    for (std::string* s : {&a->id, &a->source, &a->url, &a->title, &a->text}) s->clear();
  }

  /// The value of member `key` at the reader's position.
  bool Member(std::string_view key, JsonReader& in) {
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
    if (parse::IsScriptUrl(a_->url)) a_->url.clear();  // as a feed's (convert.cc)
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
bool DecodeObject(JsonReader& in, ArticleFields& fields) {
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
Status NotAnObject(const JsonReader& in, bool opened) {
  if (!opened) return Status::InvalidArgument("not a JSON object (one {...} article a line)");
  if (in.AtEnd()) {
    return Status::InvalidArgument("not valid JSON: the line ends inside its object (cut short?)");
  }
  return Status::InvalidArgument("not valid JSON near byte " + std::to_string(in.Offset() + 1) +
                                 " of the line");
}

}  // namespace

Status DecodeArticleLine(std::string_view line, UnixSeconds now, Article* article) {
  // The reader copies string bytes as they are: the line is checked first.
  if (!parse::IsValidUtf8(line)) {
    return Status::InvalidArgument(
        "not valid UTF-8: convert the file first (iconv -f windows-1251 -t utf-8, say)");
  }
  JsonReader in(line);
  in.SkipBom();
  in.Ws();
  const bool opened = in.Peek('{');
  ArticleFields fields(article);
  if (!DecodeObject(in, fields)) return NotAnObject(in, opened);
  in.Ws();
  if (!in.AtEnd()) {
    return Status::InvalidArgument("not valid JSON: more after the object, at byte " +
                                   std::to_string(in.Offset() + 1) + " (one article a line)");
  }
  return fields.Finish(now);
}

namespace {

// One quick pass over a line for its top-level "published" and "id" members: strings are skipped by
// their quotes and escapes, containers by their depth, and nothing is validated (the line is
// decoded in full later): a third of the instructions of the validating Reader on the dev
// corpus.
class KeyScan {
 public:
  explicit KeyScan(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}

  // The keys of a line; none of them when it is not a JSON object as far as this pass sees.
  LineKeys Run() {
    if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") p_ += 3;
    Ws();
    if (!Consume('{')) return {};
    LineKeys keys;
    for (;;) {
      Ws();
      std::string_view key;
      if (!SkipString(&key)) return {};
      Ws();
      if (!Consume(':')) return {};
      Ws();
      if (!Member(key, &keys)) return {};
      Ws();
      if (Consume('}')) return keys;
      if (!Consume(',')) return {};
    }
  }

 private:
  // The value of member `key` at p_, noted in *keys when it is "published" or "id".
  bool Member(std::string_view key, LineKeys* keys) {
    const bool published_key =
        key == "published" || (key.size() > 9 && Decoded(key) == "published");
    const bool id_key = key == "id" || (key.size() > 2 && Decoded(key) == "id");
    std::string_view value;
    if (!(published_key || id_key) || p_ == end_ || *p_ != '"') {
      if (published_key) keys->published.reset();  // null, or no time
      if (id_key) keys->id_hash.reset();
      return SkipValue();
    }
    if (!SkipString(&value)) return false;
    if (published_key) {
      keys->published = KnownDate(ParseIso8601DateOrTime(Decoded(value)));
    } else {
      keys->id_hash = std::hash<std::string_view>()(Decoded(value));
    }
    return true;
  }

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
    JsonReader in(quoted);
    if (!in.String(&decoded_)) decoded_.clear();
    return decoded_;
  }

  const char* p_;
  const char* end_;
  std::string decoded_;
};

}  // namespace

std::optional<UnixSeconds> PublishedOfLine(std::string_view line) {
  return KeyScan(line).Run().published;
}

LineKeys KeysOfLine(std::string_view line) { return KeyScan(line).Run(); }

}  // namespace newsd::daemon
