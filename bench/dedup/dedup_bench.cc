// Throughput of the dedup engine on the dev corpus: normalisation, fingerprinting, and the
// whole serial path (fingerprint + match + insert) that the daemon runs per item.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/dedup/dev_corpus.h"
#include "core/time.h"
#include "dedup/engine.h"
#include "dedup/minhash.h"
#include "dedup/normalize.h"

namespace {

using newsd::bench::CorpusDoc;

const std::vector<CorpusDoc>& Corpus() {
  static const std::vector<CorpusDoc> docs = newsd::bench::LoadDevCorpus();
  return docs;
}

size_t CorpusBytes() {
  size_t bytes = 0;
  for (const CorpusDoc& d : Corpus()) bytes += d.text.size();
  return bytes;
}

void BM_Tokenize(benchmark::State& state) {
  const auto& docs = Corpus();
  if (docs.empty()) return state.SkipWithError("corpus/dedup/corpus.jsonl not found");
  newsd::dedup::TokenizedText tokens;
  for (auto _ : state) {
    for (const CorpusDoc& d : docs) {
      newsd::dedup::Tokenize(d.text, &tokens);
      benchmark::DoNotOptimize(tokens.tokens.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * docs.size());
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

void BM_MakeFingerprint(benchmark::State& state) {
  const auto& docs = Corpus();
  if (docs.empty()) return state.SkipWithError("corpus/dedup/corpus.jsonl not found");
  newsd::dedup::Engine engine{newsd::dedup::Options{}};
  for (auto _ : state) {
    for (const CorpusDoc& d : docs) {
      benchmark::DoNotOptimize(engine.MakeFingerprint({d.source, d.title, d.text, d.time}));
    }
  }
  state.SetItemsProcessed(state.iterations() * docs.size());
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_MakeFingerprint)->Unit(benchmark::kMillisecond);

// The MinHash signature (with densification) and band keys of each item's shingle set,
// computed beforehand: the part of MakeFingerprint that the set sizes, not the text, drive.
void BM_MinHashSignature(benchmark::State& state) {
  const auto& docs = Corpus();
  if (docs.empty()) return state.SkipWithError("corpus/dedup/corpus.jsonl not found");
  newsd::dedup::Engine engine{newsd::dedup::Options{}};
  std::vector<std::vector<newsd::dedup::Shingle>> sets;
  sets.reserve(docs.size());
  for (const CorpusDoc& d : docs) {
    sets.push_back(engine.MakeFingerprint({d.source, d.title, d.text, d.time}).shingles);
  }
  for (auto _ : state) {
    for (const auto& set : sets) {
      benchmark::DoNotOptimize(newsd::dedup::AllBandKeys(newsd::dedup::MinHashSignature(set)));
    }
  }
  state.SetItemsProcessed(state.iterations() * sets.size());
}
BENCHMARK(BM_MinHashSignature)->Unit(benchmark::kMillisecond);

// One pass of the daemon's serial ingest path over the corpus, item times moved by `offset`;
// returns the number of copies found.
size_t IngestPass(newsd::dedup::Engine& engine, newsd::UnixSeconds offset) {
  size_t copies = 0;
  for (const CorpusDoc& d : Corpus()) {
    auto fp = engine.MakeFingerprint({d.source, d.title, d.text, d.time + offset});
    auto match = engine.FindMatch(fp);
    copies += match.is_copy;
    benchmark::DoNotOptimize(engine.Insert(d.id, match.is_copy ? match.story : d.id, d.source, fp));
  }
  return copies;
}

void ReportPasses(benchmark::State& state, size_t copies) {
  state.counters["copies"] = static_cast<double>(copies);
  state.SetItemsProcessed(state.iterations() * Corpus().size());
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}

// The serial ingest path over the whole corpus, from an empty engine each iteration. With
// argument 1 the index is sized for the corpus up front (Options::reserve_items), as a daemon
// with a full window would be; with 0 it grows while filling.
void BM_FingerprintMatchInsert(benchmark::State& state) {
  const auto& docs = Corpus();
  if (docs.empty()) return state.SkipWithError("corpus/dedup/corpus.jsonl not found");
  newsd::dedup::Options options;
  options.reserve_items = state.range(0) ? docs.size() : 0;
  size_t copies = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto engine_ptr = std::make_unique<newsd::dedup::Engine>(options);
    newsd::dedup::Engine& engine = *engine_ptr;
    state.ResumeTiming();
    copies = IngestPass(engine, 0);
  }
  ReportPasses(state, copies);
}
BENCHMARK(BM_FingerprintMatchInsert)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The same path on a warm engine, as in a daemon that has been running: one engine for all
// iterations, each pass starting 30 days of item time after the previous one ended, whose
// items and counters it expires and removes on the way (timed). Tables and heap are already
// faulted in and sized.
void BM_FingerprintMatchInsertWarm(benchmark::State& state) {
  const auto& docs = Corpus();
  if (docs.empty()) return state.SkipWithError("corpus/dedup/corpus.jsonl not found");
  newsd::dedup::Options options;
  options.reserve_items = docs.size();
  options.keep_band_fragments = state.range(0) != 0;
  newsd::dedup::Engine engine(options);
  newsd::UnixSeconds earliest = docs.front().time, latest = docs.front().time;
  for (const CorpusDoc& d : docs) {
    earliest = std::min(earliest, d.time);
    latest = std::max(latest, d.time);
  }
  constexpr newsd::UnixSeconds kPassSeconds = newsd::UnixSeconds{30} * 86400;
  newsd::UnixSeconds offset = 0;
  size_t copies = 0;
  for (auto _ : state) {
    // Everything of the previous pass expires, timed: as in a running daemon, the expired items
    // leave the index a few per insert. With argument 0 (the daemon's options) each removal
    // signs its item again; with 1 (newsd import's) it unlinks the band fragments it kept.
    engine.Expire(latest + offset + 1);
    offset += kPassSeconds + (latest - earliest);
    copies = IngestPass(engine, offset);
  }
  ReportPasses(state, copies);
}
BENCHMARK(BM_FingerprintMatchInsertWarm)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
