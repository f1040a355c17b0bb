// newsctl: the operators' CLI. Global options come before the subcommand.
#include <poll.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/queries.h"
#include "core/status.h"
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
// "newsctl feeds lst"), says so on stderr with the commands there are, and returns true; the
// same for an option the command does not know ("newsctl search -oil").
bool ExplainUnknownCommand(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* at = &app;
  for (auto parsed = at->get_subcommands(); !parsed.empty(); parsed = at->get_subcommands()) {
    at = parsed.front();
  }
  // An argument the command did not take falls through to its parents (App::fallthrough).
  std::vector<std::string> rest;
  for (CLI::App* a = at; a != nullptr && rest.empty(); a = a->get_parent()) rest = a->remaining();
  const auto all = at->get_subcommands([](CLI::App*) { return true; });
  std::string path, names;
  for (const CLI::App* a = at; a != nullptr && a != &app; a = a->get_parent()) {
    path.insert(0, " " + a->get_name());
  }
  // An option: an argument that starts with '-' ("-" alone is stdin), given before "--" (CLI11
  // leaves "--" out of remaining(): looked for in the command line).
  const auto end_of_options = std::find(rest.begin(), rest.end(), "--");
  const auto end_of_args = std::find(args.begin(), args.end(), "--");
  const auto option = std::find_if(rest.begin(), end_of_options, [&](const std::string& arg) {
    return arg.size() > 1 && arg.starts_with("-") &&
           std::find(args.begin(), end_of_args, arg) != end_of_args;
  });
  if (option != end_of_options) {  // Else CLI11 may only say a positional argument is missing.
    // Given before the command's name, the innermost command named before it owns it
    // ("newsctl --bogus search x": newsctl's; "newsctl dupes --bogus explain a b": dupes').
    const auto given = std::find(args.begin(), args.end(), *option);
    while (at != &app && std::find(args.begin(), given, at->get_name()) == given) {
      at = at->get_parent();
      path.erase(path.rfind(' '));
    }
    const bool positional =
        !at->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
    const std::string hint = positional ? "; an argument that starts with '-' goes after \"--\": "
                                          "newsctl" +
                                              path + " -- " + *option
                                        : "";
    std::fprintf(stderr, "newsctl%s: unknown option \"%s\" (newsctl%s --help)%s\n", path.c_str(),
                 option->c_str(), path.c_str(), hint.c_str());
    return true;
  }
  if (rest.empty() || all.empty()) return false;
  for (const CLI::App* sub : all) names += (names.empty() ? "" : ", ") + sub->get_name();
  std::fprintf(stderr,
               "newsctl%s: unknown command \"%s\"; it takes one of: %s (newsctl%s --help)\n",
               path.c_str(), rest.front().c_str(), names.c_str(), path.c_str());
  return true;
}

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

// A subcommand, and what runs it once the command line is parsed.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};
using Commands = std::vector<Command>;

// RunCall for `method` with `params`, printed by `printer`, once `sub` is parsed.
void AddCall(CLI::App* sub, const nc::GlobalArgs& g, const char* method,
             std::function<nlohmann::json()> params, nc::Printer printer, Commands* out) {
  out->push_back({sub, [&g, method, params = std::move(params), printer] {
                    return nc::RunCall(g, method, params(), printer);
                  }});
}

void AddParse(CLI::App& app, const nc::GlobalArgs& g, Commands* out) {
  auto p = std::make_shared<nc::ParseArgs>();
  auto* parse = app.add_subcommand("parse", "show what newsd reads from a feed file");
  parse->add_option("file", p->file, "feed file, or - for stdin")->required();
  // The FEED_* variables are what feed conformance checkers export for each case.
  parse->add_option("--content-type", p->content_type, "HTTP Content-Type (\"\" = none)")
      ->envname("FEED_CONTENT_TYPE");
  parse->add_option("--base", p->base, "document URL for relative links (\"\" = none)")
      ->envname("FEED_BASE_URL");
  parse->add_option("--content-language", p->language, "HTTP Content-Language (\"\" = none)")
      ->envname("FEED_CONTENT_LANGUAGE");
  parse->add_option("--zoneless-dates", p->zoneless_dates,
                    "offset from UTC of dates without a zone, as the config key (\"+05:00\")");
  parse->add_flag("--json", p->json, "print the normalized JSON document");
  out->push_back({parse, [&g, p] {
                    p->json = p->json || g.json;  // the global --json too, as every command
                    return nc::RunParse(*p);
                  }});
}

// feeds add
void AddFeedsAdd(CLI::App* feeds, const nc::GlobalArgs& g, Commands* out) {
  auto add = std::make_shared<nc::FeedAddArgs>();
  auto* feeds_add = feeds->add_subcommand(
      "add", "poll a new feed (kept in the archive; feeds in the config file stay as declared)");
  feeds_add->add_option("url", add->url, "http:// or https:// URL of the feed")->required();
  feeds_add->add_option("--id", add->id, "feed id (default: made from the URL)");
  feeds_add->add_option("--name", add->name, "outlet name shown to operators");
  feeds_add->add_option("--interval", add->interval, "poll interval (default 60m)");
  feeds_add->add_flag("--paused", add->paused, "add it paused");
  feeds_add->add_option("--zoneless-dates", add->zoneless_dates,
                        "offset of its dates that name no time zone, e.g. +05:00 (default: "
                        "[parse] zoneless_dates, else UTC)");
  out->push_back({feeds_add, [&g, add] { return nc::RunFeedsAdd(g, *add); }});
}

// feeds import|export (OPML)
void AddOpml(CLI::App* feeds, const nc::GlobalArgs& g, Commands* out) {
  auto opml_file = std::make_shared<std::string>();
  auto opml = std::make_shared<bool>(false);
  auto* feeds_import = feeds->add_subcommand(
      "import", "add the feeds of an OPML subscription list (ids in newsd:id are kept)");
  feeds_import->add_flag("--opml", *opml, "the file is OPML (the only format)")->required();
  feeds_import->add_option("file", *opml_file, "OPML file, or - for stdin")->required();
  out->push_back({feeds_import, [&g, opml_file] { return nc::RunFeedsImport(g, *opml_file); }});
  auto* feeds_export =
      feeds->add_subcommand("export", "print the feeds as an OPML 2.0 subscription list");
  feeds_export->add_flag("--opml", *opml, "as OPML (the only format)")->required();
  out->push_back({feeds_export, [&g, opml] { return nc::RunFeedsExport(g); }});
}

// feeds list|show|add|remove|pause|resume|poll|import|export
void AddFeeds(CLI::App& app, const nc::GlobalArgs& g, Commands* out) {
  auto* feeds = app.add_subcommand("feeds", "the polled feeds")->require_subcommand(1);
  AddCall(
      feeds->add_subcommand("list", "feeds with their state and last poll"), g, "feeds.list",
      [] { return nlohmann::json::object(); }, nc::Printer::kFeeds, out);
  auto id = std::make_shared<std::string>();
  auto by_id = [&](const char* name, const char* help, const char* method, nc::Printer printer) {
    auto* sub = feeds->add_subcommand(name, help);
    sub->add_option("id", *id, "feed id")->required();
    AddCall(
        sub, g, method,
        [id] {
          return nlohmann::json{{"id", *id}};
        },
        printer, out);
  };
  by_id("show", "one feed: state and why, validators, schedule, URL moves, raw bodies kept",
        "feeds.show", nc::Printer::kFeed);
  AddFeedsAdd(feeds, g, out);
  by_id("remove", "stop polling a feed added with newsctl (its stories stay in the archive)",
        "feeds.remove", nc::Printer::kFeedChange);
  by_id("pause", "stop polling a feed until it is resumed", "feeds.pause",
        nc::Printer::kFeedChange);
  by_id("resume", "poll a paused feed again (also a gone or dead one)", "feeds.resume",
        nc::Printer::kFeedChange);
  by_id("poll", "poll a feed now (or as soon as the politeness floor and Retry-After allow)",
        "feeds.poll", nc::Printer::kFeedChange);
  AddOpml(feeds, g, out);
}

// stories recent|show
void AddStories(CLI::App& app, const nc::GlobalArgs& g, Commands* out) {
  auto* stories = app.add_subcommand("stories", "deduplicated stories")->require_subcommand(1);
  auto limit = std::make_shared<size_t>(20);
  auto* recent = stories->add_subcommand("recent", "newest stories with their copy counts");
  recent->add_option("-n,--limit", *limit, "how many")->check(CLI::Range(1, 10000));
  AddCall(
      recent, g, "stories.recent",
      [limit] {
        return nlohmann::json{{"limit", *limit}};
      },
      nc::Printer::kStories, out);
  auto story_id = std::make_shared<std::string>();
  auto with_text = std::make_shared<bool>(false);
  auto* show = stories->add_subcommand("show", "a story and every copy of it");
  show->add_option("id", *story_id, "story id")->required();
  show->add_flag("--text", *with_text, "also each copy's text (as plain text; JSON: as received)");
  AddCall(
      show, g, "stories.show",
      [story_id, with_text] {
        nlohmann::json args{{"id", *story_id}};
        if (*with_text) args["text"] = true;
        return args;
      },
      nc::Printer::kStory, out);
}

// search
void AddSearch(CLI::App& app, const nc::GlobalArgs& g, Commands* out) {
  auto text = std::make_shared<std::string>();
  auto search_limit = std::make_shared<size_t>(20);
  auto* search = app.add_subcommand(
      "search",
      "items whose title and text contain every word of TEXT (case and letter variants "
      "folded; \"a quoted phrase\" as written), newest stories first");
  search->add_option("text", *text, "words, or a \"quoted phrase\"")->required();
  search->add_option("-n,--limit", *search_limit, "how many items")->check(CLI::Range(1, 10000));
  out->push_back(
      {search, [&g, text, search_limit] {
         if (newsd::admin::SearchTerms(*text, newsd::dedup::NormalizeForSearch).empty()) {
           return nc::FailUsage(newsd::Status::InvalidArgument(
                                    "nothing to search for: give a word or phrase (punctuation and "
                                    "blanks alone match nothing)"),
                                g.json);
         }
         return nc::RunCall(g, "search", {{"text", *text}, {"limit", *search_limit}},
                            nc::Printer::kSearch);
       }});
}

// export
void AddExport(CLI::App& app, const nc::GlobalArgs& g, Commands* out) {
  auto format = std::make_shared<std::string>("jsonl");
  auto args = std::make_shared<nc::ExportArgs>();
  auto* exp = app.add_subcommand(
      "export", "items as JSON Lines in arrival order, each with a cursor to resume after it");
  exp->add_option("--format", *format, "output format")->check(CLI::IsMember({"jsonl"}));
  auto* since = exp->add_option("--since", args->since,
                                "only items that arrived since: an ISO-8601 time, a date, or a "
                                "duration back from now (24h)");
  exp->add_option("--cursor", args->cursor,
                  "resume after the line that carried this cursor (its \"cursor\" field)")
      ->excludes(since);
  exp->add_flag("--follow", args->follow,
                "keep printing items as they are stored, until interrupted");
  // (The lambdas hold what the options write to, so it lives until the command runs.)
  out->push_back({exp, [&g, args, format] { return nc::RunExport(g, *args); }});
}

// status, politeness, stories recent|show, search, export
void AddQueries(CLI::App& app, const nc::GlobalArgs& g, Commands* out) {
  auto none = [] { return nlohmann::json::object(); };
  AddCall(app.add_subcommand("status", "is the daemon running, and how is it doing"), g, "status",
          none, nc::Printer::kStatus, out);
  AddCall(app.add_subcommand(
              "politeness",
              "per host: requests, conditional share, 304s, shortest gaps, 429s honoured"),
          g, "hosts.politeness", none, nc::Printer::kHosts, out);
  AddStories(app, g, out);
  AddSearch(app, g, out);
  AddExport(app, g, out);
}

// dupes explain, check
void AddDedup(CLI::App& app, const nc::GlobalArgs& g, Commands* out) {
  constexpr const char* kConfigHelp =
      "judge by the [dedup] settings of this configuration file (default: the running "
      "daemon's file; with --db, /etc/newsd/newsd.toml when readable, else built-in defaults)";
  auto items = std::make_shared<std::array<std::string, 3>>();  // item a, item b, --config
  auto* dupes = app.add_subcommand("dupes", "near-duplicate decisions")->require_subcommand(1);
  auto* explain = dupes->add_subcommand(
      "explain", "why two items are (not) one story (reads the archive: the daemon's, or --db)");
  explain->add_option("item_a", (*items)[0], "item id")->required();
  explain->add_option("item_b", (*items)[1], "item id")->required();
  explain->add_option("--config", (*items)[2], kConfigHelp);
  out->push_back(
      {explain, [&g, items] { return nc::RunExplain(g, (*items)[0], (*items)[1], (*items)[2]); }});
  auto c = std::make_shared<nc::CheckArgs>();
  auto* check = app.add_subcommand(
      "check", "is this text a copy of an archived story (the daemon's archive, or --db)");
  check->add_option("file", c->file, "text file, or - for stdin")->required();
  check->add_option("--title", c->title, "its headline");
  check->add_option("--source", c->source, "its outlet (boilerplate is learned per outlet)");
  check->add_option("--published", c->published,
                    "publication time: ISO-8601, or a date alone (default now)");
  check->add_option("--config", c->config, kConfigHelp);
  out->push_back({check, [&g, c] { return nc::RunCheck(g, *c); }});
}

// reload, reparse, backup, restore
void AddArchive(CLI::App& app, const nc::GlobalArgs& g, Commands* out) {
  auto wait = std::make_shared<bool>(false);
  auto* reload = app.add_subcommand(
      "reload", "make the daemon re-read its configuration and apply the feed list's changes");
  reload->add_flag("--wait", *wait,
                   "wait for the outcome (the default: the daemon answers once it is applied or "
                   "refused)");
  AddCall(
      reload, g, "reload", [wait] { return nlohmann::json::object(); }, nc::Printer::kReload, out);
  auto feed = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  auto* reparse = app.add_subcommand(
      "reparse",
      "parse a feed's kept raw responses again (after a parser upgrade) and store "
      "what changed");
  reparse->add_option("feed", *feed, "feed id (newsctl feeds list)")->required();
  reparse->add_flag("--dry-run", *dry_run, "only say what would change");
  out->push_back({reparse, [&g, feed, dry_run] {
                    if (!g.db.empty()) {
                      return nc::FailUsage(
                          newsd::Status::InvalidArgument(
                              "reparse needs the running daemon (it owns the dedup index): "
                              "leave out --db, or with newsd stopped run `newsd reparse " +
                              *feed + "`"),
                          g.json);
                    }
                    return nc::RunCall(g, "feeds.reparse", {{"feed", *feed}, {"dry_run", *dry_run}},
                                       nc::Printer::kReparse);
                  }});
  auto dirs = std::make_shared<std::array<std::string, 2>>();  // backup dir, restore source
  auto* backup = app.add_subcommand(
      "backup", "write a consistent copy of the archive into a new directory (daemon or --db)");
  backup->add_option("dir", (*dirs)[0], "new directory for the backup")->required();
  out->push_back({backup, [&g, dirs] { return nc::RunBackup(g, (*dirs)[0]); }});
  auto* restore = app.add_subcommand(
      "restore", "copy a backup into --db DATA_DIR (empty; newsd stopped), after checking it");
  restore->add_option("backup", (*dirs)[1], "a directory written by newsctl backup")->required();
  out->push_back({restore, [&g, dirs] { return nc::RunRestore(g, (*dirs)[1]); }});
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
  Commands commands;
  AddParse(app, g, &commands);
  AddQueries(app, g, &commands);
  AddFeeds(app, g, &commands);
  AddDedup(app, g, &commands);
  AddArchive(app, g, &commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (ExplainUnknownCommand(app, std::vector<std::string>(argv + 1, argv + argc))) {
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
  for (const Command& command : commands) {
    if (command.app->parsed()) return OutputWritten(command.run());
  }
  return nc::kExitUsage;
} catch (const std::exception& e) {
  std::cerr << "newsctl: " << e.what() << "\n";
  return 1;
}
