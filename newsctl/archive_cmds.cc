#include "newsctl/archive_cmds.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>

#include "admin/queries.h"
#include "newsctl/backend.h"
#include "newsctl/render.h"
#include "newsctl/stop_signals.h"
#include "storage/archive.h"
#include "storage/file_copy.h"
#include "storage/options.h"

namespace newsd::newsctl {

namespace {

namespace fs = std::filesystem;

// The daemon resolves paths from its own working directory: send absolute ones.
std::string Absolute(const std::string& path) {
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

// While it lives, the first SIGINT or SIGTERM writes `message` to stderr: with `exit`, the
// process then ends (exit 130); else the signal is noted (StopSignals::stopped() style, here
// stopped()) and a second one kills at once. For backups, which RocksDB writes in one call that
// cannot be stopped part-way. One at a time.
class BackupSignals {
 public:
  BackupSignals(std::string message, bool exit) : message_(std::move(message)) {
    message_text = message_.c_str();
    message_length = message_.size();
    exit_at_signal = exit;
    stop_noted = 0;
    struct sigaction on {};
    on.sa_handler = [](int) {
      (void)!::write(STDERR_FILENO, message_text, message_length);  // async-signal-safe
      if (exit_at_signal) ::_exit(kExitInterrupted);
      stop_noted = 1;
      // A second signal, of either kind, stops at once (SA_RESETHAND resets only this one).
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      ::sigaction(SIGINT, &dfl, nullptr);
      ::sigaction(SIGTERM, &dfl, nullptr);
    };
    on.sa_flags = SA_RESETHAND | SA_RESTART;
    ::sigemptyset(&on.sa_mask);
    ::sigaction(SIGINT, &on, &old_int_);
    ::sigaction(SIGTERM, &on, &old_term_);
  }
  ~BackupSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  BackupSignals(const BackupSignals&) = delete;
  BackupSignals& operator=(const BackupSignals&) = delete;
  static bool stopped() { return stop_noted != 0; }

 private:
  std::string message_;
  static inline const char* message_text = nullptr;
  static inline size_t message_length = 0;
  static inline volatile std::sig_atomic_t exit_at_signal = 0;
  static inline volatile std::sig_atomic_t stop_noted = 0;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

int Print(const GlobalArgs& g, const nlohmann::json& result) {
  if (g.json) {
    std::cout << result.dump(2) << "\n";
  } else {
    PrintBackup(result, std::cout);
  }
  return kExitOk;
}

// --db: the daemon is stopped, so newsctl opens the archive for writing itself.
int BackupDirect(const GlobalArgs& g, const std::string& dir) {
  if (!storage::HoldsArchive(g.db)) {
    return Fail(Status::NotFound("no archive at '" + g.db + "': check --db"), g.json);
  }
  storage::Options options;
  options.data_dir = g.db;
  options.min_free_mb = 0;  // nothing is committed here
  auto archive = storage::OpenArchive(options);
  if (!archive) {
    Status s = archive.error();
    if (s.code() == Status::Code::kUnavailable) {
      s = Status::InvalidArgument(s.message() +
                                  " -- another process holds the archive: if it is the daemon, "
                                  "leave out --db (it makes the backup); if an import or a "
                                  "reparse, back up once it has finished");
    }
    return Fail(s, g.json);
  }
  // RocksDB's copy cannot be stopped part-way: a stop waits for it, then removes it.
  const BackupSignals signals(
      "\nnewsctl: stopping: the backup is removed once the copy under way ends (a second "
      "Ctrl-C stops at once and leaves " +
          dir + ".tmp to remove by hand)\n",
      /*exit=*/false);
  // What was there before is never removed (the backup refuses a DIR or DIR.tmp that exists).
  std::error_code ec;
  const bool was_there =
      fs::exists(fs::symlink_status(dir, ec)) || fs::exists(fs::symlink_status(dir + ".tmp", ec));
  const auto began = std::chrono::steady_clock::now();
  auto info = (*archive)->Backup(dir);
  if (BackupSignals::stopped() && !was_there) {
    fs::remove_all(dir, ec);
    fs::remove_all(dir + ".tmp", ec);
    std::cerr << "newsctl: backup stopped: nothing was kept in " << dir << "\n";
    return kExitInterrupted;
  }
  if (!info) return Fail(info.error(), g.json);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
  return Print(g, admin::BackupJson(dir, *info, took.count()));
}

}  // namespace

int RunBackup(const GlobalArgs& g, const std::string& dir) {
  // "bk/" names bk, staged in bk.tmp (as the archive names them).
  std::string target = Absolute(dir);
  while (target.size() > 1 && target.back() == '/') target.pop_back();
  if (!g.db.empty()) return BackupDirect(g, target);
  auto backend = ConnectSocket(g.socket, g.timeout_seconds);
  if (!backend) return Fail(backend.error(), g.json);
  // The daemon's backup cannot be called off: a stop ends the wait, and says so.
  const BackupSignals signals("\nnewsctl: stopped waiting: newsd goes on writing the backup into " +
                                  target +
                                  " (a backup cannot be called off; its log says \"backup "
                                  "written\" once done, or why it failed)\n",
                              /*exit=*/true);
  auto result = (*backend)->Call("archive.backup", {{"dir", target}});
  if (!result) return Fail(result.error(), g.json);
  // The daemon wrote it in its own view of the file system (a unit's PrivateTmp, say): a
  // backup newsctl cannot see is none the operator has.
  std::error_code ec;
  const bool seen = std::filesystem::exists(std::filesystem::path(target) / "CURRENT", ec);
  if (!seen && !ec) {  // not there (an error, say no permission to look, proves nothing)
    return Fail(Status::IOError("newsd wrote the backup to " + target +
                                " in its own view of the file system, and it is not visible "
                                "here (a private /tmp, say): back up under /var/backups/newsd "
                                "(writable by the shipped unit), or with --db, newsd stopped"),
                g.json);
  }
  return Print(g, *result);
}

namespace {

// newsd keeps [storage] min_free_mb free and stores nothing below it: a restore that leaves
// less starts a daemon that ingests nothing. Said on stderr (the restore itself worked).
void WarnIfBelowReserve(const std::string& data_dir) {
  const uint64_t reserve = uint64_t{storage::Options{}.min_free_mb} << 20;
  const std::optional<storage::DiskSpace> space = storage::SpaceOn(data_dir);
  if (!space || space->free >= reserve) return;
  std::cerr << "newsctl: note: " << storage::HumanBytes(space->free) << " is left free on "
            << data_dir << "'s file system, and newsd keeps [storage] min_free_mb free ("
            << storage::HumanBytes(reserve)
            << " unless configured lower) and stores nothing below it: free space there, or "
               "lower min_free_mb, before starting newsd\n";
}

}  // namespace

int RunRestore(const GlobalArgs& g, const std::string& backup_dir) {
  if (g.db.empty()) {
    return FailUsage(Status::InvalidArgument("restore needs --db DATA_DIR: the (empty) directory "
                                             "to restore into, with newsd stopped"),
                     g.json);
  }
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  // Ctrl-C or SIGTERM stop the restore after the file being copied, which then removes what
  // it copied (a second signal kills at once: newsd then refuses the half archive it leaves).
  const StopSignals signals;
  auto progress = [terminal](storage::RestoreStep step, uint64_t done, uint64_t total) {
    if (terminal) {
      const bool checking = step == storage::RestoreStep::kChecking;
      // The checking line ends where the copying one starts over it.
      std::fprintf(stderr, "\r%s: %.1f of %.1f MiB (%.0f%%)%s",
                   checking ? "checking the backup" : "restoring", done / 1048576.0,
                   total / 1048576.0, total ? 100.0 * done / total : 100.0,
                   checking && done == total ? "\n" : "");
    }
    return !StopSignals::stopped();
  };
  auto info = storage::RestoreArchive(backup_dir, g.db, progress);
  if (terminal) std::fprintf(stderr, "\n");
  if (!info && info.error().code() == Status::Code::kAborted && StopSignals::stopped()) {
    Fail(info.error(), g.json);
    return kExitInterrupted;
  }
  if (!info) return Fail(info.error(), g.json);
  if (g.json) {
    std::cout << nlohmann::json{{"dir", g.db}, {"files", info->files}, {"bytes", info->bytes}}.dump(
                     2)
              << "\n";
  } else {
    char size[32];
    std::snprintf(size, sizeof(size), "%.1f MiB", static_cast<double>(info->bytes) / 1048576.0);
    std::cout << "restored " << backup_dir << " into " << g.db << ": " << info->files << " files, "
              << size << "; start newsd on it\n";
  }
  WarnIfBelowReserve(g.db);
  return kExitOk;
}

}  // namespace newsd::newsctl
