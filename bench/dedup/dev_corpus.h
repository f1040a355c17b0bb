#pragma once

// The dev dedup corpus ($NEWSD_SHARED/corpus/dedup/corpus.jsonl) as the dedup benchmarks and
// the trace tool read it. Header-only: bench/ tools only.

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/time.h"

namespace newsd::bench {

struct CorpusDoc {
  std::string id, source, title, text;
  UnixSeconds time = 1700000000;  ///< `published`, else this fixed time.
};

/// Every well-formed line of the corpus, in file order; empty when the file is missing.
inline std::vector<CorpusDoc> LoadDevCorpus() {
  std::vector<CorpusDoc> docs;
  const char* shared = std::getenv("NEWSD_SHARED");
  std::ifstream in(std::string(shared ? shared : NEWSD_SHARED_DEFAULT) +
                   "/corpus/dedup/corpus.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) continue;
    CorpusDoc d{j.value("id", ""), j.value("source", ""), j.value("title", ""),
                j.value("text", "")};
    if (j.contains("published") && j["published"].is_string()) {
      d.time = ParseIso8601(j["published"].get<std::string>()).value_or(d.time);
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

}  // namespace newsd::bench
