#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace newsd::dedup {

/// What the engine reads of an article. Views must outlive the call.
struct Document {
  std::string_view source;  ///< Outlet/feed; boilerplate is learned per source.
  std::string_view title;
  std::string_view text;  ///< Body, HTML or plain text.
  UnixSeconds time = 0;   ///< Effective time: published, else arrival.
};

inline constexpr size_t kSignatureSize = 128;
inline constexpr size_t kBands = 32;  ///< LSH bands of kSignatureSize / kBands rows.

/// Title keys: hashes of a title's normalised words with 0, 1, ... kTitlePrefixWords leading
/// words left out (a "RPT-", "UPDATE 1-" or "Главное:" added to a copy's title), each only
/// while at least kTitleMinWords words remain. Two titles match (SharesTitle) when one is the
/// other's words but for such a prefix.
/// At most this many distinct shingles (and numbers) per document: the smallest hashes, a
/// consistent sample of a longer text. The stored index records hold no more (dedup_docs).
inline constexpr size_t kMaxSetSize = size_t{1} << 20;
inline constexpr size_t kTitlePrefixWords = 2;
inline constexpr size_t kTitleMinWords = 5;

/// A 32-bit hash of one word shingle (or of one number token). Sets of a few hundred per
/// document: collisions inside one pair are about one in 10^5 pairs, far below the thresholds'
/// resolution.
using Shingle = uint32_t;

/// Bits of a Fingerprint::figures entry that hold the figure (the rest hold its key).
inline constexpr unsigned kFigureBits = 12;
/// The figure bit of an entry set for a figure of at least kCompoundDigits digits ("0.50",
/// "5-10", "2019"): unlike small integers, such a figure seldom recurs by chance.
inline constexpr uint32_t kCompoundFigure = 1;
inline constexpr uint32_t kCompoundDigits = 3;

/// The key of the date entries among Fingerprint::figures, which no figure's key takes: a
/// day and month the text names outside its dateline ("power will be off on 12 November"),
/// value (month * 32 + day) << 1, day 0 for a month named without a day ("в октябре"), month 0
/// and day 1-7 for a weekday ("on Monday"). Two texts that both name such days, none the same,
/// or months without a day, none the same, or weekdays, none the same, report other days' (or
/// months') events.
inline constexpr Shingle kDateKey = 0xDA7E5u;
inline constexpr size_t kMaxDates = 4;  ///< Date entries kept per text, the first ones.
inline constexpr Shingle DateEntry(uint16_t day) {
  return kDateKey << kFigureBits | static_cast<Shingle>(day) << 1;
}

/// The matching view of one document. Computing it is pure (see Engine::MakeFingerprint).
struct Fingerprint {
  UnixSeconds time = 0;
  std::vector<Shingle> shingles;  ///< Sorted, unique shingle hashes (after boilerplate).
  /// The same shingles in text order, repeats kept: where an edited copy differs from the text
  /// it copies (EditRuns). Held while the item is matched; never stored.
  std::vector<Shingle> ordered;
  std::array<uint32_t, kSignatureSize> signature{};  ///< One-permutation MinHash.
  std::array<uint64_t, kBands> band_keys{};          ///< LSH key of each band of `signature`.
  std::vector<Shingle> lead;          ///< Hashes of the first shingles of the body, in order.
  std::vector<uint64_t> line_hashes;  ///< Normalised line/sentence hashes (boilerplate learning).
  uint32_t token_count = 0;
  std::vector<Shingle> numbers;  ///< Sorted, unique hashes of the all-digit tokens kept.
  /// The figures kept, each under the words around it: a run of number tokens ("63.74",
  /// "5-10", "1 234") read as one figure (its digits: "1 234" = "1,234" = "1234"), keyed by
  /// the two words before the run and the token after it, within its sentence.
  /// Entry: key hash in the top 32 - kFigureBits bits, figure hash in the low kFigureBits;
  /// sorted, unique. Two reports from one template put other figures under the same words
  /// (see CompareFigures). Holds the date entries too (kDateKey).
  std::vector<Shingle> figures;
  /// The names kept, each under the words around it: a word the text writes with a capital
  /// letter but not at the start of a sentence ("in Almaty on", "в Алматы на"), keyed by the
  /// two words before it and the word after it, within its sentence; its value is a hash of
  /// its first TokenizedText::kNamePrefix letters, so a misspelt or declined name reads alike.
  /// Same layout as `figures` (key in the top 32 - kFigureBits bits), sorted, unique. Two
  /// reports from one template put other names under the same words (see the name guard,
  /// Verdict::kNamesDiffer).
  std::vector<Shingle> names;
  uint32_t dropped_lines = 0;   ///< Lines dropped as the source's learned boilerplate.
  std::vector<Shingle> titles;  ///< Title keys (see kTitleMinWords), longest title first.
  uint16_t dateline = 0;        ///< The day the text's dateline names (DatelineDay), 0 for none.
  /// FilingKey(source, dateline): another filing of the same source dated another day is
  /// never a copy (OtherFiling). 0 when the text names no day.
  uint64_t filing = 0;
  /// The shingles found only in header and footer lines that the source used before in an
  /// item of other content but has not learned as boilerplate yet (BoilerplateModel::
  /// Look): a new outlet's footer in its first items. Sorted, unique, a subset of
  /// `shingles`; empty for most texts, and when every line is such a line. FindMatch refuses
  /// a candidate that shares little beyond them (Verdict::kSourceLines); the shingles stay in
  /// `shingles`, as the lines may be the story's own (an update repeats its predecessor's).
  std::vector<Shingle> aside;
  /// Among the lines set aside are the text's first that boilerplate learning counts and one
  /// of its last lines (not one of its first): a header and a footer, or an update's repeated
  /// opening and end. The opening it shares word for word with another text counts for
  /// nothing (CompareSetAside), and the verdict source-lines needs the other text to have a
  /// story of its own beyond the lines set aside, shared as little (Decide).
  bool aside_frames = false;
  /// The text had no words: the shingles are the title's (a headline-only feed item). Its
  /// title decides against any text, however long the title (Verdict::kTitle).
  bool title_only = false;
  /// The title announces a correction (AnnouncesCorrection): against an item of the same
  /// filing (source and dateline day), the dates and figures it corrects refuse nothing
  /// (Comparison::correction).
  bool correction = false;
};

}  // namespace newsd::dedup
