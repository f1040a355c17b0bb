#include "parse/opml.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <limits>
#include <optional>
#include <pugixml.hpp>
#include <utility>

#include "core/ids.h"
#include "core/time.h"
#include "parse/ascii.h"
#include "parse/encoding.h"
#include "parse/xml_util.h"

namespace newsd::parse {
namespace {

// Real subscription lists nest two or three levels; anything this deep is hostile.
constexpr size_t kMaxDepth = 64;

// No parse_doctype: pugixml skips a DTD and never expands the entities it declares.
constexpr unsigned kOpmlPugiFlags =
    pugi::parse_escapes | pugi::parse_wconv_attribute | pugi::parse_eol;

// "3600", "90s", "15m", "1h", "2d" in seconds; nullopt when unparsable, negative or too large.
std::optional<int64_t> ParseInterval(std::string_view s) {
  static constexpr std::pair<char, int64_t> kUnits[] = {
      {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  s = TrimXml(s);
  int64_t unit = 1;
  for (auto [suffix, seconds] : kUnits) {
    if (!s.empty() && (s.back() == suffix || s.back() == suffix - 32)) {
      unit = seconds;
      s = TrimXml(s.substr(0, s.size() - 1));
      break;
    }
  }
  int64_t count = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), count);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || count < 0 ||
      count > std::numeric_limits<int64_t>::max() / unit) {
    return std::nullopt;
  }
  return count * unit;
}

// The 1-based line holding byte `offset` of `text` (LF, CRLF or lone CR line ends).
size_t LineAt(std::string_view text, ptrdiff_t offset) {
  size_t end = std::min(text.size(), static_cast<size_t>(std::max<ptrdiff_t>(offset, 0)));
  size_t line = 1;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++line;
    }
  }
  return line;
}

// `s` as valid UTF-8 (bad bytes become U+FFFD) without the C0 controls XML 1.0 forbids.
std::string CleanText(std::string_view s) {
  auto forbidden = [](char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
  };
  if (std::none_of(s.begin(), s.end(), forbidden) && IsValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (forbidden(s[i])) {
      ++i;
    } else if (i + len <= s.size() && IsValidUtf8(s.substr(i, len))) {
      out.append(s, i, len);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

// Up to 64 bytes of a value from the document, quoted, for error messages.
std::string Quote(std::string_view value) {
  std::string s = CleanText(value);
  if (TruncateUtf8(&s, 64)) s += "...";
  return "\"" + s + "\"";
}

// The attributes of one <outline> that ParseOpml reads (the first of duplicates wins).
struct OutlineAttrs {
  pugi::xml_attribute url, title, text, html_url, id, interval, paused, zoneless_dates;

  OutlineAttrs(pugi::xml_node node, const NsScope& scope) {
    auto take = [](pugi::xml_attribute* slot, pugi::xml_attribute a) {
      if (!*slot) *slot = a;
    };
    for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
      std::string_view name = a.name();
      size_t colon = name.find(':');
      if (colon == std::string_view::npos) {  // OPML's own attributes, any case (old exporters)
        if (EqualsIgnoreCase(name, "xmlUrl")) take(&url, a);
        if (EqualsIgnoreCase(name, "title")) take(&title, a);
        if (EqualsIgnoreCase(name, "text")) take(&text, a);
        if (EqualsIgnoreCase(name, "htmlUrl")) take(&html_url, a);
        continue;
      }
      const char* uri = scope.Lookup(name.substr(0, colon));
      if (uri == nullptr || kOpmlNamespace != uri) continue;
      std::string_view local = name.substr(colon + 1);
      if (local == "id") take(&id, a);
      if (local == "interval") take(&interval, a);
      if (local == "paused") take(&paused, a);
      if (local == "zonelessDates") take(&zoneless_dates, a);
    }
  }

  // title, else text.
  std::string_view Name() const {
    std::string_view t = title.value();
    return t.empty() ? std::string_view(text.value()) : t;
  }
};

// Turns the outlines under <body> into feeds, keeping the category path of the walk.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  Status Read(pugi::xml_node body, const NsScope& body_scope, std::vector<OpmlFeed>* out);

 private:
  Status Error(pugi::xml_node at, std::string_view what) const {
    return Status::InvalidArgument("line " + std::to_string(LineAt(text_, at.offset_debug())) +
                                   ": " + std::string(what));
  }
  Status Visit(pugi::xml_node node, const NsScope& scope, std::vector<OpmlFeed>* out);

  std::string_view text_;  // the parsed UTF-8, for line numbers
  std::string category_;
};

// `node` or its first following sibling that is an <outline>.
pugi::xml_node OutlineFrom(pugi::xml_node node) {
  while (node &&
         !(node.type() == pugi::node_element && std::string_view(node.name()) == "outline")) {
    node = node.next_sibling();
  }
  return node;
}

// A feed outline goes to `out`; any other outline extends category_ for its descendants.
Status Reader::Visit(pugi::xml_node node, const NsScope& scope, std::vector<OpmlFeed>* out) {
  OutlineAttrs attrs(node, scope);
  if (!attrs.url) {
    std::string name = CleanText(attrs.Name());
    if (!name.empty()) {
      if (!category_.empty()) category_ += '/';
      category_ += name;
    }
    return Status::Ok();
  }
  OpmlFeed feed;
  // Cleaned like WriteOpml cleans, so that what is read can always be written and read back.
  std::string url = CleanText(attrs.url.value());
  feed.url = std::string(TrimXml(url));
  if (feed.url.empty()) return Error(node, "outline with an empty xmlUrl");
  feed.title = CleanText(attrs.Name());
  feed.html_url = CleanText(attrs.html_url.value());
  feed.category = category_;
  if (attrs.id) {
    feed.id = std::string(TrimXml(attrs.id.value()));
    if (!IsValidFeedId(feed.id)) {
      return Error(node, "newsd:id " + Quote(attrs.id.value()) + " is not a valid feed id");
    }
  }
  if (attrs.interval) {
    std::optional<int64_t> seconds = ParseInterval(attrs.interval.value());
    if (!seconds) {
      return Error(node, "newsd:interval " + Quote(attrs.interval.value()) +
                             " is not a duration (3600, 90s, 15m, 1h, 2d)");
    }
    feed.interval = *seconds;
  }
  feed.paused = attrs.paused.as_bool();
  if (attrs.zoneless_dates) {
    std::optional<int> offset = ParseUtcOffset(TrimXml(attrs.zoneless_dates.value()));
    if (!offset) {
      return Error(node, "newsd:zonelessDates " + Quote(attrs.zoneless_dates.value()) +
                             " must be " + kUtcOffsetHint);
    }
    feed.zoneless_dates = FormatUtcOffset(*offset);
  }
  out->push_back(std::move(feed));
  return Status::Ok();
}

// Depth first without recursion: `open` holds the outline ancestors of `node`, `scopes` their
// namespace scopes (a deque, so the parent pointers inside stay valid).
Status Reader::Read(pugi::xml_node body, const NsScope& body_scope, std::vector<OpmlFeed>* out) {
  struct Open {
    pugi::xml_node node;
    size_t category_size;  // category_.size() before this outline added its name
  };
  std::vector<Open> open;
  std::deque<NsScope> scopes;
  for (pugi::xml_node node = OutlineFrom(body.first_child()); node;) {
    scopes.emplace_back(scopes.empty() ? &body_scope : &scopes.back(), node);
    size_t category_size = category_.size();
    if (Status s = Visit(node, scopes.back(), out); !s.ok()) return s;
    if (pugi::xml_node child = OutlineFrom(node.first_child())) {
      if (open.size() + 2 > kMaxDepth) {
        return Error(child, "outlines nested deeper than " + std::to_string(kMaxDepth) + " levels");
      }
      open.push_back({node, category_size});
      node = child;
      continue;
    }
    scopes.pop_back();
    category_.resize(category_size);
    node = OutlineFrom(node.next_sibling());
    while (!node && !open.empty()) {  // climb to the next ancestor with a following outline
      scopes.pop_back();
      category_.resize(open.back().category_size);
      node = OutlineFrom(open.back().node.next_sibling());
      open.pop_back();
    }
  }
  return Status::Ok();
}

void SetAttr(pugi::xml_node node, const char* name, std::string_view value) {
  std::string clean = CleanText(value);
  node.append_attribute(name).set_value(clean.data(), clean.size());
}

void AppendFeed(pugi::xml_node parent, const OpmlFeed& feed) {
  pugi::xml_node o = parent.append_child("outline");
  SetAttr(o, "type", "rss");
  SetAttr(o, "text", feed.title);
  SetAttr(o, "title", feed.title);
  SetAttr(o, "xmlUrl", feed.url);
  if (!feed.html_url.empty()) SetAttr(o, "htmlUrl", feed.html_url);
  if (!feed.id.empty()) SetAttr(o, "newsd:id", feed.id);
  if (feed.interval != 0) SetAttr(o, "newsd:interval", std::to_string(feed.interval));
  if (feed.paused) SetAttr(o, "newsd:paused", "true");
  if (!feed.zoneless_dates.empty()) SetAttr(o, "newsd:zonelessDates", feed.zoneless_dates);
}

// The non-empty parts of "a/b".
std::vector<std::string_view> CategoryParts(std::string_view category) {
  std::vector<std::string_view> parts;
  while (!category.empty()) {
    size_t slash = std::min(category.find('/'), category.size());
    if (slash > 0) parts.push_back(category.substr(0, slash));
    category.remove_prefix(std::min(slash + 1, category.size()));
  }
  return parts;
}

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string* out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_->append(static_cast<const char*>(data), size);
  }

 private:
  std::string* out_;
};

}  // namespace

Result<std::vector<OpmlFeed>> ParseOpml(std::string_view document) {
  Decoded decoded = DecodeToUtf8(document, "");  // never fails; recovers mis-declared charsets
  std::string_view text = decoded.Text(document);
  auto error = [&](ptrdiff_t offset, std::string_view what) {
    return Err(Status::InvalidArgument("line " + std::to_string(LineAt(text, offset)) + ": " +
                                       std::string(what)));
  };
  // load_buffer copies: `text` stays intact for counting lines.
  pugi::xml_document doc;
  pugi::xml_parse_result parsed =
      doc.load_buffer(text.data(), text.size(), kOpmlPugiFlags, pugi::encoding_utf8);
  if (!parsed) return error(parsed.offset, std::string("malformed XML: ") + parsed.description());
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "opml") {
    return error(root.offset_debug(),
                 "root element <" + std::string(root.name()) + "> is not <opml>");
  }
  pugi::xml_node body = root.child("body");
  if (!body) return error(root.offset_debug(), "<opml> has no <body>");
  NsScope root_scope(nullptr, root);
  NsScope body_scope(&root_scope, body);
  std::vector<OpmlFeed> feeds;
  Reader reader(text);
  if (Status s = reader.Read(body, body_scope, &feeds); !s.ok()) return Err(std::move(s));
  return feeds;
}

std::string WriteOpml(const std::vector<OpmlFeed>& feeds, std::string_view title,
                      std::string_view created) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  SetAttr(decl, "version", "1.0");
  SetAttr(decl, "encoding", "UTF-8");
  pugi::xml_node opml = doc.append_child("opml");
  SetAttr(opml, "version", "2.0");
  SetAttr(opml, "xmlns:newsd", kOpmlNamespace);
  pugi::xml_node head = opml.append_child("head");
  std::string clean = CleanText(title);
  head.append_child("title").text().set(clean.data(), clean.size());
  if (!created.empty()) {
    clean = CleanText(created);
    head.append_child("dateCreated").text().set(clean.data(), clean.size());
  }
  pugi::xml_node body = opml.append_child("body");
  // The category outlines open around the previous feed, outermost first.
  std::vector<std::pair<std::string_view, pugi::xml_node>> open;
  for (const OpmlFeed& feed : feeds) {
    std::vector<std::string_view> parts = CategoryParts(feed.category);
    size_t keep = 0;
    while (keep < open.size() && keep < parts.size() && open[keep].first == parts[keep]) ++keep;
    open.resize(keep);
    for (size_t i = keep; i < parts.size(); ++i) {
      pugi::xml_node outline = (open.empty() ? body : open.back().second).append_child("outline");
      SetAttr(outline, "text", parts[i]);
      SetAttr(outline, "title", parts[i]);
      open.emplace_back(parts[i], outline);
    }
    AppendFeed(open.empty() ? body : open.back().second, feed);
  }
  std::string out;
  StringWriter writer(&out);
  doc.save(writer, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out;
}

}  // namespace newsd::parse
