#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace newsd::daemon {

/// A growing set of ids that answers "maybe" or "no": a blocked Bloom filter (10 bits an id,
/// all probes of one id in one 64-byte block), a new level of twice the capacity whenever the
/// last one is full. Never "no" for an id added; "maybe" for about one id in 80 that was not,
/// for each full level (levels are all asked: about one in 20 at six levels, 4 million ids).
/// About 1.3 bytes an id. Not thread-safe.
///
/// For Ingestor: on an archive that held no item id when it started, the ids it stored are the
/// only ones there, so an id the filter says "no" to needs no archive lookup.
class IdFilter {
 public:
  void Add(std::string_view id);
  bool MayContain(std::string_view id) const;
  size_t size() const { return count_; }

 private:
  static constexpr size_t kWordsPerBlock = 8;  // 512 bits: one cache line
  using Block = std::array<uint64_t, kWordsPerBlock>;
  struct Level {
    std::vector<Block> blocks;
    size_t capacity = 0;  // ids at 10 bits each
    size_t count = 0;
  };
  static bool Test(const Level& level, uint64_t hash);
  static void Set(Level* level, uint64_t hash);

  std::vector<Level> levels_;
  size_t count_ = 0;
};

}  // namespace newsd::daemon
