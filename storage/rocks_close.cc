// Closing the RocksDB archive: the memtables flushed side by side, due compactions finished,
// the engine closed (or left open when its directory was replaced). Opening is in
// storage/rocks_open.cc.

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <thread>

#include "storage/codec.h"
#include "storage/rocks_archive.h"

namespace newsd::storage {

namespace fs = std::filesystem;

void RocksArchive::FinishCompactions() {
  auto busy = [this] {
    // Database-wide figures, summed over the families: only "none or some" matters here.
    uint64_t running = 0, pending = 0;
    db_->GetAggregatedIntProperty("rocksdb.num-running-compactions", &running);
    db_->GetAggregatedIntProperty("rocksdb.compaction-pending", &pending);
    return running + pending > 0;
  };
  // The count of failed background jobs since the archive opened: only a new one matters
  // (one RocksDB recovered from earlier does not stop compactions).
  auto errors = [this] {
    uint64_t n = 0;
    db_->GetAggregatedIntProperty("rocksdb.background-errors", &n);
    return n;
  };
  const uint64_t errors_before = errors();
  // Said, so that a short run's pause at exit does not look like a hang.
  const bool waits = busy();
  if (waits) Log().info("archive dir={}: finishing a compaction before closing", options_.data_dir);
  const auto start = std::chrono::steady_clock::now();
  // Until none is due or under way: one that is due may not have been picked up yet, and
  // PauseBackgroundWork waits only for those that run. A new background error (a full disk,
  // say) stops compactions for good, and a bound keeps a due one that never starts from
  // holding the exit. (PauseBackgroundWork itself waits for a running one however long.)
  constexpr auto kMaxWait = std::chrono::minutes(15);
  while (busy() && errors() == errors_before &&
         std::chrono::steady_clock::now() - start < kMaxWait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const bool gave_up = busy();
  if (const rocksdb::Status s = db_->PauseBackgroundWork(); !s.ok()) {
    Log().warn("finishing compactions of archive dir={} at close failed: {}", options_.data_dir,
               s.ToString());
  } else if (waits) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (gave_up) {
      Log().warn(
          "archive dir={}: stopped waiting for compactions after {:.2f}s ({}); the next run "
          "compacts what is left",
          options_.data_dir, took.count(),
          errors() != errors_before ? "a background error" : "none started");
    } else {
      Log().info("archive dir={}: compaction finished in {:.2f}s", options_.data_dir, took.count());
    }
  }
}

Status RocksArchive::FlushAll() {
  // RocksDB flushes the families of one Flush call one after another, each paying a synced
  // table and a synced manifest record (~2-3 ms) however small it is. So the families are
  // dealt into kFlushLanes calls made side by side, the biggest first, each to the lane with
  // the least queued (its bytes plus that fixed cost), one lane per flush thread. After an import
  // of the dev corpus the close's flushes took 25 ms in one call, 13 ms in three lanes; after a
  // cold poll round of 1,000 feeds, 47 -> 30 ms (two lanes).
  constexpr uint64_t kFixedCost = uint64_t{4} << 20;  // a flush's fixed cost, as bytes
  struct Lane {
    uint64_t queued = 0;
    std::vector<rocksdb::ColumnFamilyHandle*> families;
    rocksdb::Status flushed;
  };
  // Every family is dealt and flushed, empty ones too (each then costs its lane the fixed cost
  // and the few KB an empty memtable reports): with the empty families dealt as free, a clean
  // close left the write-ahead log of a small test archive behind.
  std::vector<std::pair<uint64_t, rocksdb::ColumnFamilyHandle*>> sized;
  for (rocksdb::ColumnFamilyHandle* h : all_handles_) {
    uint64_t bytes = 0;
    if (!db_->GetIntProperty(h, "rocksdb.cur-size-all-mem-tables", &bytes)) bytes = 0;
    sized.emplace_back(bytes, h);
  }
  std::sort(sized.begin(), sized.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::array<Lane, kFlushLanes> lanes;
  for (const auto& [bytes, h] : sized) {
    Lane& lane = *std::min_element(lanes.begin(), lanes.end(), [](const Lane& a, const Lane& b) {
      return a.queued < b.queued;
    });
    lane.queued += bytes + kFixedCost;
    lane.families.push_back(h);
  }
  rocksdb::FlushOptions flush;
  flush.allow_write_stall = true;
  auto run = [&](Lane& lane) { lane.flushed = db_->Flush(flush, lane.families); };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < lanes.size(); ++i) {
    if (lanes[i].families.empty()) continue;
    try {
      threads.emplace_back([&, i] { run(lanes[i]); });
    } catch (const std::system_error&) {  // no thread to be had: flushed here instead
      run(lanes[i]);
    }
  }
  if (!lanes[0].families.empty()) run(lanes[0]);
  for (std::thread& t : threads) t.join();
  for (const Lane& lane : lanes) {
    if (!lane.flushed.ok()) return FromRocks(lane.flushed, "flushing", options_.data_dir);
  }
  return DropFlushedLogs();
}

Status RocksArchive::DropFlushedLogs() {
  // Flushes side by side may each record which logs to keep before the other's table is in,
  // so that a log every family is past stays, to be replayed at the next open (1 close in 40
  // of a small test archive). A flush on its own records it right: of the meta family, after
  // a write, as a flush needs something to write.
  uint64_t keep = 0;
  std::unique_ptr<rocksdb::LogFile> current;
  if (!db_->GetIntProperty(rocksdb::DB::Properties::kMinLogNumberToKeep, &keep) ||
      !db_->GetCurrentWalFile(&current).ok() || current == nullptr ||
      keep >= current->LogNumber()) {
    return Status::Ok();
  }
  rocksdb::WriteBatch wb;
  wb.Put(Cf(kMetaFamily), kWriteProbeKey,
         codec::EncodeBe64(static_cast<uint64_t>(std::time(nullptr))));
  if (Status s = Write(&wb); !s.ok()) return s;
  rocksdb::FlushOptions flush;
  flush.allow_write_stall = true;
  const rocksdb::Status s = db_->Flush(flush, Cf(kMetaFamily));
  return s.ok() ? Status::Ok() : FromRocks(s, "flushing", options_.data_dir);
}

Status RocksArchive::Close() {
  if (db_ && !read_only_ && !CheckDirStillOpened().ok()) {
    // Its flush and close would write and delete files by path, in whatever directory now
    // has data_dir's name (a restored archive): the engine is left open, as a crash leaves it
    // (its log holds every commit), until the process ends.
    Log().error("archive dir={} left unclosed: the directory was moved or replaced",
                options_.data_dir);
    // Kept reachable, never destroyed (a leak checker's "leak" is the point here).
    static auto* const kLeftOpen = new std::vector<void*>();
    kLeftOpen->push_back(db_.release());
    kLeftOpen->push_back(env_.release());
    kLeftOpen->insert(kLeftOpen->end(), all_handles_.begin(), all_handles_.end());
    all_handles_.clear();
    return Status::IOError("archive " + options_.data_dir +
                           " left unclosed: the directory was moved or replaced");
  }
  Status status;
  if (db_ && !read_only_) {
    // Memtables are written out at a clean close, so the next open has no log to replay and
    // is ready at once (a crash still recovers from the logs).
    const Status flushed = FlushAll();
    if (!flushed.ok()) {
      Log().warn(
          "flushing archive dir={} at close failed: {}; nothing is lost (every commit is in "
          "its log, written into tables at the next open: free disk space before then)",
          options_.data_dir, flushed.ToString());
      status = flushed;
    }
    // Waits for the scheduled compactions (the flush above may have triggered one) and starts
    // no more; Close would otherwise cancel them half-way. Not after a failed flush: the
    // archive then takes no writes, a compaction's included.
    if (options_.finish_compactions_at_close && flushed.ok()) FinishCompactions();
  }
  if (db_) {
    for (rocksdb::ColumnFamilyHandle* h : all_handles_) {
      db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    all_handles_.clear();
    if (const rocksdb::Status s = db_->Close(); !s.ok()) {
      Log().warn("closing archive dir={} failed: {}", options_.data_dir, s.ToString());
      if (status.ok()) status = Rocks(s, "closing");
    }
    db_.reset();
  }
  env_.reset();
  if (!secondary_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(secondary_dir_, ec);
  }
  return status;
}

}  // namespace newsd::storage
