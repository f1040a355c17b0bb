// Fuzzes the admin protocol decoder: any line gives a request or an error, and a decoded
// request survives a round trip.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "admin/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  if (auto request = newsd::admin::DecodeRequest(line)) {
    auto again = newsd::admin::DecodeRequest(newsd::admin::Encode(*request));
    if (!again || again->cmd != request->cmd) __builtin_trap();
  }
  newsd::admin::DecodeReply(line).has_value();
  return 0;
}
