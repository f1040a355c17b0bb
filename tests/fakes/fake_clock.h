#pragma once

#include <atomic>
#include <chrono>

#include "core/clock.h"

namespace newsd::testing {

/// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixSeconds start) : now_ms_(start * 1000) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(now_ms_.load()));
  }
  void Advance(std::chrono::milliseconds d) { now_ms_ += d.count(); }
  void AdvanceSeconds(int64_t s) { now_ms_ += s * 1000; }
  void Set(UnixSeconds t) { now_ms_ = t * 1000; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace newsd::testing
