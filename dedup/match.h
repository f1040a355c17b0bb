#pragma once

#include <deque>

#include "dedup/cold.h"
#include "dedup/engine.h"
#include "dedup/fingerprint.h"
#include "dedup/index.h"
#include "dedup/options.h"

namespace newsd::dedup {

/// The search behind Engine::FindMatch (its header states the rules): verifies every
/// candidate `index` returns for `fp` under `options` and picks the one story `fp` joins, or
/// none. Reads `index` only; reuses per-thread scratch buffers, so concurrent calls on
/// different threads are safe while nothing mutates `index`.
/// Engine::FindMatch over `index`; cold items' sets are read from `cold` (null: cold items are
/// not verified).
Match FindStory(const Fingerprint& fp, const CandidateIndex& index, const Options& options,
                const ColdStore* cold);

}  // namespace newsd::dedup
