#include "newsctl/commands.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>
#include <thread>

#include "admin/export_query.h"
#include "core/time.h"
#include "newsctl/backend.h"
#include "newsctl/export_output.h"
#include "newsctl/render.h"
#include "newsctl/stop_signals.h"

namespace newsd::newsctl {

namespace {

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kUnavailable:
      return kExitNotRunning;
    case Status::Code::kNotFound:
      return kExitNotFound;
    default:
      return kExitFailed;
  }
}

Result<std::unique_ptr<Backend>> Open(const GlobalArgs& g) {
  return g.db.empty() ? ConnectSocket(g.socket, g.timeout_seconds) : OpenDirect(g.db);
}

}  // namespace

namespace {

void PrintError(const Status& s, bool json) {
  if (json) PrintErrorObject(s);
  std::cerr << "newsctl: " << s.message() << "\n";
}

}  // namespace

void PrintErrorObject(const Status& s) {
  nlohmann::json err = {
      {"error", {{"code", Status::CodeName(s.code())}, {"message", s.message()}}}};
  std::cout << err.dump() << "\n";
}

int FailUsage(const Status& s, bool json) {
  PrintError(s, json);
  return kExitUsage;
}

int Fail(const Status& s, bool json) {
  PrintError(s, json);
  return ExitCodeFor(s);
}

namespace {

// A feeds.add list goes in parts of at most this many entries and bytes: one request line
// may hold 1 MiB (admin::kMaxLineBytes), and an OPML list of 15,000 feeds is more.
constexpr size_t kFeedsPerRequest = 1000;
constexpr size_t kFeedBytesPerRequest = size_t{512} * 1024;

// feeds.add of a long list, in parts; the parts' "added" and "skipped" lists joined. A part
// that fails ends it: the error says how many were added before.
Result<nlohmann::json> AddInParts(Backend& backend, const nlohmann::json& feeds) {
  nlohmann::json added = nlohmann::json::array(), skipped = nlohmann::json::array();
  nlohmann::json part = nlohmann::json::array();
  size_t bytes = 0;
  auto send = [&]() -> Status {
    auto result = backend.Call("feeds.add", {{"feeds", part}});
    part = nlohmann::json::array();
    bytes = 0;
    if (!result) {
      return added.empty() ? result.error()
                           : result.error().WithContext(std::to_string(added.size()) +
                                                        " feeds were added before");
    }
    for (auto& a : (*result)["added"]) added.push_back(std::move(a));
    for (auto& k : (*result)["skipped"]) skipped.push_back(std::move(k));
    return Status::Ok();
  };
  for (const nlohmann::json& feed : feeds) {
    const size_t size = feed.dump().size();
    if (!part.empty() && (part.size() >= kFeedsPerRequest || bytes + size > kFeedBytesPerRequest)) {
      if (Status s = send(); !s.ok()) return Err(s);
    }
    part.push_back(feed);
    bytes += size;
  }
  if (Status s = send(); !s.ok()) return Err(s);
  return nlohmann::json{{"added", std::move(added)}, {"skipped", std::move(skipped)}};
}

}  // namespace

Result<nlohmann::json> CallOnce(const GlobalArgs& g, const std::string& cmd,
                                const nlohmann::json& args) {
  auto backend = Open(g);
  if (!backend) return Err(backend.error());
  if (auto feeds = args.find("feeds");
      cmd == "feeds.add" && feeds != args.end() && feeds->is_array() && feeds->size() > 1) {
    return AddInParts(**backend, *feeds);
  }
  return (*backend)->Call(cmd, args);
}

namespace {

// The exit code of an answered `cmd`. feeds add / import: a feed refused is a failure, the
// others added or not (a script learns an entry was rejected, whatever else the list held); a
// feed polled already is no refusal: importing the same list again succeeds.
// status: a daemon that is stopping, or whose ingest is paused (archive writes fail), is not
// running for a script or a health check (`newsctl status && ...`).
int ExitCodeFor(const std::string& cmd, const nlohmann::json& result) {
  if (cmd == "status") {
    const std::string state = result.value("state", std::string());
    return state == "stopping" || state == "paused" ? kExitNotRunning : kExitOk;
  }
  const nlohmann::json skipped = result.value("skipped", nlohmann::json::array());
  const bool refused = cmd == "feeds.add" &&
                       std::any_of(skipped.begin(), skipped.end(), [](const nlohmann::json& k) {
                         return !k.value("already", false);
                       });
  return refused ? kExitFailed : kExitOk;
}

// `cmd` as the operator typed it: "feeds add", not the protocol's "feeds.add".
std::string Typed(const std::string& cmd) {
  std::string typed = cmd;
  std::replace(typed.begin(), typed.end(), '.', ' ');
  if (typed == "feeds reparse") typed = "reparse";
  if (typed == "archive backup") typed = "backup";
  return typed;
}

// Prints the `result` of `cmd` for people, as `printer` does.
void PrintResult(Printer printer, const std::string& cmd, const nlohmann::json& result) {
  switch (printer) {
    case Printer::kStatus:
      PrintStatus(result, std::cout);
      break;
    case Printer::kFeeds:
      PrintFeeds(result, std::cout);
      break;
    case Printer::kHosts:
      PrintHosts(result, std::cout);
      break;
    case Printer::kStories:
      PrintStories(result, std::cout);
      break;
    case Printer::kStory:
      PrintStory(result, std::cout);
      break;
    case Printer::kReparse:
      PrintReparse(result, std::cout);
      break;
    case Printer::kReload:
      PrintReload(result, std::cout);
      break;
    case Printer::kFeed:
      PrintFeed(result, std::cout);
      break;
    case Printer::kFeedChange:
      PrintFeedChange(cmd, result, std::cout, std::cerr);
      break;
    case Printer::kSearch:
      PrintSearch(result, std::cout);
      break;
  }
}

}  // namespace

int RunCall(const GlobalArgs& g, const std::string& cmd, const nlohmann::json& args,
            Printer printer) {
  if (!g.db.empty() && !DirectlyAnswers(cmd)) {
    return FailUsage(Status::InvalidArgument("newsctl " + Typed(cmd) +
                                             " needs the running daemon (leave out --db)"),
                     g.json);
  }
  auto result = CallOnce(g, cmd, args);
  if (!result && !DirectlyAnswers(cmd) && result.error().code() == Status::Code::kUnavailable) {
    // --db cannot do what this command does: say what can.
    std::string message = result.error().message();
    if (const size_t hint = message.find(kStartOrReadHint); hint != std::string::npos) {
      message.replace(hint, std::string::npos,
                      cmd == "feeds.reparse"
                          ? "; start it, or with newsd stopped run `newsd reparse " +
                                args.value("feed", std::string("FEED")) + "`"
                          : "; start it (systemctl start newsd)");
      return Fail(Status::Unavailable(message), g.json);
    }
  }
  if (!result) return Fail(result.error(), g.json);
  if (g.json) {
    std::cout << result->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    PrintResult(printer, cmd, *result);
  }
  return ExitCodeFor(cmd, *result);
}

namespace {

Result<std::optional<UnixSeconds>> SinceOf(const std::string& text) {
  if (text.empty()) return std::optional<UnixSeconds>();
  // A date alone is its 00:00 UTC, as an import's "published" reads it.
  if (auto t = ParseIso8601DateOrTime(text)) return std::optional<UnixSeconds>(*t);
  if (auto d = ParseDuration(text)) {
    return std::optional<UnixSeconds>(static_cast<UnixSeconds>(std::time(nullptr)) - *d);
  }
  return Err(Status::InvalidArgument("--since \"" + text +
                                     "\": give an ISO-8601 time (2026-11-30T08:00:00Z), a "
                                     "date (2026-11-30) or a duration back from now (90m, 24h, "
                                     "7d)"));
}

// Counts lines on stderr while it is a terminal and stdout is not (the lines go elsewhere).
class ExportProgress {
 public:
  ExportProgress() : shown_(::isatty(STDERR_FILENO) == 1 && ::isatty(STDOUT_FILENO) != 1) {}
  void Add(size_t n) {
    total_ += n;
    if (shown_ && n > 0) std::cerr << "\rexported " << total_ << " items" << std::flush;
  }
  ~ExportProgress() { EndLine(); }
  // Ends the progress line, so that a message printed next starts a line of its own.
  void EndLine() {
    if (shown_ && total_ > 0) std::cerr << "\n";
    total_ = 0;
  }

 private:
  bool shown_;
  uint64_t total_ = 0;
};

// While an export runs: Ctrl-C or SIGTERM ends it after the page being printed (a second one
// kills at once), so an archive opened with --db removes its temporary files; a reader that
// goes away (`| head`) makes writes fail with EPIPE instead of killing the process.
class ExportSignals {
 public:
  ExportSignals() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, &old_pipe_);
  }
  ~ExportSignals() { ::sigaction(SIGPIPE, &old_pipe_, nullptr); }
  ExportSignals(const ExportSignals&) = delete;
  ExportSignals& operator=(const ExportSignals&) = delete;
  static bool stopped() { return StopSignals::stopped(); }

  // True when standard output is a pipe or terminal nobody reads any more: a --follow that
  // has nothing new to print would otherwise wait for ever after `| head` went away.
  static bool ReaderGone() {
    pollfd out{STDOUT_FILENO, 0, 0};
    return ::poll(&out, 1, 0) == 1 && (out.revents & (POLLERR | POLLHUP)) != 0;
  }

  // Sleeps `seconds`, or less when a signal stops the export.
  static void Sleep(double seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!stopped() && !ReaderGone() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

 private:
  StopSignals stop_;  // Ctrl-C, SIGTERM
  struct sigaction old_pipe_ {};
};

// A stop asked for (Ctrl-C, SIGTERM) of an export without --follow.
int Interrupted(const std::string& cursor, ExportProgress& progress) {
  progress.EndLine();
  std::cerr << "newsctl: export interrupted; what was printed is whole: resume with "
               "--cursor "
            << cursor << "\n";
  return kExitInterrupted;
}

// An export page failed at `cursor`. Said on stderr only, also with --json: standard output
// holds the export's items (often appended to a file to resume), and an error object among
// them would read as one.
int PageFailed(const Status& e, const std::string& cursor) {
  // Everything printed so far is whole: say where to pick up (unless the cursor itself
  // was refused).
  const bool refused = e.code() == Status::Code::kInvalidArgument &&
                       e.message().find("export cursor") != std::string::npos;
  if (refused) return FailUsage(e, /*json=*/false);  // a --cursor this archive never gave out
  return Fail(cursor == "0" ? e
                            : Status::FromCodeName(Status::CodeName(e.code()),
                                                   e.message() + "; what was printed is " +
                                                       "whole: resume with --cursor " + cursor),
              /*json=*/false);
}

// Writes an export page's items, one JSON line each; a failed write says what was whole.
std::optional<ExportWriteFailure> PrintItems(const nlohmann::json& items, ExportOutput& output) {
  for (const nlohmann::json& line : items) {
    output.Add(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
               line.value("cursor", std::string()));
  }
  return output.Flush();
}

// Writing the export failed as `failure` says, in the page that began at `cursor`: a reader
// gone (`| head`) is no failure.
int WriteFailed(const ExportWriteFailure& failure, const std::string& cursor,
                ExportProgress& progress) {
  if (failure.error == EPIPE) return kExitOk;  // the reader had what it wanted (`| head`)
  progress.EndLine();
  std::cerr << "newsctl: " << DescribeWriteFailure(failure, cursor) << "\n";
  return kExitFailed;
}

}  // namespace

int RunExport(const GlobalArgs& g, const ExportArgs& a) {
  // Errors on stderr alone, also with --json (PageFailed): standard output holds items only.
  auto since = SinceOf(a.since);
  if (!since) return FailUsage(since.error(), /*json=*/false);
  if (!a.cursor.empty()) {
    if (auto cursor = admin::ParseCursor(a.cursor); !cursor)
      return FailUsage(cursor.error(), /*json=*/false);
  }
  auto backend = Open(g);
  if (!backend) return Fail(backend.error(), /*json=*/false);
  nlohmann::json args = {{"cursor", a.cursor.empty() ? "0" : a.cursor}, {"limit", 500}};
  if (*since) args["since"] = **since;
  ExportProgress progress;
  ExportSignals signals;
  ExportOutput output(STDOUT_FILENO);
  // Where this export began: after a failed sync, the one to run again from.
  const std::string start = a.cursor.empty() ? "0" : a.cursor;
  for (;;) {
    if (ExportSignals::ReaderGone()) return kExitOk;  // the reader had what it wanted
    if (ExportSignals::stopped()) {
      if (a.follow) break;  // how a follow ends
      // What was printed is whole, and on disk when it went to a file: then say so.
      if (auto failure = output.Sync()) return WriteFailed(*failure, start, progress);
      return Interrupted(args["cursor"].get<std::string>(), progress);
    }
    auto page = (*backend)->Call("items.export", args);
    if (!page) {
      progress.EndLine();
      if (auto failure = output.Sync()) return WriteFailed(*failure, start, progress);
      return PageFailed(page.error(), args["cursor"].get<std::string>());
    }
    const nlohmann::json& items = (*page)["items"];
    if (auto failure = PrintItems(items, output)) {
      return WriteFailed(*failure, args["cursor"].get<std::string>(), progress);
    }
    progress.Add(items.size());
    args["cursor"] = (*page)["cursor"];
    if (page->value("more", false)) continue;
    if (!a.follow) break;
    args["refresh"] = true;
    ExportSignals::Sleep(a.poll_seconds);
  }
  // The export is whole: on disk too, when it went to a file.
  if (auto failure = output.Sync()) return WriteFailed(*failure, start, progress);
  return kExitOk;
}

}  // namespace newsd::newsctl
