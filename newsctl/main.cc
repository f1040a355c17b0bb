// newsctl: the operators' CLI. Global options come before the subcommand.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "core/time.h"
#include "dedup/normalize.h"
#include "newsctl/archive_cmds.h"
#include "newsctl/commands.h"
#include "newsctl/dedup_cmds.h"
#include "newsctl/feed_cmds.h"
#include "newsctl/parse_cmd.h"
#include "newsctl/render.h"

namespace nc = newsd::newsctl;

namespace {

// After a failed parse: when the word where a command was expected is none ("newsctl stats",
// "newsctl feeds lst"), says so on stderr with the commands there are, and returns true.
bool ExplainUnknownCommand(CLI::App& app) {
  CLI::App* at = &app;
  for (auto parsed = at->get_subcommands(); !parsed.empty(); parsed = at->get_subcommands()) {
    at = parsed.front();
  }
  const std::vector<std::string> rest = at->remaining();
  const auto all = at->get_subcommands([](CLI::App*) { return true; });
  if (rest.empty() || all.empty() || rest.front().starts_with("-")) return false;
  std::string path, names;
  for (const CLI::App* a = at; a != nullptr && a != &app; a = a->get_parent()) {
    path.insert(0, " " + a->get_name());
  }
  for (const CLI::App* sub : all) names += (names.empty() ? "" : ", ") + sub->get_name();
  std::fprintf(stderr,
               "newsctl%s: unknown command \"%s\"; it takes one of: %s (newsctl%s --help)\n",
               path.c_str(), rest.front().c_str(), names.c_str(), path.c_str());
  return true;
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
  nc::GlobalArgs g;
  if (const char* env = std::getenv("NEWSD_SOCKET")) g.socket = env;
  app.add_option("--socket", g.socket, "admin socket ($NEWSD_SOCKET)")->capture_default_str();
  app.add_option("--db", g.db, "read the archive in this data_dir directly, read-only");
  app.add_flag("--json", g.json, "JSON output for scripts");
  std::string timeout;
  app.add_option("--timeout", timeout,
                 "how long to wait for the daemon's answer, e.g. 30s or 5m; 0 = no limit "
                 "(default 60s; no limit for backup and reparse)");
  app.set_version_flag("--version", NEWSD_VERSION);

  nc::ParseArgs p;
  auto* parse = app.add_subcommand("parse", "show what newsd reads from a feed file");
  parse->add_option("file", p.file, "feed file, or - for stdin")->required();
  // The FEED_* variables are what feed conformance checkers export for each case.
  parse->add_option("--content-type", p.content_type, "HTTP Content-Type (\"\" = none)")
      ->envname("FEED_CONTENT_TYPE");
  parse->add_option("--base", p.base, "document URL for relative links (\"\" = none)")
      ->envname("FEED_BASE_URL");
  parse->add_option("--content-language", p.language, "HTTP Content-Language (\"\" = none)")
      ->envname("FEED_CONTENT_LANGUAGE");
  parse->add_flag("--json", p.json, "print the normalized JSON document");

  auto* status = app.add_subcommand("status", "is the daemon running, and how is it doing");
  auto* feeds = app.add_subcommand("feeds", "the polled feeds")->require_subcommand(1);
  auto* feeds_list = feeds->add_subcommand("list", "feeds with their state and last poll");
  std::string feed_id;
  auto* feeds_show = feeds->add_subcommand(
      "show", "one feed: state and why, validators, schedule, URL moves, raw bodies kept");
  feeds_show->add_option("id", feed_id, "feed id")->required();
  nc::FeedAddArgs add_args;
  auto* feeds_add = feeds->add_subcommand(
      "add", "poll a new feed (kept in the archive; feeds in the config file stay as declared)");
  feeds_add->add_option("url", add_args.url, "http:// or https:// URL of the feed")->required();
  feeds_add->add_option("--id", add_args.id, "feed id (default: made from the URL)");
  feeds_add->add_option("--name", add_args.name, "outlet name shown to operators");
  feeds_add->add_option("--interval", add_args.interval, "poll interval (default 60m)");
  feeds_add->add_flag("--paused", add_args.paused, "add it paused");
  auto* feeds_remove = feeds->add_subcommand(
      "remove", "stop polling a feed added with newsctl (its stories stay in the archive)");
  feeds_remove->add_option("id", feed_id, "feed id")->required();
  auto* feeds_pause = feeds->add_subcommand("pause", "stop polling a feed until it is resumed");
  feeds_pause->add_option("id", feed_id, "feed id")->required();
  auto* feeds_resume =
      feeds->add_subcommand("resume", "poll a paused feed again (also a gone or dead one)");
  feeds_resume->add_option("id", feed_id, "feed id")->required();
  auto* feeds_poll = feeds->add_subcommand(
      "poll", "poll a feed now (or as soon as the politeness floor and Retry-After allow)");
  feeds_poll->add_option("id", feed_id, "feed id")->required();
  std::string opml_file;
  bool opml = false;
  auto* feeds_import = feeds->add_subcommand(
      "import", "add the feeds of an OPML subscription list (ids in newsd:id are kept)");
  feeds_import->add_flag("--opml", opml, "the file is OPML (the only format)")->required();
  feeds_import->add_option("file", opml_file, "OPML file, or - for stdin")->required();
  auto* feeds_export =
      feeds->add_subcommand("export", "print the feeds as an OPML 2.0 subscription list");
  feeds_export->add_flag("--opml", opml, "as OPML (the only format)")->required();
  auto* politeness = app.add_subcommand(
      "politeness", "per host: requests, conditional share, 304s, shortest gaps, 429s honoured");
  auto* stories = app.add_subcommand("stories", "deduplicated stories")->require_subcommand(1);
  size_t limit = 20;
  auto* recent = stories->add_subcommand("recent", "newest stories with their copy counts");
  recent->add_option("-n,--limit", limit, "how many")->check(CLI::Range(1, 10000));
  std::string story_id;
  auto* show = stories->add_subcommand("show", "a story and every copy of it");
  show->add_option("id", story_id, "story id")->required();
  std::string search_text;
  size_t search_limit = 20;
  auto* search = app.add_subcommand(
      "search",
      "items whose title or text contains TEXT (case and letter variants folded), "
      "newest stories first");
  search->add_option("text", search_text, "word or phrase")->required();
  search->add_option("-n,--limit", search_limit, "how many items")->check(CLI::Range(1, 10000));
  std::string format = "jsonl";
  nc::ExportArgs export_args;
  auto* exp = app.add_subcommand(
      "export", "items as JSON Lines in arrival order, each with a cursor to resume after it");
  exp->add_option("--format", format, "output format")->check(CLI::IsMember({"jsonl"}));
  auto* since_opt = exp->add_option("--since", export_args.since,
                                    "only items that arrived since: ISO-8601 UTC, or a duration "
                                    "back from now (24h)");
  exp->add_option("--cursor", export_args.cursor,
                  "resume after the line that carried this cursor (its \"cursor\" field)")
      ->excludes(since_opt);
  exp->add_flag("--follow", export_args.follow,
                "keep printing items as they are stored, until interrupted");

  std::string item_a, item_b;
  auto* dupes = app.add_subcommand("dupes", "near-duplicate decisions")->require_subcommand(1);
  auto* explain = dupes->add_subcommand(
      "explain", "why two items are (not) one story (reads the archive: the daemon's, or --db)");
  explain->add_option("item_a", item_a, "item id")->required();
  explain->add_option("item_b", item_b, "item id")->required();
  std::string dedup_config;
  explain->add_option("--config", dedup_config,
                      "judge by the [dedup] settings of this configuration file (default: "
                      "/etc/newsd/newsd.toml when readable, else built-in defaults)");
  nc::CheckArgs c;
  auto* check = app.add_subcommand(
      "check", "is this text a copy of an archived story (the daemon's archive, or --db)");
  check->add_option("file", c.file, "text file, or - for stdin")->required();
  check->add_option("--title", c.title, "its headline");
  check->add_option("--source", c.source, "its outlet (boilerplate is learned per outlet)");
  check->add_option("--published", c.published, "ISO-8601 UTC publication time (default now)");
  check->add_option("--config", c.config,
                    "judge by the [dedup] settings of this configuration file (default: "
                    "/etc/newsd/newsd.toml when readable, else built-in defaults)");

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
    if (ExplainUnknownCommand(app)) return nc::kExitUsage;
    return app.exit(e) == 0 ? 0 : nc::kExitUsage;
  }
  if (!timeout.empty()) {
    const std::optional<int64_t> seconds =
        timeout == "0" ? std::optional<int64_t>(0) : newsd::ParseDuration(timeout);
    if (!seconds || *seconds < 0) {
      return nc::FailUsage(newsd::Status::InvalidArgument("--timeout \"" + timeout +
                                                          "\": give a duration such as 30s or "
                                                          "5m, or 0 for no limit"),
                           g.json);
    }
    g.timeout_seconds = *seconds;
  }
  if (parse->parsed()) {
    p.json = p.json || g.json;  // the global --json too, as every other command takes it
    return nc::RunParse(p);
  }
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
  if (exp->parsed()) return nc::RunExport(g, export_args);
  if (search->parsed()) {
    if (newsd::dedup::NormalizeForSearch(search_text).empty()) {
      return nc::FailUsage(newsd::Status::InvalidArgument(
                               "nothing to search for: give a word or phrase (punctuation and "
                               "blanks alone match nothing)"),
                           g.json);
    }
    return nc::RunCall(g, "search", {{"text", search_text}, {"limit", search_limit}},
                       nc::Printer::kSearch);
  }
  if (feeds_add->parsed()) return nc::RunFeedsAdd(g, add_args);
  if (feeds_remove->parsed()) {
    return nc::RunCall(g, "feeds.remove", {{"id", feed_id}}, nc::Printer::kFeedChange);
  }
  if (feeds_pause->parsed()) {
    return nc::RunCall(g, "feeds.pause", {{"id", feed_id}}, nc::Printer::kFeedChange);
  }
  if (feeds_resume->parsed()) {
    return nc::RunCall(g, "feeds.resume", {{"id", feed_id}}, nc::Printer::kFeedChange);
  }
  if (feeds_poll->parsed()) {
    return nc::RunCall(g, "feeds.poll", {{"id", feed_id}}, nc::Printer::kFeedChange);
  }
  if (feeds_import->parsed()) return nc::RunFeedsImport(g, opml_file);
  if (feeds_export->parsed()) return nc::RunFeedsExport(g);
  if (explain->parsed()) return nc::RunExplain(g, item_a, item_b, dedup_config);
  if (check->parsed()) return nc::RunCheck(g, c);
  if (backup->parsed()) return nc::RunBackup(g, backup_dir);
  if (reload->parsed()) return nc::RunCall(g, "reload", {}, nc::Printer::kReload);
  if (reparse->parsed()) {
    if (!g.db.empty()) {
      return nc::FailUsage(
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
