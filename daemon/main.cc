// newsd: the news ingest daemon. Parses flags, loads the config (exit 78 when it is bad) and
// hands over to Daemon, or runs a batch import.
#include <fcntl.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/plural.h"
#include "core/time.h"
#include "daemon/admin_server.h"
#include "daemon/daemon.h"
#include "daemon/heap.h"
#include "daemon/import.h"
#include "daemon/logging.h"
#include "daemon/reparse.h"
#include "storage/archive.h"

namespace nd = newsd::daemon;

namespace {

/// True when the service runs as another user than this process: the unit's User=newsd
/// exists (systemd/newsd.sysusers) and is not who runs this.
bool ServiceUserIsAnother() {
  const passwd* service = ::getpwnam("newsd");
  return service != nullptr && service->pw_uid != ::geteuid();
}

/// Logs `message` as an error and returns `code`.
int Fail(int code, const std::string& message) {
  nd::ReportFatal(message);
  return code;
}

/// Why `file` cannot be imported as it is (a compressed file), or "" when it may be.
std::string CompressedInput(const std::string& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) return "";
  unsigned char head[4] = {};
  const size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  struct Magic {
    const char* bytes;
    size_t size;
    const char* tool;
  };
  static constexpr Magic kMagics[] = {{"\x1f\x8b", 2, "zcat"},
                                      {"\xfd"
                                       "7zX",
                                       4, "xzcat"},
                                      {"\x28\xb5\x2f\xfd", 4, "zstdcat"},
                                      {"BZh", 3, "bzcat"}};
  for (const Magic& m : kMagics) {
    if (n >= m.size && std::memcmp(head, m.bytes, m.size) == 0) {
      std::string why = "import: " + file;
      why += " is compressed: decompress it on the way in (";
      why += m.tool;
      why += " " + file +
             " | newsd import - --db DATA_DIR; a pipe is taken in its own order, so a file not "
             "in published order is better decompressed to a file first); nothing done";
      return why;
    }
  }
  return "";
}

/// The import's closing lines: what was stored, and what to do when that is not everything.
int ReportImport(const nd::ImportStats& stats, const nd::IngestStats& in) {
  const uint64_t read = in.new_stories + in.copies + in.duplicates;
  if (stats.interrupted != 0 && stats.reordered_of > 0) {
    spdlog::warn(
        "import interrupted by signal {} after {} of its {} article lines (taken in published "
        "order): those are stored; run the same import again to finish (stored lines are "
        "skipped)",
        stats.interrupted, stats.taken, stats.reordered_of);
    return 128 + stats.interrupted;
  }
  if (stats.interrupted != 0) {
    spdlog::warn(
        "import interrupted by signal {} after line {}: lines 1 to {} are stored; run the "
        "same import again to finish (stored lines are skipped)",
        stats.interrupted, stats.lines, stats.lines);
    return 128 + stats.interrupted;
  }
  if (read == 0 && stats.bad_lines == 0) {
    spdlog::warn("import: the input had no article lines: nothing stored");
  }
  if (stats.bad_lines > 0 && read == 0) {
    return Fail(nd::kExitFailure,
                (stats.bad_lines == 1 ? std::string("import: its one line could not be read")
                                      : "import: none of the " + std::to_string(stats.bad_lines) +
                                            " lines could be read") +
                    " (see the errors above): nothing stored. Is the file JSON Lines, one "
                    "article object per line?");
  }
  return nd::kExitOk;
}

/// Why `file` (- for stdin) cannot be imported, or "" when it may be.
std::string UnusableInput(const std::string& file) {
  if (file == "-" && ::fcntl(STDIN_FILENO, F_GETFD) == -1) {
    // Else the archive's first file would take descriptor 0 and be read as the input.
    return "import: standard input is closed: give a file, or pipe one in";
  }
  if (file != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
      return "import: " + file + " is a directory: give a JSON Lines file, or - for stdin";
    }
    if (::access(file.c_str(), R_OK) != 0) {
      return "import: cannot read " + file + ": " + std::strerror(errno) + " (nothing done)";
    }
    if (std::string why = CompressedInput(file); !why.empty()) return why;
  }
  return "";
}

/// What ImportAndClose did to the archive.
struct ImportTouched {
  bool opened = false;     ///< It opened (so created, if it was not there) the archive.
  bool committed = false;  ///< It wrote a group of lines.
  bool held_items = true;  ///< The archive held item ids when the import ended (or could not tell).
};

/// The import command up to the archive's close.
int ImportAndClose(const newsd::config::Config& config, const std::string& file,
                   ImportTouched* touched) {
  nd::PrepareProcessForImport();
  const nd::ImportSignals signals;  // Ctrl-C while the archive opens stops the import too
  // A batch job: spend RAM on each indexed item's band fragments so that expiry does not sign
  // it again (dedup::Options::keep_band_fragments).
  newsd::dedup::Options dedup = config.dedup;
  dedup.keep_band_fragments = true;
  const newsd::UnixSeconds now = newsd::SystemClock().NowSeconds();
  std::unique_ptr<nd::ImportReader> reader;
  auto start_reading = [&]() -> std::string {
    auto started = nd::ImportReader::Start(file, dedup, now, config.parse.max_field_bytes);
    if (!started) return started.error().ToString();
    reader = std::move(*started);
    return "";
  };
  // A regular file is read while the archive opens (its first lines tokenised meanwhile). A
  // pipe or a terminal is read only once the archive is open: should the open fail, a reader
  // blocked on one would hold the exit until more input came.
  struct stat input {};
  if (file != "-" && ::stat(file.c_str(), &input) == 0 && S_ISREG(input.st_mode)) {
    if (std::string why = start_reading(); !why.empty()) return Fail(nd::kExitFailure, why);
  }
  auto archive = newsd::storage::OpenArchive(config.storage);
  if (!archive) return Fail(nd::kExitFailure, archive.error().ToString());
  touched->opened = true;
  nd::Ingestor ingestor(**archive, dedup);
  struct NoteCommits {  // on every return, before the archive closes: what it holds now
    const nd::Ingestor& ingestor;
    newsd::storage::Archive& archive;
    ImportTouched* touched;
    ~NoteCommits() {
      touched->committed = ingestor.stats().commits > 0;
      // Another process's archive, made and filled between the check that none was there and
      // this open, holds items: never removed.
      auto none = archive.HoldsNoItemIds();
      touched->held_items = !none || !*none;
    }
  } note{ingestor, **archive, touched};
  // A signal while the archive opened, or while its index is read back: nothing is read.
  auto stopped = [] {
    const int signo = nd::ImportSignals::Received();
    if (signo != 0) spdlog::warn("import interrupted by signal {} before its first line", signo);
    return signo == 0 ? 0 : 128 + signo;
  };
  if (int code = stopped(); code != 0) return code;
  if (auto s = ingestor.Restore(); !s.ok()) return Fail(nd::kExitFailure, s.ToString());
  if (int code = stopped(); code != 0) return code;
  // What the archive's index held before this import (from earlier imports or polls).
  const newsd::UnixSeconds held_before = ingestor.expired_below();
  if (!reader) {
    if (std::string why = start_reading(); !why.empty()) return Fail(nd::kExitFailure, why);
  }
  auto stats = nd::ImportJsonl(*reader, ingestor);
  if (!stats) {
    // Groups are committed whole as they fill: those before the failure are stored.
    const auto& in = ingestor.stats();
    return Fail(nd::kExitFailure,
                "import failed: " + stats.error().ToString() + " -- " +
                    newsd::Counted(in.commits, "group", "groups") + " of up to " +
                    std::to_string(nd::kImportGroupSize) +
                    " articles were stored before it; fix the cause and run the same import "
                    "again (stored lines are skipped)");
  }
  const auto& in = ingestor.stats();
  if (in.late > 0) {
    // Why, as far as it is known: the archive held newer items (nothing to do about that but
    // know it is slower), or a pipe brought lines out of order (a file is sorted first).
    const std::string held =
        held_before == INT64_MIN
            ? ""
            : fmt::format(
                  " (the archive already held items up to {}, from earlier imports or "
                  "polls)",
                  newsd::FormatIso8601(held_before + dedup.kept_seconds()));
    spdlog::warn(
        "{} dated more than [dedup] window before lines read ahead of them, or before what "
        "the archive held{}: the dedup index had already let go of the items they may copy, "
        "so each was compared with the archive's items of its days as well ({} found a copy "
        "there), read back and fingerprinted again, which is slower; nothing was missed.{}",
        newsd::Counted(in.late, "line was", "lines were"), held, in.archive_copies,
        file == "-" || !S_ISREG(input.st_mode)
            ? " Import from a file, not a pipe, to have the lines taken in published order"
            : "");
  }
  nd::ReportResult(fmt::format(
      "imported {} in {:.2f}s ({:.0f}/s): {}, {}, "
      "{} already seen (stored, or removed by retention and remembered), {}{}",
      newsd::Counted(stats->lines, "line", "lines"), stats->seconds,
      stats->lines / std::max(stats->seconds, 1e-9),
      newsd::Counted(in.new_stories, "new story", "new stories"),
      newsd::Counted(in.copies, "copy", "copies"), in.duplicates,
      newsd::Counted(stats->bad_lines, "bad line", "bad lines"),
      stats->cut_fields > 0 ? fmt::format(", {} cut to [parse] max_field_bytes", stats->cut_fields)
                            : ""));
  return ReportImport(*stats, in);
}

int Import(const newsd::config::Config& config, const std::string& file) {
  // The input first: a mistyped file name must not leave a new, empty archive behind.
  if (std::string why = UnusableInput(file); !why.empty()) return Fail(nd::kExitFailure, why);
  std::error_code ec;
  const bool existed = std::filesystem::exists(config.storage.data_dir, ec) || ec;
  ImportTouched touched;
  const int code = ImportAndClose(config, file, &touched);
  // Nor may an import that ended before storing anything (an empty file, no line readable, a
  // pipe of garbage, Ctrl-C): the archive it created holds nothing. Only one it opened itself:
  // a failed open may be another process's archive, made a moment before.
  if (!existed && touched.opened && !touched.committed && !touched.held_items &&
      std::filesystem::remove_all(config.storage.data_dir, ec) > 0) {
    nd::ReportResult("removed the archive this import created: nothing was stored in it");
  }
  return code;
}

int Reparse(const newsd::config::Config& config, const std::string& feed, bool dry_run) {
  auto report = nd::ReparseStopped(config, feed, dry_run);
  if (!report) return Fail(nd::kExitFailure, "reparse failed: " + report.error().ToString());
  for (const std::string& error : report->errors) spdlog::warn("feed={} {}", feed, error);
  nd::ReportResult(fmt::format(
      "feed={} reparse of {} ({} unreadable), {}: {} added, {} updated, {} unchanged{}", feed,
      newsd::Counted(report->bodies, "raw body", "raw bodies"), report->unreadable,
      newsd::Counted(report->entries, "entry", "entries"), report->added, report->updated,
      report->unchanged, dry_run ? " (dry run: nothing stored)" : ""));
  return nd::kExitOk;
}

/// Feeds whose configured interval is below [politeness] min_interval are polled at that
/// floor: says so once, naming a few of them.
void WarnOfRaisedIntervals(const newsd::config::Config& config, const std::string& config_path) {
  const int64_t floor = config.politeness.min_interval;
  std::vector<std::string> raised;
  for (const newsd::config::FeedConfig& feed : config.feeds) {
    if (feed.interval_set && feed.interval < floor) raised.push_back(feed.id);
  }
  if (raised.empty()) return;
  constexpr size_t kNamed = 3;
  std::string named;
  for (size_t i = 0; i < std::min(raised.size(), kNamed); ++i) {
    named += (i > 0 ? ", " : "") + raised[i];
  }
  if (raised.size() > kNamed) named += ", ...";
  spdlog::warn(
      "{}: {} an interval below [politeness] min_interval ({}): polled every {} ({}); lower "
      "min_interval to poll {} more often",
      config_path,
      raised.size() == 1 ? "1 feed sets" : std::to_string(raised.size()) + " feeds set",
      newsd::FormatDuration(floor), newsd::FormatDuration(floor), named,
      raised.size() == 1 ? "it" : "them");
}

/// The daemon's configuration checks beyond parsing: a data_dir it cannot use (exit 78), and
/// with --check-config (`check_only`) the admin socket too, then "OK" (exit 0). nullopt: go on
/// and start.
std::optional<int> CheckDaemonConfig(const newsd::config::Config& config,
                                     const std::string& config_path, bool check_only) {
  // Caught here, not when the archive opens: restarting would not help. An operator who
  // checks the file as another user than the service's (the unit's User=newsd) may not
  // write the directory: only a warning then. Checked as that user, or where there is no
  // such user (newsd run by hand, from cron, in a container), it is refused.
  const std::string& at = config.data_dir_at.empty() ? config_path : config.data_dir_at;
  if (auto s = newsd::storage::CheckDataDir(config.storage.data_dir); !s.ok()) {
    if (!check_only || s.code() != newsd::Status::Code::kPermissionDenied ||
        !ServiceUserIsAnother()) {
      return Fail(nd::kExitConfig, "bad configuration: " + at + ": " + s.message());
    }
    spdlog::warn("{}: {} (this user; the service's user must be able to)", at, s.message());
  }
  WarnOfRaisedIntervals(config, config_path);
  if (!check_only) return std::nullopt;
  if (auto s = nd::AdminServer::CheckPath(config.daemon.admin_socket); !s.ok()) {
    return Fail(nd::kExitConfig, "bad configuration: " + config_path + ": " + s.message());
  }
  const std::filesystem::path socket_dir =
      std::filesystem::path(config.daemon.admin_socket).parent_path();
  std::error_code ec;
  if (!socket_dir.empty() && !std::filesystem::is_directory(socket_dir, ec)) {
    // The unit's RuntimeDirectory=newsd makes /run/newsd at each start; another is the
    // operator's to make.
    const bool runtime_dir = socket_dir == "/run/newsd";
    spdlog::warn(
        "{}: [daemon] admin_socket {}: its directory {} does not exist{}; the service needs it "
        "to start{}",
        config_path, config.daemon.admin_socket, socket_dir.string(), runtime_dir ? " (yet)" : "",
        runtime_dir ? " (systemd's RuntimeDirectory= makes /run/newsd)"
                    : ": create it, or put the socket under /run/newsd");
  }
  std::printf("%s: OK, %zu %s\n", config_path.c_str(), config.feeds.size(),
              config.feeds.size() == 1 ? "feed" : "feeds");
  return nd::kExitOk;
}

/// The service, or with `once` one poll round; `time_scale` > 1 runs its clock faster (tests).
int RunDaemon(newsd::config::Config config, bool once, double time_scale) {
  spdlog::debug("heap: {}", nd::TuneHeapForPolling(/*one_round=*/once));
  // One round and out (from cron, say): its compactions must not be cut off at every exit.
  config.storage.finish_compactions_at_close = once;
  const auto mode = once ? nd::Daemon::Mode::kOnce : nd::Daemon::Mode::kService;
  if (time_scale != 1) {
    newsd::ScaledClock clock(time_scale);
    spdlog::warn("testing clock: time runs {}x faster from {} (--time-scale)", time_scale,
                 newsd::FormatIso8601(clock.NowSeconds()));
    return nd::Daemon(std::move(config), clock).Run(mode);
  }
  newsd::SystemClock clock;
  return nd::Daemon(std::move(config), clock).Run(mode);
}

/// newsd's command line: the daemon's flags, and the import and reparse subcommands.
struct Flags {
  std::string config_path = "/etc/newsd/newsd.toml", db, import_file, log_level;
  bool once = false, check = false;
  double time_scale = 1;
  std::string reparse_feed;
  bool dry_run = false;
  CLI::App* import = nullptr;
  CLI::App* reparse = nullptr;
};

/// Declares newsd's flags and subcommands on `app`, to be parsed into `f`.
void AddFlags(CLI::App& app, Flags& f) {
  app.add_option("-c,--config", f.config_path, "configuration file")->capture_default_str();
  app.add_flag("--once", f.once, "poll the feeds that are due now, once, and exit");
  app.add_flag("--check-config", f.check, "validate the configuration and exit");
  app.add_option("--log-level", f.log_level, "override [daemon] log_level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--time-scale", f.time_scale,
                 "testing only: run the daemon's clock N times faster (a compressed day)")
      ->check(CLI::Range(1.0, 100000.0));
  f.import = app.add_subcommand("import", "ingest a JSON Lines file of articles");
  f.import->fallthrough();  // --log-level (and the like) after the subcommand too
  f.import->add_option("file", f.import_file, "JSONL file (- for stdin)")->required();
  f.import->add_option("--db", f.db, "archive directory (a data_dir)")->required();
  f.import->add_option("-c,--config", f.config_path, "configuration file (optional)");
  f.reparse =
      app.add_subcommand("reparse",
                         "parse a feed's kept raw responses again and store what changed (newsd "
                         "stopped; else use newsctl reparse)");
  f.reparse->add_option("feed", f.reparse_feed, "feed id")->required();
  f.reparse->add_option("-c,--config", f.config_path, "configuration file");
  f.reparse->add_flag("--dry-run", f.dry_run, "only say what would change");
  f.reparse->fallthrough();
  app.set_version_flag("--version", NEWSD_VERSION);
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"newsd: polls news feeds and collapses syndicated copies into one archive"};
  Flags f;
  AddFlags(app, f);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : nd::kExitUsage;
  }
  // Subcommands take the daemon's -c and --log-level on either side (fallthrough), not its
  // modes: "newsd import a.jsonl --db D --check-config" must not check and skip the import.
  if ((f.import->parsed() || f.reparse->parsed()) && (f.once || f.check || f.time_scale != 1)) {
    std::fprintf(stderr, "newsd %s: --once, --check-config and --time-scale are not for it\n",
                 f.import->parsed() ? "import" : "reparse");
    return nd::kExitUsage;
  }
  // An import reads a configuration only when given one, before or after "import".
  const bool have_config =
      !f.import->parsed() || f.import->count("--config") > 0 || app.count("--config") > 0;
  auto config = have_config ? newsd::config::LoadFile(f.config_path)
                            : newsd::Result<newsd::config::Config>(newsd::config::Defaults());
  nd::SetupLogging(!f.log_level.empty() ? f.log_level : config ? config->daemon.log_level : "info");
  if (!config) return Fail(nd::kExitConfig, "bad configuration: " + config.error().message());
  if (!f.import->parsed() && !f.reparse->parsed()) {
    if (std::optional<int> done = CheckDaemonConfig(*config, f.config_path, f.check)) return *done;
  }
  if (f.import->parsed()) {
    config->daemon.data_dir = config->storage.data_dir = f.db;
    config->storage.bulk_load = true;
    config->storage.finish_compactions_at_close = true;
    return Import(*config, f.import_file);
  }
  if (f.reparse->parsed()) return Reparse(*config, f.reparse_feed, f.dry_run);
  return RunDaemon(std::move(*config), f.once, f.time_scale);
} catch (const std::exception& e) {
  nd::ReportFatal(std::string("fatal: ") + e.what());
  return nd::kExitFailure;
}
