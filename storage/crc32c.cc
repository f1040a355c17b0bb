#include "storage/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

// The linker's name for the replacement (`ld --wrap=SYMBOL` sends every reference to
// rocksdb::crc32c::Extend, _ZN7rocksdb6crc32c6ExtendEjPKcm, to __wrap_SYMBOL). RocksDB's own
// function is not called from here: GNU ld does not pull an archive member in for a
// __real_SYMBOL reference alone, so the portable path below is this file's.
uint32_t WrappedCrc32cExtend(uint32_t crc, const char* data,
                             size_t n) asm("__wrap__ZN7rocksdb6crc32c6ExtendEjPKcm");

namespace newsd::storage {
namespace {

constexpr uint32_t kCastagnoliReflected = 0x82F63B78U;

constexpr std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc >> 1) ^ ((crc & 1) != 0 ? kCastagnoliReflected : 0);
    table[i] = crc;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kTable = MakeTable();

#if defined(__x86_64__)
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

bool CpuHasSse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2") != 0;
}
#endif

bool UseSse42() {
#if defined(__x86_64__)
  static const bool kUse = CpuHasSse42();
  return kUse;
#else
  return false;
#endif
}

}  // namespace

std::string_view Crc32cImplementation() { return UseSse42() ? "sse4.2" : "software"; }

uint32_t Crc32cExtend(uint32_t crc, const char* data, size_t n) {
#if defined(__x86_64__)
  if (UseSse42()) return ExtendSse42(crc, data, n);
#endif
  return Crc32cExtendSoftware(crc, data, n);
}

uint32_t Crc32cExtendSoftware(uint32_t crc, const char* data, size_t n) {
  uint32_t state = crc ^ 0xffffffffU;
  for (; n > 0; --n, ++data) {
    state = kTable[(state ^ static_cast<uint8_t>(*data)) & 0xffU] ^ (state >> 8);
  }
  return state ^ 0xffffffffU;
}

}  // namespace newsd::storage

uint32_t WrappedCrc32cExtend(uint32_t crc, const char* data, size_t n) {
  return newsd::storage::Crc32cExtend(crc, data, n);
}
