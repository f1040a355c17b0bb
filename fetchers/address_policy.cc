#include "fetchers/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstring>

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

}  // namespace newsd::fetchers::internal
