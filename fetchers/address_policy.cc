#include "fetchers/address_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "fetchers/curl_lib.h"

namespace newsd::fetchers::internal {
namespace {

struct Range4 {
  uint32_t base;
  int bits;
};

// IANA special-purpose IPv4 ranges that are not globally reachable (RFC 6890 and updates).
constexpr std::array<Range4, 15> kNonPublic4 = {{
    {0x00000000, 8},   // 0.0.0.0/8 "this network"
    {0x0A000000, 8},   // 10.0.0.0/8 private
    {0x64400000, 10},  // 100.64.0.0/10 carrier-grade NAT
    {0x7F000000, 8},   // 127.0.0.0/8 loopback
    {0xA9FE0000, 16},  // 169.254.0.0/16 link-local (cloud metadata services live here)
    {0xAC100000, 12},  // 172.16.0.0/12 private
    {0xC0000000, 24},  // 192.0.0.0/24 protocol assignments
    {0xC0000200, 24},  // 192.0.2.0/24 documentation
    {0xC0A80000, 16},  // 192.168.0.0/16 private
    {0xC6120000, 15},  // 198.18.0.0/15 benchmarking
    {0xC6336400, 24},  // 198.51.100.0/24 documentation
    {0xCB007100, 24},  // 203.0.113.0/24 documentation
    {0xE0000000, 4},   // 224.0.0.0/4 multicast
    {0xF0000000, 4},   // 240.0.0.0/4 reserved, broadcast
    {0xC0586300, 24},  // 192.88.99.0/24 deprecated 6to4 relay anycast
}};

bool IsPublic4(uint32_t host_order) {
  for (const Range4& r : kNonPublic4) {
    const uint32_t mask = r.bits == 0 ? 0 : ~uint32_t{0} << (32 - r.bits);
    if ((host_order & mask) == r.base) return false;
  }
  return true;
}

uint32_t V4At(const uint8_t* b) {
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

bool IsPublic6(const uint8_t* a) {
  static constexpr uint8_t kZero[10] = {};
  const bool first80_zero = std::memcmp(a, kZero, 10) == 0;
  if (first80_zero && a[10] == 0xff && a[11] == 0xff) return IsPublic4(V4At(a + 12));  // mapped
  if (first80_zero && a[10] == 0 && a[11] == 0) return false;          // ::, ::1, IPv4-compatible
  if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b) {  // 64:ff9b::/96 NAT64
    return IsPublic4(V4At(a + 12));
  }
  if ((a[0] & 0xfe) == 0xfc) return false;                  // fc00::/7 unique local
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return false;  // fe80::/10 link-local
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return false;  // fec0::/10 site-local (old)
  if (a[0] == 0xff) return false;                           // ff00::/8 multicast
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return false;  // doc
  if (a[0] == 0x20 && a[1] == 0x02) return IsPublic4(V4At(a + 2));  // 6to4 embeds IPv4
  return (a[0] & 0xe0) == 0x20;  // only 2000::/3 is global unicast
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    const char c = s[s.size() - suffix.size() + i];
    if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != suffix[i]) return false;
  }
  return true;
}

struct UrlFree {
  void operator()(CURLU* u) const { Curl().url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlFree>;

// A part of `u`, or "" when it is absent.
std::string UrlPart(CURLU* u, CURLUPart part) {
  char* text = nullptr;
  std::string out;
  if (Curl().url_get(u, part, &text, 0) == CURLUE_OK && text != nullptr) out = text;
  Curl().free(text);
  return out;
}

// Resolves `proxy` ("host:port", "http://host:port", "socks5h://user@host") into `out`.
void AddProxyEndpoints(const std::string& proxy, std::vector<Endpoint>* out) {
  UrlHandle u(Curl().url());
  if (proxy.empty() || u == nullptr ||
      Curl().url_set(u.get(), CURLUPART_URL, proxy.c_str(),
                     CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return;
  }
  std::string host = UrlPart(u.get(), CURLUPART_HOST);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  std::string port = UrlPart(u.get(), CURLUPART_PORT);
  if (port.empty()) port = UrlPart(u.get(), CURLUPART_SCHEME) == "https" ? "443" : "1080";
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_addrlen > sizeof(sockaddr_storage)) continue;
    Endpoint e;
    std::memcpy(&e.addr, a->ai_addr, a->ai_addrlen);
    e.len = a->ai_addrlen;
    out->push_back(e);
  }
  freeaddrinfo(found);
}

// True when `s` (UTF-8) holds a character that IDNA maps to another: fullwidth and
// halfwidth forms, enclosed and circled alphanumerics, super- and subscripts, Roman numerals,
// letterlike symbols, mathematical alphanumerics, and the ideographic full stop.
bool HasCompatibilityForm(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + len > s.size()) return true;  // truncated: not a name curl would send as it is
    char32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    if (cp < 0x80) continue;
    if ((cp >= 0x00B2 && cp <= 0x00B9) || (cp >= 0x2070 && cp <= 0x209F) ||
        (cp >= 0x2100 && cp <= 0x218F) || (cp >= 0x2460 && cp <= 0x24FF) ||
        (cp >= 0x2776 && cp <= 0x2793) || cp == 0x3002 || (cp >= 0xFF00 && cp <= 0xFFEF) ||
        (cp >= 0x1D400 && cp <= 0x1D7FF) || (cp >= 0x1F100 && cp <= 0x1F1FF)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsPublicAddress(const sockaddr* addr, socklen_t len) {
  if (addr == nullptr) return false;
  if (addr->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in{};
    std::memcpy(&in, addr, sizeof in);
    return IsPublic4(ntohl(in.sin_addr.s_addr));
  }
  if (addr->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, addr, sizeof in6);
    return IsPublic6(in6.sin6_addr.s6_addr);
  }
  return false;
}

std::string AddressText(const sockaddr* addr, socklen_t len) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (addr != nullptr && addr->sa_family == AF_INET &&
      len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in{};
    std::memcpy(&in, addr, sizeof in);
    inet_ntop(AF_INET, &in.sin_addr, buf, sizeof buf);
  } else if (addr != nullptr && addr->sa_family == AF_INET6 &&
             len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, addr, sizeof in6);
    inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof buf);
  }
  return buf;
}

socklen_t AddressFromText(const char* ip, uint16_t port, sockaddr_storage* out) {
  *out = sockaddr_storage{};
  auto* in = reinterpret_cast<sockaddr_in*>(out);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(out);
  if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    return sizeof(sockaddr_in);
  }
  if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    return sizeof(sockaddr_in6);
  }
  return 0;
}

bool HasPublicHost(const std::string& url) {
  UrlHandle u(Curl().url());
  if (u == nullptr || Curl().url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return true;
  }
  std::string host = UrlPart(u.get(), CURLUPART_HOST);  // IPv4 in any form comes normalised
  if (host.empty()) return true;
  // IDNA (UTS #46) maps compatibility forms to ASCII before curl resolves a name or hands it
  // to a proxy: "①②⑦.0.0.1" goes out as 127.0.0.1, "ｌｏｃａｌｈｏｓｔ" as localhost.
  // Registered names never hold such forms (IDNA2008 disallows them), so a host with one is
  // refused rather than mapped here.
  if (HasCompatibilityForm(host)) return false;
  if (host.front() == '[') {
    host = host.substr(1, host.find_first_of("%]") - 1);  // no brackets, no zone id
  }
  if (host.back() == '.') host.pop_back();  // "localhost." is localhost
  if (EndsWithIgnoreCase(host, "localhost") &&
      (host.size() == 9 || host[host.size() - 10] == '.')) {
    return false;
  }
  sockaddr_storage ss{};
  const socklen_t len = AddressFromText(host.c_str(), 0, &ss);
  return len == 0 || IsPublicAddress(reinterpret_cast<const sockaddr*>(&ss), len);
}

std::vector<Endpoint> ResolveProxyEndpoints(const std::string& configured) {
  std::vector<Endpoint> out;
  if (!configured.empty()) {
    AddProxyEndpoints(configured, &out);
    return out;
  }
  // The variables libcurl reads (not HTTP_PROXY: a CGI request header's name).
  for (const char* name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    if (const char* value = std::getenv(name); value != nullptr) AddProxyEndpoints(value, &out);
  }
  return out;
}

bool IsEndpoint(const sockaddr* addr, socklen_t len, const std::vector<Endpoint>& endpoints) {
  if (addr == nullptr) return false;
  for (const Endpoint& e : endpoints) {
    if (e.addr.ss_family != addr->sa_family) continue;
    if (addr->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
      sockaddr_in a{};
      sockaddr_in b{};
      std::memcpy(&a, addr, sizeof a);
      std::memcpy(&b, &e.addr, sizeof b);
      if (a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr) return true;
    } else if (addr->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
      sockaddr_in6 a{};
      sockaddr_in6 b{};
      std::memcpy(&a, addr, sizeof a);
      std::memcpy(&b, &e.addr, sizeof b);
      if (a.sin6_port == b.sin6_port &&
          std::memcmp(&a.sin6_addr, &b.sin6_addr, sizeof a.sin6_addr) == 0) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace newsd::fetchers::internal
