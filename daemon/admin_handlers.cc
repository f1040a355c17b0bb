// The daemon's answers to admin requests (admin/protocol.h), run on the io_context.
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "admin/export_query.h"
#include "admin/queries.h"
#include "admin/search_query.h"
#include "core/plural.h"
#include "daemon/daemon.h"
#include "daemon/poll_policy.h"
#include "dedup/normalize.h"

namespace newsd::daemon {

namespace {

// `path` as a client anywhere may use it: the daemon's data_dir may be relative to where it
// was started (`newsctl dupes explain` opens it from its own directory).
std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

admin::Reply FromResult(uint64_t id, Result<nlohmann::json> result) {
  if (!result) return admin::Reply::Error(id, result.error());
  admin::Reply reply;
  reply.id = id;
  reply.result = std::move(*result);
  return reply;
}

nlohmann::json ReparseJson(const FeedId& feed, const ReparseReport& r, bool dry_run) {
  return {{"feed", feed},         {"dry_run", dry_run},
          {"bodies", r.bodies},   {"unreadable", r.unreadable},
          {"entries", r.entries}, {"added", r.added},
          {"updated", r.updated}, {"unchanged", r.unchanged},
          {"errors", r.errors}};
}

nlohmann::json ReloadJson(const std::string& path, const ReloadReport& r) {
  nlohmann::json shadowed = nlohmann::json::array();
  for (const Shadowed& s : r.shadowed) shadowed.push_back({{"id", s.id}, {"by", s.by}});
  return {{"config", path},
          {"added", r.added},
          {"removed", r.removed},
          {"changed", r.changed},
          {"shadowed", shadowed},
          {"applied", r.applied},
          {"restart_needed", r.restart_needed},
          {"restart_keys", r.restart_keys}};
}

/// The export/search arguments both backends take (newsctl --db parses the same).
struct PageArgs {
  admin::ExportCursor from;
  size_t limit = 0;
  std::optional<UnixSeconds> since;
};

Result<PageArgs> ExportArgs(const nlohmann::json& args) {
  PageArgs p;
  auto cursor = admin::ParseCursor(args.value("cursor", std::string("0")));
  if (!cursor) return Err(cursor.error());
  p.from = std::move(*cursor);
  const int64_t limit = args.value("limit", int64_t{500});
  if (limit < 1 || limit > 10000) return Err(Status::InvalidArgument("limit must be 1..10000"));
  p.limit = static_cast<size_t>(limit);
  if (auto since = args.find("since"); since != args.end() && !since->is_null()) {
    if (!since->is_number_integer()) {
      return Err(Status::InvalidArgument("since must be Unix seconds"));
    }
    p.since = since->get<int64_t>();
  }
  return p;
}

// A feed's state as the daemon now schedules it: once a reload changed an active feed's
// configured interval, the new one (FirstPollTime), until its next poll sets it again with the
// publisher's wishes. (A failing feed's retry follows its backoff, as before.)
storage::FeedState WithIntervalInForce(const config::FeedConfig& feed,
                                       const config::PolitenessOptions& p,
                                       storage::FeedState state) {
  const int64_t base = BaseInterval(feed, p);
  if (state.status == storage::FeedStatus::kActive && state.base_interval != 0 &&
      state.base_interval != base) {
    state.interval = state.base_interval = base;
  }
  return state;
}

}  // namespace

void Daemon::Search(const admin::Request& request, AdminServer::Respond respond) {
  const std::string text = request.args.value("text", "");
  const int64_t limit = request.args.value("limit", int64_t{20});
  const int64_t max_stories = request.args.value("max_stories", int64_t{1000000});
  if (limit < 1 || limit > 10000 || max_stories < 1) {
    return respond(admin::Reply::Error(
        request.id, Status::InvalidArgument("limit must be 1..10000, max_stories at least 1")));
  }
  // A search may read the whole archive.
  AnswerOnPool(request.id, std::move(respond), [this, text, limit, max_stories] {
    return admin::QuerySearch(*archive_, text, static_cast<size_t>(limit),
                              static_cast<size_t>(max_stories), dedup::NormalizeForSearch);
  });
}

void Daemon::AnswerOnPool(uint64_t id, AdminServer::Respond respond,
                          std::function<Result<nlohmann::json>()> query) {
  asio::post(*pool_, [this, id, query = std::move(query), respond = std::move(respond)]() mutable {
    // Stopping: the reply could not be sent; do not hold the stop up reading the archive.
    if (stopping_pool_.load(std::memory_order_relaxed)) return;
    Result<nlohmann::json> result = Err(Status::Internal("query failed"));
    try {
      result = query();
    } catch (const std::exception& e) {  // on a pool thread, an escape would end newsd
      result = Err(Status::Internal(std::string("query failed: ") + e.what()));
    }
    asio::post(io_, [id, result = std::move(result), respond = std::move(respond)]() mutable {
      respond(FromResult(id, std::move(result)));
    });
  });
}

void Daemon::HandleAdmin(const admin::Request& request, AdminServer::Respond respond) {
  if (request.cmd == "feeds.reparse") return Reparse(request, std::move(respond));
  if (request.cmd == "search") return Search(request, std::move(respond));
  if (request.cmd == "reload") {
    if (stopping_) {
      return respond(admin::Reply::Error(request.id, Status::Unavailable("newsd is stopping")));
    }
    auto report = Reload();
    if (!report) return respond(admin::Reply::Error(request.id, report.error()));
    return respond(FromResult(request.id, ReloadJson(config_.path, *report)));
  }
  // A checkpoint: hard links on the same file system, milliseconds; to another file system a
  // copy of the whole archive, minutes: off the loop, so that polls, newsctl and the watchdog
  // go on (commits wait for it: it holds the archive's commit lock).
  if (request.cmd == "archive.backup") return Backup(request, std::move(respond));
  // An export page (up to 10,000 items) and recent stories read much: off the loop.
  if (request.cmd == "items.export") {
    auto page = ExportArgs(request.args);
    if (!page) return respond(admin::Reply::Error(request.id, page.error()));
    return AnswerOnPool(request.id, std::move(respond), [this, page = *page] {
      return admin::QueryExport(*archive_, page.from, page.limit, page.since);
    });
  }
  if (request.cmd == "stories.recent") return RecentStories(request, std::move(respond));
  respond(Answer(request));
}

void Daemon::Backup(const admin::Request& request, AdminServer::Respond respond) {
  const std::string dir = request.args.value("dir", "");
  AnswerOnPool(request.id, std::move(respond), [this, dir]() -> Result<nlohmann::json> {
    const auto began = std::chrono::steady_clock::now();
    auto info = archive_->Backup(dir);
    if (!info) return Err(info.error());
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
    spdlog::info("backup of the archive written to {}: {} files, {} bytes", dir, info->files,
                 info->bytes);
    return admin::BackupJson(dir, *info, took.count());
  });
}

void Daemon::RecentStories(const admin::Request& request, AdminServer::Respond respond) {
  int64_t limit = 20;
  if (auto it = request.args.find("limit"); it != request.args.end()) {
    limit = it->is_number_integer() ? it->get<int64_t>() : 0;
  }
  if (limit < 1 || limit > 10000) {
    return respond(
        admin::Reply::Error(request.id, Status::InvalidArgument("limit must be 1..10000")));
  }
  AnswerOnPool(request.id, std::move(respond), [this, limit] {
    return admin::QueryRecentStories(*archive_, static_cast<size_t>(limit));
  });
}

void Daemon::Reparse(const admin::Request& request, AdminServer::Respond respond) {
  const nlohmann::json& args = request.args;
  auto feed_arg = args.find("feed");
  const config::FeedConfig* feed = feed_arg != args.end() && feed_arg->is_string()
                                       ? FindFeed(feed_arg->get<std::string>())
                                       : nullptr;
  if (feed == nullptr) {
    return respond(admin::Reply::Error(
        request.id,
        Status::NotFound("no feed " +
                         (feed_arg != args.end() && feed_arg->is_string()
                              ? feed_arg->get<std::string>()
                              : std::string("given")) +
                         " in " + config_.path +
                         " nor added with newsctl: `newsctl feeds list` shows the feed ids")));
  }
  if (Status s = CheckReparse(args); !s.ok()) {
    return respond(admin::Reply::Error(request.id, s));
  }
  auto bodies = archive_->RawBodies(feed->id);
  if (!bodies) return respond(admin::Reply::Error(request.id, bodies.error()));
  if (bodies->empty()) {
    return respond(admin::Reply::Error(
        request.id, Status::NotFound("no raw response of feed " + feed->id +
                                     " is kept ([storage] raw_bodies = " +
                                     std::to_string(config_.storage.raw_bodies) +
                                     "): bodies are kept from its next fetch that answers 200")));
  }
  // Parsing is CPU work for the pool; staging comes back to the loop.
  asio::post(*pool_, [this, request = request, feed = *feed, bodies = std::move(*bodies),
                      respond = std::move(respond)]() mutable {
    std::vector<ReparsedBody> parsed = ParseBodies(bodies, feed, config_.parse);
    asio::post(io_, [this, request = std::move(request), parsed = std::move(parsed),
                     respond = std::move(respond)]() mutable {
      ReparseStaged(request, std::move(parsed), std::move(respond));
    });
  });
}

Status Daemon::CheckReparse(const nlohmann::json& args) const {
  // Checked here: ReparseStaged reads it later on the loop, outside the request's own
  // exception guard (AdminServer).
  if (auto dry = args.find("dry_run"); dry != args.end() && !dry->is_boolean()) {
    return Status::InvalidArgument("dry_run must be true or false");
  }
  if (restoring_) {
    return Status::Unavailable(
        "the dedup index is being read from the archive (at start, or after a failed commit); "
        "try again in a few seconds");
  }
  if (stopping_ || Paused()) {
    return Status::Unavailable(stopping_ ? "newsd is stopping"
                                         : "ingest is paused (" + storage_error_.message() +
                                               "): reparse once it resumes");
  }
  return Status::Ok();
}

void Daemon::ReparseStaged(const admin::Request& request, std::vector<ReparsedBody> parsed,
                           AdminServer::Respond respond) {
  const FeedId feed = request.args.value("feed", "");
  const bool dry_run = request.args.value("dry_run", false);
  // Again: a commit may have failed while the bodies were parsed (the index is being read
  // again on the restore thread, which has the ingestor meanwhile).
  if (Status s = CheckReparse(request.args); !s.ok()) {
    return respond(admin::Reply::Error(request.id, s));
  }
  if (Status s = EnsureRestored(); !s.ok()) return respond(admin::Reply::Error(request.id, s));
  ReparseReport report = StageReparsed(std::move(parsed), *ingestor_, dry_run, clock_.NowSeconds());
  nlohmann::json json = ReparseJson(feed, report, dry_run);
  if (dry_run || report.added + report.updated == 0) {
    return respond(FromResult(request.id, std::move(json)));
  }
  spdlog::info("feed={} reparse of {}: {} added, {} updated, {} unchanged", feed,
               Counted(report.bodies, "raw body", "raw bodies"), report.added, report.updated,
               report.unchanged);
  uncommitted_waiters_.push_back(
      [id = request.id, json = std::move(json), respond = std::move(respond)](const Status& s) {
        if (!s.ok()) {
          return respond(admin::Reply::Error(
              id, s.WithContext("the reparse was not stored (run it again once ingest resumes)")));
        }
        respond(FromResult(id, json));
      });
  CommitGroup();
}

admin::Reply Daemon::Answer(const admin::Request& request) {
  const nlohmann::json& args = request.args;
  if (request.cmd == "status") return FromResult(request.id, StatusJson());
  if (request.cmd == "feeds.list") return FromResult(request.id, FeedsJson());
  if (request.cmd == "feeds.add") return FromResult(request.id, AddFeeds(args));
  if (request.cmd == "feeds.remove") return FromResult(request.id, RemoveFeed(args));
  if (request.cmd == "feeds.pause") return FromResult(request.id, SetPaused(args, true));
  if (request.cmd == "feeds.resume") return FromResult(request.id, SetPaused(args, false));
  if (request.cmd == "feeds.poll") return FromResult(request.id, PollNow(args));
  if (request.cmd == "feeds.show") return FromResult(request.id, ShowFeed(args.value("id", "")));
  if (request.cmd == "hosts.politeness") {
    return FromResult(request.id, admin::HostsJson(gate_->Report(), clock_.NowSeconds()));
  }
  if (request.cmd == "stories.show") {
    auto id = args.find("id");
    if (id == args.end() || !id->is_string()) {
      return admin::Reply::Error(request.id, Status::InvalidArgument("stories.show needs \"id\""));
    }
    const auto text = args.find("text");
    const bool with_text = text != args.end() && text->is_boolean() && text->get<bool>();
    return FromResult(request.id, admin::QueryStory(*archive_, id->get<std::string>(), with_text));
  }
  return admin::Reply::Error(request.id,
                             Status::InvalidArgument("unknown command \"" + request.cmd + "\""));
}

nlohmann::json Daemon::StatusJson() const {
  // The restore thread owns the dedup engine until OnRestored.
  admin::StatusView v{NEWSD_VERSION,
                      config_.feeds.size(),
                      restoring_ ? 0 : ingestor_->engine().IndexedItems(),
                      restoring_ ? 0 : ingestor_->engine().Memory().total(),
                      started_,
                      last_round_,
                      stopping_    ? "stopping"
                      : Paused()   ? "paused"
                      : restoring_ ? "starting"
                                   : "running",
                      Paused()     ? StatusLine() + ". " + WhatToDo(storage_error_)
                      : restoring_ ? StatusLine()
                                   : "",
                      AbsolutePath(config_.storage.data_dir),
                      metrics_ ? metrics_->address() : "",
                      config_.path.empty() ? "" : AbsolutePath(config_.path),
                      restart_needed_,
                      restart_keys_,
                      reload_refused_};
  return admin::ToJson(v);
}

nlohmann::json Daemon::FeedsJson() {
  nlohmann::json feeds = nlohmann::json::array();
  for (const config::FeedConfig& f : config_.feeds) {
    const storage::FeedState s = WithIntervalInForce(f, config_.politeness, states_[f.id]);
    const int64_t interval = s.interval > 0 ? s.interval : BaseInterval(f, config_.politeness);
    admin::FeedView view =
        admin::FeedViewOf(s, f.name, interval, std::string(storage::FeedStatusName(s.status)));
    auto control = controls_.find(f.id);
    view.origin = control != controls_.end() && control->second.added &&
                          std::none_of(declared_.begin(), declared_.end(),
                                       [&](const config::FeedConfig& d) { return d.id == f.id; })
                      ? "newsctl"
                      : "config";
    view.paused = control != controls_.end() && control->second.paused;
    view.configured_interval = f.interval;
    if (f.zoneless_offset) view.zoneless_dates = FormatUtcOffset(*f.zoneless_offset);
    std::string waiting;
    view.next_fetch = ScheduledAt(f.id, &waiting);
    view.state_reason = ReasonNow(f.id, std::move(view.state_reason), waiting);
    if (view.url.empty()) view.url = f.url;
    feeds.push_back(admin::ToJson(view));
  }
  return nlohmann::json{{"feeds", feeds}};
}

Result<nlohmann::json> Daemon::ShowFeed(const std::string& id) {
  // A configured feed as the daemon has it now (paused, scheduled, mid-poll), like feeds.list;
  // one no longer configured as the archive last stored it.
  auto live = states_.find(id);
  if (FindFeed(id) != nullptr && live != states_.end()) {
    storage::FeedState now = WithIntervalInForce(*FindFeed(id), config_.politeness, live->second);
    std::string waiting;
    now.next_fetch = ScheduledAt(id, &waiting);
    now.status_reason = ReasonNow(id, std::move(now.status_reason), waiting);
    auto shown = admin::FeedJson(*archive_, now, storage::FeedStatusName);
    const config::FeedConfig* feed = FindFeed(id);
    if (shown && feed->zoneless_offset) {
      (*shown)["feed"]["zoneless_dates"] = FormatUtcOffset(*feed->zoneless_offset);
    }
    return shown;
  }
  return NotPolledFeed(id);
}

}  // namespace newsd::daemon
