#pragma once

// newsctl's command line (CLI11): the subcommands main() parses, and what runs each.

#include <CLI/CLI.hpp>
#include <functional>
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
/// command was expected is none ("newsctl stats", "newsctl feeds lst"), says so on stderr with
/// the commands there are, and returns true; the same for an option the command does not know
/// ("newsctl search -oil"). False: CLI11's own message is the one to show.
bool ExplainUnknownCommand(CLI::App& app, const std::vector<std::string>& args);

}  // namespace newsd::newsctl
