#include "newsctl/backend.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "admin/protocol.h"
#include "admin/queries.h"
#include "storage/archive.h"

namespace newsd::newsctl {

namespace {

using nlohmann::json;

/// Blocking client: one request line, one reply line.
class SocketBackend final : public Backend {
 public:
  SocketBackend(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~SocketBackend() override { ::close(fd_); }

  Result<json> Call(const std::string& cmd, const json& args) override {
    admin::Request request;
    request.id = ++next_id_;
    request.cmd = cmd;
    request.args = args.is_object() ? args : json::object();
    std::string line = admin::Encode(request) + "\n";
    if (!WriteAll(line)) return Err(Status::Unavailable("lost connection to " + path_));
    auto reply_line = ReadLine();
    if (!reply_line) return Err(reply_line.error());
    auto reply = admin::DecodeReply(*reply_line);
    if (!reply) return Err(reply.error().WithContext("bad reply from daemon"));
    if (!reply->ok) return Err(ToStatus(reply->error_code, reply->error_message));
    return reply->result;
  }

  Status Export(const std::function<void(const json&)>&) override {
    return Status::InvalidArgument(
        "export over the admin socket is not available yet: use newsctl --db DATA_DIR export");
  }

 private:
  static Status ToStatus(const std::string& code, const std::string& message) {
    if (code == "NotFound") return Status::NotFound(message);
    if (code == "InvalidArgument") return Status::InvalidArgument(message);
    return Status::Internal(code + ": " + message);
  }

  bool WriteAll(const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }

  Result<std::string> ReadLine() {
    for (;;) {
      if (size_t nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      char chunk[65536];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Err(Status::Unavailable("daemon closed the connection"));
      buffer_.append(chunk, static_cast<size_t>(n));
      if (buffer_.size() > 64 * admin::kMaxLineBytes) {
        return Err(Status::Internal("reply too long"));
      }
    }
  }

  int fd_;
  std::string path_;
  std::string buffer_;
  uint64_t next_id_ = 0;
};

/// Answers from a read-only archive, with the same queries the daemon runs.
class DirectBackend final : public Backend {
 public:
  explicit DirectBackend(std::unique_ptr<storage::Archive> archive)
      : archive_(std::move(archive)) {}

  Result<json> Call(const std::string& cmd, const json& args) override {
    if (cmd == "stories.recent") {
      return admin::QueryRecentStories(*archive_, args.value("limit", size_t{20}));
    }
    if (cmd == "stories.show") return admin::QueryStory(*archive_, args.value("id", ""));
    if (cmd == "feeds.list") return FeedsList();
    if (cmd == "feeds.show") {
      return admin::QueryFeed(*archive_, args.value("id", ""), storage::FeedStatusName);
    }
    if (cmd == "hosts.politeness") {
      auto hosts = archive_->ListHosts();
      if (!hosts) return Err(hosts.error());
      return admin::HostsJson(*hosts);
    }
    return Err(
        Status::InvalidArgument("\"" + cmd + "\" needs the running daemon (leave out --db)"));
  }

  Status Export(const std::function<void(const json&)>& emit) override {
    return admin::ExportItems(*archive_, emit);
  }

 private:
  Result<json> FeedsList() {
    auto feeds = archive_->ListFeeds();
    if (!feeds) return Err(feeds.error());
    json out = json::array();
    for (const storage::FeedState& s : *feeds) {
      out.push_back(admin::ToJson(
          admin::FeedViewOf(s, s.id, s.interval, std::string(storage::FeedStatusName(s.status)))));
    }
    return json{{"feeds", out}};
  }

  std::unique_ptr<storage::Archive> archive_;
};

}  // namespace

Result<std::unique_ptr<Backend>> ConnectSocket(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return Err(Status::InvalidArgument("socket path too long: " + path));
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Err(Status::IOError(std::string("socket: ") + std::strerror(errno)));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    ::close(fd);
    std::string why = std::strerror(err);
    if (err == EACCES) {
      return Err(Status::InvalidArgument("permission denied on " + path +
                                         ": run as root or join the newsd group"));
    }
    return Err(Status::Unavailable("newsd is not running (cannot connect to " + path + ": " + why +
                                   "); start it, or read the archive with --db DATA_DIR"));
  }
  return std::unique_ptr<Backend>(std::make_unique<SocketBackend>(fd, path));
}

Result<std::unique_ptr<Backend>> OpenDirect(const std::string& data_dir) {
  storage::Options options;
  options.data_dir = data_dir;
  auto archive = storage::OpenArchiveReadOnly(options);
  if (!archive) return Err(archive.error());
  return std::unique_ptr<Backend>(std::make_unique<DirectBackend>(std::move(*archive)));
}

}  // namespace newsd::newsctl
