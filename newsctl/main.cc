// newsctl: the operators' CLI. Global options come before the subcommand.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "newsctl/archive_cmds.h"
#include "newsctl/commands.h"
#include "newsctl/dedup_cmds.h"
#include "newsctl/parse_cmd.h"

namespace nc = newsd::newsctl;

int main(int argc, char** argv) try {
  // Library log lines (RocksDB's, through storage/) go to stderr, warnings and worse only:
  // stdout carries the command's output (an export piped into another program).
  spdlog::set_default_logger(spdlog::stderr_logger_st("newsctl"));
  spdlog::set_level(spdlog::level::warn);
  CLI::App app{"newsctl: ask and steer newsd (the news ingest daemon)"};
  app.require_subcommand(1);
  nc::GlobalArgs g;
  if (const char* env = std::getenv("NEWSD_SOCKET")) g.socket = env;
  app.add_option("--socket", g.socket, "admin socket ($NEWSD_SOCKET)")->capture_default_str();
  app.add_option("--db", g.db, "read the archive in this data_dir directly, read-only");
  app.add_flag("--json", g.json, "JSON output for scripts");
  app.set_version_flag("--version", NEWSD_VERSION);

  nc::ParseArgs p;
  auto* parse = app.add_subcommand("parse", "show what newsd reads from a feed file");
  parse->add_option("file", p.file, "feed file, or - for stdin")->required();
  parse->add_option("--content-type", p.content_type, "HTTP Content-Type (\"\" = none)");
  parse->add_option("--base", p.base, "document URL for relative links (\"\" = none)");
  parse->add_option("--content-language", p.language, "HTTP Content-Language (\"\" = none)");
  parse->add_flag("--json", p.json, "print the normalized JSON document");

  auto* status = app.add_subcommand("status", "is the daemon running, and how is it doing");
  auto* feeds = app.add_subcommand("feeds", "the polled feeds")->require_subcommand(1);
  auto* feeds_list = feeds->add_subcommand("list", "feeds with their state and last poll");
  std::string feed_id;
  auto* feeds_show = feeds->add_subcommand(
      "show", "one feed: state and why, validators, schedule, URL moves, raw bodies kept");
  feeds_show->add_option("id", feed_id, "feed id")->required();
  auto* politeness = app.add_subcommand(
      "politeness", "per host: requests, conditional share, 304s, shortest gaps, 429s honoured");
  auto* stories = app.add_subcommand("stories", "deduplicated stories")->require_subcommand(1);
  size_t limit = 20;
  auto* recent = stories->add_subcommand("recent", "newest stories with their copy counts");
  recent->add_option("-n,--limit", limit, "how many")->check(CLI::Range(1, 10000));
  std::string story_id;
  auto* show = stories->add_subcommand("show", "a story and every copy of it");
  show->add_option("id", story_id, "story id")->required();
  std::string format = "jsonl";
  auto* exp = app.add_subcommand("export", "every item as JSON Lines");
  exp->add_option("--format", format, "output format")->check(CLI::IsMember({"jsonl"}));

  std::string item_a, item_b;
  auto* dupes = app.add_subcommand("dupes", "near-duplicate decisions")->require_subcommand(1);
  auto* explain = dupes->add_subcommand(
      "explain", "why two items are (not) one story (reads the archive: the daemon's, or --db)");
  explain->add_option("item_a", item_a, "item id")->required();
  explain->add_option("item_b", item_b, "item id")->required();
  nc::CheckArgs c;
  auto* check = app.add_subcommand(
      "check", "is this text a copy of an archived story (the daemon's archive, or --db)");
  check->add_option("file", c.file, "text file, or - for stdin")->required();
  check->add_option("--title", c.title, "its headline");
  check->add_option("--source", c.source, "its outlet (boilerplate is learned per outlet)");
  check->add_option("--published", c.published, "ISO-8601 UTC publication time (default now)");

  bool wait = false;
  auto* reload = app.add_subcommand(
      "reload", "make the daemon re-read its configuration and apply the feed list's changes");
  reload->add_flag("--wait", wait,
                   "wait for the outcome (the default: the daemon answers once it is applied or "
                   "refused)");
  std::string reparse_feed;
  bool dry_run = false;
  auto* reparse = app.add_subcommand(
      "reparse",
      "parse a feed's kept raw responses again (after a parser upgrade) and store "
      "what changed");
  reparse->add_option("feed", reparse_feed, "feed id (newsctl feeds list)")->required();
  reparse->add_flag("--dry-run", dry_run, "only say what would change");
  std::string backup_dir, restore_from;
  auto* backup = app.add_subcommand(
      "backup", "write a consistent copy of the archive into a new directory (daemon or --db)");
  backup->add_option("dir", backup_dir, "new directory for the backup")->required();
  auto* restore = app.add_subcommand(
      "restore", "copy a backup into --db DATA_DIR (empty; newsd stopped), after checking it");
  restore->add_option("backup", restore_from, "a directory written by newsctl backup")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : nc::kExitUsage;
  }
  if (parse->parsed()) return nc::RunParse(p);
  if (status->parsed()) return nc::RunCall(g, "status", {}, nc::Printer::kStatus);
  if (feeds_list->parsed()) return nc::RunCall(g, "feeds.list", {}, nc::Printer::kFeeds);
  if (feeds_show->parsed()) {
    return nc::RunCall(g, "feeds.show", {{"id", feed_id}}, nc::Printer::kFeed);
  }
  if (politeness->parsed()) {
    return nc::RunCall(g, "hosts.politeness", {}, nc::Printer::kHosts);
  }
  if (recent->parsed())
    return nc::RunCall(g, "stories.recent", {{"limit", limit}}, nc::Printer::kStories);
  if (show->parsed())
    return nc::RunCall(g, "stories.show", {{"id", story_id}}, nc::Printer::kStory);
  if (exp->parsed()) return nc::RunExport(g);
  if (explain->parsed()) return nc::RunExplain(g, item_a, item_b);
  if (check->parsed()) return nc::RunCheck(g, c);
  if (backup->parsed()) return nc::RunBackup(g, backup_dir);
  if (reload->parsed()) return nc::RunCall(g, "reload", {}, nc::Printer::kReload);
  if (reparse->parsed()) {
    if (!g.db.empty()) {
      return nc::Fail(
          newsd::Status::InvalidArgument("reparse needs the running daemon (it owns the "
                                         "dedup index): leave out --db, or with newsd "
                                         "stopped run `newsd reparse " +
                                         reparse_feed + "`"),
          g.json);
    }
    return nc::RunCall(g, "feeds.reparse", {{"feed", reparse_feed}, {"dry_run", dry_run}},
                       nc::Printer::kReparse);
  }
  if (restore->parsed()) return nc::RunRestore(g, restore_from);
  return nc::kExitUsage;
} catch (const std::exception& e) {
  std::cerr << "newsctl: " << e.what() << "\n";
  return 1;
}
