#pragma once

// newsctl's command line (CLI11): the subcommands main() parses, and what runs each.

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "newsctl/commands.h"

namespace newsd::newsctl {

/// A subcommand, and what runs it once the command line is parsed (its exit code).
struct Command {
  CLI::App* app;
  std::function<int()> run;
};
using Commands = std::vector<Command>;

/// Declares every subcommand on `app`, their options parsed into `g` (the global options,
/// which must outlive `out`) and into state each Command's `run` owns.
void AddCommands(CLI::App& app, const GlobalArgs& g, Commands* out);

/// After a failed parse of `args` (argv without the program's name): when the word where a
/// command was expected is none ("newsctl stats", "newsctl feeds lst"), the line that says so
/// with the commands there are ("newsctl feeds: unknown command ..."), without its newline; the
/// same for an option the command does not know ("newsctl search -oil"). nullopt when CLI11's
/// own message is the one to show. Prints nothing (ParseFailed does).
std::optional<std::string> ExplainUnknownCommand(CLI::App& app,
                                                 const std::vector<std::string>& args);

/// Declares the global options on `app`: --socket (default $NEWSD_SOCKET, else g's), --db and
/// --json into `g`, --timeout as given into `timeout` (ApplyTimeout reads it after the parse).
void AddGlobalOptions(CLI::App& app, GlobalArgs* g, std::string* timeout);

/// The exit code after CLI11 refused `args` (argv without the program's name) with `e`, once
/// said: ExplainUnknownCommand's message (and with --json its JSON error object on stdout too),
/// a JSON error object with --json, else CLI11's
/// (0 for --help and --version, kExitUsage otherwise).
int ParseFailed(CLI::App& app, const CLI::ParseError& e, const std::vector<std::string>& args);

/// Sets g->timeout_seconds from --timeout's `timeout` ("" leaves the default; "0" is no
/// limit). A usage error's exit code, said, when it is no duration; nullopt when applied.
std::optional<int> ApplyTimeout(const std::string& timeout, GlobalArgs* g);

/// `code` once standard output is flushed; when it could not be written (a full disk), says
/// so and returns kExitFailed, as a script must know its file is cut short. A reader gone
/// (`| head`) had what it wanted: no failure.
int OutputWritten(int code);

}  // namespace newsd::newsctl
