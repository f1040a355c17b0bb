#include "daemon/main_flags.h"

#include <cstdio>

#include "daemon/daemon.h"

namespace newsd::daemon {

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

std::optional<int> RefuseModeFlags(const Flags& f) {
  // Subcommands take the daemon's -c and --log-level on either side (fallthrough), not its
  // modes.
  if ((f.import->parsed() || f.reparse->parsed()) && (f.once || f.check || f.time_scale != 1)) {
    std::fprintf(stderr, "newsd %s: --once, --check-config and --time-scale are not for it\n",
                 f.import->parsed() ? "import" : "reparse");
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace newsd::daemon
