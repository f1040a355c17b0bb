#include "daemon/admin_server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

namespace newsd::daemon {

namespace {

using asio::local::stream_protocol;

/// One client connection: read a line, answer it, repeat.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(stream_protocol::socket socket, AdminServer::Handler& handler)
      : socket_(std::move(socket)), handler_(handler), buffer_(admin::kMaxLineBytes + 1) {}

  void Read() {
    asio::async_read_until(socket_, buffer_, '\n',
                           [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                             self->OnLine(ec, n);
                           });
  }

 private:
  void OnLine(boost::system::error_code ec, size_t n) {
    if (ec == asio::error::not_found) {  // line longer than the limit
      return Write(admin::Reply::Error(0, Status::InvalidArgument("request line too long")),
                   /*then_close=*/true);
    }
    if (ec) return;  // EOF or error: drop the connection.
    std::string line(asio::buffers_begin(buffer_.data()),
                     asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(n) - 1);
    buffer_.consume(n);
    auto request = admin::DecodeRequest(line);
    if (!request) return Write(admin::Reply::Error(0, request.error()), false);
    handler_(*request,
             [self = shared_from_this()](admin::Reply reply) { self->Write(reply, false); });
  }

  void Write(const admin::Reply& reply, bool then_close) {
    out_ = admin::Encode(reply) + "\n";
    asio::async_write(
        socket_, asio::buffer(out_),
        [self = shared_from_this(), then_close](boost::system::error_code ec, size_t) {
          if (!ec && !then_close) self->Read();
        });
  }

  stream_protocol::socket socket_;
  AdminServer::Handler& handler_;
  asio::streambuf buffer_;
  std::string out_;
};

/// True when something accepts connections at `path`.
bool SocketAlive(asio::io_context& io, const std::string& path) {
  stream_protocol::socket probe(io);
  boost::system::error_code ec;
  probe.connect(stream_protocol::endpoint(path), ec);
  return !ec;
}

}  // namespace

AdminServer::AdminServer(asio::io_context& io, std::string path, Handler handler)
    : io_(io), path_(std::move(path)), handler_(std::move(handler)), acceptor_(io) {}

AdminServer::~AdminServer() { Stop(); }

Status AdminServer::Start() {
  if (SocketAlive(io_, path_)) {
    return Status::Unavailable("admin socket " + path_ +
                               " is answering: is another newsd running on this data_dir?");
  }
  ::unlink(path_.c_str());
  boost::system::error_code ec;
  acceptor_.open(stream_protocol(), ec);
  if (!ec) acceptor_.bind(stream_protocol::endpoint(path_), ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IOError("cannot listen on admin socket " + path_ + ": " + ec.message() +
                           " (does its directory exist and is it writable?)");
  }
  ::chmod(path_.c_str(), 0660);
  started_ = true;
  Accept();
  return Status::Ok();
}

void AdminServer::Stop() {
  if (!started_) return;
  started_ = false;
  boost::system::error_code ec;
  acceptor_.close(ec);
  ::unlink(path_.c_str());
}

void AdminServer::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, stream_protocol::socket socket) {
    if (ec == asio::error::operation_aborted || !started_) return;
    if (!ec) std::make_shared<Session>(std::move(socket), handler_)->Read();
    Accept();
  });
}

}  // namespace newsd::daemon
