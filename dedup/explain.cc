#include "dedup/explain.h"

#include <algorithm>
#include <cstdio>

#include "dedup/minhash.h"

namespace newsd::dedup {

Explanation Explain(const Fingerprint& a, const Fingerprint& b, const Options& options) {
  Explanation e;
  e.comparison = Compare(a.shingles, a.numbers, b.shingles, b.numbers);
  CompareLeads(a.lead, a.shingles, b.lead, b.shingles, options.max_prefix_shingles, &e.comparison);
  e.estimated_resemblance = EstimateResemblance(a.signature, b.signature);
  for (size_t band = 0; band < kBands; ++band) {
    e.shared_bands += BandKey(a.signature, band) == BandKey(b.signature, band);
  }
  e.shared_lead = e.comparison.lead_shared;
  e.time_gap = a.time > b.time ? a.time - b.time : b.time - a.time;
  e.within_window = e.time_gap <= options.window_seconds;
  const size_t lead_needed = std::min({options.lead_min_shared, a.lead.size(), b.lead.size()});
  e.candidate = e.shared_bands > 0 || (lead_needed > 0 && e.shared_lead >= lead_needed);
  e.verdict = Decide(e.comparison, options);
  e.accepted = e.candidate && e.within_window && Accepted(e.verdict);
  char line[256];
  std::snprintf(line, sizeof(line),
                "%s: resemblance %.3f, containment %.3f (%zu shared of %zu/%zu), numbers %.2f, "
                "bands %zu, lead %zu, gap %llds%s%s",
                e.accepted ? "same story" : "different", e.comparison.resemblance,
                e.comparison.containment, e.comparison.shared, e.comparison.a_size,
                e.comparison.b_size, e.comparison.number_overlap, e.shared_bands, e.shared_lead,
                static_cast<long long>(e.time_gap), e.within_window ? "" : " (outside window)",
                e.candidate ? "" : " (not a candidate)");
  e.reason = std::string(VerdictName(e.verdict)) + " — " + line;
  return e;
}

}  // namespace newsd::dedup
