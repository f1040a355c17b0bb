#include "daemon/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>

namespace newsd::daemon {

namespace {
constexpr size_t kMiB = size_t{1} << 20;
constexpr uintptr_t kHugePage = 2 * kMiB;
}  // namespace

void TuneHeapForImport(size_t reserve) {
  // One arena for every thread: the reader thread's blocks then come from the huge-page heap
  // below too, instead of a fresh per-thread arena faulted in 4 KiB at a time.
  ::mallopt(M_ARENA_MAX, 1);
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(32 * kMiB));  // glibc's maximum
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<size_t>(2 * reserve, INT_MAX)));
  // The next growth of the heap adds `reserve` (top pad): mark that whole range for huge
  // pages. Later growth beyond it gets ordinary pages.
  ::mallopt(M_TOP_PAD, static_cast<int>(reserve));
  void* block = std::malloc(kMiB);
  if (block != nullptr) {
    const uintptr_t first = (reinterpret_cast<uintptr_t>(block) + kHugePage - 1) & ~(kHugePage - 1);
    const auto end = reinterpret_cast<uintptr_t>(::sbrk(0));
    if (end > first + kHugePage) {
      ::madvise(reinterpret_cast<void*>(first), (end - first) & ~(kHugePage - 1), MADV_HUGEPAGE);
    }
  }
  std::free(block);
  ::mallopt(M_TOP_PAD, static_cast<int>(16 * kMiB));
}

void TuneHeapForPolling() {
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(32 * kMiB));  // glibc's maximum
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(128 * kMiB));
  ::mallopt(M_TOP_PAD, static_cast<int>(64 * kMiB));
}

void ReleaseFreeHeap() { ::malloc_trim(0); }

}  // namespace newsd::daemon
