#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dedup/fingerprint.h"
#include "dedup/options.h"
#include "dedup/verify.h"

namespace newsd::dedup {

/// Why two fingerprints would (not) be joined into one story ("dupes explain").
struct Explanation {
  Comparison comparison;             ///< Exact resemblance, containment, shared shingles, numbers.
  double estimated_resemblance = 0;  ///< From the MinHash signatures.
  size_t shared_bands = 0;           ///< LSH bands in common (≥1 makes an LSH candidate).
  size_t shared_lead = 0;  ///< Lead shingles in common (≥ lead_min_shared makes a candidate).
  /// (comparison.titles_match: the titles match, which makes a candidate when one of the two
  /// has fewer than min_containment_shingles shingles, or no text but its title.)
  int64_t time_gap = 0;  ///< |a.time - b.time| in seconds.
  bool within_window = false;
  bool candidate = false;  ///< Would the index have proposed the pair?
  Verdict verdict = Verdict::kDifferent;
  bool accepted = false;  ///< Candidate, within the window, and verified.
  /// The days the two texts' datelines name (DatelineDay; 0 for none). When one source filed
  /// both under other days (comparison.other_filing), the verdict is kOtherFiling, and a text
  /// joins no story holding such a filing, whatever it shares with its other members.
  uint16_t a_dateline = 0, b_dateline = 0;
  std::string reason;  ///< One line for operators.
};

/// Compares two fingerprints the way FindMatch would. Pure.
Explanation Explain(const Fingerprint& a, const Fingerprint& b, const Options& options);

/// Up to `limit` shingles that fingerprints `a` and `b` share, as normalised text ("w1 w2 w3
/// w4"), distinct, in the order they occur in a's document (`title`, `text`: what `a` was made
/// from). Pure; for operators ("dupes explain"), not for matching.
std::vector<std::string> SharedShingleSample(std::string_view title, std::string_view text,
                                             const Fingerprint& a, const Fingerprint& b,
                                             const Options& options, size_t limit);

}  // namespace newsd::dedup
