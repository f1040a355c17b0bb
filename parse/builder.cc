// FeedBuilder's walk: finding the feed element, the document's format and version, entering
// each element (namespaces, xml:base, xml:lang, the depth limit) and handing it to the feed-
// or entry-level readers (builder_feed.cc, builder_entry.cc). The readers of values (text
// constructs, dates, authors, categories, links) are in builder_values.cc.
#include "parse/builder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "parse/builder_internal.h"
#include "parse/fields.h"
#include "parse/url.h"
#include "parse/xml_util.h"

namespace newsd::parse {

Fam FamilyOf(const QName& q, bool atom_doc, bool atom03_doc, const char* root_uri) {
  if (q.ns == Ns::kOther && root_uri != nullptr && std::strcmp(q.uri, root_uri) == 0) {
    return atom_doc ? (atom03_doc ? Fam::kAtom03 : Fam::kAtom) : Fam::kRss;
  }
  switch (q.ns) {
    case Ns::kNone:
      return atom_doc ? (atom03_doc ? Fam::kAtom03 : Fam::kAtom) : Fam::kRss;
    case Ns::kRss:
      return Fam::kRss;
    case Ns::kAtom10:
      return Fam::kAtom;
    case Ns::kAtom03:
      return Fam::kAtom03;
    case Ns::kRdf:
      return Fam::kRdf;
    case Ns::kContent:
      return Fam::kContent;
    case Ns::kDc:
      return Fam::kDc;
    case Ns::kDcTerms:
      return Fam::kDcTerms;
    case Ns::kMedia:
      return Fam::kMedia;
    case Ns::kXhtml:
      return Fam::kXhtml;
    case Ns::kItunes:
      return Fam::kItunes;
    case Ns::kSy:
      return Fam::kSy;
    case Ns::kYandex:
      return Fam::kYandex;
    default:
      return Fam::kOther;
  }
}

FeedBuilder::FeedBuilder(const Options& options, std::string base_url, std::string content_language,
                         Feed* feed, XmlIssues* issues)
    : options_(options),
      base_url_(std::move(base_url)),
      content_language_(std::move(content_language)),
      feed_(feed),
      issues_(issues) {}

// Levels below the root searched for a feed element when the root is not one.
constexpr int kWrapperDepth = 3;

namespace {

// True for an element named like a feed: rss, RDF, feed or channel, any prefix.
bool IsFeedLike(pugi::xml_node n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
  return local == "rss" || local == "RDF" || local == "feed" || local == "channel";
}

// True when a feed-like element is among the children of `n`, down to `depth` levels (an
// <html><body> around the feed), first in document order.
bool HoldsFeed(pugi::xml_node n, int depth) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (IsFeedLike(c) || (depth > 1 && HoldsFeed(c, depth - 1))) return true;
  }
  return false;
}

}  // namespace

bool FeedBuilder::Build(const pugi::xml_document& doc) {
  pugi::xml_node root;
  int roots = 0;
  for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_element) {
      if (!root) root = n;
      ++roots;
    } else if (n.type() == pugi::node_pcdata && !TrimXml(n.value()).empty()) {
      issues_->Note("text outside the root element");
    }
  }
  if (roots > 1) issues_->Note("more than one root element");
  if (!root) return false;
  // Find the feed element: the root, or a feed-like element a few levels down.
  if (!IsFeedLike(root) && !HoldsFeed(root, kWrapperDepth)) return false;
  Ctx top;
  top.base = base_url_;
  top.depth = 0;
  NsScope none(nullptr, pugi::xml_node());
  top.scope = &none;
  top.wrapper = true;
  ReadRoot(root, top);
  feed_->entries.reserve(std::min(CountEntries(root), 2 * options_.max_items));
  Walk(root, top);
  if (roots > 1) WalkConcatenated(root, top);
  if (atom_doc_) InheritFeedAuthor();
  FinishFeed(root);
  return true;
}

// Documents concatenated into one body (a CMS that writes its feed twice, or page after
// page: "<?xml ...?><rss>...</rss><?xml ...?><rss>...</rss>"): the entries of every later
// root element named as the first are read too, the feed's own fields staying the first's.
void FeedBuilder::WalkConcatenated(pugi::xml_node root, const Ctx& top) {
  const FeedMeta first = feed_->feed;
  for (pugi::xml_node next = root.next_sibling(); next; next = next.next_sibling()) {
    if (next.type() == pugi::node_element && std::string_view(next.name()) == root.name()) {
      Walk(next, top);
    }
  }
  feed_->feed = first;
}

// The document's format from its root element (Atom, Atom 0.3, an unknown namespace read as
// the native one) and its version.
void FeedBuilder::ReadRoot(pugi::xml_node root, const Ctx& top) {
  NsScope scope(top.scope, root);
  QName q = ResolveName(scope, root.name(), false);
  if (q.ns == Ns::kOther) root_uri_ = q.uri;
  if (q.local == "feed") {
    atom_doc_ = true;
    std::string version = Attr(root, "version").value_or("");
    atom03_doc_ = q.ns == Ns::kAtom03 || (q.ns == Ns::kNone && version == "0.3");
  }
  Ctx ctx;
  ctx.scope = &scope;
  ctx.name = q;
  DetectVersion(root, ctx);
}

// After the walk: the items over max_items, and the feed's language when no element gave it.
void FeedBuilder::FinishFeed(pugi::xml_node root) {
  KeepNewestEntries(&feed_->entries, options_.max_items);
  if (items_seen_ > feed_->entries.size()) {
    feed_->limits_hit.push_back("max_items: " + std::to_string(feed_->entries.size()) + " of " +
                                std::to_string(items_seen_) + " items kept");
  }
  if (!feed_->feed.language) {
    if (pugi::xml_attribute l = root.attribute("xml:lang")) {
      std::string lang = l.value();
      std::replace(lang.begin(), lang.end(), '_', '-');
      if (!lang.empty()) feed_->feed.language = lang;
    } else if (!content_language_.empty()) {
      std::string lang = content_language_;  // "en_US" as xml:lang's: en-US
      std::replace(lang.begin(), lang.end(), '_', '-');
      feed_->feed.language = lang;
    }
  }
}

namespace {

bool IsRss090(const char* uri) {
  return uri != nullptr && std::strstr(uri, "netscape.com/rdf/simple/0.9") != nullptr;
}

}  // namespace

void FeedBuilder::DetectVersion(pugi::xml_node root, const Ctx& ctx) {
  std::string_view local = ctx.name.local;
  if (local == "rss") {
    std::string v(TrimXml(Attr(root, "version").value_or("")));
    if (v == "0.91") {
      feed_->version = "rss091u";
    } else if (v == "0.92" || v == "0.93" || v == "0.94") {
      feed_->version = "rss0" + v.substr(2);
    } else if (v.substr(0, 2) == "2." || v == "2") {
      feed_->version = "rss20";
    } else {
      feed_->version = "rss";
    }
  } else if (local == "RDF") {
    feed_->version = "rss10";
    // RSS 0.90: its namespace is the default one of the root, or of the channel and items.
    if (IsRss090(ctx.scope->Lookup(""))) {
      feed_->version = "rss090";
      return;
    }
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      NsScope s(ctx.scope, c);
      const char* uri = s.Lookup("");
      std::string_view name = c.name();
      if (size_t colon = name.find(':'); colon != std::string_view::npos) {
        uri = s.Lookup(name.substr(0, colon));
      }
      if (IsRss090(uri)) feed_->version = "rss090";
      break;
    }
  } else if (local == "feed") {
    feed_->version = ctx.name.ns == Ns::kAtom10 ? "atom10" : atom03_doc_ ? "atom03" : "atom";
  } else if (local == "channel") {
    feed_->version = "rss";
  }
}

bool FeedBuilder::Enter(pugi::xml_node node, const Ctx& parent, Ctx* ctx) {
  ctx->depth = parent.depth + 1;
  ctx->entry = parent.entry;
  ctx->wrapper = parent.wrapper;
  ctx->in_feed = parent.in_feed;
  ctx->base = parent.base;
  ctx->doc_base = parent.doc_base;
  ctx->lang = parent.lang;
  if (ctx->depth > options_.max_depth) {
    if (!depth_limited_) {
      feed_->limits_hit.push_back("max_depth: elements nested deeper than " +
                                  std::to_string(options_.max_depth) + " ignored");
      depth_limited_ = true;
    }
    return false;
  }
  size_t count = 0;
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute(), ++count) {
    const char* name = a.name();
    if (count < 16) {
      for (pugi::xml_attribute b = node.first_attribute(); b != a; b = b.next_attribute()) {
        if (std::strcmp(b.name(), name) == 0) issues_->Note("duplicate attribute");
      }
    }
    if (std::strchr(a.value(), '<') != nullptr) issues_->Note("'<' in an attribute value");
    if (std::strncmp(name, "xml:", 4) == 0) {
      if (std::strcmp(name + 4, "base") == 0) {
        ctx->own_base = ResolveUrl(parent.base, a.value());
        ctx->base = ctx->own_base;
        ctx->doc_base = true;
      } else if (std::strcmp(name + 4, "lang") == 0) {
        ctx->lang = a.value();
      }
    } else if (std::strncmp(name, "xmlns", 5) == 0 && (name[5] == '\0' || name[5] == ':')) {
      if (const char* why =
              BadNamespaceDeclaration(name[5] == ':' ? name + 6 : nullptr, a.value())) {
        issues_->Note(why);
      }
    } else if (std::strchr(name, ':') != nullptr) {
      QName q = ResolveName(*ctx->scope, name, true);
      if (q.undeclared) issues_->Note("undeclared namespace prefix in attribute");
    }
  }
  ctx->name = ResolveName(*ctx->scope, node.name(), false);
  if (ctx->name.undeclared) issues_->Note("undeclared namespace prefix");
  if (std::strchr(node.name(), ':') != std::strrchr(node.name(), ':')) {
    issues_->Note("a name with more than one colon");  // no qualified name (Namespaces in XML)
  }
  return true;
}

void FeedBuilder::Walk(pugi::xml_node node, const Ctx& parent) {
  NsScope scope(parent.scope, node);
  Ctx ctx;
  ctx.scope = &scope;
  if (!Enter(node, parent, &ctx)) return;
  if (ctx.entry != nullptr) {
    EntryElement(node, ctx, ctx.entry);
  } else {
    FeedElement(node, ctx);
  }
}

void FeedBuilder::Children(pugi::xml_node node, const Ctx& ctx) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) Walk(c, ctx);
  }
}

void FeedBuilder::NoteDepthCut(bool cut) {
  if (cut && !depth_limited_) {
    depth_limited_ = true;
    feed_->limits_hit.push_back("max_depth: elements nested deeper than " +
                                std::to_string(options_.max_depth) + " ignored");
  }
}

}  // namespace newsd::parse
