#include "storage/rocks_util.h"

#include <rocksdb/cache.h>
#include <rocksdb/compaction_filter.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>

#include "storage/archive.h"
#include "storage/codec.h"

namespace newsd::storage {

const std::array<std::string_view, kFamilyCount> kFamilyNames = {
    "default",     "items",      "stories",    "stories_by_time",
    "story_items", "feeds",      "dedup_docs", "dedup_boilerplate",
    "seen",        "raw_bodies", "item_seq",   "feed_controls"};

FamilyIndex IndexFamily(std::string_view name) {
  return name == kDedupDocsFamily ? kDedupDocsIndex : kDedupBoilerplateIndex;
}

namespace {

constexpr size_t kMiB = size_t{1} << 20;
constexpr size_t kBulkMemtable = 64 * kMiB;           // per family (Options::bulk_load)
constexpr size_t kBulkMemtables = 4 * kBulkMemtable;  // all families together

bool IsLockError(const rocksdb::Status& s) {
  const std::string text = s.ToString();
  return s.IsIOError() &&
         (text.find("/LOCK") != std::string::npos || text.find("lock hold") != std::string::npos);
}

std::string Where(std::string_view what, std::string_view data_dir, const rocksdb::Status& s) {
  return std::string(what) + " (archive " + std::string(data_dir) + "): " + s.ToString();
}

// The first of `wanted` this librocksdb was built with, else no compression.
rocksdb::CompressionType Pick(std::initializer_list<rocksdb::CompressionType> wanted) {
  static const std::vector<rocksdb::CompressionType> kSupported =
      rocksdb::GetSupportedCompressions();
  for (rocksdb::CompressionType c : wanted) {
    if (std::find(kSupported.begin(), kSupported.end(), c) != kSupported.end()) return c;
  }
  return rocksdb::kNoCompression;
}

// RocksDB's own log lines go to newsd's log (stderr, the journal) instead of a LOG file in
// data_dir: RocksDB 7.8 writes that file through a writer that, once a write failed on a full
// disk, aborts the process (a failed assertion in Debian's build) at the next log line.
// RocksDB's INFO chatter (options, flushes, compactions) appears at newsd's debug level.
// It holds the logger it writes to: an engine left open at exit (RocksArchive::Close after
// its directory was replaced) may log from its threads while spdlog's registry is destroyed.
class LogBridge final : public rocksdb::Logger {
 public:
  LogBridge()
      : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL),
        log_(spdlog::get("storage") ? spdlog::get("storage") : spdlog::default_logger()) {}

  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }

  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    spdlog::level::level_enum to = Level(level);
    if (!log_->should_log(to)) return;
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    // A backup disables file deletions while they are disabled already (nested, counted):
    // expected, so not an operator's warning.
    if (std::strstr(line, "File Deletions ") != nullptr) to = spdlog::level::debug;
    // A failed open is reported by its caller, with what to do (a lock held by the daemon):
    // RocksDB's own line before it would only repeat it, in another form.
    if (std::strstr(line, "] DB::Open() failed: ") != nullptr) to = spdlog::level::debug;
    if (!log_->should_log(to)) return;
    size_t n = std::strlen(line);  // some of RocksDB's lines end with a newline of their own
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    log_->log(to, "rocksdb: {}", line);
  }

 private:
  std::shared_ptr<spdlog::logger> log_;

  static spdlog::level::level_enum Level(rocksdb::InfoLogLevel level) {
    switch (level) {
      case rocksdb::InfoLogLevel::DEBUG_LEVEL:
        return spdlog::level::trace;
      case rocksdb::InfoLogLevel::WARN_LEVEL:
        return spdlog::level::warn;
      case rocksdb::InfoLogLevel::ERROR_LEVEL:
      case rocksdb::InfoLogLevel::FATAL_LEVEL:
        return spdlog::level::err;
      default:  // INFO, HEADER
        return spdlog::level::debug;
    }
  }
};

// Drops "seen" tombstones whose time (be64 value) has passed, as compactions go by.
class SeenExpiry final : public rocksdb::CompactionFilter {
 public:
  bool Filter(int /*level*/, const rocksdb::Slice& /*key*/, const rocksdb::Slice& value,
              std::string* /*new_value*/, bool* /*value_changed*/) const override {
    const std::optional<uint64_t> until =
        codec::DecodeBe64(std::string_view(value.data(), value.size()));
    return !until || static_cast<int64_t>(*until) < std::time(nullptr);
  }
  const char* Name() const override { return "newsd.SeenExpiry"; }
};

const SeenExpiry kSeenExpiry;

}  // namespace

spdlog::logger& Log() {
  if (std::shared_ptr<spdlog::logger> named = spdlog::get("storage")) return *named;
  return *spdlog::default_logger_raw();
}

Status FromRocks(const rocksdb::Status& s, std::string_view what, std::string_view data_dir) {
  if (s.ok()) return Status::Ok();
  const std::string where = Where(what, data_dir, s);
  // Before the lock test: a LOCK file this user may not open is a permission problem (the
  // archive made by root, say), not another process holding it.
  if (s.IsIOError() && s.ToString().find("Permission denied") != std::string::npos) {
    return Status::PermissionDenied(where +
                                    " -- give the user newsd runs as access to every "
                                    "file of the archive (chown -R newsd: " +
                                    std::string(data_dir) + ", for an archive made as root)");
  }
  // Nor is a file system mounted read-only (a LOCK cannot be taken there either).
  if (s.IsIOError() && s.ToString().find("Read-only file system") != std::string::npos) {
    return Status::IOError(where + " -- the file system of " + std::string(data_dir) +
                           " is mounted read-only: remount it read-write, or copy the "
                           "archive to a writable disk");
  }
  // Before the lock test too: a LOCK file that cannot be made for want of space (or of an
  // inode) is no other process holding it.
  if (s.IsNoSpace()) {
    // The caller says what becomes of the write (a poll fetched again, an import to re-run).
    return Status::IOError(where + " -- the disk is full: free space on the file system of " +
                           std::string(data_dir));
  }
  if (IsLockError(s)) {
    return Status::Unavailable("archive " + std::string(data_dir) +
                               " is locked by another process: is newsd running? (" + s.ToString() +
                               ")");
  }
  if (s.IsNotFound()) return Status::NotFound(where);
  if (s.IsCorruption()) {
    return Status::Corruption(where + " -- the archive is damaged: restore it from a backup");
  }
  if (s.IsInvalidArgument() || s.IsNotSupported()) return Status::InvalidArgument(where);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return Status::Unavailable(where);
  if (s.IsShutdownInProgress() || s.IsAborted()) return Status::Aborted(where);
  return Status::IOError(where + " -- check the disk, its free space and the permissions of " +
                         std::string(data_dir));
}

namespace {

// Tables in an archive past which they are opened by several threads (MakeDbOptions).
constexpr size_t kTablesForThreads = 256;

// The table files in `dir` (0 when it cannot be read, or does not exist yet).
size_t TableFiles(const std::string& dir) {
  std::error_code ec;
  size_t n = 0;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    n += it->path().extension() == ".sst" ? 1 : 0;
  }
  return n;
}

// Block-based tables of `block_size` over the shared block cache, with bloom filters.
rocksdb::BlockBasedTableOptions TableOptions(const std::shared_ptr<rocksdb::Cache>& cache,
                                             size_t block_size) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.optimize_filters_for_memory = true;
  table.block_size = block_size;
  return table;
}

// Compression of every family but those that do not compress (FamilyOptions::For).
void SetCompression(rocksdb::ColumnFamilyOptions* cf) {
  cf->compression = Pick({rocksdb::kLZ4Compression, rocksdb::kSnappyCompression});
  cf->bottommost_compression = Pick({rocksdb::kZSTD, rocksdb::kLZ4Compression});
  // Flushes write level 0 uncompressed: a flush sits on the write path of every commit, and
  // level-0 files live only until the next compaction, which compresses them (bottommost:
  // ZSTD). In a cold round of 1,000 feeds the flushes' LZ4 was 8 % of all CPU.
  cf->compression_per_level.assign(static_cast<size_t>(cf->num_levels), cf->compression);
  cf->compression_per_level[0] = rocksdb::kNoCompression;
  if (cf->bottommost_compression == rocksdb::kZSTD) {
    // Level 1, not zstd's default 3: on feed text in 16 KiB blocks about 40 % less CPU for
    // about 3 % more bytes, and the bottommost compaction is where an ingest's text is
    // compressed (dynamic level sizing sends level 0 straight to the last level).
    cf->bottommost_compression_opts.level = 1;
    cf->bottommost_compression_opts.enabled = true;
  }
}

}  // namespace

rocksdb::DBOptions MakeDbOptions(const Options& options, bool secondary) {
  rocksdb::DBOptions db;
  db.info_log = std::make_shared<LogBridge>();
  db.create_if_missing = !secondary;
  db.create_missing_column_families = !secondary;
  // One compaction thread and kFlushLanes flush threads (RocksDB's split of 2 jobs gives one
  // each): a clean close flushes every family, several side by side (RocksArchive::FlushAll);
  // a flush of a small family mostly waits for its syncs.
  db.max_background_flushes = static_cast<int>(kFlushLanes);
  db.max_background_compactions = 1;
  db.bytes_per_sync = kMiB;
  db.keep_log_file_num = 5;
  db.max_manifest_file_size = 64 * kMiB;
  db.db_write_buffer_size = std::max<size_t>(options.block_cache_mb, 16) * kMiB;
  // Small families (feeds, meta, story times) never fill a memtable, so left alone they pin
  // every write-ahead log since start, and a crash recovery replays them all (150 MB after
  // one cold round of 1,000 feeds). Past this size the families holding the oldest log are
  // flushed, which bounds the replay.
  db.max_total_wal_size = db.db_write_buffer_size;
  if (options.bulk_load) {
    db.db_write_buffer_size = std::max(db.db_write_buffer_size, kBulkMemtables);
  }
  // Tables are opened by the opening thread alone while they are few. RocksDB's default of
  // 16 starts 15 threads per column family at every open (180 for the 12 families), which
  // cost a `newsd --once` or a `newsctl --db` command more than the few table footers they
  // read; an archive of many tables still reads them 4 at a time.
  db.max_file_opening_threads = TableFiles(options.data_dir) > kTablesForThreads ? 4 : 1;
  // A secondary must keep every table open (OpenAsSecondary requirement).
  if (secondary) db.max_open_files = -1;
  return db;
}

FamilyOptions::FamilyOptions(const Options& options)
    : cache_(rocksdb::NewLRUCache(std::max<size_t>(options.block_cache_mb, 1) * kMiB)),
      bulk_load_(options.bulk_load),
      items_level0_tables_(std::max(options.items_level0_tables, 2)) {}

rocksdb::ColumnFamilyOptions FamilyOptions::For(std::string_view family) const {
  const bool bulky = family == "items";  // article text: bigger blocks compress better
  const bool raw = family == kFamilyNames[kRawBodiesFamily];
  const size_t block_size = raw ? 64 * 1024 : bulky ? 16 * 1024 : 4 * 1024;

  rocksdb::ColumnFamilyOptions cf;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(TableOptions(cache_, block_size)));
  cf.level_compaction_dynamic_level_bytes = true;
  // Items and raw bodies take nearly all of a poll round's bytes (a cold round of 1,000
  // feeds: 135 MB and 48 MB): 16 MiB memtables. With 4 MiB the raw bodies made 12 level-0
  // tables a round, and three compactions copied them again.
  cf.write_buffer_size = (bulky || raw ? 16 : 4) * kMiB;
  // Up to 4 memtables a family, RocksDB's 2 stopped every write of a cold round now and then
  // ("Stopping writes because we have 2 immutable memtables"): the log-size limit switches
  // the small families' memtables while the flush threads are still busy with the big ones.
  // Past db_write_buffer_size in all memtables together the biggest is flushed (a trigger,
  // not a cap: while flushes lag, up to 4 per family can be held).
  cf.max_write_buffer_number = 4;
  const bool dedup_index =
      family == kFamilyNames[kDedupDocsIndex] || family == kFamilyNames[kDedupBoilerplateIndex];
  if (raw || dedup_index) {
    // Raw bodies compact after 8 tables, not 4: keyed by feed, every table spans the whole
    // key range too, so each compaction copies the whole family; half as many copies, and a
    // cold round of 1,000 feeds (3 tables and the close's) ends without one. The dedup index
    // families likewise: read only by the scan that restores the index at start-up, they gain
    // nothing from fewer tables, and the boilerplate counts' 4th table (3 flushes forced by
    // the log-size limit in a cold round, then the close's) made most closes wait ~40 ms
    // for their compaction.
    cf.level0_file_num_compaction_trigger = 8;
  }
  if (bulky) {
    // Items: Options::items_level0_tables (16) level-0 tables before a compaction, not
    // RocksDB's 4. Every table spans the whole range of hashed item ids, so each compaction
    // rewrites the bottom level and ZSTD-compresses the lot on one thread: the fewer the
    // compactions, the less text is rewritten. With 4, a cold round of 1,000 feeds (~135 MB
    // of text) ended waiting 0.6 s at close for one; with 8, for one of 0.6-0.8 s in most
    // rounds (its 8th table came from the close's own flush); with 16 it ends with none.
    // Lookups stay cheap (a pinned bloom filter per table).
    cf.level0_file_num_compaction_trigger = items_level0_tables_;
    cf.level0_slowdown_writes_trigger = items_level0_tables_ + 16;
    cf.level0_stop_writes_trigger = items_level0_tables_ + 32;
  }
  if (bulk_load_) {
    cf.arena_block_size = cf.write_buffer_size / 8;  // RocksDB's default for the usual size
    cf.write_buffer_size = kBulkMemtable;
  }
  SetCompression(&cf);
  if (raw || family == kFamilyNames[kDedupDocsIndex]) {
    // raw_bodies: values are zstd frames already (codec::EncodeRawBody), compressed on the
    // parse pool before they reach the log. dedup_docs: sets of 32-bit hashes, which do not
    // compress (ZSTD kept 99 % of them): compressing either would only cost CPU.
    cf.compression = cf.bottommost_compression = rocksdb::kNoCompression;
    cf.compression_per_level.clear();
  }
  if (family == kFamilyNames[kSeenFamily]) {
    cf.compaction_filter = &kSeenExpiry;
    // Expired tombstones go even when nothing else writes there.
    cf.periodic_compaction_seconds = uint64_t{24} * 3600;
  }
  return cf;
}

}  // namespace newsd::storage
