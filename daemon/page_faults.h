#pragma once

// What this machine charges for fresh memory: faulting in anonymous pages 4 KiB at a time, and
// as transparent huge pages (2 MiB). The heap tuning (heap.cc) asks for huge pages only where
// they are cheaper, as the ratio differs by a factor of 10 between the VMs newsd has run on
// (docs/BENCHMARKS.md, "Huge pages where they pay").

#include <optional>
#include <string>

namespace newsd::daemon {

struct PageFaultCost {
  /// Milliseconds to fault in one MiB of fresh memory in 4 KiB pages.
  double small_ms_per_mib = 0;
  /// The same in 2 MiB transparent huge pages; nullopt when the kernel did not grant every one
  /// probed (THP off in /sys/kernel/mm/transparent_hugepage/enabled, no free huge page, or a
  /// fault count the kernel would not give).
  std::optional<double> huge_ms_per_mib;

  /// True when 4 KiB pages are dear (1 ms/MiB or more: 4 us a fault), and huge pages were
  /// granted and cost at most 4/5 as much per MiB; closer than that the probe's noise could
  /// decide (the VMs measured so far differ by far more: 0.6 and 6.6 times). Where 4 KiB
  /// faults are cheap there is little to win (an import faults in ~100 MiB), and much to lose:
  /// the probe's huge pages may be memory the host still backs, an import's mostly are not
  /// (probes 2 s apart here: 0.07 ms/MiB, and 1.9 when fresh).
  bool HugePagesPayOff() const;
  /// "2 MiB pages 0.80 ms/MiB, 4 KiB pages 2.60 ms/MiB" (for the log).
  std::string Describe() const;
};

/// Measures by mapping a few MiB, touching each 4 KiB page once (in 4 KiB pages, then in huge
/// pages), and unmapping them: ~5 ms on a VM where a 4 KiB fault costs 10 us, more where huge
/// pages are slow. Counts this thread's minor faults to tell whether huge pages were granted.
/// Thread-safe; meant for start-up of a batch job (newsd import).
PageFaultCost MeasurePageFaultCost();

}  // namespace newsd::daemon
