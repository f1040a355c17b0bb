// Heap used by the dedup engine's in-memory state (candidate index, stored shingle sets,
// learned-boilerplate counters) after ingesting N synthetic stories spread over D days, with
// window expiry driven by item times exactly as daemon/ingest.cc does it.
//
// Usage: newsd_index_memory [--stories N] [--days D] [--seed S] [--late-hours H] [--whole 1]
//        (defaults 1000000, 30, 1, and Options' late: the window, 72)
//
// As in the daemon, the engine reads cold items' sets back from their "dedup_docs" records
// (Engine::SetRecordReader): here from a file per time bucket in a temporary directory, which
// keeps nothing in RAM per record (a read scans its bucket's file; the in-order stories below
// never need one). `--whole 1` gives the engine no reader: every item stays whole in RAM.
//
// The generator: a Zipf-like vocabulary of 50,000 synthetic words; each story is 6 sentences
// of 12-30 words (about 150 tokens, the dev corpus's median size), with a 1-in-4 chance of a
// 3-digit number per sentence; 400 outlets, each with its own two-line footer (learned as
// boilerplate); stories arrive in time order, evenly spread over the period, every one new.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "dedup/engine.h"

namespace {

using newsd::UnixSeconds;

struct Args {
  size_t stories = 1000000;
  int days = 30;
  uint64_t seed = 1;
  int64_t late_hours = -1;  // Options' default
  bool whole = false;
};

Args ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--stories") == 0)
      args.stories = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--days") == 0) args.days = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--seed") == 0) args.seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--late-hours") == 0) args.late_hours = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--whole") == 0) args.whole = std::atoi(argv[i + 1]) != 0;
  }
  return args;
}

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {
    words_.reserve(kVocabulary);
    std::uniform_int_distribution<int> length(2, 10), letter(0, 25);
    for (size_t i = 0; i < kVocabulary; ++i) {
      std::string w;
      for (int n = length(rng_); n > 0; --n) w.push_back(static_cast<char>('a' + letter(rng_)));
      words_.push_back(w);
    }
  }

  std::string Source(size_t outlet) const { return "outlet" + std::to_string(outlet); }

  std::string Story(size_t outlet) {
    std::string text;
    std::uniform_int_distribution<int> sentence_words(12, 30), number(100, 999), quarter(0, 3);
    for (int s = 0; s < 6; ++s) {
      for (int n = sentence_words(rng_); n > 0; --n) {
        const size_t at = text.size();
        text += Word();
        // About one word in eight a name, as in news text (Fingerprint::names are indexed).
        if (n % 8 == 3) text[at] = static_cast<char>(text[at] - 'a' + 'A');
        text += ' ';
      }
      if (quarter(rng_) == 0) text += std::to_string(number(rng_)) + ' ';
      text += ".\n";
    }
    text += "Read more news from " + Source(outlet) + " every day on our website\n";
    text += "Copyright " + Source(outlet) + " all rights reserved reproduction prohibited\n";
    return text;
  }

  /// A headline of 6 to 12 words (title keys live in the index too).
  std::string Title() {
    std::string title;
    for (int n = std::uniform_int_distribution<int>(6, 12)(rng_); n > 0; --n) {
      title += Word();
      title += ' ';
    }
    return title;
  }

 private:
  static constexpr size_t kVocabulary = 50000;
  // Zipf-like: the square of a uniform variate favours the first words.
  const std::string& Word() {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    return words_[static_cast<size_t>(u * u * (kVocabulary - 1))];
  }
  std::mt19937_64 rng_;
  std::vector<std::string> words_;
};

// The "dedup_docs" records on disk, a file per time bucket (a key's first 8 bytes): what the
// archive holds for the engine, without an archive's memory in this process's heap. Puts are
// buffered until Commit; Drop deletes whole buckets, as the archive's range deletes.
class BucketFiles {
 public:
  BucketFiles() {
    char dir[] = "/tmp/newsd-index-memory-XXXXXX";
    if (::mkdtemp(dir) == nullptr) std::abort();
    dir_ = dir;
  }
  ~BucketFiles() { std::filesystem::remove_all(dir_); }

  void Put(const std::string& key, const std::string& value) {
    std::string& out = pending_[File(key)];
    Append(&out, key);
    Append(&out, value);
  }
  void Commit() {
    for (const auto& [file, bytes] : pending_) {
      std::ofstream(file, std::ios::binary | std::ios::app)
          .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    pending_.clear();
  }
  // Deletes the buckets in [begin, end) (keys' first 8 bytes).
  void Drop(const std::string& begin, const std::string& end) {
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      if (name >= Hex(begin) && name < Hex(end)) std::filesystem::remove(entry.path());
    }
  }
  std::optional<std::string> Get(std::string_view key) const {
    std::ifstream in(File(key), std::ios::binary);
    std::string k, v;
    while (Read(in, &k) && Read(in, &v)) {
      if (k == key) return v;
    }
    return std::nullopt;
  }

 private:
  static std::string Hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes.substr(0, 8)) {
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
    return out;
  }
  std::string File(std::string_view key) const { return dir_ + "/" + Hex(key); }
  static void Append(std::string* out, const std::string& s) {
    const auto n = static_cast<uint32_t>(s.size());
    out->append(reinterpret_cast<const char*>(&n), sizeof n);
    out->append(s);
  }
  static bool Read(std::ifstream& in, std::string* s) {
    uint32_t n = 0;
    if (!in.read(reinterpret_cast<char*>(&n), sizeof n)) return false;
    s->resize(n);
    return static_cast<bool>(in.read(s->data(), n));
  }

  std::string dir_;
  std::map<std::string, std::string> pending_;
};

// glibc's heap in use: small blocks (uordblks) plus blocks it mmapped (hblkhd), which large
// tables are: leaving those out once made this tool report a fifth of the real figure.
size_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

// The process's peak resident set (VmHWM), in bytes: a check on HeapInUse from the kernel.
size_t PeakResident() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  size_t kb = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmHWM: %zu kB", &kb) == 1) break;
  }
  std::fclose(f);
  return kb * 1024;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = ParseArgs(argc, argv);
  constexpr size_t kOutlets = 400;
  constexpr int64_t kExpiryStep = int64_t{6} * 3600;  // As daemon/ingest.cc.
  Generator gen(args.seed);
  const UnixSeconds start = 1700000000;
  const double spacing = args.days * 86400.0 / static_cast<double>(args.stories);

  const size_t heap_before = HeapInUse();
  newsd::dedup::Options options;
  if (args.late_hours >= 0) options.late_seconds = args.late_hours * 3600;
  auto engine = std::make_unique<newsd::dedup::Engine>(options);
  auto files = std::make_unique<BucketFiles>();
  if (!args.whole) {
    engine->SetRecordReader(
        [&files](std::string_view family,
                 std::string_view key) -> newsd::Result<std::optional<std::string>> {
          if (family != "dedup_docs") return std::optional<std::string>();
          return files->Get(key);
        });
  }
  constexpr size_t kCommitGroup = 256;  // items a commit holds, as the daemon's groups
  size_t copies = 0, peak = 0, peak_items = 0;
  UnixSeconds last_expiry = start;
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < args.stories; ++i) {
    const size_t outlet = i % kOutlets;
    const std::string source = gen.Source(outlet);
    const std::string title = gen.Title();
    const std::string text = gen.Story(outlet);
    const UnixSeconds time = start + static_cast<UnixSeconds>(static_cast<double>(i) * spacing);
    const newsd::dedup::Fingerprint fp = engine->MakeFingerprint({source, title, text, time});
    const newsd::dedup::Match match = engine->FindMatch(fp);
    copies += match.is_copy;
    const std::string id = "synthetic:" + std::to_string(i);
    for (newsd::dedup::Record& r :
         engine->Insert(id, match.is_copy ? match.story : id, source, fp)) {
      if (r.family == "dedup_docs" && !args.whole) files->Put(r.key, r.value);
    }
    if ((i + 1) % kCommitGroup == 0) {  // as Ingestor::Commit: committed, then expired
      const uint64_t inserted = engine->Inserted();
      files->Commit();
      engine->MarkCommitted(inserted);
      if (!args.whole) engine->ChillDue(time);
      if (time - last_expiry >= kExpiryStep) {
        last_expiry = time;
        for (const newsd::dedup::RangeDrop& d : engine->Expire(time - options.kept_seconds())) {
          if (d.family == "dedup_docs" && !args.whole) files->Drop(d.begin, d.end);
        }
      }
    }
    if (i % 4096 == 0 && HeapInUse() - heap_before > peak) {
      peak = HeapInUse() - heap_before;
      peak_items = engine->IndexedItems();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const size_t used = HeapInUse() - heap_before;
  const size_t items = engine->IndexedItems();
  std::printf("stories %zu over %d days (window ±%lld h, late %lld h, %s): %.1f s, %zu copies\n",
              args.stories, args.days, static_cast<long long>(options.window_seconds / 3600),
              static_cast<long long>(options.late() / 3600),
              args.whole ? "every item whole" : "items behind the window cold", seconds, copies);
  std::printf(
      "indexed items at the end %zu; engine heap %.1f MB = %.0f bytes per story, "
      "%.0f bytes per indexed item\n",
      items, used / 1e6, static_cast<double>(used) / args.stories,
      static_cast<double>(used) / std::max<size_t>(1, items));
  std::printf("peak engine heap %.1f MB (%zu items indexed) = %.0f bytes per story\n", peak / 1e6,
              peak_items, static_cast<double>(peak) / args.stories);
  const newsd::dedup::Engine::MemoryUse use = engine->Memory();
  const auto per_story = [&](size_t bytes) { return static_cast<double>(bytes) / args.stories; };
  std::printf(
      "by part (capacities): key tables %.0f, indexed items %.0f, boilerplate counters %.0f "
      "bytes per story (%.1f MB in all)\n",
      per_story(use.key_tables), per_story(use.items), per_story(use.boilerplate),
      use.total() / 1e6);
  std::printf("process peak resident set %.1f MB\n", PeakResident() / 1e6);
  return copies > args.stories / 100 ? 1 : 0;  // Synthetic stories are all distinct.
}
