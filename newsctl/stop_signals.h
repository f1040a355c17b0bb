#pragma once

// Ctrl-C and SIGTERM for newsctl's long commands: noted, so that the work stops where it can
// leave things whole.

#include <signal.h>

#include <csignal>

namespace newsd::newsctl {

/// While it lives: SIGINT and SIGTERM set a flag (stopped()) instead of killing the process;
/// a second one kills at once (SA_RESETHAND). Restores the previous handlers when it goes.
/// One at a time.
class StopSignals {
 public:
  StopSignals() {
    stop_requested = 0;
    struct sigaction stop {};
    stop.sa_handler = [](int) { stop_requested = 1; };
    stop.sa_flags = SA_RESETHAND | SA_RESTART;
    ::sigemptyset(&stop.sa_mask);
    ::sigaction(SIGINT, &stop, &old_int_);
    ::sigaction(SIGTERM, &stop, &old_term_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// A signal came since it was made.
  static bool stopped() { return stop_requested != 0; }

 private:
  static inline volatile std::sig_atomic_t stop_requested = 0;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace newsd::newsctl
