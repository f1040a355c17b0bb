#include "daemon/metrics_server.h"

#include <memory>

namespace newsd::daemon {

namespace {

using asio::ip::tcp;

constexpr size_t kMaxHead = 8192;
constexpr auto kReadTimeout = std::chrono::seconds(10);

std::string Response(const char* status, const std::string& type, const std::string& body) {
  return std::string("HTTP/1.1 ") + status + "\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         body;
}

/// One scrape: read the request head, answer, close.
class Scrape : public std::enable_shared_from_this<Scrape> {
 public:
  Scrape(tcp::socket socket, const MetricsServer::Render& render)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        render_(render),
        head_(kMaxHead) {}

  void Start() {
    timer_.expires_after(kReadTimeout);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->socket_.close();
    });
    asio::async_read_until(
        socket_, head_, "\r\n\r\n",
        [self = shared_from_this()](boost::system::error_code ec, size_t) { self->OnHead(ec); });
  }

 private:
  void OnHead(boost::system::error_code ec) {
    timer_.cancel();
    if (ec) return;  // closed, timed out, or a head over kMaxHead: drop the connection
    std::istream in(&head_);
    std::string method, target;
    in >> method >> target;
    if (method != "GET" && method != "HEAD") {
      out_ = Response("405 Method Not Allowed", "text/plain", "GET /metrics\n");
    } else if (target != "/metrics" && target.rfind("/metrics?", 0) != 0) {
      out_ = Response("404 Not Found", "text/plain", "metrics are at /metrics\n");
    } else {
      out_ = Response("200 OK", "text/plain; version=0.0.4; charset=utf-8", render_());
      if (method == "HEAD") out_.resize(out_.find("\r\n\r\n") + 4);
    }
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this()](boost::system::error_code, size_t) {
                        boost::system::error_code ignored;
                        self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
                      });
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  MetricsServer::Render render_;
  asio::streambuf head_;
  std::string out_;
};

}  // namespace

MetricsServer::MetricsServer(asio::io_context& io, Render render)
    : io_(io), render_(std::move(render)), acceptor_(io) {}

MetricsServer::~MetricsServer() { Stop(); }

Status MetricsServer::Start(const std::string& address) {
  const size_t colon = address.rfind(':');
  std::string host = address.substr(0, colon);
  if (host == "localhost") host = "127.0.0.1";
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(host, ec);
  const auto port = static_cast<unsigned short>(std::stoul(address.substr(colon + 1)));
  if (!ec && !ip.is_loopback()) ec = asio::error::access_denied;
  const tcp::endpoint endpoint(ip, port);
  if (!ec) acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IOError("cannot serve metrics on " + address + ": " + ec.message() +
                           " -- pick another port in [daemon] metrics");
  }
  Accept();
  return Status::Ok();
}

void MetricsServer::Stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

std::string MetricsServer::address() const {
  boost::system::error_code ec;
  const tcp::endpoint e = acceptor_.local_endpoint(ec);
  if (ec) return "";
  const std::string host =
      e.address().is_v6() ? "[" + e.address().to_string() + "]" : e.address().to_string();
  return host + ":" + std::to_string(e.port());
}

void MetricsServer::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) std::make_shared<Scrape>(std::move(socket), render_)->Start();
    Accept();
  });
}

}  // namespace newsd::daemon
