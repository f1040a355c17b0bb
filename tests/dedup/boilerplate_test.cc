#include "dedup/boilerplate.h"

#include <gtest/gtest.h>

#include <random>
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

}  // namespace
}  // namespace newsd::dedup
