// Deterministic trace of the dedup engine over the dev corpus, for before/after comparisons of
// a kernel change (the output must not change): one line per item in file order — id, copy
// flag, story, matched item, candidates verified, resemblance, containment, path — then a
// line with the number of copies and a digest of every record Insert returned. With
// `--passes N` the corpus is ingested N times, each pass 400 days after the previous one with
// the previous pass expired first (exercises Expire); only the first pass is printed.
//
// Usage: newsd_dedup_trace [--passes N] [--quiet]   (NEWSD_SHARED overrides the corpus folder)
// Small enough for callgrind: `valgrind --tool=callgrind newsd_dedup_trace --quiet`.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/dedup/dev_corpus.h"
#include "core/time.h"
#include "dedup/engine.h"

namespace {

using newsd::bench::CorpusDoc;

uint64_t Digest(const std::vector<newsd::dedup::Record>& records, uint64_t digest) {
  for (const auto& r : records) {
    digest = XXH3_64bits_withSeed(r.family.data(), r.family.size(), digest);
    digest = XXH3_64bits_withSeed(r.key.data(), r.key.size(), digest);
    digest = XXH3_64bits_withSeed(r.value.data(), r.value.size(), digest + r.erase);
  }
  return digest;
}

void PrintMatch(const CorpusDoc& d, const newsd::dedup::Match& m) {
  std::printf("%s %d %s %s %zu %.6f %.6f %d\n", d.id.c_str(), m.is_copy ? 1 : 0,
              std::string(m.story).c_str(), std::string(m.matched_item).c_str(), m.candidates,
              m.resemblance, m.containment, static_cast<int>(m.path));
}

}  // namespace

int main(int argc, char** argv) {
  int passes = 1;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--passes") == 0 && i + 1 < argc) passes = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--quiet") == 0) quiet = true;
  }
  const std::vector<CorpusDoc> docs = newsd::bench::LoadDevCorpus();
  if (docs.empty()) {
    std::fprintf(stderr, "corpus/dedup/corpus.jsonl not found\n");
    return 1;
  }
  constexpr newsd::UnixSeconds kPassSeconds = newsd::UnixSeconds{400} * 86400;
  newsd::dedup::Engine engine{newsd::dedup::Options{}};
  uint64_t digest = 0;
  size_t copies = 0;
  for (int pass = 0; pass < passes; ++pass) {
    const newsd::UnixSeconds offset = pass * kPassSeconds;
    if (pass > 0) engine.Expire(docs.front().time + offset);
    for (const CorpusDoc& d : docs) {
      const auto fp = engine.MakeFingerprint({d.source, d.title, d.text, d.time + offset});
      const auto match = engine.FindMatch(fp);
      copies += match.is_copy;
      if (pass == 0 && !quiet) PrintMatch(d, match);
      digest =
          Digest(engine.Insert(d.id, match.is_copy ? match.story : d.id, d.source, fp), digest);
    }
  }
  std::printf("copies %zu digest %016llx\n", copies, static_cast<unsigned long long>(digest));
  return 0;
}
