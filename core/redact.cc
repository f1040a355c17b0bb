#include "core/redact.h"

namespace newsd {
namespace {

constexpr std::string_view kSchemeEnd = "://";
constexpr std::string_view kMask = "***";

bool EndsAuthority(char c) {
  switch (c) {
    case '/':
    case '?':
    case '#':
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '"':
    case '\'':
    case '<':
    case '>':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string RedactPasswords(std::string_view text) {
  std::string out;
  size_t done = 0;  // text[0, done) is in `out` already
  for (size_t at = text.find(kSchemeEnd); at != std::string_view::npos;
       at = text.find(kSchemeEnd, at)) {
    const size_t start = at + kSchemeEnd.size();
    size_t end = start;
    while (end < text.size() && !EndsAuthority(text[end])) ++end;
    const std::string_view authority = text.substr(start, end - start);
    const size_t last_at = authority.rfind('@');
    const size_t colon =
        authority.substr(0, last_at == std::string_view::npos ? 0 : last_at).find(':');
    if (last_at != std::string_view::npos && colon != std::string_view::npos &&
        colon + 1 < last_at) {
      out.append(text.substr(done, start + colon + 1 - done));
      out.append(kMask);
      done = start + last_at;
    }
    at = end;
  }
  if (done == 0) return std::string(text);
  out.append(text.substr(done));
  return out;
}

}  // namespace newsd
