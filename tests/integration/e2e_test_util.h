#pragma once

// The demo configuration and newsctl --db, shared by the end-to-end tests (e2e_*_test.cc).

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "tests/support/test_util.h"

namespace newsd::testing {

/// Writes a config polling the demo feeds into `dir`.
inline std::string WriteDemoConfig(const TempDir& dir) {
  std::string feeds = (SourceDir() / "demo/feeds").string();
  std::string toml = "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                     dir.str() +
                     "/admin.sock\"\nlog_level = \"warn\"\n"
                     "[dedup]\nagency_sources = [\"DKnews.kz\"]\n";
  const std::pair<const char*, const char*> outlets[] = {{"dknews", "DKnews.kz"},
                                                         {"kazinform", "Kazinform"},
                                                         {"astanatimes", "The Astana Times"},
                                                         {"regionnews", "RegionNews.kz"}};
  for (auto [id, name] : outlets) {
    toml += std::string("[[feed]]\nid = \"") + id + "\"\nname = \"" + name + "\"\nurl = \"file://" +
            feeds + "/" + id + ".xml\"\ninterval = \"30m\"\n";
  }
  std::string path = dir.str() + "/newsd.toml";
  testing::WriteFile(path, toml);
  return path;
}

inline nlohmann::json Ctl(const TempDir& dir, const std::string& args, int* rc = nullptr) {
  std::string out;
  int status = RunCommand(Bin("newsctl") + " --db " + dir.str() + "/data --json " + args, &out);
  if (rc) *rc = status;
  return nlohmann::json::parse(out, nullptr, false);
}

}  // namespace newsd::testing
