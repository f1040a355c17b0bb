// newsd: the news ingest daemon. Parses flags, loads the config (exit 78 when it is bad) and
// hands over to one of its modes (main_modes.h): the service, one round, an import, a reparse.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>

#include "config/config.h"
#include "daemon/daemon.h"
#include "daemon/logging.h"
#include "daemon/main_modes.h"

namespace nd = newsd::daemon;
using nd::FailWith;

namespace {

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
  if (!config) return FailWith(nd::kExitConfig, "bad configuration: " + config.error().message());
  if (!f.import->parsed() && !f.reparse->parsed()) {
    if (std::optional<int> done = nd::CheckDaemonConfig(*config, f.config_path, f.check))
      return *done;
  }
  if (f.import->parsed()) {
    config->daemon.data_dir = config->storage.data_dir = f.db;
    config->storage.bulk_load = true;
    config->storage.finish_compactions_at_close = true;
    return nd::RunImport(*config, f.import_file);
  }
  if (f.reparse->parsed()) return nd::RunReparse(*config, f.reparse_feed, f.dry_run);
  return nd::RunDaemon(std::move(*config), f.once, f.time_scale);
} catch (const std::exception& e) {
  nd::ReportFatal(std::string("fatal: ") + e.what());
  return nd::kExitFailure;
}
