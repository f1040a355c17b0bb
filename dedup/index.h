#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dedup/codec.h"
#include "dedup/engine.h"
#include "dedup/fingerprint.h"
#include "dedup/minhash.h"
#include "dedup/options.h"
#include "dedup/postings.h"

namespace newsd::dedup {

/// The lead shingles of an IndexedDoc, in order (IndexedDoc::lead): a view of the item's block,
/// or values copied out of it. Spans of it live as long as this object.
class LeadShingles {
 public:
  static constexpr size_t kCapacity = 32;

  std::span<const Shingle> get() const {
    return stored_.data() != nullptr ? stored_ : std::span<const Shingle>(copied_.data(), size_);
  }

 private:
  friend class IndexedDoc;
  std::span<const Shingle> stored_;
  std::array<Shingle, kCapacity> copied_;
  size_t size_ = 0;
};

/// An indexed item as the index keeps it in RAM: its ids, its hash sets and the fragments of
/// its LSH band keys in one heap block (one allocation per item, no per-vector headers). The
/// sorted shingles are Elias–Fano coded when that saves (about 27 bits a shingle for a news text
/// instead of 32, every bit kept; a decode of ~125 shingles takes a few hundred nanoseconds, once
/// per candidate verified).
/// The lead shingles, which are among the shingles, are held as their indices there (one byte
/// each when the item has at most 256 shingles, two when at most 65,536). Immutable once made.
class IndexedDoc {
 public:
  IndexedDoc() = default;
  /// `keys`: the LSH band keys the index files an item with shingles under, to keep their
  /// fragments (Options::keep_band_fragments), or null.
  IndexedDoc(const DocView& doc, const BandKeys* keys);

  std::string_view item() const { return Text(0, item_); }
  std::string_view story() const { return Text(item_, story_); }
  size_t shingle_count() const { return shingles_; }
  /// The shingles, sorted: decoded into *buffer, which the result views. Empty when cold().
  std::span<const Shingle> shingles(std::vector<Shingle>* buffer) const;
  /// The lead, given the shingles (decoded by shingles()).
  LeadShingles lead(std::span<const Shingle> shingles) const;
  std::span<const Shingle> numbers() const { return {Lead() + LeadWords(), numbers_}; }
  std::span<const Shingle> titles() const { return {numbers().data() + numbers_, titles_}; }
  std::span<const Shingle> figures() const { return {titles().data() + titles_, figures_}; }
  std::span<const Shingle> aside() const { return {figures().data() + figures_, aside_}; }
  std::span<const Shingle> names() const { return {aside().data() + aside_, names_}; }
  /// Postings::Fragment of each band key, kept so that removal need not sign the shingles
  /// again (128 bytes an item; signing is ~4 % of an import's instructions). Empty without
  /// shingles, or when not kept (Options::keep_band_fragments).
  std::span<const uint32_t> band_fragments() const {
    return {names().data() + names_, band_fragments_count()};
  }
  uint64_t filing() const { return filing_; }
  /// Bytes of its heap block.
  size_t heap_bytes() const {
    const size_t values = CodedWords() + LeadWords() + numbers_ + titles_ + figures_ + aside_ +
                          names_ + band_fragments_count();
    return (values + IdWords()) * sizeof(Shingle);
  }
  bool title_only() const { return title_only_ != 0; }
  bool correction() const { return correction_ != 0; }
  bool aside_frames() const { return aside_frames_ != 0; }
  /// Cold: only what finds the item and removes it is held (ids, filing key, shingle count,
  /// lead and title keys, band fragments); its sets are read back from its "dedup_docs" record
  /// to verify it (CandidateIndex::ChillBefore).
  bool cold() const { return cold_ != 0; }
  /// The cold copy of this item, holding `fragments` (its band keys' Postings::Fragment, or
  /// none when it has no shingles) and `lead` (its lead, as values).
  IndexedDoc Chilled(std::span<const uint32_t> fragments, std::span<const Shingle> lead) const;
  /// Bytes of the heap block of Chilled(): a short text's is larger than its own (only its
  /// sets go, and the band fragments and lead values come), and it is not chilled.
  size_t chilled_heap_bytes() const {
    const size_t fragments = shingles_ == 0 ? 0 : kBands;
    return (size_t{lead_} + titles_ + fragments + IdWords()) * sizeof(Shingle);
  }
  /// Inserted since the archive last confirmed a commit (CandidateIndex::MarkCommitted): its
  /// record may not be readable yet, so it is not chilled.
  bool uncommitted() const { return uncommitted_ != 0; }

 private:
  friend class CandidateIndex;  // sets uncommitted_
  std::string_view Text(size_t offset, size_t size) const {
    const auto* ids =
        reinterpret_cast<const char*>(band_fragments().data() + band_fragments_count());
    return {ids + offset, size};
  }
  const Shingle* Lead() const { return block_.get() + CodedWords(); }
  // Elias–Fano: the low LowBits() bits of each shingle packed, after the high parts in unary
  // (shingle i sets bit (value >> LowBits()) + i), then two words of slack for 8-byte reads.
  static unsigned LowBits(size_t count);
  static size_t HighWords(size_t count) {
    return (count + (uint64_t{0xFFFFFFFF} >> LowBits(count)) + 1 + 31) / 32;
  }
  static size_t CodedWords(size_t count) {
    return count == 0 ? 0 : HighWords(count) + (count * LowBits(count) + 31) / 32 + 2;
  }
  // Words the shingles take: coded, or as values when coding would not save (a few shingles).
  size_t CodedWords() const { return cold_ ? 0 : coded_ ? CodedWords(shingles_) : shingles_; }
  static void Encode(std::span<const Shingle> shingles, Shingle* out);
  // Words of the block the lead takes: lead_ values, or lead_ indices of lead_width_ bytes.
  size_t LeadWords() const {
    return lead_width_ == 0 ? lead_ : (size_t{lead_} * lead_width_ + 3) / 4;
  }
  // The bytes an index into `shingles` takes (0: the lead is held as values).
  static unsigned LeadWidth(size_t shingles, size_t lead);
  // Writes the lead's indices into shingles at `out`, `width` bytes each; false (nothing
  // written that matters) when one is not among them.
  static bool PackLead(std::span<const Shingle> shingles, std::span<const Shingle> lead,
                       unsigned width, Shingle* out);
  size_t band_fragments_count() const { return band_fragments_ ? kBands : 0; }
  size_t IdWords() const {
    return (size_t{item_} + story_ + sizeof(Shingle) - 1) / sizeof(Shingle);
  }

  // shingles, lead, numbers, titles, figures, aside, names, band fragments, then the id bytes.
  std::unique_ptr<Shingle[]> block_;
  uint64_t filing_ = 0;
  uint32_t shingles_ = 0, lead_ = 0, numbers_ = 0, item_ = 0, story_ = 0;
  // At most kMaxFigures, the smallest (a consistent sample).
  static constexpr size_t kMaxFigures = (1u << 15) - 1;
  uint16_t figures_ : 15 = 0;
  uint16_t title_only_ : 1 = 0;
  // At most kMaxAside and kMaxTitles: set aside are shingles of at most 6 counted lines of at
  // most 64 tokens (Options' defaults, which no configuration key changes), and an item has
  // at most 3 title keys.
  static constexpr size_t kMaxAside = (1u << 13) - 1, kMaxTitles = 7;
  uint16_t aside_ : 13 = 0;
  uint16_t titles_ : 3 = 0;
  // At most kMaxNames, the smallest (a consistent sample).
  static constexpr size_t kMaxNames = (1u << 16) - 1;
  uint16_t names_ = 0;
  uint8_t band_fragments_ : 1 = 0;  // Kept (in the padding).
  uint8_t lead_width_ : 2 = 0;      // Bytes an index of the lead takes; 0: held as values.
  uint8_t coded_ : 1 = 0;           // The shingles are Elias–Fano coded (else values).
  uint8_t cold_ : 1 = 0;            // See cold().
  uint8_t correction_ : 1 = 0;      // See correction().
  uint8_t uncommitted_ : 1 = 0;     // See uncommitted().
  uint8_t aside_frames_ : 1 = 0;    // See aside_frames().
};
static_assert(sizeof(IndexedDoc) == 48, "the fragments' flag must not grow every indexed item");

/// The in-memory candidate index over the items of the window: 32×4 banded LSH on the MinHash
/// signatures, an inverted index of lead shingles (so a snippet finds its full text), and one
/// of title keys (so a title-only item finds its story, and a story its title-only items).
/// Items are grouped by time bucket so expiry removes whole buckets.
/// Not thread-safe for writers; const methods may run concurrently with each other.
class CandidateIndex {
 public:
  explicit CandidateIndex(const Options& options);

  struct Candidate {
    uint32_t slot;
    Path path;
  };

  /// Adds an item whose LSH band keys (of the MinHash signature of doc.shingles) are `keys`.
  /// `committed`: its record is in the archive already (a restore); otherwise it is not chilled
  /// before MarkCommitted says so.
  void Add(const DocView& doc, const BandKeys& keys, bool committed = false);

  /// Keeps items of buckets below `bucket` cold from now on (IndexedDoc::cold): their sets go
  /// from RAM a few items per later Add (or ChillPending), and a search reads them back from the
  /// archive (ColdStore) if it needs them. Only once EnableChilling was called; items not yet
  /// committed, or added to those buckets later, stay as they are.
  void ChillBefore(int64_t bucket);
  /// Chilling may start (ChillBefore); from now on added items count as uncommitted until
  /// MarkCommitted. Call before the first Add.
  void EnableChilling() { chilling_ = true; }
  /// Items added: for MarkCommitted.
  uint64_t added() const { return added_; }
  /// The items of the first `added` Adds are in the archive.
  void MarkCommitted(uint64_t added);
  /// Chills every item ChillBefore queued now.
  void ChillPending() { Chill(SIZE_MAX); }

  /// Items within ±window_seconds of fp.time that share an LSH band or at least
  /// lead_min_shared lead shingles with `fp`, each once (LSH wins when both); then items
  /// sharing a title key, when `fp` or the item has fewer than min_containment_shingles
  /// shingles or no text but its title (Path::kTitle). Reads fp.band_keys, fp.lead, fp.time,
  /// fp.shingles (empty: no LSH or lead candidates), fp.titles and fp.title_only.
  /// `same_title`, when given, gets the items in the window that share a title key with `fp`
  /// but are no candidates because both texts are long enough to compare by words (a full
  /// text is never joined to another by its title).
  void Candidates(const Fingerprint& fp, std::vector<Candidate>* out,
                  std::vector<uint32_t>* same_title = nullptr) const;

  const IndexedDoc& doc(uint32_t slot) const { return docs_[slot]; }
  /// The item time of a candidate's slot.
  UnixSeconds time(uint32_t slot) const { return times_[slot]; }

  /// Expires every item whose time bucket is below `bucket` (returns how many): from now on
  /// none of them is a candidate, exactly as if removed. Their postings and memory go a few
  /// items at a time, in later Add calls (or RemoveExpired), so dropping a large bucket never
  /// stalls the caller.
  size_t ExpireBefore(int64_t bucket);

  /// Removes up to `limit` expired items from the key tables and frees their memory. Returns
  /// how many are still pending.
  size_t RemoveExpired(size_t limit);

  /// Items indexed and not expired.
  size_t size() const { return live_count_; }
  /// LSH band postings held (expired items' once removed).
  size_t band_postings() const { return bands_.postings(); }
  /// Heap bytes of the key tables (bands, leads, titles), and of the items (a scan).
  size_t KeyTableBytes() const { return bands_.bytes() + leads_.bytes() + titles_.bytes(); }
  size_t ItemBytes() const;
  /// The slot of indexed, unexpired item `item`, if any (a scan: for tools, not ingestion).
  std::optional<uint32_t> FindItem(std::string_view item) const;

 private:
  // times_ of an expired item pending removal: never in the window.
  static constexpr UnixSeconds kExpired = INT64_MIN;

  bool InWindow(uint32_t slot, UnixSeconds time) const;
  // The LSH and lead candidates of Candidates, appended to *out.
  void WordCandidates(const Fingerprint& fp, std::vector<Candidate>* out) const;
  // The title candidates of Candidates, appended to *out unless already in it.
  void TitleCandidates(const Fingerprint& fp, std::vector<Candidate>* out,
                       std::vector<uint32_t>* same_title) const;
  void Remove(uint32_t slot);
  // Chills up to `limit` queued items.
  void Chill(size_t limit);
  void ChillSlot(uint32_t slot);

  const Options& options_;
  std::vector<IndexedDoc> docs_;
  std::vector<UnixSeconds> times_;  // docs_[slot].time, dense for the window checks.
  std::vector<uint32_t> free_;
  std::vector<uint32_t> expired_;  // Slots expired but still in the key tables.
  size_t live_count_ = 0;
  Postings bands_;
  Postings leads_;
  Postings titles_;
  std::map<int64_t, std::vector<uint32_t>> buckets_;
  bool chilling_ = false;
  uint64_t added_ = 0;
  int64_t chilled_below_ = INT64_MIN;  // buckets below were queued for chilling
  std::vector<uint32_t> to_chill_;
  std::vector<std::pair<uint64_t, uint32_t>> uncommitted_;  // (Add number, slot), in order
};

}  // namespace newsd::dedup
