#include "dedup/boilerplate.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>

#include "dedup/codec.h"
#include "dedup/linear_probing.h"

namespace newsd::dedup {
namespace {

constexpr char kFamily[] = "dedup_boilerplate";
constexpr size_t kOwnKeySize = 24;   // bucket, source, line
constexpr size_t kItemKeySize = 25;  // bucket, source, first line, kItemTag
constexpr char kItemTag = 'I';
constexpr size_t kItemHeaderSize = 16;  // time, content; then 8 bytes a line

int64_t Gap(UnixSeconds a, UnixSeconds b) { return a > b ? a - b : b - a; }

}  // namespace

uint64_t HashSource(std::string_view source) { return XXH3_64bits(source.data(), source.size()); }

BoilerplateModel::BoilerplateModel(const Options& options) : options_(options) {
  // Sized for about two counted lines per item (7/8 full at most); grows past that.
  Rebuild(std::bit_ceil(std::max<size_t>(1024, options.reserve_items * 2 * 8 / 7 + 1)));
}

uint32_t BoilerplateModel::SourceIndex(uint64_t source) {
  if (sources_.size() == kMaxSources) {
    const auto it = source_index_.find(source);
    return it == source_index_.end() ? kMaxSources : it->second;
  }
  const auto [it, added] = source_index_.try_emplace(source, sources_.size());
  if (added) sources_.push_back(source);
  return it->second;
}

void BoilerplateModel::Rebuild(size_t cells) {
  std::vector<Counter> old(cells);
  old.swap(cells_);
  for (const Counter& c : old) {
    if (c.count != 0) RobinHoodPlace(cells_, c, &Empty, CellHome());
  }
}

size_t BoilerplateModel::Home(uint64_t key) const {
  return (key * 0x9E3779B97F4A7C15ULL) >> 20 & (cells_.size() - 1);
}

void BoilerplateModel::EraseAt(size_t hole) { RobinHoodErase(cells_, hole, &Empty, CellHome()); }

const BoilerplateModel::Counter* BoilerplateModel::Find(uint64_t source, uint64_t line) const {
  const int64_t i = RobinHoodFind(cells_, Home(MapKey(source, line)), &Empty, CellHome(),
                                  [&, bits = LineBits(line)](const Counter& c) {
                                    return c.line() == bits && sources_[c.source] == source;
                                  });
  return i < 0 ? nullptr : &cells_[i];
}

BoilerplateModel::Counter& BoilerplateModel::FindOrAdd(uint32_t source, uint64_t line) {
  // Robin Hood probing stays fast up to 7/8 full.
  if ((size_ + 1) * 8 > cells_.size() * 7) Rebuild(cells_.size() * 2);
  const RobinHoodProbe probe =
      RobinHoodSeek(cells_, Home(MapKey(sources_[source], line)), &Empty, CellHome(),
                    [&, bits = LineBits(line)](const Counter& c) {
                      return c.line() == bits && c.source == source;
                    });
  if (!probe.found) {
    Counter fresh;
    fresh.set_line(line);
    fresh.source = source;
    RobinHoodPlaceAt(cells_, fresh, probe, &Empty, CellHome());
    ++size_;
  }
  return cells_[probe.index];
}

uint64_t BoilerplateModel::MapKey(uint64_t source, uint64_t line) {
  return LineBits(line) ^ (source * 0x9E3779B97F4A7C15ULL);
}

int32_t BoilerplateModel::Minutes(UnixSeconds time) {
  const int64_t minutes = time / 60 - (time % 60 < 0 ? 1 : 0);  // Floored.
  return static_cast<int32_t>(std::clamp<int64_t>(minutes, INT32_MIN, INT32_MAX));
}

std::string BoilerplateModel::Key(const Counter& c) const {
  std::string key(24, '\0');
  const int64_t bucket = TimeBucket(c.last_seen(), options_.bucket_seconds);
  PutFixed64BE(key.data(), static_cast<uint64_t>(bucket) ^ (uint64_t{1} << 63));  // EncodeBucket
  PutFixed64BE(key.data() + 8, sources_[c.source]);
  PutFixed64BE(key.data() + 16, c.line());
  return key;
}

std::string BoilerplateModel::Value(const Counter& c) {
  std::string value(24, '\0');
  PutFixed64BE(value.data(), c.count);
  PutFixed64BE(value.data() + 8, static_cast<uint64_t>(c.last_seen()));
  PutFixed64BE(value.data() + 16, c.content());
  return value;
}

BoilerplateModel::LineState BoilerplateModel::Look(uint64_t source, uint64_t line,
                                                   UnixSeconds time) const {
  const Counter* found = Find(source, line);
  if (!found || Gap(found->last_seen(), time) > options_.boilerplate_window_seconds) return {};
  if (found->count >= options_.boilerplate_min_items) return {true, false, 0};
  return {false, true, found->content()};
}

Record BoilerplateModel::ItemRecord(uint64_t source, uint64_t first, UnixSeconds time,
                                    uint64_t content) const {
  Record r{kFamily, std::string(kItemKeySize, '\0'), std::string(kItemHeaderSize + 8, '\0'), false};
  const int64_t bucket = TimeBucket(time, options_.bucket_seconds);
  PutFixed64BE(r.key.data(), static_cast<uint64_t>(bucket) ^ (uint64_t{1} << 63));  // EncodeBucket
  PutFixed64BE(r.key.data() + 8, source);
  PutFixed64BE(r.key.data() + 16, first);
  r.key[24] = kItemTag;
  PutFixed64BE(r.value.data(), static_cast<uint64_t>(time));
  PutFixed64BE(r.value.data() + 8, content);
  PutFixed64BE(r.value.data() + 16, first);
  return r;
}

void BoilerplateModel::Observe(uint64_t source, std::span<const uint64_t> lines, UnixSeconds time,
                               uint64_t content, std::vector<Record>* records) {
  size_t shared = SIZE_MAX;  // Index in *records of the item's shared record, once there is one.
  const uint32_t source_index = SourceIndex(source);
  if (source_index == kMaxSources) return;
  for (size_t i = 0; i < lines.size(); ++i) {
    const uint64_t line = lines[i];
    Counter& c = FindOrAdd(source_index, line);
    if (c.count != 0) {
      Count(c, time, content, records);
      continue;
    }
    c.set_content(content);
    c.set_last_seen(time);
    c.count = 1;
    c.own_record = 0;
    NoteCount(MapKey(source, line), 0, c.count);
    if (records == nullptr) continue;
    if (shared == SIZE_MAX) {
      shared = records->size();
      records->push_back(ItemRecord(source, line, time, content));
      // Room for the item's other lines, which may all be new too: one allocation, not a
      // doubling every few lines.
      records->back().value.reserve(records->back().value.size() + 8 * (lines.size() - i - 1));
    } else {
      PutFixed64BE(&(*records)[shared].value, line);
    }
  }
}

void BoilerplateModel::Count(Counter& c, UnixSeconds time, uint64_t content,
                             std::vector<Record>* records) {
  const uint32_t before = c.count;
  const int64_t old_bucket = TimeBucket(c.last_seen(), options_.bucket_seconds);
  if (Gap(c.last_seen(), time) > options_.boilerplate_window_seconds) {
    c.count = 1;
  } else if (ContentTag(content) != c.content() && c.count < kMaxCount) {
    ++c.count;
  }
  NoteCount(MapKey(c), before, c.count);
  c.set_content(content);
  const bool moved =
      time > c.last_seen() && TimeBucket(time, options_.bucket_seconds) != old_bucket;
  if (records != nullptr && moved && c.own_record) {
    records->push_back(Record{kFamily, Key(c), "", true});  // Key of the old bucket.
  }
  if (time > c.last_seen()) c.set_last_seen(time);
  if (records == nullptr) return;
  records->push_back(Record{kFamily, Key(c), Value(c), false});
  c.own_record = 1;
}

bool BoilerplateModel::Restore(std::string_view key, std::string_view value) {
  if (key.size() == kOwnKeySize) return RestoreOwn(key, value);
  if (key.size() == kItemKeySize && key.back() == kItemTag) return RestoreItem(key, value);
  return false;
}

bool BoilerplateModel::RestoreOwn(std::string_view key, std::string_view value) {
  uint64_t source = 0, line = 0, count = 0, last_seen = 0, content = 0;
  if (value.size() != 24) return false;
  key.remove_prefix(8);
  if (!GetFixed64BE(&key, &source) || !GetFixed64BE(&key, &line) || !GetFixed64BE(&value, &count) ||
      !GetFixed64BE(&value, &last_seen) || !GetFixed64BE(&value, &content)) {
    return false;
  }
  const uint32_t source_index = SourceIndex(source);
  if (source_index == kMaxSources) return true;  // Not counted, as in Observe.
  Counter c;
  c.source = source_index;
  c.set_line(line);
  c.set_content(content);
  c.count = static_cast<uint32_t>(std::clamp<uint64_t>(count, 1, kMaxCount));
  c.set_last_seen(static_cast<UnixSeconds>(last_seen));
  c.own_record = 1;
  Merge(c);
  return true;
}

bool BoilerplateModel::RestoreItem(std::string_view key, std::string_view value) {
  if (value.size() < kItemHeaderSize + 8 || (value.size() - kItemHeaderSize) % 8 != 0) {
    return false;
  }
  uint64_t source = 0, time = 0, content = 0;
  key.remove_prefix(8);
  if (!GetFixed64BE(&key, &source) || !GetFixed64BE(&value, &time) ||
      !GetFixed64BE(&value, &content)) {
    return false;
  }
  const uint32_t source_index = SourceIndex(source);
  if (source_index == kMaxSources) return true;  // Not counted, as in Observe.
  Counter c;
  c.source = source_index;
  c.set_content(content);
  c.set_last_seen(static_cast<UnixSeconds>(time));
  c.count = 1;
  for (uint64_t line = 0; GetFixed64BE(&value, &line);) {
    c.set_line(line);
    Merge(c);
  }
  return true;
}

void BoilerplateModel::Merge(const Counter& c) {
  const uint64_t key = MapKey(c);
  Counter& slot = FindOrAdd(c.source, c.line());
  if (slot.count != 0) {
    // A line's own record is written after its first sighting's shared one.
    if (slot.own_record != c.own_record ? slot.own_record : slot.minutes >= c.minutes) return;
  }
  NoteCount(key, slot.count, c.count);
  slot = c;
}

void BoilerplateModel::NoteCount(uint64_t key, uint32_t before, uint32_t after) {
  const bool was = before >= options_.boilerplate_min_items;
  const bool is = after >= options_.boilerplate_min_items;
  if (was == is) return;
  const auto at = std::lower_bound(learned_.begin(), learned_.end(), key);
  if (is) {
    learned_.insert(at, key);
  } else if (at != learned_.end() && *at == key) {
    learned_.erase(at);
  }
  ++learned_version_;
}

RangeDrop BoilerplateModel::Expire(UnixSeconds cutoff) {
  const int64_t bucket = TimeBucket(cutoff, options_.bucket_seconds);
  // In place (no new table to fault in): a cell refilled by the shift is looked at again.
  for (size_t i = 0; i < cells_.size();) {
    const Counter& c = cells_[i];
    if (c.count != 0 && TimeBucket(c.last_seen(), options_.bucket_seconds) < bucket) {
      NoteCount(MapKey(c), c.count, 0);
      EraseAt(i);
      --size_;
    } else {
      ++i;
    }
  }
  return RangeDrop{kFamily, EncodeBucket(INT64_MIN), EncodeBucket(bucket)};
}

}  // namespace newsd::dedup
