#pragma once

// Record builders and the two Archive implementations the typed tests run over.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/archive.h"
#include "storage/testing.h"
#include "tests/fakes/fake_archive.h"
#include "tests/support/test_util.h"

namespace newsd::storage {

inline ItemRecord MakeItem(const std::string& id, const std::string& story, int n = 0) {
  ItemRecord item;
  item.id = id;
  item.story = story;
  item.feed = "feed-" + std::to_string(n % 3);
  item.source = "Source " + std::to_string(n);
  item.url = "https://example.com/" + id;
  item.title = "Title \xc3\xa9 " + id;
  item.text = std::string("<p>body\0with nul</p>", 20) + std::to_string(n);
  item.published = n % 2 ? std::optional<UnixSeconds>(-86400 * n) : std::nullopt;
  item.arrived = 1700000000 + n;
  item.similarity = 0.5 + n / 1000.0;
  item.match_path = n ? "lsh" : "new";
  item.shingles = 4000000000u + n;
  return item;
}

inline StoryRecord MakeStory(const std::string& id, UnixSeconds time, uint32_t copies = 1) {
  return StoryRecord{id, id, time, copies};
}

inline FeedState MakeFeed(const std::string& id, int n = 0) {
  FeedState feed;
  feed.id = id;
  feed.url = "https://example.com/" + id + ".xml";
  feed.etag = "W/\"abc\" " + std::to_string(n);
  feed.last_modified = "Sat, 28 Nov 2026 09:00:00 GMT";
  feed.last_fetch = -5;
  feed.next_fetch = 1800000000 + n;
  feed.last_http_status = 304;
  feed.last_error = n ? "timeout" : "";
  feed.consecutive_failures = n;
  feed.fetches = 1ull << 40;
  feed.items_new = n * 7;
  return feed;
}

inline void PrintTo(const ItemRecord& r, std::ostream* os) {
  *os << "ItemRecord{" << r.id << ", story " << r.story << ", feed " << r.feed << ", " << r.title
      << "}";
}
inline void PrintTo(const StoryRecord& r, std::ostream* os) {
  *os << "StoryRecord{" << r.id << ", " << r.canonical << ", t=" << r.time << ", copies "
      << r.copies << "}";
}
inline void PrintTo(const FeedState& r, std::ostream* os) {
  *os << "FeedState{" << r.id << ", " << r.url << ", etag " << r.etag << "}";
}

template <class T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
  if (!r) throw std::runtime_error(r.error().ToString());
  return std::move(*r);
}

/// The RocksDB archive in a temporary directory.
class RocksImpl {
 public:
  Options options() const {
    Options o;
    o.data_dir = dir_.str() + "/archive";
    o.sync_writes = false;  // speed; the sync path is covered by RocksArchiveTest
    o.block_cache_mb = 8;
    o.min_free_mb = 0;  // the reserve is tested on its own (CommitKeepsTheFreeSpaceReserve)
    return o;
  }
  Result<std::unique_ptr<Archive>> Open() { return OpenArchive(options()); }
  Result<std::unique_ptr<Archive>> OpenReadOnly() { return OpenArchiveReadOnly(options()); }
  /// An archive whose next commit fails (until Heal()), as with a failing disk.
  Result<std::unique_ptr<Archive>> OpenFaulty() {
    return testing::OpenArchiveWithWalFaults(options(), fault_);
  }
  void BreakNextCommit(Archive&, testing::WalFault fault = testing::WalFault::kNoSpace) {
    *fault_ = fault;
  }
  void Heal() { *fault_ = testing::WalFault::kNone; }

 private:
  newsd::testing::TempDir dir_;
  std::shared_ptr<std::atomic<testing::WalFault>> fault_ =
      std::make_shared<std::atomic<testing::WalFault>>(testing::WalFault::kNone);
};

/// The in-memory fake of tests/fakes.
class FakeImpl {
 public:
  using Fake = newsd::testing::FakeArchive;
  Result<std::unique_ptr<Archive>> Open() { return std::unique_ptr<Archive>(new Fake(store_)); }
  Result<std::unique_ptr<Archive>> OpenReadOnly() {
    return std::unique_ptr<Archive>(new Fake(store_, /*read_only=*/true));
  }
  Result<std::unique_ptr<Archive>> OpenFaulty() { return Open(); }
  void BreakNextCommit(Archive& archive) {
    static_cast<Fake&>(archive).FailNextCommit(Status::IOError("injected"));
  }
  void Heal() {}

 private:
  std::shared_ptr<Fake::Store> store_ = std::make_shared<Fake::Store>();
};

}  // namespace newsd::storage
