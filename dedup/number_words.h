#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace newsd::dedup {

/// Kazakh number words (after folding: бир, еки, ..., жуз, мын, миллион) read as numbers, so
/// that "жүз отыз біріне" and "131-іне" give the same tokens ("131", "ине"). A run of number
/// words is summed the usual way (hundreds multiply, thousands and up close a group); the last
/// word of a run may carry a case or ordinal suffix, which becomes its own token.
class NumberWords {
 public:
  /// Offers one folded token. Returns true when it was consumed as (part of) a number; the
  /// caller then emits nothing for it. `*suffix` is set when the word ended the run with a
  /// suffix: the caller must then call Flush() and emit the suffix as a token.
  bool Offer(std::u32string_view token, std::u32string_view* suffix);

  /// True when a run is pending.
  bool pending() const { return pending_; }

  /// Ends the pending run; returns its value in decimal digits.
  std::u32string Flush();

 private:
  bool pending_ = false;
  uint64_t total_ = 0;
  uint64_t current_ = 0;
};

}  // namespace newsd::dedup
