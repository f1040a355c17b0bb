// Reloading the configuration in place (SIGHUP, `newsctl reload`): the feed list's difference
// is applied without a restart; other sections are reported as needing one.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/plural.h"
#include "daemon/admin_server.h"
#include "daemon/daemon.h"
#include "daemon/notify.h"
#include "storage/archive.h"

namespace newsd::daemon {

namespace {

// What differs between the running configuration `a` and the file's `b` that a reload does
// not apply: their objects (client, archive, engine, gate) are built at start-up.
struct RestartNeeds {
  std::vector<std::string> sections;  ///< "[fetch]"
  std::vector<std::string> keys;      ///< "[fetch] timeout" (the section alone when no key is)
};

RestartNeeds RestartNeeded(const config::Config& a, const config::Config& b) {
  RestartNeeds out;
  auto add = [&](bool same, const std::string& section) {
    if (same) return;
    out.sections.push_back("[" + section + "]");
    const size_t before = out.keys.size();
    for (const std::string& key : config::ChangedKeys(a, b, section)) {
      if (section == "daemon" && key == "log_level") continue;  // applied live
      out.keys.push_back(out.sections.back() + " " + key);
    }
    // Not set in either file (a default from the unit's environment, say).
    if (out.keys.size() == before) out.keys.push_back(out.sections.back());
  };
  // data_dir is a [daemon] key that the storage options carry too: reported under [daemon].
  storage::Options sa = a.storage;
  sa.data_dir = b.storage.data_dir;
  config::DaemonOptions da = a.daemon, db = b.daemon;
  da.log_level = db.log_level;  // applied live
  add(da == db, "daemon");
  add(sa == b.storage, "storage");
  add(a.fetch == b.fetch, "fetch");
  add(a.politeness == b.politeness, "politeness");
  add(a.parse == b.parse, "parse");
  add(a.dedup == b.dedup, "dedup");
  return out;
}

// What the next start would refuse in `fresh` (as `newsd --check-config` does) among the
// settings a reload does not apply: a changed data_dir or admin socket this process (the
// service's user) could not use. Accepted now, it would stop the service at its next start.
Status CheckNextStart(const config::Config& running, const config::Config& fresh) {
  if (fresh.storage.data_dir != running.storage.data_dir) {
    if (Status s = storage::CheckDataDir(fresh.storage.data_dir); !s.ok()) {
      return Status::InvalidArgument(fresh.data_dir_at + ": " + s.message() +
                                     " (newsd would not start with it)");
    }
  }
  if (fresh.daemon.admin_socket != running.daemon.admin_socket) {
    if (Status s = AdminServer::CheckPath(fresh.daemon.admin_socket); !s.ok()) {
      return Status::InvalidArgument(fresh.path + ": " + s.message() +
                                     " (newsd would not start with it)");
    }
    // The unit's RuntimeDirectory= makes /run/newsd at each start; no other directory.
    const std::filesystem::path dir =
        std::filesystem::path(fresh.daemon.admin_socket).parent_path();
    std::error_code ec;
    if (!dir.empty() && dir != "/run/newsd" && !std::filesystem::is_directory(dir, ec)) {
      return Status::InvalidArgument(fresh.path + ": [daemon] admin_socket " +
                                     fresh.daemon.admin_socket + ": its directory " + dir.string() +
                                     " does not exist (newsd would not start with it)");
    }
  }
  return Status::Ok();
}

// Says what a valid reload changes that an operator should know before the next start.
void WarnOfNextStart(const config::Config& running, const config::Config& fresh,
                     size_t declared_before) {
  if (fresh.storage.data_dir != running.storage.data_dir) {
    spdlog::warn(
        "{}: [daemon] data_dir changes from {} to {}: the next start opens the archive there, "
        "not this one (whose stories stay where they are)",
        fresh.data_dir_at, running.storage.data_dir, fresh.storage.data_dir);
  }
  if (fresh.feeds.empty() && declared_before > 0) {
    spdlog::warn(
        "{} declares no feeds now ({} before): none of them is polled any more; if the file "
        "was cut short, put it back and reload",
        fresh.path, declared_before);
  }
}

}  // namespace

Result<ReloadReport> Daemon::Reload() {
  NotifyReloading();
  auto fresh = config::LoadFile(config_.path);
  if (fresh) {
    if (Status s = CheckNextStart(config_, *fresh); !s.ok()) fresh = Err(std::move(s));
  }
  if (!fresh) {
    spdlog::error("reload refused, the running configuration stays: {}", fresh.error().message());
    reload_refused_ = FormatIso8601(clock_.NowSeconds()) + ": " + fresh.error().message();
    NotifyReady(StatusLine());
    return Err(fresh.error().WithContext("reload refused, the running configuration stays"));
  }
  WarnOfNextStart(config_, *fresh, declared_.size());
  reload_refused_.clear();
  ReloadReport report;
  RestartNeeds later = RestartNeeded(config_, *fresh);
  report.restart_needed = later.sections;
  report.restart_keys = later.keys;
  restart_needed_ = std::move(later.sections);
  restart_keys_ = std::move(later.keys);
  if (fresh->daemon.log_level != config_.daemon.log_level) {
    spdlog::set_level(spdlog::level::from_str(fresh->daemon.log_level));
    config_.daemon.log_level = fresh->daemon.log_level;
    report.applied.emplace_back("[daemon] log_level");
  }
  std::set<FeedId> declared_before;
  for (const config::FeedConfig& f : declared_) declared_before.insert(f.id);
  declared_ = std::move(fresh->feeds);
  std::vector<Shadowed> shadowed;
  ApplyFeeds(EffectiveFeeds(declared_, controls_, &shadowed), &report);
  WarnShadowed(shadowed, config_.path);
  // An added feed the file's feed now stands for left the polled feeds, but is not removed;
  // one the file now declares under its own id stays polled, as the file says.
  for (const Shadowed& s : shadowed) {
    auto gone = std::find(report.removed.begin(), report.removed.end(), s.id);
    const bool newly_same_id = s.by == s.id && declared_before.count(s.id) == 0;
    if (gone == report.removed.end() && !newly_same_id) continue;  // shadowed before
    if (gone != report.removed.end()) report.removed.erase(gone);
    report.shadowed.push_back(s);
  }
  std::string restart;
  for (const std::string& key : report.restart_keys)
    restart += (restart.empty() ? " " : ", ") + key;
  spdlog::info(
      "configuration reloaded from {}: {} added, {} removed, {} changed{}{}{}", config_.path,
      Counted(report.added.size(), "feed", "feeds"), report.removed.size(), report.changed.size(),
      report.shadowed.empty()
          ? ""
          : fmt::format(", {} added with newsctl gave way to the file's", report.shadowed.size()),
      restart.empty() ? "" : "; changed but applied only at the next start:", restart);
  NotifyReady(StatusLine());
  Dispatch();
  return report;
}

void Daemon::ApplyFeeds(std::vector<config::FeedConfig> feeds, ReloadReport* report) {
  std::map<FeedId, config::FeedConfig> old;
  for (config::FeedConfig& f : config_.feeds) old.emplace(f.id, std::move(f));
  // Polls waiting for their host are queued again below, so that none of a removed feed
  // starts (the gate counts a taken start as in flight).
  const std::vector<FeedId> waiting = gate_->DropWaiting();
  config_.feeds = std::move(feeds);
  feed_index_.clear();
  for (size_t i = 0; i < config_.feeds.size(); ++i) {
    const config::FeedConfig& feed = config_.feeds[i];
    feed_index_[feed.id] = i;
    auto was = old.find(feed.id);
    if (was != old.end() && was->second == feed) {
      old.erase(was);
      continue;
    }
    SavePolledState(feed.id);
    std::optional<storage::FeedState> stored;
    if (was != old.end()) {
      report->changed.push_back(feed.id);
      stored = states_[feed.id];
      old.erase(was);
    } else {
      report->added.push_back(feed.id);
      auto from_archive = archive_->GetFeed(feed.id);  // a feed removed earlier comes back
      if (from_archive) stored = std::move(*from_archive);
    }
    StartAfresh(feed, std::move(stored));
  }
  for (const auto& [id, feed] : old) {  // what is left was removed
    report->removed.push_back(id);
    ForgetFeed(id);
  }
  RequeueWaiting(waiting);
}

void Daemon::StartAfresh(const config::FeedConfig& feed, std::optional<storage::FeedState> stored) {
  generation_[feed.id] = next_generation_++;
  states_[feed.id] = InitialState(feed, std::move(stored));
  redirected_to_.erase(feed.id);  // its URL may have changed: learned again at its next poll
  // A feed being polled is scheduled when its poll ends (FinishPoll, CommitDone), so that
  // it is never polled twice at once.
  if (in_hand_.count(feed.id) == 0) ScheduleAfterChange(feed);
}

void Daemon::ForgetFeed(const FeedId& id) {
  SavePolledState(id);
  scheduler_.Remove(id);
  states_.erase(id);
  redirected_to_.erase(id);
  unstored_.erase(id);
  generation_.erase(id);
}

void Daemon::RequeueWaiting(const std::vector<FeedId>& waiting) {
  for (const FeedId& id : waiting) {
    const config::FeedConfig* feed = FindFeed(id);
    if (feed == nullptr || !feed->enabled) continue;  // removed or paused meanwhile
    scheduler_.Remove(id);  // waiting already: not scheduled a second time
    const HostGate::Start hosts = GateHosts(id);
    gate_->Enqueue(hosts.host, id, hosts.also);
  }
}

void Daemon::ScheduleAfterChange(const config::FeedConfig& feed) {
  const UnixSeconds when =
      FirstPollTime(feed, config_.politeness, states_[feed.id], clock_.NowSeconds(), Uniform());
  if (when > 0) {
    scheduler_.Set(feed.id, when);
  } else {
    scheduler_.Remove(feed.id);
  }
}

bool Daemon::ChangedSincePoll(const FeedId& id) const {
  auto poll = in_hand_.find(id);
  auto now = generation_.find(id);
  const uint64_t current = now == generation_.end() ? 0 : now->second;
  return poll != in_hand_.end() && poll->second.generation != current;
}

void Daemon::SavePolledState(const FeedId& id) {
  auto poll = in_hand_.find(id);
  auto state = states_.find(id);
  if (poll != in_hand_.end() && !poll->second.polled_state && state != states_.end()) {
    poll->second.polled_state = state->second;
  }
}

}  // namespace newsd::daemon
