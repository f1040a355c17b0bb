#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace newsd::dedup {

/// Tuning of the near-duplicate engine. Plain struct: config/ fills it from [dedup].
struct Options {
  /// Words per shingle. Default: 4.
  int shingle_words = 4;
  /// Same story when Jaccard resemblance of the shingle sets is at least this. Default: 0.5.
  double min_resemblance = 0.5;
  /// ... or when the smaller set is contained in the larger at least this much. Default: 0.7
  /// (DEDUP.md §3.8: 0.7 buys recall of prefixed/attributed snippets for little precision).
  double min_containment = 0.7;
  /// ... and the smaller set has at least this many shingles. Default: 8.
  size_t min_containment_shingles = 8;
  /// ... or, when smaller than that, has at least this many shingles and its lead shingles are
  /// contained at least min_containment in the other's lead (a one-sentence RSS snippet).
  /// Default: 3.
  size_t min_snippet_shingles = 3;
  /// Containment is measured without up to this many leading shingles of the smaller
  /// document that the larger one lacks (an added dateline or agency prefix). 0 disables it.
  /// Default: 7, the shingles of a 7-word dateline ("Санкт-Петербург, 7 ноября — РИА
  /// Новости.", "RIO DE JANEIRO, Oct 19 (Reuters) -").
  size_t max_prefix_shingles = 7;
  /// An edited copy (Verdict::kEdited): containment of at least min_edited_containment (but
  /// below min_containment) is enough when the smaller text has at least min_edited_shingles
  /// shingles, the two share lead_min_shared lead shingles, and the text compared as new
  /// differs from the other in at most max_edit_runs runs of its shingles, in text order: a
  /// syndicating outlet's edits (a sentence replaced, dropped or added, a paragraph cut).
  /// Two reports from one template differ in many places, two stories sharing a background
  /// paragraph in their openings, and two short notices from one template ("Voting has
  /// started in our photo contest «X»...") are too short for the rule. When the new text has
  /// lines its source used before (Fingerprint::aside), its other shingles must be in the
  /// other at least min_edited_containment too. max_edit_runs 0 disables the rule. Defaults:
  /// 0.55, 24, 2.
  double min_edited_containment = 0.55;
  size_t min_edited_shingles = 24;
  size_t max_edit_runs = 2;
  /// Only items whose effective times (published, else arrival) are within this many seconds
  /// of each other are compared. Default: 72 h.
  int64_t window_seconds = 72 * 3600;
  /// How far behind the newest item time an item may be dated and still be compared with every
  /// item of its window: expiry lets go of items more than window_seconds + late_seconds below
  /// the newest, so the index's RAM grows with both. An item dated further back is compared
  /// with what is left, and counted late. Negative (the default): window_seconds.
  int64_t late_seconds = -1;
  /// late_seconds, or window_seconds when that is negative.
  int64_t late() const { return late_seconds < 0 ? window_seconds : late_seconds; }
  /// How far below the newest item time the index keeps items: window_seconds + late().
  int64_t kept_seconds() const { return window_seconds + late(); }
  /// Sources preferred as a story's canonical copy (agencies), by exact source name.
  /// Default: empty.
  std::vector<std::string> agency_sources;

  /// Number guard (DEDUP.md §3.8): when both documents carry numbers, at least this share of
  /// the distinct numbers of the one with fewer must occur in the other. 0 disables it.
  /// Default: 0.5.
  double min_number_overlap = 0.5;
  /// The number guard applies only when both documents have at least this many distinct
  /// numbers. Default: 2.
  size_t number_guard_min_numbers = 2;
  /// Figure guard: a pair is refused when at least this many keys (the words around a figure,
  /// Fingerprint::figures) hold different figures in the two documents and they are no fewer
  /// than the keys that hold a figure in common: "from -24 to -19 degrees" against "from -8 to
  /// -3 degrees" (weather, rates, league tables: reports from one template); also when one
  /// key differs and none agrees. 0 disables it. Default: 2.
  size_t min_figures_differ = 2;
  /// A text whose header and footer lines include some its source used before, not yet
  /// learned as boilerplate (a new outlet's footer in its first items), joins a candidate
  /// sharing no lead shingle with it only when at least this share of its shingles outside
  /// those lines is in the candidate (Verdict::kSourceLines). Default: 0.35: an update or a
  /// rewrite of one story holds more, two stories alike only by the footer next to none.
  double min_rest_shared = 0.35;
  /// Shingles at the start of the body indexed in the lead index (snippet path). Default: 16.
  size_t lead_shingles = 16;
  /// Shared lead shingles that make a lead candidate. Default: 3.
  size_t lead_min_shared = 3;
  /// A line (or sentence) of a source is boilerplate once seen in this many items of distinct
  /// content from that source (resent copies count once). Default: 3.
  uint32_t boilerplate_min_items = 3;
  /// A boilerplate counter restarts when its line was not seen for this long (item time).
  /// Default: 7 days.
  int64_t boilerplate_window_seconds = 7 * 24 * 3600;
  /// Only the first this many lines of a document, and the last boilerplate_tail_lines, are
  /// counted and dropped: navigation headers and footers live there, and this bounds the
  /// counters kept per item. Default: 2.
  size_t boilerplate_head_lines = 2;
  /// See boilerplate_head_lines. Default: 4.
  size_t boilerplate_tail_lines = 4;
  /// Lines longer than this many tokens are never counted as boilerplate. Default: 64.
  size_t boilerplate_max_line_tokens = 64;
  /// Nor are lines shorter than this: dropping a short line ("Nine mths") changes the shingles
  /// that span it and costs more than keeping it. Default: 4.
  size_t boilerplate_min_line_tokens = 4;
  /// Items the in-memory index is sized for up front (the expected window population), so
  /// that it does not rehash while filling. 0 starts small and grows. Default: 0.
  size_t reserve_items = 0;
  /// Width of the time buckets of persisted keys; Expire drops whole buckets. Default: 6 h.
  int64_t bucket_seconds = 6 * 3600;
  /// Keep each indexed item's 32 LSH band-key fragments (128 bytes an item) so that its expiry
  /// need not compute its MinHash signature again: CPU for RAM. Not a configuration key:
  /// `newsd import` (a batch job, the CPU its bottleneck) sets it; the daemon keeps its RAM
  /// (issue 6's 512 MB at 1,000,000 stories left too thin a margin with it). Default: false.
  bool keep_band_fragments = false;

  friend bool operator==(const Options&, const Options&) = default;
};

}  // namespace newsd::dedup
