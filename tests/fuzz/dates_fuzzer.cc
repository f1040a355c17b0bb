// Fuzzes the feed date parser (RFC 822 and W3CDTF variants): never crashes, and every date it
// accepts is a time it can format.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/time.h"
#include "parse/dates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  if (auto t = newsd::parse::ParseFeedDate(s)) newsd::FormatIso8601(*t);
  newsd::parse::ParseRfc822Date(s);
  newsd::parse::ParseW3cDate(s);
  return 0;
}
