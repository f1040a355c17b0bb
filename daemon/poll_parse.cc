// The poll pipeline's middle: a fetched body parsed and tokenised on the pool, then its items
// matched and staged on the loop (daemon/poll.cc fetches before and finishes the poll after).
#include <spdlog/spdlog.h>

#include <memory>
#include <tuple>
#include <unordered_set>

#include "core/plural.h"
#include "core/redact.h"
#include "daemon/convert.h"
#include "daemon/daemon.h"

namespace newsd::daemon {

namespace {

// Logs what parsing recovered from or cut (ill-formed XML, limits hit) and tells the report.
// Appends `note` to the poll's warning (FeedState::last_warning, newsctl feeds list's WHY).
void AddWarning(std::string_view note, PollReport* report) {
  report->warning += (report->warning.empty() ? "" : "; ") + std::string(note);
}

void NoteParseWarnings(const FeedId& feed, const parse::Feed& parsed, bool zone_configured,
                       PollReport* report) {
  if (parsed.bozo) {
    // The charset it was read as tells mojibake from a mere warning.
    spdlog::info("feed={} recovered from ill-formed XML (read as {}): {}", feed, parsed.encoding,
                 parsed.bozo_reason);
    report->warning =
        "ill-formed XML, recovered (read as " + parsed.encoding + "): " + parsed.bozo_reason;
    report->cut_off = parsed.cut_off;
  }
  for (const std::string& limit : parsed.limits_hit) {
    spdlog::warn("feed={} limit hit: {}", feed, limit);
    AddWarning("limit hit: " + limit, report);
  }
  if (parsed.unreadable_dates > 0) {
    AddWarning(std::to_string(parsed.unreadable_dates) +
                   (parsed.unreadable_dates == 1 ? " date" : " dates") + " unreadable (first: \"" +
                   parsed.first_unreadable_date +
                   "\"): an entry whose date cannot be read is filed at its arrival time",
               report);
  }
  if (parsed.dates_without_zone && !zone_configured) {
    AddWarning(
        "dates name no time zone and are read as UTC: if the site writes its local time, set "
        "zoneless_dates (\"+05:00\", \"+03:00\") for this feed or in [parse] (a feed added "
        "with newsctl: `newsctl feeds remove` it and add it again with --zoneless-dates)",
        report);
  }
}

}  // namespace

void Daemon::ParseOnPool(const config::FeedConfig& feed, uint64_t response_hash,
                         fetchers::FetchResult result) {
  // Parsing and tokenising are pure CPU work: run them on the pool and come back to the loop
  // with the result.
  asio::post(*pool_, [this, feed, fetched_at = clock_.NowSeconds(), response_hash,
                      result = std::move(result)]() mutable {
    // Relative links resolve against the URL without its credentials: item links are public.
    const std::string base = WithoutUserInfo(result.effective_url);
    parse::Input in{result.body, result.content_type, base, ""};
    Result<parse::Feed> parsed = parse::Parse(in, config::FeedParseOptions(config_.parse, feed));
    Prepared prepared;
    if (parsed) prepared = PrepareArticles(&*parsed, feed, fetched_at, *archive_, config_.dedup);
    prepared.response_hash = response_hash;
    if (config_.storage.raw_bodies > 0) {
      // Kept even when unreadable (a newer parser may read it): compressed here on the
      // pool, so only the packed bytes wait for the commit.
      prepared.raw = archive_->PackRawBody(
          {feed.id, fetched_at, result.effective_url, result.content_type, std::move(result.body)});
      result.body = std::string();
    }
    asio::post(io_, [this, feed, result = std::move(result), parsed = std::move(parsed),
                     prepared = std::move(prepared)]() mutable {
      OnParsed(feed, result, std::move(parsed), std::move(prepared));
    });
  });
}

Daemon::Prepared Daemon::PrepareArticles(parse::Feed* parsed, const config::FeedConfig& feed,
                                         UnixSeconds fetched_at, storage::Archive& archive,
                                         const dedup::Options& dedup) {
  Prepared prepared;
  prepared.articles = ToArticles(parsed, feed.id, feed.name, fetched_at);
  prepared.texts.reserve(prepared.articles.size());
  prepared.changed.reserve(prepared.articles.size());
  std::unordered_set<std::string_view> compared;  // views of the articles' ids
  for (const Article& a : prepared.articles) {
    // A feed that changed (a new item, a new lastBuildDate) still lists mostly stored items,
    // which staging skips: their text is not tokenised. (Reads may run beside commits; should
    // the item go meanwhile, staging tokenises it itself.)
    Result<std::optional<storage::ItemRecord>> item = archive.GetItem(a.id);
    bool known = item && item->has_value();
    if (item && !known) {
      Result<bool> seen = archive.HasItem(a.id);  // removed by retention, still remembered
      known = seen && *seen;
    }
    prepared.texts.push_back(known ? dedup::PreparedText()
                                   : dedup::Engine::Prepare(a.title, a.text, dedup));
    // An item listed twice is compared once, as first listed (the version Stage stored):
    // comparing both would swap the stored version at every poll.
    const bool first = compared.insert(a.id).second;
    prepared.changed.push_back(first && item && item->has_value() && ChangedAtSource(a, **item));
  }
  return prepared;
}

bool Daemon::ChangedAtSource(const Article& article, const storage::ItemRecord& stored) {
  if (stored.title == article.title && stored.text == article.text) return false;
  // Markup, attributes and links inside it (a tracking pixel, a session id), case and
  // punctuation may change at every request: only the words count.
  return WordsOf(stored.title) != WordsOf(article.title) ||
         WordsOf(stored.text) != WordsOf(article.text);
}

void Daemon::OnParsed(const config::FeedConfig& feed, const fetchers::FetchResult& result,
                      Result<parse::Feed> parsed, Prepared prepared) {
  if (restoring_) {  // the restore thread has the ingestor: staged once it is done
    auto held = std::make_shared<std::tuple<Result<parse::Feed>, Prepared>>(std::move(parsed),
                                                                            std::move(prepared));
    WhenRestored(feed.id, [this, feed, result, held] {
      OnParsed(feed, result, std::move(std::get<0>(*held)), std::move(std::get<1>(*held)));
    });
    return;
  }
  PollReport report;
  if (!prepared.raw.feed.empty()) ingestor_->StageRawBody(std::move(prepared.raw));
  if (!parsed) {
    ++round_.failed;
    report.parse_error = parsed.error().message();
    spdlog::warn("feed={} url={} unreadable: {}", feed.id, UrlOf(feed), parsed.error().ToString());
    return FinishPoll(feed, result, report);
  }
  NoteParseWarnings(feed.id, *parsed,
                    config::FeedParseOptions(config_.parse, feed).zoneless_offset.has_value(),
                    &report);
  if (stopping_ && !restored_) {  // the index was dropped by a failed commit or restore
    report.parse_error = "not stored: newsd is stopping without its dedup index";
    return FinishPoll(feed, result, report);
  }
  if (Status s = EnsureRestored(); !s.ok()) {
    StopOnUnreadableIndex(s);
    report.parse_error = "dedup index unavailable: " + s.message();
    return FinishPoll(feed, result, report);
  }
  ++round_.fetched;
  const uint64_t before = ingestor_->staged_items();
  const uint64_t copies_before = ingestor_->staged_copies();
  const uint64_t same_before = ingestor_->stats().same_article;
  for (size_t i = 0; i < prepared.articles.size(); ++i) {
    const ItemId id = prepared.articles[i].id;
    if (prepared.changed[i]) {
      // Stored, and its feed now gives other words in its title or text: a correction.
      Result<Reingested> done = ingestor_->Correct(std::move(prepared.articles[i]));
      if (!done) {
        spdlog::error("feed={} item={} correction not stored: {}", feed.id, id,
                      done.error().ToString());
      } else if (*done == Reingested::kUpdated) {
        ++report.corrected;
        spdlog::debug("feed={} item={} corrected at its source: re-put", feed.id, id);
      }
      continue;
    }
    if (Status s = ingestor_->Stage(std::move(prepared.articles[i]), &prepared.texts[i]); !s.ok()) {
      spdlog::error("feed={} item={} not ingested: {}", feed.id, id, s.ToString());
    }
  }
  report.parsed = true;
  report.body_hash = prepared.response_hash;
  report.new_items = ingestor_->staged_items() - before;
  report.ttl_minutes = parsed->feed.ttl_minutes;
  report.update_period = parsed->feed.update_period_seconds;
  report.skip_hours = parsed->feed.skip_hours;
  report.skip_days = parsed->feed.skip_days;
  // Articles stored before under another item id (this feed under another feed id, or its
  // stories listed with a guid they share): named, or "0 new" would puzzle the operator.
  const uint64_t same = ingestor_->stats().same_article - same_before;
  // A new item may be a copy of a story seen already: "1 new" alone reads as a new story.
  const uint64_t copies = ingestor_->staged_copies() - copies_before;
  spdlog::info("feed={} fetched: {}, {} new{}{}{}", feed.id,
               Counted(parsed->entries.size(), "entry", "entries"), report.new_items,
               copies > 0 ? fmt::format(" ({} a copy of a story seen before)", copies) : "",
               report.corrected > 0 ? fmt::format(", {} corrected", report.corrected) : "",
               same > 0 ? fmt::format(", {} stored before under another item id (same link "
                                      "and words)",
                                      same)
                        : "");
  FinishPoll(feed, result, report);
}

}  // namespace newsd::daemon
