#include "daemon/heap.h"

#if NEWSD_MIMALLOC
#include <mimalloc.h>

#include <cstdlib>
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

}  // namespace

// mimalloc keeps a heap per thread and frees a block from another thread without a lock, and
// big blocks come from its own segments: none of glibc's settings below has a counterpart.
void TuneHeapForImport(size_t /*reserve*/) { KeepFreedPages(); }

void TuneHeapForPolling(bool one_round) {
  if (one_round) KeepFreedPages();
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

void TuneHeapForPolling(bool /*one_round*/) {
  ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(32 * kMiB));  // glibc's maximum
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(128 * kMiB));
  ::mallopt(M_TOP_PAD, static_cast<int>(64 * kMiB));
}

void ReleaseFreeHeap() { ::malloc_trim(0); }

HeapUsage ReadHeapUsage() {
  const struct mallinfo2 info = ::mallinfo2();
  const size_t in_use = info.uordblks + info.hblkhd;
  return HeapUsage{.held = in_use + info.fordblks, .in_use = in_use};
}

#endif

}  // namespace newsd::daemon
