#pragma once

// Process-wide heap tuning for bulk work: an import, and the poller (glibc malloc).
//
// Ordinary 4 KiB pages throughout. Transparent huge pages were tried for `--once` and the
// import (one fault per 2 MiB): on the 2-vCPU Firecracker VMs newsd is measured on, the host
// backs a fresh 2 MiB guest page 4 KiB at a time, so each huge-page fault cost ~6 ms and a
// cold round of 1,000 feeds took 1.2 s longer (docs/BENCHMARKS.md). An operator whose
// machine grants huge pages cheaply can still ask glibc for them: GLIBC_TUNABLES=
// glibc.malloc.hugetlb=1.

#include <cstddef>

namespace newsd::daemon {

/// Prepares the heap for an import, which allocates and frees blocks of megabytes (write
/// batches, memtable arenas, article text) every commit; page faults, more than copies,
/// dominated its profile. Keeps freed memory in the heap (no mmap/munmap per big block, no
/// trimming), and grows the heap by `reserve` bytes of address space at once (untouched pages
/// cost no memory). Each thread keeps its own malloc arena (glibc's default): one arena shared
/// by the reader, ingest and commit threads cost more in lock waits than it saved in faults.
///
/// Process-wide and not undone: meant for the `newsd import` command. Call before starting
/// threads.
void TuneHeapForImport(size_t reserve);

/// Prepares the heap for polling, which allocates and frees blocks of 100 KB to tens of MB
/// (response bodies, parsed feeds, write batches) on several threads: such blocks come from
/// the heap instead of a fresh mmap each (glibc maps blocks over 128 KiB until a free raises
/// its threshold, and each new mapping costs a page fault per 4 KiB), the heap grows in 64 MiB
/// steps of address space, and up to 128 MiB of free heap is kept rather than returned and
/// faulted in again. Call before starting threads.
void TuneHeapForPolling();

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
