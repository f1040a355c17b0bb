#pragma once

#include <string>

namespace newsd::daemon {

/// sd_notify(3) wrappers. They do nothing when NOTIFY_SOCKET is unset (not under systemd).
void NotifyReady(const std::string& status);
void NotifyStatus(const std::string& status);
void NotifyStopping();

}  // namespace newsd::daemon
