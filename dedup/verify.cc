#include "dedup/verify.h"

#include <algorithm>

#include "dedup/dateline.h"
#include "dedup/shingle.h"

namespace newsd::dedup {

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kResemblance:
      return "resemblance";
    case Verdict::kContainment:
      return "containment";
    case Verdict::kDifferent:
      return "different";
    case Verdict::kTooSmall:
      return "too-small";
    case Verdict::kNumbersDiffer:
      return "numbers-differ";
    case Verdict::kFiguresDiffer:
      return "figures-differ";
    case Verdict::kTitle:
      return "title";
    case Verdict::kOtherFiling:
      return "other-filing";
    case Verdict::kEdited:
      return "edited";
    case Verdict::kNewOpening:
      return "new-opening";
    case Verdict::kOtherDates:
      return "other-dates";
    case Verdict::kSourceLines:
      return "source-lines";
    case Verdict::kNamesDiffer:
      return "names-differ";
  }
  return "?";
}

bool SharesTitle(std::span<const Shingle> a, std::span<const Shingle> b) {
  // Keys are longest title first: a whole title against any key of the other (one of them
  // has the prefix). Two titles that each lose their first words to match ("В Алматы
  // открылся новый центр…" and "В Шымкенте открылся новый центр…") have other subjects.
  auto holds = [](std::span<const Shingle> keys, Shingle key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  return (!a.empty() && holds(b, a.front())) || (!b.empty() && holds(a, b.front()));
}

double TrimmedContainment(const Comparison& c) {
  const size_t smaller = std::min(c.a_size, c.b_size);
  if (smaller <= c.prefix_unmatched) return 0;
  return static_cast<double>(c.shared) / (smaller - c.prefix_unmatched);
}

Comparison Compare(std::span<const Shingle> a_shingles, std::span<const Shingle> a_numbers,
                   std::span<const Shingle> b_shingles, std::span<const Shingle> b_numbers) {
  Comparison c;
  c.a_size = a_shingles.size();
  c.b_size = b_shingles.size();
  c.shared = IntersectionSize(a_shingles, b_shingles);
  const size_t union_size = c.a_size + c.b_size - c.shared;
  const size_t smaller = std::min(c.a_size, c.b_size);
  c.resemblance = union_size ? static_cast<double>(c.shared) / union_size : 0;
  c.containment = smaller ? static_cast<double>(c.shared) / smaller : 0;
  // The numbers of the document that has fewer must be found in the other: a snippet carries
  // a subset of its story's numbers, and an edited copy may add a sentence with new ones.
  const bool a_fewer = a_numbers.size() <= b_numbers.size();
  std::span<const Shingle> small = a_fewer ? a_numbers : b_numbers;
  std::span<const Shingle> large = a_fewer ? b_numbers : a_numbers;
  c.smaller_numbers = small.size();
  if (!small.empty() && !large.empty()) {
    c.number_overlap = static_cast<double>(IntersectionSize(small, large)) / small.size();
  }
  return c;
}

namespace {

// Shingles a snippet must keep after its prefix to be matched against the other's opening.
constexpr size_t kMinOpening = 3;

// True when everything of `lead` from `p` on is the opening of `other_lead`, shingle for
// shingle: a one-sentence snippet under a dateline longer than the sentence
// ("Қарағанды. 6 наурыз. DKnews.kz – …") is still that story's start.
bool OpensOther(std::span<const Shingle> lead, size_t p, std::span<const Shingle> other_lead) {
  const size_t rest = lead.size() - p;
  if (rest < kMinOpening || rest > other_lead.size()) return false;
  return std::equal(lead.begin() + static_cast<std::ptrdiff_t>(p), lead.end(), other_lead.begin());
}

// True when what follows a half-length prefix starts in `other_lead` no later than the prefix
// ends in `lead`: a dateline before the same opening, not an item's own text before a
// trailing line both share ("... Read the full story at Interfax.com").
bool MatchesNoLater(std::span<const Shingle> lead, size_t p, std::span<const Shingle> other_lead) {
  if (p >= lead.size()) return false;
  auto at = std::find(other_lead.begin(), other_lead.end(), lead[p]);
  return at != other_lead.end() && static_cast<size_t>(at - other_lead.begin()) <= p;
}

}  // namespace

void CompareLeads(std::span<const Shingle> a_lead, std::span<const Shingle> a_shingles,
                  std::span<const Shingle> b_lead, std::span<const Shingle> b_shingles,
                  size_t max_prefix, Comparison* c) {
  // The smaller document's leading shingles that the larger one lacks: a prefix only when
  // the text after it is found again.
  const bool a_smaller = a_shingles.size() <= b_shingles.size();
  std::span<const Shingle> lead = a_smaller ? a_lead : b_lead;
  std::span<const Shingle> other = a_smaller ? b_shingles : a_shingles;
  std::span<const Shingle> other_lead = a_smaller ? b_lead : a_lead;
  size_t p = 0;
  while (p < lead.size() && p <= max_prefix &&
         !std::binary_search(other.begin(), other.end(), lead[p])) {
    ++p;
  }
  // A prefix is the smaller part of the text, at most half of it, unless the whole text is
  // in its lead and all of it after the prefix opens the other document.
  const size_t smaller = std::min(a_shingles.size(), b_shingles.size());
  const bool short_enough = 2 * p < smaller ||
                            (2 * p == smaller && MatchesNoLater(lead, p, other_lead)) ||
                            (lead.size() == smaller && OpensOther(lead, p, other_lead));
  c->prefix_unmatched = (p <= max_prefix && p < lead.size() && short_enough) ? p : 0;

  std::span<const Shingle> larger_lead = a_smaller ? b_lead : a_lead;
  std::span<const Shingle> smaller_set = a_smaller ? a_shingles : b_shingles;
  c->smaller_opening_found =
      p < lead.size() && std::binary_search(other.begin(), other.end(), lead[p]);
  c->larger_lead_size = larger_lead.size();
  // The run of its first lead shingles absent from the smaller (one look for most pairs).
  c->larger_lead_unmatched = 0;
  while (c->larger_lead_unmatched < larger_lead.size() &&
         !std::binary_search(smaller_set.begin(), smaller_set.end(),
                             larger_lead[c->larger_lead_unmatched])) {
    ++c->larger_lead_unmatched;
  }

  size_t shared = 0;
  for (Shingle s : a_lead) shared += std::find(b_lead.begin(), b_lead.end(), s) != b_lead.end();
  c->lead_shared = shared;
  const size_t shorter = std::min(a_lead.size(), b_lead.size());
  const size_t base = shorter > c->prefix_unmatched ? shorter - c->prefix_unmatched : 0;
  c->lead_containment = base ? std::min(1.0, static_cast<double>(shared) / base) : 0;
}

namespace {

// True when a figure of kCompoundDigits or more among entries[begin, end) is the figure of any
// entry of `other`.
bool FigureFound(std::span<const Shingle> entries, size_t begin, size_t end,
                 std::span<const Shingle> other) {
  constexpr Shingle kFigure = (Shingle{1} << kFigureBits) - 1;
  for (size_t x = begin; x < end; ++x) {
    if (!(entries[x] & kCompoundFigure)) continue;  // Small integers recur by chance.
    for (Shingle o : other) {
      if ((o & kFigure) == (entries[x] & kFigure)) return true;
    }
  }
  return false;
}

}  // namespace

namespace {

// CompareFigures and CompareNames: keys both use whose values agree, and distinct changes.
// With `moved`, a compound figure of a key found under any key of the other text agrees too.
// A key agrees when a value is in both; with `all_of_fewer`, only when every value of the
// side with fewer is in the other (names side by side share a key: "Президентом Узбекистана
// Шавкатом Мирзиёевым" and "Президентом Кыргызстана Садыром Жапаровым" share one name of four).
void CompareKeyed(std::span<const Shingle> a_figures, std::span<const Shingle> b_figures,
                  bool moved, bool all_of_fewer, size_t* agree, size_t* differ) {
  *agree = *differ = 0;
  // Entries are sorted, so each key's figures are one run in both spans.
  auto key = [](Shingle entry) { return entry >> kFigureBits; };
  constexpr Shingle kFigure = (Shingle{1} << kFigureBits) - 1;
  // One change of a figure that the text repeats ("12 killed ... among the 12 dead" updated
  // to 15) is one difference, not one per place: the differing keys' figure pairs, distinct.
  thread_local std::vector<std::pair<Shingle, Shingle>> changes;
  changes.clear();
  size_t i = 0, j = 0;
  while (i < a_figures.size() && j < b_figures.size()) {
    const Shingle k = key(a_figures[i]);
    if (k != key(b_figures[j])) {
      k < key(b_figures[j]) ? ++i : ++j;
      continue;
    }
    const size_t a_begin = i, b_begin = j;
    size_t shared = 0;
    while (i < a_figures.size() && j < b_figures.size() && key(a_figures[i]) == k &&
           key(b_figures[j]) == k) {
      if (a_figures[i] == b_figures[j]) {
        ++shared;
        ++i;
        ++j;
      } else {
        a_figures[i] < b_figures[j] ? ++i : ++j;
      }
    }
    while (i < a_figures.size() && key(a_figures[i]) == k) ++i;
    while (j < b_figures.size() && key(b_figures[j]) == k) ++j;
    bool common = all_of_fewer ? shared == std::min(i - a_begin, j - b_begin) : shared > 0;
    // A figure that only moved (a rewrite: "from 0.64 to 0.50") is still in the other text.
    common = common || (moved && (FigureFound(a_figures, a_begin, i, b_figures) ||
                                  FigureFound(b_figures, b_begin, j, a_figures)));
    if (common) {
      ++*agree;
      continue;
    }
    const std::pair<Shingle, Shingle> change{a_figures[a_begin] & kFigure,
                                             b_figures[b_begin] & kFigure};
    if (std::find(changes.begin(), changes.end(), change) == changes.end()) {
      changes.push_back(change);
      ++*differ;
    }
  }
}

}  // namespace

namespace {

// The date entries of sorted figures (one run: they share kDateKey).
std::span<const Shingle> DateEntries(std::span<const Shingle> figures) {
  const auto begin = std::lower_bound(figures.begin(), figures.end(), kDateKey << kFigureBits);
  auto end = begin;
  while (end != figures.end() && (*end >> kFigureBits) == kDateKey) ++end;
  return {begin, end};
}

// `figures` without its `dates` (a run inside it), in *out.
std::span<const Shingle> WithoutDates(std::span<const Shingle> figures,
                                      std::span<const Shingle> dates, std::vector<Shingle>* out) {
  if (dates.empty()) return figures;
  out->assign(figures.begin(), figures.begin() + (dates.data() - figures.data()));
  out->insert(out->end(), dates.data() + dates.size(), figures.data() + figures.size());
  return *out;
}

// True when both `a` and `b` (date entries, sorted) hold days and none in common, or both
// name a month without a day and no month is in common ("в октябре" against "в ноябре":
// monthly reports), or under some words both use for a weekday they name no weekday alike
// ("нефть подорожала во вторник" against "нефть подорожала в понедельник": a daily report's
// template, whatever other weekdays the two share: "заседание пройдет в четверг"). A month alone on
// one side only is no evidence: a copy rewritten with a date ("on Tuesday" made "on November 12")
// against one naming a month elsewhere.
bool OtherDates(std::span<const Shingle> a, std::span<const Shingle> b) {
  if (a.empty() || b.empty()) return false;
  constexpr Shingle kFigure = (Shingle{1} << kFigureBits) - 1;
  const auto value = [](Shingle entry) { return static_cast<uint32_t>((entry & kFigure) >> 1); };
  const auto is_day = [&value](Shingle entry) {
    return value(entry) < kWeekdayEntries && value(entry) % 32 != 0;
  };
  const auto months_alone = [&value](std::span<const Shingle> entries) {
    uint32_t months = 0;
    for (const Shingle entry : entries) {
      if (value(entry) < kWeekdayEntries && value(entry) % 32 == 0) {
        months |= uint32_t{1} << (value(entry) / 32);
      }
    }
    return months;
  };
  bool a_days = false, b_days = false, day_in_common = false, weekdays_differ = false;
  for (const Shingle entry : a) a_days = a_days || is_day(entry);
  // The weekdays of one key (WeekdayKey) are adjacent, 8 values from the key's first: a key
  // both texts use differs when none of its weekdays is in both.
  Shingle key_first = 0;
  bool keyed = false, key_agrees = false;
  auto end_key = [&] { weekdays_differ = weekdays_differ || (keyed && !key_agrees); };
  for (const Shingle entry : b) {
    if (is_day(entry)) {
      b_days = true;
      day_in_common = day_in_common || std::binary_search(a.begin(), a.end(), entry);
    } else if (value(entry) >= kWeekdayEntries) {
      const Shingle first = entry - (((value(entry) - kWeekdayEntries) % 8) << 1);
      if (first != key_first) {
        end_key();
        key_first = first;
        const auto same_key = std::lower_bound(a.begin(), a.end(), first);
        keyed = same_key != a.end() && *same_key < first + (8 << 1);
        key_agrees = false;
      }
      key_agrees = key_agrees || std::binary_search(a.begin(), a.end(), entry);
    }
  }
  end_key();
  const uint32_t a_alone = months_alone(a), b_alone = months_alone(b);
  return (a_days && b_days && !day_in_common) ||
         (a_alone != 0 && b_alone != 0 && (a_alone & b_alone) == 0) || weekdays_differ;
}

}  // namespace

void CompareFigures(std::span<const Shingle> a_figures, std::span<const Shingle> b_figures,
                    Comparison* c) {
  const std::span<const Shingle> a_dates = DateEntries(a_figures);
  const std::span<const Shingle> b_dates = DateEntries(b_figures);
  c->other_dates = OtherDates(a_dates, b_dates);
  thread_local std::vector<Shingle> a_rest, b_rest;
  CompareKeyed(WithoutDates(a_figures, a_dates, &a_rest), WithoutDates(b_figures, b_dates, &b_rest),
               /*moved=*/true, /*all_of_fewer=*/false, &c->figures_agree, &c->figures_differ);
}

void CompareNames(std::span<const Shingle> a_names, std::span<const Shingle> b_names,
                  Comparison* c) {
  // Not for names: a name recurs in a text under other words ("flights from Shymkent" in the
  // storm warning for Taraz), and a name's value holds no compound-figure bit.
  CompareKeyed(a_names, b_names, /*moved=*/false, /*all_of_fewer=*/true, &c->names_agree,
               &c->names_differ);
}

size_t EditRuns(std::span<const Shingle> ordered, std::span<const Shingle> other) {
  size_t runs = 0;
  bool in_run = false;
  for (const Shingle s : ordered) {
    const bool absent = !std::binary_search(other.begin(), other.end(), s);
    runs += absent && !in_run ? 1 : 0;
    in_run = absent;
  }
  return runs;
}

bool WantsEditRuns(const Comparison& c, const Options& options) {
  if (options.max_edit_runs == 0 || c.shared == 0 || c.resemblance >= options.min_resemblance) {
    return false;
  }
  // Lines its source used before (a new outlet's header and footer) are no evidence: what
  // is not in them must be as much in the other.
  if (c.set_aside && static_cast<double>(c.rest_shared) <
                         options.min_edited_containment * static_cast<double>(c.rest_size)) {
    return false;
  }
  const size_t smaller = std::min(c.a_size, c.b_size);
  const double containment = TrimmedContainment(c);
  return smaller >= options.min_edited_shingles + c.prefix_unmatched &&
         c.lead_shared >= std::max<size_t>(1, options.lead_min_shared) &&
         containment >= options.min_edited_containment && containment < options.min_containment;
}

bool NewOpening(const Comparison& c, const Options& options) {
  const size_t larger = std::max(c.a_size, c.b_size);
  return options.lead_shingles > 0 && !c.titles_match &&
         c.larger_lead_size >= options.lead_shingles &&
         c.larger_lead_unmatched == c.larger_lead_size && c.smaller_opening_found &&
         larger - std::min(larger, c.shared) >= 2 * options.lead_shingles &&
         TrimmedContainment(c) >= kNewOpeningContainment && !c.lines_dropped;
}

// A sentence of about a dozen words: a story of its own, beside a header and a footer.
constexpr size_t kMinOwnStoryShingles = 8;

Verdict Decide(const Comparison& c, const Options& options) {
  Verdict verdict = Verdict::kDifferent;
  if (c.shared > 0 && c.resemblance >= options.min_resemblance &&
      std::min(c.a_size, c.b_size) >= options.min_containment_shingles) {
    verdict = Verdict::kResemblance;
  } else if (c.shared > 0 && TrimmedContainment(c) >= options.min_containment) {
    const size_t smaller = std::min(c.a_size, c.b_size) - c.prefix_unmatched;
    // A short text counts only when it is the start of the other (an RSS snippet).
    const bool is_lead =
        smaller >= options.min_snippet_shingles && c.lead_containment >= options.min_containment;
    // Two short texts alike ("Read the full story on our website") say nothing by words.
    const bool both_short = std::max(c.a_size, c.b_size) < options.min_containment_shingles;
    verdict = smaller >= options.min_containment_shingles || (is_lead && !both_short)
                  ? Verdict::kContainment
                  : Verdict::kTooSmall;
  } else if (c.edit_runs <= options.max_edit_runs && WantsEditRuns(c, options)) {
    verdict = Verdict::kEdited;  // An edited copy: see Options::max_edit_runs.
  }
  // A text too short to be compared word by word: its title is the evidence.
  if (!Accepted(verdict) && c.titles_match && c.time_gap <= kTitleGapSeconds &&
      (std::min(c.a_size, c.b_size) < options.min_containment_shingles || c.title_only)) {
    verdict = Verdict::kTitle;
  }
  if (Accepted(verdict) && options.min_number_overlap > 0 &&
      c.smaller_numbers >= options.number_guard_min_numbers &&
      c.number_overlap < options.min_number_overlap) {
    verdict = Verdict::kNumbersDiffer;
  }
  // The same words around other figures: another report from the same template.
  if (Accepted(verdict) && !c.correction && FiguresConflict(c, options)) {
    verdict = Verdict::kFiguresDiffer;
  }
  // Other names under the same words: another report from the same template ("a fire broke
  // out in Almaty", "... in Astana"). Not for a title match: a title-only item has no text.
  if (Accepted(verdict) && verdict != Verdict::kTitle && NamesConflict(c)) {
    verdict = Verdict::kNamesDiffer;
  }
  // A follow-up: new paragraphs above the earlier story's text, repeated (a verdict above
  // the arrest it follows). A copy keeps the opening; an added dateline or header is short.
  if (Accepted(verdict) && verdict != Verdict::kTitle && NewOpening(c, options)) {
    verdict = Verdict::kNewOpening;
  }
  // Other days named in the text: the same template's report of another day's event.
  if (Accepted(verdict) && verdict != Verdict::kTitle && c.other_dates && !c.correction) {
    verdict = Verdict::kOtherDates;
  }
  // One source's filings of other days: the story sent again with the next day's news.
  if (Accepted(verdict) && c.other_filing) verdict = Verdict::kOtherFiling;
  // Two stories of a new outlet alike only by its footer, which it has not learned yet. A
  // shared opening, or enough of the rest, keeps an update or a resend of one story.
  // Framed (a header and a footer), the other text must have a story of its own beyond them,
  // which shares as little: an update that repeats its predecessor's opening and end holds
  // what the predecessor had, but for a few shingles across its lines' new neighbours.
  const bool other_own_story =
      c.other_rest_size >= kMinOwnStoryShingles &&
      static_cast<double>(c.rest_shared) < options.min_rest_shared * c.other_rest_size;
  if (Accepted(verdict) && verdict != Verdict::kTitle && c.set_aside && c.rest_lead_shared == 0 &&
      static_cast<double>(c.rest_shared) < options.min_rest_shared * c.rest_size &&
      (!c.frames || other_own_story)) {
    verdict = Verdict::kSourceLines;
  }
  return verdict;
}

void CompareSetAside(std::span<const Shingle> a_shingles, std::span<const Shingle> a_aside,
                     std::span<const Shingle> a_lead, std::span<const Shingle> b_shingles,
                     std::span<const Shingle> b_lead, bool a_frames, Comparison* c) {
  if (a_aside.empty()) return;
  c->set_aside = true;
  c->frames = a_frames;
  // a_aside is within A (a damaged record aside), so A∩B∩aside is aside∩B.
  c->rest_size = a_shingles.size() - std::min(a_aside.size(), a_shingles.size());
  const size_t aside_in_b = IntersectionSize(a_aside, b_shingles);
  c->rest_shared = c->shared - std::min(c->shared, aside_in_b);
  c->other_rest_size = b_shingles.size() - std::min(aside_in_b, b_shingles.size());
  // A short text's lead runs on into its footer: the footer's shingles are no shared opening,
  // unless either text opens with them: an update that repeats its predecessor's first lines,
  // or one that puts a new line above them (B's first shingle is in A).
  auto in_b_lead = [&](Shingle s) {
    return std::find(b_lead.begin(), b_lead.end(), s) != b_lead.end();
  };
  // Not when A's lines set aside frame it (a header and a footer): then the opening both
  // texts have, word for word from the first, is the outlet's header (its lines not counted,
  // such as a short title or a navigation line, included), and only what follows counts.
  size_t from = 0;
  if (a_frames) {
    while (from < a_lead.size() && from < b_lead.size() && a_lead[from] == b_lead[from]) ++from;
  }
  c->rest_lead_shared = 0;
  for (size_t i = from; i < a_lead.size(); ++i) {
    const bool aside = std::binary_search(a_aside.begin(), a_aside.end(), a_lead[i]);
    c->rest_lead_shared += ((i == 0 && !a_frames) || !aside) && in_b_lead(a_lead[i]);
  }
  if (!a_frames && !b_lead.empty() &&
      std::binary_search(a_shingles.begin(), a_shingles.end(), b_lead[0])) {
    ++c->rest_lead_shared;
  }
}

bool FiguresConflict(const Comparison& c, const Options& options) {
  // One figure differing with none in common is that too ("-24 degrees" against "-8").
  return options.min_figures_differ > 0 &&
         ((c.figures_differ >= options.min_figures_differ && c.figures_differ >= c.figures_agree) ||
          (c.figures_differ > 0 && c.figures_agree == 0));
}

bool NamesConflict(const Comparison& c) {
  return c.names_differ > 0 && c.names_agree < 3 * c.names_differ;
}

}  // namespace newsd::dedup
