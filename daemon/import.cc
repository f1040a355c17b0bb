#include "daemon/import.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "daemon/bounded_queue.h"
#include "daemon/heap.h"
#include "daemon/import_order.h"
#include "daemon/jsonl_article.h"
#include "daemon/line_reader.h"
#include "parse/encoding.h"

namespace newsd::daemon {

namespace {

constexpr size_t kChunkSize = 64;  // articles per hand-over between the threads
// A chunk is handed over early once its titles and texts hold this many bytes, so that long
// articles cannot make the read-ahead large (kQueueChunks of them).
constexpr size_t kChunkBytes = size_t{1} << 20;
// Chunks in flight: bounds the memory read ahead (3,072 articles of the dev corpus, about 3 MB
// of text; at most about 48 x (kChunkBytes + 2 x max_field_bytes)). 48 let the reader work
// through the ~16 ms a new archive takes to open (ImportReader) without filling up.
constexpr size_t kQueueChunks = 48;
constexpr int kMaxLoggedBadLines = 10;
constexpr size_t kHeapReserve = size_t{256} << 20;  // address space, see TuneHeapForImport

using SteadyClock = std::chrono::steady_clock;

// "about 3 min left" for a progress line.
std::string Left(double seconds) {
  if (seconds < 60) return "under a minute left";
  if (seconds < 3600) return fmt::format("about {:.0f} min left", seconds / 60);
  return fmt::format("about {:.1f} h left", seconds / 3600);
}

// True when `s` is empty or only ASCII white space.
bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

class Progress {
 public:
  Progress() : tty_(::isatty(STDERR_FILENO) == 1), start_(SteadyClock::now()), last_(start_) {}
  /// `done`: how much of the input was read (ImportLines::Done), negative when unknown.
  void Update(uint64_t lines, double done) {
    if (!tty_ || lines % 1024 != 0) return;
    auto now = SteadyClock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double seconds = Seconds();
    std::string shown = fmt::format("\rimporting: {} articles", lines);
    if (done > 0 && done <= 1) {
      shown += fmt::format(", {:.0f} %", 100 * done);
      if (seconds >= 2) shown += ", " + Left(seconds * (1 - done) / done);
    }
    shown += fmt::format(" ({:.0f}/s)   ", lines / seconds);
    std::fputs(shown.c_str(), stderr);
  }
  /// Clears the progress line (before a log line, and at the end).
  void Done() {
    if (tty_) std::fprintf(stderr, "\r\033[K");
  }
  double Seconds() const {
    return std::chrono::duration<double>(SteadyClock::now() - start_).count();
  }

 private:
  bool tty_;
  SteadyClock::time_point start_, last_;
};

/// One non-blank line, decoded (and its text tokenised) on the reader thread.
struct Parsed {
  uint64_t line = 0;
  Status error;  ///< Not OK for a bad line, which is skipped.
  Article article;
  dedup::PreparedText prepared;
  bool cut = false;  ///< Its title or text was cut to max_field_bytes.
};

/// What the reader thread hands over: consecutive lines, in file order.
struct Chunk {
  std::vector<Parsed> records;
  bool last = false;   ///< The reader's final chunk.
  uint64_t lines = 0;  ///< Last chunk: lines read in all (blank ones too).
  Status status;       ///< Last chunk: why reading stopped early (OK at the end of input).
  /// The lines are taken in published order (ImportLines::reordered): the file's article
  /// lines; 0 in file order.
  uint64_t reordered_of = 0;
  double done = -1;  ///< How much of the input was read by its end (ImportLines::Done).
};

/// Records the ingest thread is done with, handed back for the reader thread to free: their
/// blocks (tokens, mostly) are the reader's, and mimalloc frees a block on the thread that
/// made it for less. Freeing them cost the ingest thread, on which an import waits, 4 % of
/// its time. Thread-safe.
class SpentRecords {
 public:
  /// Takes `records` to free on the reader thread; frees them here once it stopped reading.
  void Give(std::vector<Parsed>&& records) {
    std::vector<Parsed> dropped = std::move(records);
    std::lock_guard lock(mu_);
    if (open_) given_.push_back(std::move(dropped));
  }
  /// Frees what was given (the reader thread, between its chunks).
  void FreeGiven() { Take(true); }
  /// Frees what was given; from now on Give frees at once (the reader thread, when it stops).
  void Close() { Take(false); }

 private:
  void Take(bool stay_open) {
    std::vector<std::vector<Parsed>> taken;
    std::lock_guard lock(mu_);
    open_ = stay_open;
    taken.swap(given_);
    // `taken` is freed after the lock is released: destroyed before `lock`.
  }
  std::mutex mu_;
  bool open_ = true;
  std::vector<std::vector<Parsed>> given_;
};

/// The boilerplate lines the ingest thread's engine has learned (Engine::Learned), handed to
/// the reader thread, which signs texts without them. Thread-safe.
class LearnedSlot {
 public:
  void Set(std::shared_ptr<const dedup::LearnedLines> learned) {
    std::lock_guard lock(mu_);
    if (learned_ != learned) learned_ = std::move(learned);
  }
  std::shared_ptr<const dedup::LearnedLines> Get() const {
    std::lock_guard lock(mu_);
    return learned_;
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const dedup::LearnedLines> learned_;
};

/// The reader thread: reads and decodes lines, tokenises and signs their text under `dedup`
/// (a copy of the ingestor's options, so a commit failure that rebuilds the ingestor's engine
/// cannot pull them away) without the boilerplate lines the engine had learned by the time the
/// chunk began (`learned`), pushing chunks until the input ends or the queue is closed, and
/// freeing the records handed back to `spent` as it goes.
void ReadChunks(ImportLines& source, const dedup::Options& dedup, UnixSeconds now,
                size_t max_field_bytes, BoundedQueue<Chunk>& queue, SpentRecords& spent,
                const LearnedSlot& learned) {
  Chunk chunk;
  size_t chunk_bytes = 0;
  // Texts are signed here without the lines the ingest thread's engine will drop as learned
  // boilerplate: signing them again there was 13 % of its time (a quarter of the dev corpus).
  std::shared_ptr<const dedup::LearnedLines> known = learned.Get();
  try {
    std::string_view line;
    uint64_t number = 0;
    bool cut = false;
    for (;;) {
      Result<bool> more = source.Next(&line, &number, &cut);
      if (!more) chunk.status = more.error();
      if (!more || !*more) break;
      Parsed& p = chunk.records.emplace_back();
      p.line = number;
      p.error = cut ? Status::InvalidArgument("longer than " +
                                              std::to_string(LineReader::kDefaultMaxLine >> 20) +
                                              " MiB: not read (no article is that long)")
                    : DecodeArticleLine(line, now, &p.article);
      if (p.error.ok() && IsBlank(p.article.title) && IsBlank(p.article.text)) {
        p.error = Status::InvalidArgument(
            "no \"title\" and no \"text\": nothing to store or to compare (a line needs one)");
      }
      if (p.error.ok()) {
        const bool title_cut = parse::TruncateUtf8(&p.article.title, max_field_bytes);
        const bool text_cut = parse::TruncateUtf8(&p.article.text, max_field_bytes);
        p.cut = title_cut || text_cut;
        if (p.cut) {  // what waits in the queue holds no more than it keeps
          p.article.title.shrink_to_fit();
          p.article.text.shrink_to_fit();
        }
        p.prepared = known ? dedup::Engine::Prepare(p.article.title, p.article.text, dedup,
                                                    p.article.source, *known)
                           : dedup::Engine::Prepare(p.article.title, p.article.text, dedup);
      }
      chunk_bytes += p.article.title.size() + p.article.text.size();
      if (chunk.records.size() == kChunkSize || chunk_bytes >= kChunkBytes) {
        chunk.reordered_of = source.planned_lines();
        chunk.done = source.Done();
        if (!queue.Push(std::exchange(chunk, Chunk()))) return;
        chunk_bytes = 0;
        spent.FreeGiven();
        known = learned.Get();
      }
    }
  } catch (const std::exception& e) {
    chunk.status = Status::Internal(std::string("reading the import file: ") + e.what());
  }
  chunk.last = true;
  chunk.lines = source.lines();
  chunk.reordered_of = source.planned_lines();
  chunk.done = source.Done();
  queue.Push(std::move(chunk));
}

/// Shows on a terminal how far the check of a file's order got, from its first second on; a
/// signal (ImportSignals) stops the check.
class ScanShown {
 public:
  bool Update(uint64_t lines, uint64_t bytes) {
    if (ImportSignals::Received() != 0) return false;
    const auto now = SteadyClock::now();
    if (!tty_ || now - start_ < std::chrono::seconds(1) ||
        now - last_ < std::chrono::milliseconds(250)) {
      return true;
    }
    last_ = now;
    shown_ = true;
    std::fprintf(stderr, "\rchecking the order of its lines: %llu lines, %.0f MB   ",
                 static_cast<unsigned long long>(lines), static_cast<double>(bytes) / 1e6);
    return true;
  }
  /// Clears what it showed.
  void Done() const {
    if (shown_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool tty_ = ::isatty(STDERR_FILENO) == 1;
  SteadyClock::time_point start_ = SteadyClock::now(), last_ = start_;
  bool shown_ = false;
};

/// Runs ReadChunks on a thread of its own; stops and joins it on destruction, whatever the
/// consumer's state.
class ReaderThread {
 public:
  ReaderThread(LineReader& reader, const std::string& path, const dedup::Options& dedup,
               UnixSeconds now, size_t max_field_bytes)
      : thread_([&, now, max_field_bytes] {
          // A stop asked for while standard input waits for a producer ends the wait: the
          // lines read so far are stored, and the import says after which one it stopped.
          reader.StopWhen([] { return ImportSignals::Received() != 0; });
          ImportLines lines(reader);
          ScanShown shown;
          const Status planned = lines.PlanOrder(
              path, now, dedup.late(),
              [&shown](uint64_t n, uint64_t bytes) { return shown.Update(n, bytes); });
          shown.Done();
          if (planned.ok()) {
            ReadChunks(lines, dedup, now, max_field_bytes, queue_, spent_, learned_);
          } else {
            Chunk last;
            last.last = true;
            last.status = planned;
            queue_.Push(std::move(last));
          }
          spent_.Close();
        }) {}
  ~ReaderThread() {
    queue_.Close();
    thread_.join();
  }
  BoundedQueue<Chunk>& queue() { return queue_; }
  SpentRecords& spent() { return spent_; }
  LearnedSlot& learned() { return learned_; }

 private:
  BoundedQueue<Chunk> queue_{kQueueChunks};
  SpentRecords spent_;
  LearnedSlot learned_;
  std::thread thread_;  // last: starts once the members it uses exist
};

/// The ingest side of one import: stages what the reader thread decoded, commits in groups.
class Importer {
 public:
  Importer(const std::string& path, Ingestor& ingestor, size_t max_field_bytes)
      : path_(path), ingestor_(ingestor), max_field_bytes_(max_field_bytes) {}

  /// Line number of the last record consumed.
  uint64_t last_line() const { return last_line_; }

  /// Stages the records of `chunk`; a Stage or Commit failure ends the import.
  Status Consume(Chunk& chunk) {
    if (!chunk.records.empty()) last_line_ = chunk.records.back().line;
    stats_.reordered_of = chunk.reordered_of;
    for (Parsed& p : chunk.records) {
      ++stats_.taken;
      if (!p.error.ok()) {
        if (++stats_.bad_lines <= kMaxLoggedBadLines) {
          progress_.Done();  // the warning gets a line of its own
          spdlog::warn("{}:{}: skipped: {}", path_, p.line, p.error.message());
        }
        continue;
      }
      ItemId id = p.article.id;  // for the messages: Stage takes the article's strings
      if (!p.article.published) {
        ++stats_.undated;
      } else if (EffectiveTime(p.article.published, p.article.arrived) != *p.article.published) {
        ++stats_.dated_ahead;
      }
      if (p.cut && ++stats_.cut_fields <= kMaxLoggedBadLines) {
        progress_.Done();
        spdlog::warn("{}:{}: id {}: title or text cut to {} bytes ([parse] max_field_bytes)", path_,
                     p.line, id, max_field_bytes_);
      }
      const uint64_t seen_before = ingestor_.stats().duplicates;
      if (Status s = ingestor_.Stage(std::move(p.article), &p.prepared); !s.ok()) {
        return s.WithContext(id);
      }
      if (ingestor_.stats().duplicates > seen_before && ++duplicates_ <= kMaxLoggedBadLines) {
        progress_.Done();
        spdlog::warn(
            "{}:{}: id {} was stored before (from an earlier line of the file, or before this "
            "import; retention may have removed it since): skipped (the first one is kept)",
            path_, p.line, id);
      }
      if (ingestor_.pending() >= kImportGroupSize) {
        if (Status s = ingestor_.CommitInBackground(); !s.ok()) return s;
      }
      progress_.Update(stats_.taken, chunk.done);
    }
    return Status::Ok();
  }

  /// Commits the rest once the group in flight is stored: success means every group is.
  /// `interrupted`: the signal that stopped the import after line `lines` (0 at the end).
  Result<ImportStats> Finish(uint64_t lines, int interrupted = 0) {
    if (Status s = ingestor_.Commit(); !s.ok()) return Err(s);
    progress_.Done();
    stats_.interrupted = interrupted;
    NoteUnlisted(stats_.bad_lines, "bad lines");
    NoteUnlisted(stats_.cut_fields, "lines with a title or text cut");
    NoteUnlisted(duplicates_, "lines whose id was stored before");
    stats_.lines = lines;
    stats_.seconds = progress_.Seconds();
    return stats_;
  }

 private:
  const std::string& path_;
  Ingestor& ingestor_;
  size_t max_field_bytes_;
  // Says how many of a kind of logged line were not logged (past kMaxLoggedBadLines).
  void NoteUnlisted(uint64_t count, const char* what) const {
    if (count <= static_cast<uint64_t>(kMaxLoggedBadLines)) return;
    spdlog::warn("{}: {} more {} not listed above (only the first {} are)", path_,
                 count - kMaxLoggedBadLines, what, kMaxLoggedBadLines);
  }

  uint64_t duplicates_ = 0;  // lines skipped as stored already (logged up to a limit)
  uint64_t last_line_ = 0;
  ImportStats stats_;
  Progress progress_;
};

}  // namespace

void PrepareProcessForImport() { spdlog::debug("heap: {}", TuneHeapForImport(kHeapReserve)); }

// Members in construction order: the thread reads through `lines` under `dedup`.
struct ImportReader::State {
  State(const std::string& p, std::unique_ptr<LineReader> r, dedup::Options d, UnixSeconds now,
        size_t max)
      : path(p),
        lines(std::move(r)),
        dedup(std::move(d)),
        max_field_bytes(max),
        thread(*lines, path, dedup, now, max) {}
  std::string path;
  std::unique_ptr<LineReader> lines;
  dedup::Options dedup;
  size_t max_field_bytes;
  ReaderThread thread;
};

namespace {

// The signal that asked the import to stop (ImportSignals), 0 until then.
std::atomic<int> g_stop_signal{0};

extern "C" void OnStopSignal(int signo) { g_stop_signal.store(signo); }

}  // namespace

ImportSignals::ImportSignals() {
  g_stop_signal.store(0);
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &old_int_);
  ::sigaction(SIGTERM, &action, &old_term_);
  ::sigaction(SIGHUP, &action, &old_hup_);
  // Started with a hangup ignored (nohup, `trap '' HUP`): it stays so.
  if (old_hup_.sa_handler == SIG_IGN) ::sigaction(SIGHUP, &old_hup_, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

ImportSignals::~ImportSignals() {
  g_stop_signal.store(0);
  ::sigaction(SIGINT, &old_int_, nullptr);
  ::sigaction(SIGTERM, &old_term_, nullptr);
  ::sigaction(SIGHUP, &old_hup_, nullptr);
}

int ImportSignals::Received() { return g_stop_signal.load(); }

ImportReader::ImportReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
ImportReader::~ImportReader() = default;

Result<std::unique_ptr<ImportReader>> ImportReader::Start(const std::string& path,
                                                          const dedup::Options& dedup,
                                                          UnixSeconds now, size_t max_field_bytes) {
  Result<std::unique_ptr<LineReader>> lines = LineReader::Open(path);
  if (!lines) return Err(lines.error());
  return std::unique_ptr<ImportReader>(new ImportReader(
      std::make_unique<State>(path, std::move(*lines), dedup, now, max_field_bytes)));
}

Result<ImportStats> ImportJsonl(ImportReader& reader, Ingestor& ingestor) {
  ImportReader::State& in = *reader.state_;
  ingestor.Reserve(kImportGroupSize);
  Importer importer(in.path, ingestor, in.max_field_bytes);
  for (;;) {
    // Checked before each chunk: a signal that came while the archive opened stops the import
    // before its first.
    if (int signo = ImportSignals::Received(); signo != 0) {
      return importer.Finish(importer.last_line(), signo);
    }
    std::optional<Chunk> chunk = in.thread.queue().Pop();
    if (!chunk) return Err(Status::Internal("import reader thread stopped"));
    if (Status s = importer.Consume(*chunk); !s.ok()) return Err(s);
    in.thread.spent().Give(std::move(chunk->records));
    in.thread.learned().Set(ingestor.engine().Learned());
    if (!chunk->last) continue;
    if (int signo = ImportSignals::Received(); signo != 0 && !chunk->status.ok()) {
      return importer.Finish(importer.last_line(), signo);  // the reader stopped for it
    }
    if (!chunk->status.ok()) return Err(chunk->status);
    return importer.Finish(chunk->lines);
  }
}

Result<ImportStats> ImportJsonl(const std::string& path, Ingestor& ingestor, UnixSeconds now,
                                size_t max_field_bytes) {
  Result<std::unique_ptr<ImportReader>> reader =
      ImportReader::Start(path, ingestor.engine().options(), now, max_field_bytes);
  if (!reader) return Err(reader.error());
  return ImportJsonl(**reader, ingestor);
}

}  // namespace newsd::daemon
