#include "parse/single_byte.h"

#include <iconv.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "parse/encoding.h"

namespace newsd::parse {
namespace {

// A stateless single-byte charset as a 256-entry table, read once from iconv itself, so that
// decoding with it gives exactly iconv's result without iconv's per-call and per-byte cost.
struct ByteTable {
  bool ok = false;
  uint8_t len[256] = {};        // UTF-8 bytes of each byte's character (U+FFFD's if undefined)
  uint32_t utf8[256] = {};      // those bytes, in memory order
  uint8_t undefined[256] = {};  // 1: the byte is invalid in the charset
  size_t max_len = 0;
};

ByteTable MakeByteTable(const char* iconv_name) {
  ByteTable t;
  iconv_t cd = iconv_open("UTF-8", iconv_name);
  if (cd == reinterpret_cast<iconv_t>(-1)) return t;  // NOLINT(performance-no-int-to-ptr)
  for (int b = 0; b < 256; ++b) {
    char in = static_cast<char>(b);
    char out[8];
    char* src = &in;
    char* dst = out;
    size_t src_left = 1, dst_left = sizeof(out);
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset the state
    size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    size_t n = sizeof(out) - dst_left;
    if (r != static_cast<size_t>(-1) && src_left == 0 && n >= 1 && n <= 4 &&
        IsValidUtf8(std::string_view(out, n))) {
      t.len[b] = static_cast<uint8_t>(n);
      std::memcpy(&t.utf8[b], out, n);
      t.max_len = std::max(t.max_len, n);
    } else {
      t.undefined[b] = 1;
      t.len[b] = 3;
      std::memcpy(&t.utf8[b], "\xEF\xBF\xBD", 3);  // U+FFFD REPLACEMENT CHARACTER
      t.max_len = std::max<size_t>(t.max_len, 3);
    }
  }
  iconv_close(cd);
  t.ok = true;
  return t;
}

// Mac OS code pages glibc's iconv lacks or maps otherwise (MacGreek, MacTurkish, MacIcelandic
// as Python's mac_greek, mac_turkish and mac_iceland decode them; feedparser's test labels):
// the characters of bytes 0x80-0xFF (0x00-0x7F are ASCII).
constexpr char16_t kMacGreek[128] = {
    0x00C4, 0x00B9, 0x00B2, 0x00C9, 0x00B3, 0x00D6, 0x00DC, 0x0385, 0x00E0, 0x00E2, 0x00E4, 0x0384,
    0x00A8, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00A3, 0x2122, 0x00EE, 0x00EF, 0x2022, 0x00BD,
    0x2030, 0x00F4, 0x00F6, 0x00A6, 0x20AC, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x0393, 0x0394, 0x0398,
    0x039B, 0x039E, 0x03A0, 0x00DF, 0x00AE, 0x00A9, 0x03A3, 0x03AA, 0x00A7, 0x2260, 0x00B0, 0x00B7,
    0x0391, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x0392, 0x0395, 0x0396, 0x0397, 0x0399, 0x039A, 0x039C,
    0x03A6, 0x03AB, 0x03A8, 0x03A9, 0x03AC, 0x039D, 0x00AC, 0x039F, 0x03A1, 0x2248, 0x03A4, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x03A5, 0x03A7, 0x0386, 0x0388, 0x0153, 0x2013, 0x2015, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x0389, 0x038A, 0x038C, 0x038E, 0x03AD, 0x03AE, 0x03AF, 0x03CC, 0x038F,
    0x03CD, 0x03B1, 0x03B2, 0x03C8, 0x03B4, 0x03B5, 0x03C6, 0x03B3, 0x03B7, 0x03B9, 0x03BE, 0x03BA,
    0x03BB, 0x03BC, 0x03BD, 0x03BF, 0x03C0, 0x03CE, 0x03C1, 0x03C3, 0x03C4, 0x03B8, 0x03C9, 0x03C2,
    0x03C7, 0x03C5, 0x03B6, 0x03CA, 0x03CB, 0x0390, 0x03B0, 0x00AD,
};
constexpr char16_t kMacTurkish[128] = {
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3,
    0x00E5, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
    0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x00B0, 0x00A2, 0x00A3,
    0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
    0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA,
    0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153, 0x2013, 0x2014, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x011E, 0x011F, 0x0130, 0x0131, 0x015E, 0x015F,
    0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE,
    0x00CF, 0x00CC, 0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0xF8A0, 0x02C6, 0x02DC,
    0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
};
constexpr char16_t kMacIceland[128] = {
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3,
    0x00E5, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
    0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, 0x00DD, 0x00B0, 0x00A2, 0x00A3,
    0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
    0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA,
    0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153, 0x2013, 0x2014, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x2044, 0x20AC, 0x00D0, 0x00F0, 0x00DE, 0x00FE,
    0x00FD, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE,
    0x00CF, 0x00CC, 0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
    0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
};

ByteTable MakeEmbeddedTable(const char16_t (&upper)[128]) {
  ByteTable t;
  for (int b = 0; b < 256; ++b) {
    const char16_t cp = b < 0x80 ? static_cast<char16_t>(b) : upper[b - 0x80];
    char out[4] = {};
    size_t n = 0;
    if (cp < 0x80) {
      out[n++] = static_cast<char>(cp);
    } else if (cp < 0x800) {
      out[n++] = static_cast<char>(0xC0 | (cp >> 6));
      out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out[n++] = static_cast<char>(0xE0 | (cp >> 12));
      out[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    }
    t.len[b] = static_cast<uint8_t>(n);
    std::memcpy(&t.utf8[b], out, n);
    t.max_len = std::max(t.max_len, n);
  }
  t.ok = true;
  return t;
}

// The table for `name` (an IconvName result) when it is a single-byte charset whose glibc
// converter is stateless; nullptr otherwise. (windows-1255/1258 are left to iconv: glibc
// composes their combining marks.) Thread-safe.
const ByteTable* SingleByteTable(std::string_view name) {
  static const ByteTable kMac[] = {MakeEmbeddedTable(kMacGreek), MakeEmbeddedTable(kMacTurkish),
                                   MakeEmbeddedTable(kMacIceland)};
  if (name == "MACGREEK") return &kMac[0];
  if (name == "MACTURKISH") return &kMac[1];
  if (name == "MACICELAND") return &kMac[2];
  static constexpr const char* kNames[] = {
      "windows-1250", "windows-1251", "windows-1252", "windows-1253", "windows-1254",
      "windows-1256", "windows-1257", "cp1250",       "cp1251",       "cp1252",
      "cp1253",       "cp1254",       "cp1256",       "cp1257",       "koi8-r",
      "koi8-u",       "iso-8859-2",   "iso-8859-5",   "iso-8859-15",  "iso-ir-100"};
  constexpr size_t kCount = sizeof(kNames) / sizeof(kNames[0]);
  static const ByteTable* tables = [] {
    auto* t = new ByteTable[kCount];
    for (size_t i = 0; i < kCount; ++i) t[i] = MakeByteTable(kNames[i]);
    return t;
  }();
  for (size_t i = 0; i < kCount; ++i) {
    if (name == kNames[i]) return tables[i].ok ? &tables[i] : nullptr;
  }
  return nullptr;
}

// Returns how many bytes were invalid in the charset (each written as U+FFFD).
size_t DecodeWithTable(const ByteTable& t, std::string_view in, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  out->resize(in.size() * t.max_len + 4);  // each character is stored as 4 bytes, then cut
  char* dst = out->data();
  const size_t n = in.size();  // locals: stores through dst may alias anything
  const uint8_t* len = t.len;
  const uint32_t* utf8 = t.utf8;
  const uint8_t* undefined = t.undefined;
  size_t invalid = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t l = len[p[i]];
    std::memcpy(dst, &utf8[p[i]], 4);
    dst += l;
    invalid += undefined[p[i]];
  }
  out->resize(static_cast<size_t>(dst - out->data()));
  return invalid;
}

}  // namespace

std::optional<size_t> DecodeSingleByte(std::string_view in, std::string_view iconv_name,
                                       std::string* out) {
  const ByteTable* table = SingleByteTable(iconv_name);
  if (table == nullptr) return std::nullopt;
  return DecodeWithTable(*table, in, out);
}

}  // namespace newsd::parse
