#pragma once

// Internal to fetchers/ (exposed for tests): which resolved addresses newsd may connect to.

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

namespace newsd::fetchers::internal {

/// True when `addr` is a public unicast address. False for loopback, RFC 1918 and other
/// private ranges, carrier-grade NAT, link-local, unique-local, multicast, unspecified,
/// documentation and reserved ranges (IPv4, IPv6, and IPv4 inside IPv6), and for families
/// other than AF_INET/AF_INET6. `len` is the sockaddr's length.
bool IsPublicAddress(const sockaddr* addr, socklen_t len);

/// "127.0.0.1" / "::1" style text of `addr`, or "?" when it cannot be printed.
std::string AddressText(const sockaddr* addr, socklen_t len);

/// Fills `out` with the IPv4 or IPv6 address `ip` ("192.0.2.1", "::1") and `port` (host
/// order); returns its length, or 0 when `ip` is neither.
socklen_t AddressFromText(const char* ip, uint16_t port, sockaddr_storage* out);

/// False when the host of `url` names a non-public address by itself: an IP literal (in any
/// form libcurl's URL parser accepts) outside the public ranges, "localhost" and names under
/// ".localhost", or a host with a character IDNA would map to ASCII ("①②⑦.0.0.1"). True for every
/// other name (its addresses are checked when a socket opens), for URLs without a host (file://)
/// and for URLs libcurl cannot parse (curl reports those). Checked before a request and before each
/// redirect hop, because through a proxy newsd never sees the target's address.
bool HasPublicHost(const std::string& url);

/// One address and port a socket may connect to.
struct Endpoint {
  sockaddr_storage addr{};
  socklen_t len = 0;
};

/// The addresses of the proxies curl may use: `configured` ([fetch] proxy) or, when it is empty,
/// the environment's http_proxy, https_proxy/HTTPS_PROXY and all_proxy/ALL_PROXY, each resolved
/// once, now (port: the one given, else libcurl's default, 1080, or 443 for an https proxy). A
/// proxy the operator named is trusted whatever its address, so sockets to these endpoints skip
/// the private-address check. A name that does not resolve is left out (connecting to it then
/// fails in curl as it would anyway).
std::vector<Endpoint> ResolveProxyEndpoints(const std::string& configured);

/// True when `addr` (address and port) is one of `endpoints`.
bool IsEndpoint(const sockaddr* addr, socklen_t len, const std::vector<Endpoint>& endpoints);

}  // namespace newsd::fetchers::internal
