#pragma once

// A count with its noun, for what operators read: "1 poll", "3 polls", never "3 poll(s)".

#include <cstdint>
#include <string>
#include <string_view>

namespace newsd {

/// `n`, a space, and `singular` when n is 1, else `plural`: Counted(3, "poll", "polls") is
/// "3 polls". The nouns may carry words that agree with them ("URL holds", "URLs hold").
inline std::string Counted(uint64_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace newsd
