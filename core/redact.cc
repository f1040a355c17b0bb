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
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string_view UserInfo(std::string_view url) {
  const size_t scheme = url.find(kSchemeEnd);
  if (scheme == std::string_view::npos) return {};
  const size_t start = scheme + kSchemeEnd.size();
  size_t end = start;
  while (end < url.size() && !EndsAuthority(url[end])) ++end;
  const size_t last_at = url.substr(start, end - start).rfind('@');
  return last_at == std::string_view::npos ? std::string_view() : url.substr(start, last_at);
}

std::string WithoutUserInfo(std::string_view url) {
  const std::string_view info = UserInfo(url);
  if (info.empty() && url.find("://@") == std::string_view::npos) return std::string(url);
  const size_t start = url.find(kSchemeEnd) + kSchemeEnd.size();
  return std::string(url.substr(0, start)) + std::string(url.substr(start + info.size() + 1));
}

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
        colon + 1 < last_at && start + colon + 1 >= done) {
      out.append(text.substr(done, start + colon + 1 - done));
      out.append(kMask);
      done = start + last_at;
    }
    at = start;  // a URL may start inside this one's authority ("a:b@h1,https://c:d@h2")
  }
  if (done == 0) return std::string(text);
  out.append(text.substr(done));
  return out;
}

}  // namespace newsd
