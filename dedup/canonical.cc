#include <algorithm>

#include "core/article.h"
#include "dedup/engine.h"

namespace newsd::dedup {

std::string_view PathName(Path path) {
  switch (path) {
    case Path::kNone:
      return "none";
    case Path::kLsh:
      return "lsh";
    case Path::kLead:
      return "lead";
    case Path::kTitle:
      return "title";
    case Path::kSamePage:
      return "same-page";
  }
  return "?";
}

bool PreferCanonical(const CanonicalInfo& a, const CanonicalInfo& b, const Options& options) {
  auto is_agency = [&](std::string_view source) {
    return std::find(options.agency_sources.begin(), options.agency_sources.end(), source) !=
           options.agency_sources.end();
  };
  const bool a_agency = is_agency(a.source), b_agency = is_agency(b.source);
  if (a_agency != b_agency) return a_agency;
  const UnixSeconds a_time = EffectiveTime(a.published, a.arrived);
  const UnixSeconds b_time = EffectiveTime(b.published, b.arrived);
  if (a_time != b_time) return a_time < b_time;
  return a.shingles > b.shingles;
}

}  // namespace newsd::dedup
