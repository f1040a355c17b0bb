#include "daemon/heap.h"

#include <malloc.h>

#include <algorithm>
#include <climits>
#include <cstdlib>

namespace newsd::daemon {

namespace {
constexpr size_t kMiB = size_t{1} << 20;
}  // namespace

void TuneHeapForImport(size_t reserve) {
  // Threads keep glibc's arena each: with one arena shared by all (tried while the import's
  // heap was made of huge pages, to fault fewer in), the reader, ingest and commit threads
  // waited on its lock in ~10 % of the import's samples.
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(32 * kMiB));  // glibc's maximum
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<size_t>(2 * reserve, INT_MAX)));
  // The next growth of the heap adds `reserve` at once (top pad); later growth goes in
  // smaller steps.
  ::mallopt(M_TOP_PAD, static_cast<int>(reserve));
  std::free(std::malloc(kMiB));
  ::mallopt(M_TOP_PAD, static_cast<int>(16 * kMiB));
}

void TuneHeapForPolling() {
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(32 * kMiB));  // glibc's maximum
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(128 * kMiB));
  ::mallopt(M_TOP_PAD, static_cast<int>(64 * kMiB));
}

void ReleaseFreeHeap() { ::malloc_trim(0); }

HeapUsage ReadHeapUsage() {
  const struct mallinfo2 info = ::mallinfo2();
  return HeapUsage{.in_use = info.uordblks + info.hblkhd, .free = info.fordblks};
}

}  // namespace newsd::daemon
