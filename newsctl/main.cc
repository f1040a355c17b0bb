// newsctl: the operators' CLI. Global options come before the subcommand.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "newsctl/cli.h"
#include "newsctl/commands.h"
#include "newsctl/render.h"

namespace nc = newsd::newsctl;

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
  std::string timeout;
  nc::AddGlobalOptions(app, &g, &timeout);
  app.set_version_flag("--version", NEWSD_VERSION);
  nc::Commands commands;
  nc::AddCommands(app, g, &commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return nc::ParseFailed(app, e, std::vector<std::string>(argv + 1, argv + argc));
  }
  if (std::optional<int> refused = nc::ApplyTimeout(timeout, &g)) return *refused;
  // A reader that goes away (`| head`) makes writes fail with EPIPE, not kill newsctl.
  std::signal(SIGPIPE, SIG_IGN);
  for (const nc::Command& command : commands) {
    if (command.app->parsed()) return nc::OutputWritten(command.run());
  }
  return nc::kExitUsage;
} catch (const std::exception& e) {
  std::cerr << "newsctl: " << e.what() << "\n";
  return 1;
}
