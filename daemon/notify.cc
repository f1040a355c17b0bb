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

}  // namespace newsd::daemon
