#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "fetchers/asio.h"

namespace newsd::daemon {

/// A minimal HTTP/1.x server for Prometheus scrapes on a loopback address, on the daemon's
/// io_context: `GET /metrics` answers 200 with `render()` (text format 0.0.4); other paths 404,
/// other methods 405, a request head over 8 KiB or not sent within 10 s is dropped. One
/// request per connection (Connection: close). Not thread-safe: runs on one io_context.
class MetricsServer {
 public:
  using Render = std::function<std::string()>;

  MetricsServer(asio::io_context& io, Render render);
  ~MetricsServer();

  /// Listens on `address` ("127.0.0.1:PORT", "[::1]:PORT", "localhost:PORT"; port 0 picks a
  /// free one). IOError naming the address when it cannot.
  Status Start(const std::string& address);
  void Stop();
  /// The address listened on, with the real port ("127.0.0.1:40123").
  std::string address() const;

 private:
  void Accept();

  asio::io_context& io_;
  Render render_;
  asio::ip::tcp::acceptor acceptor_;
};

}  // namespace newsd::daemon
