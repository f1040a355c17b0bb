#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "admin/protocol.h"
#include "core/status.h"
#include "fetchers/asio.h"

namespace newsd::daemon {

/// Serves the admin protocol (admin/protocol.h) on a Unix stream socket, on the daemon's
/// io_context: each connection sends request lines and gets one reply line per request, in
/// order (the next request is read once the reply is written).
/// Malformed, oversized or unknown requests get an error reply; an oversized line also closes
/// the connection. The socket file is created mode 0660 (owner and service group) with no
/// window at other permissions; a peer that got through anyway (SO_PEERCRED) but is neither
/// root, the daemon's user nor a member of its group is refused. A client that sends no
/// complete request, or reads no byte of its reply, for kIdleTimeout is dropped; a handler that
/// throws (an argument of the wrong type) answers an error. At most kMaxSessions connections are
/// served at once (one more is answered "too many admin connections" and closed).
/// Not thread-safe: runs on one io_context.
class AdminServer {
 public:
  /// Sends the reply to a request; call it once, on the io_context, now or later (a command
  /// that waits for a commit answers when it is written). Dropping it unanswered closes the
  /// connection.
  using Respond = std::function<void(admin::Reply)>;
  using Handler = std::function<void(const admin::Request&, Respond)>;

  static constexpr std::chrono::seconds kIdleTimeout{60};
  static constexpr int kMaxSessions = 64;

  AdminServer(asio::io_context& io, std::string path, Handler handler);
  ~AdminServer();

  /// Binds and starts accepting. A stale socket file from a crashed run is replaced (and
  /// logged); a live one (another daemon answering) is refused with Unavailable, and a path
  /// that exists but is no socket with InvalidArgument (CheckPath).
  Status Start();
  /// InvalidArgument when `path` exists and is no socket: Start would refuse to replace it.
  static Status CheckPath(const std::string& path);
  /// Unavailable when something answers at `path` (another newsd): Start would refuse it.
  static Status CheckNotInUse(asio::io_context& io, const std::string& path);
  /// Stops accepting and removes the socket file. Open connections live until the loop stops
  /// (a reply still being written when newsd exits is cut short).
  void Stop();

 private:
  void Accept();

  asio::io_context& io_;
  std::string path_;
  Handler handler_;
  asio::local::stream_protocol::acceptor acceptor_;
  bool started_ = false;
  /// Connections open now; shared with the sessions, which may outlive the server.
  std::shared_ptr<int> sessions_ = std::make_shared<int>(0);
};

}  // namespace newsd::daemon
