#pragma once

// Byte layout of the archive: record values and composite keys. Storage-internal (the RocksDB
// archive and its tests use it); no RocksDB here. docs/STORAGE.md describes the layout.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/records.h"

namespace newsd::storage::codec {

/// First byte of every encoded record value. A value with another first byte is Corruption.
inline constexpr uint8_t kRecordFormat = 1;

/// Where an item stands: `seq`, its insertion sequence number, orders StoryItems; `exported`
/// is its key in the item_seq family (the export order): `seq`, unless a revision
/// (ItemRecord::revised) moved it to the end.
struct ItemPlace {
  uint64_t seq = 0;
  uint64_t exported = 0;
  friend bool operator==(const ItemPlace&, const ItemPlace&) = default;
};

/// An items value: the record without its id (the key holds it) plus its place.
std::string EncodeItem(const ItemRecord& item, ItemPlace place);
/// EncodeItem into *out (replacing its contents), reusing its memory.
void EncodeItem(const ItemRecord& item, ItemPlace place, std::string* out);
/// Fills *item (id = `id`) and *place from an items value. Corruption when the bytes do not
/// decode exactly (truncated, trailing bytes, unknown format); never crashes.
Status DecodeItem(std::string_view id, std::string_view value, ItemRecord* item, ItemPlace* place);

/// A story_items value: empty, or the item's export key when a revision moved it
/// (ItemPlace::exported != seq), so that retention finds that key without reading the item.
std::string StoryItemsValue(ItemPlace place);
/// The export key a story_items value names, or `seq` (the key's) when it is empty or
/// unreadable.
uint64_t ExportedOfStoryItemsValue(std::string_view value, uint64_t seq);

std::string EncodeStory(const StoryRecord& story);
Status DecodeStory(std::string_view id, std::string_view value, StoryRecord* story);

std::string EncodeFeed(const FeedState& feed);
Status DecodeFeed(std::string_view id, std::string_view value, FeedState* feed);
/// Host politeness counters; the host name is the key.
std::string EncodeHost(const HostStats& host);
Status DecodeHost(std::string_view host, std::string_view value, HostStats* out);

/// A feed_controls value (the feed id is the key).
std::string EncodeFeedControl(const FeedControl& control);
Status DecodeFeedControl(std::string_view id, std::string_view value, FeedControl* out);

/// A raw_bodies value: 1, zigzag fetched_at, bytes url, bytes content_type, varint body size,
/// bytes zstd frame of the body (level kRawBodyLevel: fast, about 5x on feed XML; made on the
/// commit's thread, so the family itself is not compressed again).
std::string EncodeRawBody(const RawBody& raw);
inline constexpr int kRawBodyLevel = 1;
/// Bodies claiming more than this are Corruption (no allocation on a damaged size).
inline constexpr uint64_t kMaxRawBodyBytes = uint64_t{1} << 30;
/// Fills *raw (feed = `feed`); Corruption when the bytes do not decode exactly or the frame
/// does not decompress to the stated size.
Status DecodeRawBody(std::string_view feed, std::string_view value, RawBody* raw);
/// raw_bodies prefix of one feed: feed ‖ 0x00; a key is the prefix ‖ be64(seq), seq counting
/// the feed's kept bodies up from 0 (bytewise order: oldest first).
std::string RawBodyPrefix(std::string_view feed);
std::string RawBodyKey(std::string_view feed, uint64_t seq);
/// The seq of a raw_bodies key whose prefix has `prefix_size` bytes; nullopt if malformed.
std::optional<uint64_t> SeqOfRawBodyKey(std::string_view key, size_t prefix_size);

/// stories_by_time key: be64(~(time ^ 2^63)) ‖ story. Bytewise order is newest time first
/// (negative times included), ties by story id ascending.
std::string TimeKey(UnixSeconds time, std::string_view story);
/// The story id of a stories_by_time key; nullopt when the key is too short.
std::optional<std::string_view> StoryOfTimeKey(std::string_view key);

/// The smallest key greater than every key starting with `prefix` (never all 0xff bytes).
std::string PrefixEnd(std::string prefix);

/// story_items prefix of one story: story ‖ 0x00 (ids never contain NUL).
std::string StoryItemsPrefix(std::string_view story);
/// story_items key: story ‖ 0x00 ‖ be64(seq) ‖ item.
std::string StoryItemsKey(std::string_view story, uint64_t seq, std::string_view item);
/// The item id of a story_items key whose prefix has `prefix_size` bytes; nullopt if short.
std::optional<std::string_view> ItemOfStoryItemsKey(std::string_view key, size_t prefix_size);

/// The seq of a story_items key whose prefix has `prefix_size` bytes; nullopt if short.
std::optional<uint64_t> SeqOfStoryItemsKey(std::string_view key, size_t prefix_size);

/// be64 of `v`, and its inverse (nullopt unless exactly 8 bytes).
std::string EncodeBe64(uint64_t v);
std::optional<uint64_t> DecodeBe64(std::string_view bytes);

}  // namespace newsd::storage::codec
