#include "core/ids.h"

#include <xxhash.h>

#include <cstdio>

namespace newsd {

bool IsValidFeedId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

ItemId MakeItemId(std::string_view feed, std::string_view key) {
  unsigned long long h = XXH3_64bits(key.data(), key.size());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", h);
  ItemId id(feed);
  id += ':';
  id += hex;
  return id;
}

}  // namespace newsd
