#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace newsd::dedup {

/// Hashes word k-shingles of `tokens` (token hashes in text order) and appends them to
/// `shingles` in text order (not sorted, may repeat). A text shorter than k tokens but not empty
/// gives one shingle of the whole text; an empty one gives none.
void MakeShingles(std::span<const uint64_t> tokens, int k, std::vector<uint64_t>* shingles);

/// Sorts and removes duplicates in place.
void SortUnique(std::vector<uint64_t>* values);

/// Number of values present in both sorted, unique vectors.
size_t IntersectionSize(std::span<const uint64_t> a, std::span<const uint64_t> b);

}  // namespace newsd::dedup
