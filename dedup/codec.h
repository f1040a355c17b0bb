#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/time.h"

namespace newsd::dedup {

/// What the index keeps of one item, and what a "dedup_docs" record holds.
struct StoredDoc {
  ItemId item;
  StoryId story;
  UnixSeconds time = 0;
  uint32_t token_count = 0;
  std::vector<uint64_t> shingles;  ///< Sorted, unique.
  std::vector<uint64_t> lead;      ///< First shingles of the body, in text order.
  std::vector<uint64_t> numbers;   ///< Sorted, unique.
};

/// Time bucket of `time` for buckets `width` seconds wide (floor division).
int64_t TimeBucket(UnixSeconds time, int64_t width);

/// 8 bytes, big-endian, sign-flipped so that byte order is numeric order.
std::string EncodeBucket(int64_t bucket);
bool DecodeBucket(std::string_view bytes, int64_t* bucket);

/// Appends a 64-bit value in big-endian order.
void PutFixed64BE(std::string* out, uint64_t value);
void PutFixed64BE(char* out, uint64_t value);  ///< Writes 8 bytes at `out`.
bool GetFixed64BE(std::string_view* in, uint64_t* value);

/// "dedup_docs" key: EncodeBucket(bucket of doc.time) + item id.
std::string EncodeDocKey(const StoredDoc& doc, int64_t bucket_seconds);
/// Compact value: version, time, story, token count, shingles (8 bytes each), lead positions
/// (varint ranks into the shingle set), numbers. The item id lives in the key.
std::string EncodeDocValue(const StoredDoc& doc);
/// Decodes a key/value pair; false when malformed.
bool DecodeDoc(std::string_view key, std::string_view value, StoredDoc* doc);

}  // namespace newsd::dedup
