#include "dedup/boilerplate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "dedup/codec.h"

namespace newsd::dedup {
namespace {

// Three sightings in items of distinct content make a line boilerplate of its source.
void Learn(BoilerplateModel& model, uint64_t source, uint64_t line, UnixSeconds time) {
  std::vector<Record> records;
  for (uint64_t story = 1; story <= 3; ++story) model.Observe(source, line, time, story, &records);
}

TEST(BoilerplateModelTest, ExpiryKeepsEveryLaterCounterFindable) {
  Options options;
  options.reserve_items = 0;
  BoilerplateModel model(options);
  std::mt19937_64 rng(7);
  struct Line {
    uint64_t source, line;
    UnixSeconds time;
  };
  std::vector<Line> lines;
  const UnixSeconds start = 1700000000;
  for (int i = 0; i < 5000; ++i) {  // Enough to grow the table and make long probe runs.
    Line l{rng() % 50, rng(), start + static_cast<UnixSeconds>(rng() % (20 * 86400))};
    Learn(model, l.source, l.line, l.time);
    lines.push_back(l);
  }
  ASSERT_EQ(model.size(), lines.size());
  const UnixSeconds cutoff = start + 10 * 86400;
  model.Expire(cutoff);
  const int64_t cutoff_bucket = TimeBucket(cutoff, options.bucket_seconds);
  size_t kept = 0;
  for (const Line& l : lines) {
    const bool survives = TimeBucket(l.time, options.bucket_seconds) >= cutoff_bucket;
    kept += survives;
    EXPECT_EQ(model.IsBoilerplate(l.source, l.line, l.time), survives) << l.line;
  }
  EXPECT_EQ(model.size(), kept);
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, lines.size());
}

// A counter belongs to one source: the same line of another source, and a line whose hash
// collides with it in the table, are counted apart.
TEST(BoilerplateModelTest, SourcesCountTheSameLineApart) {
  Options options;
  BoilerplateModel model(options);
  const UnixSeconds t = 1700000000;
  Learn(model, 1, 42, t);
  EXPECT_TRUE(model.IsBoilerplate(1, 42, t));
  EXPECT_FALSE(model.IsBoilerplate(2, 42, t));
  EXPECT_FALSE(model.IsBoilerplate(3, 42, t));  // a source never seen
  // MapKey(source, line) = line ^ source·φ equal for both, the lines differing: other·φ =
  // source·φ ^ d (φ is odd, so invertible modulo 2^64) and twin = line ^ d.
  constexpr uint64_t kPhi = 0x9E3779B97F4A7C15ULL;
  uint64_t inverse = kPhi;
  for (int i = 0; i < 6; ++i) inverse *= 2 - kPhi * inverse;  // Newton: 6, 12, ... 96 bits.
  const uint64_t source = 5, line = 77, d = 0x5A5A5A;
  const uint64_t other = ((source * kPhi) ^ d) * inverse, twin = line ^ d;
  model.Observe(other, twin, t, 1, nullptr);
  EXPECT_EQ(BoilerplateModel::LearnedKey(source, line), BoilerplateModel::LearnedKey(other, twin));
  Learn(model, source, line, t);
  EXPECT_TRUE(model.IsBoilerplate(source, line, t));
  EXPECT_FALSE(model.IsBoilerplate(other, twin, t));
  EXPECT_EQ(model.size(), 3u);
}

// The persisted records, as a column family holds them.
class Store {
 public:
  void Apply(const std::vector<Record>& records) {
    for (const Record& r : records) {
      if (r.erase) {
        records_.erase(r.key);
      } else {
        records_[r.key] = r.value;
      }
    }
  }
  void Drop(const RangeDrop& drop) {
    records_.erase(records_.lower_bound(drop.begin), records_.lower_bound(drop.end));
  }
  // Restores `model` from the records, read in key order or in reverse; returns how many it
  // refused.
  size_t RestoreInto(BoilerplateModel* model, bool reverse) const {
    size_t refused = 0;
    const auto restore = [&](const auto& kv) { refused += !model->Restore(kv.first, kv.second); };
    if (reverse) {
      std::for_each(records_.rbegin(), records_.rend(), restore);
    } else {
      std::for_each(records_.begin(), records_.end(), restore);
    }
    return refused;
  }
  size_t size() const { return records_.size(); }

 private:
  std::map<std::string, std::string> records_;
};

// What a source's line is for an item of `time`, as Engine sees it.
std::string Describe(const BoilerplateModel& model, uint64_t source, uint64_t line,
                     UnixSeconds time) {
  const BoilerplateModel::LineState s = model.Look(source, line, time);
  return std::to_string(s.boilerplate) + std::to_string(s.pending) + ":" +
         std::to_string(s.last_content);
}

TEST(BoilerplateModelTest, ARestartRestoresEveryCounterAsItWas) {
  Options options;
  BoilerplateModel live(options);
  Store store;
  std::mt19937_64 rng(11);
  const UnixSeconds start = 1700000000;
  UnixSeconds now = start;
  constexpr uint64_t kSources = 3, kLines = 24;
  for (int item = 1; item <= 3000; ++item) {
    // Mostly forward in time, sometimes back (late items), sometimes past the window.
    const uint64_t step = rng() % 100;
    if (step < 70) {
      now += static_cast<UnixSeconds>(rng() % 3600);
    } else if (step < 90) {
      now -= static_cast<UnixSeconds>(rng() % (2 * int64_t{86400}));
    } else if (step < 92) {
      now += options.boilerplate_window_seconds + static_cast<UnixSeconds>(rng() % 86400);
    }
    const uint64_t source = rng() % kSources;
    std::vector<uint64_t> lines;
    for (size_t n = 1 + rng() % 5; lines.size() < n;) lines.push_back(rng() % kLines);
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    const uint64_t content = rng() % 400;  // Some items are resends of earlier ones.
    std::vector<Record> records;
    live.Observe(source, lines, now, content, &records);
    store.Apply(records);
    if (item % 250 == 0) store.Drop(live.Expire(now - options.boilerplate_window_seconds));
    if (item % 100 != 0) continue;
    for (const bool reverse : {false, true}) {
      BoilerplateModel restored(options);
      ASSERT_EQ(store.RestoreInto(&restored, reverse), 0u) << item;
      ASSERT_EQ(restored.size(), live.size()) << item;
      ASSERT_EQ(restored.learned(), live.learned()) << item;
      for (uint64_t s = 0; s < kSources; ++s) {
        for (uint64_t l = 0; l < kLines; ++l) {
          for (const int64_t delta : {-options.boilerplate_window_seconds - 1, int64_t{0},
                                      options.boilerplate_window_seconds}) {
            ASSERT_EQ(Describe(restored, s, l, now + delta), Describe(live, s, l, now + delta))
                << "item " << item << " source " << s << " line " << l;
          }
        }
      }
    }
  }
}

TEST(BoilerplateModelTest, AnItemsNewLinesShareOneRecord) {
  Options options;
  BoilerplateModel model(options);
  const std::vector<uint64_t> lines = {11, 22, 33, 44};
  Store store;
  std::vector<Record> records;
  model.Observe(7, lines, 1700000000, 1, &records);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].erase);
  EXPECT_EQ(model.size(), 4u);
  store.Apply(records);
  // Seen again by another item: each line's count goes to 2, in a record of its own.
  records.clear();
  model.Observe(7, lines, 1700000060, 2, &records);
  EXPECT_EQ(records.size(), 4u);
  store.Apply(records);
  // The third item makes them boilerplate, and a restart keeps them so.
  records.clear();
  model.Observe(7, lines, 1700000120, 3, &records);
  store.Apply(records);
  EXPECT_TRUE(model.IsBoilerplate(7, 33, 1700000180));
  EXPECT_EQ(store.size(), 5u);
  BoilerplateModel restored(options);
  ASSERT_EQ(store.RestoreInto(&restored, false), 0u);
  EXPECT_TRUE(restored.IsBoilerplate(7, 33, 1700000180));
  EXPECT_FALSE(restored.Restore(std::string(25, 'x'), std::string(17, 'v')));
  EXPECT_FALSE(restored.Restore(std::string(24, 'x'), std::string(25, 'v')));
}

// A counter keeps 40 bits of a line's hash and 24 of the content's: records written with
// whole hashes (by earlier versions too) restore to the same state, and the content still
// tells a resend from a new item.
TEST(BoilerplateModelTest, RecordsWithWholeHashesRestore) {
  Options options;
  BoilerplateModel model(options);
  const uint64_t source = HashSource("agency"), line = 0xF00DFACECAFEBEEF;
  const uint64_t content = 0x123456789ABCDEF0;
  const UnixSeconds t = 1700000000;
  std::string key(24, '\0'), value(24, '\0');
  const std::string bucket = EncodeBucket(TimeBucket(t, options.bucket_seconds));
  key.replace(0, 8, bucket);
  PutFixed64BE(key.data() + 8, source);
  PutFixed64BE(key.data() + 16, line);
  PutFixed64BE(value.data(), 2);  // count
  PutFixed64BE(value.data() + 8, static_cast<uint64_t>(t));
  PutFixed64BE(value.data() + 16, content);
  ASSERT_TRUE(model.Restore(key, value));
  BoilerplateModel::LineState state = model.Look(source, line, t + 60);
  EXPECT_TRUE(state.pending);
  EXPECT_EQ(state.last_content, BoilerplateModel::ContentTag(content));
  std::vector<Record> records;
  model.Observe(source, line, t + 120, content, &records);  // A resend: not counted.
  EXPECT_FALSE(model.IsBoilerplate(source, line, t + 120));
  model.Observe(source, line, t + 180, content + 1, &records);
  EXPECT_TRUE(model.IsBoilerplate(source, line, t + 180));
  // The records it writes now restore to the same state.
  BoilerplateModel restored(options);
  for (const Record& r : records) ASSERT_TRUE(restored.Restore(r.key, r.value));
  EXPECT_TRUE(restored.IsBoilerplate(source, line, t + 180));
  EXPECT_EQ(restored.size(), 1u);
}

}  // namespace
}  // namespace newsd::dedup
