// Reading a JSON Feed: the bytes to UTF-8, the document's events (core/json_reader.h) to a
// small tree per item, mapped as soon as the item is complete (a document cut off in transfer
// keeps the items before the cut), the feed's own members mapped at the end.
#include "parse/json_feed.h"

#include <charconv>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_reader.h"
#include "parse/builder_internal.h"
#include "parse/encoding.h"
#include "parse/json_feed_internal.h"
#include "parse/mojibake.h"
#include "parse/url.h"

namespace newsd::parse {

using nlohmann::json;

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16Le = "\xFF\xFE";
constexpr std::string_view kUtf16Be = "\xFE\xFF";
constexpr std::string_view kVersionPrefixes[] = {"https://jsonfeed.org/version/",
                                                 "http://jsonfeed.org/version/"};

// The document in UTF-8: the body itself when it is (a BOM skipped), else transcoded.
struct JsonText8 {
  std::string owned;
  std::string_view view;
  std::string encoding = "utf-8";
  std::string bozo_reason;  // non-empty when the bytes were not UTF-8
};

JsonText8 DecodeJson(std::string_view body, std::string_view content_type) {
  JsonText8 t;
  if (body.starts_with(kUtf16Le) || body.starts_with(kUtf16Be)) {
    Decoded utf16 = DecodeToUtf8(body, "");  // the byte-order mark decides
    t.owned = std::string(utf16.Text(body));
    t.view = t.owned;
    t.encoding = utf16.encoding;
    if (utf16.bozo) t.bozo_reason = utf16.bozo_reason;
    return t;
  }
  if (body.starts_with(kUtf8Bom)) body.remove_prefix(kUtf8Bom.size());
  if (IsValidUtf8(body)) {
    t.view = body;
    return t;
  }
  // JSON is UTF-8 (RFC 8259): a few stray bytes are replaced; else a declared legacy charset
  // is the server's word for the bytes; else the code page is guessed as for XML.
  const std::string charset = CharsetFromContentType(content_type);
  const bool labelled_utf8 = charset.empty() || charset == "utf-8" || charset == "utf8";
  if (RepairMostlyUtf8(body, &t.owned, labelled_utf8)) {
    t.bozo_reason = "invalid UTF-8 bytes in the JSON were replaced with U+FFFD";
  } else if (!labelled_utf8 && TranscodeToUtf8(body, charset, &t.owned)) {
    t.encoding = charset;
    t.bozo_reason = "JSON that is not UTF-8: read as " + charset + ", as its Content-Type says";
  } else {
    Decoded guessed = DecodeToUtf8(body, "");
    t.owned = std::string(guessed.Text(body));
    t.encoding = guessed.encoding;
    t.bozo_reason = "JSON that is not UTF-8: read as " + guessed.encoding;
  }
  t.view = t.owned;
  return t;
}

// A JSON number's value: an integer when it is one that fits 64 bits, else its text as
// written (an id of 20 digits, "1e3" stay themselves, as no double would keep them).
json NumberValue(std::string& text) {
  const char* end = text.data() + text.size();
  int64_t n = 0;
  if (auto [p, ec] = std::from_chars(text.data(), end, n); ec == std::errc() && p == end) {
    return json(n);
  }
  uint64_t u = 0;
  if (auto [p, ec] = std::from_chars(text.data(), end, u); ec == std::errc() && p == end) {
    return json(u);
  }
  return json(std::move(text));
}

// JSON events to a DOM of the feed's own members, and one DOM per item, handed to `on_item`
// when the item closes. Members of the feed object other than "items" are kept whole.
class FeedSax final : public JsonEvents {
 public:
  FeedSax(size_t max_depth, std::function<void(json&)> on_item)
      : max_depth_(max_depth), on_item_(std::move(on_item)) {}

  bool OnScalar(Kind kind, std::string& text) override {
    if (skip_next_) {
      skip_next_ = false;
      return true;
    }
    switch (kind) {
      case Kind::kString:
        return Put(json(std::move(text)));
      case Kind::kNumber:
        return Put(NumberValue(text));
      case Kind::kTrue:
      case Kind::kFalse:
        return Put(json(kind == Kind::kTrue));
      case Kind::kNull:
        break;
    }
    return Put(json());
  }
  bool OnOpen(bool object) override {
    if (skip_next_) {  // a member not read, with all inside it
      skip_next_ = false;
      ++skip_;
      return true;
    }
    if (object) return Open(json::object());
    if (skip_ == 0 && stack_.size() == 1 && !in_items_ && key_ == "items") {
      in_items_ = true;
      saw_items_ = true;
      return true;
    }
    return Open(json::array());
  }
  bool OnClose(bool object) override {
    if (!object && skip_ == 0 && in_items_ && stack_.size() == 1) {
      in_items_ = false;
      return true;
    }
    return Close();
  }
  bool OnKey(std::string& k) override {
    if (skip_ > 0) return true;
    key_ = std::move(k);
    const bool feed_member = stack_.size() == 1 && !in_items_;
    if (feed_member) ++top_keys_;
    // A member the mapping does not read is not kept (a hostile feed's megabytes of them).
    if ((feed_member && key_ != "items") || (in_items_ && stack_.size() == 2)) {
      skip_next_ = !JsonFeedMemberRead(key_, /*item=*/!feed_member);
    }
    return true;
  }
  json& top() { return top_; }
  bool root_is_object() const { return root_is_object_; }
  bool saw_items() const { return saw_items_; }  ///< "items" was an array
  size_t top_keys() const { return top_keys_; }
  size_t not_objects() const { return not_objects_; }
  bool depth_cut() const { return depth_cut_; }

 private:
  // An element of "items" directly (not inside an item).
  bool AtItem() const { return in_items_ && stack_.size() == 1; }

  bool Put(json&& value) {
    if (stack_.empty()) return false;  // the document is a bare value: no feed
    if (skip_ > 0) return true;
    if (AtItem()) {
      ++not_objects_;
      return true;
    }
    json* parent = stack_.back();
    if (parent->is_array()) {
      parent->push_back(std::move(value));
    } else {
      (*parent)[key_] = std::move(value);
    }
    return true;
  }

  bool Open(json&& value) {
    if (stack_.empty()) {
      root_is_object_ = value.is_object();
      if (!root_is_object_) return false;
      stack_.push_back(&top_);
      return true;
    }
    if (skip_ > 0 || stack_.size() >= max_depth_) {  // ignored, with all inside it
      depth_cut_ = depth_cut_ || skip_ == 0;
      ++skip_;
      return true;
    }
    if (AtItem()) {
      item_ = std::move(value);
      stack_.push_back(&item_);
      return true;
    }
    json* parent = stack_.back();
    json* child;
    if (parent->is_array()) {
      parent->push_back(std::move(value));
      child = &parent->back();
    } else {
      child = &((*parent)[key_] = std::move(value));
    }
    stack_.push_back(child);
    return true;
  }

  bool Close() {
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    if (stack_.empty()) return false;
    stack_.pop_back();
    if (AtItem()) {
      if (item_.is_object()) {
        on_item_(item_);
      } else {
        ++not_objects_;
      }
      item_ = json();
    }
    return true;
  }

  size_t max_depth_;
  std::function<void(json&)> on_item_;
  json top_ = json::object();
  json item_;
  std::vector<json*> stack_;
  std::string key_;
  bool in_items_ = false;
  bool saw_items_ = false;
  bool root_is_object_ = false;
  bool depth_cut_ = false;
  bool skip_next_ = false;  // the next value is a member not read
  size_t skip_ = 0;         // containers open inside one skipped (not read, or too deep)
  size_t top_keys_ = 0;
  size_t not_objects_ = 0;
};

// "json1", "json11", or "" when `version` names no jsonfeed.org version.
std::string VersionName(const json& top, std::string* bozo_reason) {
  auto it = top.find("version");
  if (it == top.end() || !it->is_string()) return "";
  std::string_view v = it->get_ref<const std::string&>();
  for (std::string_view prefix : kVersionPrefixes) {
    if (!v.starts_with(prefix)) continue;
    v.remove_prefix(prefix.size());
    if (v == "1") return "json1";
    if (v != "1.1")
      *bozo_reason = "unknown JSON Feed version \"" + std::string(v) + "\", read as 1.1";
    return "json11";
  }
  return "";
}

void MapFeedMembers(json& top, const Input& input, JsonFeedContext* ctx) {
  FeedMeta& meta = ctx->feed->feed;
  meta.title = JsonText(top, "title", ctx);
  meta.subtitle = JsonText(top, "description", ctx);
  meta.language = JsonText(top, "language", ctx);
  if ((!meta.language || meta.language->empty()) && !input.content_language.empty()) {
    meta.language = input.content_language;
  }
  std::optional<std::string> home = JsonText(top, "home_page_url", ctx);
  if (home && !home->empty()) {
    meta.link = ResolveFeedUrl(ctx->base_url, *home);
    meta.links.push_back(MakeLink(*meta.link, "alternate", "text/html"));
  }
  std::optional<std::string> self = JsonText(top, "feed_url", ctx);
  if (self && !self->empty()) {
    meta.links.push_back(
        MakeLink(ResolveFeedUrl(ctx->base_url, *self), "self", "application/feed+json"));
  }
  SetAuthors(JsonPeople(top, ctx), &meta.author, &meta.author_detail, &meta.authors);
}

// How far the reading of a document got.
struct Reading {
  bool whole = false;  // the object was read to its end, with nothing but white space after it
  size_t stop = 0;     // where it stopped otherwise
  bool ended = false;  // it stopped at the end of the text: cut off
};

Reading ReadDocument(std::string_view text, FeedSax* sax) {
  JsonReader in(text);
  Reading r;
  r.whole = ReadJsonEvents(&in, sax) && in.AtEnd();
  r.stop = in.Offset();
  r.ended = !r.whole && in.AtEnd();
  return r;
}

// Why the reading stopped before the end, for Feed::bozo_reason or the error.
std::string StopReason(const Reading& r, std::string_view text) {
  if (r.ended) return "the JSON ends before its last value is complete (cut off in transfer?)";
  std::string reason = "not well-formed JSON at " + JsonPlace(text, r.stop);
  const auto c = static_cast<unsigned char>(text[r.stop]);
  if (c >= 0x20 && c < 0x7F) reason += " ('" + std::string(1, static_cast<char>(c)) + "')";
  return reason;
}

void NoteLimits(const FeedSax& sax, size_t items_seen, const Options& options, Feed* feed) {
  KeepNewestEntries(&feed->entries, options.max_items);
  if (items_seen > feed->entries.size()) {
    feed->limits_hit.push_back("max_items: " + std::to_string(feed->entries.size()) + " of " +
                               std::to_string(items_seen) + " items kept");
  }
  if (sax.depth_cut()) {
    feed->limits_hit.push_back("max_depth: values nested deeper than " +
                               std::to_string(options.max_depth) + " ignored");
  }
}

// A feed's XML somewhere in `body`.
bool HoldsFeedXml(std::string_view body) {
  for (std::string_view mark : {"<?xml", "<rss", "<feed", "<rdf:RDF"}) {
    if (body.find(mark) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

Status NotAJsonFeed() {
  return Status::InvalidArgument(
      "JSON, but not a JSON Feed (a JSON Feed is one object, with \"version\" and \"items\"): "
      "check the feed's address with the publisher");
}

bool OpensJsonObject(std::string_view body) {
  // UTF-16 (RFC 4627 allowed it): its byte-order mark, then '{' in either byte order.
  if (body.starts_with(kUtf16Le)) return body.substr(kUtf16Le.size()).starts_with({"{\0", 2});
  if (body.starts_with(kUtf16Be)) return body.substr(kUtf16Be.size()).starts_with({"\0{", 2});
  if (body.starts_with(kUtf8Bom)) body.remove_prefix(kUtf8Bom.size());
  const size_t first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '{';
}

std::optional<Result<Feed>> ParseJsonFeed(const Input& input, const Options& options) {
  JsonText8 text = DecodeJson(input.body, input.content_type);
  Feed feed;
  JsonFeedContext ctx;
  ctx.options = &options;
  ctx.feed = &feed;
  ctx.base_url = input.base_url;
  size_t items_seen = 0;
  FeedSax sax(options.max_depth, [&](json& item) {
    ++items_seen;
    // Past max_items the newest are kept, wherever the feed lists them.
    if (feed.entries.size() >= 2 * options.max_items) {
      KeepNewestEntries(&feed.entries, options.max_items);
    }
    feed.entries.push_back(JsonFeedEntry(item, &ctx));
  });
  const Reading read = ReadDocument(text.view, &sax);
  const bool whole = read.whole;
  if (!whole && sax.top_keys() == 0 && HoldsFeedXml(input.body)) {
    return std::nullopt;  // a feed after a stray '{' (a server's junk in front of it)
  }
  if (!whole && !sax.root_is_object()) return Err(NotAJsonFeed());
  std::string version_note;
  feed.version = VersionName(sax.top(), &version_note);
  if (feed.version.empty() && !sax.saw_items()) {
    if (!whole) {
      return Err(
          Status::InvalidArgument(StopReason(read, text.view) + "; nothing could be read from it"));
    }
    return Err(Status::InvalidArgument(
        "JSON, but not a JSON Feed: no \"version\" of jsonfeed.org and no \"items\" (an API "
        "answer or an error message?): check the feed's address with the publisher"));
  }
  feed.encoding = text.encoding;
  MapFeedMembers(sax.top(), input, &ctx);
  // An item without authors has the feed's (JSON Feed 1.1, "authors").
  for (Entry& e : feed.entries) {
    if (e.authors.empty()) SetAuthors(feed.feed.authors, &e.author, &e.author_detail, &e.authors);
  }
  NoteLimits(sax, items_seen, options, &feed);
  // The first problem is the reason: bytes, then the document's form, then its version.
  std::string reason = text.bozo_reason;
  if (reason.empty() && !whole) reason = StopReason(read, text.view);
  if (reason.empty() && feed.version.empty()) {
    reason = "no JSON Feed \"version\" (https://jsonfeed.org/version/1.1): read as one";
  }
  if (reason.empty() && !sax.saw_items()) reason = "\"items\" is missing or not an array";
  if (reason.empty() && sax.not_objects() > 0) {
    reason = std::to_string(sax.not_objects()) + " element(s) of \"items\" are not objects";
  }
  if (reason.empty()) reason = version_note;
  if (feed.version.empty()) feed.version = "json11";
  feed.bozo = !reason.empty();
  feed.bozo_reason = std::move(reason);
  feed.cut_off = read.ended;
  UndoDoubleEncoding(&feed);
  return feed;
}

}  // namespace newsd::parse
