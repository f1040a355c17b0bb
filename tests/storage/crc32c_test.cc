// The archive's CRC32C on x86-64: RocksDB's checksum bit for bit (logs written by earlier
// builds, or by CPUs without SSE 4.2, must still read back), and the one RocksDB's code calls.

#include "storage/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

// RocksDB's function as RocksDB's own objects name it, and the linker's replacement for it.
namespace rocksdb::crc32c {
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);
uint32_t Crc32cCombine(uint32_t crc1, uint32_t crc2, size_t crc2len);
}  // namespace rocksdb::crc32c
uint32_t WrappedCrc32cExtend(uint32_t crc, const char* data,
                             size_t n) asm("__wrap__ZN7rocksdb6crc32c6ExtendEjPKcm");

namespace newsd::storage {
namespace {

TEST(Crc32cTest, KnownValues) {
  const std::string check = "123456789";  // the standard check input of CRC-32C
  EXPECT_EQ(Crc32cExtend(0, check.data(), check.size()), 0xE3069283U);
  EXPECT_EQ(Crc32cExtendSoftware(0, check.data(), check.size()), 0xE3069283U);
  EXPECT_EQ(Crc32cExtend(0, "", 0), 0U);
  const std::string zeros(32, '\0');  // RFC 3720 B.4
  EXPECT_EQ(Crc32cExtend(0, zeros.data(), zeros.size()), 0x8A9136AAU);
}

TEST(Crc32cTest, EqualsRocksDbsOwnForEveryLengthAndAlignment) {
  std::mt19937_64 random(46);
  std::string bytes(4096 + 8, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t n = 0; n <= 300; ++n) {
      const auto init = static_cast<uint32_t>(random());
      const uint32_t rocks = Crc32cExtendSoftware(init, bytes.data() + offset, n);
      ASSERT_EQ(Crc32cExtend(init, bytes.data() + offset, n), rocks)
          << "offset " << offset << " length " << n;
    }
  }
  EXPECT_EQ(Crc32cExtend(7, bytes.data(), 4096), Crc32cExtendSoftware(7, bytes.data(), 4096));
}

TEST(Crc32cTest, ExtendContinuesACrc) {
  const std::string text = "Астана, 4 декабря - DKnews.kz. (Reuters) - a wire story";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    const uint32_t head = Crc32cExtend(0, text.data(), cut);
    const uint32_t tail = Crc32cExtend(0, text.data() + cut, text.size() - cut);
    EXPECT_EQ(Crc32cExtend(head, text.data() + cut, text.size() - cut),
              Crc32cExtend(0, text.data(), text.size()));
    EXPECT_EQ(rocksdb::crc32c::Crc32cCombine(head, tail, text.size() - cut),
              Crc32cExtend(0, text.data(), text.size()));
  }
}

TEST(Crc32cTest, RocksDbCallsThisImplementation) {
  // storage/CMakeLists.txt wraps the symbol for every binary linking newsd_storage: RocksDB's
  // log writer and reader reach Crc32cExtend through this very reference.
  EXPECT_EQ(reinterpret_cast<void*>(&rocksdb::crc32c::Extend),
            reinterpret_cast<void*>(&WrappedCrc32cExtend));
  const std::string text = "same bytes";
  EXPECT_EQ(rocksdb::crc32c::Extend(0, text.data(), text.size()),
            Crc32cExtendSoftware(0, text.data(), text.size()));
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("sse4.2")) {
    EXPECT_EQ(Crc32cImplementation(), "sse4.2");
  }
#endif
}

}  // namespace
}  // namespace newsd::storage
