// newsd: the news ingest daemon. Parses flags, loads the config (exit 78 when it is bad) and
// hands over to one of its modes (main_modes.h): the service, one round, an import, a reparse.
#include <CLI/CLI.hpp>
#include <csignal>
#include <optional>
#include <string>

#include "config/config.h"
#include "daemon/daemon.h"
#include "daemon/logging.h"
#include "daemon/main_flags.h"
#include "daemon/main_modes.h"

namespace nd = newsd::daemon;
using nd::FailWith;

int main(int argc, char** argv) try {
  CLI::App app{"newsd: polls news feeds and collapses syndicated copies into one archive"};
  nd::Flags f;
  AddFlags(app, f);
  // A log reader that went away (`2>&1 | head`, a supervisor's closed pipe) makes writes fail
  // with EPIPE, not the daemon die with its socket left behind.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : nd::kExitUsage;
  }
  if (std::optional<int> refused = nd::RefuseModeFlags(f)) return *refused;
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
