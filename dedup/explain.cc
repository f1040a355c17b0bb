#include "dedup/explain.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string>

#include "dedup/corrections.h"
#include "dedup/dateline.h"
#include "dedup/minhash.h"
#include "dedup/normalize.h"
#include "dedup/shingle.h"

namespace newsd::dedup {

namespace {

// Whether the index would offer b as a candidate for a: a shared LSH band, enough shared
// lead shingles, or a shared title when one text is too short to compare by its words.
bool IsCandidate(const Fingerprint& a, const Fingerprint& b, const Options& options,
                 const Explanation& e) {
  const size_t lead_needed = std::min({options.lead_min_shared, a.lead.size(), b.lead.size()});
  const bool one_short =
      std::min(a.shingles.size(), b.shingles.size()) < options.min_containment_shingles ||
      a.title_only || b.title_only;
  return e.shared_bands > 0 || (lead_needed > 0 && e.shared_lead >= lead_needed) ||
         (e.comparison.titles_match && one_short);
}

// The figures behind the verdict, then what each rule that applied saw.
std::string Reason(const Explanation& e, const Options& options) {
  char line[256];
  std::snprintf(line, sizeof(line),
                "resemblance %.3f, containment %.3f (%zu shared of %zu/%zu), numbers %.2f, "
                "bands %zu, lead %zu, gap %llds%s%s",
                e.comparison.resemblance, e.comparison.containment, e.comparison.shared,
                e.comparison.a_size, e.comparison.b_size, e.comparison.number_overlap,
                e.shared_bands, e.shared_lead, static_cast<long long>(e.time_gap),
                e.within_window ? "" : " (outside window)",
                e.candidate ? "" : " (not a candidate)");
  // The verdict's name says which rule decided ("different": none applied).
  std::string reason = (e.verdict == Verdict::kDifferent ? std::string("below the thresholds")
                                                         : std::string(VerdictName(e.verdict))) +
                       " — " + line;
  if (e.comparison.prefix_unmatched > 0) {
    std::snprintf(line, sizeof(line),
                  "; an unmatched prefix of %zu shingles set aside: %.3f of "
                  "the rest is in the other",
                  e.comparison.prefix_unmatched, TrimmedContainment(e.comparison));
    reason += line;
  }
  if (e.comparison.figures_agree + e.comparison.figures_differ > 0) {
    std::snprintf(line, sizeof(line), "; figures under the same words: %zu alike, %zu differ",
                  e.comparison.figures_agree, e.comparison.figures_differ);
    reason += line;
  }
  if (e.comparison.names_agree + e.comparison.names_differ > 0) {
    std::snprintf(line, sizeof(line), "; names under the same words: %zu alike, %zu differ",
                  e.comparison.names_agree, e.comparison.names_differ);
    reason += line;
  }
  if (e.comparison.edit_runs != SIZE_MAX) {
    std::snprintf(line, sizeof(line),
                  "; the newer text differs from the other in %zu place%s (runs of shingles), an "
                  "edited copy in at most %zu",
                  e.comparison.edit_runs, e.comparison.edit_runs == 1 ? "" : "s",
                  options.max_edit_runs);
    reason += line;
  }
  if (e.comparison.set_aside) {
    std::snprintf(line, sizeof(line),
                  "; the source of the text compared as new had used some of its header and footer "
                  "lines before, not yet learned as boilerplate: %zu of its other %zu shingles are "
                  "in the other",
                  e.comparison.rest_shared, e.comparison.rest_size);
    reason += line;
    if (e.comparison.frames) {
      reason +=
          "; its first and last lines are among them (a header and a footer), so the opening "
          "both texts have counts for nothing";
    }
  }
  if (e.comparison.other_dates) {
    reason +=
        "; the two name other days for their events (no day, no month or no weekday in common)";
  }
  if (e.verdict == Verdict::kNewOpening) {
    std::snprintf(line, sizeof(line),
                  "; the larger opens with %zu lead shingles the smaller lacks: news told above "
                  "the other's text",
                  e.comparison.larger_lead_unmatched);
    reason += line;
  }
  if (e.comparison.other_filing) {
    std::snprintf(line, sizeof(line),
                  "; one source filed them under datelines of other days (%s and %s): the "
                  "later is another day's story, never a copy",
                  DatelineName(e.a_dateline).c_str(), DatelineName(e.b_dateline).c_str());
    reason += line;
  }
  if (e.comparison.correction) {
    reason +=
        "; one announces a correction of the other (its title says so; one source, one "
        "dateline): the figures and dates it corrects refuse nothing";
  }
  if (e.verdict == Verdict::kTitle) {
    reason += e.comparison.title_only
                  ? "; one item has no text but its title, and the titles are the same"
                  : "; one text is too short to compare word by word, and the titles are the same";
  }
  return reason;
}

}  // namespace

Explanation Explain(const Fingerprint& a, const Fingerprint& b, const Options& options) {
  Explanation e;
  e.comparison = Compare(a.shingles, a.numbers, b.shingles, b.numbers);
  CompareLeads(a.lead, a.shingles, b.lead, b.shingles, options.max_prefix_shingles, &e.comparison);
  CompareFigures(a.figures, b.figures, &e.comparison);
  CompareNames(a.names, b.names, &e.comparison);
  e.comparison.titles_match = SharesTitle(a.titles, b.titles);
  e.comparison.title_only = a.title_only || b.title_only;
  // FindMatch compared the text new then: the later in item time.
  e.comparison.lines_dropped = (a.time > b.time ? a : b).dropped_lines > 0;
  e.estimated_resemblance = EstimateResemblance(a.signature, b.signature);
  for (size_t band = 0; band < kBands; ++band) {
    e.shared_bands += BandKey(a.signature, band) == BandKey(b.signature, band);
  }
  e.shared_lead = e.comparison.lead_shared;
  e.time_gap = a.time > b.time ? a.time - b.time : b.time - a.time;
  e.within_window = e.time_gap <= options.window_seconds;
  e.candidate = IsCandidate(a, b, options, e);
  e.comparison.time_gap = e.time_gap;
  e.comparison.other_filing = OtherFiling(a.filing, b.filing);
  e.comparison.correction =
      Corrects(a.correction, a.time, b.correction, b.time) && a.filing != 0 && a.filing == b.filing;
  // FindMatch compared the text that arrived later, new then, with the one indexed before it.
  // Arrival order is not kept: the side with shingles set aside is that text (the earlier
  // one's source had not used the lines before it), and when both have some, the later in
  // item time.
  if (!a.aside.empty() && (b.aside.empty() || a.time > b.time)) {
    CompareSetAside(a.shingles, a.aside, a.lead, b.shingles, b.lead, a.aside_frames, &e.comparison);
  } else {
    CompareSetAside(b.shingles, b.aside, b.lead, a.shingles, a.lead, b.aside_frames, &e.comparison);
  }
  // FindMatch counted the edits in the text new then: the later in item time, as above.
  if (WantsEditRuns(e.comparison, options)) {
    const bool a_newer = a.time > b.time;
    e.comparison.edit_runs =
        EditRuns(a_newer ? a.ordered : b.ordered, a_newer ? b.shingles : a.shingles);
  }
  e.a_dateline = a.dateline;
  e.b_dateline = b.dateline;
  e.verdict = Decide(e.comparison, options);
  e.accepted = e.candidate && e.within_window && Accepted(e.verdict);
  e.reason = Reason(e, options);
  return e;
}

std::vector<std::string> SharedShingleSample(std::string_view title, std::string_view text,
                                             const Fingerprint& a, const Fingerprint& b,
                                             const Options& options, size_t limit) {
  std::vector<Shingle> shared;
  std::set_intersection(a.shingles.begin(), a.shingles.end(), b.shingles.begin(), b.shingles.end(),
                        std::back_inserter(shared));
  TokenizedText tokens;
  Tokenize(text, &tokens, /*keep_text=*/true);
  if (tokens.tokens.empty()) Tokenize(title, &tokens, /*keep_text=*/true);
  // Shingles over all tokens, boilerplate lines included: those whose hash is shared are
  // shared shingles (windows across a dropped line are simply not found).
  std::vector<Shingle> windows;
  MakeShingles(tokens.tokens, options.shingle_words, &windows);
  const size_t width =
      std::min(static_cast<size_t>(std::max(options.shingle_words, 1)), tokens.text.size());
  std::vector<std::string> sample;
  std::vector<Shingle> shown;
  for (size_t i = 0; i < windows.size() && sample.size() < limit; ++i) {
    const Shingle s = windows[i];
    if (!std::binary_search(shared.begin(), shared.end(), s)) continue;
    if (std::find(shown.begin(), shown.end(), s) != shown.end()) continue;
    shown.push_back(s);
    std::string words;
    for (size_t k = i; k < i + width; ++k) {
      if (k > i) words += ' ';
      words += tokens.text[k];
    }
    sample.push_back(std::move(words));
  }
  return sample;
}

}  // namespace newsd::dedup
