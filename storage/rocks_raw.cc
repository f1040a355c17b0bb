// Raw response bodies of the RocksDB archive: the last Options::raw_bodies per feed.

#include <map>

#include "storage/codec.h"
#include "storage/rocks_archive.h"

namespace newsd::storage {
namespace {

// A feed's bookkeeping: bodies [oldest, next) are stored.
struct RawSeq {
  uint64_t oldest = 0, next = 0;
};

std::string RawSeqKey(std::string_view feed) { return std::string(kRawSeqPrefix).append(feed); }

}  // namespace

Status RocksArchive::DropRawBodiesWhenOff() {
  if (!options_.drop_raw_bodies_when_off || options_.raw_bodies != 0 ||
      Cf(kRawBodiesFamily) == nullptr) {
    return Status::Ok();
  }
  uint64_t feeds = 0;
  const std::string end = std::string(kRawSeqPrefix).append("\xff\xff");
  Status s = Scan(kMetaFamily, kRawSeqPrefix, end, [&](std::string_view, std::string_view) {
    ++feeds;
    return true;
  });
  if (!s.ok() || feeds == 0) return s;
  // Every raw body key starts with a feed id, which is text: none sorts at or after 0xFF.
  rocksdb::WriteBatch wb;
  wb.DeleteRange(Cf(kRawBodiesFamily), "", "\xff\xff");
  wb.DeleteRange(Cf(kMetaFamily), kRawSeqPrefix, end);
  if (s = Write(&wb); !s.ok()) return s;
  Log().info("[storage] raw_bodies = 0: the raw bodies kept for {} feeds were dropped", feeds);
  return Status::Ok();
}

// Each new body takes the feed's next seq; the oldest go while more than raw_bodies remain
// (point deletes only: the bookkeeping says exactly which keys exist).
Status RocksArchive::AddRawBodies(const Batch& batch, rocksdb::WriteBatch* wb) {
  if (options_.raw_bodies == 0 || batch.raw_bodies().empty()) return Status::Ok();
  std::map<std::string_view, RawSeq> seqs;  // feeds of this batch, read once
  for (const PackedRawBody& raw : batch.raw_bodies()) {
    auto [it, inserted] = seqs.try_emplace(raw.feed);
    RawSeq& seq = it->second;
    if (inserted) {
      Result<std::optional<std::string>> stored = GetRaw(kMetaFamily, RawSeqKey(raw.feed));
      if (!stored) return stored.error();
      if (stored->has_value()) {
        const std::string_view v = **stored;
        std::optional<uint64_t> oldest, next;
        if (v.size() == 16)
          oldest = codec::DecodeBe64(v.substr(0, 8)), next = codec::DecodeBe64(v.substr(8));
        if (!oldest || !next || *oldest > *next) {
          return Status::Corruption("raw body bookkeeping of feed " + raw.feed +
                                    " is unreadable -- the archive is damaged: restore it "
                                    "from a backup");
        }
        seq = {*oldest, *next};
      }
    }
    wb->Put(Cf(kRawBodiesFamily), codec::RawBodyKey(raw.feed, seq.next++), raw.value);
    while (seq.next - seq.oldest > options_.raw_bodies) {
      wb->Delete(Cf(kRawBodiesFamily), codec::RawBodyKey(raw.feed, seq.oldest++));
    }
  }
  for (const auto& [feed, seq] : seqs) {
    wb->Put(Cf(kMetaFamily), RawSeqKey(feed),
            codec::EncodeBe64(seq.oldest).append(codec::EncodeBe64(seq.next)));
  }
  return Status::Ok();
}

PackedRawBody RocksArchive::PackRawBody(const RawBody& raw) const {
  return {raw.feed, codec::EncodeRawBody(raw)};
}

Result<std::vector<RawBody>> RocksArchive::RawBodies(const FeedId& id) {
  std::vector<RawBody> bodies;
  if (Cf(kRawBodiesFamily) == nullptr) return bodies;  // read-only view of an older archive
  const std::string prefix = codec::RawBodyPrefix(id);
  Status decoded;
  Status s = Scan(kRawBodiesFamily, prefix, codec::PrefixEnd(prefix),
                  [&](std::string_view key, std::string_view value) {
                    if (!codec::SeqOfRawBodyKey(key, prefix.size())) return true;
                    RawBody raw;
                    decoded = codec::DecodeRawBody(id, value, &raw);
                    if (decoded.ok()) bodies.push_back(std::move(raw));
                    return decoded.ok();
                  });
  if (!s.ok()) return Err(s);
  if (!decoded.ok()) return Err(decoded);
  return bodies;
}

}  // namespace newsd::storage
