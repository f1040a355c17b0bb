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
  uint8_t len[256] = {};    // UTF-8 bytes of each byte's character; 0: invalid in the charset
  uint32_t utf8[256] = {};  // those bytes, in memory order
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
    }
  }
  iconv_close(cd);
  t.ok = true;
  return t;
}

// The table for `name` (an IconvName result) when it is a single-byte charset whose glibc
// converter is stateless; nullptr otherwise. (windows-1255/1258 are left to iconv: glibc
// composes their combining marks.) Thread-safe.
const ByteTable* SingleByteTable(std::string_view name) {
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

// False when a byte is invalid in the charset.
bool DecodeWithTable(const ByteTable& t, std::string_view in, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  out->resize(in.size() * t.max_len + 4);  // each character is stored as 4 bytes, then cut
  char* dst = out->data();
  const size_t n = in.size();  // locals: stores through dst may alias anything
  const uint8_t* len = t.len;
  const uint32_t* utf8 = t.utf8;
  bool invalid = false;
  for (size_t i = 0; i < n; ++i) {
    uint8_t l = len[p[i]];
    std::memcpy(dst, &utf8[p[i]], 4);
    dst += l;
    invalid |= l == 0;
  }
  if (invalid) return false;
  out->resize(static_cast<size_t>(dst - out->data()));
  return true;
}

}  // namespace

std::optional<bool> DecodeSingleByte(std::string_view in, std::string_view iconv_name,
                                     std::string* out) {
  const ByteTable* table = SingleByteTable(iconv_name);
  if (table == nullptr) return std::nullopt;
  return DecodeWithTable(*table, in, out);
}

}  // namespace newsd::parse
