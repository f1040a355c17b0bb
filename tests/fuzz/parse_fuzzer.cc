// Fuzzes the feed parser: any bytes, with and without HTTP metadata, must parse or be refused
// with a Status, within the limits, without a crash, leak or sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parse/json.h"
#include "parse/parser.h"
#include "parse/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  newsd::parse::Options options;
  options.max_items = 200;
  options.max_field_bytes = 64 * 1024;
  // The first byte picks the transport metadata, so the charset paths get exercised too.
  static const char* const kTypes[] = {"", "application/rss+xml", "text/xml; charset=koi8-r",
                                       "application/atom+xml; charset=windows-1251",
                                       "text/html; charset=utf-16"};
  const char* type = size > 0 ? kTypes[data[0] % 5] : "";
  newsd::parse::Input input{body, type, "http://example.com/feed/", ""};
  auto feed = newsd::parse::Parse(input, options);
  if (feed) {
    std::string json = newsd::parse::ToSuiteJson(*feed);
    for (const auto& entry : feed->entries) {
      if (entry.summary) newsd::parse::HtmlToText(*entry.summary);
    }
    (void)json;
  }
  return 0;
}
