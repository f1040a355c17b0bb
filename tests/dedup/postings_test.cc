#include "dedup/postings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "dedup/index.h"
#include "dedup/options.h"

namespace newsd::dedup {
namespace {

std::vector<uint32_t> Slots(const Postings& p, uint64_t key, size_t limit = 1000) {
  std::vector<uint32_t> out;
  p.ForEach(key, limit, [&](uint32_t slot) { out.push_back(slot); });
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PostingsTest, AddFindRemove) {
  Postings p(16);
  p.Add(7, 1);
  p.Add(7, 2);
  p.Add(9, 3);
  EXPECT_EQ(Slots(p, 7), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(Slots(p, 9), (std::vector<uint32_t>{3}));
  EXPECT_TRUE(Slots(p, 8).empty());
  p.Remove(7, 1);
  EXPECT_EQ(Slots(p, 7), (std::vector<uint32_t>{2}));
  p.Remove(7, 2);
  EXPECT_TRUE(Slots(p, 7).empty());
  EXPECT_EQ(p.keys(), 1u);
  p.Remove(42, 1);  // Absent: no effect.
  EXPECT_EQ(Slots(p, 9), (std::vector<uint32_t>{3}));
}

TEST(PostingsTest, AKeysFragmentIsEnoughToRemoveItsPostings) {
  Postings p(16);
  const uint64_t key = 0x0123456789ABCDEFULL;
  for (uint32_t s = 0; s < 3; ++s) p.Add(key, s);
  for (uint64_t k = 0; k < 100; ++k) p.Add(k * 0x9E3779B97F4A7C15ULL, 7);  // grows the table
  p.RemoveFragment(Postings::Fragment(key), 1);
  EXPECT_EQ(Slots(p, key), (std::vector<uint32_t>{0, 2}));
  p.RemoveFragment(Postings::Fragment(key), 0);
  p.RemoveFragment(Postings::Fragment(key), 2);
  EXPECT_TRUE(Slots(p, key).empty());
  EXPECT_EQ(p.keys(), 100u);
  EXPECT_EQ(p.postings(), 100u);
}

TEST(PostingsTest, GrowsAndSurvivesChurn) {
  Postings p(16);
  for (uint32_t round = 0; round < 5; ++round) {
    for (uint64_t k = 0; k < 5000; ++k) p.Add(k * 0x10001 + round, static_cast<uint32_t>(k));
    for (uint64_t k = 0; k < 5000; k += 2) p.Remove(k * 0x10001 + round, static_cast<uint32_t>(k));
  }
  EXPECT_EQ(p.keys(), 5u * 2500u);
  EXPECT_EQ(Slots(p, 1 * 0x10001 + 3), (std::vector<uint32_t>{1}));
  EXPECT_TRUE(Slots(p, 2 * 0x10001 + 3).empty());
}

TEST(PostingsTest, ARemovedKeyCanComeBack) {
  Postings p(16);
  for (uint64_t k = 0; k < 8; ++k) p.Add(k, static_cast<uint32_t>(k));
  p.Remove(3, 3);
  EXPECT_TRUE(Slots(p, 3).empty());
  EXPECT_EQ(Slots(p, 4), (std::vector<uint32_t>{4}));  // Still found after the erase.
  p.Add(3, 30);
  EXPECT_EQ(Slots(p, 3), (std::vector<uint32_t>{30}));
  EXPECT_EQ(p.keys(), 8u);
}

// Random adds and removals (single and batched) against a reference multimap, in a table kept
// small and crowded so that erases shift probe runs back, across the table's end too.
TEST(PostingsTest, MatchesAReferenceMultimapUnderChurn) {
  Postings p(16);
  std::map<uint64_t, std::multiset<uint32_t>> ref;
  std::mt19937_64 rng(7);
  std::vector<std::pair<uint64_t, uint32_t>> held;
  for (int step = 0; step < 20000; ++step) {
    const int op = static_cast<int>(rng() % 10);
    if (op < 5 || held.empty()) {
      const uint64_t key = rng() % 300;  // few keys: long chains and shared probe runs
      const uint32_t slot = static_cast<uint32_t>(rng() % 50);
      if (ref[key].count(slot) != 0) continue;  // an item files a key once
      p.Add(key, slot);
      ref[key].insert(slot);
      held.emplace_back(key, slot);
    } else if (op < 8) {
      const size_t at = rng() % held.size();
      const auto [key, slot] = held[at];
      p.Remove(key, slot);
      ref[key].erase(slot);
      held.erase(held.begin() + static_cast<std::ptrdiff_t>(at));
    } else {  // one slot's postings at once, as an expired item's
      const uint32_t slot = static_cast<uint32_t>(rng() % 50);
      std::vector<uint32_t> fragments;
      for (auto it = held.begin(); it != held.end();) {
        if (it->second != slot) {
          ++it;
          continue;
        }
        fragments.push_back(Postings::Fragment(it->first));
        ref[it->first].erase(slot);
        it = held.erase(it);
      }
      p.RemoveFragments(fragments, slot);
    }
  }
  size_t keys = 0;
  for (const auto& [key, slots] : ref) {
    keys += !slots.empty();
    EXPECT_EQ(Slots(p, key), std::vector<uint32_t>(slots.begin(), slots.end())) << key;
  }
  EXPECT_EQ(p.keys(), keys);
  EXPECT_EQ(p.postings(), held.size());
}

// A table kept just under its 7/8 limit (long Robin Hood runs, no growth) through churn: every
// key stays findable and absent keys stay absent.
TEST(PostingsTest, StaysExactWhenNearlyFull) {
  Postings p(1024);
  std::mt19937_64 rng(11);
  std::set<uint64_t> live;
  while (live.size() < 890) {
    const uint64_t key = rng();
    if (live.insert(key).second) p.Add(key, static_cast<uint32_t>(key % 1000));
  }
  const size_t bytes = p.bytes();
  for (int step = 0; step < 5000; ++step) {
    auto it = live.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(rng() % live.size()));
    p.Remove(*it, static_cast<uint32_t>(*it % 1000));
    live.erase(it);
    uint64_t key;
    do key = rng();
    while (!live.insert(key).second);
    p.Add(key, static_cast<uint32_t>(key % 1000));
    if (step % 500 == 0) {
      for (uint64_t k : live) ASSERT_EQ(Slots(p, k), std::vector<uint32_t>{uint32_t(k % 1000)});
      for (int i = 0; i < 200; ++i) ASSERT_TRUE(Slots(p, rng()).empty());
    }
  }
  EXPECT_EQ(p.keys(), live.size());
  EXPECT_EQ(p.bytes(), bytes);  // never grew
}

TEST(PostingsTest, BatchedRemovalToleratesARepeatedFragment) {
  Postings p(16);
  for (uint64_t k = 0; k < 40; ++k) p.Add(k, 1);
  p.Add(5, 2);
  std::vector<uint32_t> fragments;
  for (uint64_t k = 0; k < 40; ++k) fragments.push_back(Postings::Fragment(k));
  fragments.push_back(Postings::Fragment(7));
  p.RemoveFragments(fragments, 1);
  EXPECT_EQ(p.keys(), 1u);
  EXPECT_EQ(Slots(p, 5), (std::vector<uint32_t>{2}));
}

TEST(PostingsTest, LimitsVisitedPostingsMostRecentFirst) {
  Postings p;
  for (uint32_t s = 0; s < 10; ++s) p.Add(5, s);
  std::vector<uint32_t> seen;
  EXPECT_EQ(p.ForEach(5, 3, [&](uint32_t s) { seen.push_back(s); }), 3u);
  EXPECT_EQ(seen, (std::vector<uint32_t>{9, 8, 7}));
}

TEST(PostingsTest, SkippedPostingsDoNotCountTowardsTheLimit) {
  Postings p;
  for (uint32_t s = 0; s < 10; ++s) p.Add(5, s);
  std::vector<uint32_t> seen;
  const auto odd_only = [&](uint32_t s) {
    if (s % 2 == 0) return false;
    seen.push_back(s);
    return true;
  };
  EXPECT_EQ(p.ForEach(5, 3, odd_only), 3u);
  EXPECT_EQ(seen, (std::vector<uint32_t>{9, 7, 5}));
}

// The shingles are held Elias–Fano coded: any sorted set comes back exactly, whatever its size
// and wherever its values lie (the ends of the range, runs, wide gaps), and less the larger
// the set, down to about 27 bits a shingle for a news text.
TEST(IndexedDocTest, GivesItsShinglesBackExactly) {
  std::mt19937 rng(7);
  std::vector<std::vector<Shingle>> sets = {
      {}, {0}, {0xFFFFFFFFu}, {0, 0xFFFFFFFFu}, {0, 1, 2, 3}, {0xFFFFFFFEu, 0xFFFFFFFFu}};
  for (const size_t n : {2, 3, 31, 32, 33, 125, 1000, 70000}) {
    std::vector<Shingle> random(n);
    for (Shingle& s : random) s = static_cast<Shingle>(rng());
    std::sort(random.begin(), random.end());
    random.erase(std::unique(random.begin(), random.end()), random.end());
    sets.push_back(random);
    std::vector<Shingle> run(n);  // consecutive values near the top
    for (size_t i = 0; i < n; ++i) run[i] = static_cast<Shingle>(0xFFFFFFFFu - n + 1 + i);
    sets.push_back(run);
  }
  for (const std::vector<Shingle>& shingles : sets) {
    DocView view;
    view.item = "item";
    view.story = "story";
    view.shingles = shingles;
    const IndexedDoc doc(view, nullptr);
    std::vector<Shingle> decoded = {42};  // what the buffer held before goes
    EXPECT_EQ(doc.shingle_count(), shingles.size());
    EXPECT_TRUE(std::ranges::equal(doc.shingles(&decoded), shingles)) << shingles.size();
    EXPECT_EQ(doc.item(), "item");
    EXPECT_EQ(doc.story(), "story");
    if (shingles.size() >= 125) {
      EXPECT_LE(doc.heap_bytes(), shingles.size() * 28 / 8 + 64) << shingles.size();
    }
  }
}

// The lead is held as one- or two-byte indices into the shingles, or as values when it cannot
// be (a shingle not among them, or more shingles than two bytes count): every way, lead()
// gives it back in order, and the parts after it are intact.
TEST(IndexedDocTest, GivesItsLeadBackHoweverItIsHeld) {
  const std::vector<Shingle> numbers = {5, 6}, titles = {7}, figures = {8, 9, 10}, names = {11};
  for (const size_t n : {size_t{3}, size_t{256}, size_t{257}, size_t{65536}, size_t{65537}}) {
    std::vector<Shingle> shingles(n);  // Sorted and distinct, as a fingerprint's.
    for (size_t i = 0; i < n; ++i) shingles[i] = static_cast<Shingle>(3 * i + 1);
    std::vector<Shingle> lead;  // Out of order, as in the text; the last shingle included.
    for (size_t i = 0; i < std::min<size_t>(shingles.size(), 16); ++i) {
      lead.push_back(shingles[(i * 7919 + shingles.size() - 1) % shingles.size()]);
    }
    std::array<size_t, 2> bytes{};
    for (const bool foreign : {false, true}) {
      std::vector<Shingle> view_lead = lead;
      if (foreign) view_lead.back() = 2;  // Among no shingle.
      DocView view;
      view.item = "item";
      view.story = "story";
      view.shingles = shingles;
      view.lead = view_lead;
      view.numbers = numbers;
      view.titles = titles;
      view.figures = figures;
      view.names = names;
      const IndexedDoc doc(view, nullptr);
      std::vector<Shingle> decoded;
      const LeadShingles got = doc.lead(doc.shingles(&decoded));
      EXPECT_TRUE(std::ranges::equal(got.get(), view_lead)) << n << " " << foreign;
      EXPECT_TRUE(std::ranges::equal(decoded, shingles));
      EXPECT_TRUE(std::ranges::equal(doc.numbers(), numbers));
      EXPECT_TRUE(std::ranges::equal(doc.titles(), titles));
      EXPECT_TRUE(std::ranges::equal(doc.figures(), figures));
      EXPECT_TRUE(std::ranges::equal(doc.names(), names));
      EXPECT_EQ(doc.item(), "item");
      EXPECT_EQ(doc.story(), "story");
      bytes[foreign ? 1 : 0] = doc.heap_bytes();
    }
    // Bytes are saved where indices are held.
    if (n > 65536) {
      EXPECT_EQ(bytes[0], bytes[1]) << n;
    } else {
      EXPECT_LT(bytes[0], bytes[1]) << n;
    }
  }
}

// Options::keep_band_fragments (newsd import): an indexed item keeps its band keys' fragments,
// which is what its removal unlinks; otherwise (the daemon) it keeps none and is signed again.
TEST(IndexedDocTest, KeepsItsBandFragmentsOnlyWhenAsked) {
  const std::vector<Shingle> shingles = {11, 22, 33};
  BandKeys keys;
  for (size_t i = 0; i < kBands; ++i) keys[i] = (i + 1) * 0x0123456789ABCDEFULL;
  DocView view;
  view.item = "item-1";
  view.story = "story-1";
  view.shingles = shingles;
  const IndexedDoc kept(view, &keys);
  ASSERT_EQ(kept.band_fragments().size(), kBands);
  for (size_t i = 0; i < kBands; ++i)
    EXPECT_EQ(kept.band_fragments()[i], Postings::Fragment(keys[i]));
  EXPECT_EQ(kept.item(), "item-1");
  EXPECT_EQ(kept.story(), "story-1");
  EXPECT_EQ(kept.shingle_count(), 3u);
  const IndexedDoc plain(view, nullptr);
  EXPECT_TRUE(plain.band_fragments().empty());
  EXPECT_EQ(plain.item(), "item-1");
  EXPECT_EQ(plain.story(), "story-1");
  DocView no_words = view;  // a title-only item is filed under no band
  no_words.shingles = {};
  EXPECT_TRUE(IndexedDoc(no_words, &keys).band_fragments().empty());

  Options options;
  options.keep_band_fragments = true;
  CandidateIndex index(options);
  index.Add(view, keys);
  EXPECT_EQ(index.doc(0).band_fragments().size(), kBands);
  const Options defaults;  // CandidateIndex keeps a reference to its options
  CandidateIndex daemon_index(defaults);
  daemon_index.Add(view, keys);
  EXPECT_TRUE(daemon_index.doc(0).band_fragments().empty());
}

}  // namespace
}  // namespace newsd::dedup
