#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "daemon/admin_server.h"
#include "daemon/feed_controls.h"
#include "daemon/host_gate.h"
#include "daemon/ingest.h"
#include "daemon/metrics_server.h"
#include "daemon/poll_policy.h"
#include "daemon/reparse.h"
#include "daemon/scheduler.h"
#include "fetchers/asio.h"
#include "fetchers/http_client.h"
#include "parse/parser.h"
#include "storage/archive.h"

namespace newsd::daemon {

/// Exit codes of newsd (sysexits-style, RestartPreventExitStatus=78 in the unit).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitConfig = 78;

/// How long the polls in hand may still run after the first stop signal before their fetches
/// are abandoned: well inside the unit's TimeoutStopSec (30 s), which must also hold the last
/// commit and the archive's close, and shorter than [fetch] timeout's default (30 s).
inline constexpr std::chrono::seconds kStopGrace{10};

/// What a configuration reload changed.
struct ReloadReport {
  std::vector<FeedId> added, removed, changed;
  /// Feeds added with newsctl that this reload stopped polling because the file now declares
  /// their URL under another id (`by`, polled unless paused or disabled there): kept, not
  /// removed (they come back if the file drops it).
  std::vector<Shadowed> shadowed;
  /// Sections that differ but are applied only at the next start ("[fetch]", ...).
  std::vector<std::string> restart_needed;
  /// Their keys that differ ("[fetch] timeout"; a section alone when the files set no key of
  /// it differently, as when a default comes from the environment).
  std::vector<std::string> restart_keys;
  /// Settings besides the feeds that this reload changed and applied ("[daemon] log_level").
  std::vector<std::string> applied;
};

/// Counters of one poll round (or of the daemon's life).
struct RoundStats {
  /// fetched: 200s parsed; unchanged: 200s that were the response last parsed (not parsed).
  int polled = 0, fetched = 0, not_modified = 0, unchanged = 0, failed = 0;
  /// Due feeds left for a later round (--once): their host's Retry-After had not ended.
  int held = 0;
  /// Polls whose commit failed (counted in failed too): nothing of them was stored.
  int unstored = 0;
  /// Items stored by polls (new stories and copies), counted once their commit succeeded.
  uint64_t new_items = 0;
  /// Stored items re-put with the title, text or link their feed now gives (corrections),
  /// counted once their commit succeeded.
  uint64_t corrected = 0;
};

/// Wires everything: owns the io_context, the archive, the HTTP client, the ingest pipeline,
/// the scheduler, the admin server, signals and sd_notify. Mutable state is touched only on
/// the io_context's thread; parsing runs on a worker pool and is posted back.
class Daemon {
 public:
  enum class Mode {
    kService,  ///< Poll each feed on its interval until SIGTERM/SIGINT.
    kOnce,     ///< Poll the feeds due now, once, and exit.
  };

  Daemon(config::Config config, Clock& clock);
  ~Daemon();

  /// Runs to completion and returns the process exit code: 0 after a round or a clean stop
  /// (feeds that failed are logged and counted, not fatal); 1 when the archive cannot be used,
  /// or (kOnce) when a poll's commit failed, so that its items are not stored.
  int Run(Mode mode);
  /// SIGHUP is ignored (the process was started under nohup, or with `trap '' HUP`).
  static bool HangupIgnored();

 private:
  /// Before the archive opens, a service start checks its admin socket and binds its metrics
  /// port (served once the loop runs): the exit code when the start is refused (logged), else
  /// nullopt. One round (kOnce) claims neither.
  std::optional<int> ClaimEndpoints(Mode mode);
  /// Starts the service's signals and admin server, the restore and its timers: the exit code
  /// when that fails (logged), else nullopt.
  std::optional<int> StartService();
  /// Logs the round's (the service's life's) counters; returns Run's exit code.
  int ReportRound() const;
  Status Open(Mode mode);
  Status LoadFeeds();
  storage::FeedState InitialState(const config::FeedConfig& feed,
                                  std::optional<storage::FeedState> stored) const;
  void PollDue();
  /// The hosts whose politeness limits a poll of feed `id` waits on: where its last poll was
  /// answered (queued there) and its own URL's host (`also`), which the poll asks first; its
  /// URL's host alone when its polls are not redirected (or not known to be).
  HostGate::Start GateHosts(const FeedId& id) const;
  /// The longest Retry-After in force of the hosts a poll of `id` asks (its URL's, its
  /// redirect's): the host, and when it ends (0 when none holds).
  std::pair<std::string, UnixSeconds> LongestHold(const FeedId& id) const;
  /// Starts every waiting poll the politeness limits allow now, then re-arms the timer.
  void Dispatch();
  void StartPoll(const config::FeedConfig& feed, const std::string& host);
  /// Counts the requests a poll's redirects made (each hop's host) in the politeness report,
  /// dated at the poll's start `start_ms`.
  void CountRedirects(const FeedId& feed, bool conditional, int64_t start_ms,
                      const fetchers::FetchResult& result);
  void OnFetched(const config::FeedConfig& feed, const std::string& host, bool conditional,
                 fetchers::FetchResult result);
  /// Counts the answer and tells the gate; learns the host the feed's requests end up at. The
  /// feed's state when it is still the feed polled (not removed or changed meanwhile), else
  /// null.
  const storage::FeedState* NoteAnswer(const FeedId& feed, const std::string& host,
                                       bool conditional, const fetchers::FetchResult& result);
  /// Parses and prepares a 200's body on the pool, then posts it to OnParsed on the loop.
  void ParseOnPool(const config::FeedConfig& feed, uint64_t response_hash,
                   fetchers::FetchResult result);
  /// A poll stopped at a redirect to a host under a Retry-After: held until it ends.
  void FinishHeldRedirect(const config::FeedConfig& feed, const fetchers::FetchResult& result);
  /// A parsed feed's articles, each with its text tokenised (dedup::Engine::Prepare) on the
  /// parse pool, so the loop thread only matches and stores.
  struct Prepared {
    std::vector<Article> articles;
    std::vector<dedup::PreparedText> texts;
    /// articles[i] is stored with another title, text or link (Ingestor::Correct's).
    std::vector<bool> changed;
    /// The response body, packed for the archive (empty feed id: not kept).
    storage::PackedRawBody raw;
    uint64_t response_hash = 0;  ///< ResponseHash of the response (FeedState::body_hash).
  };
  /// Identifies a 200 response as parsed: its body, Content-Type and final URL, and this
  /// build's parser and [parse] options; never 0.
  uint64_t ResponseHash(const fetchers::FetchResult& result) const;
  /// Tokenises and signs (under `dedup`, the ingestor's options) the text of the articles
  /// `archive` does not hold yet (Ingestor::Stage skips the others), and marks the stored ones
  /// whose title, text or link changed; thread-safe, for the parse pool. Moves the entries'
  /// titles and bodies into the articles (ToArticles).
  static Prepared PrepareArticles(parse::Feed* parsed, const config::FeedConfig& feed,
                                  UnixSeconds fetched_at, storage::Archive& archive,
                                  const dedup::Options& dedup);
  /// `article` has other words in its title or text than its `stored` version (another date,
  /// link or markup alone is no change).
  static bool ChangedAtSource(const Article& article, const storage::ItemRecord& stored);
  void OnParsed(const config::FeedConfig& feed, const fetchers::FetchResult& result,
                Result<parse::Feed> parsed, Prepared prepared);
  /// Applies the poll's outcome to the feed's state (poll_policy.h), logs what changed, and
  /// commits it with the poll's items and the host counters in one batch.
  void FinishPoll(const config::FeedConfig& feed, const fetchers::FetchResult& result,
                  const PollReport& report);
  /// Commits what is staged now when nothing else is under way (or when stopping, or a group
  /// is full), else arms the group-commit timer.
  void CommitSoon();
  /// Commits the polls finished since the last commit in one batch (group commit: one WAL
  /// sync for many feeds), then schedules them; on failure they are polled again later.
  /// Starts writing uncommitted_ as one batch in the background, unless a write is in flight.
  void CommitGroup();
  /// The background write ended (posted by the ingestor's thread).
  void OnCommitted();
  /// Applies the written group's states, or reschedules its polls when `s` failed.
  void CommitDone(const Status& s);
  using CommitWaiter = std::function<void(const Status&)>;
  /// The group's write failed: it and what was staged since are dropped and polled again
  /// later (their waiters join `waiters`); the service pauses ingest.
  void CommitFailed(const Status& s, std::vector<storage::FeedState> group,
                    std::vector<CommitWaiter>* waiters);
  /// Schedules the next poll of a feed whose poll was not stored, `retry` seconds on.
  void RescheduleUnstored(const storage::FeedState& state, int64_t retry);
  /// The group is written: its states replace the feeds' and schedule their next polls.
  void CommitApplied(std::vector<storage::FeedState> group);
  /// A write failed (service mode): no poll starts until ProbeStorage succeeds.
  void PauseIngest(const Status& s);
  int64_t RetrySeconds() const;
  /// Tries a small write every storage_retry while paused; resumes polling when it works.
  void ProbeStorage();
  bool Paused() const { return !storage_error_.ok(); }
  /// Whether a write error leaves the archive refusing writes until newsd restarts.
  static bool NeedsRestart(const Status& s);
  /// What the operator does about a paused ingest, for the log and `newsctl status`.
  std::string WhatToDo(const Status& s) const;
  /// Removes one chunk of stories older than [storage] retention, then re-arms itself: at
  /// once while older stories remain, else in an hour. Waits for a commit in flight.
  void RunRetention();
  /// Removes one chunk of stories past [storage] retention (logging the pass's totals at its
  /// end); true when more remain.
  Result<bool> RetentionChunk();
  /// A whole retention pass at once, before a --once round.
  void RetainOnce();
  void ArmRetention(std::chrono::milliseconds delay);
  /// Pings systemd's watchdog every half period from the loop, while the loop is healthy: it
  /// runs (the ping is a handler on it) and no commit has been in flight for a whole period
  /// (a hung disk). Then systemd restarts the service.
  void ArmWatchdog(std::chrono::microseconds period);
  /// Restores the dedup index from the archive once (Ingestor::Restore).
  Status EnsureRestored();
  /// Service start, and after a failed commit: restores the dedup index on a thread of its own
  /// (the admin socket answers and transfers go on meanwhile); no poll starts, and none that
  /// ends is applied (WhenRestored), before OnRestored.
  void StartRestore();
  void OnRestored(const Status& s, double seconds);
  /// After a failed commit emptied the dedup index (Ingestor::stale): read it again, off the
  /// loop for the service, at once for --once.
  void RestoreAfterFailedCommit();
  /// The dedup index cannot be read: reports it and stops (exit 1).
  void StopOnUnreadableIndex(const Status& s);
  /// Runs `apply` (the end of feed `id`'s poll, which stages into the ingestor) once the
  /// restore under way is done; true when it was kept for then, false when none is under way.
  bool WhenRestored(const FeedId& id, std::function<void()> apply);
  const config::FeedConfig* FindFeed(const FeedId& id) const;
  /// The URL the feed is polled at (a confirmed move changes it), else its configured one.
  std::string UrlOf(const config::FeedConfig& feed) const;
  /// When feed `id` is polled next as the scheduler has it now (a restart's first poll, a
  /// `feeds poll`, a resume), not as last stored; for a due feed waiting for its host, when
  /// the host's Retry-After ends (or now, when it waits on [politeness] limits), with why in
  /// *waiting; 0 when it is not scheduled (being polled, gone, paused).
  UnixSeconds ScheduledAt(const FeedId& id, std::string* waiting) const;
  /// "; held until T: host H asked for it (Retry-After)" while the host feed `id` polls (or was
  /// last sent to) holds every poll, else "": said after a failing feed's own reason, whose
  /// "next try" the hold puts off.
  std::string HoldNote(const FeedId& id) const;
  /// A feed's reason as `feeds list` and `feeds show` say it now: its stored `reason`, or why
  /// it `waiting` (ScheduledAt) when it has none, else the HoldNote after it; a poll fetched
  /// but not stored first.
  std::string ReasonNow(const FeedId& id, std::string reason, const std::string& waiting) const;
  /// After feed `id` moved to `url` (a confirmed 301/308): warns when another feed polls it.
  void WarnIfPolledTwice(const FeedId& id, const std::string& url) const;
  int64_t NowMs() const;
  double Uniform();
  void ArmTimer();
  void MaybeFinish();
  /// SIGHUP reloads. The first SIGTERM or SIGINT stops: no new polls, those in hand finish
  /// (for at most kStopGrace), their results are committed, then the loop ends. A second one,
  /// or the grace running out, abandons the fetches still under way (AbandonFetches).
  void OnSignal(int signo);
  /// Cancels the fetches in hand when stopping (`why` is logged): they end without a result
  /// (OnFetched), their feeds' states stay as last committed, so the next start polls them
  /// again. What was fetched already is still parsed and committed.
  void AbandonFetches(const std::string& why);
  /// Re-reads config_.path (SIGHUP, `newsctl reload`): applies the feed list's difference
  /// (added feeds scheduled, removed ones forgotten, changed ones re-read as at start-up) and
  /// [daemon] log_level; other sections' changes wait for a restart (listed). A bad file is
  /// refused (logged, returned) and the running configuration stays.
  Result<ReloadReport> Reload();
  void ApplyFeeds(std::vector<config::FeedConfig> feeds, ReloadReport* report);
  /// An added or changed feed: a new configuration generation, its state read as at start-up
  /// from `stored`, and scheduled unless a poll of it is in hand.
  void StartAfresh(const config::FeedConfig& feed, std::optional<storage::FeedState> stored);
  /// A removed feed: unscheduled and its state forgotten (a poll in hand keeps what it needs).
  void ForgetFeed(const FeedId& id);
  /// Queues again, at their host's gate, the polls that waited there before a change (the
  /// feeds still polled).
  void RequeueWaiting(const std::vector<FeedId>& waiting);
  /// Schedules the feed as a start-up or a reload does (FirstPollTime over its state), or
  /// unschedules it when it is not to be polled (disabled, gone).
  void ScheduleAfterChange(const config::FeedConfig& feed);
  /// True while a reload or newsctl changed the feed's configuration since its poll in hand
  /// started (or since FinishPoll carried the poll over to the new configuration).
  bool ChangedSincePoll(const FeedId& id) const;
  /// Keeps the state a poll in hand started from before a change replaces or removes it.
  void SavePolledState(const FeedId& id);
  void WaitSignal();
  // Feeds changed at run time (runtime_feeds.cc; feed_controls.h has the rule).
  /// Reads the archive's FeedControls and merges them into config_.feeds (declared_ keeps the
  /// file's list).
  Status LoadControls();
  /// Writes `batch` (FeedControl changes) to the archive, then applies the new feed list.
  Status StoreControls(const storage::Batch& batch, ReloadReport* report);
  Result<nlohmann::json> AddFeeds(const nlohmann::json& args);
  /// One feeds.add call's progress through its list (runtime_feeds.cc).
  struct Adding;
  /// Adds one entry of a feeds.add list to `adding`'s batch, or lists it as skipped with why
  /// (`refused`, when reading the entry found a field it cannot take).
  void AddEntry(storage::FeedControl c, const std::string& refused, Adding* adding);
  Result<nlohmann::json> RemoveFeed(const nlohmann::json& args);
  /// Pause, or resume (which also revives a `gone` or `dead` feed).
  Result<nlohmann::json> SetPaused(const nlohmann::json& args, bool paused);
  /// After a resume stored the revival of a gone or dead feed: revives its state and schedules
  /// it (unless in hand) as a start-up would.
  void ScheduleRevived(const FeedId& id);
  /// Schedules the feed's poll now, or as soon as the floor and any Retry-After allow.
  Result<nlohmann::json> PollNow(const nlohmann::json& args);
  /// Why feed `id` cannot be polled now (stopping, unknown, ingest paused, disabled, gone), or
  /// OK.
  Status CheckPollable(const FeedId& id);
  /// `feeds.show` of a feed that is not polled: one the config no longer has ("removed", as the
  /// archive last stored it), or one added with newsctl whose URL a declared feed now has
  /// ("shadowed", naming that feed). NotFound when neither applies.
  Result<nlohmann::json> NotPolledFeed(const FeedId& id);
  /// `search`: runs admin::QuerySearch on the pool (it may scan the archive), answers on the
  /// loop.
  void Search(const admin::Request& request, AdminServer::Respond respond);
  /// Runs a read-only archive query on the pool and answers with its result on the loop:
  /// queries that may read much (search, an export page, recent stories) never hold up polls
  /// or other admin requests (archive reads are safe beside commits).
  void AnswerOnPool(uint64_t id, AdminServer::Respond respond,
                    std::function<Result<nlohmann::json>()> query);
  /// Answers an admin request: at once, or (reparse) once its commit is written.
  void HandleAdmin(const admin::Request& request, AdminServer::Respond respond);
  admin::Reply Answer(const admin::Request& request);
  /// `archive.backup`: a checkpoint of the archive, written on the pool.
  void Backup(const admin::Request& request, AdminServer::Respond respond);
  /// `stories.recent`: read on the pool.
  void RecentStories(const admin::Request& request, AdminServer::Respond respond);
  /// `status`, `feeds.list`, and `feeds.show` of feed `id`.
  nlohmann::json StatusJson() const;
  nlohmann::json FeedsJson();
  Result<nlohmann::json> ShowFeed(const std::string& id);
  /// `feeds.reparse`: parses the feed's kept raw bodies on the pool, then stages what changed
  /// (ReparseStaged) and answers once it is written (or at once for a dry run).
  void Reparse(const admin::Request& request, AdminServer::Respond respond);
  /// Why a reparse with `args` cannot run now (a bad dry_run, starting, stopping, ingest
  /// paused), or OK.
  Status CheckReparse(const nlohmann::json& args) const;
  void ReparseStaged(const admin::Request& request, std::vector<ReparsedBody> parsed,
                     AdminServer::Respond respond);
  /// Staged work not in a group yet: polls, or a reparse waiting for its commit.
  bool HasUncommitted() const { return !uncommitted_.empty() || !uncommitted_waiters_.empty(); }
  std::string StatusLine() const;
  /// The Prometheus text exposition of the counters below and the archive's figures.
  std::string RenderMetrics();

  config::Config config_;
  Clock& clock_;
  Mode mode_ = Mode::kOnce;
  asio::io_context io_;
  std::unique_ptr<asio::thread_pool> pool_;
  asio::steady_timer timer_;
  /// When timer_ is due (the daemon's clock, Unix ms) while a wait is pending, so ArmTimer
  /// does not re-arm it (a syscall) for the same time.
  std::optional<int64_t> timer_wake_ms_;
  asio::steady_timer commit_timer_;
  asio::steady_timer probe_timer_;
  asio::steady_timer retention_timer_;
  asio::steady_timer watchdog_timer_;
  asio::steady_timer stop_timer_;  ///< Ends kStopGrace after the first stop signal.
  /// When the background commit in flight started (steady clock), for the watchdog.
  std::chrono::steady_clock::time_point commit_started_;
  storage::ExpiryReport retention_pass_;  ///< Totals of the retention pass under way.
  /// Why archive writes fail (disk full, ...), from the first failure until a write works
  /// again: ingest is paused meanwhile. OK when writing works.
  Status storage_error_;
  UnixSeconds paused_since_ = 0;
  bool commit_armed_ = false;
  /// Polls finished and staged, not committed yet (their states_ entries are still the old
  /// ones, so a failed commit leaves nothing half-applied).
  std::vector<storage::FeedState> uncommitted_;
  /// The group being written in the background (Ingestor::committing()).
  std::vector<storage::FeedState> committing_;
  /// Told the result of the commit of what is staged now / of the group being written.
  std::vector<CommitWaiter> uncommitted_waiters_;
  std::vector<CommitWaiter> committing_waiters_;
  asio::signal_set signals_;
  std::unique_ptr<storage::Archive> archive_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<fetchers::HttpClient> http_;
  std::unique_ptr<AdminServer> admin_;
  std::unique_ptr<MetricsServer> metrics_;
  // Counters for the metrics (the daemon's life).
  std::map<long, uint64_t> responses_;  ///< HTTP status (0: no answer) → polls.
  uint64_t bytes_fetched_ = 0;          ///< Response body bytes (after decoding).
  double commit_seconds_ = 0;           ///< Time spent writing commit groups...
  uint64_t commit_groups_ = 0;          ///< ...and their number.
  Scheduler scheduler_;
  std::unique_ptr<HostGate> gate_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::map<FeedId, size_t> feed_index_;  ///< Feed id -> config_.feeds position.
  /// The feeds the configuration file declares; config_.feeds is these merged with controls_.
  std::vector<config::FeedConfig> declared_;
  FeedControls controls_;
  std::map<FeedId, storage::FeedState> states_;
  // Feeds whose last poll was answered by another host than their URL's (a redirect): that
  // host's limits and Retry-After gate their next poll (with their URL's host's). Kept in the
  // archive as each feed's answered_by.
  std::unordered_map<FeedId, std::string> redirected_to_;
  // Feeds whose last poll was fetched but not stored (its group's commit failed): what to
  // say of it in `feeds list` and `feeds show` until a poll of it is stored.
  std::unordered_map<FeedId, std::string> unstored_;
  // Sections the last reload found changed that only a restart applies (`newsctl status`).
  std::vector<std::string> restart_needed_;
  std::vector<std::string> restart_keys_;  ///< Their keys (ReloadReport::restart_keys).
  /// When the last reload (SIGHUP, systemctl reload, newsctl reload) was refused, and why;
  /// empty once one is applied (StatusView::reload_refused).
  std::string reload_refused_;
  int in_flight_ = 0;
  /// Feeds with a poll in hand (from StartPoll until its state is committed, or dropped), and
  /// the generation of their configuration the poll follows. While in hand a feed is not
  /// scheduled again: whoever ends the poll schedules it.
  struct InHand {
    uint64_t generation = 0;
    /// The feed's state when the poll started, kept when a change replaced or removed it.
    std::optional<storage::FeedState> polled_state;
    /// Items its poll staged and corrected, counted into RoundStats once committed.
    uint64_t new_items = 0;
    uint64_t corrected = 0;
  };
  std::unordered_map<FeedId, InHand> in_hand_;
  /// Bumped for a feed each time a reload or newsctl adds or changes it (ApplyFeeds).
  std::unordered_map<FeedId, uint64_t> generation_;
  uint64_t next_generation_ = 1;
  bool stopping_ = false;
  int stop_signal_ = 0;      ///< The first SIGTERM or SIGINT (0: none); the next abandons fetches.
  bool abandoning_ = false;  ///< AbandonFetches ran: aborted fetches end without a result.
  /// Set when the loop stops: pool work queued for the admin socket is skipped (AnswerOnPool).
  std::atomic<bool> stopping_pool_{false};
  bool restored_ = false;   ///< The dedup index was read from the archive.
  bool restoring_ = false;  ///< StartRestore's thread runs: the ingestor is its alone.
  std::thread restore_thread_;
  /// Ends of polls that came in during a restore (WhenRestored), in order; each holds its poll
  /// in hand (in_flight_) until applied, or dropped when the restore fails.
  std::vector<std::pair<FeedId, std::function<void()>>> after_restore_;
  bool fatal_ = false;  ///< The archive became unusable: exit 1.
  UnixSeconds started_ = 0;
  UnixSeconds last_round_ = 0;
  RoundStats round_;
  /// This build's version, parse::kParserRevision and [parse] options, hashed.
  const uint64_t parser_identity_;
};

}  // namespace newsd::daemon
