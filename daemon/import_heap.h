#pragma once

// Process-wide heap tuning for a bulk import (glibc malloc, Linux transparent huge pages).

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

}  // namespace newsd::daemon
