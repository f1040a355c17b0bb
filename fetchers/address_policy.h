#pragma once

// Internal to fetchers/ (exposed for tests): which resolved addresses newsd may connect to.

#include <sys/socket.h>

#include <string>

namespace newsd::fetchers::internal {

/// True when `addr` is a public unicast address. False for loopback, RFC 1918 and other
/// private ranges, carrier-grade NAT, link-local, unique-local, multicast, unspecified,
/// documentation and reserved ranges (IPv4, IPv6, and IPv4 inside IPv6), and for families
/// other than AF_INET/AF_INET6. `len` is the sockaddr's length.
bool IsPublicAddress(const sockaddr* addr, socklen_t len);

/// "127.0.0.1" / "::1" style text of `addr`, or "?" when it cannot be printed.
std::string AddressText(const sockaddr* addr, socklen_t len);

}  // namespace newsd::fetchers::internal
