#pragma once

#include <cstddef>
#include <string>

namespace newsd::fetchers {

/// Limits and identity of the HTTP client. Plain struct: config/ fills it.
struct Options {
  /// Sent as User-Agent. Default: "newsd/<version> (+https://github.com/newsd/newsd)".
  std::string user_agent;
  /// Connect timeout in milliseconds. Default: 10000.
  long connect_timeout_ms = 10'000;
  /// Whole-transfer timeout in milliseconds. Default: 30000.
  long total_timeout_ms = 30'000;
  /// Abort when slower than low_speed_bytes per second for low_speed_seconds ([fetch]
  /// stall_timeout; 0: never). Default: 64 B/s, 20 s.
  long low_speed_bytes = 64;
  long low_speed_seconds = 20;
  /// Largest body accepted, after decompression, in bytes. Default: 16 MiB.
  size_t max_body_bytes = 16u << 20;
  /// Redirects followed per request. Default: 5.
  long max_redirects = 5;
  /// Simultaneous transfers in the multi handle. Default: 64.
  long max_total_connections = 64;
  /// Connect to private, loopback, link-local and other non-public addresses too. The check
  /// runs on the resolved address of every connection (redirects included), so DNS cannot
  /// sneak one in. Default: false (refused with PermissionDenied).
  bool allow_private = false;
  /// Proxy for every request ("http://host:port", "socks5h://host:port"); empty = libcurl's
  /// environment variables (http_proxy, https_proxy, no_proxy). Default: "".
  std::string proxy;

  friend bool operator==(const Options&, const Options&) = default;
};

}  // namespace newsd::fetchers
