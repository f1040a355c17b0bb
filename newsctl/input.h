#pragma once

#include <string>

namespace newsd::newsctl {

/// Reads a whole file, or standard input for "-". False when the file cannot be opened.
bool ReadInput(const std::string& file, std::string* out);

}  // namespace newsd::newsctl
