#include "daemon/notify.h"

#include <systemd/sd-daemon.h>

namespace newsd::daemon {

void NotifyReady(const std::string& status) {
  std::string msg = "READY=1\nSTATUS=" + status;
  sd_notify(0, msg.c_str());
}

void NotifyStatus(const std::string& status) {
  std::string msg = "STATUS=" + status;
  sd_notify(0, msg.c_str());
}

void NotifyStopping() { sd_notify(0, "STOPPING=1"); }

void NotifyReloading() { sd_notify(0, "RELOADING=1"); }

void NotifyWatchdog() { sd_notify(0, "WATCHDOG=1"); }

std::optional<std::chrono::microseconds> WatchdogPeriod() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

}  // namespace newsd::daemon
