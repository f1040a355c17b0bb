#pragma once

#include <optional>
#include <string>

#include "newsctl/commands.h"

namespace newsd::newsctl {

/// `newsctl --db DIR dupes explain A B`: why items A and B are (not) one story — exact
/// resemblance and containment of their shingle sets, the MinHash estimate, shared LSH bands
/// and lead shingles, the time gap, the verdict and its reason, and how each was stored.
/// `config`: the configuration file whose [dedup] settings to judge by (the daemon's, so the
/// answer is the one ingestion gives); empty = /etc/newsd/newsd.toml when it is readable, else
/// the built-in defaults. The output says which.
int RunExplain(const GlobalArgs& g, const std::string& item_a, const std::string& item_b,
               const std::string& config);

struct CheckArgs {
  std::string config;  ///< See RunExplain.
  std::string file;    ///< Text to check, "-" for standard input.
  std::string source = "newsctl-check";
  std::string title;
  std::string published;  ///< ISO-8601; default: now.
};

/// `newsctl --db DIR check FILE|-`: is this text a copy of an archived story, and of which.
/// Exit 0 either way (the answer is printed); 4 when --db has no archive.
int RunCheck(const GlobalArgs& g, const CheckArgs& args);

}  // namespace newsd::newsctl
