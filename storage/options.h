#pragma once

#include <cstddef>
#include <string>

namespace newsd::storage {

/// How the archive is opened. Plain struct: config/ fills it.
struct Options {
  /// Directory holding the archive (the daemon's data_dir). Created if missing (read-write).
  std::string data_dir;
  /// fsync the WAL on every commit: survives power loss, not only process crashes.
  /// Default: true.
  bool sync_writes = true;
  /// RocksDB block cache in MiB. Default: 64.
  size_t block_cache_mb = 64;
  /// Commit refuses a batch (IOError, nothing written) when the file system of data_dir would
  /// keep less free space than this, in MiB; 0 disables the check. RocksDB 7.8 cannot write
  /// its log again after a failed log write (Debian's build aborts on it), so a disk that fills
  /// up must stop commits before RocksDB meets ENOSPC. Default: 256.
  size_t min_free_mb = 256;
  /// Retention (run by the daemon): stories whose newest copy is older than this many seconds
  /// are removed with their items. 0 keeps everything. Default: 0.
  int64_t retention_seconds = 0;
  /// How long a removed item's id stays "seen" after its removal, so feeds still carrying
  /// it do not bring it back. Default: 90 days.
  int64_t seen_grace_seconds = 90 * 86400;
  /// Raw response bodies kept per feed (Batch::PutRawBody), compressed, for `newsctl reparse`;
  /// 0 keeps none. Default: 3.
  size_t raw_bodies = 3;
  /// With raw_bodies = 0, OpenArchive drops the raw bodies kept under an earlier setting. The
  /// daemon sets it (its configuration says keep none); one-off tools (import, reparse) leave
  /// it off: they must not delete what they were not asked to. Default: false.
  bool drop_raw_bodies_when_off = false;
  /// Sizes the memtables for a one-off bulk import (`newsd import`): 64 MiB per family, so an
  /// import of tens of MB is not flushed part-way (a flush competes for the CPU, and closing
  /// waits for it). Durability is unchanged: the WAL holds every commit. Default: false.
  bool bulk_load = false;
  /// A clean close lets the compactions under way or due finish instead of abandoning them
  /// (RocksDB stops them at close, and the work is lost), those they lead to included; it
  /// stops waiting for due ones at a new background error or after 15 minutes. For short runs
  /// (`newsd --once`, from cron say, and `newsd import`), whose compactions would otherwise be
  /// cut off at every exit, leaving level 0 to pile up uncompacted (and uncompressed). Costs
  /// that wait at exit; the service leaves it off, where a compaction is not worth a slow
  /// stop. Default: false.
  bool finish_compactions_at_close = false;
  /// Level-0 tables of the items family (article text, written uncompressed) that start a
  /// compaction into the compressed bottom level; writes slow down 16 tables later and stop
  /// 32 later (RocksDB's own margins). Default: 16. Tests lower it to reach a compaction with
  /// little data. RocksDB also starts one when level 0 holds max_bytes_for_level_base (256
  /// MiB) or more: with bulk_load's 64 MiB memtables, after about 4 tables.
  int items_level0_tables = 16;

  friend bool operator==(const Options&, const Options&) = default;
};

}  // namespace newsd::storage
