#pragma once

// The process's heap: which allocator serves it, its tuning for bulk work (an import, the
// poller), and what it holds (for the metrics).
//
// newsd links mimalloc (cmake/Dependencies.cmake), which replaces glibc's malloc for the whole
// process. The poller and the import hand most blocks from one thread to another (bodies from
// the parse pool, items to the ingest and commit threads); glibc's malloc spent ~10 % of a cold
// round's CPU on such blocks (its arena locks, consolidating free chunks), mimalloc about half
// that (docs/BENCHMARKS.md). Sanitizer builds keep glibc's malloc, which the sanitizers
// replace; the glibc tuning below is for them.
//
// Page size. The service uses ordinary 4 KiB pages. An import and `newsd --once` ask for
// transparent huge pages (one fault per 2 MiB) where they are cheaper, which they measure at
// start (page_faults.h): how a VM backs fresh memory decides it. On one 2-vCPU Firecracker VM
// fresh memory cost 3.3 ms/MiB in huge pages against 0.5 ms/MiB in 4 KiB pages, and a cold
// round of 1,000 feeds took 1.2 s longer with huge pages; on a PVM guest, where a 4 KiB fault
// costs ~10 us, 1.6 ms/MiB against 2.6-3.3, and the import of the dev corpus takes ~8 % less
// time, a cold round of 1,000 feeds ~14 % (docs/BENCHMARKS.md). An operator can decide instead:
// MIMALLOC_LARGE_OS_PAGES=0 or 1. (With huge pages on, mimalloc takes pages of a reserved
// hugetlbfs pool first where the machine has one, vm.nr_hugepages: pinned memory the probe did
// not measure.)

#include <cstddef>
#include <optional>
#include <string>

namespace newsd::daemon {

/// Prepares the heap for an import, which allocates and frees blocks of megabytes (write
/// batches, memtable arenas, article text) every commit. Freed memory is kept for the rest of
/// the process (see TuneHeapForPolling's `one_round`). Under glibc: keeps freed memory in the
/// heap (no mmap/munmap per big block, no trimming), and grows the heap by `reserve` bytes of
/// address space at once (untouched pages cost no memory).
///
/// Under mimalloc, also backs the heap with 2 MiB pages when MeasurePageFaultCost finds them
/// cheaper than 4 KiB pages on this machine (unless MIMALLOC_LARGE_OS_PAGES is set).
///
/// Process-wide and not undone: meant for the `newsd import` command. Call before starting
/// threads. Returns what was chosen and why, for the log ("2 MiB pages (2 MiB pages 0.80
/// ms/MiB, 4 KiB pages 2.60 ms/MiB)").
std::string TuneHeapForImport(size_t reserve);

/// Prepares the heap for polling, which allocates and frees blocks of 100 KB to tens of MB
/// (response bodies, parsed feeds, write batches) on several threads.
///
/// `one_round` (`newsd --once`, which exits after it): mimalloc keeps the pages freed during
/// the run instead of returning them to the system 25 ms after they are free (its default,
/// right for the service, whose rounds are minutes apart) and faulting them in again 4 KiB
/// at a time: in a cold round of 1,000 feeds 106,000 page faults instead of 180,000, and
/// ~20 % less wall time (docs/BENCHMARKS.md). Peak memory is unchanged; an operator's own
/// MIMALLOC_ALLOW_DECOMMIT wins. Huge pages as for an import, where they are cheaper.
///
/// Under glibc: such blocks come from the heap instead of a fresh mmap each (glibc maps blocks
/// over 128 KiB until a free raises its threshold, and each new mapping costs a page fault per
/// 4 KiB), the heap grows in 64 MiB steps of address space, and up to 128 MiB of free heap is
/// kept rather than returned and faulted in again. Call before starting threads. Returns the
/// page size chosen and why, as TuneHeapForImport.
std::string TuneHeapForPolling(bool one_round);

/// Returns the free memory the allocator holds to the system (mimalloc's mi_collect, glibc's
/// malloc_trim), e.g. after restoring the dedup index, whose temporaries the heap would
/// otherwise keep. Costs a page fault per 4 KiB when the memory is used again.
void ReleaseFreeHeap();

/// What the heap holds.
struct HeapUsage {
  /// Bytes the allocator holds from the system: mimalloc's committed memory (it returns freed
  /// pages after a short delay, so this follows the bytes in use within a few MB); under glibc,
  /// the arenas and mapped blocks, free chunks included.
  size_t held = 0;
  /// Bytes allocated and not freed, when the allocator counts them (glibc; mimalloc does not).
  std::optional<size_t> in_use;
};
/// Cheap enough for a metrics scrape (glibc walks its arenas' free lists), not for a hot path.
HeapUsage ReadHeapUsage();

}  // namespace newsd::daemon
