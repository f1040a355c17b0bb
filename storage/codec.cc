#include "storage/codec.h"

#include <zstd.h>

#include <bit>
#include <limits>
#include <memory>

namespace newsd::storage::codec {
namespace {

// Appends little-endian base-128 varints, zigzag signed ints and length-prefixed strings.
class Writer {
 public:
  explicit Writer(uint8_t format) { out_.push_back(static_cast<char>(format)); }
  /// Writes into *buffer's memory (its contents are replaced); Take() hands it back.
  Writer(uint8_t format, std::string* buffer, size_t reserve) : out_(std::move(*buffer)) {
    out_.clear();
    out_.reserve(reserve);
    out_.push_back(static_cast<char>(format));
  }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Signed(int64_t v) {
    Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void Bytes(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void Double(double d) { out_.append(EncodeBe64(std::bit_cast<uint64_t>(d))); }
  void Bool(bool b) { out_.push_back(b ? 1 : 0); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer wrote. Every getter returns false once the input is exhausted or malformed.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Format() { return !in_.empty() && static_cast<uint8_t>(in_[0]) == kRecordFormat && Skip(1); }
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return false;
      const auto byte = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      if (shift == 63 && byte > 1) return false;  // overflows 64 bits
      *v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return true;
    }
    return false;
  }
  bool Signed(int64_t* v) {
    uint64_t u;
    if (!Varint(&u)) return false;
    *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }
  bool U32(uint32_t* v) {
    uint64_t u;
    if (!Varint(&u) || u > std::numeric_limits<uint32_t>::max()) return false;
    *v = static_cast<uint32_t>(u);
    return true;
  }
  bool Long(long* v) {
    int64_t s;
    if (!Signed(&s) || s < std::numeric_limits<long>::min() ||
        s > std::numeric_limits<long>::max()) {
      return false;
    }
    *v = static_cast<long>(s);
    return true;
  }
  bool Bytes(std::string* s) {
    uint64_t n;
    if (!Varint(&n) || n > in_.size()) return false;
    s->assign(in_.substr(0, n));
    return Skip(n);
  }
  bool Double(double* d) {
    if (in_.size() < 8) return false;
    *d = std::bit_cast<double>(*DecodeBe64(in_.substr(0, 8)));
    return Skip(8);
  }
  bool Bool(bool* b) {
    if (in_.empty() || static_cast<uint8_t>(in_[0]) > 1) return false;
    *b = in_[0] == 1;
    return Skip(1);
  }
  bool AtEnd() const { return in_.empty(); }

 private:
  bool Skip(size_t n) {
    in_.remove_prefix(n);
    return true;
  }
  std::string_view in_;
};

Status Undecodable(std::string_view what, std::string_view id) {
  return Status::Corruption("undecodable " + std::string(what) + " record '" + std::string(id) +
                            "'");
}

bool ReadItem(Reader& r, ItemRecord* item, ItemPlace* place) {
  bool has_published = false;
  int64_t published = 0;
  if (!(r.Format() && r.Varint(&place->seq) && r.Bytes(&item->story) && r.Bytes(&item->feed) &&
        r.Bytes(&item->source) && r.Bytes(&item->url) && r.Bytes(&item->title) &&
        r.Bytes(&item->text) && r.Bool(&has_published))) {
    return false;
  }
  if (has_published && !r.Signed(&published)) return false;
  item->published = has_published ? std::optional<UnixSeconds>(published) : std::nullopt;
  if (!(r.Signed(&item->arrived) && r.Double(&item->similarity) && r.Bytes(&item->match_path) &&
        r.U32(&item->shingles))) {
    return false;
  }
  place->exported = place->seq;
  // Extension 1 (a revision: its time and the export key it moved to); older records end above.
  if (r.AtEnd()) return true;
  if (!(r.Signed(&item->revised) && r.Varint(&place->exported))) return false;
  // Extension 2 (the item of the latest story under a reused guid); older records end above.
  return r.AtEnd() || (r.Bytes(&item->reused_by) && r.AtEnd());
}

}  // namespace

std::string EncodeItem(const ItemRecord& item, ItemPlace place) {
  std::string out;
  EncodeItem(item, place, &out);
  return out;
}

void EncodeItem(const ItemRecord& item, ItemPlace place, std::string* out) {
  const size_t size = item.story.size() + item.feed.size() + item.source.size() + item.url.size() +
                      item.title.size() + item.text.size() + item.match_path.size() +
                      item.reused_by.size() + 64;
  Writer w(kRecordFormat, out, size);
  w.Varint(place.seq);
  for (const std::string* s :
       {&item.story, &item.feed, &item.source, &item.url, &item.title, &item.text}) {
    w.Bytes(*s);
  }
  w.Bool(item.published.has_value());
  if (item.published) w.Signed(*item.published);
  w.Signed(item.arrived);
  w.Double(item.similarity);
  w.Bytes(item.match_path);
  w.Varint(item.shingles);
  if (item.revised != 0 || place.exported != place.seq || !item.reused_by.empty()) {
    w.Signed(item.revised);  // extension 1
    w.Varint(place.exported);
  }
  if (!item.reused_by.empty()) w.Bytes(item.reused_by);  // extension 2
  *out = w.Take();
}

Status DecodeItem(std::string_view id, std::string_view value, ItemRecord* item, ItemPlace* place) {
  Reader r(value);
  ItemRecord decoded;
  if (!ReadItem(r, &decoded, place)) return Undecodable("item", id);
  decoded.id = std::string(id);
  *item = std::move(decoded);
  return Status::Ok();
}

std::string EncodeStory(const StoryRecord& story) {
  Writer w(kRecordFormat);
  w.Bytes(story.canonical);
  w.Signed(story.time);
  w.Varint(story.copies);
  // Extension 1 (the newest item's time); older records end above.
  if (story.newest != 0) w.Signed(story.newest);
  return w.Take();
}

Status DecodeStory(std::string_view id, std::string_view value, StoryRecord* story) {
  Reader r(value);
  StoryRecord decoded;
  if (!(r.Format() && r.Bytes(&decoded.canonical) && r.Signed(&decoded.time) &&
        r.U32(&decoded.copies) && (r.AtEnd() || r.Signed(&decoded.newest)) && r.AtEnd())) {
    return Undecodable("story", id);
  }
  decoded.id = std::string(id);
  *story = std::move(decoded);
  return Status::Ok();
}

namespace {

// Extension 1 of a feed record (polling health), as DecodeFeedHealth reads it.
void EncodeFeedHealth(Writer& w, const FeedState& feed) {
  w.Bytes(feed.config_url);
  w.Varint(static_cast<uint64_t>(feed.status));
  w.Bytes(feed.status_reason);
  w.Signed(feed.last_ok);
  w.Signed(feed.failing_since);
  w.Signed(feed.retry_until);
  w.Signed(feed.interval);
  w.Signed(feed.item_gap);
  w.Signed(feed.last_new_items);
  w.Varint(feed.skip_hours);
  w.Varint(feed.skip_days);
  w.Bytes(feed.moved_to);
  w.Varint(feed.moved_seen);
  w.Signed(feed.moved_first);
  w.Varint(feed.url_history.size());
  for (const UrlMove& m : feed.url_history) {
    w.Signed(m.at);
    w.Bytes(m.from);
    w.Bytes(m.to);
    w.Varint(m.confirmations);
  }
}

}  // namespace

std::string EncodeFeed(const FeedState& feed) {
  Writer w(kRecordFormat);
  w.Bytes(feed.url);
  w.Bytes(feed.etag);
  w.Bytes(feed.last_modified);
  w.Signed(feed.last_fetch);
  w.Signed(feed.next_fetch);
  w.Signed(feed.last_http_status);
  w.Bytes(feed.last_error);
  w.Varint(feed.consecutive_failures);
  w.Varint(feed.fetches);
  w.Varint(feed.items_new);
  // Extension 1 (polling health); older records end above.
  EncodeFeedHealth(w, feed);
  // Extension 2 (parse warnings); older records end above.
  w.Bytes(feed.last_warning);
  // Extension 3 (the last parsed response's hash); older records end above.
  w.Varint(feed.body_hash);
  // Extension 4 (what `interval` is made of); older records end above.
  w.Signed(feed.base_interval);
  w.Signed(feed.hint_interval);
  w.Signed(feed.fresh_interval);
  // Extension 5 (where the redirects led); older records end above.
  w.Bytes(feed.answered_by);
  // Extension 6 (a Content-Encoding that names no compression); older records end above.
  w.Bytes(feed.sent_encoding);
  return w.Take();
}

namespace {

bool DecodeFeedHealth(Reader& r, FeedState* d) {
  uint64_t status = 0;
  uint64_t moves = 0;
  if (!(r.Bytes(&d->config_url) && r.Varint(&status) && status < kFeedStatusCount &&
        r.Bytes(&d->status_reason) && r.Signed(&d->last_ok) && r.Signed(&d->failing_since) &&
        r.Signed(&d->retry_until) && r.Signed(&d->interval) && r.Signed(&d->item_gap) &&
        r.Signed(&d->last_new_items) && r.U32(&d->skip_hours) && r.U32(&d->skip_days) &&
        r.Bytes(&d->moved_to) && r.U32(&d->moved_seen) && r.Signed(&d->moved_first) &&
        r.Varint(&moves) && moves <= 1024)) {
    return false;
  }
  d->status = static_cast<FeedStatus>(status);
  d->url_history.resize(moves);
  for (UrlMove& m : d->url_history) {
    if (!(r.Signed(&m.at) && r.Bytes(&m.from) && r.Bytes(&m.to) && r.U32(&m.confirmations))) {
      return false;
    }
  }
  return true;
}

// Extension 4 and later, after the body hash.
bool DecodeFeedTail(Reader& r, FeedState* d) {
  return r.AtEnd() || (r.Signed(&d->base_interval) && r.Signed(&d->hint_interval) &&
                       r.Signed(&d->fresh_interval) &&
                       (r.AtEnd() || (r.Bytes(&d->answered_by) &&
                                      (r.AtEnd() || (r.Bytes(&d->sent_encoding) && r.AtEnd())))));
}

}  // namespace

Status DecodeFeed(std::string_view id, std::string_view value, FeedState* feed) {
  Reader r(value);
  FeedState d;
  if (!(r.Format() && r.Bytes(&d.url) && r.Bytes(&d.etag) && r.Bytes(&d.last_modified) &&
        r.Signed(&d.last_fetch) && r.Signed(&d.next_fetch) && r.Long(&d.last_http_status) &&
        r.Bytes(&d.last_error) && r.U32(&d.consecutive_failures) && r.Varint(&d.fetches) &&
        r.Varint(&d.items_new) &&
        (r.AtEnd() ||
         (DecodeFeedHealth(r, &d) &&
          (r.AtEnd() || (r.Bytes(&d.last_warning) &&
                         (r.AtEnd() || (r.Varint(&d.body_hash) && DecodeFeedTail(r, &d))))))))) {
    return Undecodable("feed", id);
  }
  d.id = std::string(id);
  *feed = std::move(d);
  return Status::Ok();
}

std::string EncodeHost(const HostStats& h) {
  Writer w(kRecordFormat);
  for (uint64_t v : {h.requests, h.conditional, h.not_modified, h.throttled, h.retry_after,
                     h.retry_violations}) {
    w.Varint(v);
  }
  for (int64_t v : {h.min_gap_ms, h.min_feed_gap, h.last_request_ms, h.blocked_until}) w.Signed(v);
  return w.Take();
}

Status DecodeHost(std::string_view host, std::string_view value, HostStats* out) {
  Reader r(value);
  HostStats d;
  if (!(r.Format() && r.Varint(&d.requests) && r.Varint(&d.conditional) &&
        r.Varint(&d.not_modified) && r.Varint(&d.throttled) && r.Varint(&d.retry_after) &&
        r.Varint(&d.retry_violations) && r.Signed(&d.min_gap_ms) && r.Signed(&d.min_feed_gap) &&
        r.Signed(&d.last_request_ms) && r.Signed(&d.blocked_until) && r.AtEnd())) {
    return Undecodable("host", host);
  }
  d.host = std::string(host);
  *out = std::move(d);
  return Status::Ok();
}

std::string EncodeFeedControl(const FeedControl& c) {
  Writer w(kRecordFormat);
  w.Bool(c.added);
  w.Bytes(c.url);
  w.Bytes(c.name);
  w.Signed(c.interval);
  w.Bool(c.paused);
  w.Signed(c.added_at);
  w.Signed(c.paused_at);
  if (c.zoneless_offset) {  // absent: unset (and records written before it)
    w.Bool(true);
    w.Signed(*c.zoneless_offset);
  }
  return w.Take();
}

Status DecodeFeedControl(std::string_view id, std::string_view value, FeedControl* out) {
  Reader r(value);
  FeedControl d;
  if (!(r.Format() && r.Bool(&d.added) && r.Bytes(&d.url) && r.Bytes(&d.name) &&
        r.Signed(&d.interval) && r.Bool(&d.paused) && r.Signed(&d.added_at) &&
        r.Signed(&d.paused_at))) {
    return Undecodable("feed control", id);
  }
  if (!r.AtEnd()) {  // the optional zoneless_offset
    bool set = false;
    int64_t offset = 0;
    if (!r.Bool(&set) || !set || !r.Signed(&offset) || !r.AtEnd() || offset < -kMaxUtcOffset ||
        offset > kMaxUtcOffset) {
      return Undecodable("feed control", id);
    }
    d.zoneless_offset = static_cast<int>(offset);
  }
  d.id = std::string(id);
  *out = std::move(d);
  return Status::Ok();
}

std::string EncodeRawBody(const RawBody& raw) {
  // One compression context and output buffer per thread, reused: a fresh context per call
  // allocates (and faults in) its tables every time.
  thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> context(ZSTD_createCCtx(),
                                                                          ZSTD_freeCCtx);
  thread_local std::string frame;
  frame.resize(ZSTD_compressBound(raw.body.size()));
  size_t n = ZSTD_compressCCtx(context.get(), frame.data(), frame.size(), raw.body.data(),
                               raw.body.size(), kRawBodyLevel);
  if (ZSTD_isError(n)) n = 0;  // cannot fail with a bound-sized buffer
  std::string value;
  Writer w(kRecordFormat, &value, raw.url.size() + raw.content_type.size() + n + 32);
  w.Signed(raw.fetched_at);
  w.Bytes(raw.url);
  w.Bytes(raw.content_type);
  w.Varint(raw.body.size());
  w.Bytes(std::string_view(frame.data(), n));
  return w.Take();
}

Status DecodeRawBody(std::string_view feed, std::string_view value, RawBody* raw) {
  Reader r(value);
  RawBody d;
  uint64_t size = 0;
  std::string frame;
  if (!(r.Format() && r.Signed(&d.fetched_at) && r.Bytes(&d.url) && r.Bytes(&d.content_type) &&
        r.Varint(&size) && r.Bytes(&frame) && r.AtEnd()) ||
      size > kMaxRawBodyBytes) {
    return Undecodable("raw body of feed", feed);
  }
  d.body.resize(size);
  const size_t n = ZSTD_decompress(d.body.data(), d.body.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) || n != size) return Undecodable("raw body of feed", feed);
  d.feed = std::string(feed);
  *raw = std::move(d);
  return Status::Ok();
}

std::string RawBodyPrefix(std::string_view feed) { return StoryItemsPrefix(feed); }

std::string RawBodyKey(std::string_view feed, uint64_t seq) {
  return RawBodyPrefix(feed).append(EncodeBe64(seq));
}

std::optional<uint64_t> SeqOfRawBodyKey(std::string_view key, size_t prefix_size) {
  if (key.size() != prefix_size + 8) return std::nullopt;
  return DecodeBe64(key.substr(prefix_size));
}

std::string TimeKey(UnixSeconds time, std::string_view story) {
  const uint64_t ordered = static_cast<uint64_t>(time) ^ (uint64_t{1} << 63);
  return EncodeBe64(~ordered).append(story);
}

std::optional<std::string_view> StoryOfTimeKey(std::string_view key) {
  if (key.size() < 8) return std::nullopt;
  return key.substr(8);
}

std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

std::string StoryItemsPrefix(std::string_view story) {
  std::string prefix(story);
  prefix.push_back('\0');
  return prefix;
}

std::string StoryItemsKey(std::string_view story, uint64_t seq, std::string_view item) {
  return StoryItemsPrefix(story).append(EncodeBe64(seq)).append(item);
}

std::string StoryItemsValue(ItemPlace place) {
  return place.exported == place.seq ? std::string() : EncodeBe64(place.exported);
}

uint64_t ExportedOfStoryItemsValue(std::string_view value, uint64_t seq) {
  return DecodeBe64(value).value_or(seq);
}

std::optional<std::string_view> ItemOfStoryItemsKey(std::string_view key, size_t prefix_size) {
  if (key.size() < prefix_size + 8) return std::nullopt;
  return key.substr(prefix_size + 8);
}

std::optional<uint64_t> SeqOfStoryItemsKey(std::string_view key, size_t prefix_size) {
  if (key.size() < prefix_size + 8) return std::nullopt;
  return DecodeBe64(key.substr(prefix_size, 8));
}

std::string EncodeBe64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

std::optional<uint64_t> DecodeBe64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

}  // namespace newsd::storage::codec
