#include "parse/mojibake.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "parse/encoding.h"
#include "parse/single_byte.h"

namespace newsd::parse {
namespace {

// The bytes 0x80-0xFF of a single-byte code page by character: those below U+0500 (Latin-1,
// Cyrillic) in a flat table, the rest (punctuation, €, №, ™) in a short list.
class ReverseCodePage {
 public:
  explicit ReverseCodePage(std::string_view iconv_name) {
    for (int b = 0x80; b < 0x100; ++b) {
      const char byte = static_cast<char>(b);
      std::string utf8;
      const std::optional<size_t> undefined =
          DecodeSingleByte(std::string_view(&byte, 1), iconv_name, &utf8);
      // A byte the code page leaves undefined comes back, from software that kept it, as the
      // C1 control of the same number (0x98 in windows-1251 as U+0098).
      const char32_t cp = undefined.value_or(1) != 0 ? static_cast<char32_t>(b) : First(utf8);
      Add(cp, static_cast<uint8_t>(b));
    }
    for (int b = 0x80; b < 0xA0; ++b) {  // Latin-1's reading of the same bytes
      if (Byte(static_cast<char32_t>(b)) == 0)
        Add(static_cast<char32_t>(b), static_cast<uint8_t>(b));
    }
  }

  // The byte of `cp` in the code page; 0 when it has none.
  uint8_t Byte(char32_t cp) const {
    if (cp < kFlat) return flat_[cp];
    for (size_t i = 0; i < wide_count_; ++i) {
      if (wide_[i].cp == cp) return wide_[i].byte;
    }
    return 0;
  }

 private:
  static constexpr char32_t kFlat = 0x500;
  struct Wide {
    char32_t cp;
    uint8_t byte;
  };

  static char32_t First(std::string_view utf8) {
    const auto c = [&](size_t i) { return static_cast<char32_t>(static_cast<uint8_t>(utf8[i])); };
    if (utf8.size() == 2) return ((c(0) & 0x1F) << 6) | (c(1) & 0x3F);
    if (utf8.size() == 3) return ((c(0) & 0x0F) << 12) | ((c(1) & 0x3F) << 6) | (c(2) & 0x3F);
    return 0;
  }

  void Add(char32_t cp, uint8_t byte) {
    if (cp == 0 || cp == 0xFFFD) return;
    if (cp < kFlat) {
      flat_[cp] = byte;
    } else if (wide_count_ < wide_.size()) {
      wide_[wide_count_++] = {cp, byte};
    }
  }

  std::array<uint8_t, kFlat> flat_{};
  std::array<Wide, 128> wide_{};
  size_t wide_count_ = 0;
};

// Checks UTF-8 a byte at a time: lead bytes and the continuation bytes they need.
class Utf8Shape {
 public:
  // True when the next byte must be the second of a two-byte sequence led by `lead`.
  bool AwaitsSecondOf(uint8_t lead) const { return need_ == 1 && lead_ == lead; }

  // False when `b` cannot come next in UTF-8.
  bool Next(uint8_t b) {
    if (need_ > 0) {
      --need_;
      return (b & 0xC0) == 0x80;
    }
    if (b < 0x80) return true;
    if (b < 0xC2 || b > 0xF4) return false;
    lead_ = b;
    need_ = b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    ++multibyte_;
    return true;
  }
  bool Complete() const { return need_ == 0; }
  size_t multibyte() const { return multibyte_; }

 private:
  int need_ = 0;
  uint8_t lead_ = 0;
  size_t multibyte_ = 0;
};

// The next code point of valid UTF-8 `s` at `*i`, advancing `*i`.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto c = [&](size_t k) { return static_cast<char32_t>(static_cast<uint8_t>(s[k])); };
  const char32_t b = c(*i);
  const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t cp = n == 1 ? b : b & (0x7F >> n);
  for (size_t k = 1; k < n && *i + k < s.size(); ++k) cp = (cp << 6) | (c(*i + k) & 0x3F);
  *i += n;
  return cp;
}

// The position of the first byte of `s` past ASCII, eight bytes at a time; s.size() if none.
size_t FirstNonAscii(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
  }
  while (i < s.size() && static_cast<uint8_t>(s[i]) < 0x80) ++i;
  return i;
}

// True when every character of `utf8` past ASCII is one a garbled text stands for: Latin-1 and
// Latin Extended letters, Greek, Cyrillic, punctuation and symbols (U+2000-U+2BFF: dashes,
// currency signs such as ₸ and ₽, №, ™, arrows, mathematical signs), emoji. Text garbled
// the other way round ("Spaß ist" read back as "Spaߠist", NKo; "Pelé –" as CJK) is not.
bool PlausibleText(std::string_view utf8) {
  for (size_t i = FirstNonAscii(utf8); i < utf8.size();) {
    const char32_t cp = NextCodePoint(utf8, &i);
    const bool letters = cp >= 0xA0 && cp < 0x500;
    const bool symbols = cp >= 0x2000 && cp < 0x2C00;
    const bool emoji = (cp >= 0x1F000 && cp < 0x1FB00) || cp == 0xFE0F;
    if (cp >= 0x80 && !letters && !symbols && !emoji) return false;
  }
  return true;
}

// `s` with each character replaced by its byte in `page` (a space after a lead byte 0xC2 or
// 0xD0 by 0xA0), when that gives valid UTF-8 of plausible characters (PlausibleText) with at
// least kMinMultibyte multi-byte characters; false otherwise.
constexpr size_t kMinMultibyte = 3;
bool BytesBack(std::string_view s, const ReverseCodePage& page, std::string* out) {
  Utf8Shape shape;
  out->clear();
  for (size_t i = 0; i < s.size();) {
    const char32_t cp = NextCodePoint(s, &i);
    uint8_t byte = cp < 0x80 ? static_cast<uint8_t>(cp) : page.Byte(cp);
    // A no-break space that a later step turned into a space: byte 0xA0 of "Р" (0xD0 0xA0) or
    // of a no-break space (0xC2 0xA0).
    if (cp == ' ' && (shape.AwaitsSecondOf(0xD0) || shape.AwaitsSecondOf(0xC2))) byte = 0xA0;
    if ((byte == 0 && cp != 0) || !shape.Next(byte)) return false;
    out->push_back(static_cast<char>(byte));
  }
  return shape.Complete() && shape.multibyte() >= kMinMultibyte && IsValidUtf8(*out) &&
         PlausibleText(*out);
}

}  // namespace

bool UndoDoubleEncoding(std::string* s) {
  const size_t ascii = FirstNonAscii(*s);
  if (ascii == s->size()) return false;
  static const ReverseCodePage kPages[] = {ReverseCodePage("windows-1251"),
                                           ReverseCodePage("windows-1252")};
  const std::string_view rest = std::string_view(*s).substr(ascii);
  std::string bytes;
  for (const ReverseCodePage& page : kPages) {
    if (BytesBack(rest, page, &bytes)) {
      s->replace(ascii, std::string::npos, bytes);
      return true;
    }
  }
  return false;
}

size_t UndoDoubleEncoding(Feed* feed) {
  size_t restored = 0;
  const auto undo = [&restored](std::optional<std::string>* field) {
    if (*field && UndoDoubleEncoding(&**field)) ++restored;
  };
  undo(&feed->feed.title);
  undo(&feed->feed.subtitle);
  for (Entry& e : feed->entries) {
    undo(&e.title);
    undo(&e.summary);
    for (Content& c : e.content) restored += UndoDoubleEncoding(&c.value) ? 1 : 0;
  }
  return restored;
}

}  // namespace newsd::parse
