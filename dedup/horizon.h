#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "core/time.h"

namespace newsd::dedup {

/// The item time that window expiry follows: the kSupport-th newest effective time seen, not the
/// newest. Expiry drops every item older than this minus the window and Options::late(), for good
/// (memory and archive), so a few items dated far ahead (a typo year, or an undated item in a
/// historic import, which takes the import's time) must not move it past all the others.
class TimeHorizon {
 public:
  static constexpr size_t kSupport = 32;

  void Observe(UnixSeconds time) {
    if (newest_.size() < kSupport) {
      newest_.push(time);
    } else if (time > newest_.top()) {
      newest_.pop();
      newest_.push(time);
    }
  }

  /// INT64_MIN (nothing to expire) until kSupport items were seen.
  UnixSeconds Get() const { return newest_.size() < kSupport ? INT64_MIN : newest_.top(); }

  void Clear() { newest_ = {}; }

 private:
  // The kSupport newest times, smallest on top.
  std::priority_queue<UnixSeconds, std::vector<UnixSeconds>, std::greater<>> newest_;
};

}  // namespace newsd::dedup
