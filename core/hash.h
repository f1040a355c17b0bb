#pragma once

#include <cstdint>
#include <string_view>

namespace newsd {

/// A 64-bit hash of `bytes` (XXH3 with `seed`): the same for the same input and seed, across
/// runs and builds of one xxhash version. For recognising content seen before, not for
/// security (it is not keyed).
uint64_t Hash64(std::string_view bytes, uint64_t seed = 0);

}  // namespace newsd
