#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>

#include "core/hash.h"
#include "core/redact.h"
#include "core/time.h"
#include "daemon/convert.h"
#include "daemon/heap.h"
#include "daemon/logging.h"
#include "daemon/notify.h"

namespace newsd::daemon {

namespace {

constexpr int64_t kRetryAfterCommitFailure = 60;  // seconds
// Group commit: a commit covers the polls finished within this long, or this many. 64 feeds
// (about 2,300 items, ~12 MB of batch in a cold round of bench-feeds) rather than 128: with
// one group written while the next fills, a cold round's peak RSS fell from ~480 to ~390 MB
// and its time by 7 % (docs/BENCHMARKS.md), for twice the (grouped) log syncs.
constexpr auto kGroupCommitDelay = std::chrono::milliseconds(50);
constexpr size_t kGroupCommitFeeds = 64;
constexpr auto kFirstRetention = std::chrono::seconds(10);  // after start-up
constexpr auto kRetentionPeriod = std::chrono::hours(1);
constexpr auto kRetentionNextChunk = std::chrono::milliseconds(100);
constexpr size_t kRetentionChunk = 2000;  // stories per write

std::string Describe(const fetchers::FetchResult& r) {
  if (!r.status.ok()) return r.status.ToString();
  return "HTTP " + std::to_string(r.http_status);
}

}  // namespace

Daemon::Daemon(config::Config config, Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      timer_(io_),
      commit_timer_(io_),
      probe_timer_(io_),
      retention_timer_(io_),
      watchdog_timer_(io_),
      signals_(io_),
      parser_identity_(Hash64(std::string(NEWSD_VERSION) + " " +
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
  if (Status s = Open(mode); !s.ok()) {
    ReportFatal("cannot start: " + s.ToString());
    // A restart cannot mend permissions: the unit does not restart on kExitConfig.
    return s.code() == Status::Code::kPermissionDenied ? kExitConfig : kExitFailure;
  }
  // One round from cron never reaches the service's hourly retention timer: it runs a whole
  // pass first, or the archive would keep every story for ever.
  if (mode == Mode::kOnce && config_.storage.retention_seconds > 0) RetainOnce();
  if (mode == Mode::kService) {
    // Signals first: once the admin socket exists (what scripts and tests wait for), a
    // SIGTERM is a clean stop, never the default action.
    signals_.add(SIGTERM);
    signals_.add(SIGINT);
    signals_.add(SIGHUP);
    admin_ = std::make_unique<AdminServer>(
        io_, config_.daemon.admin_socket,
        [this](const admin::Request& r, AdminServer::Respond respond) {
          HandleAdmin(r, std::move(respond));
        });
    if (Status s = admin_->Start(); !s.ok()) {
      ReportFatal("cannot start: " + s.ToString());
      return s.code() == Status::Code::kInvalidArgument ? kExitConfig : kExitFailure;
    }
    if (!config_.daemon.metrics.empty()) {
      metrics_ = std::make_unique<MetricsServer>(io_, [this] { return RenderMetrics(); });
      if (Status s = metrics_->Start(config_.daemon.metrics); !s.ok()) {
        ReportFatal("cannot start: " + s.ToString());
        return kExitFailure;
      }
      spdlog::info("metrics at http://{}/metrics", metrics_->address());
    }
    WaitSignal();
    spdlog::info("newsd ready: {} feeds, data_dir={}, admin socket {}", config_.feeds.size(),
                 config_.storage.data_dir, config_.daemon.admin_socket);
    StartRestore();
    NotifyReady(StatusLine());
    if (std::optional<std::chrono::microseconds> period = WatchdogPeriod()) ArmWatchdog(*period);
    if (config_.storage.retention_seconds > 0) ArmRetention(kFirstRetention);
  }
  // Parsing runs on the pool while the loop may have nothing else pending: keep run() going
  // until MaybeFinish() stops the loop.
  auto work = asio::make_work_guard(io_);
  asio::post(io_, [this] { PollDue(); });
  io_.run();
  if (restore_thread_.joinable()) restore_thread_.join();
  pool_->join();
  spdlog::info(
      "round summary: polled={} fetched={} not_modified={} failed={} new_items={} unchanged={} "
      "held={} unstored={}",
      round_.polled, round_.fetched, round_.not_modified, round_.failed, round_.new_items,
      round_.unchanged, round_.held, round_.unstored);
  if (mode_ == Mode::kOnce && round_.unstored > 0) {
    // Nothing of those polls is in the archive: a cron job or a script must not take the round
    // for done.
    spdlog::error(
        "{} poll(s) could not be stored (see the errors above): their items are not in the "
        "archive; the next round fetches them again once the archive can be written",
        round_.unstored);
    return kExitFailure;
  }
  return fatal_ ? kExitFailure : kExitOk;
}

std::string Daemon::GateHost(const FeedId& id) const {
  auto state = states_.find(id);
  std::string own = state == states_.end() ? std::string() : fetchers::HostKey(state->second.url);
  auto target = redirected_to_.find(id);
  if (target == redirected_to_.end()) return own;
  // It waits on the host its redirect leads to, unless its own host is held longer: the
  // poll asks that one first (a hold of the target stops the redirect, may_follow).
  const int64_t now = NowMs();
  return gate_->HeldUntil(own, now) > gate_->HeldUntil(target->second, now) ? own : target->second;
}

void Daemon::PollDue() {
  if (stopping_) return MaybeFinish();
  if (restoring_) return;  // OnRestored polls
  const UnixSeconds now = clock_.NowSeconds();
  for (const FeedId& id : scheduler_.PopDue(now)) {
    const config::FeedConfig* feed = FindFeed(id);
    // In hand: whoever ends that poll schedules the next. Paused: not polled.
    if (feed == nullptr || !feed->enabled || in_hand_.count(id) != 0) continue;
    gate_->Enqueue(GateHost(id), id);
  }
  last_round_ = now;
  Dispatch();
}

void Daemon::Dispatch() {
  // Back-pressure: while a group is being written and the next one is full, start nothing
  // more (CommitDone dispatches again), so staged batches stay bounded.
  // Polls in hand (fetching, parsing or staged) are bounded too: fetching outruns parsing on
  // a fast network, and each waiting body is memory.
  const bool backlog =
      Paused() || (ingestor_->committing() && uncommitted_.size() >= kGroupCommitFeeds);
  const int in_hand_limit = 2 * config_.fetch.max_total_connections;
  if (!stopping_ && !backlog && in_flight_ < in_hand_limit) {
    const auto room = static_cast<size_t>(in_hand_limit - in_flight_);
    for (const HostGate::Start& start : gate_->TakeStartable(NowMs(), room)) {
      const config::FeedConfig* feed = FindFeed(start.feed);
      if (feed != nullptr && feed->enabled && in_hand_.count(start.feed) == 0) {
        StartPoll(*feed, start.host);
      } else {
        gate_->Release(start.host);  // removed, paused or in hand meanwhile: not started
      }
    }
  }
  if (mode_ == Mode::kOnce) {
    // One round does not sit out a publisher's Retry-After (up to retry_after_max, days): the
    // feeds it holds are left to a round after it (the hold is kept in the archive).
    for (const HostGate::Held& held : gate_->DropHeld(NowMs())) {
      ++round_.held;
      spdlog::warn(
          "feed={} not polled this round: its host {} asked to wait until {} (Retry-After); "
          "a round after that polls it",
          held.feed, held.host, FormatIso8601(held.until));
    }
  }
  ArmTimer();
  MaybeFinish();
}

void Daemon::StartPoll(const config::FeedConfig& feed, const std::string& host) {
  const storage::FeedState& state = states_[feed.id];
  fetchers::FetchRequest request{state.url, state.etag, state.last_modified, {}};
  // A redirect to a host under a Retry-After stops there (a feed whose redirect target is new,
  // or changed, did not wait on that host).
  request.may_follow = [this](const std::string& target) {
    return gate_->HeldUntil(target, NowMs()) == 0;
  };
  const bool conditional = fetchers::SendsValidators(state.etag, state.last_modified);
  const int64_t start_ms = NowMs();
  gate_->Started(host, feed.id, start_ms);
  // Waiting on the host its redirect leads to (GateHost), it still asks its own URL's first.
  gate_->Requested(fetchers::HostKey(state.url), feed.id, conditional, start_ms);
  ++in_flight_;
  ++round_.polled;
  auto generation = generation_.find(feed.id);
  in_hand_[feed.id] = InHand{generation == generation_.end() ? 0 : generation->second, {}};
  http_->Fetch(std::move(request),
               [this, feed, host, conditional, start_ms](fetchers::FetchResult result) {
                 CountRedirects(feed.id, conditional, start_ms, result);
                 OnFetched(feed, host, conditional, std::move(result));
               });
}

void Daemon::CountRedirects(const FeedId& feed, bool conditional, int64_t start_ms,
                            const fetchers::FetchResult& result) {
  // Each hop followed is a request of its own (curl sends the validators to every hop). Hops
  // are dated at the poll's start: their own times are not known, and a Retry-After that came
  // while the poll ran could not stop them.
  std::vector<std::string> asked;
  if (!result.redirects.empty()) asked.push_back(fetchers::HostKey(result.redirects[0].from));
  for (const fetchers::Redirect& hop : result.redirects) {
    const std::string host = fetchers::HostKey(hop.to);
    const bool again = std::find(asked.begin(), asked.end(), host) != asked.end();
    gate_->Requested(host, feed, conditional, start_ms, again);
    if (!again) asked.push_back(host);
  }
}

void Daemon::OnFetched(const config::FeedConfig& feed, const std::string& host, bool conditional,
                       fetchers::FetchResult result) {
  // A poll stopped at a redirect to a held host got its answer (the redirect): no failure.
  const bool answered = result.status.ok() || !result.held_at.empty();
  ++responses_[answered ? result.http_status : 0];
  bytes_fetched_ += result.body.size();
  const bool host_scope = result.public_address || config_.fetch.allow_private;
  // A poll stopped at a redirect to a held host waits on that host from now on.
  const std::string answered_by = !result.held_at.empty() ? result.held_at
                                  : result.effective_url.empty()
                                      ? host
                                      : fetchers::HostKey(result.effective_url);
  gate_->Finished(host, answered_by, result.status.ok() ? result.http_status : 0,
                  result.retry_after_seconds, host_scope, conditional, NowMs());
  // Where the feed's requests end up is the host whose limits its next poll waits on (the
  // poll itself may have waited on that host already: compare with the URL's host). Not
  // learned for a feed a reload removed or changed meanwhile (its URL may be another).
  auto live = states_.find(feed.id);
  const bool same_feed = live != states_.end() && !ChangedSincePoll(feed.id);
  if (same_feed) {
    const std::string url_host = fetchers::HostKey(live->second.url);
    if (!answered_by.empty() && answered_by != url_host) {
      redirected_to_[feed.id] = answered_by;
    } else {
      redirected_to_.erase(feed.id);
    }
  }
  Dispatch();  // the connection is free: the next fetch starts while this body is parsed
  if (result.status.ok() && result.http_status == 200) {
    const uint64_t response_hash = ResponseHash(result);
    if (same_feed && response_hash == live->second.body_hash) {
      // The response last parsed, again (a feed served without validators, say): its items
      // are stored, so it is neither parsed nor kept as a raw body again.
      ++round_.unchanged;
      spdlog::debug("feed={} unchanged since its last parse", feed.id);
      PollReport report;
      report.unchanged = true;
      return FinishPoll(feed, result, report);
    }
    // Parsing and tokenising are pure CPU work: run them on the pool and come back to the loop
    // with the result.
    asio::post(*pool_, [this, feed, fetched_at = clock_.NowSeconds(), response_hash,
                        result = std::move(result)]() mutable {
      // Relative links resolve against the URL without its credentials: item links are public.
      const std::string base = WithoutUserInfo(result.effective_url);
      parse::Input in{result.body, result.content_type, base, ""};
      Result<parse::Feed> parsed = parse::Parse(in, config_.parse);
      Prepared prepared;
      if (parsed) prepared = PrepareArticles(*parsed, feed, fetched_at, *archive_, config_.dedup);
      prepared.response_hash = response_hash;
      if (config_.storage.raw_bodies > 0) {
        // Kept even when unreadable (a newer parser may read it): compressed here on the
        // pool, so only the packed bytes wait for the commit.
        prepared.raw = archive_->PackRawBody({feed.id, fetched_at, result.effective_url,
                                              result.content_type, std::move(result.body)});
        result.body = std::string();
      }
      asio::post(io_, [this, feed, result = std::move(result), parsed = std::move(parsed),
                       prepared = std::move(prepared)]() mutable {
        OnParsed(feed, result, std::move(parsed), std::move(prepared));
      });
    });
    return;
  }
  if (!result.held_at.empty()) {
    PollReport report;
    // At least a second on: the hold may have ended since the redirect was refused.
    report.held_until = std::max(gate_->HeldUntil(result.held_at, NowMs()), NowMs() / 1000 + 1);
    ++round_.held;
    spdlog::warn(
        "feed={} url={} redirect to {} not followed: that host asked to wait until {} "
        "(Retry-After); the feed is polled after that",
        feed.id, UrlOf(feed), result.held_at, FormatIso8601(report.held_until));
    return FinishPoll(feed, result, report);
  }
  // A 304 to a request without validators is the publisher's error (ApplyPoll: a failure).
  if (result.status.ok() && result.http_status == 304 && conditional) {
    ++round_.not_modified;
    spdlog::debug("feed={} not modified", feed.id);
  } else {
    ++round_.failed;
    spdlog::warn("feed={} url={} fetch failed: {}{}", feed.id, UrlOf(feed), Describe(result),
                 result.status.ok() && result.http_status == 304
                     ? " to a request without validators (the publisher sent no feed)"
                     : "");
  }
  FinishPoll(feed, result, PollReport{});
}

uint64_t Daemon::ResponseHash(const fetchers::FetchResult& result) const {
  const uint64_t context =
      Hash64(result.content_type + '\n' + result.effective_url, parser_identity_);
  const uint64_t hash = Hash64(result.body, context);
  return hash != 0 ? hash : 1;
}

Daemon::Prepared Daemon::PrepareArticles(const parse::Feed& parsed, const config::FeedConfig& feed,
                                         UnixSeconds fetched_at, storage::Archive& archive,
                                         const dedup::Options& dedup) {
  Prepared prepared;
  prepared.articles = ToArticles(parsed, feed.id, feed.name, fetched_at);
  prepared.texts.reserve(prepared.articles.size());
  for (const Article& a : prepared.articles) {
    // A feed that changed (a new item, a new lastBuildDate) still lists mostly stored items,
    // which staging skips: their text is not tokenised. (Reads may run beside commits; should
    // the item go meanwhile, staging tokenises it itself.)
    Result<bool> stored = archive.HasItem(a.id);
    prepared.texts.push_back(stored && *stored ? dedup::PreparedText()
                                               : dedup::Engine::Prepare(a.title, a.text, dedup));
  }
  return prepared;
}

void Daemon::OnParsed(const config::FeedConfig& feed, const fetchers::FetchResult& result,
                      Result<parse::Feed> parsed, Prepared prepared) {
  PollReport report;
  if (!prepared.raw.feed.empty()) ingestor_->StageRawBody(std::move(prepared.raw));
  if (!parsed) {
    ++round_.failed;
    report.parse_error = parsed.error().message();
    spdlog::warn("feed={} url={} unreadable: {}", feed.id, UrlOf(feed), parsed.error().ToString());
    return FinishPoll(feed, result, report);
  }
  if (parsed->bozo) {
    // The charset it was read as tells mojibake from a mere warning.
    spdlog::info("feed={} recovered from ill-formed XML (read as {}): {}", feed.id,
                 parsed->encoding, parsed->bozo_reason);
    report.warning =
        "ill-formed XML, recovered (read as " + parsed->encoding + "): " + parsed->bozo_reason;
  }
  for (const std::string& limit : parsed->limits_hit) {
    spdlog::warn("feed={} limit hit: {}", feed.id, limit);
    report.warning += (report.warning.empty() ? "limit hit: " : "; limit hit: ") + limit;
  }
  if (Status s = EnsureRestored(); !s.ok()) {
    ReportFatal("cannot read the dedup index from the archive, stopping: " + s.ToString());
    fatal_ = stopping_ = true;
    report.parse_error = "dedup index unavailable: " + s.message();
    return FinishPoll(feed, result, report);
  }
  ++round_.fetched;
  const uint64_t before = ingestor_->staged_items();
  for (size_t i = 0; i < prepared.articles.size(); ++i) {
    const ItemId id = prepared.articles[i].id;
    if (Status s = ingestor_->Stage(std::move(prepared.articles[i]), &prepared.texts[i]); !s.ok()) {
      spdlog::error("feed={} item={} not ingested: {}", feed.id, id, s.ToString());
    }
  }
  report.parsed = true;
  report.body_hash = prepared.response_hash;
  report.new_items = ingestor_->staged_items() - before;
  report.ttl_minutes = parsed->feed.ttl_minutes;
  report.update_period = parsed->feed.update_period_seconds;
  report.skip_hours = parsed->feed.skip_hours;
  report.skip_days = parsed->feed.skip_days;
  spdlog::info("feed={} fetched: {} entries, {} new", feed.id, parsed->entries.size(),
               report.new_items);
  FinishPoll(feed, result, report);
}

void Daemon::StartRestore() {
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
  if (!s.ok()) {
    ReportFatal("cannot read the dedup index from the archive, stopping: " + s.ToString());
    fatal_ = stopping_ = true;
    NotifyStopping();
    return MaybeFinish();
  }
  restored_ = true;
  ReleaseFreeHeap();  // the restore's temporaries
  spdlog::info("dedup index restored: {} items in {:.1f} s; polling starts",
               ingestor_->engine().IndexedItems(), seconds);
  NotifyStatus(StatusLine());
  PollDue();
}

Status Daemon::EnsureRestored() {
  if (restored_) return Status::Ok();
  if (Status s = ingestor_->Restore(); !s.ok()) return s;
  restored_ = true;
  return Status::Ok();
}

void Daemon::FinishPoll(const config::FeedConfig& feed, const fetchers::FetchResult& result,
                        const PollReport& report) {
  // A reload or newsctl may have changed the feed during its poll. The publisher saw the poll,
  // so it counts: under the configuration in force now when the URL stayed, else (removed, or
  // another URL) over the state and configuration it ran with, and CommitDone sees the result
  // through the new configuration.
  const config::FeedConfig* current = FindFeed(feed.id);
  const bool changed = ChangedSincePoll(feed.id);
  InHand& hand = in_hand_[feed.id];
  const bool carry_over = current != nullptr && (!changed || current->url == feed.url);
  storage::FeedState state = carry_over          ? states_[feed.id]
                             : hand.polled_state ? std::move(*hand.polled_state)
                                                 : InitialState(feed, std::nullopt);
  hand.polled_state.reset();
  hand.new_items = report.new_items;  // counted once stored (CommitDone)
  const int64_t now_ms = NowMs();
  const UnixSeconds now = now_ms / 1000;
  const PollDecision d = ApplyPoll(carry_over ? *current : feed, config_.politeness, result, report,
                                   now, Uniform(), &state);
  if (changed && carry_over) {
    state = InitialState(*current, std::move(state));  // paused meanwhile: stays paused
    hand.generation = generation_[feed.id];
  }
  // The policy works in whole seconds: round later times up, so a poll never comes sooner
  // than its interval or Retry-After (a zero interval stays "due now").
  const int late = now_ms % 1000 != 0 ? 1 : 0;
  if (state.next_fetch > now) state.next_fetch += late;
  if (state.retry_until > now) state.retry_until += late;
  state.items_new += report.new_items;
  if (!d.log.empty()) spdlog::info("feed={} {}", feed.id, d.log);
  if (d.url_moved) WarnIfPolledTwice(feed.id, state.url);
  ingestor_->StageFeed(state);
  uncommitted_.push_back(std::move(state));
  --in_flight_;
  const bool idle = in_flight_ == 0 && gate_->waiting() == 0;
  if (idle || stopping_ || uncommitted_.size() >= kGroupCommitFeeds) {
    CommitGroup();
  } else if (!commit_armed_) {
    commit_armed_ = true;
    commit_timer_.expires_after(kGroupCommitDelay);
    commit_timer_.async_wait([this](boost::system::error_code ec) {
      commit_armed_ = false;
      if (!ec) CommitGroup();
    });
  }
  Dispatch();
}

UnixSeconds Daemon::ScheduledAt(const FeedId& id, std::string* waiting) const {
  if (std::optional<UnixSeconds> at = scheduler_.At(id)) return *at;
  const std::optional<std::string> host = gate_->WaitingOn(id);
  if (!host) return 0;
  if (const UnixSeconds until = gate_->HeldUntil(*host, NowMs()); until > 0) {
    *waiting = "due; waiting until " + FormatIso8601(until) + ": host " + *host +
               " asked for it (Retry-After)";
    return until;
  }
  *waiting = "due; waiting for its turn on host " + *host + " ([politeness] limits)";
  return clock_.NowSeconds();
}

void Daemon::WarnIfPolledTwice(const FeedId& id, const std::string& url) const {
  const std::string key = config::SameUrlKey(url);
  for (const config::FeedConfig& other : config_.feeds) {
    if (other.id == id || !other.enabled || config::SameUrlKey(UrlOf(other)) != key) continue;
    spdlog::warn(
        "feed={} moved to {}, which feed {} polls too: the publisher now gets both polls; "
        "remove one of them (`newsctl feeds remove`, or the configuration)",
        id, url, other.id);
  }
}

void Daemon::CommitGroup() {
  // One group is written at a time; what finishes meanwhile waits for CommitDone.
  if (!HasUncommitted() || ingestor_->committing()) return;
  for (storage::HostStats& host : gate_->TakeDirty()) {
    if (!host.host.empty()) ingestor_->StageHost(std::move(host));
  }
  committing_ = std::move(uncommitted_);
  uncommitted_.clear();
  committing_waiters_ = std::move(uncommitted_waiters_);
  uncommitted_waiters_.clear();
  // The batch is written on a thread of the ingestor's while this loop fetches, parses and
  // stages the next group; the thread only posts the news back here.
  commit_started_ = std::chrono::steady_clock::now();
  Status s = ingestor_->CommitInBackground([this] { asio::post(io_, [this] { OnCommitted(); }); });
  if (!s.ok() || !ingestor_->committing()) CommitDone(s);
}

void Daemon::OnCommitted() { CommitDone(ingestor_->WaitCommitted()); }

void Daemon::CommitDone(const Status& s) {
  if (!committing_.empty() || !committing_waiters_.empty()) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - commit_started_;
    commit_seconds_ += took.count();
    ++commit_groups_;
  }
  std::vector<storage::FeedState> group = std::move(committing_);
  committing_.clear();
  std::vector<CommitWaiter> waiters = std::move(committing_waiters_);
  committing_waiters_.clear();
  if (!s.ok()) {
    // What was staged since is dropped too (see below): its waiters learn it now.
    for (CommitWaiter& w : uncommitted_waiters_) waiters.push_back(std::move(w));
    uncommitted_waiters_.clear();
    // The ingestor dropped what was staged since as well (it starts again from what is
    // stored), so those polls are redone too.
    for (storage::FeedState& state : uncommitted_) group.push_back(std::move(state));
    uncommitted_.clear();
    const int64_t retry = mode_ == Mode::kService ? RetrySeconds() : kRetryAfterCommitFailure;
    spdlog::error("commit of {} poll(s) failed, they will be fetched again: {}", group.size(),
                  s.ToString());
    round_.failed += static_cast<int>(group.size());
    round_.unstored += static_cast<int>(group.size());
    for (const storage::FeedState& state : group) {
      const config::FeedConfig* feed = FindFeed(state.id);
      const bool changed = ChangedSincePoll(state.id);
      in_hand_.erase(state.id);
      if (feed == nullptr) continue;
      if (changed) {  // states_ holds what the change made of it; the publisher saw this poll
        ScheduleAfterChange(*feed);
        if (auto at = scheduler_.At(state.id); at && mode_ == Mode::kService) {
          scheduler_.Set(state.id,
                         std::max({*at, state.last_fetch + config_.politeness.min_interval,
                                   state.retry_until}));
        }
        continue;
      }
      UnixSeconds at = clock_.NowSeconds() + retry;
      if (mode_ == Mode::kService) {
        // The publisher saw this poll: the floor and its Retry-After hold for the next one.
        at = std::max({at, state.last_fetch + config_.politeness.min_interval, state.retry_until});
      }
      scheduler_.Set(state.id, at);
    }
    if (mode_ == Mode::kService) PauseIngest(s);
  } else {
    for (storage::FeedState& state : group) {
      const config::FeedConfig* feed = FindFeed(state.id);
      const bool changed = ChangedSincePoll(state.id);
      if (auto hand = in_hand_.find(state.id); hand != in_hand_.end()) {
        round_.new_items += hand->second.new_items;
        in_hand_.erase(hand);
      }
      if (feed == nullptr) continue;  // removed by a reload meanwhile
      if (changed) {
        // Changed while being written: the stored poll seen through the new configuration
        // (a new URL starts afresh, a paused feed stays paused), scheduled as a reload does.
        // (Keyed by feed->id: state.id is moved from before the map is indexed.)
        states_[feed->id] = InitialState(*feed, std::move(state));
        ScheduleAfterChange(*feed);
        continue;
      }
      if (state.next_fetch > 0) scheduler_.Set(state.id, state.next_fetch);
      states_[state.id] = std::move(state);
    }
    if (Paused() && !group.empty()) {
      spdlog::info("ingest resumed: a commit succeeded after {} s paused",
                   clock_.NowSeconds() - paused_since_);
      storage_error_ = Status::Ok();
    }
  }
  if (mode_ == Mode::kService) {
    NotifyStatus(StatusLine());
    ArmTimer();
  }
  for (CommitWaiter& w : waiters) w(s);
  // Polls that finished during the write form the next group at once.
  if (HasUncommitted()) CommitGroup();
  Dispatch();
}

void Daemon::ArmRetention(std::chrono::milliseconds delay) {
  retention_timer_.expires_after(clock_.RealSpan(delay));
  retention_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) RunRetention();
  });
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

Result<bool> Daemon::RetentionChunk() {
  const UnixSeconds now = clock_.NowSeconds();
  const UnixSeconds cutoff = now - config_.storage.retention_seconds;
  auto chunk =
      archive_->ExpireStories(cutoff, now + config_.storage.seen_grace_seconds, kRetentionChunk);
  if (!chunk) {
    retention_pass_ = {};
    return Err(chunk.error());
  }
  retention_pass_.stories += chunk->stories;
  retention_pass_.items += chunk->items;
  if (chunk->more) return true;
  if (retention_pass_.stories > 0) {
    spdlog::info("retention: removed {} stories ({} items) last updated before {}",
                 retention_pass_.stories, retention_pass_.items, FormatIso8601(cutoff));
  }
  retention_pass_ = {};
  return false;
}

void Daemon::RunRetention() {
  if (stopping_) return;
  // Retention writes outside the ingestor's batches: never while one is being written.
  if (Paused() || ingestor_->committing()) return ArmRetention(std::chrono::seconds(1));
  Result<bool> more = RetentionChunk();
  if (!more && more.error().code() == Status::Code::kIOError) {
    // The archive refuses writes (a full disk): ingest pauses as for a failed commit, and
    // retention goes on once a test write succeeds.
    PauseIngest(more.error().WithContext("retention"));
    return ArmRetention(std::chrono::seconds(1));
  }
  if (!more) {
    spdlog::error("retention failed, tried again in an hour: {}", more.error().ToString());
    return ArmRetention(kRetentionPeriod);
  }
  ArmRetention(*more ? kRetentionNextChunk : kRetentionPeriod);
}

void Daemon::RetainOnce() {
  for (;;) {
    Result<bool> more = RetentionChunk();
    if (!more) {
      spdlog::error("retention failed, tried again next round: {}", more.error().ToString());
      return;
    }
    if (!*more) return;
  }
}

int64_t Daemon::RetrySeconds() const {
  return std::max<int64_t>(1, config_.daemon.storage_retry_seconds);
}

void Daemon::PauseIngest(const Status& s) {
  if (!Paused() || (NeedsRestart(s) && !NeedsRestart(storage_error_))) {
    if (!Paused()) paused_since_ = clock_.NowSeconds();
    spdlog::error(
        "ingest paused: the archive refuses writes ({}). Nothing committed is lost; no feed is "
        "fetched until a test write succeeds, tried every {} s. {}",
        s.ToString(), RetrySeconds(), WhatToDo(s));
  }
  storage_error_ = s;
  NotifyStatus(StatusLine());
  probe_timer_.expires_after(std::chrono::seconds(RetrySeconds()));
  probe_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) ProbeStorage();
  });
}

bool Daemon::NeedsRestart(const Status& s) {
  return s.message().find(storage::kReopenNeeded) != std::string::npos;
}

std::string Daemon::WhatToDo(const Status& s) const {
  if (NeedsRestart(s)) {
    return "The storage engine cannot take writes again by itself after this error: fix the "
           "file system of " +
           config_.storage.data_dir + ", then restart newsd (systemctl restart newsd).";
  }
  return "Free space or fix the file system of " + config_.storage.data_dir +
         " and ingest resumes by itself.";
}

void Daemon::ProbeStorage() {
  if (stopping_ || !Paused()) return;
  if (ingestor_->committing()) return PauseIngest(storage_error_);  // its result decides
  if (Status s = archive_->ProbeWrite(clock_.NowSeconds()); !s.ok()) {
    spdlog::warn("archive still refuses writes: {}", s.ToString());
    return PauseIngest(s);
  }
  spdlog::info("ingest resumed: the archive takes writes again after {} s paused",
               clock_.NowSeconds() - paused_since_);
  storage_error_ = Status::Ok();
  NotifyStatus(StatusLine());
  PollDue();
}

void Daemon::ArmTimer() {
  // While paused only the probe timer runs (waiting feeds would wake the loop at once).
  if (stopping_ || Paused()) return;
  const int64_t now_ms = NowMs();
  std::optional<int64_t> wake = gate_->NextWakeMs(now_ms);
  if (mode_ == Mode::kService) {
    if (auto next = scheduler_.NextDue()) {
      const int64_t due_ms = *next * 1000;
      wake = wake ? std::min(*wake, due_ms) : due_ms;
    }
  }
  if (!wake || wake == timer_wake_ms_) return;  // nothing to wait for, or already waiting
  timer_wake_ms_ = wake;
  timer_.expires_after(
      clock_.RealSpan(std::chrono::milliseconds(std::max<int64_t>(0, *wake - now_ms))));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // re-armed (or cancelled at stop): timer_wake_ms_ is the new one's
    timer_wake_ms_.reset();
    if (mode_ == Mode::kService) {
      PollDue();
    } else {
      Dispatch();
    }
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
  if (signo == SIGHUP) {
    spdlog::info("received SIGHUP: reloading {}", config_.path);
    if (!stopping_) (void)Reload();  // logs either way
    return WaitSignal();
  }
  spdlog::info("received signal {}: finishing {} poll(s) in hand, then exiting", signo, in_flight_);
  NotifyStopping();
  stopping_ = true;
  timer_.cancel();
  timer_wake_ms_.reset();
  MaybeFinish();
}

std::string Daemon::StatusLine() const {
  if (restoring_) {
    return std::to_string(config_.feeds.size()) +
           " feeds; restoring the dedup index from the archive before polling";
  }
  if (Paused()) {
    return "ingest paused since " + FormatIso8601(paused_since_) +
           ": the archive refuses writes: " + storage_error_.message();
  }
  return std::to_string(config_.feeds.size()) + " feeds, " + std::to_string(in_flight_) +
         " in flight, " + std::to_string(ingestor_->stats().new_stories) + " new stories, " +
         std::to_string(ingestor_->stats().copies) + " copies since start" +
         (last_round_ > 0 ? "; last round " + FormatIso8601(last_round_) : "");
}

}  // namespace newsd::daemon
