#include "dedup/index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>

#include "dedup/minhash.h"

namespace newsd::dedup {
namespace {

// Postings visited per key, most recent first: a lead shingle or band shared by more items
// than this is too common to find a story by, and the most recent ones are the likeliest.
constexpr size_t kMaxLeadPostings = 256;
constexpr size_t kMaxBandPostings = 256;
// Items of one title are few (the copies of one story, or a daily title within the window).
constexpr size_t kMaxTitlePostings = 64;

// Key tables are kept at most 7/8 full; size them for the expected keys, and never below
// 2^16 buckets (512 KB): the first doublings would otherwise rehash every few items.
constexpr size_t kMinKeyBuckets = size_t{1} << 16;

// Expired items removed per Add: the index keeps up as long as expiry (every few hours of item
// time) drops fewer items than this many times the items added meanwhile.
constexpr size_t kRemovalsPerAdd = 4;
// Items chilled per Add (ChillBefore), at the same pace: each is signed again (~1 µs) unless
// its band fragments are kept.
constexpr size_t kChillsPerAdd = 4;

// Removes the postings (key, slot) of `keys` from `table`, a batch at a time.
void RemoveKeys(Postings& table, std::span<const Shingle> keys, uint32_t slot) {
  std::array<uint32_t, 32> fragments;
  while (!keys.empty()) {
    const size_t n = std::min(keys.size(), fragments.size());
    std::transform(keys.begin(), keys.begin() + n, fragments.begin(), &Postings::Fragment);
    table.RemoveFragments(std::span(fragments).first(n), slot);
    keys = keys.subspan(n);
  }
}

}  // namespace

IndexedDoc::IndexedDoc(const DocView& doc, const BandKeys* keys)
    : filing_(doc.filing),
      shingles_(static_cast<uint32_t>(doc.shingles.size())),
      lead_(static_cast<uint32_t>(doc.lead.size())),
      numbers_(static_cast<uint32_t>(doc.numbers.size())),
      item_(static_cast<uint32_t>(doc.item.size())),
      story_(static_cast<uint32_t>(doc.story.size())),
      figures_(static_cast<uint16_t>(std::min(doc.figures.size(), kMaxFigures))),
      title_only_(doc.title_only ? 1 : 0),
      aside_(static_cast<uint16_t>(std::min(doc.aside.size(), kMaxAside))),
      titles_(static_cast<uint16_t>(std::min(doc.titles.size(), kMaxTitles))),
      names_(static_cast<uint16_t>(std::min(doc.names.size(), kMaxNames))),
      band_fragments_(keys != nullptr && !doc.shingles.empty()),
      lead_width_(LeadWidth(doc.shingles.size(), doc.lead.size())),
      coded_(CodedWords(doc.shingles.size()) < doc.shingles.size() ? 1 : 0),
      correction_(doc.correction ? 1 : 0),
      aside_frames_(doc.aside_frames ? 1 : 0) {
  // Indices of the lead into the shingles, where they fit the block's words.
  std::array<Shingle, (LeadShingles::kCapacity * 2 + 3) / 4> packed{};
  if (lead_width_ != 0 && !PackLead(doc.shingles, doc.lead, lead_width_, packed.data())) {
    lead_width_ = 0;
  }
  const size_t values = CodedWords() + LeadWords() + numbers_ + titles_ + figures_ + aside_ +
                        names_ + band_fragments_count();
  block_ = std::make_unique_for_overwrite<Shingle[]>(values + IdWords());
  Shingle* out = block_.get();
  if (coded_) {
    Encode(doc.shingles, out);
    out += CodedWords();
  } else {
    out = std::copy(doc.shingles.begin(), doc.shingles.end(), out);
  }
  out = lead_width_ == 0 ? std::copy(doc.lead.begin(), doc.lead.end(), out)
                         : std::copy_n(packed.begin(), LeadWords(), out);
  out = std::copy(doc.numbers.begin(), doc.numbers.end(), out);
  out = std::copy_n(doc.titles.begin(), titles_, out);
  out = std::copy_n(doc.figures.begin(), figures_, out);
  out = std::copy_n(doc.aside.begin(), aside_, out);
  out = std::copy_n(doc.names.begin(), names_, out);
  if (band_fragments_) out = std::transform(keys->begin(), keys->end(), out, &Postings::Fragment);
  char* ids = reinterpret_cast<char*>(out);
  std::memcpy(ids, doc.item.data(), item_);
  std::memcpy(ids + item_, doc.story.data(), story_);
}

unsigned IndexedDoc::LowBits(size_t count) {
  // The most bits such that count << bits stays within 2^32 (32 - ceil(log2(count))): the
  // high parts then take at most about two bits a shingle.
  if (count <= 1) return 32;
  const auto width = static_cast<unsigned>(std::bit_width(uint64_t{count} - 1));
  return width >= 32 ? 0 : 32 - width;
}

void IndexedDoc::Encode(std::span<const Shingle> shingles, Shingle* out) {
  const size_t n = shingles.size();
  if (n == 0) return;
  const unsigned low = LowBits(n);
  const size_t high_words = HighWords(n);
  std::fill_n(out, CodedWords(n), Shingle{0});
  auto* low_bytes = reinterpret_cast<unsigned char*>(out + high_words);
  const uint64_t mask = low == 64 ? ~uint64_t{0} : (uint64_t{1} << low) - 1;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t value = shingles[i];
    const size_t bit = (value >> low) + i;
    out[bit / 32] |= Shingle{1} << (bit % 32);
    const size_t at = i * low;
    uint64_t word;
    std::memcpy(&word, low_bytes + at / 8, sizeof(word));
    word |= (value & mask) << (at % 8);
    std::memcpy(low_bytes + at / 8, &word, sizeof(word));
  }
}

std::span<const Shingle> IndexedDoc::shingles(std::vector<Shingle>* buffer) const {
  const size_t n = cold_ ? 0 : shingles_;
  if (!coded_) {
    buffer->assign(block_.get(), block_.get() + n);
    return *buffer;
  }
  buffer->resize(n);
  const unsigned low = LowBits(n);
  const Shingle* high = block_.get();
  const auto* low_bytes = reinterpret_cast<const unsigned char*>(high + HighWords(n));
  const uint64_t mask = (uint64_t{1} << low) - 1;
  Shingle* out = buffer->data();
  size_t i = 0;
  for (size_t w = 0; i < n; ++w) {
    for (Shingle bits = high[w]; bits != 0; bits &= bits - 1) {
      const size_t at = i * low;
      uint64_t word;
      std::memcpy(&word, low_bytes + at / 8, sizeof(word));
      const uint64_t top = w * 32 + static_cast<size_t>(std::countr_zero(bits)) - i;
      out[i++] = static_cast<Shingle>((top << low) | ((word >> (at % 8)) & mask));
    }
  }
  return *buffer;
}

IndexedDoc IndexedDoc::Chilled(std::span<const uint32_t> fragments,
                               std::span<const Shingle> lead) const {
  IndexedDoc cold;
  cold.filing_ = filing_;
  cold.shingles_ = shingles_;  // the count only
  cold.lead_ = static_cast<uint32_t>(lead.size());
  cold.item_ = item_;
  cold.story_ = story_;
  cold.title_only_ = title_only_;
  cold.correction_ = correction_;
  cold.aside_frames_ = aside_frames_;
  cold.titles_ = titles_;
  cold.band_fragments_ = fragments.empty() ? 0 : 1;
  cold.cold_ = 1;
  assert(fragments.empty() || fragments.size() == kBands);
  const size_t values = lead.size() + titles_ + fragments.size();
  cold.block_ = std::make_unique_for_overwrite<Shingle[]>(values + cold.IdWords());
  Shingle* out = std::copy(lead.begin(), lead.end(), cold.block_.get());
  out = std::ranges::copy(titles(), out).out;
  out = std::copy(fragments.begin(), fragments.end(), out);
  char* ids = reinterpret_cast<char*>(out);
  std::memcpy(ids, item().data(), item_);
  std::memcpy(ids + item_, story().data(), story_);
  return cold;
}

unsigned IndexedDoc::LeadWidth(size_t shingles, size_t lead) {
  if (lead == 0 || lead > LeadShingles::kCapacity) return 0;
  if (shingles <= size_t{1} << 8) return 1;
  return shingles <= size_t{1} << 16 ? 2 : 0;
}

bool IndexedDoc::PackLead(std::span<const Shingle> shingles, std::span<const Shingle> lead,
                          unsigned width, Shingle* out) {
  auto* bytes = reinterpret_cast<unsigned char*>(out);
  for (size_t i = 0; i < lead.size(); ++i) {
    // Lower bound without branches to mispredict (the shingles are in cache: ~7 steps).
    const Shingle* base = shingles.data();
    for (size_t n = shingles.size(); n > 1;) {
      const size_t half = n / 2;
      base += static_cast<size_t>(base[half - 1] < lead[i]) * half;  // GCC keeps it branchless
      n -= half;
    }
    if (shingles.empty() || *base != lead[i]) return false;
    const auto index = static_cast<size_t>(base - shingles.data());
    for (unsigned b = 0; b < width; ++b) {
      bytes[i * width + b] = static_cast<unsigned char>(index >> (8 * b));
    }
  }
  return true;
}

LeadShingles IndexedDoc::lead(std::span<const Shingle> shingles) const {
  LeadShingles lead;
  if (lead_width_ == 0) {
    lead.stored_ = {Lead(), lead_};
    return lead;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(Lead());
  for (size_t i = 0; i < lead_; ++i) {
    size_t index = bytes[i * lead_width_];
    if (lead_width_ == 2) index |= size_t{bytes[i * 2 + 1]} << 8;
    lead.copied_[i] = shingles[index];
  }
  lead.size_ = lead_;
  return lead;
}

CandidateIndex::CandidateIndex(const Options& options)
    : options_(options),
      bands_(std::max(kMinKeyBuckets, Postings::BucketsFor(options.reserve_items * kBands))),
      leads_(std::max(kMinKeyBuckets,
                      Postings::BucketsFor(options.reserve_items * options.lead_shingles))),
      titles_(std::max(kMinKeyBuckets,
                       Postings::BucketsFor(options.reserve_items * (kTitlePrefixWords + 1)))) {
  docs_.reserve(options.reserve_items);
  times_.reserve(options.reserve_items);
}

void CandidateIndex::Add(const DocView& doc, const BandKeys& keys, bool committed) {
  if (!expired_.empty()) RemoveExpired(kRemovalsPerAdd);
  if (!to_chill_.empty()) Chill(kChillsPerAdd);
  uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<uint32_t>(docs_.size());
    docs_.emplace_back();
    times_.emplace_back();
  }
  if (!doc.shingles.empty()) {
    for (uint64_t key : keys) bands_.Prefetch(key);
    for (uint64_t key : keys) bands_.Add(key, slot);
  }
  for (uint64_t s : doc.lead) leads_.Prefetch(s);
  for (uint64_t s : doc.lead) leads_.Add(s, slot);
  for (uint64_t s : doc.titles) titles_.Add(s, slot);
  buckets_[TimeBucket(doc.time, options_.bucket_seconds)].push_back(slot);
  times_[slot] = doc.time;
  docs_[slot] = IndexedDoc(doc, options_.keep_band_fragments ? &keys : nullptr);
  ++live_count_;
  ++added_;
  if (chilling_ && !committed) {
    docs_[slot].uncommitted_ = 1;
    uncommitted_.emplace_back(added_, slot);
  }
}

void CandidateIndex::MarkCommitted(uint64_t added) {
  size_t n = 0;
  while (n < uncommitted_.size() && uncommitted_[n].first <= added) {
    docs_[uncommitted_[n].second].uncommitted_ = 0;
    ++n;
  }
  uncommitted_.erase(uncommitted_.begin(), uncommitted_.begin() + static_cast<ptrdiff_t>(n));
}

void CandidateIndex::ChillBefore(int64_t bucket) {
  if (!chilling_) return;
  for (auto it = buckets_.lower_bound(chilled_below_); it != buckets_.end() && it->first < bucket;
       ++it) {
    to_chill_.insert(to_chill_.end(), it->second.begin(), it->second.end());
  }
  chilled_below_ = std::max(chilled_below_, bucket);
}

void CandidateIndex::Chill(size_t limit) {
  for (; limit > 0 && !to_chill_.empty(); --limit) {
    ChillSlot(to_chill_.back());
    to_chill_.pop_back();
  }
  if (to_chill_.empty()) to_chill_.shrink_to_fit();
}

void CandidateIndex::ChillSlot(uint32_t slot) {
  const IndexedDoc& doc = docs_[slot];
  // Expired (its slot maybe taken again, by an item that is not due), chilled already, or its
  // record maybe not readable yet.
  if (times_[slot] == kExpired || doc.cold() || doc.uncommitted() ||
      TimeBucket(times_[slot], options_.bucket_seconds) >= chilled_below_ ||
      doc.chilled_heap_bytes() >= doc.heap_bytes()) {
    return;
  }
  thread_local std::vector<Shingle> decoded;
  const std::span<const Shingle> shingles = doc.shingles(&decoded);
  std::array<uint32_t, kBands> signed_fragments;
  std::span<const uint32_t> fragments = doc.band_fragments();
  if (fragments.empty() && !shingles.empty()) {  // Sign it again to find its bands.
    std::ranges::transform(AllBandKeys(MinHashSignature(shingles)), signed_fragments.begin(),
                           &Postings::Fragment);
    fragments = signed_fragments;
  }
  const LeadShingles lead = doc.lead(shingles);
  docs_[slot] = doc.Chilled(fragments, lead.get());
}

bool CandidateIndex::InWindow(uint32_t slot, UnixSeconds time) const {
  const UnixSeconds t = times_[slot];
  if (t == kExpired) return false;
  return (t > time ? t - time : time - t) <= options_.window_seconds;
}

void CandidateIndex::Candidates(const Fingerprint& fp, std::vector<Candidate>* out,
                                std::vector<uint32_t>* same_title) const {
  out->clear();
  if (!fp.shingles.empty()) WordCandidates(fp, out);
  if (!fp.titles.empty()) TitleCandidates(fp, out, same_title);
}

void CandidateIndex::WordCandidates(const Fingerprint& fp, std::vector<Candidate>* out) const {
  thread_local std::vector<uint32_t> lsh, lead;
  lsh.clear();
  lead.clear();
  for (uint64_t key : fp.band_keys) bands_.Prefetch(key);
  // Expired items pending removal neither count towards the posting limits nor come out.
  const bool pending = !expired_.empty();
  auto collect = [&](std::vector<uint32_t>& into) {
    return [&into, pending, this](uint32_t slot) {
      if (pending && times_[slot] == kExpired) return false;
      into.push_back(slot);
      return true;
    };
  };
  for (uint64_t key : fp.band_keys) bands_.ForEach(key, kMaxBandPostings, collect(lsh));
  // Check the window once per distinct item, not once per shared band.
  std::sort(lsh.begin(), lsh.end());
  lsh.erase(std::unique(lsh.begin(), lsh.end()), lsh.end());
  std::erase_if(lsh, [&](uint32_t slot) { return !InWindow(slot, fp.time); });
  for (uint32_t slot : lsh) out->push_back(Candidate{slot, Path::kLsh});

  const size_t n = std::min(fp.lead.size(), options_.lead_shingles);
  for (size_t i = 0; i < n; ++i) leads_.Prefetch(fp.lead[i]);
  for (size_t i = 0; i < n; ++i) {
    leads_.ForEach(fp.lead[i], kMaxLeadPostings, collect(lead));
  }
  std::sort(lead.begin(), lead.end());
  const size_t needed = std::max<size_t>(1, std::min(options_.lead_min_shared, n));
  for (size_t i = 0; i < lead.size();) {
    size_t j = i;
    while (j < lead.size() && lead[j] == lead[i]) ++j;
    if (j - i >= needed && InWindow(lead[i], fp.time) &&
        !std::binary_search(lsh.begin(), lsh.end(), lead[i])) {
      out->push_back(Candidate{lead[i], Path::kLead});
    }
    i = j;
  }
}

void CandidateIndex::TitleCandidates(const Fingerprint& fp, std::vector<Candidate>* out,
                                     std::vector<uint32_t>* same_title) const {
  // Only a pair with a side too short to compare by words is decided by its titles.
  const bool fp_short = fp.shingles.size() < options_.min_containment_shingles || fp.title_only;
  for (Shingle key : fp.titles) {
    titles_.ForEach(key, kMaxTitlePostings, [&](uint32_t slot) {
      if (!InWindow(slot, fp.time)) return false;
      if (!fp_short && docs_[slot].shingle_count() >= options_.min_containment_shingles &&
          !docs_[slot].title_only()) {
        if (same_title != nullptr) same_title->push_back(slot);
        return false;
      }
      const bool seen = std::any_of(out->begin(), out->end(),
                                    [slot](const Candidate& c) { return c.slot == slot; });
      if (!seen) out->push_back(Candidate{slot, Path::kTitle});
      return true;
    });
  }
}

void CandidateIndex::Remove(uint32_t slot) {
  const IndexedDoc& doc = docs_[slot];
  if (doc.uncommitted()) {
    std::erase_if(uncommitted_, [slot](const auto& entry) { return entry.second == slot; });
  }
  thread_local std::vector<Shingle> decoded;
  const std::span<const Shingle> shingles = doc.shingles(&decoded);
  if (!doc.band_fragments().empty()) {
    bands_.RemoveFragments(doc.band_fragments(), slot);
  } else if (!shingles.empty()) {  // Sign it again to find its bands.
    std::array<uint32_t, kBands> fragments;
    std::ranges::transform(AllBandKeys(MinHashSignature(shingles)), fragments.begin(),
                           &Postings::Fragment);
    bands_.RemoveFragments(fragments, slot);
  }
  RemoveKeys(leads_, doc.lead(shingles).get(), slot);
  RemoveKeys(titles_, doc.titles(), slot);
  docs_[slot] = IndexedDoc();
  free_.push_back(slot);
}

size_t CandidateIndex::ItemBytes() const {
  size_t bytes =
      docs_.capacity() * sizeof(IndexedDoc) + times_.capacity() * sizeof(UnixSeconds) +
      (free_.capacity() + expired_.capacity() + to_chill_.capacity()) * sizeof(uint32_t) +
      uncommitted_.capacity() * sizeof(uncommitted_[0]);
  for (const IndexedDoc& doc : docs_) bytes += doc.heap_bytes();
  for (const auto& [bucket, slots] : buckets_) bytes += slots.capacity() * sizeof(uint32_t);
  return bytes;
}

std::optional<uint32_t> CandidateIndex::FindItem(std::string_view item) const {
  for (uint32_t slot = 0; slot < docs_.size(); ++slot) {
    if (times_[slot] != kExpired && docs_[slot].item() == item) return slot;
  }
  return std::nullopt;
}

size_t CandidateIndex::ExpireBefore(int64_t bucket) {
  size_t expired = 0;
  while (!buckets_.empty() && buckets_.begin()->first < bucket) {
    for (uint32_t slot : buckets_.begin()->second) {
      times_[slot] = kExpired;
      expired_.push_back(slot);
      ++expired;
    }
    buckets_.erase(buckets_.begin());
  }
  live_count_ -= expired;
  return expired;
}

size_t CandidateIndex::RemoveExpired(size_t limit) {
  for (; limit > 0 && !expired_.empty(); --limit) {
    Remove(expired_.back());
    expired_.pop_back();
  }
  if (expired_.empty()) expired_.shrink_to_fit();
  return expired_.size();
}

}  // namespace newsd::dedup
