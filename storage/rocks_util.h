#pragma once

// RocksDB glue for the archive: status translation, tuned options, the family list.
// Storage-internal: only storage/*.cc include this (RocksDB stays inside storage/).

#include <rocksdb/options.h>
#include <rocksdb/status.h>
#include <spdlog/logger.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/options.h"

namespace newsd::storage {

/// Column families of schema version 4, in handle order (see docs/STORAGE.md).
enum FamilyIndex : size_t {
  kMetaFamily = 0,  ///< RocksDB's "default": schema version, item sequence counter.
  kItemsFamily,
  kStoriesFamily,
  kStoriesByTimeFamily,
  kStoryItemsFamily,
  kFeedsFamily,
  kDedupDocsIndex,
  kDedupBoilerplateIndex,
  kSeenFamily,  ///< Schema 2: ids of items removed by retention, until their tombstone expires.
  kRawBodiesFamily,     ///< Schema 3: the last raw response bodies of each feed.
  kItemSeqFamily,       ///< Schema 4: be64(arrival seq) → item id (the export cursor's order).
  kFeedControlsFamily,  ///< Schema 4: feed id → FeedControl (run-time feed changes).
  kFamilyCount,
};
/// True for the families a later schema added: a read-only view of an older archive (which
/// never migrates) lacks them and reads them as empty.
inline bool AddedAfterSchema1(size_t family) {
  return family == kSeenFamily || family == kRawBodiesFamily || family == kItemSeqFamily ||
         family == kFeedControlsFamily;
}
extern const std::array<std::string_view, kFamilyCount> kFamilyNames;
/// The family of dedup index `name` (one of kIndexFamilies; see IsIndexFamily).
FamilyIndex IndexFamily(std::string_view name);

/// Keys of the meta (default) family.
inline constexpr std::string_view kSchemaVersionKey = "meta/schema_version";
inline constexpr std::string_view kNextItemSeqKey = "meta/next_item_seq";
/// The archive's id (Archive::ArchiveId): 8 lower-case hex digits, written at the first
/// read-write open that finds none.
inline constexpr std::string_view kArchiveIdKey = "meta/archive_id";
/// be64 time of the last Archive::ProbeWrite (written only while ingest is paused).
inline constexpr std::string_view kWriteProbeKey = "meta/write_probe";
/// Host politeness counters: kHostKeyPrefix + host name; kHostKeyEnd bounds the range.
inline constexpr std::string_view kHostKeyPrefix = "host/";
inline constexpr std::string_view kHostKeyEnd = "host0";
/// A file RestoreArchive writes into the target before the archive's files: the first
/// read-write open moves the item numbering past the lost timeline's (SkipItemSeqs), then
/// removes it.
inline constexpr std::string_view kRenumberMarker = "RESTORED-RENUMBER-PENDING";
/// The schema this build writes and understands (decimal ASCII in kSchemaVersionKey).
inline constexpr int kSchemaVersion = 4;
/// Raw-body bookkeeping of one feed in the meta family: kRawSeqPrefix + feed id →
/// be64(oldest seq kept) ‖ be64(next seq).
inline constexpr std::string_view kRawSeqPrefix = "raw/";

/// The daemon's "storage" logger when registered, else spdlog's default logger.
spdlog::logger& Log();

/// Translates a RocksDB status at the module edge. `what` says what was being done and
/// `data_dir` where; the message tells the operator what to do (lock held → Unavailable
/// "is newsd running?", disk full / I/O → IOError, corruption → Corruption).
Status FromRocks(const rocksdb::Status& s, std::string_view what, std::string_view data_dir);

/// For a read-only view (a RocksDB secondary, which falls back to an earlier state over a
/// table file gone missing, so that reads leave its records out): when no process holds the
/// archive in `dir` (a stopped newsd, a backup), checks that every table file its manifest
/// names is there at its size; Corruption saying what to do when not. Ok when it is held (a
/// running newsd's files come and go) or when the archive cannot be listed (the open says why).
Status CheckIdleArchiveTables(const std::string& dir);

/// Flush threads (RocksArchive::FlushAll makes as many Flush calls side by side at close).
inline constexpr size_t kFlushLanes = 3;

/// DB-wide options for a read-write (`secondary` false) or secondary open.
rocksdb::DBOptions MakeDbOptions(const Options& options, bool secondary);

/// Per-family options sharing one block cache of options.block_cache_mb.
class FamilyOptions {
 public:
  explicit FamilyOptions(const Options& options);
  /// Tuned options for a family by name (unknown names get the generic tuning).
  rocksdb::ColumnFamilyOptions For(std::string_view family) const;

 private:
  std::shared_ptr<rocksdb::Cache> cache_;
  bool bulk_load_;
  int items_level0_tables_;
};

}  // namespace newsd::storage
