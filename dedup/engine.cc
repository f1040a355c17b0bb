// The index, persistence and restore half of Engine (engine.h): construction, FindMatch,
// Insert, Reindex, Expire, Restore, the index's counters and IndexedFingerprint; and Learned,
// the snapshot of the lines learned as boilerplate. The fingerprinting half is
// engine_fingerprint.cc; the state both use is in engine_state.h.
#include "dedup/engine.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <climits>
#include <string>

#include "dedup/boilerplate.h"
#include "dedup/codec.h"
#include "dedup/cold.h"
#include "dedup/dateline.h"
#include "dedup/engine_state.h"
#include "dedup/explain.h"
#include "dedup/index.h"
#include "dedup/match.h"
#include "dedup/minhash.h"

namespace newsd::dedup {
namespace {

constexpr char kBoilerplateFamily[] = "dedup_boilerplate";

}  // namespace

uint64_t ContentHash(const std::vector<Shingle>& shingles) {
  return XXH3_64bits(shingles.data(), shingles.size() * sizeof(Shingle));
}

Engine::Engine(Options options) : state_(std::make_unique<State>(std::move(options))) {}
Engine::~Engine() = default;

const Options& Engine::options() const { return state_->options; }

bool LearnedLines::Contains(uint64_t source, uint64_t line) const {
  return std::binary_search(keys_.begin(), keys_.end(), BoilerplateModel::LearnedKey(source, line));
}

std::shared_ptr<const LearnedLines> Engine::Learned() const {
  const BoilerplateModel& model = state_->boilerplate;
  if (!state_->learned || state_->learned_version != model.learned_version()) {
    auto learned = std::make_shared<LearnedLines>();
    learned->keys_ = model.learned();
    state_->learned = std::move(learned);
    state_->learned_version = model.learned_version();
  }
  return state_->learned;
}

Match Engine::FindMatch(const Fingerprint& fp) const {
  return FindStory(fp, state_->index, state_->options, state_->cold.get());
}

void Engine::SetRecordReader(RecordReader reader) {
  state_->cold = std::make_unique<ColdStore>(std::move(reader), state_->options.bucket_seconds);
  state_->index.EnableChilling();
}

void Engine::ChillDue(UnixSeconds newest) {
  // Items more than the window and a bucket below the newest are candidates only of items
  // dated more than a bucket behind it: they go cold.
  const Options& options = state_->options;
  if (!state_->cold || options.late() <= options.bucket_seconds) return;
  state_->index.ChillBefore(
      TimeBucket(newest - options.window_seconds - options.bucket_seconds, options.bucket_seconds));
}

void Engine::ChillBelow(UnixSeconds newest) {
  ChillDue(newest);
  state_->index.ChillPending();
}

uint64_t Engine::Inserted() const { return state_->index.added(); }

void Engine::MarkCommitted(uint64_t inserted) { state_->index.MarkCommitted(inserted); }

Engine::ColdReads Engine::ColdReadCounts() const {
  if (!state_->cold) return {};
  return {state_->cold->reads(), state_->cold->failures()};
}

namespace {

// What the index keeps of item `item` (of `story`) signed as `fp`; a view of fp.
DocView DocOf(const ItemId& item, const StoryId& story, const Fingerprint& fp) {
  return DocView{item,     story,         fp.time,   fp.token_count, fp.shingles,
                 fp.lead,  fp.numbers,    fp.titles, fp.figures,     fp.filing,
                 fp.aside, fp.title_only, fp.names,  fp.correction,  fp.aside_frames};
}

}  // namespace

std::vector<Record> Engine::Insert(const ItemId& item, const StoryId& story,
                                   std::string_view source, const Fingerprint& fp) {
  const Options& options = state_->options;
  const DocView doc = DocOf(item, story, fp);
  std::vector<Record> records;
  records.reserve(1 + 2 * fp.line_hashes.size());  // A put, and at most a put and an erase each.
  if (TimeBucket(fp.time, options.bucket_seconds) >= state_->dropped_below) {
    records.push_back(
        Record{kDocsFamily, EncodeDocKey(doc, options.bucket_seconds), EncodeDocValue(doc), false});
  }
  const uint64_t source_hash = HashSource(source);
  const uint64_t content = ContentHash(fp.shingles);
  state_->boilerplate.Observe(source_hash, fp.line_hashes, fp.time, content, &records);
  state_->index.Add(doc, fp.band_keys);
  return records;
}

std::vector<Record> Engine::Reindex(const ItemId& item, const StoryId& story,
                                    const Fingerprint& fp) {
  const Options& options = state_->options;
  if (TimeBucket(fp.time, options.bucket_seconds) < state_->dropped_below) return {};
  auto last = state_->reindexed.find(item);
  if (last != state_->reindexed.end() && Explain(last->second, fp, options).accepted) {
    return {};  // its copies find the version added last
  }
  const DocView doc = DocOf(item, story, fp);
  std::vector<Record> records;
  records.push_back(
      Record{kDocsFamily, EncodeDocKey(doc, options.bucket_seconds), EncodeDocValue(doc), false});
  state_->index.Add(doc, fp.band_keys);
  state_->reindexed.insert_or_assign(item, fp);
  return records;
}

std::vector<RangeDrop> Engine::Expire(UnixSeconds cutoff) {
  const Options& options = state_->options;
  const int64_t bucket = TimeBucket(cutoff, options.bucket_seconds);
  state_->index.ExpireBefore(bucket);
  state_->dropped_below = std::max(state_->dropped_below, bucket);
  std::erase_if(state_->reindexed, [&](const auto& entry) {
    return TimeBucket(entry.second.time, options.bucket_seconds) < bucket;
  });
  ChillDue(cutoff + options.kept_seconds());  // the newest item time
  std::vector<RangeDrop> drops;
  drops.push_back(RangeDrop{kDocsFamily, EncodeBucket(INT64_MIN), EncodeBucket(bucket)});
  // Boilerplate counters outlive items by the difference of the two windows.
  const int64_t extra =
      std::max<int64_t>(0, options.boilerplate_window_seconds - options.window_seconds);
  drops.push_back(state_->boilerplate.Expire(cutoff - extra));
  return drops;
}

void Engine::RemoveExpired() {
  state_->index.RemoveExpired(SIZE_MAX);
  state_->index.ChillPending();
}

Status Engine::Restore(std::string_view family, std::string_view key, std::string_view value) {
  const auto unreadable = [&] {
    return Status::Corruption("unreadable " + std::string(family) + " record (" +
                              std::to_string(key.size()) + "-byte key, " +
                              std::to_string(value.size()) + "-byte value)");
  };
  if (family == kBoilerplateFamily) {
    return state_->boilerplate.Restore(key, value) ? Status::Ok() : unreadable();
  }
  if (family != kDocsFamily) {
    return Status::InvalidArgument("not a dedup index family: " + std::string(family));
  }
  StoredDoc doc;
  if (!DecodeDoc(key, value, &doc)) return unreadable();
  state_->index.Add(ViewOf(doc), AllBandKeys(MinHashSignature(doc.shingles)), /*committed=*/true);
  state_->newest_restored = std::max(state_->newest_restored, doc.time);
  state_->oldest_restored = std::min(state_->oldest_restored, doc.time);
  return Status::Ok();
}

UnixSeconds Engine::NewestRestored() const { return state_->newest_restored; }
UnixSeconds Engine::OldestRestored() const { return state_->oldest_restored; }

size_t Engine::IndexedItems() const { return state_->index.size(); }

Engine::MemoryUse Engine::Memory() const {
  MemoryUse use;
  use.key_tables = state_->index.KeyTableBytes();
  use.items = state_->index.ItemBytes();
  use.boilerplate = state_->boilerplate.bytes();
  return use;
}

size_t Engine::IndexedBandPostings() const { return state_->index.band_postings(); }

std::optional<Fingerprint> Engine::IndexedFingerprint(std::string_view item) const {
  const std::optional<uint32_t> slot = state_->index.FindItem(item);
  if (!slot) return std::nullopt;
  const IndexedDoc* doc_in_ram = &state_->index.doc(*slot);
  StoredDoc stored;
  IndexedDoc loaded;
  if (doc_in_ram->cold()) {
    if (!state_->cold || !state_->cold->Load(*doc_in_ram, state_->index.time(*slot), &stored)) {
      return std::nullopt;
    }
    loaded = IndexedDoc(ViewOf(stored), nullptr);
    doc_in_ram = &loaded;
  }
  const IndexedDoc& doc = *doc_in_ram;
  Fingerprint fp;
  fp.time = state_->index.time(*slot);
  doc.shingles(&fp.shingles);
  const LeadShingles lead = doc.lead(fp.shingles);
  fp.lead.assign(lead.get().begin(), lead.get().end());
  fp.numbers.assign(doc.numbers().begin(), doc.numbers().end());
  fp.titles.assign(doc.titles().begin(), doc.titles().end());
  fp.figures.assign(doc.figures().begin(), doc.figures().end());
  fp.filing = doc.filing();
  fp.aside.assign(doc.aside().begin(), doc.aside().end());
  fp.names.assign(doc.names().begin(), doc.names().end());
  fp.title_only = doc.title_only();
  fp.correction = doc.correction();
  fp.aside_frames = doc.aside_frames();
  fp.dateline = FilingDay(fp.filing);
  fp.signature = MinHashSignature(fp.shingles);
  fp.band_keys = AllBandKeys(fp.signature);
  return fp;
}

std::vector<std::string> Engine::Families() { return {kDocsFamily, kBoilerplateFamily}; }

}  // namespace newsd::dedup