// The daemon's Prometheus metrics (text exposition format 0.0.4), served by MetricsServer.
#include <map>
#include <sstream>

#include "daemon/daemon.h"
#include "daemon/heap.h"

namespace newsd::daemon {

namespace {

// Writes families in the text format: HELP and TYPE once, then the samples.
class Exposition {
 public:
  void Family(const char* name, const char* type, const char* help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  template <class T>
  void Sample(const char* name, T value) {
    out_ << name << ' ' << value << '\n';
  }
  template <class T>
  void Sample(const char* name, const char* label, const std::string& label_value, T value) {
    out_ << name << '{' << label << "=\"" << Escape(label_value) << "\"} " << value << '\n';
  }
  template <class T>
  void One(const char* name, const char* type, const char* help, T value) {
    Family(name, type, help);
    Sample(name, value);
  }
  std::string str() const { return out_.str(); }

 private:
  static std::string Escape(const std::string& v) {
    std::string out;
    for (char c : v) {
      if (c == '\\' || c == '"') out += '\\';
      out += c == '\n' ? 'n' : c;
    }
    return out;
  }
  std::ostringstream out_;
};

// Polls by outcome, answers by HTTP status, bytes and items fetched.
void RenderPolls(const RoundStats& round, const std::map<long, uint64_t>& responses,
                 uint64_t bytes_fetched, Exposition* out) {
  Exposition& e = *out;
  e.Family("newsd_polls_total", "counter", "Polls finished, by outcome.");
  e.Sample("newsd_polls_total", "outcome", "fetched", round.fetched);
  e.Sample("newsd_polls_total", "outcome", "not_modified", round.not_modified);
  e.Sample("newsd_polls_total", "outcome", "unchanged", round.unchanged);
  e.Sample("newsd_polls_total", "outcome", "failed", round.failed);
  e.Family("newsd_responses_total", "counter", "Fetches by HTTP status (0: no answer).");
  for (const auto& [code, n] : responses) {
    e.Sample("newsd_responses_total", "code", std::to_string(code), n);
  }
  e.One("newsd_fetched_bytes_total", "counter", "Response body bytes received (decoded).",
        bytes_fetched);
  e.One("newsd_items_new_total", "counter", "Items stored from polls.", round.new_items);
  e.One("newsd_items_corrected_total", "counter",
        "Stored items re-put with the title, text or link their feed now gives.", round.corrected);
}

// The configured feeds, counted by their state.
void RenderFeeds(const std::vector<config::FeedConfig>& feeds,
                 const std::map<FeedId, storage::FeedState>& states, Exposition* out) {
  Exposition& e = *out;
  e.Family("newsd_feeds", "gauge", "Configured feeds by state.");
  std::map<std::string, int> by_state;
  // Every state, 0 when no feed is in it: a query or an alert on a state sees 0, not nothing.
  for (int i = 0; i < storage::kFeedStatusCount; ++i) {
    by_state[std::string(storage::FeedStatusName(static_cast<storage::FeedStatus>(i)))] = 0;
  }
  for (const config::FeedConfig& f : feeds) {
    auto it = states.find(f.id);
    if (it != states.end()) ++by_state[std::string(storage::FeedStatusName(it->second.status))];
  }
  for (const auto& [name, n] : by_state) e.Sample("newsd_feeds", "state", name, n);
}

// The ingestor's counters and the dedup index's size (not while the restore owns it).
void RenderIngest(Ingestor& ingestor, Exposition* out) {
  Exposition& e = *out;
  const IngestStats& in = ingestor.stats();
  e.One("newsd_articles_seen_total", "counter", "Articles offered to dedup.", in.seen);
  e.One("newsd_articles_duplicate_total", "counter", "Articles already stored (same id).",
        in.duplicates);
  e.One("newsd_stories_new_total", "counter", "Stories founded.", in.new_stories);
  e.One("newsd_copies_total", "counter", "Articles that joined an existing story.", in.copies);
  e.One("newsd_dedup_candidates_total", "counter", "Candidates the dedup engine verified.",
        in.candidates);
  e.One("newsd_dedup_late_articles_total", "counter",
        "Articles dated before what the dedup index still held of their window (compared with "
        "the archive's items of those days too).",
        in.late);
  e.One("newsd_dedup_archive_copies_total", "counter",
        "Late articles found to copy an archived story the index had let go of.",
        in.archive_copies);
  e.One("newsd_dedup_lookback_items_read_total", "counter",
        "Archived items read and fingerprinted to compare late articles with.",
        ingestor.lookback().counts().items_read);
  e.One("newsd_dedup_indexed_items", "gauge", "Items in the dedup index.",
        ingestor.engine().IndexedItems());
  const dedup::Engine::MemoryUse memory = ingestor.engine().Memory();
  e.Family("newsd_dedup_memory_bytes", "gauge", "Heap held by the dedup index, by part.");
  e.Sample("newsd_dedup_memory_bytes", "part", "key_tables", memory.key_tables);
  e.Sample("newsd_dedup_memory_bytes", "part", "items", memory.items);
  e.Sample("newsd_dedup_memory_bytes", "part", "boilerplate", memory.boilerplate);
  const dedup::Engine::ColdReads cold = ingestor.engine().ColdReadCounts();
  e.One("newsd_dedup_cold_reads_total", "counter",
        "Candidates behind the window whose sets were read back from the archive.", cold.reads);
  e.One("newsd_dedup_cold_read_failures_total", "counter",
        "Of those, reads that failed: the candidate was not compared (see the log for the "
        "archive's errors).",
        cold.failures);
}

// The politeness counters of each host:port.
void RenderHosts(const std::vector<storage::HostStats>& hosts, Exposition* out) {
  Exposition& e = *out;
  struct Counter {
    const char* name;
    const char* help;
    uint64_t storage::HostStats::*field;
  };
  static constexpr Counter kHost[] = {
      {"newsd_host_requests_total", "Requests started, by host:port.",
       &storage::HostStats::requests},
      {"newsd_host_conditional_total", "Requests with If-None-Match or If-Modified-Since.",
       &storage::HostStats::conditional},
      {"newsd_host_not_modified_total", "Answers 304.", &storage::HostStats::not_modified},
      {"newsd_host_throttled_total", "Answers 429 or 503.", &storage::HostStats::throttled},
      {"newsd_host_retry_after_violations_total", "Requests started while a Retry-After held.",
       &storage::HostStats::retry_violations}};
  for (const Counter& c : kHost) {
    e.Family(c.name, "counter", c.help);
    for (const storage::HostStats& h : hosts) {
      if (!h.host.empty()) e.Sample(c.name, "host", h.host, h.*c.field);  // file:// has none
    }
  }
}

// The heap, as the allocator counts it.
void RenderHeap(Exposition* out) {
  Exposition& e = *out;
  const HeapUsage heap = ReadHeapUsage();
  e.Family("newsd_heap_bytes", "gauge",
           "The heap: bytes the allocator holds from the system (held); bytes allocated and "
           "not freed (in_use) only where the allocator counts them (not mimalloc).");
  e.Sample("newsd_heap_bytes", "kind", "held", heap.held);
  if (heap.in_use) e.Sample("newsd_heap_bytes", "kind", "in_use", *heap.in_use);
}

}  // namespace

std::string Daemon::RenderMetrics() {
  Exposition e;
  const char* state = stopping_    ? "stopping"
                      : Paused()   ? "paused"
                      : restoring_ ? "starting"
                                   : "running";
  e.Family("newsd_state", "gauge",
           "1 for the daemon's state: running, starting, paused, stopping.");
  e.Sample("newsd_state", "state", state, 1);
  e.One("newsd_start_time_seconds", "gauge", "When newsd started (Unix time).", started_);
  e.One("newsd_last_round_timestamp_seconds", "gauge",
        "When the last batch of due feeds was taken (Unix time).", last_round_);
  RenderPolls(round_, responses_, bytes_fetched_, &e);
  RenderFeeds(config_.feeds, states_, &e);

  if (!restoring_) {  // the restore thread owns the ingestor until then
    RenderIngest(*ingestor_, &e);
  }
  e.Family("newsd_commit_seconds", "summary", "Time spent writing commit groups.");
  e.Sample("newsd_commit_seconds_sum", commit_seconds_);
  e.Sample("newsd_commit_seconds_count", commit_groups_);

  RenderHosts(gate_->Report(), &e);
  RenderHeap(&e);
  e.Family("newsd_rocksdb", "gauge",
           "RocksDB properties of the archive (rocksdb.<property>; max-level0-files: the most "
           "level-0 tables of one family).");
  for (const auto& [name, value] : archive_->EngineStats()) {
    e.Sample("newsd_rocksdb", "property", name, value);
  }
  return e.str();
}

}  // namespace newsd::daemon
