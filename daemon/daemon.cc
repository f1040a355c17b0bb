// The daemon's life: start-up (the archive, the feeds' first schedule, the service's sockets),
// the dedup index's restore, signals and the stop.
#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>

#include "core/hash.h"
#include "core/plural.h"
#include "core/time.h"
#include "daemon/heap.h"
#include "daemon/logging.h"
#include "daemon/notify.h"

namespace newsd::daemon {

namespace {

constexpr auto kFirstRetention = std::chrono::seconds(10);  // after start-up

}  // namespace

Daemon::Daemon(config::Config config, Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      timer_(io_),
      commit_timer_(io_),
      probe_timer_(io_),
      retention_timer_(io_),
      watchdog_timer_(io_),
      stop_timer_(io_),
      signals_(io_),
      parser_identity_(Hash64(std::string(NEWSD_VERSION) + " " +
                              std::to_string(parse::kParserRevision) + " " +
                              std::to_string(config_.parse.max_items) + " " +
                              std::to_string(config_.parse.max_field_bytes) + " " +
                              std::to_string(config_.parse.max_depth))) {}

Daemon::~Daemon() {
  if (restore_thread_.joinable()) restore_thread_.join();
  if (pool_) pool_->join();
}

Status Daemon::Open(Mode mode) {
  mode_ = mode;
  started_ = clock_.NowSeconds();
  storage::Options storage = config_.storage;
  storage.drop_raw_bodies_when_off = true;  // the service follows [storage] raw_bodies = 0
  auto archive = storage::OpenArchive(storage);
  if (!archive) return archive.error();
  archive_ = std::move(*archive);
  ingestor_ = std::make_unique<Ingestor>(*archive_, config_.dedup);
  // The service restores the dedup index after READY (StartRestore); one round (--once) only
  // when a feed brings items, so a round of 304s never reads the index.
  auto http = fetchers::MakeCurlClient(io_, config_.fetch);
  if (!http) return http.error();
  http_ = std::move(*http);
  unsigned workers = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  pool_ = std::make_unique<asio::thread_pool>(workers);
  if (Status s = LoadControls(); !s.ok()) return s;
  return LoadFeeds();
}

Status Daemon::LoadFeeds() {
  const UnixSeconds now = clock_.NowSeconds();
  gate_ = std::make_unique<HostGate>(config_.politeness,
                                     static_cast<int>(config_.fetch.max_total_connections));
  auto hosts = archive_->ListHosts();
  if (!hosts) return hosts.error();
  gate_->Restore(*hosts);
  for (size_t i = 0; i < config_.feeds.size(); ++i) {
    const config::FeedConfig& feed = config_.feeds[i];
    feed_index_[feed.id] = i;
    auto stored = archive_->GetFeed(feed.id);
    if (!stored) return stored.error();
    storage::FeedState state = InitialState(feed, std::move(*stored));
    // One round (--once) polls what is due now; start-up jitter is for the service's restarts.
    config::PolitenessOptions p = config_.politeness;
    if (mode_ == Mode::kOnce) p.startup_jitter = 0;
    const int64_t early = mode_ == Mode::kOnce ? OnceSlack(feed, p, state) : 0;
    const UnixSeconds when = FirstPollTime(feed, p, state, now, Uniform(), early);
    if (when > 0) scheduler_.Set(feed.id, when);
    if (when > 0) RetimeReason(state.next_fetch, when, &state);  // "next try at" as scheduled
    // Its first poll waits on the host its redirects led to last time (a Retry-After there).
    if (!state.answered_by.empty()) redirected_to_[feed.id] = state.answered_by;
    if (state.last_fetch > 0) {
      gate_->NoteLastRequest(fetchers::HostKey(state.url), feed.id, state.last_fetch * 1000);
    }
    states_[feed.id] = std::move(state);
  }
  return Status::Ok();
}

storage::FeedState Daemon::InitialState(const config::FeedConfig& feed,
                                        std::optional<storage::FeedState> stored) const {
  storage::FeedState state = std::move(stored).value_or(storage::FeedState{});
  state.id = feed.id;
  if (state.config_url.empty()) state.config_url = state.url;  // written before config_url
  if (state.config_url != feed.url) {
    // A new feed, or its URL changed in the configuration: start afresh from that URL.
    storage::FeedState fresh;
    fresh.id = feed.id;
    fresh.fetches = state.fetches;
    fresh.items_new = state.items_new;
    fresh.last_fetch = state.last_fetch;  // the floor still holds for the same publisher
    fresh.url_history = std::move(state.url_history);
    state = std::move(fresh);
    state.url = state.config_url = feed.url;
  }
  if (!feed.enabled) {
    state.status = storage::FeedStatus::kDisabled;
    state.next_fetch = 0;  // not scheduled until resumed
    auto control = controls_.find(feed.id);
    state.status_reason = control != controls_.end() && control->second.paused
                              ? "paused with newsctl since " +
                                    FormatIso8601(control->second.paused_at) +
                                    ": `newsctl feeds resume " + feed.id + "`"
                              : "enabled = false in " + config_.path;
  } else if (state.status == storage::FeedStatus::kDisabled) {
    state.status = storage::FeedStatus::kActive;
    state.status_reason.clear();
  }
  return state;
}

std::string Daemon::UrlOf(const config::FeedConfig& feed) const {
  auto it = states_.find(feed.id);
  return it == states_.end() ? feed.url : it->second.url;
}

const config::FeedConfig* Daemon::FindFeed(const FeedId& id) const {
  auto it = feed_index_.find(id);
  return it == feed_index_.end() ? nullptr : &config_.feeds[it->second];
}

int64_t Daemon::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

double Daemon::Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

int Daemon::Run(Mode mode) {
  if (std::optional<int> refused = ClaimEndpoints(mode)) return *refused;
  if (Status s = Open(mode); !s.ok()) {
    ReportFatal("cannot start: " + s.ToString());
    // A restart cannot mend permissions: the unit does not restart on kExitConfig.
    return s.code() == Status::Code::kPermissionDenied ? kExitConfig : kExitFailure;
  }
  if (mode == Mode::kService) {
    if (std::optional<int> refused = StartService()) return *refused;
  } else {
    // One round stops as the service does: what is fetched is committed, the rest is left to
    // the next round. A hangup too (the terminal it was started from went away): it has no
    // configuration to reload.
    signals_.add(SIGTERM);
    signals_.add(SIGINT);
    if (!HangupIgnored()) signals_.add(SIGHUP);  // under nohup it stays ignored
    WaitSignal();
  }
  // One round from cron never reaches the service's hourly retention timer: it runs a whole
  // pass first, or the archive would keep every story for ever (a stop asked for meanwhile,
  // the signals being caught from here, waits for the pass, then stops the round).
  if (mode == Mode::kOnce && config_.storage.retention_seconds > 0) RetainOnce();
  // Parsing runs on the pool while the loop may have nothing else pending: keep run() going
  // until MaybeFinish() stops the loop.
  auto work = asio::make_work_guard(io_);
  asio::post(io_, [this] { PollDue(); });
  io_.run();
  if (restore_thread_.joinable()) restore_thread_.join();
  pool_->join();
  return ReportRound();
}

std::optional<int> Daemon::ClaimEndpoints(Mode mode) {
  // A socket in a directory that does not exist is the configuration's fault: exit 78 (no
  // restart loop under systemd), saying what to do.
  const std::filesystem::path socket_dir =
      std::filesystem::path(config_.daemon.admin_socket).parent_path();
  if (std::error_code ec; mode == Mode::kService && !socket_dir.empty() &&
                          !std::filesystem::is_directory(socket_dir, ec)) {
    const bool exists = std::filesystem::exists(socket_dir, ec);
    ReportFatal("cannot start: [daemon] admin_socket " + config_.daemon.admin_socket +
                ": its directory " + socket_dir.string() +
                (exists || ec ? " is no directory newsd can reach" : " does not exist") +
                " (create it, or run newsd under systemd, whose RuntimeDirectory= makes "
                "/run/newsd)");
    return kExitConfig;
  }
  if (Status s = AdminServer::CheckPath(config_.daemon.admin_socket);
      mode == Mode::kService && !s.ok()) {
    ReportFatal("cannot start: " + s.message());
    return kExitConfig;
  }
  // Before the archive opens: a start refused for its socket leaves no new archive behind.
  if (mode == Mode::kService) {
    if (Status s = AdminServer::CheckNotInUse(io_, config_.daemon.admin_socket); !s.ok()) {
      ReportFatal("cannot start: " + s.message());
      return kExitFailure;
    }
  }
  // The metrics port too: a port taken by another program leaves no new archive behind. The
  // listener queues connections until the loop runs, after READY.
  if (mode == Mode::kService && !config_.daemon.metrics.empty()) {
    metrics_ = std::make_unique<MetricsServer>(io_, [this] { return RenderMetrics(); });
    if (Status s = metrics_->Start(config_.daemon.metrics); !s.ok()) {
      ReportFatal("cannot start: " + s.ToString());
      return kExitFailure;
    }
  }
  return std::nullopt;
}

bool Daemon::HangupIgnored() {
  struct sigaction current {};
  return ::sigaction(SIGHUP, nullptr, &current) == 0 && current.sa_handler == SIG_IGN;
}

std::optional<int> Daemon::StartService() {
  // Signals first: once the admin socket exists (what scripts and tests wait for), a
  // SIGTERM is a clean stop, never the default action.
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.add(SIGHUP);
  admin_ =
      std::make_unique<AdminServer>(io_, config_.daemon.admin_socket,
                                    [this](const admin::Request& r, AdminServer::Respond respond) {
                                      HandleAdmin(r, std::move(respond));
                                    });
  if (Status s = admin_->Start(); !s.ok()) {
    ReportFatal("cannot start: " + s.ToString());
    return s.code() == Status::Code::kInvalidArgument ? kExitConfig : kExitFailure;
  }
  if (metrics_) spdlog::info("metrics at http://{}/metrics", metrics_->address());
  WaitSignal();
  spdlog::info("newsd ready: {}, data_dir={}, admin socket {}",
               Counted(config_.feeds.size(), "feed", "feeds"), config_.storage.data_dir,
               config_.daemon.admin_socket);
  StartRestore();
  NotifyReady(StatusLine());
  if (std::optional<std::chrono::microseconds> period = WatchdogPeriod()) ArmWatchdog(*period);
  if (config_.storage.retention_seconds > 0) ArmRetention(kFirstRetention);
  return std::nullopt;
}

int Daemon::ReportRound() const {
  const std::string summary = fmt::format(
      "round summary: polled={} fetched={} not_modified={} failed={} new_items={} unchanged={} "
      "held={} unstored={} corrected={}",
      round_.polled, round_.fetched, round_.not_modified, round_.failed, round_.new_items,
      round_.unchanged, round_.held, round_.unstored, round_.corrected);
  // The answer of `newsd --once`; the service's rounds are logs.
  mode_ == Mode::kOnce ? ReportResult(summary) : spdlog::info("{}", summary);
  if (mode_ == Mode::kOnce && stop_signal_ != 0) {
    spdlog::warn("round stopped by signal {}: the feeds it did not poll are polled by the next",
                 stop_signal_);
    return 128 + stop_signal_;
  }
  if (mode_ == Mode::kOnce && round_.unstored > 0) {
    // Nothing of those polls is in the archive: a cron job or a script must not take the round
    // for done.
    spdlog::error(
        "{} not be stored (see the errors above): their items are not in the archive; the next "
        "round fetches them again once the archive can be written",
        Counted(round_.unstored, "poll could", "polls could"));
    return kExitFailure;
  }
  return fatal_ ? kExitFailure : kExitOk;
}

void Daemon::StartRestore() {
  if (restore_thread_.joinable()) restore_thread_.join();  // the last one posted and ended
  restoring_ = true;
  restore_thread_ = std::thread([this] {
    const auto began = std::chrono::steady_clock::now();
    Status s = ingestor_->Restore();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
    asio::post(io_, [this, s, seconds = took.count()] { OnRestored(s, seconds); });
  });
}

void Daemon::OnRestored(const Status& s, double seconds) {
  restoring_ = false;
  std::vector<std::pair<FeedId, std::function<void()>>> waiting = std::move(after_restore_);
  after_restore_.clear();
  if (!s.ok()) {
    StopOnUnreadableIndex(s);
    NotifyStopping();
    for (const auto& [id, apply] : waiting) {  // not stored: fetched again at the next start
      in_hand_.erase(id);
      --in_flight_;
    }
    return MaybeFinish();
  }
  restored_ = true;
  ReleaseFreeHeap();  // the restore's temporaries
  spdlog::info("dedup index restored: {} in {:.1f} s; {}",
               Counted(ingestor_->engine().IndexedItems(), "item", "items"), seconds,
               Paused() ? "polling waits for the archive to take writes" : "polling starts");
  for (auto& [id, apply] : waiting) apply();
  NotifyStatus(StatusLine());
  PollDue();
}

void Daemon::StopOnUnreadableIndex(const Status& s) {
  ReportFatal("cannot read the dedup index from the archive, stopping: " + s.ToString());
  fatal_ = stopping_ = true;
}

void Daemon::RestoreAfterFailedCommit() {
  if (!ingestor_->stale()) return;
  restored_ = false;
  // Stopping: no restore (polls still in hand end without their items, fetched again at
  // the next start: OnParsed).
  if (stopping_) return;
  if (mode_ == Mode::kService) {
    spdlog::info("reading the dedup index again from the archive (what was staged is dropped)");
    return StartRestore();
  }
  if (Status s = EnsureRestored(); !s.ok()) StopOnUnreadableIndex(s);
}

bool Daemon::WhenRestored(const FeedId& id, std::function<void()> apply) {
  if (!restoring_) return false;
  after_restore_.emplace_back(id, std::move(apply));
  return true;
}

Status Daemon::EnsureRestored() {
  if (restored_) return Status::Ok();
  if (Status s = ingestor_->Restore(); !s.ok()) return s;
  restored_ = true;
  return Status::Ok();
}

void Daemon::ArmWatchdog(std::chrono::microseconds period) {
  watchdog_timer_.expires_after(period / 2);
  watchdog_timer_.async_wait([this, period](boost::system::error_code ec) {
    if (ec || stopping_) return;
    const auto stuck = std::chrono::steady_clock::now() - commit_started_;
    if (ingestor_->committing() && stuck > period) {
      spdlog::error("a commit has been running for {} s: not pinging the watchdog",
                    std::chrono::duration_cast<std::chrono::seconds>(stuck).count());
    } else {
      NotifyWatchdog();
    }
    ArmWatchdog(period);
  });
}

void Daemon::MaybeFinish() {
  if (in_flight_ > 0) return;
  if ((mode_ == Mode::kOnce && gate_->waiting() == 0) || stopping_) {
    if (ingestor_->committing()) return;         // CommitDone calls back here
    if (HasUncommitted()) return CommitGroup();  // calls back here when done
    if (admin_) admin_->Stop();
    if (metrics_) metrics_->Stop();
    timer_.cancel();
    timer_wake_ms_.reset();
    commit_timer_.cancel();
    probe_timer_.cancel();
    retention_timer_.cancel();
    watchdog_timer_.cancel();
    stop_timer_.cancel();
    signals_.cancel();
    stopping_pool_.store(true, std::memory_order_relaxed);  // queued queries: no one to answer
    io_.stop();
  }
}

void Daemon::WaitSignal() {
  signals_.async_wait([this](boost::system::error_code ec, int signo) {
    if (!ec) OnSignal(signo);
  });
}

void Daemon::OnSignal(int signo) {
  if (signo == SIGHUP && mode_ == Mode::kService) {
    spdlog::info("received SIGHUP: reloading {}", config_.path);
    if (!stopping_) (void)Reload();  // logs either way
    return WaitSignal();
  }
  if (stop_signal_ != 0) {
    AbandonFetches("received signal " + std::to_string(signo) + " again");
    return WaitSignal();
  }
  stop_signal_ = signo;
  spdlog::info(
      "received signal {}: finishing {} in hand (for at most {} s; a second signal "
      "ends them at once), then exiting",
      signo, Counted(in_flight_, "poll", "polls"), kStopGrace.count());
  NotifyStopping();
  stopping_ = true;
  timer_.cancel();
  timer_wake_ms_.reset();
  stop_timer_.expires_after(kStopGrace);
  stop_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) AbandonFetches(std::to_string(kStopGrace.count()) + " s after the stop signal");
  });
  WaitSignal();
  MaybeFinish();
}

void Daemon::AbandonFetches(const std::string& why) {
  if (abandoning_ || http_ == nullptr || http_->InFlight() == 0) return;
  spdlog::warn("{}: abandoning {} under way; their feeds are polled again at the next start", why,
               Counted(http_->InFlight(), "fetch", "fetches"));
  abandoning_ = true;
  http_->CancelAll();
}

std::string Daemon::StatusLine() const {
  if (Paused()) {
    return "ingest paused since " + FormatIso8601(paused_since_) +
           ": the archive refuses writes: " + storage_error_.message();
  }
  if (restoring_) {
    return std::to_string(config_.feeds.size()) +
           " feeds; restoring the dedup index from the archive before polling";
  }
  return std::to_string(config_.feeds.size()) + " feeds, " + std::to_string(in_flight_) +
         " in flight, " + std::to_string(ingestor_->stats().new_stories) + " new stories, " +
         std::to_string(ingestor_->stats().copies) + " copies since start" +
         (last_round_ > 0 ? "; last round " + FormatIso8601(last_round_) : "");
}

}  // namespace newsd::daemon
