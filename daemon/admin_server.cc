#include "daemon/admin_server.h"

#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace newsd::daemon {

namespace {

using asio::local::stream_protocol;

/// One client connection: read a line, answer it, repeat; dropped when idle too long.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(stream_protocol::socket socket, AdminServer::Handler& handler, std::shared_ptr<int> count)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        handler_(handler),
        buffer_(admin::kMaxLineBytes + 1),
        count_(std::move(count)) {
    ++*count_;
  }
  ~Session() { --*count_; }

  void Read() {
    ArmIdleTimer();
    asio::async_read_until(socket_, buffer_, '\n',
                           [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                             self->DisarmIdleTimer();
                             self->OnLine(ec, n);
                           });
  }

  /// Answers `reply` and closes: for connections refused before any request.
  void Refuse(const Status& why) { Write(admin::Reply::Error(0, why), /*then_close=*/true); }

 private:
  void Close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  // Closes the connection unless the operation started now makes progress within
  // kIdleTimeout (a slow or silent client). The generation tells a stale expiry (queued in
  // the same loop turn as the operation's completion, past cancel()) from a live one.
  void ArmIdleTimer() {
    const uint64_t armed = ++generation_;
    timer_.expires_after(AdminServer::kIdleTimeout);
    timer_.async_wait([self = shared_from_this(), armed](boost::system::error_code ec) {
      if (!ec && armed == self->generation_) self->Close();
    });
  }
  void DisarmIdleTimer() {
    ++generation_;
    timer_.cancel();
  }

  void OnLine(boost::system::error_code ec, size_t n) {
    if (ec == asio::error::not_found) {  // line longer than the limit
      return Write(admin::Reply::Error(0, Status::InvalidArgument("request line too long")),
                   /*then_close=*/true);
    }
    if (ec) return;  // EOF, error or idle timeout: drop the connection.
    std::string line(asio::buffers_begin(buffer_.data()),
                     asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(n) - 1);
    buffer_.consume(n);
    auto request = admin::DecodeRequest(line);
    if (!request) {
      return Write(admin::Reply::Error(admin::RequestIdOf(line), request.error()), false);
    }
    // An argument of the wrong type ({"limit": "500"}) throws in the handler: it is the
    // request's error, never the daemon's end.
    try {
      handler_(*request, [self = shared_from_this()](const admin::Reply& reply) {
        self->Write(reply, false);
      });
    } catch (const std::exception& e) {
      Write(admin::Reply::Error(
                request->id,
                Status::InvalidArgument("bad arguments to " + request->cmd + ": " + e.what())),
            false);
    }
  }

  void Write(const admin::Reply& reply, bool then_close) {
    out_ = admin::Encode(reply) + "\n";
    written_ = 0;
    then_close_ = then_close;
    WriteSome();
  }

  // Writes the rest of out_; a client that reads none of it for kIdleTimeout is dropped, like
  // one that stops writing (a slow reader that keeps reading is not).
  void WriteSome() {
    ArmIdleTimer();
    socket_.async_write_some(asio::buffer(out_.data() + written_, out_.size() - written_),
                             [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                               self->DisarmIdleTimer();
                               if (ec) return;
                               self->written_ += n;
                               if (self->written_ < self->out_.size()) return self->WriteSome();
                               if (!self->then_close_) self->Read();
                             });
  }

  stream_protocol::socket socket_;
  asio::steady_timer timer_;
  AdminServer::Handler& handler_;
  asio::streambuf buffer_;
  std::string out_;
  size_t written_ = 0;
  bool then_close_ = false;
  uint64_t generation_ = 0;
  std::shared_ptr<int> count_;
};

/// Root, the daemon's own user, or a member of its group (primary or supplementary): what
/// the socket file's mode 0660 allows, checked again on the peer's credentials.
bool PeerAllowed(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
  if (cred.uid == 0 || cred.uid == ::geteuid() || cred.gid == ::getegid()) return true;
  const passwd* pw = ::getpwuid(cred.uid);
  if (pw == nullptr) return false;
  std::vector<gid_t> groups(64);
  int n = static_cast<int>(groups.size());
  if (::getgrouplist(pw->pw_name, cred.gid, groups.data(), &n) < 0) {
    groups.resize(static_cast<size_t>(n));
    if (::getgrouplist(pw->pw_name, cred.gid, groups.data(), &n) < 0) return false;
  }
  groups.resize(static_cast<size_t>(n));
  return std::find(groups.begin(), groups.end(), ::getegid()) != groups.end();
}

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

Status AdminServer::CheckPath(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode)) {
    return Status::InvalidArgument("[daemon] admin_socket " + path +
                                   " exists and is no socket: newsd will not delete it; point "
                                   "admin_socket at a path of its own");
  }
  return Status::Ok();
}

Status AdminServer::CheckNotInUse(asio::io_context& io, const std::string& path) {
  if (!SocketAlive(io, path)) return Status::Ok();
  return Status::Unavailable("admin socket " + path +
                             " is answering: another newsd uses it; give each newsd its own "
                             "[daemon] admin_socket");
}

Status AdminServer::Start() {
  if (Status s = CheckNotInUse(io_, path_); !s.ok()) return s;
  if (Status s = CheckPath(path_); !s.ok()) return s;
  if (struct stat st{}; ::lstat(path_.c_str(), &st) == 0) {
    spdlog::info("replacing stale admin socket {} (left by a newsd that did not stop cleanly)",
                 path_);
    ::unlink(path_.c_str());
  }
  boost::system::error_code ec;
  acceptor_.open(stream_protocol(), ec);
  // The file is born 0660: no moment at the process umask's wider mode.
  const mode_t old_umask = ::umask(0117);
  if (!ec) acceptor_.bind(stream_protocol::endpoint(path_), ec);
  ::umask(old_umask);
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
    if (!ec) {
      const bool allowed = PeerAllowed(socket.native_handle());
      auto session = std::make_shared<Session>(std::move(socket), handler_, sessions_);
      if (!allowed) {
        spdlog::warn(
            "admin connection refused: the peer is not root, the daemon's user or in "
            "its group");
        session->Refuse(Status::PermissionDenied(
            "not allowed: run newsctl as root or as a member of the daemon's group"));
      } else if (*sessions_ > kMaxSessions) {
        session->Refuse(Status::Unavailable("too many admin connections; try again"));
      } else {
        session->Read();
      }
    }
    Accept();
  });
}

}  // namespace newsd::daemon
