#include "daemon/page_faults.h"

#include <sys/mman.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>

#include "spdlog/fmt/fmt.h"

namespace newsd::daemon {
namespace {

constexpr size_t kMiB = size_t{1} << 20;
constexpr size_t kHugePage = 2 * kMiB;
constexpr size_t kSmallPage = 4096;
constexpr double kSmallProbeMiB = 1;  // 256 faults
constexpr double kHugeProbeMiB = 4;   // 2 faults when granted
constexpr auto kSmallProbe = static_cast<size_t>(kSmallProbeMiB * kMiB);
constexpr auto kHugeProbe = static_cast<size_t>(kHugeProbeMiB * kMiB);

// False when the kernel grants no transparent huge pages, even to memory advised for them.
bool HugePagesEnabled() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  const std::string modes{std::istreambuf_iterator<char>(in), {}};
  return modes.find("[always]") != std::string::npos ||
         modes.find("[madvise]") != std::string::npos;
}

// This thread's minor page faults so far; -1 when the kernel does not say.
long ThreadMinorFaults() {
  struct rusage usage {};
  if (::getrusage(RUSAGE_THREAD, &usage) != 0) return -1;
  return usage.ru_minflt;
}

struct Touched {
  double ms = 0;
  long faults = 0;
};

// Maps `bytes` of fresh memory aligned to a huge page, advised for huge pages or against them,
// and writes one byte per 4 KiB page.
std::optional<Touched> TouchFresh(size_t bytes, bool huge) {
  const size_t mapped = bytes + kHugePage;
  void* map = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) return std::nullopt;
  const size_t misalignment = reinterpret_cast<uintptr_t>(map) % kHugePage;
  char* aligned = static_cast<char*>(map) + (misalignment == 0 ? 0 : kHugePage - misalignment);
  ::madvise(aligned, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  volatile char* p = aligned;
  const long faults_before = ThreadMinorFaults();
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < bytes; i += kSmallPage) p[i] = 1;
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  const long faults_after = ThreadMinorFaults();
  // Unknown counts: as many faults as 4 KiB pages, so that huge pages never seem granted.
  const long faults = faults_before < 0 || faults_after < 0 ? static_cast<long>(bytes / kSmallPage)
                                                            : faults_after - faults_before;
  Touched touched{.ms = took.count(), .faults = faults};
  ::munmap(map, mapped);
  return touched;
}

}  // namespace

bool PageFaultCost::HugePagesPayOff() const {
  constexpr double kDearSmallPagesMsPerMiB = 1.0;
  return small_ms_per_mib >= kDearSmallPagesMsPerMiB && huge_ms_per_mib &&
         *huge_ms_per_mib * 5 <= small_ms_per_mib * 4;
}

std::string PageFaultCost::Describe() const {
  std::string huge =
      huge_ms_per_mib ? fmt::format("{:.2f} ms/MiB", *huge_ms_per_mib) : std::string("not granted");
  return fmt::format("2 MiB pages {}, 4 KiB pages {:.2f} ms/MiB", huge, small_ms_per_mib);
}

PageFaultCost MeasurePageFaultCost() {
  PageFaultCost cost;
  if (auto small = TouchFresh(kSmallProbe, /*huge=*/false)) {
    cost.small_ms_per_mib = small->ms / kSmallProbeMiB;
  }
  if (!HugePagesEnabled()) return cost;
  auto huge = TouchFresh(kHugeProbe, /*huge=*/true);
  // Granted: one fault per huge page (a few more for the kernel's own work at most).
  const long most_faults = static_cast<long>(kHugeProbe / kHugePage) + 4;
  if (huge && huge->faults <= most_faults) cost.huge_ms_per_mib = huge->ms / kHugeProbeMiB;
  return cost;
}

}  // namespace newsd::daemon
