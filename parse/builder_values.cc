// FeedBuilder's readers of element values: dates, plain and name text, RSS HTML, Atom text
// constructs (inline XHTML, base64), authors, categories and Atom links, within the limits
// of Options.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parse/builder.h"
#include "parse/builder_internal.h"
#include "parse/dates.h"
#include "parse/encoding.h"
#include "parse/fields.h"
#include "parse/url.h"
#include "parse/xml_util.h"

namespace newsd::parse {

namespace {

// Dates of a document checked for a zone: a site writes all its dates one way.
constexpr size_t kZoneChecks = 3;

}  // namespace

std::optional<UnixSeconds> ReadFeedDate(std::string_view text, const Options& options, Feed* feed,
                                        size_t* checked) {
  const int offset = options.zoneless_offset.value_or(0);
  std::optional<UnixSeconds> t = ParseFeedDate(text, offset);
  if (!t && text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    if (feed->unreadable_dates++ == 0) {
      feed->first_unreadable_date = text;
      TruncateUtf8(&feed->first_unreadable_date, 80);
    }
  }
  if (t && !feed->dates_without_zone && *checked < kZoneChecks) {
    ++*checked;
    // Read at another offset, a date without a zone moves; one with a zone does not.
    feed->dates_without_zone = ParseFeedDate(text, offset + 3600) != t;
  }
  return t;
}

void LimitField(std::string* value, const Options& options, Feed* feed, bool* noted) {
  if (TruncateUtf8(value, options.max_field_bytes) && !*noted) {
    *noted = true;
    feed->limits_hit.push_back("max_field_bytes: a field was cut to " +
                               std::to_string(options.max_field_bytes) + " bytes");
  }
}

std::optional<UnixSeconds> FeedBuilder::Date(pugi::xml_node node) {
  return ReadFeedDate(DirectText(node), options_, feed_, &dates_checked_);
}

void FeedBuilder::Limit(std::string* value) { LimitField(value, options_, feed_, &field_limited_); }

std::string FeedBuilder::Plain(pugi::xml_node node) {
  std::string v(TrimXml(DirectText(node)));
  Limit(&v);
  return v;
}

std::string FeedBuilder::NameText(pugi::xml_node node) {
  if (!HasElementChildren(node)) return Plain(node);
  std::string v = CollapsedText(node, options_.max_depth);
  Limit(&v);
  return v;
}

// Removes leading and trailing XML whitespace without reallocating.
static void TrimInPlace(std::string* s) {
  std::string_view t = TrimXml(*s);
  if (t.size() == s->size()) return;
  size_t start = static_cast<size_t>(t.data() - s->data());
  s->erase(start + t.size());
  s->erase(0, start);
}

std::string FeedBuilder::RssHtml(pugi::xml_node node, const Ctx& ctx) {
  std::string v;
  if (HasElementChildren(node)) {
    size_t left = options_.max_depth > ctx.depth ? options_.max_depth - ctx.depth : 0;
    bool depth_cut = false;
    v = InnerXml(node, *ctx.scope, left, &depth_cut);
    NoteDepthCut(depth_cut);
  } else {
    v = DirectText(node);
  }
  TrimInPlace(&v);
  PrepareHtml(&v, ctx.base, /*foreign=*/true);
  Limit(&v);
  return v;
}

namespace {

// The XML inside an XHTML (or other XML) text construct: the content of its one <div> in Atom
// 1.0, else everything inside the element.
std::string XmlConstructValue(pugi::xml_node node, const NsScope* scope, bool a03, size_t left,
                              bool* depth_cut) {
  pugi::xml_node inner = node;
  std::optional<NsScope> div_scope;
  if (!a03) {
    pugi::xml_node only;
    int elements = 0;
    for (pugi::xml_node ch = node.first_child(); ch; ch = ch.next_sibling()) {
      if (ch.type() == pugi::node_element) {
        only = ch;
        ++elements;
      }
    }
    std::string_view n = only ? only.name() : "";
    if (elements == 1 && (n == "div" || (n.size() > 4 && n.substr(n.size() - 4) == ":div"))) {
      inner = only;
      div_scope.emplace(scope, inner);
    }
  }
  return InnerXml(inner, div_scope ? *div_scope : *scope, left, depth_cut);
}

// The raw value of a text construct of media `type` and Atom 0.3 `mode`, decoded from base64
// where it is so encoded.
std::string ConstructValue(pugi::xml_node node, const NsScope* scope, const std::string& type,
                           const std::string& mode, bool a03, size_t left, bool* depth_cut) {
  bool xmlish = type.size() > 4 && (type.compare(type.size() - 4, 4, "+xml") == 0 ||
                                    type.compare(type.size() - 4, 4, "/xml") == 0);
  std::string value;
  if (mode == "base64") {
    std::string raw = DirectText(node);
    value = DecodeBase64(raw);
    if (!IsValidUtf8(value)) value = std::move(raw);
  } else if (mode == "escaped") {
    value = DirectText(node);
  } else if (type == "application/xhtml+xml" || xmlish) {
    value = XmlConstructValue(node, scope, a03, left, depth_cut);
  } else if (type.substr(0, 5) == "text/" || !node.attribute("type")) {
    value = HasElementChildren(node) ? InnerXml(node, *scope, left, depth_cut) : DirectText(node);
  } else {
    // Other media types are base64 (RFC 4287 4.1.3.3), unless the text plainly is not.
    std::string raw = DirectText(node);
    value = DecodeBase64(raw);
    if (value.empty() || !IsValidUtf8(value)) value = std::move(raw);
  }
  return value;
}

}  // namespace

Content FeedBuilder::TextConstruct(pugi::xml_node node, const Ctx& ctx) {
  Fam fam = FamilyOf(ctx.name, atom_doc_, atom03_doc_, root_uri_);
  bool a03 = fam == Fam::kAtom03;
  std::string type = Lower(Attr(node, "type").value_or(""));
  std::string mode = Lower(Attr(node, "mode").value_or(""));
  if (type.empty() || type == "text") type = "text/plain";
  if (type == "html") type = "text/html";
  if (type == "xhtml") type = "application/xhtml+xml";
  size_t left = options_.max_depth > ctx.depth ? options_.max_depth - ctx.depth : 0;
  bool depth_cut = false;
  Content c;
  c.value = ConstructValue(node, ctx.scope, type, mode, a03, left, &depth_cut);
  NoteDepthCut(depth_cut);
  TrimInPlace(&c.value);
  if (IsHtmlType(type)) {
    PrepareHtml(&c.value, ctx.base, /*foreign=*/type == "text/html");
  }
  if (!IsValidUtf8(c.value)) c.value.clear();
  Limit(&c.value);
  c.type = type;
  if (auto src = Attr(node, "src")) c.src = ResolveFeedUrl(ctx.base, *src);
  return c;
}

void FeedBuilder::Author(pugi::xml_node node, const Ctx& ctx, std::optional<std::string>* author,
                         std::optional<Person>* detail, std::vector<Person>* authors) {
  Person p;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view name = c.name();
    size_t colon = name.find(':');
    std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
    if (local == "name") {
      p.name = NameText(c);
    } else if (local == "email") {
      p.email = Plain(c);
    } else if (local == "uri" || local == "url" || local == "homepage") {
      p.href = ResolveFeedUrl(ctx.base, Plain(c));
    }
  }
  if (!p.name && !p.email && !p.href) {
    std::string text = Plain(node);  // Atom 0.3 feeds sometimes put the name directly
    if (text.empty()) return;
    p = ParsePerson(text);
  }
  // Several authors: `author` and `author_detail` both name the first (the lead byline, as
  // gofeed's single author does); `authors` lists them all.
  if (!*detail) {
    if (p.name && p.email) {
      *author = *p.name + " (" + *p.email + ")";
    } else if (p.name || p.email) {
      *author = p.name ? *p.name : *p.email;
    }
    *detail = p;
  }
  authors->push_back(std::move(p));
}

void FeedBuilder::RssAuthor(pugi::xml_node node, std::optional<std::string>* author,
                            std::optional<Person>* detail, std::vector<Person>* authors) {
  *author = NameText(node);
  Person p = ParsePerson(**author);
  if (p.name || p.email) *detail = p;
  authors->push_back(std::move(p));
}

Tag FeedBuilder::Category(pugi::xml_node node, const Ctx& ctx, bool atom) {
  Tag t;
  if (atom) {
    t.term = Attr(node, "term");
    t.scheme = Attr(node, "scheme");
    t.label = Attr(node, "label");
  } else {
    t.term = TrimXml(RssHtml(node, ctx));
    t.scheme = Attr(node, "domain");
  }
  return t;
}

void FeedBuilder::AtomLink(pugi::xml_node node, const Ctx& ctx, std::vector<Link>* links,
                           std::optional<std::string>* link, std::vector<Enclosure>* enclosures) {
  auto href = Attr(node, "href");
  if (!href) {
    std::string text = Plain(node);  // RSS-style <atom:link>url</atom:link>
    if (text.empty()) return;
    href = text;
  }
  Link l;
  l.href = ResolveFeedUrl(ctx.base, *href);
  l.rel = CanonicalRel(Attr(node, "rel").value_or("alternate"));
  auto raw_type = TypeAttr(node);
  l.type = raw_type ? *raw_type : (*l.rel == "self" ? "application/atom+xml" : "text/html");
  l.title = Attr(node, "title");
  l.length = Attr(node, "length");
  l.hreflang = Attr(node, "hreflang");
  if (*l.rel == "enclosure" && enclosures != nullptr) {
    enclosures->push_back(Enclosure{l.href, raw_type, l.length});
  }
  if (*l.rel == "alternate" && IsHtmlLinkType(*l.type)) *link = l.href;
  links->push_back(std::move(l));
}

}  // namespace newsd::parse
