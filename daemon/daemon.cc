#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <thread>

#include "daemon/convert.h"
#include "daemon/notify.h"

namespace newsd::daemon {

namespace {

constexpr int64_t kRetryAfterCommitFailure = 60;  // seconds

std::string Describe(const fetchers::FetchResult& r) {
  if (!r.status.ok()) return r.status.ToString();
  return "HTTP " + std::to_string(r.http_status);
}

}  // namespace

Daemon::Daemon(config::Config config, Clock& clock)
    : config_(std::move(config)), clock_(clock), timer_(io_), signals_(io_) {}

Daemon::~Daemon() {
  if (pool_) pool_->join();
}

Status Daemon::Open(Mode mode) {
  mode_ = mode;
  started_ = clock_.NowSeconds();
  auto archive = storage::OpenArchive(config_.storage);
  if (!archive) return archive.error();
  archive_ = std::move(*archive);
  ingestor_ = std::make_unique<Ingestor>(*archive_, config_.dedup);
  if (Status s = ingestor_->Restore(); !s.ok()) return s;
  auto http = fetchers::MakeCurlClient(io_, config_.fetch);
  if (!http) return http.error();
  http_ = std::move(*http);
  unsigned workers = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  pool_ = std::make_unique<asio::thread_pool>(workers);
  return LoadFeeds();
}

Status Daemon::LoadFeeds() {
  const UnixSeconds now = clock_.NowSeconds();
  for (const config::FeedConfig& feed : config_.feeds) {
    auto stored = archive_->GetFeed(feed.id);
    if (!stored) return stored.error();
    storage::FeedState state = stored->value_or(storage::FeedState{});
    state.id = feed.id;
    if (state.url != feed.url) {  // a new feed, or its URL changed in the config
      state.url = feed.url;
      state.etag.clear();
      state.last_modified.clear();
    }
    // Honour the persisted schedule, but never wait longer than the configured interval.
    UnixSeconds when =
        state.last_fetch == 0 ? now : std::min(state.next_fetch, state.last_fetch + feed.interval);
    scheduler_.Set(feed.id, when);
    states_[feed.id] = std::move(state);
  }
  return Status::Ok();
}

int Daemon::Run(Mode mode) {
  if (Status s = Open(mode); !s.ok()) {
    spdlog::error("cannot start: {}", s.ToString());
    return kExitFailure;
  }
  if (mode == Mode::kService) {
    admin_ =
        std::make_unique<AdminServer>(io_, config_.daemon.admin_socket,
                                      [this](const admin::Request& r) { return HandleAdmin(r); });
    if (Status s = admin_->Start(); !s.ok()) {
      spdlog::error("cannot start: {}", s.ToString());
      return kExitFailure;
    }
    signals_.add(SIGTERM);
    signals_.add(SIGINT);
    signals_.async_wait([this](boost::system::error_code ec, int signo) {
      if (!ec) OnSignal(signo);
    });
    spdlog::info("newsd ready: {} feeds, data_dir={}, admin socket {}", config_.feeds.size(),
                 config_.storage.data_dir, config_.daemon.admin_socket);
    NotifyReady(StatusLine());
  }
  // Parsing runs on the pool while the loop may have nothing else pending: keep run() going
  // until MaybeFinish() stops the loop.
  auto work = asio::make_work_guard(io_);
  asio::post(io_, [this] { PollDue(); });
  io_.run();
  pool_->join();
  spdlog::info("round summary: polled={} fetched={} not_modified={} failed={} new_items={}",
               round_.polled, round_.fetched, round_.not_modified, round_.failed, round_.new_items);
  return kExitOk;
}

void Daemon::PollDue() {
  if (stopping_) return MaybeFinish();
  const UnixSeconds now = clock_.NowSeconds();
  for (const FeedId& id : scheduler_.PopDue(now)) {
    auto it = std::find_if(config_.feeds.begin(), config_.feeds.end(),
                           [&](const config::FeedConfig& f) { return f.id == id; });
    if (it != config_.feeds.end()) StartPoll(*it);
  }
  last_round_ = now;
  if (mode_ == Mode::kService) {
    ArmTimer();
  } else {
    MaybeFinish();
  }
}

void Daemon::StartPoll(const config::FeedConfig& feed) {
  const storage::FeedState& state = states_[feed.id];
  fetchers::FetchRequest request{state.url, state.etag, state.last_modified};
  ++in_flight_;
  ++round_.polled;
  http_->Fetch(std::move(request),
               [this, feed](fetchers::FetchResult result) { OnFetched(feed, std::move(result)); });
}

void Daemon::OnFetched(const config::FeedConfig& feed, fetchers::FetchResult result) {
  storage::FeedState state = states_[feed.id];
  state.last_fetch = clock_.NowSeconds();
  state.last_http_status = result.http_status;
  ++state.fetches;
  if (result.status.ok() && result.http_status == 200) {
    // Parsing and tokenising are pure CPU work: run them on the pool and come back to the loop
    // with the result.
    asio::post(
        *pool_, [this, feed, fetched_at = state.last_fetch, result = std::move(result)]() mutable {
          parse::Input in{result.body, result.content_type, result.effective_url, ""};
          Result<parse::Feed> parsed = parse::Parse(in, config_.parse);
          Prepared prepared;
          if (parsed) prepared = PrepareArticles(*parsed, feed, fetched_at);
          asio::post(io_, [this, feed, result = std::move(result), parsed = std::move(parsed),
                           prepared = std::move(prepared)]() mutable {
            OnParsed(feed, std::move(result), std::move(parsed), std::move(prepared));
          });
        });
    states_[feed.id] = state;
    return;
  }
  if (result.status.ok() && result.http_status == 304) {
    ++round_.not_modified;
    state.last_error.clear();
    state.consecutive_failures = 0;
    // A 304 updates only the validators it carries.
    if (!result.etag.empty()) state.etag = result.etag;
    if (!result.last_modified.empty()) state.last_modified = result.last_modified;
    spdlog::debug("feed={} not modified", feed.id);
  } else {
    ++round_.failed;
    state.last_error = Describe(result);
    ++state.consecutive_failures;
    spdlog::warn("feed={} url={} fetch failed: {}", feed.id, state.url, state.last_error);
  }
  FinishPoll(feed, std::move(state));
}

Daemon::Prepared Daemon::PrepareArticles(const parse::Feed& parsed, const config::FeedConfig& feed,
                                         UnixSeconds fetched_at) {
  Prepared prepared;
  prepared.articles = ToArticles(parsed, feed.id, feed.name, fetched_at);
  prepared.texts.reserve(prepared.articles.size());
  for (const Article& a : prepared.articles) {
    prepared.texts.push_back(dedup::Engine::Prepare(a.title, a.text));
  }
  return prepared;
}

void Daemon::OnParsed(const config::FeedConfig& feed, fetchers::FetchResult result,
                      Result<parse::Feed> parsed, Prepared prepared) {
  storage::FeedState state = states_[feed.id];
  if (!parsed) {
    ++round_.failed;
    ++state.consecutive_failures;
    state.last_error = "parse: " + parsed.error().message();
    spdlog::warn("feed={} url={} unreadable: {}", feed.id, state.url, parsed.error().ToString());
    return FinishPoll(feed, std::move(state));
  }
  if (parsed->bozo) {
    spdlog::info("feed={} recovered from ill-formed XML: {}", feed.id, parsed->bozo_reason);
  }
  for (const std::string& limit : parsed->limits_hit) {
    spdlog::warn("feed={} limit hit: {}", feed.id, limit);
  }
  ++round_.fetched;
  const uint64_t before = ingestor_->stats().new_stories + ingestor_->stats().copies;
  for (size_t i = 0; i < prepared.articles.size(); ++i) {
    const ItemId id = prepared.articles[i].id;
    if (Status s = ingestor_->Stage(std::move(prepared.articles[i]), &prepared.texts[i]); !s.ok()) {
      spdlog::error("feed={} item={} not ingested: {}", feed.id, id, s.ToString());
    }
  }
  const uint64_t added = ingestor_->stats().new_stories + ingestor_->stats().copies - before;
  // A 200 replaces both validators, even with empty ones.
  state.etag = result.etag;
  state.last_modified = result.last_modified;
  state.last_error.clear();
  state.consecutive_failures = 0;
  state.items_new += added;
  round_.new_items += added;
  spdlog::info("feed={} fetched: {} entries, {} new", feed.id, parsed->entries.size(), added);
  FinishPoll(feed, std::move(state));
}

void Daemon::FinishPoll(const config::FeedConfig& feed, storage::FeedState state) {
  state.next_fetch = state.last_fetch + feed.interval;
  ingestor_->StageFeed(state);
  if (Status s = ingestor_->Commit(); !s.ok()) {
    spdlog::error("feed={} commit failed, will fetch again: {}", feed.id, s.ToString());
    ++round_.failed;
    scheduler_.Set(feed.id, clock_.NowSeconds() + kRetryAfterCommitFailure);
  } else {
    states_[feed.id] = state;
    scheduler_.Set(feed.id, state.next_fetch);
  }
  --in_flight_;
  if (mode_ == Mode::kService) {
    NotifyStatus(StatusLine());
    ArmTimer();
  } else {
    MaybeFinish();
  }
}

void Daemon::ArmTimer() {
  if (stopping_) return;
  auto next = scheduler_.NextDue();
  if (!next) return;
  int64_t wait = std::max<int64_t>(0, *next - clock_.NowSeconds());
  timer_.expires_after(std::chrono::seconds(wait));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) PollDue();
  });
}

void Daemon::MaybeFinish() {
  if (in_flight_ > 0) return;
  if (mode_ == Mode::kOnce || stopping_) {
    if (admin_) admin_->Stop();
    timer_.cancel();
    signals_.cancel();
    io_.stop();
  }
}

void Daemon::OnSignal(int signo) {
  spdlog::info("received signal {}: finishing {} poll(s) in hand, then exiting", signo, in_flight_);
  NotifyStopping();
  stopping_ = true;
  timer_.cancel();
  MaybeFinish();
}

std::string Daemon::StatusLine() const {
  return std::to_string(config_.feeds.size()) + " feeds, " + std::to_string(in_flight_) +
         " in flight, " + std::to_string(ingestor_->stats().new_stories) + " new stories, " +
         std::to_string(ingestor_->stats().copies) + " copies since start";
}

}  // namespace newsd::daemon
