// The daemon's answers to admin requests (admin/protocol.h), run on the io_context.
#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "admin/queries.h"
#include "daemon/daemon.h"
#include "daemon/poll_policy.h"

namespace newsd::daemon {

namespace {

admin::Reply FromResult(uint64_t id, Result<nlohmann::json> result) {
  if (!result) return admin::Reply::Error(id, result.error());
  admin::Reply reply;
  reply.id = id;
  reply.result = std::move(*result);
  return reply;
}

}  // namespace

admin::Reply Daemon::HandleAdmin(const admin::Request& request) {
  const nlohmann::json& args = request.args;
  if (request.cmd == "status") {
    admin::StatusView v{NEWSD_VERSION,
                        config_.feeds.size(),
                        ingestor_->engine().IndexedItems(),
                        started_,
                        last_round_,
                        stopping_  ? "stopping"
                        : Paused() ? "paused"
                                   : "running",
                        Paused() ? StatusLine() +
                                       " -- free space or fix the file system; "
                                       "ingest resumes by itself"
                                 : "",
                        config_.storage.data_dir};
    return FromResult(request.id, admin::ToJson(v));
  }
  if (request.cmd == "archive.backup") {
    // A checkpoint: hard links on the same file system, so it takes milliseconds; a copy to
    // another file system blocks the loop for the copy (commits wait, polls continue after).
    const std::string dir = args.value("dir", "");
    const auto began = std::chrono::steady_clock::now();
    auto info = archive_->Backup(dir);
    if (!info) return admin::Reply::Error(request.id, info.error());
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
    spdlog::info("backup of the archive written to {}: {} files, {} bytes", dir, info->files,
                 info->bytes);
    return FromResult(request.id, admin::BackupJson(dir, *info, took.count()));
  }
  if (request.cmd == "feeds.list") {
    nlohmann::json feeds = nlohmann::json::array();
    for (const config::FeedConfig& f : config_.feeds) {
      const storage::FeedState& s = states_[f.id];
      const int64_t interval = s.interval > 0 ? s.interval : BaseInterval(f, config_.politeness);
      feeds.push_back(admin::ToJson(
          admin::FeedViewOf(s, f.name, interval, std::string(storage::FeedStatusName(s.status)))));
    }
    return FromResult(request.id, nlohmann::json{{"feeds", feeds}});
  }
  if (request.cmd == "hosts.politeness") {
    return FromResult(request.id, admin::HostsJson(gate_->Report()));
  }
  if (request.cmd == "stories.recent") {
    int64_t limit = 20;
    if (auto it = args.find("limit"); it != args.end()) {
      limit = it->is_number_integer() ? it->get<int64_t>() : 0;
    }
    if (limit < 1 || limit > 10000) {
      return admin::Reply::Error(request.id, Status::InvalidArgument("limit must be 1..10000"));
    }
    return FromResult(request.id, admin::QueryRecentStories(*archive_, static_cast<size_t>(limit)));
  }
  if (request.cmd == "stories.show") {
    auto id = args.find("id");
    if (id == args.end() || !id->is_string()) {
      return admin::Reply::Error(request.id, Status::InvalidArgument("stories.show needs \"id\""));
    }
    return FromResult(request.id, admin::QueryStory(*archive_, id->get<std::string>()));
  }
  return admin::Reply::Error(request.id,
                             Status::InvalidArgument("unknown command \"" + request.cmd + "\""));
}

}  // namespace newsd::daemon
