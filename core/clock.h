#pragma once

#include <chrono>

#include "core/time.h"

namespace newsd {

/// Source of wall-clock time. Modules that need "now" take a Clock& so tests can use a
/// fake one (tests/fakes/fake_clock.h). Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Current time as a system_clock time point.
  virtual std::chrono::system_clock::time_point Now() const = 0;
  /// Current time in whole Unix seconds.
  UnixSeconds NowSeconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
  }
};

/// The real clock.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace newsd
