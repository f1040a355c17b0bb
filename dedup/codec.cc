#include "dedup/codec.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace newsd::dedup {
namespace {

// 1: 64-bit shingles of UTF-32 token hashes (no longer read: their hashes differ).
// 2: 32-bit shingles of UTF-8 token hashes.
// 3: version 2 plus the title keys.
// 4: version 3 plus the figures.
// 5: version 4 plus the filing key.
// 6: version 5 plus the shingles set aside and the flags byte.
// 7: version 6 plus the names.
constexpr uint8_t kDocVersion = 7;
constexpr uint8_t kDocVersionNoNames = 6;
constexpr uint8_t kDocVersionNoAside = 5;
constexpr uint8_t kTitleOnlyFlag = 1;    // In the flags byte of version 6.
constexpr uint8_t kCorrectionFlag = 2;   // Ditto (0 in records written before it).
constexpr uint8_t kAsideFramesFlag = 4;  // Ditto.
constexpr uint8_t kDocVersionNoFiling = 4;
constexpr uint8_t kDocVersionNoFigures = 3;
constexpr uint8_t kDocVersionNoTitles = 2;
constexpr uint64_t kSignFlip = uint64_t{1} << 63;
constexpr size_t kMaxCount = kMaxSetSize;  // Sanity bound on decoded vector sizes.

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) {
      *v = result;
      return true;
    }
  }
  return false;
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

bool GetString(std::string_view* in, std::string* s) {
  uint64_t n = 0;
  if (!GetVarint(in, &n) || n > in->size()) return false;
  s->assign(in->substr(0, n));
  in->remove_prefix(n);
  return true;
}

bool GetCount(std::string_view* in, uint64_t* n) { return GetVarint(in, n) && *n <= kMaxCount; }

// Shingles as 4-byte big-endian values.
void PutShingles(std::string* out, std::span<const Shingle> values) {
  const size_t at = out->size();
  out->resize(at + 4 * values.size());
  char* p = out->data() + at;
  for (Shingle v : values) {
    const uint32_t be = std::endian::native == std::endian::little ? __builtin_bswap32(v) : v;
    std::memcpy(p, &be, 4);
    p += 4;
  }
}

bool GetShingles(std::string_view* in, uint64_t n, std::vector<Shingle>* values) {
  if (in->size() < 4 * n) return false;
  values->resize(n);
  const char* p = in->data();
  for (Shingle& v : *values) {
    uint32_t be;
    std::memcpy(&be, p, 4);
    v = std::endian::native == std::endian::little ? __builtin_bswap32(be) : be;
    p += 4;
  }
  in->remove_prefix(4 * n);
  return true;
}

}  // namespace

int64_t TimeBucket(UnixSeconds time, int64_t width) {
  int64_t q = time / width;
  return (time % width != 0 && time < 0) ? q - 1 : q;
}

void PutFixed64BE(std::string* out, uint64_t value) {
  const size_t at = out->size();
  out->resize(at + 8);
  PutFixed64BE(out->data() + at, value);
}

void PutFixed64BE(char* out, uint64_t value) {
  if constexpr (std::endian::native == std::endian::little) value = __builtin_bswap64(value);
  std::memcpy(out, &value, 8);
}

bool GetFixed64BE(std::string_view* in, uint64_t* value) {
  if (in->size() < 8) return false;
  uint64_t v;
  std::memcpy(&v, in->data(), 8);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  in->remove_prefix(8);
  *value = v;
  return true;
}

std::string EncodeBucket(int64_t bucket) {
  std::string out;
  PutFixed64BE(&out, static_cast<uint64_t>(bucket) ^ kSignFlip);
  return out;
}

bool DecodeBucket(std::string_view bytes, int64_t* bucket) {
  uint64_t v = 0;
  if (!GetFixed64BE(&bytes, &v)) return false;
  *bucket = static_cast<int64_t>(v ^ kSignFlip);
  return true;
}

std::string EncodeDocKey(const DocView& doc, int64_t bucket_seconds) {
  std::string key;
  key.reserve(8 + doc.item.size());
  PutFixed64BE(&key, static_cast<uint64_t>(TimeBucket(doc.time, bucket_seconds)) ^ kSignFlip);
  key.append(doc.item);
  return key;
}

std::string EncodeDocValue(const DocView& doc) {
  std::string out;
  out.reserve(32 + doc.story.size() +
              (doc.shingles.size() + doc.lead.size() + doc.numbers.size() + doc.titles.size() +
               doc.figures.size() + doc.aside.size() + doc.names.size()) *
                  4);
  out.push_back(static_cast<char>(kDocVersion));
  PutVarint(&out, ZigZag(doc.time));
  PutString(&out, doc.story);
  PutVarint(&out, doc.token_count);
  PutVarint(&out, doc.shingles.size());
  // Shingle hashes are uniform values: deltas would barely compress, so store them raw.
  PutShingles(&out, doc.shingles);
  PutVarint(&out, doc.lead.size());
  PutShingles(&out, doc.lead);
  PutVarint(&out, doc.numbers.size());
  PutShingles(&out, doc.numbers);
  PutVarint(&out, doc.titles.size());
  PutShingles(&out, doc.titles);
  PutVarint(&out, doc.figures.size());
  PutShingles(&out, doc.figures);
  char filing[8];
  PutFixed64BE(filing, doc.filing);
  out.append(filing, sizeof(filing));
  PutVarint(&out, doc.aside.size());
  PutShingles(&out, doc.aside);
  out.push_back(static_cast<char>((doc.title_only ? kTitleOnlyFlag : 0) |
                                  (doc.correction ? kCorrectionFlag : 0) |
                                  (doc.aside_frames ? kAsideFramesFlag : 0)));
  PutVarint(&out, doc.names.size());
  PutShingles(&out, doc.names);
  return out;
}

bool DecodeDoc(std::string_view key, std::string_view value, StoredDoc* doc) {
  if (key.size() <= 8 || value.empty()) return false;
  const auto version = static_cast<uint8_t>(value[0]);
  if (version < kDocVersionNoTitles || version > kDocVersion) return false;
  doc->item.assign(key.substr(8));
  value.remove_prefix(1);
  uint64_t v = 0, n = 0;
  if (!GetVarint(&value, &v)) return false;
  doc->time = UnZigZag(v);
  if (!GetString(&value, &doc->story) || !GetVarint(&value, &v)) return false;
  doc->token_count = static_cast<uint32_t>(v);
  if (!GetCount(&value, &n) || !GetShingles(&value, n, &doc->shingles)) return false;
  if (!GetCount(&value, &n) || !GetShingles(&value, n, &doc->lead)) return false;
  if (!GetCount(&value, &n) || !GetShingles(&value, n, &doc->numbers)) return false;
  doc->titles.clear();
  doc->figures.clear();
  if (version >= kDocVersionNoFigures &&
      (!GetCount(&value, &n) || !GetShingles(&value, n, &doc->titles))) {
    return false;
  }
  if (version >= kDocVersionNoFiling &&
      (!GetCount(&value, &n) || !GetShingles(&value, n, &doc->figures))) {
    return false;
  }
  doc->filing = 0;
  if (version >= kDocVersionNoAside && !GetFixed64BE(&value, &doc->filing)) return false;
  doc->aside.clear();
  doc->title_only = false;
  doc->correction = false;
  doc->aside_frames = false;
  doc->names.clear();
  if (version >= kDocVersionNoNames) {
    if (!GetCount(&value, &n) || !GetShingles(&value, n, &doc->aside) || value.empty()) {
      return false;
    }
    doc->title_only = (static_cast<uint8_t>(value[0]) & kTitleOnlyFlag) != 0;
    doc->correction = (static_cast<uint8_t>(value[0]) & kCorrectionFlag) != 0;
    doc->aside_frames = (static_cast<uint8_t>(value[0]) & kAsideFramesFlag) != 0;
    value.remove_prefix(1);
  }
  if (version >= kDocVersion && (!GetCount(&value, &n) || !GetShingles(&value, n, &doc->names))) {
    return false;
  }
  return value.empty();
}

}  // namespace newsd::dedup
