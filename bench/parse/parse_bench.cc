// Feed parser throughput over the bench-feeds corpus (../shared/corpus/bench-feeds/generate.py):
// every file is read into memory once, then parsed on one thread with all the work the daemon
// does per document — charset detection, transcoding, XML preparation, namespaces, dates, URL
// resolution — plus the plain text of each entry's body (parse::HtmlToText). The parsed item
// total must equal SUMMARY.json's "items"; the run fails (exit 1) when it does not.
//
// The same items as JSON Feed documents (each file parsed, then written out by JsonFeedTwin) are
// parsed too, for the JSON Feed reader's figure beside the XML one; --write_json=DIR writes them
// (DIR/<file>.json) for a baseline in another language.
//
// Usage: newsd_parse_bench --feeds=DIR [--write_json=DIR] [--benchmark_...]
//        (or NEWSD_BENCH_FEEDS=DIR)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bench/parse/json_twin.h"
#include "parse/parser.h"
#include "parse/text.h"

namespace {

namespace parse = newsd::parse;

struct FeedFile {
  std::string name;
  std::string bytes;
  size_t expected_items = 0;
};

struct Corpus {
  std::vector<FeedFile> files;
  size_t bytes = 0;
  size_t expected_items = 0;  // SUMMARY.json "items"
};

Corpus& TheCorpus() {
  static Corpus corpus;
  return corpus;
}

// The JSON Feed twins of TheCorpus()'s files, in the same order.
Corpus& TheJsonCorpus() {
  static Corpus corpus;
  return corpus;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = std::move(s).str();
  return true;
}

// Loads DIR/index.jsonl (file names and per-file item counts), every listed file, and
// DIR/SUMMARY.json. Returns an error message, or "" on success.
std::string LoadCorpus(const std::string& dir, Corpus* corpus) {
  std::string summary_text;
  if (!ReadFile(dir + "/SUMMARY.json", &summary_text))
    return "cannot read " + dir + "/SUMMARY.json";
  auto summary = nlohmann::json::parse(summary_text, nullptr, false);
  if (summary.is_discarded() || !summary.contains("items")) return "bad SUMMARY.json";
  corpus->expected_items = summary["items"].get<size_t>();
  std::ifstream index(dir + "/index.jsonl");
  if (!index) return "cannot read " + dir + "/index.jsonl";
  std::string line;
  while (std::getline(index, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("file")) return "bad index.jsonl line: " + line;
    FeedFile f;
    f.name = j["file"].get<std::string>();
    f.expected_items = j.value("items", size_t{0});
    if (!ReadFile(dir + "/" + f.name, &f.bytes)) return "cannot read " + dir + "/" + f.name;
    corpus->bytes += f.bytes.size();
    corpus->files.push_back(std::move(f));
  }
  if (corpus->files.empty()) return "empty corpus in " + dir;
  return "";
}

// The body the daemon derives an article's text from: the longest of summary and contents.
const std::string* Body(const parse::Entry& e) {
  const std::string* best = e.summary ? &*e.summary : nullptr;
  for (const parse::Content& c : e.content) {
    if (!best || c.value.size() > best->size()) best = &c.value;
  }
  return best;
}

// Parses one document the way the daemon does; returns its entry count, or -1 on failure.
long ParseOne(const FeedFile& f, bool derive_text, size_t* text_bytes) {
  parse::Input input;
  input.body = f.bytes;
  input.base_url = "https://feeds.example/" + f.name;
  auto feed = parse::Parse(input, parse::Options{});
  if (!feed) return -1;
  if (derive_text) {
    for (const parse::Entry& e : feed->entries) {
      if (const std::string* body = Body(e)) {
        std::string text = parse::HtmlToText(*body);
        *text_bytes += text.size();
        benchmark::DoNotOptimize(text.data());
      }
    }
  }
  benchmark::DoNotOptimize(feed->entries.data());
  return static_cast<long>(feed->entries.size());
}

// One pass over the corpus; returns the item total (failed documents count as none).
size_t ParseCorpus(const Corpus& corpus, bool derive_text, size_t* text_bytes) {
  size_t items = 0;
  for (const FeedFile& f : corpus.files) {
    long n = ParseOne(f, derive_text, text_bytes);
    if (n > 0) items += static_cast<size_t>(n);
  }
  return items;
}

// The correctness check: the item total of the corpus must match SUMMARY.json, and each file's
// count its index.jsonl line. Prints every mismatch; returns whether all matched.
bool CheckItems(const Corpus& corpus) {
  size_t total = 0, text_bytes = 0;
  int bad_files = 0;
  for (const FeedFile& f : corpus.files) {
    long n = ParseOne(f, true, &text_bytes);
    if (n < 0 || static_cast<size_t>(n) != f.expected_items) {
      if (++bad_files <= 20) {
        std::fprintf(stderr, "MISMATCH %s: parsed %ld items, index.jsonl says %zu\n",
                     f.name.c_str(), n, f.expected_items);
      }
    }
    if (n > 0) total += static_cast<size_t>(n);
  }
  bool ok = total == corpus.expected_items && bad_files == 0;
  std::fprintf(stderr,
               "items check: parsed %zu items in %zu files (%zu bytes, %zu bytes of text); "
               "SUMMARY.json items %zu: %s\n",
               total, corpus.files.size(), corpus.bytes, text_bytes, corpus.expected_items,
               ok ? "OK" : "MISMATCH");
  return ok;
}

// The JSON Feed twin of each file of `xml`, with its item count; written to `out_dir` too
// when it is not empty. Returns an error message, or "" on success.
std::string MakeJsonTwins(const Corpus& xml, const std::string& out_dir, Corpus* twins) {
  for (const FeedFile& f : xml.files) {
    parse::Input input;
    input.body = f.bytes;
    input.base_url = "https://feeds.example/" + f.name;
    auto feed = parse::Parse(input, parse::Options{});
    FeedFile twin;
    twin.name = f.name + ".json";
    if (feed) {
      twin.bytes = newsd::bench::JsonFeedTwin(*feed);
      twin.expected_items = feed->entries.size();
    } else {
      twin.bytes = "{}";  // a document the XML reader refuses has no twin: none either
    }
    if (!out_dir.empty()) {
      std::ofstream out(out_dir + "/" + twin.name, std::ios::binary);
      if (!(out << twin.bytes)) return "cannot write " + out_dir + "/" + twin.name;
    }
    twins->bytes += twin.bytes.size();
    twins->expected_items += twin.expected_items;
    twins->files.push_back(std::move(twin));
  }
  return "";
}

void Run(benchmark::State& state, bool derive_text, const Corpus& corpus = TheCorpus()) {
  size_t items = 0, text_bytes = 0;
  for (auto _ : state) {
    items = ParseCorpus(corpus, derive_text, &text_bytes);
    if (items != corpus.expected_items) {
      state.SkipWithError("parsed item total differs from SUMMARY.json items");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * items));
  state.counters["files"] = static_cast<double>(corpus.files.size());
}

// The goal figure: everything the daemon does with a fetched document.
void BM_ParseCorpusWithText(benchmark::State& state) { Run(state, true); }
BENCHMARK(BM_ParseCorpusWithText)->Unit(benchmark::kMillisecond)->UseRealTime();

// parse::Parse alone, to tell the parser's share from HtmlToText's.
void BM_ParseCorpusOnly(benchmark::State& state) { Run(state, false); }
BENCHMARK(BM_ParseCorpusOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same items as JSON Feed documents, with the text derived as above.
void BM_ParseJsonFeedCorpusWithText(benchmark::State& state) { Run(state, true, TheJsonCorpus()); }
BENCHMARK(BM_ParseJsonFeedCorpusWithText)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  std::string dir, json_dir;
  if (const char* env = std::getenv("NEWSD_BENCH_FEEDS")) dir = env;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--feeds=", 8) == 0) {
      dir = argv[i] + 8;
    } else if (std::strncmp(argv[i], "--write_json=", 13) == 0) {
      json_dir = argv[i] + 13;
    } else {
      args.push_back(argv[i]);
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: %s --feeds=DIR [--benchmark_...]  (or NEWSD_BENCH_FEEDS=DIR)\n",
                 argv[0]);
    return 2;
  }
  if (std::string err = LoadCorpus(dir, &TheCorpus()); !err.empty()) {
    std::fprintf(stderr, "newsd_parse_bench: %s\n", err.c_str());
    return 1;
  }
  if (!CheckItems(TheCorpus())) {
    std::fprintf(stderr, "newsd_parse_bench: FAILED: item counts differ from the corpus index\n");
    return 1;
  }
  if (std::string err = MakeJsonTwins(TheCorpus(), json_dir, &TheJsonCorpus()); !err.empty()) {
    std::fprintf(stderr, "newsd_parse_bench: %s\n", err.c_str());
    return 1;
  }
  std::fprintf(stderr, "JSON Feed twins: %zu bytes\n", TheJsonCorpus().bytes);
  if (!CheckItems(TheJsonCorpus())) {
    std::fprintf(stderr, "newsd_parse_bench: FAILED: the JSON Feed twins read other items\n");
    return 1;
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
