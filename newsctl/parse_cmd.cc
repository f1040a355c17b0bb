#include "newsctl/parse_cmd.h"

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "config/config.h"
#include "core/article.h"
#include "newsctl/commands.h"
#include "newsctl/input.h"
#include "newsctl/render.h"
#include "parse/json.h"
#include "parse/parser.h"

namespace newsd::newsctl {

namespace {

void PrintSummary(const parse::Feed& feed, const parse::Options& options) {
  // What the feed wrote is made Printable: a feed's escape sequences never reach the terminal.
  std::cout << "title:    " << Printable(feed.feed.title.value_or("(none)")) << "\n"
            << "link:     " << Printable(feed.feed.link.value_or("(none)")) << "\n"
            << "format:   " << (feed.version.empty() ? "unknown" : feed.version) << "\n"
            << "encoding: " << Printable(feed.encoding) << "\n"
            << "bozo:     " << (feed.bozo ? "yes (" + Printable(feed.bozo_reason) + ")" : "no")
            << "\n";
  for (const std::string& limit : feed.limits_hit) std::cout << "limit:    " << limit << "\n";
  if (feed.dates_without_zone) {
    std::cout << "dates:    name no time zone: "
              << (options.zoneless_offset ? "read at --zoneless-dates"
                                          : "read as UTC (--zoneless-dates +05:00 reads them at "
                                            "an offset, as the config key zoneless_dates does)")
              << "\n";
  }
  std::cout << "entries:  " << feed.entries.size() << "\n";
  for (const parse::Entry& e : feed.entries) {
    // The date newsd files the entry under: published, else updated (daemon/convert.cc).
    const std::optional<UnixSeconds> date =
        KnownDate(e.published) ? KnownDate(e.published) : KnownDate(e.updated);
    std::cout << "  - " << (date ? FormatIso8601(*date) : "(no date)           ") << "  "
              << Printable(e.title.value_or("(untitled)"))
              << (e.cut_off ? "  [cut off by the end of the document: newsd skips it]" : "") << "\n"
              << "    " << Printable(e.link.value_or(e.id.value_or(""))) << "\n";
  }
}

}  // namespace

int RunParse(const ParseArgs& args) {
  std::string body;
  if (!ReadInput(args.file, &body)) {
    // Exit 2 as check and feeds import do (4 is for what the archive lacks); with --json, the
    // error as JSON too, as every command gives it.
    return FailUsage(
        Status::InvalidArgument("parse: cannot read " + args.file + " (a file, or - for stdin)"),
        args.json);
  }
  parse::Options options;
  if (!args.zoneless_dates.empty()) {
    const std::optional<int> offset = ParseUtcOffset(args.zoneless_dates);
    if (!offset) {
      return FailUsage(Status::InvalidArgument("parse: --zoneless-dates \"" + args.zoneless_dates +
                                               "\" must be " + std::string(kUtcOffsetHint)),
                       args.json);
    }
    options.zoneless_offset = *offset;
  }
  parse::Input input{body, args.content_type, args.base, args.language};
  auto feed = parse::Parse(input, options);
  if (args.json) std::cout << parse::ToSuiteJson(feed) << "\n";
  if (!feed) {
    // With --json, the document above says why too (the exit status of 1 goes with it).
    std::cerr << "newsctl parse: " << args.file << ": " << feed.error().message() << "\n";
    return 1;
  }
  if (!args.json) PrintSummary(*feed, options);
  return 0;
}

}  // namespace newsd::newsctl
