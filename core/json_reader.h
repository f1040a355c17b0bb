#pragma once

// A strict, fast JSON (RFC 8259) reader without a document tree: the lines of `newsd import`
// and JSON Feed documents are read with it. Iterative, so deep nesting cannot exhaust the
// stack; strings are scanned sixteen bytes at a time.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsd {

class JsonEvents;

/// Reads JSON from a text that must be valid UTF-8 (the caller checks it first: string bytes
/// are copied as they are). Every method returns false on malformed input; the position is
/// then at, or a few bytes past, the first byte that does not fit, or at the end when the
/// text ends before the value does (inside a string, an escape, a number or a literal): a
/// text cut short is told by AtEnd().
class JsonReader {
 public:
  explicit JsonReader(std::string_view in)
      : begin_(in.data()), p_(in.data()), end_(in.data() + in.size()) {}

  /// Skips a UTF-8 byte-order mark at the position.
  void SkipBom();
  /// Skips JSON white space (space, tab, line feed, carriage return).
  void Ws();
  bool AtEnd() const { return p_ == end_; }
  /// The position, in bytes from the start of the text.
  size_t Offset() const { return static_cast<size_t>(p_ - begin_); }
  bool Peek(char c) const { return p_ < end_ && *p_ == c; }
  bool Consume(char c) {
    if (!Peek(c)) return false;
    ++p_;
    return true;
  }

  /// A string at the position (which must be '"'), its escapes decoded into *out (null:
  /// validated only). A lone UTF-16 surrogate escape ("\ud83d" without its pair) is U+FFFD.
  bool String(std::string* out);
  /// A number at the position (RFC 8259's grammar, any magnitude); its text in *text.
  bool Number(std::string_view* text);
  /// Any value at the position, validated and skipped.
  bool SkipValue();
  /// `"key" ws : ws` with the key decoded into key().
  bool Key();
  const std::string& key() const { return key_; }

  /// ReadJsonEvents.
  bool ReadEvents(JsonEvents* events);

 private:
  bool Escape(std::string* out);
  bool Hex4(uint32_t* v);
  uint32_t Surrogates(uint32_t high);
  bool Literal(std::string_view word);
  bool Scalar();
  bool CloseContainers();

  const char* begin_;
  const char* p_;
  const char* end_;
  std::string key_;
  std::vector<char> stack_;  // open '{' / '[' of SkipValue
};

/// What ReadJsonEvents hands over, in document order. A handler that returns false stops the
/// reading (ReadJsonEvents then returns false too, at the position of that value).
class JsonEvents {
 public:
  enum class Kind { kString, kNumber, kTrue, kFalse, kNull };

  virtual ~JsonEvents() = default;
  /// A scalar: a string decoded, a number as written, a literal's word. `text` may be moved
  /// from.
  virtual bool OnScalar(Kind kind, std::string& text) = 0;
  /// A member's key, before its value.
  virtual bool OnKey(std::string& key) = 0;
  /// '{' (object) or '['.
  virtual bool OnOpen(bool object) = 0;
  /// '}' (object) or ']'.
  virtual bool OnClose(bool object) = 0;
};

/// Reads one value at the reader's position (white space before and after it skipped) into
/// `events`. False when the text is malformed or a handler stopped it: `in->Offset()` says
/// where. Text after the value is left to the caller.
bool ReadJsonEvents(JsonReader* in, JsonEvents* events);

/// "line L, column C" (1-based; columns in bytes) of byte `offset` of `text`.
std::string JsonPlace(std::string_view text, size_t offset);

}  // namespace newsd
