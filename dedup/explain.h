#pragma once

#include <cstdint>
#include <string>

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
  int64_t time_gap = 0;    ///< |a.time - b.time| in seconds.
  bool within_window = false;
  bool candidate = false;  ///< Would the index have proposed the pair?
  Verdict verdict = Verdict::kDifferent;
  bool accepted = false;  ///< Candidate, within the window, and verified.
  std::string reason;     ///< One line for operators.
};

/// Compares two fingerprints the way FindMatch would. Pure.
Explanation Explain(const Fingerprint& a, const Fingerprint& b, const Options& options);

}  // namespace newsd::dedup
