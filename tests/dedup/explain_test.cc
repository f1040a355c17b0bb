#include "dedup/explain.h"

#include <gtest/gtest.h>

#include "dedup/engine.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

TEST(ExplainTest, ReportsWhyPairsMatchOrNot) {
  Engine engine{Options{}};
  Fingerprint a = engine.MakeFingerprint({"s", "", testing::kHarbour, 1000});
  Fingerprint b = engine.MakeFingerprint({"s", "", testing::kHarbour, 2000});
  Fingerprint c = engine.MakeFingerprint({"s", "", testing::kVaccine, 2000});
  Explanation same = Explain(a, b, engine.options());
  EXPECT_TRUE(same.accepted);
  EXPECT_EQ(same.verdict, Verdict::kResemblance);
  EXPECT_DOUBLE_EQ(same.comparison.resemblance, 1.0);
  EXPECT_EQ(same.comparison.shared, a.shingles.size());
  EXPECT_EQ(same.shared_bands, kSignatureSize / 4);
  EXPECT_EQ(same.time_gap, 1000);
  Explanation different = Explain(a, c, engine.options());
  EXPECT_FALSE(different.accepted);
  EXPECT_EQ(different.verdict, Verdict::kDifferent);
  EXPECT_NE(different.reason.find("different"), std::string::npos);
}

TEST(ExplainTest, OutsideWindowIsNotAccepted) {
  Engine engine{Options{}};
  Fingerprint a = engine.MakeFingerprint({"s", "", testing::kHarbour, 0});
  Fingerprint b = engine.MakeFingerprint({"s", "", testing::kHarbour, 10 * 86400});
  Explanation e = Explain(a, b, engine.options());
  EXPECT_FALSE(e.within_window);
  EXPECT_FALSE(e.accepted);
}

}  // namespace
}  // namespace newsd::dedup
