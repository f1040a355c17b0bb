#include "newsctl/input.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace newsd::newsctl {

bool ReadInput(const std::string& file, std::string* out) {
  std::stringstream ss;
  if (file == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    ss << in.rdbuf();
  }
  *out = ss.str();
  return true;
}

}  // namespace newsd::newsctl
