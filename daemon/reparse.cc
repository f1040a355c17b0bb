#include "daemon/reparse.h"

#include <ctime>
#include <unordered_map>

#include "core/redact.h"
#include "core/time.h"
#include "daemon/convert.h"
#include "daemon/feed_controls.h"
#include "parse/parser.h"

namespace newsd::daemon {

std::vector<ReparsedBody> ParseBodies(const std::vector<storage::RawBody>& bodies,
                                      const config::FeedConfig& feed,
                                      const parse::Options& options) {
  std::vector<ReparsedBody> out;
  out.reserve(bodies.size());
  for (const storage::RawBody& raw : bodies) {
    const std::string base = WithoutUserInfo(raw.url);  // as when it was fetched (daemon.cc)
    parse::Input in{raw.body, raw.content_type, base, ""};
    Result<parse::Feed> parsed = parse::Parse(in, config::FeedParseOptions(options, feed));
    if (parsed) {
      out.push_back({raw.fetched_at, ToArticles(&*parsed, feed.id, feed.name, raw.fetched_at)});
    } else {
      out.push_back({raw.fetched_at, Err(parsed.error())});
    }
  }
  return out;
}

ReparseReport StageReparsed(std::vector<ReparsedBody> parsed, Ingestor& ingestor, bool dry_run,
                            UnixSeconds now) {
  ReparseReport report;
  // An item listed by several bodies takes its fields from the newest of them: the older
  // listings are skipped (counted unchanged), so the result does not depend on what is stored.
  std::unordered_map<ItemId, size_t> newest_body;
  for (size_t b = 0; b < parsed.size(); ++b) {
    if (!parsed[b].articles) continue;
    for (const Article& article : *parsed[b].articles) newest_body[article.id] = b;
  }
  for (size_t b = 0; b < parsed.size(); ++b) {
    ReparsedBody& body = parsed[b];
    ++report.bodies;
    if (!body.articles) {
      ++report.unreadable;
      report.errors.push_back("body fetched " + FormatIso8601(body.fetched_at) +
                              " is unreadable: " + body.articles.error().message());
      continue;
    }
    for (Article& article : *body.articles) {
      ++report.entries;
      if (newest_body[article.id] != b) {
        ++report.unchanged;
        continue;
      }
      const ItemId id = article.id;
      article.arrived = now;  // read only if it is new (Reingest keeps a stored one's)
      Result<Reingested> done = ingestor.Reingest(std::move(article), dry_run);
      if (!done) {
        report.errors.push_back("item " + id + ": " + done.error().ToString());
        continue;
      }
      switch (*done) {
        case Reingested::kAdded:
          ++report.added;
          break;
        case Reingested::kUpdated:
          ++report.updated;
          break;
        case Reingested::kUnchanged:
          ++report.unchanged;
          break;
      }
    }
  }
  return report;
}

Status NoBodies(const FeedId& feed, size_t kept) {
  return Status::NotFound("no raw response of feed " + feed +
                          " is kept ([storage] raw_bodies = " + std::to_string(kept) +
                          "): bodies are kept from its next fetch that answers 200");
}

Result<ReparseReport> ReparseStopped(const config::Config& config, const FeedId& feed,
                                     bool dry_run) {
  // Nothing to reparse, and a wrong data_dir must not become a new, empty archive.
  if (!storage::HoldsArchive(config.storage.data_dir)) {
    return Err(Status::NotFound("no archive at '" + config.storage.data_dir + "' (data_dir in " +
                                config.path + "): check the path; newsd creates the archive " +
                                "on its first run, and reparse reads the raw bodies kept there"));
  }
  auto archive = storage::OpenArchive(config.storage);
  if (!archive) {
    Status s = archive.error();
    if (s.code() == Status::Code::kUnavailable) {
      s = s.WithContext("newsd runs: ask it with `newsctl reparse " + feed + "`");
    }
    return Err(s);
  }
  // The feeds the daemon polls: the file's, and those added with newsctl (in the archive).
  auto controls = (*archive)->ListFeedControls();
  if (!controls) return Err(controls.error());
  FeedControls by_id;
  for (storage::FeedControl& c : *controls) by_id.emplace(c.id, std::move(c));
  const std::vector<config::FeedConfig> feeds = EffectiveFeeds(config.feeds, by_id);
  const config::FeedConfig* found = nullptr;
  for (const config::FeedConfig& f : feeds) {
    if (f.id == feed) found = &f;
  }
  if (found == nullptr) {
    return Err(
        Status::NotFound("no feed " + feed + " in " + config.path + " nor added with newsctl"));
  }
  auto bodies = (*archive)->RawBodies(feed);
  if (!bodies) return Err(bodies.error());
  if (bodies->empty()) return Err(NoBodies(feed, config.storage.raw_bodies));
  Ingestor ingestor(**archive, config.dedup);
  if (Status s = ingestor.Restore(); !s.ok()) return Err(s);
  ReparseReport report = StageReparsed(ParseBodies(*bodies, *found, config.parse), ingestor,
                                       dry_run, static_cast<UnixSeconds>(std::time(nullptr)));
  if (Status s = ingestor.Commit(); !s.ok()) return Err(s);
  return report;
}

}  // namespace newsd::daemon
