#pragma once

// CRC32C for RocksDB's write-ahead log and manifest, with the SSE 4.2 instruction.
//
// Debian's librocksdb.a is built portable (no SSE 4.2), so its rocksdb::crc32c::Extend is a
// table-driven software loop: 3 % of an import's instructions and ~0.13 s of a cold poll
// round's CPU, all in checksumming the log. On x86-64 the link replaces that function
// (`ld --wrap`, set by storage/CMakeLists.txt for every binary that links newsd_storage)
// with the one in crc32c.cc: the same checksum, bit for bit, computed by the CPU's crc32
// instruction when it has one, by RocksDB's own code otherwise. Other architectures keep
// RocksDB's function (which uses their CRC instructions where it can). Storage-internal.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace newsd::storage {

#if NEWSD_CRC32C_SSE42
/// Which CRC32C this process computes: "sse4.2" or "software" (the archive logs it at open).
std::string_view Crc32cImplementation();
#else
inline std::string_view Crc32cImplementation() { return "rocksdb"; }
#endif

/// RocksDB's crc32c::Extend, as the linker resolves it: the CRC32C of `data[0, n)` continuing
/// from `crc` (the CRC of what came before; 0 for none).
uint32_t Crc32cExtend(uint32_t crc, const char* data, size_t n);

/// RocksDB's own implementation (what CPUs without SSE 4.2 run), for tests to compare with.
uint32_t Crc32cExtendSoftware(uint32_t crc, const char* data, size_t n);

}  // namespace newsd::storage
