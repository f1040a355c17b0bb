#pragma once

// newsd's command line (CLI11): its flags and its import and reparse subcommands, as main()
// parses them.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace newsd::daemon {

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

/// Declares newsd's flags and subcommands on `app`, to be parsed into `f` (which must outlive
/// the parse).
void AddFlags(CLI::App& app, Flags& f);

/// After the parse: kExitUsage, said on stderr, when a subcommand was given one of the
/// daemon's mode flags (--once, --check-config, --time-scale): "newsd import a.jsonl --db D
/// --check-config" must not check and skip the import. nullopt when the flags agree.
std::optional<int> RefuseModeFlags(const Flags& f);

}  // namespace newsd::daemon
