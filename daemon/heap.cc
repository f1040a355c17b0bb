#include "daemon/heap.h"

#if NEWSD_MIMALLOC
#include <mimalloc.h>

#include <cstdlib>

#include "daemon/page_faults.h"
#else
#include <malloc.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#endif

namespace newsd::daemon {

#if NEWSD_MIMALLOC

namespace {

// A process that exits after one batch of work keeps what it freed: see heap.h.
void KeepFreedPages() {
  // mimalloc reads its options from the environment before main(), in either case.
  if (std::getenv("MIMALLOC_ALLOW_DECOMMIT") == nullptr &&
      std::getenv("mimalloc_allow_decommit") == nullptr) {
    mi_option_disable(mi_option_allow_decommit);
  }
}

bool InEnvironment(const char* upper, const char* lower) {
  return std::getenv(upper) != nullptr || std::getenv(lower) != nullptr;
}

// Backs the segments mimalloc maps from now on with transparent huge pages when this machine
// faults them in for less (or as MIMALLOC_LARGE_OS_PAGES says). Returns the page size chosen
// and why.
std::string ChoosePageSize() {
  if (InEnvironment("MIMALLOC_LARGE_OS_PAGES", "mimalloc_large_os_pages")) {
    return mi_option_is_enabled(mi_option_large_os_pages) ? "2 MiB pages (MIMALLOC_LARGE_OS_PAGES)"
                                                          : "4 KiB pages (MIMALLOC_LARGE_OS_PAGES)";
  }
  const PageFaultCost cost = MeasurePageFaultCost();
  if (!cost.HugePagesPayOff()) return "4 KiB pages (" + cost.Describe() + ")";
  mi_option_enable(mi_option_large_os_pages);
  // Every segment committed whole, in huge pages: by default mimalloc commits a thread's first
  // segment as it is used, 4 KiB at a time. (The main thread's first segment, mapped before
  // main(), stays in 4 KiB pages.)
  if (!InEnvironment("MIMALLOC_EAGER_COMMIT_DELAY", "mimalloc_eager_commit_delay")) {
    mi_option_set(mi_option_eager_commit_delay, 0);
  }
  return "2 MiB pages (" + cost.Describe() + ")";
}

}  // namespace

// mimalloc keeps a heap per thread and frees a block from another thread without a lock, and
// big blocks come from its own segments: none of glibc's settings below has a counterpart.
std::string TuneHeapForImport(size_t /*reserve*/) {
  KeepFreedPages();
  return ChoosePageSize();
}

std::string TuneHeapForPolling(bool one_round) {
  if (!one_round) {
    return InEnvironment("MIMALLOC_LARGE_OS_PAGES", "mimalloc_large_os_pages") &&
                   mi_option_is_enabled(mi_option_large_os_pages)
               ? "2 MiB pages (MIMALLOC_LARGE_OS_PAGES)"
               : "4 KiB pages (the service)";
  }
  KeepFreedPages();
  return ChoosePageSize();
}

void ReleaseFreeHeap() { mi_collect(/*force=*/true); }

HeapUsage ReadHeapUsage() {
  size_t elapsed_ms = 0, user_ms = 0, system_ms = 0, rss = 0, peak_rss = 0, committed = 0,
         peak_committed = 0, page_faults = 0;
  mi_process_info(&elapsed_ms, &user_ms, &system_ms, &rss, &peak_rss, &committed, &peak_committed,
                  &page_faults);
  return HeapUsage{.held = committed, .in_use = std::nullopt};
}

#else  // glibc's malloc: sanitizer builds.

namespace {
constexpr size_t kMebibyte = size_t{1} << 20;
}  // namespace

std::string TuneHeapForImport(size_t reserve) {
  // Threads keep glibc's arena each: with one arena shared by all (tried while the import's
  // heap was made of huge pages, to fault fewer in), the reader, ingest and commit threads
  // waited on its lock in ~10 % of the import's samples.
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(32 * kMebibyte));  // glibc's maximum
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<size_t>(2 * reserve, INT_MAX)));
  // The next growth of the heap adds `reserve` at once (top pad); later growth goes in
  // smaller steps.
  ::mallopt(M_TOP_PAD, static_cast<int>(reserve));
  std::free(std::malloc(kMebibyte));
  ::mallopt(M_TOP_PAD, static_cast<int>(16 * kMebibyte));
  return "glibc malloc, 4 KiB pages";
}

std::string TuneHeapForPolling(bool /*one_round*/) {
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(32 * kMebibyte));  // glibc's maximum
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(128 * kMebibyte));
  ::mallopt(M_TOP_PAD, static_cast<int>(64 * kMebibyte));
  return "glibc malloc, 4 KiB pages";
}

void ReleaseFreeHeap() { ::malloc_trim(0); }

HeapUsage ReadHeapUsage() {
  const struct mallinfo2 info = ::mallinfo2();
  const size_t in_use = info.uordblks + info.hblkhd;
  return HeapUsage{.held = in_use + info.fordblks, .in_use = in_use};
}

#endif

}  // namespace newsd::daemon
