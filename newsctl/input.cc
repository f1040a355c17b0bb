#include "newsctl/input.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace newsd::newsctl {

bool ReadInput(const std::string& file, std::string* out) {
  std::stringstream ss;
  if (file == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) return false;  // an ifstream "opens" one
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    ss << in.rdbuf();
    if (in.bad()) return false;
  }
  *out = ss.str();
  return true;
}

}  // namespace newsd::newsctl
