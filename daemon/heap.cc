#include "daemon/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

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
    // Pointer arithmetic, not integers cast back to pointers: the first huge-page boundary
    // at or after the block, up to the heap's end.
    char* const start = static_cast<char*>(block);
    const uintptr_t misalign = reinterpret_cast<uintptr_t>(start) & (kHugePage - 1);
    char* const first = start + (misalign == 0 ? 0 : kHugePage - misalign);
    char* const end = static_cast<char*>(::sbrk(0));
    if (end > first + kHugePage) {
      ::madvise(first, static_cast<size_t>(end - first) & ~(kHugePage - 1), MADV_HUGEPAGE);
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

void RestartWithHugePageHeap(char** argv) {
  constexpr std::string_view kTunable = "glibc.malloc.hugetlb";
  const char* current = std::getenv("GLIBC_TUNABLES");
  std::string tunables = current != nullptr ? current : "";
  if (tunables.find(kTunable) != std::string::npos) return;
  tunables += tunables.empty() ? "" : ":";
  tunables += std::string(kTunable) + "=1";
  if (::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Still here: exec failed. Go on with ordinary pages and the caller's environment.
  if (current != nullptr) {
    ::setenv("GLIBC_TUNABLES", current, 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
}

void ReleaseFreeHeap() { ::malloc_trim(0); }

HeapUsage ReadHeapUsage() {
  const struct mallinfo2 info = ::mallinfo2();
  return HeapUsage{.in_use = info.uordblks + info.hblkhd, .free = info.fordblks};
}

}  // namespace newsd::daemon
