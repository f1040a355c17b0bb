// The Ingestor's look back into the archive (daemon/lookback.h).

#include "daemon/lookback.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/article.h"
#include "core/plural.h"
#include "storage/archive_window.h"

namespace newsd::daemon {

namespace {

// A read of the archive that took this long is logged at info (others at debug).
constexpr int64_t kNotableMilliseconds = 100;

}  // namespace

ArchiveLookback::ArchiveLookback(storage::Archive& archive, dedup::Options options,
                                 StagedItems staged, size_t max_items)
    : archive_(archive),
      options_(std::move(options)),
      staged_(std::move(staged)),
      max_items_(max_items) {}

ArchiveLookback::~ArchiveLookback() = default;

void ArchiveLookback::Clear() {
  engine_.reset();
  read_.clear();
  held_ = 0;
  reach_ = 0;
}

Result<dedup::Match> ArchiveLookback::Find(const dedup::Document& doc, UnixSeconds held_from) {
  const int64_t window = options_.window_seconds;
  const UnixSeconds from = doc.time - window;
  const UnixSeconds to = std::min(doc.time + window, held_from - 1);
  if (to < from) return dedup::Match{};  // the index holds the whole window
  // Read a window further each way: the next late articles are likely dated near this one.
  const Span wanted{from - window, std::min(to + window, held_from - 1)};
  if (Status s = Cover({from, to}, wanted, doc.time); !s.ok()) return Err(s);
  // Signed by this index, whose boilerplate was learned from the items of those days.
  const dedup::Fingerprint fp = engine_->MakeFingerprint(doc);
  ++counts_.searches;
  dedup::Match match = engine_->FindMatch(fp);
  if (match.is_copy) ++counts_.copies;
  return match;
}

std::vector<ArchiveLookback::Span> ArchiveLookback::Missing(UnixSeconds from,
                                                            UnixSeconds to) const {
  std::vector<Span> missing;
  // The first span that may reach `from`: the last one starting at or before it.
  auto it = read_.upper_bound(from);
  if (it != read_.begin()) --it;
  UnixSeconds next = from;  // the first time not known to be read
  for (; it != read_.end() && it->first <= to && next <= to; ++it) {
    if (it->second < next) continue;
    if (it->first > next) missing.emplace_back(next, it->first - 1);
    next = it->second == INT64_MAX ? INT64_MAX : it->second + 1;
  }
  if (next <= to && next != INT64_MAX) missing.emplace_back(next, to);
  return missing;
}

bool ArchiveLookback::Serves(Span needed, UnixSeconds center) const {
  if (!engine_) return false;
  if (Missing(needed.first, needed.second).empty()) return true;
  // Full after a read that left items out: the days it held around its article serve the
  // articles dated within half that reach of it.
  if (held_ < max_items_ || reach_ <= 0) return false;
  const int64_t half = reach_ / 2;
  return Missing(std::max(needed.first, center - half), std::min(needed.second, center + half))
      .empty();
}

Status ArchiveLookback::Cover(Span needed, Span wanted, UnixSeconds center) {
  if (Serves(needed, center)) return Status::Ok();
  std::vector<Span> missing = Missing(wanted.first, wanted.second);
  const bool anew = !engine_ || held_ >= max_items_;
  if (anew) {
    Clear();
    engine_ = std::make_unique<dedup::Engine>(options_);
    missing = {wanted};
  }
  for (const auto& [begin, end] : missing) {
    auto read = Read(begin, end, center, max_items_ - std::min(held_, max_items_));
    if (!read) return read.error();
    if (anew) reach_ = read->left_out ? read->reach : 0;
    if (read->second < read->first) continue;  // none of its days held whole
    // Noted as read, merged with the spans it touches.
    const UnixSeconds lo_read = read->first, hi_read = read->second;
    UnixSeconds lo = lo_read, hi = hi_read;
    auto it = read_.lower_bound(lo_read);
    if (it != read_.begin() && std::prev(it)->second >= lo_read - 1) --it;
    while (it != read_.end() && it->first <= hi + 1) {
      lo = std::min(lo, it->first);
      hi = std::max(hi, it->second);
      it = read_.erase(it);
    }
    read_.emplace(lo, hi);
  }
  return Status::Ok();
}

void ArchiveLookback::AddStaged(UnixSeconds from, UnixSeconds to,
                                std::vector<storage::ItemRecord>* items) const {
  if (!staged_) return;
  std::unordered_set<std::string_view> archived;  // views into *items, kept as it is below
  for (const storage::ItemRecord& item : *items) archived.insert(item.id);
  // The staged items of those days the archive lacks; a later batch's version of an item
  // replaces an earlier one's.
  std::vector<storage::ItemRecord> staged;
  std::unordered_map<std::string, size_t> staged_at;
  staged_([&](const storage::ItemRecord& item) {
    const UnixSeconds t = EffectiveTime(item.published, item.arrived);
    if (t < from || t > to || archived.contains(item.id)) return;
    auto [it, added] = staged_at.try_emplace(item.id, staged.size());
    if (added) {
      staged.push_back(item);
    } else {
      staged[it->second] = item;
    }
  });
  if (staged.empty()) return;
  archived.clear();  // *items grows: its views would dangle
  items->insert(items->end(), std::make_move_iterator(staged.begin()),
                std::make_move_iterator(staged.end()));
  std::sort(items->begin(), items->end(), [](const auto& a, const auto& b) {
    const UnixSeconds ta = EffectiveTime(a.published, a.arrived);
    const UnixSeconds tb = EffectiveTime(b.published, b.arrived);
    return ta != tb ? ta < tb : a.id < b.id;
  });
}

Result<ArchiveLookback::Held> ArchiveLookback::Read(UnixSeconds from, UnixSeconds to,
                                                    UnixSeconds center, size_t limit) {
  const auto start = std::chrono::steady_clock::now();
  auto span = storage::ItemsDatedWithin(archive_, {.from = from,
                                                   .to = to,
                                                   .window = options_.window_seconds,
                                                   .limit = limit,
                                                   .center = center});
  if (!span) {
    Clear();  // days half read are not held
    return Err(
        span.error().WithContext("reading the archive's items of the days of a late article"));
  }
  // The items kept are those dated nearest `center`: every item dated nearer than the
  // farthest kept (a tie at that distance may have been left out).
  Held held{from, to, span->left_out > 0};
  if (held.left_out) {
    int64_t farthest = 0;
    for (const storage::ItemRecord& item : span->items) {
      const UnixSeconds t = EffectiveTime(item.published, item.arrived);
      farthest = std::max(farthest, t < center ? center - t : t - center);
    }
    held.reach = farthest - 1;
    held.first = std::max(from, center - held.reach);
    held.second = std::min(to, center + held.reach);
  }
  AddStaged(from, to, &span->items);
  for (const storage::ItemRecord& item : span->items) {
    const UnixSeconds t = EffectiveTime(item.published, item.arrived);
    engine_->Insert(item.id, item.story, item.source,
                    engine_->MakeFingerprint({item.source, item.title, item.text, t}));
  }
  held_ += span->items.size();
  ++counts_.reads;
  counts_.items_read += span->items.size();
  counts_.items_left_out += span->left_out;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  // Worth an operator's notice when it held the caller up, or left items out; a pipe import
  // out of order reads a few days at a time, most of them quickly.
  const bool notable = ms >= kNotableMilliseconds || span->left_out > 0;
  spdlog::log(notable ? spdlog::level::info : spdlog::level::debug,
              "dedup: an article dated {} is older than the dedup index holds: compared with the "
              "archive's {} dated {} to {} (read in {} ms{})",
              FormatIso8601(center), Counted(span->items.size(), "item", "items"),
              FormatIso8601(from), FormatIso8601(to), ms,
              span->left_out == 0
                  ? std::string()
                  : fmt::format("; {} dated further from it left out, over the {} held at once",
                                span->left_out, max_items_));
  return held;
}

}  // namespace newsd::daemon
