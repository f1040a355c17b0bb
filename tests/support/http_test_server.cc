#include "tests/support/http_test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace newsd::testing {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "HttpTestServer: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 410:
      return "Gone";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

// Parses a request head ("GET / HTTP/1.1\r\nName: v\r\n..."; without the final blank line).
bool ParseHead(std::string_view head, HttpRequest* req) {
  size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  const size_t sp1 = line.find(' ');
  const size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  req->method = line.substr(0, sp1);
  req->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  req->version = line.substr(sp2 + 1);
  req->path = req->target.substr(0, req->target.find('?'));
  while (eol != std::string_view::npos) {
    const size_t start = eol + 2;
    eol = head.find("\r\n", start);
    line = head.substr(start, eol == std::string_view::npos ? std::string_view::npos : eol - start);
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    req->headers.emplace_back(std::string(line.substr(0, colon)),
                              std::string(Trim(line.substr(colon + 1))));
  }
  return true;
}

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xffffffffu;
  for (unsigned char ch : data) crc = kTable[(crc ^ ch) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

}  // namespace

std::optional<std::string> HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return std::nullopt;
}

struct HttpTestServer::Connection {
  int fd = -1;
  std::thread thread;
};

HttpTestServer::HttpTestServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) Die("socket");
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Die("bind");
  if (::listen(listen_fd_, 512) != 0) Die("listen");
  socklen_t len = sizeof addr;
  if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Die("getsockname");
  }
  port_ = ntohs(addr.sin_port);
  if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) Die("pipe2");
  fallback_ = [](const HttpRequest&) {
    HttpResponse r;
    r.status = 404;
    r.headers = {{"Content-Type", "text/plain"}};
    r.body = "not found";
    return r;
  };
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

HttpTestServer::~HttpTestServer() { Stop(); }

void HttpTestServer::Stop() {
  std::vector<std::unique_ptr<Connection>> connections;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& c : connections_) ::shutdown(c->fd, SHUT_RDWR);
  }
  cv_.notify_all();
  const char byte = 0;
  if (::write(wake_pipe_[1], &byte, 1) < 0) {
    // The acceptor also polls with a timeout; nothing else to do.
  }
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard lock(mu_);
    connections = std::move(connections_);
    connections_.clear();
  }
  for (auto& c : connections) {
    if (c->thread.joinable()) c->thread.join();
    ::close(c->fd);
  }
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

std::string HttpTestServer::Url(std::string_view path_and_query) const {
  return UrlWithHost("127.0.0.1", path_and_query);
}

std::string HttpTestServer::UrlWithHost(std::string_view host,
                                        std::string_view path_and_query) const {
  return "http://" + std::string(host) + ":" + std::to_string(port_) + std::string(path_and_query);
}

void HttpTestServer::Handle(std::string path, HttpHandler handler) {
  std::lock_guard lock(mu_);
  handlers_[std::move(path)] = std::move(handler);
}

void HttpTestServer::HandleStatic(std::string path, HttpResponse response) {
  Handle(std::move(path),
         [response = std::move(response)](const HttpRequest&) { return response; });
}

void HttpTestServer::SetFallback(HttpHandler handler) {
  std::lock_guard lock(mu_);
  fallback_ = std::move(handler);
}

std::vector<HttpRequest> HttpTestServer::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<HttpRequest> HttpTestServer::RequestsFor(std::string_view path) const {
  std::lock_guard lock(mu_);
  std::vector<HttpRequest> out;
  for (const auto& r : requests_) {
    if (r.path == path) out.push_back(r);
  }
  return out;
}

size_t HttpTestServer::RequestCount() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

void HttpTestServer::ClearRequests() {
  std::lock_guard lock(mu_);
  requests_.clear();
}

size_t HttpTestServer::ConnectionCount() const {
  std::lock_guard lock(mu_);
  return connections_.size();
}

bool HttpTestServer::WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

HttpHandler HttpTestServer::FindHandler(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = handlers_.find(path);
  return it != handlers_.end() ? it->second : fallback_;
}

bool HttpTestServer::SleepFor(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [this] { return stopping_; });
}

void HttpTestServer::AcceptLoop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    const int n = ::poll(fds, 2, 200);
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    if (n <= 0 || !(fds[0].revents & POLLIN)) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard lock(mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    auto conn = std::make_unique<Connection>();
    conn->fd = fd;
    Connection* raw = conn.get();
    connections_.push_back(std::move(conn));
    raw->thread = std::thread([this, raw] {
      Serve(raw);
      ::shutdown(raw->fd, SHUT_RDWR);  // the peer sees EOF now; the fd is closed in Stop()
    });
  }
}

void HttpTestServer::Serve(Connection* conn) {
  const int fd = conn->fd;
  std::string buffer;
  std::array<char, 16384> chunk{};
  for (;;) {
    // Read one request head (and a Content-Length body, if any).
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
      if (n <= 0) return;
      buffer.append(chunk.data(), static_cast<size_t>(n));
    }
    HttpRequest req;
    if (!ParseHead(std::string_view(buffer).substr(0, head_end), &req)) {
      SendAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    buffer.erase(0, head_end + 4);
    size_t body_len = 0;
    if (auto cl = req.Header("Content-Length")) body_len = std::strtoull(cl->c_str(), nullptr, 10);
    while (buffer.size() < body_len) {
      const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
      if (n <= 0) return;
      buffer.append(chunk.data(), static_cast<size_t>(n));
    }
    req.body = buffer.substr(0, body_len);
    buffer.erase(0, body_len);
    req.time = std::chrono::steady_clock::now();
    req.wall_time = std::chrono::system_clock::now();

    HttpHandler handler = FindHandler(req.path);
    {
      std::lock_guard lock(mu_);
      requests_.push_back(req);
    }
    cv_.notify_all();
    const HttpResponse response = handler(req);
    if (response.delay.count() > 0 && !SleepFor(response.delay)) return;
    if (response.drop) return;
    if (!SendResponse(fd, req, response)) return;
    const auto connection = req.Header("Connection");
    if (response.close || response.endless || (connection && IEquals(*connection, "close"))) {
      ::shutdown(fd, SHUT_WR);
      return;
    }
  }
}

bool HttpTestServer::SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool HttpTestServer::SendResponse(int fd, const HttpRequest& request,
                                  const HttpResponse& response) {
  const int status = response.status;
  const bool no_body = request.method == "HEAD" || status < 200 || status == 204 || status == 304;
  const bool chunked = !no_body && (response.chunked || response.endless);
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) + "\r\n";
  bool has_length = false;
  for (const auto& [name, value] : response.headers) {
    head.append(name).append(": ").append(value).append("\r\n");
    if (IEquals(name, "Content-Length")) has_length = true;
  }
  if (chunked) {
    head += "Transfer-Encoding: chunked\r\n";
  } else if (!has_length && !(status < 200 || status == 204 || status == 304)) {
    head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  if (response.close || response.endless) head += "Connection: close\r\n";
  head += "\r\n";
  if (!SendAll(fd, head)) return false;
  if (no_body) return true;

  auto send_piece = [&](std::string_view piece) {
    if (piece.empty()) return true;
    if (!chunked) return SendAll(fd, piece);
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece.size());
    return SendAll(fd, size_line) && SendAll(fd, piece) && SendAll(fd, "\r\n");
  };

  if (response.endless) {
    const std::string unit = response.body.empty() ? std::string(4096, 'x') : response.body;
    for (;;) {
      if (!send_piece(unit)) return false;
      if (response.piece_delay.count() > 0 && !SleepFor(response.piece_delay)) return false;
      std::lock_guard lock(mu_);
      if (stopping_) return false;
    }
  }

  std::string_view body = response.body;
  const size_t piece = response.piece_bytes > 0 ? response.piece_bytes : body.size();
  while (!body.empty()) {
    const size_t n = std::min(piece, body.size());
    if (!send_piece(body.substr(0, n))) return false;
    body.remove_prefix(n);
    if (!body.empty() && response.piece_delay.count() > 0 && !SleepFor(response.piece_delay)) {
      return false;
    }
  }
  return chunked ? SendAll(fd, "0\r\n\r\n") : true;
}

HttpResponse MakeResponse(int status, std::string body,
                          std::vector<std::pair<std::string, std::string>> headers) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

std::string GzipStored(std::string_view data) {
  const std::string_view all = data;
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);  // magic, deflate, no flags
  do {
    const size_t n = std::min<size_t>(data.size(), 65535);
    const bool last = n == data.size();
    out.push_back(last ? 1 : 0);  // BFINAL, BTYPE=00 (stored)
    out.push_back(static_cast<char>(n & 0xff));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(~n & 0xff));
    out.push_back(static_cast<char>((~n >> 8) & 0xff));
    out.append(data.substr(0, n));
    data.remove_prefix(n);
    if (last) break;
  } while (true);
  PutU32(&out, Crc32(all));
  PutU32(&out, static_cast<uint32_t>(all.size()));
  return out;
}

}  // namespace newsd::testing
