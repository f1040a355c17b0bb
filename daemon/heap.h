#pragma once

// Process-wide heap tuning for bulk work: an import, and the poller (glibc malloc, Linux
// transparent huge pages).

#include <cstddef>

namespace newsd::daemon {

/// Prepares the heap for an import, which allocates and frees blocks of megabytes (write
/// batches, memtable arenas, article text) every commit; page faults, more than copies,
/// dominated its profile. Keeps freed memory in the heap (no mmap/munmap per big block, no
/// trimming), and grows the heap by `reserve` bytes at once, backed by transparent huge pages
/// where the system grants them on request (THP "madvise" mode: one fault per 2 MiB instead
/// of 512). Only address space is reserved: untouched pages cost no memory. All threads
/// share that one heap (one malloc arena), so threads started later use it too.
///
/// Process-wide and not undone: meant for the `newsd import` command. Harmless where THP is
/// unavailable or disabled. Call before starting threads.
void TuneHeapForImport(size_t reserve);

/// Prepares the heap for polling, which allocates and frees blocks of 100 KB to tens of MB
/// (response bodies, parsed feeds, write batches) on several threads: such blocks come from
/// the heap instead of a fresh mmap each (glibc maps blocks over 128 KiB until a free raises
/// its threshold, and each new mapping costs a page fault per 4 KiB), the heap grows in 64 MiB
/// steps of address space, and up to 128 MiB of free heap is kept rather than returned and
/// faulted in again. Call before starting threads.
void TuneHeapForPolling();

/// Backs every malloc arena with transparent huge pages for a batch run (`newsd --once`), whose
/// threads fault in hundreds of MiB of fresh heap (one cold round of 1,000 feeds: 110,000
/// faults of 4 KiB, a fifth of its CPU time on a virtual machine). glibc reads its tunables
/// only at start-up, so when GLIBC_TUNABLES does not set glibc.malloc.hugetlb yet this
/// re-executes the program (/proc/self/exe, same pid, same `argv`) with
/// glibc.malloc.hugetlb=1 added; an operator's own setting of it, 0 included, is kept.
/// Returns only when it did not re-execute: already set, or exec failed (then the run goes
/// on with ordinary pages). Call first in main, before any thread, file or output exists.
/// Harmless where THP is disabled or glibc predates the tunable (2.35).
void RestartWithHugePageHeap(char** argv);

/// Returns the free memory every malloc arena holds to the system (glibc malloc_trim), e.g.
/// after restoring the dedup index, whose temporaries the heap would otherwise keep. Costs a
/// page fault per 4 KiB when the memory is used again.
void ReleaseFreeHeap();

/// What the malloc heap holds, over every arena (glibc mallinfo2).
struct HeapUsage {
  size_t in_use = 0;  ///< Bytes allocated and not freed (mmapped blocks included).
  size_t free = 0;    ///< Bytes the heap keeps free for reuse (not returned to the system).
};
/// Walks every arena's free lists: cheap enough for a metrics scrape, not for a hot path.
HeapUsage ReadHeapUsage();

}  // namespace newsd::daemon
