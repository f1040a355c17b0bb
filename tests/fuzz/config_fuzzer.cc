// Fuzzes the config loader: any text is accepted or refused with a message, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cfg = newsd::config::LoadString(text, "fuzz.toml");
  if (!cfg && cfg.error().message().empty()) __builtin_trap();  // errors must say why
  return 0;
}
