#include "storage/crc32c.h"

#include <nmmintrin.h>

#include <cstring>

// Compiled on x86-64 only (storage/CMakeLists.txt).

// The linker's names (`ld --wrap=SYMBOL`, storage/CMakeLists.txt): every reference to
// rocksdb::crc32c::Extend (_ZN7rocksdb6crc32c6ExtendEjPKcm) goes to __wrap_SYMBOL, and
// __real_SYMBOL is RocksDB's own function.
uint32_t RocksCrc32cExtend(uint32_t crc, const char* data,
                           size_t n) asm("__real__ZN7rocksdb6crc32c6ExtendEjPKcm");
uint32_t WrappedCrc32cExtend(uint32_t crc, const char* data,
                             size_t n) asm("__wrap__ZN7rocksdb6crc32c6ExtendEjPKcm");

namespace newsd::storage {
namespace {

// Eight bytes per crc32 instruction, then the tail a byte at a time. The instruction computes
// the reflected Castagnoli CRC without the pre- and post-inversion RocksDB's interface has.
[[gnu::target("sse4.2")]] uint32_t ExtendSse42(uint32_t crc, const char* data, size_t n) {
  uint64_t state = crc ^ 0xffffffffU;
  for (; n >= 8; n -= 8, data += 8) {
    uint64_t word;
    std::memcpy(&word, data, sizeof word);
    state = _mm_crc32_u64(state, word);
  }
  auto narrow = static_cast<uint32_t>(state);
  for (; n > 0; --n, ++data) narrow = _mm_crc32_u8(narrow, static_cast<uint8_t>(*data));
  return narrow ^ 0xffffffffU;
}

bool UseSse42() {
  static const bool kUse = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") != 0;
  }();
  return kUse;
}

}  // namespace

std::string_view Crc32cImplementation() { return UseSse42() ? "sse4.2" : "software"; }

uint32_t Crc32cExtend(uint32_t crc, const char* data, size_t n) {
  return UseSse42() ? ExtendSse42(crc, data, n) : RocksCrc32cExtend(crc, data, n);
}

uint32_t Crc32cExtendSoftware(uint32_t crc, const char* data, size_t n) {
  return RocksCrc32cExtend(crc, data, n);
}

}  // namespace newsd::storage

uint32_t WrappedCrc32cExtend(uint32_t crc, const char* data, size_t n) {
  return newsd::storage::Crc32cExtend(crc, data, n);
}
