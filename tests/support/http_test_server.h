#pragma once

// A small HTTP/1.1 server on 127.0.0.1 for tests: ephemeral port, one thread per connection,
// per-path handlers, and a log of every request received.
//
//   newsd::testing::HttpTestServer server;            // listening once constructed
//   server.Handle("/feed.xml", [](const HttpRequest& req) {
//     if (req.Header("If-None-Match") == "\"v1\"") return MakeResponse(304);
//     return MakeResponse(200, "<rss/>", {{"ETag", "\"v1\""}});
//   });
//   client.Fetch({.url = server.Url("/feed.xml")}, ...);
//   EXPECT_EQ(server.RequestsFor("/feed.xml").size(), 1u);
//
// Thread-safety: every public method may be called from any thread. Handlers run on the
// server's connection threads, possibly several at once.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace newsd::testing {

/// One request as received (header names as sent; Header() looks them up case-insensitively).
struct HttpRequest {
  std::string method;
  std::string target;  ///< As on the request line: path plus "?query".
  std::string path;    ///< target without the query.
  std::string version;
  std::vector<std::pair<std::string, std::string>> headers;  ///< Values trimmed of spaces.
  std::string body;
  std::chrono::steady_clock::time_point time;  ///< When the request head was complete.
  std::chrono::system_clock::time_point wall_time;

  /// Value of the first header named `name` (any case), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
};

/// What a handler answers. Defaults: 200, no extra headers, empty body, sent at once.
struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  ///< Sent verbatim, in order.
  std::string body;
  /// Wait this long before sending anything.
  std::chrono::milliseconds delay{0};
  /// Send the body with Transfer-Encoding: chunked (else Content-Length is added unless the
  /// handler set one itself; no body and no length for 1xx/204/304 or HEAD).
  bool chunked = false;
  /// Slow body: send it `piece_bytes` at a time with `piece_delay` between pieces (0 = at once).
  size_t piece_bytes = 0;
  std::chrono::milliseconds piece_delay{0};
  /// Endless chunked body: repeats `body` (or 4 KiB of 'x' if empty) until the client goes
  /// away or the server stops; piece_delay applies between repetitions.
  bool endless = false;
  /// Close the connection after this response (else keep-alive, unless the client asked).
  bool close = false;
  /// Close the connection without sending anything (after `delay`).
  bool drop = false;
};

/// A response with a status, a body and headers (designated initializers of HttpResponse trip
/// -Wmissing-field-initializers under -Wextra; set the other fields afterwards).
HttpResponse MakeResponse(int status, std::string body = "",
                          std::vector<std::pair<std::string, std::string>> headers = {});

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpTestServer {
 public:
  /// Binds 127.0.0.1 on an ephemeral port and starts accepting. Aborts the test binary (with a
  /// message) if the socket cannot be set up.
  HttpTestServer();
  /// Stop()s.
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  /// Closes the listener and every connection, wakes delayed/slow/endless responses, joins all
  /// threads. Idempotent.
  void Stop();

  uint16_t port() const { return port_; }
  /// "http://127.0.0.1:<port>" + path_and_query.
  std::string Url(std::string_view path_and_query) const;
  /// Same with another host name (e.g. one that resolves to 127.0.0.1 via /etc/hosts).
  std::string UrlWithHost(std::string_view host, std::string_view path_and_query) const;

  /// Serves `path` (exact match, query ignored) with `handler`; replaces an earlier one.
  void Handle(std::string path, HttpHandler handler);
  /// Serves a fixed response on `path`.
  void HandleStatic(std::string path, HttpResponse response);
  /// Used for paths without a handler. Default: 404 "not found".
  void SetFallback(HttpHandler handler);

  /// Every request so far, in arrival order.
  std::vector<HttpRequest> Requests() const;
  /// The requests for one path, in arrival order.
  std::vector<HttpRequest> RequestsFor(std::string_view path) const;
  size_t RequestCount() const;
  void ClearRequests();
  /// Connections accepted so far.
  size_t ConnectionCount() const;

  /// Waits until at least `n` requests arrived, or `timeout` passed; true if they did.
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const;

 private:
  struct Connection;
  void AcceptLoop();
  void Serve(Connection* conn);
  bool SendResponse(int fd, const HttpRequest& request, const HttpResponse& response);
  bool SendAll(int fd, std::string_view data);
  /// Sleeps up to `d`; false if the server is stopping.
  bool SleepFor(std::chrono::milliseconds d);
  HttpHandler FindHandler(const std::string& path) const;

  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::thread acceptor_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // requests arrived, or stopping
  bool stopping_ = false;
  std::map<std::string, HttpHandler, std::less<>> handlers_;
  HttpHandler fallback_;
  std::vector<HttpRequest> requests_;
  std::vector<std::unique_ptr<Connection>> connections_;
};

/// `data` wrapped as a gzip member using stored (uncompressed) deflate blocks: a valid
/// Content-Encoding: gzip body without needing zlib in tests.
std::string GzipStored(std::string_view data);

}  // namespace newsd::testing
