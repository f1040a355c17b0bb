#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/article.h"
#include "core/status.h"
#include "daemon/ingest.h"
#include "parse/options.h"
#include "storage/records.h"

namespace newsd::daemon {

/// What a reparse did (or, in a dry run, would do) with a feed's kept raw bodies.
struct ReparseReport {
  size_t bodies = 0;      ///< Raw bodies parsed again.
  size_t unreadable = 0;  ///< ...of which the parser refused.
  size_t entries = 0;     ///< Articles the readable bodies gave (one per body they appear in).
  size_t added = 0;       ///< Not stored before: deduplicated into a story like a new item.
  size_t updated = 0;     ///< Stored, now with another title, text, link or date: re-put.
  size_t unchanged = 0;   ///< Stored as parsed (or already staged, or expired and still seen).
  std::vector<std::string> errors;  ///< One line per unreadable body or failed article.
};

/// A raw body parsed again: its articles (arrived = the body's fetch time), or why not.
struct ReparsedBody {
  UnixSeconds fetched_at = 0;
  Result<std::vector<Article>> articles;
};

/// Parses each body with `options` as the poller does (its content type, and its URL as the
/// base of relative links). Pure CPU work: any thread.
std::vector<ReparsedBody> ParseBodies(const std::vector<storage::RawBody>& bodies,
                                      const config::FeedConfig& feed,
                                      const parse::Options& options);

/// Stages into `ingestor`, oldest body first, what the new parse changes (Ingestor::Reingest):
/// articles never stored go through dedup into a story; stored ones whose fields differ are
/// re-put in the story they are in. An item several bodies list is taken from the newest of
/// them only, so a second run changes nothing. Nothing is staged when `dry_run`. The caller
/// commits. Runs on the ingestor's thread; the dedup index must be restored.
/// Articles never stored arrive `now`, not when their body was fetched: they take the next
/// places in the archive's arrival order (an export follows it: `--cursor`, `--since`),
/// which must not go back in time. Stored ones keep their arrival.
ReparseReport StageReparsed(std::vector<ReparsedBody> parsed, Ingestor& ingestor, bool dry_run,
                            UnixSeconds now);

/// NotFound: `feed` has no kept raw body (`kept` is [storage] raw_bodies).
Status NoBodies(const FeedId& feed, size_t kept);

/// `newsd reparse FEED` with the daemon stopped: opens the archive of `config`, restores the
/// dedup index, reparses the feed's kept bodies and commits what changed in one batch.
/// NotFound for a feed not in the configuration or without kept bodies; Unavailable when the
/// daemon holds the archive (then `newsctl reparse` asks it instead).
Result<ReparseReport> ReparseStopped(const config::Config& config, const FeedId& feed,
                                     bool dry_run);

}  // namespace newsd::daemon
