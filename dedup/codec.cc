#include "dedup/codec.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace newsd::dedup {
namespace {

constexpr uint8_t kDocVersion = 1;
constexpr uint64_t kSignFlip = uint64_t{1} << 63;
constexpr size_t kMaxCount = 1 << 20;  // Sanity bound on decoded vector sizes.

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

std::string EncodeDocKey(const StoredDoc& doc, int64_t bucket_seconds) {
  return EncodeBucket(TimeBucket(doc.time, bucket_seconds)) + doc.item;
}

std::string EncodeDocValue(const StoredDoc& doc) {
  std::string out;
  out.reserve(16 + doc.story.size() + doc.shingles.size() * 8 + doc.numbers.size() * 8);
  out.push_back(static_cast<char>(kDocVersion));
  PutVarint(&out, ZigZag(doc.time));
  PutString(&out, doc.story);
  PutVarint(&out, doc.token_count);
  PutVarint(&out, doc.shingles.size());
  // Shingle hashes are uniform 64-bit values: deltas would not compress, so store them raw.
  size_t at = out.size();
  out.resize(at + 8 * doc.shingles.size());
  for (uint64_t s : doc.shingles) {
    PutFixed64BE(out.data() + at, s);
    at += 8;
  }
  PutVarint(&out, doc.lead.size());
  for (uint64_t s : doc.lead) {  // Lead shingles are members of the set: store their rank.
    auto it = std::lower_bound(doc.shingles.begin(), doc.shingles.end(), s);
    PutVarint(&out, static_cast<uint64_t>(it - doc.shingles.begin()));
  }
  PutVarint(&out, doc.numbers.size());
  for (uint64_t n : doc.numbers) PutFixed64BE(&out, n);
  return out;
}

bool DecodeDoc(std::string_view key, std::string_view value, StoredDoc* doc) {
  if (key.size() <= 8 || value.empty() || static_cast<uint8_t>(value[0]) != kDocVersion) {
    return false;
  }
  doc->item.assign(key.substr(8));
  value.remove_prefix(1);
  uint64_t v = 0, n = 0;
  if (!GetVarint(&value, &v)) return false;
  doc->time = UnZigZag(v);
  if (!GetString(&value, &doc->story) || !GetVarint(&value, &v)) return false;
  doc->token_count = static_cast<uint32_t>(v);
  if (!GetCount(&value, &n)) return false;
  doc->shingles.resize(n);
  for (uint64_t& s : doc->shingles) {
    if (!GetFixed64BE(&value, &s)) return false;
  }
  if (!GetCount(&value, &n)) return false;
  doc->lead.resize(n);
  for (uint64_t& s : doc->lead) {
    if (!GetVarint(&value, &v) || v >= doc->shingles.size()) return false;
    s = doc->shingles[v];
  }
  if (!GetCount(&value, &n)) return false;
  doc->numbers.resize(n);
  for (uint64_t& s : doc->numbers) {
    if (!GetFixed64BE(&value, &s)) return false;
  }
  return value.empty();
}

}  // namespace newsd::dedup
