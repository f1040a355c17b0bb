#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "dedup/fingerprint.h"
#include "dedup/options.h"

namespace newsd::dedup {

/// Exact comparison of two documents' shingle sets (sorted, unique hashes).
struct Comparison {
  size_t shared = 0;  ///< |A∩B|
  size_t a_size = 0, b_size = 0;
  double resemblance = 0;       ///< |A∩B| / |A∪B|
  double containment = 0;       ///< |A∩B| / min(|A|,|B|)
  size_t smaller_numbers = 0;   ///< Distinct numbers of the document with fewer of them.
  double number_overlap = 1;    ///< Share of those found in the other one (1 when none).
  size_t lead_shared = 0;       ///< Lead shingles in common (see CompareLeads).
  double lead_containment = 0;  ///< lead_shared / (the shorter lead - prefix_unmatched).
  /// Leading shingles of the smaller document (in text order) absent from the larger one, up
  /// to max_prefix_shingles and half of the document: an agency dateline or
  /// "City. Agency -" prefix added to a copy (0 otherwise). More than half is allowed when the
  /// whole document is in its lead and the rest (≥ 3 shingles) is the other's opening.
  size_t prefix_unmatched = 0;
  /// The larger document's lead shingles, and how many of them, from its first, the smaller
  /// one lacks: all when it opens with text the smaller lacks (a follow-up that puts new
  /// paragraphs above the earlier story's text).
  size_t larger_lead_size = 0, larger_lead_unmatched = 0;
  /// The smaller document's opening (its first lead shingle past prefix_unmatched) is in the
  /// larger one.
  bool smaller_opening_found = false;
  /// Keys (the words around a figure) that both documents use, holding a figure in common
  /// (figures_agree) or none (figures_differ, counting each change of a figure once however
  /// many keys show it); see CompareFigures.
  size_t figures_agree = 0, figures_differ = 0;
  /// Both texts name days past their datelines (the date entries of Fingerprint::figures),
  /// none the same: reports of other days' events (see CompareFigures).
  bool other_dates = false;
  /// The same for names (Fingerprint::names; see CompareNames).
  size_t names_agree = 0, names_differ = 0;
  /// The newer text lost lines as its source's learned boilerplate (Fingerprint::
  /// dropped_lines), so its lead may not be its opening; set by the caller.
  bool lines_dropped = false;
  /// The two titles share a title key (see SharesTitle); set by the caller.
  bool titles_match = false;
  /// Seconds between the two items' times; set by the caller (the title rule reads it).
  int64_t time_gap = 0;
  /// One of the two had no text, only a title (Fingerprint::title_only); set by the caller.
  bool title_only = false;
  /// The two are filings of one source whose datelines name other days (OtherFiling); set by
  /// the caller.
  bool other_filing = false;
  /// One text announces a correction of the other (Fingerprint::correction) and is the
  /// later in item time (Corrects), both of one filing (source and dateline day): the figures
  /// and dates it corrects refuse nothing (kFiguresDiffer, kOtherDates); set by the caller.
  bool correction = false;
  /// The later text has shingles set aside (Fingerprint::aside: lines its source used before):
  /// rest_size of its shingles are not, rest_shared of those are in the other, and
  /// rest_lead_shared counts the openings they share: its lead shingles in the other's lead
  /// that are not set aside (or are its first), and the other's first shingle when it is in
  /// the later text; when `frames` (Fingerprint::aside_frames: a header and a footer), only
  /// those after the opening both texts have word for word. Set by CompareSetAside.
  bool set_aside = false;
  bool frames = false;
  size_t rest_size = 0, rest_shared = 0, rest_lead_shared = 0;
  /// The other text's shingles that are not among the later text's set aside (with `frames`,
  /// the source-lines verdict needs at least 8 of them, a sentence, shared as little).
  size_t other_rest_size = 0;
  /// Runs of the newer text's shingles (text order) absent from the other (EditRuns), counted
  /// by the caller only when the pair's verdict depends on them (WantsEditRuns); SIZE_MAX
  /// when not counted.
  size_t edit_runs = SIZE_MAX;
};

/// A title alone joins items published at most this far apart: a rubric title recurs daily.
inline constexpr int64_t kTitleGapSeconds = 12 * 3600;

/// Why a pair is, or is not, the same story.
enum class Verdict {
  kResemblance,    ///< Jaccard ≥ min_resemblance, both sides ≥ min_containment_shingles.
  kContainment,    ///< Containment ≥ min_containment and the smaller side is large enough, or
                   ///< a short text (≥ min_snippet_shingles) that is the start of the other,
                   ///< which is not short.
  kDifferent,      ///< Neither threshold met.
  kTooSmall,       ///< Containment met, but the smaller side is below min_containment_shingles
                   ///< and is not the other's lead either.
  kNumbersDiffer,  ///< A threshold met, but the number guard rejects the pair.
  kFiguresDiffer,  ///< A threshold met, but figures under the same words differ (the figure
                   ///< guard: another report from the same template).
  kTitle,          ///< No threshold met, but the titles match, one of the two texts is
                   ///< smaller than min_containment_shingles (a title- or byline-only item)
                   ///< or has no text but its title (however long), and the two are at most
                   ///< kTitleGapSeconds apart.
  kOtherFiling,    ///< A threshold met, but one source filed the two under datelines naming
                   ///< other days (the next day's story, sent again with its news).
  kNamesDiffer,    ///< A threshold met, but other names stand under the same words, and
                   ///< fewer than three times as many the same ones (the name guard: "a fire
                   ///< in Almaty" and "a fire in Astana", one template).
  kEdited,         ///< Containment below min_containment but at least min_edited_containment,
                   ///< the smaller side at least min_edited_shingles, lead shingles shared,
                   ///< and the newer text differs from the other in at most max_edit_runs
                   ///< runs (an edited copy).
  kNewOpening,     ///< A threshold met by words, but the larger text opens with news the
                   ///< smaller lacks (NewOpening): a follow-up that tells a new event above
                   ///< the earlier story's text.
  kOtherDates,     ///< A threshold met, but the two name other days past their datelines
                   ///< ("power will be off on 12 November" against "on 19 November").
  kSourceLines,    ///< A threshold met by words, but no lead shingle is shared (but for those
                   ///< set aside), and less than
                   ///< min_rest_shared of the later text beyond its shingles set aside (lines
                   ///< its source used before: a new outlet's unlearned footer) is in the other.
};
std::string_view VerdictName(Verdict verdict);
inline bool Accepted(Verdict v) {
  return v == Verdict::kResemblance || v == Verdict::kContainment || v == Verdict::kEdited ||
         v == Verdict::kTitle;
}

/// Sets c->set_aside and the rest_ counts for A, the later text, whose shingles `a_aside` (a
/// sorted subset of `a_shingles`) are set aside, against B; nothing when a_aside is empty.
/// c->shared must be set (Compare).
void CompareSetAside(std::span<const Shingle> a_shingles, std::span<const Shingle> a_aside,
                     std::span<const Shingle> a_lead, std::span<const Shingle> b_shingles,
                     std::span<const Shingle> b_lead, bool a_frames, Comparison* c);

/// Compares A and B: shingle sets and number sets (both sorted, unique).
Comparison Compare(std::span<const Shingle> a_shingles, std::span<const Shingle> a_numbers,
                   std::span<const Shingle> b_shingles, std::span<const Shingle> b_numbers);

/// Fills the lead fields of `c` from the two documents' lead shingles (text order, distinct)
/// and shingle sets (sorted); `max_prefix` bounds prefix_unmatched.
void CompareLeads(std::span<const Shingle> a_lead, std::span<const Shingle> a_shingles,
                  std::span<const Shingle> b_lead, std::span<const Shingle> b_shingles,
                  size_t max_prefix, Comparison* c);

/// Fills figures_agree and figures_differ of `c` from the two documents' figures
/// (Fingerprint::figures). A key with several figures in one document (the same words around
/// two figures) agrees when any figure is in both, so a snippet agrees with its full text.
/// The date entries (kDateKey) are left out of those counts and set other_dates instead.
void CompareFigures(std::span<const Shingle> a_figures, std::span<const Shingle> b_figures,
                    Comparison* c);

/// Fills names_agree and names_differ of `c` from the two documents' names
/// (Fingerprint::names), as CompareFigures does for figures, but for a figure that moved: a
/// name agrees only under the same words, not when the other text has it anywhere.
void CompareNames(std::span<const Shingle> a_names, std::span<const Shingle> b_names,
                  Comparison* c);

/// True when one title is the other but for a prefix: the whole of one (the first of its
/// Fingerprint::titles keys) is a key of the other.
bool SharesTitle(std::span<const Shingle> a, std::span<const Shingle> b);

/// Containment of the smaller document once its unmatched prefix is set aside.
double TrimmedContainment(const Comparison& c);

/// The number of maximal runs of `ordered` (a text's shingles in text order) that are absent
/// from `other` (sorted, unique): 1 for a sentence replaced or added in one place.
size_t EditRuns(std::span<const Shingle> ordered, std::span<const Shingle> other);

/// True when Decide's verdict on `c` may turn on c.edit_runs: no threshold met by words, and
/// the edited-copy rule of `options` could apply.
bool WantsEditRuns(const Comparison& c, const Options& options);

/// Applies the thresholds and the number guard of `options` to a comparison.
Verdict Decide(const Comparison& c, const Options& options);

/// True when the figure guard of `options` refuses the pair (whatever else matched): keys
/// that hold other figures outnumber those that agree, or one differs and none agrees.
bool FiguresConflict(const Comparison& c, const Options& options);

/// True when a follow-up puts its news above the earlier story's text ("A court sentenced ...
/// As reported earlier, <the arrest story>"): the larger text's whole lead
/// (Options::lead_shingles) is absent from the smaller, the smaller's opening is in the
/// larger, at least kNewOpeningContainment of the smaller is, and the larger has at least
/// twice lead_shingles shingles the smaller lacks (more than a photo caption with its credit
/// or an agency prefix above a copy; a rewritten lead sentence leaves the smaller's opening
/// out). Not under the same title (a copy with an intro "Как сообщает ТАСС, ...", "Read also"
/// links or an embedded post above the text keeps the title; a follow-up has its own), nor
/// when the newer text lost lines as its source's learned boilerplate: its lead may then not
/// be its opening.
inline constexpr double kNewOpeningContainment = 0.8;
bool NewOpening(const Comparison& c, const Options& options);

/// True when the name guard refuses the pair: a name differs under the same words, and fewer
/// than three agree for each that differs (a storm warning for another region keeps the
/// agency's and the service's names). A misspelt or declined name agrees (see
/// Fingerprint::names).
bool NamesConflict(const Comparison& c);

}  // namespace newsd::dedup
