#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "dedup/fingerprint.h"

namespace newsd::dedup {

/// The family of the records below.
inline constexpr char kDocsFamily[] = "dedup_docs";

/// What the index keeps of one item, and what a "dedup_docs" record holds.
struct StoredDoc {
  ItemId item;
  StoryId story;
  UnixSeconds time = 0;
  uint32_t token_count = 0;
  std::vector<Shingle> shingles;  ///< Sorted, unique.
  std::vector<Shingle> lead;      ///< First shingles of the body, in text order.
  std::vector<Shingle> numbers;   ///< Sorted, unique.
  std::vector<Shingle> titles;    ///< Title keys (Fingerprint::titles).
  std::vector<Shingle> figures;   ///< Fingerprint::figures (empty in records before them).
  uint64_t filing = 0;            ///< Fingerprint::filing (0 in records before it).
  std::vector<Shingle> aside;     ///< Fingerprint::aside (empty in records before it).
  bool title_only = false;        ///< Fingerprint::title_only (false in records before it).
  std::vector<Shingle> names;     ///< Fingerprint::names (empty in records before them).
  bool correction = false;        ///< Fingerprint::correction (false in records before it).
  bool aside_frames = false;      ///< Fingerprint::aside_frames (false in records before it).
};

/// A StoredDoc without ownership (what Insert encodes straight from a fingerprint).
struct DocView {
  std::string_view item, story;
  UnixSeconds time = 0;
  uint32_t token_count = 0;
  std::span<const Shingle> shingles, lead, numbers, titles, figures;
  uint64_t filing = 0;
  std::span<const Shingle> aside;
  bool title_only = false;
  std::span<const Shingle> names;
  bool correction = false;
  bool aside_frames = false;
};
inline DocView ViewOf(const StoredDoc& d) {
  return {d.item,  d.story,      d.time,   d.token_count, d.shingles,
          d.lead,  d.numbers,    d.titles, d.figures,     d.filing,
          d.aside, d.title_only, d.names,  d.correction,  d.aside_frames};
}

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
std::string EncodeDocKey(const DocView& doc, int64_t bucket_seconds);
inline std::string EncodeDocKey(const StoredDoc& doc, int64_t bucket_seconds) {
  return EncodeDocKey(ViewOf(doc), bucket_seconds);
}
/// Compact value: version, time, story, token count, then shingles, lead, numbers, title keys
/// and figures (each a varint count and 4-byte big-endian values), then the filing key (8
/// bytes, big-endian), then the shingles set aside (a count and values), then a flags byte
/// (bit 0: title only; bit 1: a correction, Fingerprint::correction; bit 2: the lines set aside
/// frame the text, Fingerprint::aside_frames). The item id lives in the key.
/// Records of versions 2 (no title keys), 3 (no figures), 4 (no filing key) and 5 (nothing set
/// aside, not title only) still decode, without what they lack.
std::string EncodeDocValue(const DocView& doc);
inline std::string EncodeDocValue(const StoredDoc& doc) { return EncodeDocValue(ViewOf(doc)); }
/// Decodes a key/value pair; false when malformed.
bool DecodeDoc(std::string_view key, std::string_view value, StoredDoc* doc);

}  // namespace newsd::dedup
