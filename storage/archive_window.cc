#include "storage/archive_window.h"

#include <algorithm>

#include "core/article.h"

namespace newsd::storage {

namespace {

UnixSeconds TimeOf(const ItemRecord& item) { return EffectiveTime(item.published, item.arrived); }

// Keeps the `limit` items of *items dated nearest `center` (any order), counting the others
// into *left_out.
void KeepNearest(std::vector<ItemRecord>* items, size_t limit, UnixSeconds center,
                 size_t* left_out) {
  if (items->size() <= limit) return;
  auto distance = [center](const ItemRecord& item) {
    const UnixSeconds t = TimeOf(item);
    return t < center ? center - t : t - center;
  };
  std::nth_element(items->begin(), items->begin() + static_cast<std::ptrdiff_t>(limit),
                   items->end(), [&](const ItemRecord& a, const ItemRecord& b) {
                     const UnixSeconds da = distance(a), db = distance(b);
                     return da != db ? da < db : a.id < b.id;
                   });
  *left_out += items->size() - limit;
  items->resize(limit);
}

}  // namespace

Result<SpanItems> ItemsDatedWithin(Archive& archive, const ItemSpan& span) {
  std::vector<StoryId> stories;
  Status s = archive.ForEachStoryFrom(span.to + span.window, [&](const StoryRecord& story) {
    if (story.time < span.from - ItemSpan::kChainWindows * span.window) return false;
    if (story.newest == 0 || story.newest >= span.from) stories.push_back(story.id);
    return true;
  });
  if (!s.ok()) return Err(s);
  SpanItems out;
  const size_t limit = std::max<size_t>(span.limit, 1);
  for (const StoryId& id : stories) {
    auto members = archive.StoryItems(id);
    if (!members) return Err(members.error());
    for (ItemRecord& item : *members) {
      const UnixSeconds t = TimeOf(item);
      if (t >= span.from && t <= span.to) out.items.push_back(std::move(item));
    }
    if (out.items.size() / 2 >= limit) KeepNearest(&out.items, limit, span.center, &out.left_out);
  }
  KeepNearest(&out.items, span.limit, span.center, &out.left_out);
  std::sort(out.items.begin(), out.items.end(), [](const ItemRecord& a, const ItemRecord& b) {
    const UnixSeconds ta = TimeOf(a), tb = TimeOf(b);
    return ta != tb ? ta < tb : a.id < b.id;
  });
  return out;
}

}  // namespace newsd::storage
