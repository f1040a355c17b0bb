#pragma once

// The fixture and texts shared by the Engine tests (engine_*_test.cc).

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "dedup/engine.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {

inline constexpr UnixSeconds k1987 = 541814400;  // 1987-03-03: windows follow item times.

inline std::string FirstParagraphs(std::string_view text, int n) {
  size_t pos = 0;
  for (int i = 0; i < n && pos != std::string_view::npos; ++i) {
    pos = text.find("\n\n", pos == 0 ? 0 : pos + 2);
  }
  return std::string(text.substr(0, pos));
}

// A daily market report: same template, different numbers.
inline std::string MarketReport(int day, int a, int b, int c) {
  return "The Federal Reserve entered the government securities market on day " +
         std::to_string(day) + " to supply " + std::to_string(a) +
         " billion dlrs of temporary reserves via customer repurchase agreements, a spokesman "
         "said.\n\nDealers said federal funds were trading at " +
         std::to_string(b) +
         " pct when the Fed began its temporary and indirect supply of "
         "reserves to the banking system.\n\nThe weekly average was " +
         std::to_string(c) + " pct, dealers said.";
}

// A wire story, filed under a dateline naming `day` of March.
inline std::string Filed(int day) {
  return "NEW YORK, March " + std::to_string(day) + " - " + std::string(testing::kHarbour);
}

class EngineTest : public ::testing::Test {
 protected:
  StoryId Ingest(const ItemId& id, std::string_view source, std::string_view text, UnixSeconds time,
                 Match* match = nullptr) {
    return IngestTitled(id, source, "", text, time, match);
  }
  StoryId IngestTitled(const ItemId& id, std::string_view source, std::string_view title,
                       std::string_view text, UnixSeconds time, Match* match = nullptr) {
    Fingerprint fp = engine_.MakeFingerprint({source, title, text, time});
    Match m = engine_.FindMatch(fp);
    StoryId story = m.is_copy ? m.story : id;
    for (Record& r : engine_.Insert(id, story, source, fp)) {
      const std::string k = r.family + "/" + r.key;
      if (r.erase) {
        persisted_.erase(k);
      } else {
        persisted_[k] = std::make_pair(r.family, r.key), values_[k] = r.value;
      }
    }
    if (match) *match = m;
    return story;
  }

  Engine engine_{Options{}};
  std::map<std::string, std::pair<std::string, std::string>> persisted_;
  std::map<std::string, std::string> values_;
};

}  // namespace newsd::dedup
