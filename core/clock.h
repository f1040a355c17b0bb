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
  /// How long a timer must wait in real (steady) time for `span` of this clock's time to
  /// pass: `span` itself for the real clock. Never shorter than the exact value (a timer
  /// does not wake before the time it waits for).
  virtual std::chrono::nanoseconds RealSpan(std::chrono::nanoseconds span) const { return span; }
};

/// The real clock.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

/// Real time sped up `factor` times from the moment of construction, for load tests that
/// compress a day (`newsd --time-scale`): Now() = origin + factor * (real now - origin), and
/// timers wait span / factor. Immutable, so thread-safe.
class ScaledClock final : public Clock {
 public:
  /// `factor` must be > 0 (1 is the real clock).
  explicit ScaledClock(double factor)
      : factor_(factor), origin_(std::chrono::system_clock::now()) {}
  std::chrono::system_clock::time_point Now() const override {
    const std::chrono::duration<double, std::nano> real =
        std::chrono::system_clock::now() - origin_;
    return origin_ +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(real * factor_);
  }
  std::chrono::nanoseconds RealSpan(std::chrono::nanoseconds span) const override {
    const std::chrono::duration<double, std::nano> real = span / factor_;
    return std::chrono::ceil<std::chrono::nanoseconds>(real);
  }
  double factor() const { return factor_; }
  std::chrono::system_clock::time_point origin() const { return origin_; }

 private:
  double factor_;
  std::chrono::system_clock::time_point origin_;
};

}  // namespace newsd
