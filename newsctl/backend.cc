#include "newsctl/backend.h"

#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iterator>
#include <map>
#include <string_view>

#include "admin/export_query.h"
#include "admin/protocol.h"
#include "admin/queries.h"
#include "admin/search_query.h"
#include "config/config.h"
#include "core/time.h"
#include "dedup/normalize.h"
#include "storage/archive.h"

namespace newsd::newsctl {

namespace {

using nlohmann::json;

/// Blocking client: one request line, one reply line.
class SocketBackend final : public Backend {
 public:
  SocketBackend(int fd, std::string path, int64_t timeout_seconds)
      : fd_(fd), path_(std::move(path)), timeout_seconds_(timeout_seconds) {}
  ~SocketBackend() override { ::close(fd_); }

  Result<json> Call(const std::string& cmd, const json& args) override {
    admin::Request request;
    request.id = ++next_id_;
    request.cmd = cmd;
    request.args = args.is_object() ? args : json::object();
    std::string line = admin::Encode(request) + "\n";
    if (!WriteAll(line)) return Err(WhyClosed());
    auto reply_line = ReadLine(cmd);
    if (!reply_line) return Err(reply_line.error());
    auto reply = admin::DecodeReply(*reply_line);
    if (!reply) return Err(reply.error().WithContext("bad reply from daemon"));
    if (!reply->ok) return Err(Status::FromCodeName(reply->error_code, reply->error_message));
    return reply->result;
  }

 private:
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

  // Why the daemon closed the connection before taking the request: its refusal ("too many
  // admin connections"), when one came before it closed, else a lost connection.
  Status WhyClosed() {
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      buffer_.append(chunk, static_cast<size_t>(n));
      if (buffer_.size() > admin::kMaxLineBytes) break;
    }
    if (size_t nl = buffer_.find('\n'); nl != std::string::npos) {
      auto reply = admin::DecodeReply(buffer_.substr(0, nl));
      if (reply && !reply->ok) return Status::FromCodeName(reply->error_code, reply->error_message);
    }
    return Status::Unavailable("lost connection to " + path_);
  }

  // Seconds to wait for the answer to `cmd`; 0 = no limit.
  int64_t TimeoutFor(const std::string& cmd) const {
    // Beyond a year is no limit (and keeps the deadline's arithmetic far from overflow).
    constexpr int64_t kYear = int64_t{366} * 86400;
    if (timeout_seconds_ >= 0) return timeout_seconds_ > kYear ? 0 : timeout_seconds_;
    const bool long_running = cmd == "archive.backup" || cmd == "feeds.reparse";
    return long_running ? 0 : kDefaultTimeoutSeconds;
  }

  // The reply line to `cmd`; Unavailable when none is complete within TimeoutFor(cmd).
  Result<std::string> ReadLine(const std::string& cmd) {
    using Clock = std::chrono::steady_clock;
    const int64_t limit = TimeoutFor(cmd);
    const auto deadline = Clock::now() + std::chrono::seconds(limit);
    for (;;) {
      if (size_t nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      if (limit > 0) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd p{fd_, POLLIN, 0};
        const int ready = left.count() > 0 ? ::poll(&p, 1,
                                                    static_cast<int>(std::min<int64_t>(
                                                        left.count(), int64_t{24} * 3600 * 1000)))
                                           : 0;
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
          return Err(Status::Unavailable(
              "newsd did not answer " + cmd + " within " + FormatDuration(limit) +
              ": it may be stuck (see `journalctl -u newsd`), or slow and still carry the "
              "request out, so check its effect before sending it again; give --timeout 0 to "
              "wait as long as it takes"));
        }
      }
      char chunk[65536];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Err(Status::Unavailable("daemon closed the connection"));
      buffer_.append(chunk, static_cast<size_t>(n));
      if (buffer_.size() > admin::kMaxReplyBytes) {
        return Err(Status::Internal("reply longer than " + std::to_string(admin::kMaxReplyBytes) +
                                    " bytes"));
      }
    }
  }

  int fd_;
  std::string path_;
  int64_t timeout_seconds_;
  std::string buffer_;
  uint64_t next_id_ = 0;
};

}  // namespace

bool DirectlyAnswers(const std::string& cmd) {
  static constexpr std::string_view kDirect[] = {"stories.recent",  "stories.show", "feeds.list",
                                                 "feeds.show",      "items.export", "search",
                                                 "hosts.politeness"};
  return std::find(std::begin(kDirect), std::end(kDirect), cmd) != std::end(kDirect);
}

namespace {

/// Answers from a read-only archive, with the same queries the daemon runs.
class DirectBackend final : public Backend {
 public:
  explicit DirectBackend(std::unique_ptr<storage::Archive> archive)
      : archive_(std::move(archive)) {}

  Result<json> Call(const std::string& cmd, const json& args) override {
    if (cmd == "stories.recent") {
      return admin::QueryRecentStories(*archive_, args.value("limit", size_t{20}));
    }
    if (cmd == "stories.show") {
      const auto text = args.find("text");
      const bool with_text = text != args.end() && text->is_boolean() && text->get<bool>();
      return admin::QueryStory(*archive_, args.value("id", ""), with_text);
    }
    if (cmd == "feeds.list") return FeedsList();
    if (cmd == "feeds.show") return FeedShow(args.value("id", ""));
    if (cmd == "items.export") return Export(args);
    if (cmd == "search") {
      return admin::QuerySearch(*archive_, args.value("text", ""), args.value("limit", size_t{20}),
                                args.value("max_stories", size_t{1000000}),
                                dedup::NormalizeForSearch);
    }
    if (cmd == "hosts.politeness") {
      auto hosts = archive_->ListHosts();
      if (!hosts) return Err(hosts.error());
      return admin::HostsJson(*hosts, static_cast<UnixSeconds>(std::time(nullptr)));
    }
    return Err(
        Status::InvalidArgument("\"" + cmd + "\" needs the running daemon (leave out --db)"));
  }

 private:
  Result<json> Export(const json& args) {
    if (args.value("refresh", false)) {
      if (Status s = archive_->Refresh(); !s.ok()) return Err(s);
    }
    auto from = admin::ParseCursor(args.value("cursor", std::string("0")));
    if (!from) return Err(from.error());
    std::optional<UnixSeconds> since;
    if (auto it = args.find("since"); it != args.end() && it->is_number_integer()) {
      since = it->get<int64_t>();
    }
    return admin::QueryExport(*archive_, *from, args.value("limit", size_t{500}), since);
  }

  Result<std::map<FeedId, storage::FeedControl>> Controls() {
    auto controls = archive_->ListFeedControls();
    if (!controls) return Err(controls.error());
    std::map<FeedId, storage::FeedControl> by_id;
    for (storage::FeedControl& c : *controls) by_id.emplace(c.id, std::move(c));
    return by_id;
  }

  // What the daemon makes of a feed paused with newsctl: not polled, and why.
  static void ShowPause(const storage::FeedControl& c, admin::FeedView* v) {
    if (!c.paused) return;
    v->paused = true;
    v->state = "disabled";
    v->state_reason = "paused with newsctl since " + FormatIso8601(c.paused_at) +
                      ": `newsctl feeds resume " + c.id + "`";
    v->next_fetch = 0;
  }

  // A feed added with newsctl that has no record yet: never polled.
  static admin::FeedView NotPolledView(const storage::FeedControl& c) {
    admin::FeedView v;
    v.id = c.id;
    v.url = c.url;
    v.name = c.name.empty() ? c.id : c.name;
    v.interval = v.configured_interval = c.interval;
    v.state = "active";
    v.state_reason = "added with newsctl, not polled yet";
    v.origin = "newsctl";
    ShowPause(c, &v);
    return v;
  }

  Result<json> FeedsList() {
    auto feeds = archive_->ListFeeds();
    if (!feeds) return Err(feeds.error());
    json out = json::array();
    auto by_id = Controls();
    if (!by_id) return Err(by_id.error());
    for (const storage::FeedState& s : *feeds) {
      admin::FeedView v =
          admin::FeedViewOf(s, s.id, s.interval, std::string(storage::FeedStatusName(s.status)));
      // The configured interval as of the last poll (what an OPML export carries); a record
      // older than base_interval has none to show.
      v.configured_interval = s.base_interval;
      // Without the daemon's configuration, a feed not added with newsctl is one the
      // configuration declares, or declared once (removed since): say "archive".
      v.origin = "archive";
      if (auto c = by_id->find(s.id); c != by_id->end()) {
        if (c->second.added) v.origin = "newsctl";
        ShowPause(c->second, &v);
        if (c->second.added && !c->second.name.empty()) v.name = c->second.name;
        if (c->second.added && c->second.interval > 0) v.configured_interval = c->second.interval;
        by_id->erase(c);
      }
      out.push_back(admin::ToJson(v));
    }
    for (const auto& [id, c] : *by_id) {
      if (c.added) out.push_back(admin::ToJson(NotPolledView(c)));
    }
    return json{{"feeds", out}};
  }

  // As feeds.list tells it: paused with newsctl, or added and not polled yet.
  Result<json> FeedShow(const std::string& id) {
    Result<json> stored = admin::QueryFeed(*archive_, id, storage::FeedStatusName);
    if (!stored && !stored.error().IsNotFound()) return stored;
    auto by_id = Controls();
    if (!by_id) return Err(by_id.error());
    const auto c = by_id->find(id);
    if (c == by_id->end()) return stored;
    if (!stored) {
      if (!c->second.added) return stored;
      const json view = admin::ToJson(NotPolledView(c->second));
      json feed = {{"id", id},
                   {"url", view["url"]},
                   {"state", view["state"]},
                   {"state_reason", view["state_reason"]},
                   {"interval", view["interval"]}};
      return json{{"feed", std::move(feed)}};
    }
    if (c->second.paused) {
      admin::FeedView v;
      ShowPause(c->second, &v);
      json& feed = (*stored)["feed"];
      feed["state"] = v.state;
      feed["state_reason"] = v.state_reason;
      feed["next_fetch"] = nullptr;
    }
    return stored;
  }

  std::unique_ptr<storage::Archive> archive_;
};

}  // namespace

Result<std::unique_ptr<Backend>> ConnectSocket(const std::string& path, int64_t timeout_seconds) {
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
      // The socket's own group is the one to join (newsd, unless the service runs otherwise).
      struct stat st {};
      const group* gr = ::stat(path.c_str(), &st) == 0 ? ::getgrgid(st.st_gid) : nullptr;
      const std::string group_name = gr != nullptr ? gr->gr_name : "newsd";
      return Err(Status::PermissionDenied("permission denied on " + path +
                                          ": run as root or as a member of group " + group_name +
                                          " (the socket's group)"));
    }
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (exists && !S_ISSOCK(st.st_mode)) {
      return Err(Status::InvalidArgument(
          path + " is " + (S_ISDIR(st.st_mode) ? "a directory" : "a file") +
          ", not a socket: give newsd's admin socket ([daemon] admin_socket in its "
          "configuration) with --socket or $NEWSD_SOCKET"));
    }
    // Not there (or nothing listens): newsd is down, or runs with another admin_socket.
    return Err(Status::Unavailable(
        NotRunningMessage(path,
                          exists ? path + " refuses connections: nothing listens on it"
                                 : "cannot connect to " + path + ": " + why,
                          kServiceConfig)));
  }
  return std::unique_ptr<Backend>(std::make_unique<SocketBackend>(fd, path, timeout_seconds));
}

std::string NotRunningMessage(const std::string& socket, const std::string& why,
                              const std::string& service_config) {
  std::string dir = "/var/lib/newsd", data_dir = ": " + dir, other_socket, broken;
  if (::access(service_config.c_str(), R_OK) != 0) {
    data_dir += errno == ENOENT ? " by default, as there is no " + service_config
                                : ", unless " + service_config +
                                      " (which this user may not read) says otherwise";
  } else {
    auto cfg = config::LoadFile(service_config);
    // The service runs from /: its relative paths are read from there.
    auto from_root = [](const std::string& path) {
      return (std::filesystem::path("/") / path).lexically_normal().string();
    };
    if (!cfg) {
      data_dir = ": /var/lib/newsd, unless " + service_config + " says otherwise";
      broken = "; " + service_config +
               " does not load, which keeps the service from starting (newsd --check-config): " +
               cfg.error().message();
    } else if (cfg->data_dir_at != cfg->path) {  // "FILE:LINE": the file sets it
      dir = from_root(cfg->daemon.data_dir);
      data_dir = ", as " + service_config + " says: " + dir;
    } else {
      dir = from_root(cfg->daemon.data_dir);
      data_dir = ": " + dir + ", the default";
    }
    if (cfg && from_root(cfg->daemon.admin_socket) != socket) {
      other_socket = " (" + service_config + " gives " + from_root(cfg->daemon.admin_socket) + ")";
    }
    // Where the file puts it (or leaves the default): is there an archive to read?
    std::error_code ec;
    if (cfg && !std::filesystem::exists(dir, ec) && !ec) data_dir += ", which does not exist";
  }
  return "newsd is not running (" + why +
         "; a daemon with another [daemon] admin_socket is reached with --socket or "
         "$NEWSD_SOCKET" +
         other_socket + ")" + broken + kStartOrReadHint + " (the service's" + data_dir + ")";
}

Result<std::unique_ptr<Backend>> OpenDirect(const std::string& data_dir) {
  storage::Options options;
  options.data_dir = data_dir;
  auto archive = storage::OpenArchiveReadOnly(options);
  if (!archive) return Err(archive.error());
  return std::unique_ptr<Backend>(std::make_unique<DirectBackend>(std::move(*archive)));
}

}  // namespace newsd::newsctl
