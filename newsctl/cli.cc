// newsctl's command line: its subcommands, their options, and what runs each.
#include "newsctl/cli.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "admin/search_query.h"
#include "dedup/normalize.h"
#include "newsctl/archive_cmds.h"
#include "newsctl/dedup_cmds.h"
#include "newsctl/feed_cmds.h"
#include "newsctl/parse_cmd.h"
#include "newsctl/render.h"

namespace newsd::newsctl {

namespace {

// RunCall for `method` with `params`, printed by `printer`, once `sub` is parsed.
void AddCall(CLI::App* sub, const GlobalArgs& g, const char* method,
             std::function<nlohmann::json()> params, Printer printer, Commands* out) {
  out->push_back({sub, [&g, method, params = std::move(params), printer] {
                    return RunCall(g, method, params(), printer);
                  }});
}

void AddParse(CLI::App& app, const GlobalArgs& g, Commands* out) {
  auto p = std::make_shared<ParseArgs>();
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
                    return RunParse(*p);
                  }});
}

// feeds add
void AddFeedsAdd(CLI::App* feeds, const GlobalArgs& g, Commands* out) {
  auto add = std::make_shared<FeedAddArgs>();
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
  out->push_back({feeds_add, [&g, add] { return RunFeedsAdd(g, *add); }});
}

// feeds import|export (OPML)
void AddOpml(CLI::App* feeds, const GlobalArgs& g, Commands* out) {
  auto opml_file = std::make_shared<std::string>();
  auto opml = std::make_shared<bool>(false);
  auto* feeds_import = feeds->add_subcommand(
      "import", "add the feeds of an OPML subscription list (ids in newsd:id are kept)");
  feeds_import->add_flag("--opml", *opml, "the file is OPML (the only format)")->required();
  feeds_import->add_option("file", *opml_file, "OPML file, or - for stdin")->required();
  out->push_back({feeds_import, [&g, opml_file] { return RunFeedsImport(g, *opml_file); }});
  auto* feeds_export =
      feeds->add_subcommand("export", "print the feeds as an OPML 2.0 subscription list");
  feeds_export->add_flag("--opml", *opml, "as OPML (the only format)")->required();
  out->push_back({feeds_export, [&g, opml] { return RunFeedsExport(g); }});
}

// feeds list|show|add|remove|pause|resume|poll|import|export
void AddFeeds(CLI::App& app, const GlobalArgs& g, Commands* out) {
  auto* feeds = app.add_subcommand("feeds", "the polled feeds")->require_subcommand(1);
  AddCall(
      feeds->add_subcommand("list", "feeds with their state and last poll"), g, "feeds.list",
      [] { return nlohmann::json::object(); }, Printer::kFeeds, out);
  auto id = std::make_shared<std::string>();
  auto by_id = [&](const char* name, const char* help, const char* method, Printer printer) {
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
        "feeds.show", Printer::kFeed);
  AddFeedsAdd(feeds, g, out);
  by_id("remove", "stop polling a feed added with newsctl (its stories stay in the archive)",
        "feeds.remove", Printer::kFeedChange);
  by_id("pause", "stop polling a feed until it is resumed", "feeds.pause", Printer::kFeedChange);
  by_id("resume", "poll a paused feed again (also a gone or dead one)", "feeds.resume",
        Printer::kFeedChange);
  by_id("poll", "poll a feed now (or as soon as the politeness floor and Retry-After allow)",
        "feeds.poll", Printer::kFeedChange);
  AddOpml(feeds, g, out);
}

// stories recent|show
void AddStories(CLI::App& app, const GlobalArgs& g, Commands* out) {
  auto* stories = app.add_subcommand("stories", "deduplicated stories")->require_subcommand(1);
  auto limit = std::make_shared<size_t>(20);
  auto* recent = stories->add_subcommand("recent", "newest stories with their copy counts");
  recent->add_option("-n,--limit", *limit, "how many")->check(CLI::Range(1, 10000));
  AddCall(
      recent, g, "stories.recent",
      [limit] {
        return nlohmann::json{{"limit", *limit}};
      },
      Printer::kStories, out);
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
      Printer::kStory, out);
}

// search
void AddSearch(CLI::App& app, const GlobalArgs& g, Commands* out) {
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
           return FailUsage(newsd::Status::InvalidArgument(
                                "nothing to search for: give a word or phrase (punctuation and "
                                "blanks alone match nothing)"),
                            g.json);
         }
         return RunCall(g, "search", {{"text", *text}, {"limit", *search_limit}}, Printer::kSearch);
       }});
}

// export
void AddExport(CLI::App& app, const GlobalArgs& g, Commands* out) {
  auto format = std::make_shared<std::string>("jsonl");
  auto args = std::make_shared<ExportArgs>();
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
  out->push_back({exp, [&g, args, format] { return RunExport(g, *args); }});
}

// status, politeness, stories recent|show, search, export
void AddQueries(CLI::App& app, const GlobalArgs& g, Commands* out) {
  auto none = [] { return nlohmann::json::object(); };
  AddCall(app.add_subcommand("status", "is the daemon running, and how is it doing"), g, "status",
          none, Printer::kStatus, out);
  AddCall(app.add_subcommand(
              "politeness",
              "per host: requests, conditional share, 304s, shortest gaps, 429s honoured"),
          g, "hosts.politeness", none, Printer::kHosts, out);
  AddStories(app, g, out);
  AddSearch(app, g, out);
  AddExport(app, g, out);
}

// dupes explain, check
void AddDedup(CLI::App& app, const GlobalArgs& g, Commands* out) {
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
      {explain, [&g, items] { return RunExplain(g, (*items)[0], (*items)[1], (*items)[2]); }});
  auto c = std::make_shared<CheckArgs>();
  auto* check = app.add_subcommand(
      "check", "is this text a copy of an archived story (the daemon's archive, or --db)");
  check->add_option("file", c->file, "text file, or - for stdin")->required();
  check->add_option("--title", c->title, "its headline");
  check->add_option("--source", c->source, "its outlet (boilerplate is learned per outlet)");
  check->add_option("--published", c->published,
                    "publication time: ISO-8601, or a date alone (default now)");
  check->add_option("--config", c->config, kConfigHelp);
  out->push_back({check, [&g, c] { return RunCheck(g, *c); }});
}

// reload, reparse, backup, restore
void AddArchive(CLI::App& app, const GlobalArgs& g, Commands* out) {
  auto wait = std::make_shared<bool>(false);
  auto* reload = app.add_subcommand(
      "reload", "make the daemon re-read its configuration and apply the feed list's changes");
  reload->add_flag("--wait", *wait,
                   "wait for the outcome (the default: the daemon answers once it is applied or "
                   "refused)");
  AddCall(
      reload, g, "reload", [wait] { return nlohmann::json::object(); }, Printer::kReload, out);
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
                      return FailUsage(
                          newsd::Status::InvalidArgument(
                              "reparse needs the running daemon (it owns the dedup index): "
                              "leave out --db, or with newsd stopped run `newsd reparse " +
                              *feed + "`"),
                          g.json);
                    }
                    return RunCall(g, "feeds.reparse", {{"feed", *feed}, {"dry_run", *dry_run}},
                                   Printer::kReparse);
                  }});
  auto dirs = std::make_shared<std::array<std::string, 2>>();  // backup dir, restore source
  auto* backup = app.add_subcommand(
      "backup", "write a consistent copy of the archive into a new directory (daemon or --db)");
  backup->add_option("dir", (*dirs)[0], "new directory for the backup")->required();
  out->push_back({backup, [&g, dirs] { return RunBackup(g, (*dirs)[0]); }});
  auto* restore = app.add_subcommand(
      "restore", "copy a backup into --db DATA_DIR (empty; newsd stopped), after checking it");
  restore->add_option("backup", (*dirs)[1], "a directory written by newsctl backup")->required();
  out->push_back({restore, [&g, dirs] { return RunRestore(g, (*dirs)[1]); }});
}

}  // namespace

void AddCommands(CLI::App& app, const GlobalArgs& g, Commands* out) {
  AddParse(app, g, out);
  AddQueries(app, g, out);
  AddFeeds(app, g, out);
  AddDedup(app, g, out);
  AddArchive(app, g, out);
}

// After a failed parse: the line that names the word where a command was expected and is none
// ("newsctl stats", "newsctl feeds lst"), with the commands there are, or the option the
// command does not know ("newsctl search -oil"); nullopt for CLI11's own message.
std::optional<std::string> ExplainUnknownCommand(CLI::App& app,
                                                 const std::vector<std::string>& args) {
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
    std::string why = "newsctl" + path;
    why += ": unknown option \"" + *option;
    why += "\" (newsctl" + path;
    why += " --help)" + hint;
    return why;
  }
  if (rest.empty() || all.empty()) return std::nullopt;
  for (const CLI::App* sub : all) names += (names.empty() ? "" : ", ") + sub->get_name();
  std::string why = "newsctl" + path;
  why += ": unknown command \"" + rest.front();
  why += "\"; it takes one of: " + names;
  why += " (newsctl" + path;
  why += " --help)";
  return why;
}

}  // namespace newsd::newsctl
