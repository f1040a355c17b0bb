#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "dedup/codec.h"
#include "dedup/engine.h"
#include "dedup/fingerprint.h"
#include "dedup/minhash.h"
#include "dedup/options.h"
#include "dedup/postings.h"

namespace newsd::dedup {

/// The in-memory candidate index over the items of the window: 32×4 banded LSH on the MinHash
/// signatures plus an inverted index of lead shingles (so a snippet finds its full text).
/// Items are grouped by time bucket so expiry removes whole buckets.
/// Not thread-safe for writers; const methods may run concurrently with each other.
class CandidateIndex {
 public:
  explicit CandidateIndex(const Options& options);

  struct Candidate {
    uint32_t slot;
    Path path;
  };

  /// Adds an item whose MinHash signature (of doc.shingles) is `signature`.
  void Add(StoredDoc doc, const Signature& signature);

  /// Items within ±window_seconds of fp.time that share an LSH band or at least
  /// lead_min_shared lead shingles with `fp`, each once (LSH wins when both).
  void Candidates(const Fingerprint& fp, std::vector<Candidate>* out) const;

  const StoredDoc& doc(uint32_t slot) const { return docs_[slot]; }

  /// Removes every item whose time bucket is below `bucket`. Returns how many.
  size_t ExpireBefore(int64_t bucket);

  size_t size() const { return live_count_; }

 private:
  bool InWindow(uint32_t slot, UnixSeconds time) const;
  void Remove(uint32_t slot);

  const Options& options_;
  std::vector<StoredDoc> docs_;
  std::vector<UnixSeconds> times_;  // docs_[slot].time, dense for the window checks.
  std::vector<uint32_t> free_;
  size_t live_count_ = 0;
  Postings bands_;
  Postings leads_;
  std::map<int64_t, std::vector<uint32_t>> buckets_;
};

}  // namespace newsd::dedup
