// Engine::FindMatch's search: every candidate verified, vetoes applied, the best one chosen.
#include "dedup/match.h"

#include <algorithm>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "dedup/corrections.h"
#include "dedup/dateline.h"
#include "dedup/verify.h"

namespace newsd::dedup {
namespace {

// How FindMatch ranks accepted candidates: first those whose figures all agree with the new
// text's (a candidate holding another figure under the same words is likelier yesterday's
// report), then by the shingles shared with it, then by score (resemblance over
// containment), then the earlier item, then the smaller id, so ties never depend on where
// the index keeps an item in memory (which changes with expiry and restarts). A match by
// title alone (tier 0) comes last.
struct Rank {
  int tier = -1;  // 2: words, figures agree; 1: words, a figure differs; 0: title only
  size_t shared = 0;
  double score = -1;
  UnixSeconds time = 0;
  std::string_view item;

  bool operator>(const Rank& r) const {
    if (tier != r.tier) return tier > r.tier;
    if (shared != r.shared) return shared > r.shared;
    if (score != r.score) return score > r.score;
    if (time != r.time) return time < r.time;
    return item < r.item;
  }
};

// Shingles of both `a` and `b` (sorted sets) that are not in `except` (sorted, small).
size_t SharedBeyond(std::span<const Shingle> a, std::span<const Shingle> b,
                    std::span<const Shingle> except) {
  size_t n = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      n += !std::binary_search(except.begin(), except.end(), a[i]);
      ++i, ++j;
    }
  }
  return n;
}

// An accepted candidate.
struct Accept {
  Rank rank;
  Verdict verdict;
  Comparison cmp;
  const CandidateIndex::Candidate* candidate;
  bool bridge;  // The stored item is the smaller side and not a near-equal copy.
};

// A rejected candidate (only the longest of each story matters, see Vetoed).
struct Reject {
  uint32_t slot;
  bool by_title;  // Not compared by words: a full text under the same title.
  Verdict verdict;
  bool figures_conflict;  // Other figures under the same words, whatever the verdict.
  double resemblance = 0;
};

// The buffers of one search, reused by every search on a thread (no allocation per item).
struct SearchScratch {
  std::vector<CandidateIndex::Candidate> candidates;
  std::vector<Accept> accepted;
  std::vector<Reject> rejected;
  std::vector<uint32_t> same_title;
  // Stories holding a filing of fp's source dated another day: fp is that story sent again
  // with another day's news, not a copy of any of its members.
  std::vector<std::string_view> other_filings;
  // Of those, the ones under fp's title: stories of that title all the same (see Best).
  std::vector<std::string_view> other_filing_titles;
  // Decoded shingle sets of indexed items (IndexedDoc::shingles).
  std::vector<Shingle> shingles, bridge, full;
  // Cold candidates read back from the archive in this search, by slot (a deque: references
  // stay valid as it grows).
  std::vector<std::pair<uint32_t, size_t>> loaded_slots;
  std::deque<IndexedDoc> loaded;

  void Clear() {
    loaded_slots.clear();
    loaded.clear();
    accepted.clear();
    rejected.clear();
    same_title.clear();
    other_filings.clear();
    other_filing_titles.clear();
  }
};

class Search {
 public:
  Search(const Fingerprint& fp, const CandidateIndex& index, const Options& options,
         const ColdStore* cold, SearchScratch* scratch)
      : fp_(fp), index_(index), options_(options), cold_(cold), s_(*scratch) {}

  // Verifies every candidate of fp, then returns the best story that survives the vetoes.
  Match Run() {
    s_.Clear();
    index_.Candidates(fp_, &s_.candidates, &s_.same_title);
    // Full texts under the same title were not compared (titles never join two of them): as
    // far as a bridge is concerned, they count as members that differ.
    for (uint32_t slot : s_.same_title) {
      s_.rejected.push_back({slot, true, Verdict::kDifferent, false});
    }
    for (const auto& c : s_.candidates) Verify(c);
    return Best();
  }

 private:
  // Candidate `slot` whole: as the index holds it, or read back when it is cold; null when it
  // cannot be.
  const IndexedDoc* Whole(uint32_t slot) const {
    const IndexedDoc& doc = index_.doc(slot);
    if (!doc.cold()) return &doc;
    for (const auto& [loaded, at] : s_.loaded_slots) {
      if (loaded == slot) return &s_.loaded[at];
    }
    StoredDoc stored;
    if (cold_ == nullptr || !cold_->Load(doc, index_.time(slot), &stored)) return nullptr;
    s_.loaded_slots.emplace_back(slot, s_.loaded.size());
    return &s_.loaded.emplace_back(ViewOf(stored), nullptr);
  }

  Comparison CompareWith(const CandidateIndex::Candidate& c, const IndexedDoc& doc) const {
    const std::span<const Shingle> shingles = doc.shingles(&s_.shingles);
    Comparison cmp = Compare(fp_.shingles, fp_.numbers, shingles, doc.numbers());
    const LeadShingles lead = doc.lead(shingles);
    CompareLeads(fp_.lead, fp_.shingles, lead.get(), shingles, options_.max_prefix_shingles, &cmp);
    CompareFigures(fp_.figures, doc.figures(), &cmp);
    CompareNames(fp_.names, doc.names(), &cmp);
    cmp.titles_match = SharesTitle(fp_.titles, doc.titles());
    cmp.title_only = fp_.title_only || doc.title_only();
    cmp.lines_dropped = fp_.dropped_lines > 0;
    cmp.time_gap = std::abs(fp_.time - index_.time(c.slot));
    cmp.other_filing = OtherFiling(fp_.filing, doc.filing());
    // Either way round (a correction may reach the index before the story: another feed of
    // the source, an import's order), the correction the later of the two.
    cmp.correction = Corrects(fp_.correction, fp_.time, doc.correction(), index_.time(c.slot)) &&
                     fp_.filing != 0 && fp_.filing == doc.filing();
    CompareSetAside(fp_.shingles, fp_.aside, fp_.lead, shingles, lead.get(), fp_.aside_frames,
                    &cmp);
    if (WantsEditRuns(cmp, options_)) cmp.edit_runs = EditRuns(fp_.ordered, shingles);
    return cmp;
  }

  // Compares fp with candidate `c` and files it as accepted or rejected.
  void Verify(const CandidateIndex::Candidate& c) {
    const IndexedDoc* whole = Whole(c.slot);
    if (whole == nullptr) return;  // cold, and its record unreadable: not compared
    const IndexedDoc& doc = *whole;
    const Comparison cmp = CompareWith(c, doc);
    if (cmp.other_filing) {
      s_.other_filings.push_back(doc.story());
      if (cmp.titles_match) s_.other_filing_titles.push_back(doc.story());
    }
    const Verdict verdict = Decide(cmp, options_);
    if (!Accepted(verdict)) {
      const bool conflict = verdict == Verdict::kNumbersDiffer ||
                            verdict == Verdict::kFiguresDiffer ||
                            verdict == Verdict::kNamesDiffer || FiguresConflict(cmp, options_);
      s_.rejected.push_back({c.slot, false, verdict, conflict, cmp.resemblance});
      return;
    }
    // Figures that agree first, then the candidate sharing the most shingles (a snippet joins
    // the text holding all of it, not yesterday's snippet of a template that reads much
    // alike); on a tie a resemblance match outranks a containment-only (snippet) match. A
    // match by title alone comes last (see Rank).
    const double score = verdict == Verdict::kResemblance ? 2 + cmp.resemblance
                         : verdict == Verdict::kContainment || verdict == Verdict::kEdited
                             ? cmp.containment
                             : 0;
    const bool bridge =
        verdict != Verdict::kResemblance && doc.shingle_count() < fp_.shingles.size();
    const int tier = verdict == Verdict::kTitle ? 0 : cmp.figures_differ == 0 ? 2 : 1;
    s_.accepted.push_back(
        {Rank{tier, cmp.shared, score, index_.time(c.slot), doc.item()}, verdict, cmp, &c, bridge});
  }

  // A snippet (or a title-only item) of a story is no evidence that a longer text belongs to
  // it when a longer member of the story, compared too, holds other figures (the number
  // guard: yesterday's report), or when the story's full text (at least three times the
  // snippet) shares nothing more with the text than the snippet itself (two stories that
  // open with the same sentence), or only the title links them (two daily reports under one
  // title: full texts are never joined by their titles).
  // A member that is most of the full text is no snippet: texts that each extend it (local
  // paragraphs added to one wire story) still join through it.
  bool Vetoed(const Accept& a) const {
    if (!a.bridge) return false;
    const IndexedDoc& bridge = index_.doc(a.candidate->slot);
    return std::any_of(s_.rejected.begin(), s_.rejected.end(),
                       [&](const Reject& r) { return VetoedBy(a, bridge, r); });
  }

  bool VetoedBy(const Accept& a, const IndexedDoc& bridge, const Reject& r) const {
    const IndexedDoc& full = index_.doc(r.slot);
    if (full.story() != bridge.story()) return false;
    const size_t small = bridge.shingle_count();
    // Other figures in a longer member of the story: whatever its length, the text is
    // another report (the next day's) that only shares the snippet's wording.
    if (r.figures_conflict && full.shingle_count() > small) {
      return true;
    }
    if (full.shingle_count() < 3 * small ||
        full.shingle_count() < options_.min_containment_shingles) {
      return false;
    }
    if (a.verdict == Verdict::kTitle) return true;
    if (r.by_title) return false;
    // Both were compared: read back already if cold.
    const IndexedDoc* full_whole = Whole(r.slot);
    const IndexedDoc* bridge_whole = Whole(a.candidate->slot);
    if (full_whole == nullptr || bridge_whole == nullptr) return false;
    return SharedBeyond(fp_.shingles, full_whole->shingles(&s_.full),
                        bridge_whole->shingles(&s_.bridge)) < options_.min_containment_shingles;
  }

  bool OtherFilingOf(std::string_view story) const {
    return std::find(s_.other_filings.begin(), s_.other_filings.end(), story) !=
           s_.other_filings.end();
  }

  Match Best() const {
    Match best;
    best.candidates = s_.candidates.size();
    Rank best_rank;
    // Stories accepted by their title alone: the title names one story only when it is one.
    std::string_view title_story;
    bool title_ambiguous = false, best_by_title = false;
    for (const Accept& a : s_.accepted) {
      if (Vetoed(a)) continue;
      const IndexedDoc& doc = index_.doc(a.candidate->slot);
      if (!s_.other_filings.empty() && OtherFilingOf(doc.story())) continue;
      if (a.verdict == Verdict::kTitle) {
        title_ambiguous |= !title_story.empty() && title_story != doc.story();
        title_story = doc.story();
      }
      if (!(a.rank > best_rank)) continue;
      best_rank = a.rank;
      Take(a, doc, &best);
      best_by_title = a.verdict == Verdict::kTitle;
    }
    // Another day's filing under the title is a story of that title too: the title names
    // more than one story.
    for (std::string_view story : s_.other_filing_titles) title_ambiguous |= story != title_story;
    if (best_by_title && title_ambiguous) {
      Match none;
      none.candidates = best.candidates;
      best = none;
    }
    if (!best.is_copy) NoteNearestRefused(&best);
    return best;
  }

  // Match::refused_*: the rejected candidate compared by words that resembles fp most.
  void NoteNearestRefused(Match* none) const {
    const Reject* nearest = nullptr;
    for (const Reject& r : s_.rejected) {
      if (!r.by_title && (nearest == nullptr || r.resemblance > nearest->resemblance)) {
        nearest = &r;
      }
    }
    if (nearest == nullptr) return;
    const IndexedDoc& doc = index_.doc(nearest->slot);
    none->refused_item = doc.item();
    none->refused_story = doc.story();
    none->refused_resemblance = nearest->resemblance;
  }

  static void Take(const Accept& a, const IndexedDoc& doc, Match* best) {
    best->is_copy = true;
    best->story = doc.story();
    best->matched_item = doc.item();
    best->resemblance = a.cmp.resemblance;
    best->containment = a.cmp.containment;
    best->path = a.candidate->path;
  }

  const Fingerprint& fp_;
  const CandidateIndex& index_;
  const Options& options_;
  const ColdStore* cold_;
  SearchScratch& s_;
};

}  // namespace

Match FindStory(const Fingerprint& fp, const CandidateIndex& index, const Options& options,
                const ColdStore* cold) {
  thread_local SearchScratch scratch;
  return Search(fp, index, options, cold, &scratch).Run();
}

}  // namespace newsd::dedup
