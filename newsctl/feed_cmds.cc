#include "newsctl/feed_cmds.h"

#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "admin/protocol.h"
#include "core/plural.h"
#include "core/time.h"
#include "newsctl/input.h"
#include "parse/opml.h"

namespace newsd::newsctl {

namespace {

using nlohmann::json;

json FeedJson(const parse::OpmlFeed& f) {
  json j = {{"url", f.url}};
  if (!f.id.empty()) j["id"] = f.id;
  if (!f.title.empty()) j["name"] = f.title;
  if (f.interval > 0) j["interval"] = f.interval;
  if (f.paused) j["paused"] = true;
  if (!f.zoneless_dates.empty()) j["zoneless_dates"] = f.zoneless_dates;
  return j;
}

// RFC 822 time, as OPML's dateCreated wants it.
std::string Rfc822Now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace

int RunFeedsAdd(const GlobalArgs& g, const FeedAddArgs& a) {
  parse::OpmlFeed f;
  f.url = a.url;
  f.id = a.id;
  f.title = a.name;
  f.paused = a.paused;
  if (!a.interval.empty()) {
    auto d = ParseDuration(a.interval);
    if (!d || *d <= 0 || *d > admin::kMaxAddedFeedInterval) {
      return FailUsage(
          Status::InvalidArgument(
              "--interval \"" + a.interval + "\": " +
              (!d       ? "give a duration such as 15m, 1h or 1d"
               : *d > 0 ? "must be at most 30d"
                        : "must be longer than 0s (leave it out for the default, 60m)")),
          g.json);
    }
    f.interval = *d;
  }
  if (!a.zoneless_dates.empty()) {
    const std::optional<int> offset = ParseUtcOffset(a.zoneless_dates);
    if (!offset) {
      return FailUsage(Status::InvalidArgument("--zoneless-dates \"" + a.zoneless_dates +
                                               "\" must be " + kUtcOffsetHint),
                       g.json);
    }
    f.zoneless_dates = FormatUtcOffset(*offset);
  }
  return RunCall(g, "feeds.add", {{"feeds", json::array({FeedJson(f)})}}, Printer::kFeedChange);
}

int RunFeedsImport(const GlobalArgs& g, const std::string& file) {
  if (!g.db.empty()) {  // before reading the list, and in the words the operator typed
    return FailUsage(
        Status::InvalidArgument("newsctl feeds import needs the running daemon (leave out --db)"),
        g.json);
  }
  std::string text;
  if (!ReadInput(file, &text)) {
    return FailUsage(Status::InvalidArgument("cannot read " + file + ": check the path"), g.json);
  }
  auto feeds = parse::ParseOpml(text);
  if (!feeds) return Fail(feeds.error().WithContext(file), g.json);
  if (feeds->empty()) {
    return Fail(Status::InvalidArgument(file + " lists no feed (no <outline> with an xmlUrl)"),
                g.json);
  }
  json list = json::array();
  for (const parse::OpmlFeed& f : *feeds) list.push_back(FeedJson(f));
  return RunCall(g, "feeds.add", {{"feeds", list}}, Printer::kFeedChange);
}

int RunFeedsExport(const GlobalArgs& g) {
  auto result = CallOnce(g, "feeds.list", json::object());
  if (!result) return Fail(result.error(), false);
  if (!g.db.empty()) {
    std::cerr << "newsctl: read from the archive without the configuration: feeds since removed "
                 "from it are listed too; export from the running daemon for the feeds it "
                 "polls\n";
  }
  std::vector<parse::OpmlFeed> feeds;
  std::vector<std::string> masked;  // ids of feeds whose URL lost its password (core/redact.h)
  for (const json& f : result->value("feeds", json::array())) {
    parse::OpmlFeed o;
    o.id = f.value("id", "");
    o.url = f.value("url", "");
    o.title = f.value("name", "");
    o.interval = f.value("configured_interval", int64_t{0});  // not the adaptive one
    o.paused = f.value("paused", false);
    o.zoneless_dates = f.value("zoneless_dates", "");
    if (o.url.find(":***@") != std::string::npos) masked.push_back(o.id);
    if (!o.url.empty()) feeds.push_back(std::move(o));
  }
  if (!masked.empty()) {
    std::cerr << "newsctl: " << Counted(masked.size(), "feed URL holds", "feed URLs hold")
              << " a password, written as *** (" << masked.front()
              << (masked.size() > 1 ? ", ..." : "")
              << "): put the password back by hand before importing the file elsewhere\n";
  }
  std::cout << parse::WriteOpml(feeds, "newsd feeds", Rfc822Now());
  return kExitOk;
}

}  // namespace newsd::newsctl
