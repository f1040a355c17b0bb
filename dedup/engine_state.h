#pragma once

// Engine::State, the state of an Engine (dedup/engine.h), and ContentHash: what the two halves
// of the engine both use, engine.cc (index, persistence, restore) and engine_fingerprint.cc
// (fingerprints). Internal to dedup/: only those two include this. A State belongs to its
// Engine and is used under the Engine's thread rules (engine.h).

#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "dedup/boilerplate.h"
#include "dedup/cold.h"
#include "dedup/engine.h"
#include "dedup/fingerprint.h"
#include "dedup/index.h"
#include "dedup/options.h"

namespace newsd::dedup {

struct Engine::State {
  explicit State(Options o) : options(std::move(o)), index(options), boilerplate(options) {}
  Options options;
  CandidateIndex index;
  BoilerplateModel boilerplate;
  std::unique_ptr<ColdStore> cold;  // SetRecordReader's
  // Time bucket below which the last Expire dropped the stored docs: a doc inserted there
  // afterwards is not stored (the drop is done; it would come back at the next Restore).
  int64_t dropped_below = INT64_MIN;
  UnixSeconds newest_restored = INT64_MIN;  // see NewestRestored
  UnixSeconds oldest_restored = INT64_MAX;  // see OldestRestored
  // The last snapshot Learned handed out, and the model's learned_version it was taken at.
  std::shared_ptr<const LearnedLines> learned;
  uint64_t learned_version = 0;
  // The version Reindex added last of each item (while it is in the window): a later one that
  // is a copy of it is not added again.
  std::unordered_map<std::string, Fingerprint> reindexed;
};

// Identifies an item's text for boilerplate counting (BoilerplateModel::Observe): a resent
// text has the same shingles. A hash of `shingles` as given (in their order).
uint64_t ContentHash(const std::vector<Shingle>& shingles);

}  // namespace newsd::dedup
