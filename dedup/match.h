#pragma once

#include "dedup/engine.h"
#include "dedup/fingerprint.h"
#include "dedup/index.h"
#include "dedup/options.h"

namespace newsd::dedup {

/// The search behind Engine::FindMatch (its header states the rules): verifies every
/// candidate `index` returns for `fp` under `options` and picks the one story `fp` joins, or
/// none. Reads `index` only; reuses per-thread scratch buffers, so concurrent calls on
/// different threads are safe while nothing mutates `index`.
Match FindStory(const Fingerprint& fp, const CandidateIndex& index, const Options& options);

}  // namespace newsd::dedup
