#include "dedup/cold.h"

namespace newsd::dedup {

bool ColdStore::Load(const IndexedDoc& doc, UnixSeconds time, StoredDoc* out) const {
  reads_.fetch_add(1, std::memory_order_relaxed);
  DocView view;
  view.item = doc.item();
  view.time = time;
  const std::string key = EncodeDocKey(view, bucket_seconds_);
  Result<std::optional<std::string>> value = reader_(kDocsFamily, key);
  if (value && value->has_value() && DecodeDoc(key, **value, out) && out->item == doc.item()) {
    return true;
  }
  failures_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

}  // namespace newsd::dedup
