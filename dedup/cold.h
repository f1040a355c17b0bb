#pragma once

// The archive half of a cold indexed item (IndexedDoc::cold): its sets, read back from its
// "dedup_docs" record when a search must verify it.

#include <atomic>
#include <cstdint>

#include "core/time.h"
#include "dedup/codec.h"
#include "dedup/engine.h"
#include "dedup/index.h"

namespace newsd::dedup {

/// Reads cold items' records through an Engine::RecordReader and counts the reads. Thread-safe
/// as its reader is (searches may run on several threads at once).
class ColdStore {
 public:
  ColdStore(Engine::RecordReader reader, int64_t bucket_seconds)
      : reader_(std::move(reader)), bucket_seconds_(bucket_seconds) {}

  /// The stored record of cold item `doc`, indexed at `time`, decoded into *out. False (and
  /// counted as a failure) when it cannot be read, is missing or does not decode: the caller
  /// then cannot verify the item and leaves it out.
  bool Load(const IndexedDoc& doc, UnixSeconds time, StoredDoc* out) const;

  uint64_t reads() const { return reads_.load(std::memory_order_relaxed); }
  uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }

 private:
  Engine::RecordReader reader_;
  int64_t bucket_seconds_;
  mutable std::atomic<uint64_t> reads_{0}, failures_{0};
};

}  // namespace newsd::dedup
