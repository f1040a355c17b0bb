#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/status.h"
#include "core/time.h"
#include "dedup/fingerprint.h"
#include "dedup/options.h"

namespace newsd::dedup {

struct TokenizedText;

/// The source-independent first half of a fingerprint: the normalised tokens and lines of a
/// document (the costly part), and optionally the fingerprint of the whole text, made ahead
/// for the usual case of a source whose learned boilerplate drops none of its lines. Made by
/// Engine::Prepare; movable, reusable. A default-made one is empty: nothing was prepared.
class PreparedText {
 public:
  PreparedText();
  ~PreparedText();
  PreparedText(PreparedText&&) noexcept;
  PreparedText& operator=(PreparedText&&) noexcept;

 private:
  friend class Engine;
  struct Whole;  // the fingerprint with every line kept, and the options it was made under
  std::unique_ptr<TokenizedText> tokens_;
  std::vector<Shingle> titles_;
  std::unique_ptr<Whole> whole_;  // null unless Prepare was given the options
};

/// The header and footer lines an Engine had learned as boilerplate, by source, when it was
/// taken (Engine::Learned): for Engine::Prepare on another thread, which then signs a text
/// without them. Immutable, so it may be shared between threads.
class LearnedLines {
 public:
  /// True when line `line` (its hash) of the source whose HashSource is `source` was learned.
  bool Contains(uint64_t source, uint64_t line) const;
  size_t size() const { return keys_.size(); }

 private:
  friend class Engine;
  std::vector<uint64_t> keys_;  // BoilerplateModel keys, sorted
};

/// How a candidate was found.
/// How a copy was found: its LSH bands, its lead shingles, its title; or (kSamePage, the
/// ingestor's) as a version of the same page a candidate was, refused for its words alone.
enum class Path { kNone, kLsh, kLead, kTitle, kSamePage };
std::string_view PathName(Path path);

/// The verdict for one fingerprint: a new story, or a copy of an existing one.
struct Match {
  bool is_copy = false;
  StoryId story;           ///< The story joined (empty when new).
  ItemId matched_item;     ///< The indexed item that matched best (empty when new).
  double resemblance = 0;  ///< Jaccard of the exact shingle sets with matched_item.
  double containment = 0;  ///< |A∩B| / min(|A|,|B|).
  Path path = Path::kNone;
  size_t candidates = 0;  ///< Candidates verified.
  /// When no story was joined: the candidate compared by its words and refused with the
  /// highest resemblance (a sibling under other figures, or an earlier version of the same
  /// page), its story and that resemblance; empty and 0 otherwise. For the caller, which
  /// knows more than the words (ingest: the same link).
  ItemId refused_item;
  StoryId refused_story;
  double refused_resemblance = 0;
};

/// A persistent record of engine state, opaque to everyone but the engine. Storage writes it
/// into the column family named `family` in the same WriteBatch as the items it belongs to.
struct Record {
  std::string family;  ///< "dedup_docs" or "dedup_boilerplate".
  std::string key;
  std::string value;  ///< Empty together with erase=true for deletions.
  bool erase = false;
};

/// A key range [begin, end) of one family to drop, for cheap window expiry.
struct RangeDrop {
  std::string family;
  std::string begin, end;
};

/// A header or footer line of a text that its source used before but has not learned as
/// boilerplate yet: its index in the text, and the content hash of the last item that used it,
/// as the counters keep it (BoilerplateModel::ContentTag; the engine's internal bookkeeping;
/// see Fingerprint::aside).
struct PendingLine {
  size_t line;
  uint64_t last_content;
};

/// The near-duplicate engine: normalise → learned boilerplate → shingles → MinHash → LSH and
/// lead-shingle candidates → exact verification (docs/research/DEDUP.md §3).
///
/// Thread-safety: MakeFingerprint is const and may run on many threads at once, but not while
/// a mutating call (Insert, Restore, Expire) runs. Match/Insert are called one at a time, in
/// arrival order, so two copies arriving together still end in one story (invariant 2).
class Engine {
 public:
  explicit Engine(Options options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const Options& options() const;

  /// Pure: normalises the text, drops the source's learned boilerplate lines, shingles and
  /// signs it, and notes the shingles of header and footer lines the source used before but
  /// has not learned yet (Fingerprint::aside). Same as MakeFingerprint(doc, Prepare(doc.title,
  /// doc.text)).
  Fingerprint MakeFingerprint(const Document& doc) const;

  /// The first half of MakeFingerprint: normalises and tokenises the text (the title when the
  /// text has no tokens), and hashes the title's words into its title keys. Reads no engine state
  /// (static), so it may run on any thread at any time, even while Insert, Restore or Expire run on
  /// another.
  static PreparedText Prepare(std::string_view title, std::string_view text);
  /// Prepare(title, text), and also shingles and signs the whole text under `options`, as if
  /// the source's learned boilerplate dropped none of its lines, which is what most texts
  /// find. MakeFingerprint then only asks the source's model about the header and footer
  /// lines, and takes this fingerprint when none is dropped or set aside: the sorting and
  /// signing move to the preparing thread. Static as well; a fingerprint made under options other
  /// than the engine's is not used (the text is signed again).
  static PreparedText Prepare(std::string_view title, std::string_view text,
                              const Options& options);
  /// Prepare(title, text, options) for a document of `source` (the source name), signed
  /// without the header and footer lines `learned` holds for it: the engine's lines, taken a
  /// little earlier. MakeFingerprint takes that fingerprint when the engine's own counters
  /// still drop exactly those lines (what most texts of a source with a learned footer find),
  /// and signs the text again otherwise: the result never depends on `learned`, only the
  /// signing saved. Static as well.
  static PreparedText Prepare(std::string_view title, std::string_view text, const Options& options,
                              std::string_view source, const LearnedLines& learned);

  /// The lines learned as boilerplate now, for Prepare on other threads: the same snapshot
  /// until the engine learns or forgets one. Not thread-safe: call where Insert is called.
  std::shared_ptr<const LearnedLines> Learned() const;

  /// The second half: drops doc.source's learned boilerplate lines from `prepared` (made from
  /// doc's title and text; doc.title and doc.text are not read), shingles and signs the rest.
  /// An empty `prepared` is MakeFingerprint(doc). Same thread rules as MakeFingerprint(doc).
  /// The result is the same whichever Prepare made `prepared`.
  Fingerprint MakeFingerprint(const Document& doc, const PreparedText& prepared) const;
  /// The same, taking what `prepared` holds instead of copying it. What is not taken (the
  /// tokens) stays in `prepared` for its owner to free, on the thread that prepared it say,
  /// where freeing costs less; `prepared` is then for destroying or assigning only.
  Fingerprint MakeFingerprint(const Document& doc, PreparedText&& prepared) const;

  /// Finds the best story within the time window, verified on exact shingle sets.
  /// Candidates are indexed items within ±window_seconds of fp.time (item times, never a wall
  /// clock) that share an LSH band or lead_min_shared lead shingles with `fp`. A candidate
  /// verifies by resemblance, by containment, or as a short lead snippet (see Options), unless
  /// the number guard rejects it. Items that share a title key are candidates too, and verify
  /// by the title alone when one of the two is too short to be compared by its words, or has
  /// no text but its title (Verdict::kTitle): a title-only or byline-only item, as some feeds
  /// publish them, joins the story its title names, unless the window holds more than one story of
  /// that title. Of the accepted candidates (a candidate that shares little beyond the lines fp's
  /// source used before is not: Verdict::kSourceLines), those whose figures all agree with `fp`'s
  /// come first, then the one sharing the most shingles with `fp` wins (then resemblance over
  /// containment-only, then the earlier item; title-only matches last), so a snippet attaches to
  /// its single best story, the one holding most of it, and never bridges two; nor does a longer
  /// text join a story through its snippet or title-only member alone when a longer member of the
  /// story, compared too, differs (README, "No bridges"). Never fails: "new".
  Match FindMatch(const Fingerprint& fp) const;

  /// Records `item` (of `story`) in the index and updates the source's boilerplate counters.
  /// Returns the records to persist in the same batch as the item: one "dedup_docs" put, and
  /// for each header/footer line a "dedup_boilerplate" put (plus an erase when the counter's
  /// time bucket moved). Each item id is inserted once (the caller skips ids already seen).
  std::vector<Record> Insert(const ItemId& item, const StoryId& story, std::string_view source,
                             const Fingerprint& fp);

  /// Records a new version of indexed `item` (of `story`; its feed corrected its words), made
  /// at the item's indexed time: both versions are candidates until they expire together (an
  /// item gone cold is read back as the version added last), and the persisted record becomes
  /// the new version's (the same key), so a restart keeps only it. A version that is a copy of
  /// the one added last for the item (Explain accepts the pair) is not added: a live page
  /// corrected at every poll adds a version only when it has drifted, a figure corrected twice
  /// (10, 12, then 15 dead) adds each. The boilerplate counters are left alone (the item was
  /// counted once). Returns the records to persist in the item's batch; none, and nothing
  /// indexed, when fp.time is before the last expiry (the item has left the window) or the
  /// version is a copy of the one added last.
  std::vector<Record> Reindex(const ItemId& item, const StoryId& story, const Fingerprint& fp);

  /// Forgets indexed items older than `cutoff` (effective time), and returns the key ranges
  /// storage should drop. Cheap: whole time buckets at once, so items of the bucket holding
  /// `cutoff` stay. Boilerplate counters live boilerplate_window_seconds - window_seconds
  /// longer (when positive) than items. Expired items stop being candidates at once; their
  /// memory is freed a few items per later Insert, so a large bucket never stalls the caller.
  std::vector<RangeDrop> Expire(UnixSeconds cutoff);

  /// Frees the memory of every expired item, and of the sets of every item due to go cold (see
  /// SetRecordReader), now instead of over the next Inserts.
  void RemoveExpired();

  /// Reads back one record the engine persisted (Record::family and key): its value, nullopt
  /// when there is none. Called from FindMatch, so from any thread FindMatch runs on.
  using RecordReader = std::function<Result<std::optional<std::string>>(std::string_view family,
                                                                        std::string_view key)>;
  /// Lets the engine keep items dated more than window_seconds (and a time bucket) below the
  /// newest item only in part in RAM — what finds and removes them, not their sets — and
  /// read their sets back through `reader` from their "dedup_docs" records, the few times a
  /// search must verify one: only an item dated more than a bucket behind the newest can
  /// have such a candidate (Options::late). Decisions are the same as with every set in RAM
  /// as long as the records can be read; one that cannot is left out of that search and
  /// counted (ColdReads). Without a reader every item stays whole.
  ///
  /// An item's record must be committed before the engine lets go of its sets: call
  /// MarkCommitted(Inserted()) as taken before each commit, once it succeeded. Call before
  /// the first Insert or Restore.
  void SetRecordReader(RecordReader reader);
  /// Queues for going cold (SetRecordReader) the items due when `newest` is the newest item
  /// time: they go a few per later Insert. Expire does it too; cheap enough for every commit,
  /// so that items go cold as the newest time moves on rather than once per expiry.
  void ChillDue(UnixSeconds newest);
  /// ChillDue, and the queued items go cold now (for a restored index, whose items are all
  /// committed).
  void ChillBelow(UnixSeconds newest);
  /// Items inserted so far (a count, for MarkCommitted).
  uint64_t Inserted() const;
  /// The records of the first `inserted` items inserted are in the archive.
  void MarkCommitted(uint64_t inserted);
  /// Reads of cold items' records by searches, and how many failed (unreadable or missing: the
  /// item was left out).
  struct ColdReads {
    uint64_t reads = 0, failures = 0;
  };
  ColdReads ColdReadCounts() const;

  /// Rebuilds state from one persisted record (at start-up, before any other call), in any
  /// order. Signatures and LSH keys are recomputed from the stored shingle sets.
  /// A record it cannot decode is skipped: Corruption (InvalidArgument for a family not
  /// among Families()); the index goes on without it.
  Status Restore(std::string_view family, std::string_view key, std::string_view value);

  /// The newest item time among the records Restore read; INT64_MIN when it read none.
  UnixSeconds NewestRestored() const;
  /// The oldest item time among the records Restore read; INT64_MAX when it read none. The
  /// archive's items before it are no longer in the index (expired with its window).
  UnixSeconds OldestRestored() const;

  /// Number of items currently indexed.
  size_t IndexedItems() const;
  /// LSH band postings the index holds (32 an item with shingles; expired items' go once
  /// removed).
  size_t IndexedBandPostings() const;
  /// Heap bytes of the engine's state, by part (capacities, spare room included). A scan of
  /// the indexed items (about a millisecond for 200,000): for status, metrics and tools, not
  /// once per item.
  struct MemoryUse {
    size_t key_tables = 0;   ///< LSH bands, lead shingles, title keys: tables and postings
    size_t items = 0;        ///< indexed items: shingle sets, leads, numbers, names, ids
    size_t boilerplate = 0;  ///< per-source line counters
    size_t total() const { return key_tables + items + boilerplate; }
  };
  MemoryUse Memory() const;
  /// The fingerprint item `item` was indexed with (its shingles as they were after that day's
  /// boilerplate, its lead, numbers and title keys), while it is in the index; nullopt after
  /// expiry (or when a cold item's record cannot be read). For tools (a scan of the index), so
  /// that they compare what ingestion compared.
  std::optional<Fingerprint> IndexedFingerprint(std::string_view item) const;

  /// Column families the engine persists to.
  static std::vector<std::string> Families();

 private:
  struct State;
  /// Boilerplate, shingles and signature of tokenised text.
  Fingerprint Finish(const Document& doc, const TokenizedText& tokens,
                     std::span<const Shingle> titles) const;
  /// `prepared` holds a whole-text fingerprint made under this engine's options, and
  /// doc.source's counters hold none of its header and footer lines as learned boilerplate, nor
  /// as used before in an item of other content.
  bool WholeApplies(const Document& doc, const PreparedText& prepared) const;
  /// Hashes the header and footer lines of `t` into fp->line_hashes, marks in *dropped the
  /// ones that are learned boilerplate of `source`, and lists in *pending the ones the source
  /// used before without having learned them yet.
  void MarkBoilerplate(const TokenizedText& t, uint64_t source, Fingerprint* fp,
                       std::vector<uint8_t>* dropped, std::vector<PendingLine>* pending) const;

  /// Sets fp->aside (see Fingerprint::aside) from `pending` (MarkBoilerplate's), unless fp is
  /// a resend of the item that used them last; marks the lines set aside in *dropped (where 1
  /// marks learned boilerplate). fp's shingles are set.
  void SetAside(const TokenizedText& t, std::span<const PendingLine> pending,
                std::vector<uint8_t>* dropped, Fingerprint* fp) const;

  std::unique_ptr<State> state_;
};

/// What decides a story's canonical copy.
struct CanonicalInfo {
  std::string_view source;
  std::optional<UnixSeconds> published;
  UnixSeconds arrived = 0;
  uint32_t shingles = 0;
};

/// True when `a` should be the canonical copy rather than `b`: a configured agency source
/// first, then the earliest published (else arrival), then the fuller text.
bool PreferCanonical(const CanonicalInfo& a, const CanonicalInfo& b, const Options& options);

}  // namespace newsd::dedup
