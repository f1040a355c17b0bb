#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace newsd::daemon {

/// sd_notify(3) wrappers. They do nothing when NOTIFY_SOCKET is unset (not under systemd).
void NotifyReady(const std::string& status);
void NotifyStatus(const std::string& status);
void NotifyStopping();
/// Reloading the configuration; NotifyReady again when done.
void NotifyReloading();
/// Tells systemd's watchdog that the service is healthy (WatchdogSec=).
void NotifyWatchdog();
/// The watchdog period systemd expects pings within (WATCHDOG_USEC, for this process), or
/// nullopt when no watchdog is set.
std::optional<std::chrono::microseconds> WatchdogPeriod();

}  // namespace newsd::daemon
