// newsctl: the operators' CLI. Global options come before the subcommand.
#include <poll.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "newsctl/cli.h"
#include "newsctl/commands.h"
#include "newsctl/render.h"

namespace nc = newsd::newsctl;
namespace {

// `code` once standard output is flushed; when it could not be written (a full disk), says
// so and fails, as a script must know its file is cut short. A reader gone (`| head`) had
// what it wanted: no failure.
int OutputWritten(int code) {
  errno = 0;  // (the flush may do the write that fails)
  std::cout.flush();
  const bool failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed || code != nc::kExitOk) return code;  // (a failed command said why)
  const int error = errno;
  pollfd out{STDOUT_FILENO, 0, 0};
  const bool reader_gone =
      error == EPIPE || (::poll(&out, 1, 0) == 1 && (out.revents & (POLLERR | POLLHUP)) != 0);
  if (reader_gone) return code;
  std::fprintf(stderr, "newsctl: writing the output failed (%s): what was written is cut short\n",
               error != 0 ? std::strerror(error) : "a full disk, or a file closed");
  return nc::kExitFailed;
}

// --timeout into g; a usage error's exit code when it is no duration.
std::optional<int> ApplyTimeout(const std::string& timeout, nc::GlobalArgs* g) {
  if (timeout.empty()) return std::nullopt;
  const std::optional<int64_t> seconds =
      timeout == "0" ? std::optional<int64_t>(0) : newsd::ParseDuration(timeout);
  if (!seconds || *seconds < 0) {
    return nc::FailUsage(newsd::Status::InvalidArgument("--timeout \"" + timeout +
                                                        "\": give a duration such as 30s or "
                                                        "5m, or 0 for no limit"),
                         g->json);
  }
  g->timeout_seconds = *seconds;
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) try {
  // Library log lines (RocksDB's, through storage/) go to stderr, warnings and worse only:
  // stdout carries the command's output (an export piped into another program).
  spdlog::set_default_logger(spdlog::stderr_logger_st("newsctl"));
  spdlog::set_level(spdlog::level::warn);
  nc::Table::SetCutting(::isatty(STDOUT_FILENO) == 1);  // piped: whole values for scripts
  CLI::App app{"newsctl: ask and steer newsd (the news ingest daemon)"};
  app.require_subcommand(1);
  // The global options may come after the command too ("newsctl status --json"): what a
  // command does not know goes to newsctl's own options (subcommands inherit this).
  app.fallthrough();
  nc::GlobalArgs g;
  if (const char* env = std::getenv("NEWSD_SOCKET"); env != nullptr && *env != '\0') {
    g.socket = env;
  }
  app.add_option("--socket", g.socket, "admin socket ($NEWSD_SOCKET)")->capture_default_str();
  app.add_option("--db", g.db,
                 "open the archive in this data_dir directly, without the daemon: read-only, "
                 "but for backup, which first moves the archive's log into a table there");
  app.add_flag("--json", g.json, "JSON output for scripts");
  std::string timeout;
  app.add_option("--timeout", timeout,
                 "how long to wait for the daemon's answer, e.g. 30s or 5m; 0 = no limit "
                 "(default 60s; no limit for backup and reparse)");
  app.set_version_flag("--version", NEWSD_VERSION);
  nc::Commands commands;
  nc::AddCommands(app, g, &commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (nc::ExplainUnknownCommand(app, std::vector<std::string>(argv + 1, argv + argc))) {
      return nc::kExitUsage;
    }
    // With --json, a bad option value is an error object on standard output too, as every
    // other error is (--help and --version are no errors: exit code 0).
    const bool json = std::any_of(argv + 1, argv + argc,
                                  [](const char* a) { return std::string_view(a) == "--json"; });
    if (json && e.get_exit_code() != 0) {
      return nc::FailUsage(newsd::Status::InvalidArgument(e.what()), /*json=*/true);
    }
    return app.exit(e) == 0 ? 0 : nc::kExitUsage;
  }
  if (std::optional<int> refused = ApplyTimeout(timeout, &g)) return *refused;
  // A reader that goes away (`| head`) makes writes fail with EPIPE, not kill newsctl.
  std::signal(SIGPIPE, SIG_IGN);
  for (const nc::Command& command : commands) {
    if (command.app->parsed()) return OutputWritten(command.run());
  }
  return nc::kExitUsage;
} catch (const std::exception& e) {
  std::cerr << "newsctl: " << e.what() << "\n";
  return 1;
}
