#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dedup/fingerprint.h"

namespace newsd::dedup {

/// Hashes word k-shingles of `tokens` (token hashes in text order) and appends them to
/// `shingles` in text order (not sorted, may repeat). A text shorter than k tokens but not empty
/// gives one shingle of the whole text; an empty one gives none.
void MakeShingles(std::span<const uint64_t> tokens, int k, std::vector<Shingle>* shingles);

/// Sorts and removes duplicates in place.
void SortUnique(std::vector<uint32_t>* values);
void SortUnique(std::vector<uint64_t>* values);

/// The values of `ordered` (text order) that are in `set` (sorted, unique), in their order:
/// the text order of a set kept without one (an indexed fingerprint), taken from the text
/// fingerprinted again.
std::vector<Shingle> InTextOrder(std::span<const Shingle> ordered, std::span<const Shingle> set);

/// Number of values present in both sorted, unique vectors.
size_t IntersectionSize(std::span<const Shingle> a, std::span<const Shingle> b);

}  // namespace newsd::dedup
