#include "daemon/page_faults.h"

#include <gtest/gtest.h>

#include <iostream>

namespace newsd::daemon {
namespace {

TEST(PageFaultCostTest, HugePagesPayOffOnlyWhenClearlyCheaper) {
  // A PVM guest: a 4 KiB fault costs ~10 us, a fresh huge page less per MiB.
  EXPECT_TRUE((PageFaultCost{.small_ms_per_mib = 2.6, .huge_ms_per_mib = 1.6}).HugePagesPayOff());
  // A Firecracker VM whose host backs a huge page 4 KiB at a time.
  EXPECT_FALSE((PageFaultCost{.small_ms_per_mib = 0.5, .huge_ms_per_mib = 3.3}).HugePagesPayOff());
  // The same VM right after another process freed memory its host still backs: the probe's
  // huge pages are cheap, the import's would not be, and small faults cost little anyway.
  EXPECT_FALSE((PageFaultCost{.small_ms_per_mib = 0.5, .huge_ms_per_mib = 0.07}).HugePagesPayOff());
  // Within the probe's noise: ordinary pages.
  EXPECT_FALSE((PageFaultCost{.small_ms_per_mib = 1.0, .huge_ms_per_mib = 0.9}).HugePagesPayOff());
  // None granted.
  EXPECT_FALSE(
      (PageFaultCost{.small_ms_per_mib = 9.0, .huge_ms_per_mib = std::nullopt}).HugePagesPayOff());
}

TEST(PageFaultCostTest, DescribesBothCosts) {
  EXPECT_EQ((PageFaultCost{.small_ms_per_mib = 2.6, .huge_ms_per_mib = 1.625}).Describe(),
            "2 MiB pages 1.62 ms/MiB, 4 KiB pages 2.60 ms/MiB");
  EXPECT_EQ((PageFaultCost{.small_ms_per_mib = 0.5, .huge_ms_per_mib = std::nullopt}).Describe(),
            "2 MiB pages not granted, 4 KiB pages 0.50 ms/MiB");
}

TEST(PageFaultCostTest, MeasuresThisMachine) {
  const PageFaultCost cost = MeasurePageFaultCost();
  // Faulting in a MiB takes some time, and not seconds.
  EXPECT_GT(cost.small_ms_per_mib, 0);
  EXPECT_LT(cost.small_ms_per_mib, 1000);
  if (cost.huge_ms_per_mib) {
    EXPECT_GT(*cost.huge_ms_per_mib, 0);
    EXPECT_LT(*cost.huge_ms_per_mib, 1000);
  }
  std::cout << "this machine: " << cost.Describe() << "\n";
}

}  // namespace
}  // namespace newsd::daemon
