#include "dedup/boilerplate.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "dedup/codec.h"

namespace newsd::dedup {
namespace {

constexpr char kFamily[] = "dedup_boilerplate";

int64_t Gap(UnixSeconds a, UnixSeconds b) { return a > b ? a - b : b - a; }

}  // namespace

uint64_t HashSource(std::string_view source) { return XXH3_64bits(source.data(), source.size()); }

uint64_t BoilerplateModel::MapKey(uint64_t source, uint64_t line) {
  return line ^ (source * 0x9E3779B97F4A7C15ULL);
}

std::string BoilerplateModel::Key(const Counter& c) const {
  std::string key = EncodeBucket(TimeBucket(c.last_seen, options_.bucket_seconds));
  PutFixed64BE(&key, c.source);
  PutFixed64BE(&key, c.line);
  return key;
}

std::string BoilerplateModel::Value(const Counter& c) {
  std::string value;
  PutFixed64BE(&value, c.count);
  PutFixed64BE(&value, static_cast<uint64_t>(c.last_seen));
  PutFixed64BE(&value, c.last_story);
  return value;
}

bool BoilerplateModel::IsBoilerplate(uint64_t source, uint64_t line, UnixSeconds time) const {
  auto it = counters_.find(MapKey(source, line));
  if (it == counters_.end()) return false;
  const Counter& c = it->second;
  return c.count >= options_.boilerplate_min_items &&
         Gap(c.last_seen, time) <= options_.boilerplate_window_seconds;
}

void BoilerplateModel::Observe(uint64_t source, uint64_t line, UnixSeconds time, uint64_t story,
                               std::vector<Record>* records) {
  auto [it, inserted] = counters_.try_emplace(MapKey(source, line));
  Counter& c = it->second;
  if (inserted) {
    c = Counter{source, line, story, time, 1};
    records->push_back(Record{kFamily, Key(c), Value(c), false});
    return;
  }
  const int64_t old_bucket = TimeBucket(c.last_seen, options_.bucket_seconds);
  if (Gap(c.last_seen, time) > options_.boilerplate_window_seconds) {
    c.count = 1;
  } else if (story != c.last_story) {
    ++c.count;
  }
  c.last_story = story;
  if (time > c.last_seen) {
    if (TimeBucket(time, options_.bucket_seconds) != old_bucket) {
      records->push_back(Record{kFamily, Key(c), "", true});  // Key of the old bucket.
    }
    c.last_seen = time;
  }
  records->push_back(Record{kFamily, Key(c), Value(c), false});
}

bool BoilerplateModel::Restore(std::string_view key, std::string_view value) {
  Counter c;
  uint64_t count = 0, last_seen = 0;
  if (key.size() != 24 || value.size() != 24) return false;
  key.remove_prefix(8);
  if (!GetFixed64BE(&key, &c.source) || !GetFixed64BE(&key, &c.line) ||
      !GetFixed64BE(&value, &count) || !GetFixed64BE(&value, &last_seen) ||
      !GetFixed64BE(&value, &c.last_story)) {
    return false;
  }
  c.count = static_cast<uint32_t>(count);
  c.last_seen = static_cast<UnixSeconds>(last_seen);
  counters_[MapKey(c.source, c.line)] = c;
  return true;
}

RangeDrop BoilerplateModel::Expire(UnixSeconds cutoff) {
  const int64_t bucket = TimeBucket(cutoff, options_.bucket_seconds);
  std::erase_if(counters_, [&](const auto& entry) {
    return TimeBucket(entry.second.last_seen, options_.bucket_seconds) < bucket;
  });
  return RangeDrop{kFamily, EncodeBucket(INT64_MIN), EncodeBucket(bucket)};
}

}  // namespace newsd::dedup
