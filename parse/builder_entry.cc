#include <algorithm>

#include "parse/ascii.h"
#include "parse/builder.h"
#include "parse/builder_internal.h"
#include "parse/dates.h"
#include "parse/encoding.h"
#include "parse/fields.h"
#include "parse/text.h"
#include "parse/url.h"
#include "parse/xml_prep.h"
#include "parse/xml_util.h"

namespace newsd::parse {
namespace {

// True when HTML `html` shows no word: empty, white space, markup only (an <img>).
bool WithoutWords(std::string_view html) {
  const std::string text = HtmlToText(html);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\xC2\xA0") == 0) {  // a no-break space
      ++i;
    } else if (text[i] != ' ' && text[i] != '\n' && text[i] != '\t' && text[i] != '\r') {
      return false;
    }
  }
  return true;
}

// FeedBurner's namespace: feeds it republishes add the original article's URL
// (feedburner:origLink) beside a feedproxy.google.com tracking <link>.
bool IsFeedburnerNamespace(std::string_view uri) {
  if (!uri.empty() && uri.back() == '/') uri.remove_suffix(1);
  return Lower(uri) == "http://rssnamespace.org/feedburner/ext/1.0";
}

}  // namespace

void KeepNewestEntries(std::vector<Entry>* entries, size_t keep) {
  if (entries->size() <= keep) return;
  std::vector<size_t> order(entries->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto date = [&](size_t i) {
    const Entry& e = (*entries)[i];
    return e.published ? e.published : e.updated;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto da = date(a), db = date(b);
    if (da.has_value() != db.has_value()) return da.has_value();
    return da.has_value() && *da > *db;
  });
  order.resize(keep);
  std::sort(order.begin(), order.end());
  std::vector<Entry> kept;
  kept.reserve(keep);
  for (size_t i : order) kept.push_back(std::move((*entries)[i]));
  *entries = std::move(kept);
}

void FeedBuilder::StartEntry(pugi::xml_node node, const Ctx& ctx) {
  ++items_seen_;
  // Past max_items the newest are kept, wherever the feed lists them (some list the oldest
  // first): entries are pruned to the newest whenever twice as many are held.
  if (feed_->entries.size() >= 2 * options_.max_items) {
    KeepNewestEntries(&feed_->entries, options_.max_items);
  }
  EntryState st;
  st.entry.cut_off = !node.attribute(kCutOffAttributeName).empty();
  Ctx inner = ctx;
  inner.entry = &st;
  inner.wrapper = false;
  st.lang = std::string(ctx.lang);
  // rdf:about (any prefix bound to RDF): an unprefixed "about" is in no namespace, so no id.
  if (auto about = AttrInNamespace(node, *ctx.scope, Ns::kRdf, "about")) {
    if (ctx.name.ns == Ns::kRss || ctx.name.ns == Ns::kNone) st.entry.id = *about;
  }
  Children(node, inner);
  FinishEntry(&st);
}

void FeedBuilder::FinishEntry(EntryState* st) {
  Entry& e = st->entry;
  if (st->guid) {
    if (!e.id || !e.id->empty()) e.id = st->guid;
    if (st->guid_is_link && !e.link && !st->guid->empty()) e.link = st->guid_link;
  }
  if (!e.link && !st->id_link.empty()) e.link = std::move(st->id_link);
  // A description without a word (an image, empty) beside a media:description or
  // itunes:summary that has some (video and podcast feeds): the text is the latter's.
  if (st->description && st->fallback_summary && !e.summary && WithoutWords(*st->description) &&
      !WithoutWords(*st->fallback_summary)) {
    st->description.reset();
  }
  if (st->description) {
    e.summary = std::move(st->description);
  } else if (!e.summary && !e.content.empty()) {
    const std::string& t = e.content[0].type.value_or("");
    if (t == "text/plain" || IsHtmlType(t)) e.summary = e.content[0].value;
  }
  if (!e.summary && st->fallback_summary) e.summary = std::move(st->fallback_summary);
  if (!e.title && st->fallback_title) e.title = std::move(st->fallback_title);
  if (!e.language && !st->lang.empty()) e.language = std::string(st->lang);
  if (!e.author && e.authors.empty() && !st->source_authors.empty()) {
    e.author = std::move(st->source_author);
    e.author_detail = std::move(st->source_author_detail);
    e.authors = std::move(st->source_authors);
  }
  feed_->entries.push_back(std::move(e));
}

// RFC 4287 4.2.1: an Atom entry without an author (nor one in its <source>) has the feed's.
void FeedBuilder::InheritFeedAuthor() {
  const FeedMeta& meta = feed_->feed;
  if (meta.authors.empty()) return;
  for (Entry& e : feed_->entries) {
    if (e.author || !e.authors.empty()) continue;
    e.author = meta.author;
    e.author_detail = meta.author_detail;
    e.authors = meta.authors;
  }
}

void FeedBuilder::EntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st) {
  Fam fam = FamilyOf(ctx.name, atom_doc_, atom03_doc_, root_uri_);
  if (fam == Fam::kRss || fam == Fam::kAtom || fam == Fam::kAtom03) {
    CoreEntryElement(node, ctx, fam != Fam::kRss, st);
  } else {
    ExtensionEntryElement(node, ctx, fam, st);
  }
}

// RSS and Atom elements of an item/entry.
namespace {

// True for an http(s) URL, or a relative reference that holds a path ("/news/7", "//host/a",
// "news/8.html") and no white space; not for another scheme ("urn:", "tag:") or a bare token.
bool IsPermalink(std::string_view guid) {
  if (IsHttpUrl(guid)) return true;
  return !HasScheme(guid) && guid.find('/') != std::string_view::npos && !HasXmlSpace(guid);
}

// An RSS <enclosure>: one of the entry's enclosures and links.
void AddEnclosure(pugi::xml_node node, std::string_view base, Entry* e) {
  Enclosure enc;
  if (auto url = Attr(node, "url")) enc.url = ResolveFeedUrl(base, *url);
  enc.type = TypeAttr(node);
  enc.length = Attr(node, "length");
  e->links.push_back(Link{enc.url, "enclosure", enc.type, std::nullopt, enc.length, std::nullopt});
  e->enclosures.push_back(std::move(enc));
}

}  // namespace

void FeedBuilder::CoreEntryElement(pugi::xml_node node, const Ctx& ctx, bool atom, EntryState* st) {
  std::string_view local = ctx.name.local;
  bool rss = !atom;
  Entry& e = st->entry;
  if (local == "title") {
    e.title = atom ? TextConstruct(node, ctx).value : RssHtml(node, ctx);
  } else if (local == "source" && atom) {
    AtomEntrySource(node, ctx, st);
  } else if (local == "link" && atom) {
    AtomLink(node, ctx, &e.links, &e.link, &e.enclosures);
  } else if (local == "link") {
    RssEntryLink(node, ctx, &e);
  } else if (rss && (local == "description" || local == "summary")) {
    RssDescription(node, ctx, st);
  } else if (rss && (local == "fullitem" || local == "body")) {
    e.content.push_back(Content{RssHtml(node, ctx), "text/html", {}});
  } else if (rss && local == "tags") {
    AddKeywords(Plain(node), &e.tags);
  } else if (atom && (local == "summary" || (local == "description" && !st->description))) {
    // <description> in an Atom entry is its summary too (feedparser reads it so); a real
    // <summary> wins.
    st->description = TextConstruct(node, ctx).value;
  } else if (atom && local == "content") {
    e.content.push_back(TextConstruct(node, ctx));
  } else if (rss && local == "guid") {
    RssGuid(node, ctx, st);
  } else if (atom && local == "id") {
    std::string id = Plain(node);
    e.id = !HasScheme(id) && !id.empty() ? ResolveUrl(ctx.base, id) : id;
    // As feedparser reads it: an id that is a web address is the link of an entry without one.
    if (const std::string_view trimmed = TrimXml(*e.id); IsHttpUrl(trimmed)) {
      st->id_link = std::string(trimmed);
    }
  } else {
    EntryMetaElement(node, ctx, atom, &e);
  }
}

// The authors of an Atom entry's <source>, kept apart (EntryState::source_authors): Atom
// person constructs (name, email, uri), as the entry's own authors are read.
void FeedBuilder::AtomEntrySource(pugi::xml_node node, const Ctx& ctx, EntryState* st) {
  for (pugi::xml_node child : node.children()) {
    const std::string_view name = child.name();
    const size_t colon = name.find(':');
    if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == "author") {
      Author(child, ctx, &st->source_author, &st->source_author_detail, &st->source_authors);
    }
  }
}

// An RSS <link>: its text, else its href attribute, resolved.
void FeedBuilder::RssEntryLink(pugi::xml_node node, const Ctx& ctx, Entry* e) {
  std::string text = Plain(node);
  if (TrimXml(text).empty()) text = Attr(node, "href").value_or("");
  if (TrimXml(text).empty()) return;  // not the base: a permalink guid may give the link
  std::string href = ResolveFeedUrl(ctx.base, text);
  if (href.empty()) return;
  e->link = href;
  e->links.push_back(
      Link{href, "alternate", "text/html", std::nullopt, std::nullopt, std::nullopt});
}

// An RSS <description> or <summary>.
void FeedBuilder::RssDescription(pugi::xml_node node, const Ctx& ctx, EntryState* st) {
  // A second summary-like element is the full text (feedparser's reading).
  if (st->description) {
    st->entry.content.push_back(Content{RssHtml(node, ctx), "text/html", {}});
  } else {
    st->description = RssHtml(node, ctx);
  }
}

// An RSS <guid>, and whether it gives the link.
void FeedBuilder::RssGuid(pugi::xml_node node, const Ctx& ctx, EntryState* st) {
  // Markup inside a guid ("<guid><p>abc</p></guid>") is kept as written, as gofeed does,
  // rather than dropped with its text.
  st->guid = HasElementChildren(node) ? RssHtml(node, ctx) : Plain(node);
  std::string perma = Lower(Attr(node, "isPermaLink").value_or("true"));
  // Only a web address is a permalink: an http(s) URL, or a path relative to the feed's
  // ("/news/7", "news/8.html"); "123456" or "tass-1234 politika" resolved against the
  // feed's address would name a page that does not exist.
  st->guid_is_link = perma == "true" && IsPermalink(TrimXml(*st->guid));
  st->guid_link = st->guid_is_link ? ResolveFeedUrl(ctx.base, *st->guid) : std::string();
}

// Dates, authors, categories, enclosures and comments of an item/entry (RSS and Atom).
void FeedBuilder::EntryMetaElement(pugi::xml_node node, const Ctx& ctx, bool atom, Entry* e) {
  std::string_view local = ctx.name.local;
  if (local == "pubDate" || local == "published" || local == "issued") {
    if (auto t = Date(node)) e->published = t;
  } else if (local == "updated" || local == "modified") {
    if (auto t = Date(node)) e->updated = t;
  } else if (local == "author" && atom) {
    Author(node, ctx, &e->author, &e->author_detail, &e->authors);
  } else if (local == "author") {
    RssAuthor(node, &e->author, &e->author_detail, &e->authors);
  } else if (local == "category") {
    AddTag(Category(node, ctx, atom), &e->tags);
  } else if (local == "enclosure") {
    AddEnclosure(node, ctx.base, e);
  } else if (local == "comments") {
    e->comments = ResolveFeedUrl(ctx.base, Plain(node));
  }
}

// Extension elements of an item/entry: content:, xhtml:, dc:, dcterms:, media:, itunes:,
// yandex: and turbo:.
void FeedBuilder::ExtensionEntryElement(pugi::xml_node node, const Ctx& ctx, Fam fam,
                                        EntryState* st) {
  std::string_view local = ctx.name.local;
  Entry& e = st->entry;
  switch (fam) {
    case Fam::kContent:
      if (local == "encoded") e.content.push_back(Content{RssHtml(node, ctx), "text/html", {}});
      break;
    case Fam::kXhtml:
      if (local == "body" || local == "div") e.content.push_back(XhtmlContent(node, ctx));
      break;
    case Fam::kDc:
    case Fam::kDcTerms:
      DcEntryElement(node, ctx, st);
      break;
    case Fam::kMedia:
      MediaEntryElement(node, ctx, st);
      break;
    case Fam::kYandex:
      YandexEntryElement(node, ctx, st);
      break;
    case Fam::kItunes:
      ItunesEntryElement(node, ctx, st);
      break;
    case Fam::kOther:
      if (local == "origLink" && IsFeedburnerNamespace(ctx.name.uri)) {
        std::string url = ResolveFeedUrl(ctx.base, Plain(node));
        if (IsHttpUrl(url)) st->entry.orig_link = std::move(url);
      }
      break;
    default:
      break;
  }
}

// An xhtml:body or xhtml:div: the entry's content, as XHTML.
Content FeedBuilder::XhtmlContent(pugi::xml_node node, const Ctx& ctx) {
  size_t left = options_.max_depth > ctx.depth ? options_.max_depth - ctx.depth : 0;
  bool depth_cut = false;
  std::string v = ResolveHtmlUrls(TrimXml(InnerXml(node, *ctx.scope, left, &depth_cut)), ctx.base);
  NoteDepthCut(depth_cut);
  Limit(&v);
  return Content{std::move(v), "application/xhtml+xml", {}};
}

void FeedBuilder::DcEntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st) {
  std::string_view local = ctx.name.local;
  Entry& e = st->entry;
  if (local == "title" && !e.title) {
    e.title = Plain(node);
  } else if (local == "creator" || local == "author") {
    std::string text = NameText(node);
    Person p = ParsePerson(text);
    if (!e.author) {
      e.author = text;
      e.author_detail = p;
    }
    e.authors.push_back(std::move(p));
  } else if (local == "date" || local == "modified") {
    if (auto t = Date(node)) e.updated = t;
  } else if (local == "issued") {
    if (auto t = Date(node)) e.published = t;
  } else if (local == "subject") {
    AddTag(Tag{Plain(node), std::nullopt, std::nullopt}, &e.tags);
  } else if (local == "description" && !st->description) {
    st->description = RssHtml(node, ctx);
  } else if (local == "identifier" && !e.id) {
    e.id = Plain(node);
  } else if (local == "language") {
    e.language = Plain(node);
  }
}

void FeedBuilder::MediaEntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st) {
  std::string_view local = ctx.name.local;
  Entry& e = st->entry;
  if (local == "content") {
    Media m;
    if (auto u = Attr(node, "url")) m.url = ResolveFeedUrl(ctx.base, *u);
    m.type = TypeAttr(node);
    m.medium = Attr(node, "medium");
    m.width = Attr(node, "width");
    m.height = Attr(node, "height");
    m.file_size = Attr(node, "fileSize");
    e.media_content.push_back(std::move(m));
    Children(node, ctx);  // thumbnails may be nested
  } else if (local == "thumbnail") {
    Media m;
    // The URL in its attribute, else (as feedparser reads it) in its text.
    std::optional<std::string> u = Attr(node, "url");
    if (!u && !TrimXml(Plain(node)).empty()) u = std::string(TrimXml(Plain(node)));
    if (u) m.url = ResolveFeedUrl(ctx.base, *u);
    m.width = Attr(node, "width");
    m.height = Attr(node, "height");
    e.media_thumbnail.push_back(std::move(m));
  } else if (local == "group") {
    Children(node, ctx);
  } else if (local == "keywords") {
    AddKeywords(Plain(node), &e.tags);  // "a, b, c": one tag each, as itunes:keywords
  } else if (local == "category") {
    AddTag(Tag{Plain(node),
               Attr(node, "scheme").value_or("http://search.yahoo.com/mrss/category_schema"),
               Attr(node, "label")},
           &e.tags);
  } else if (local == "description" && !st->fallback_summary) {
    st->fallback_summary = RssHtml(node, ctx);
  } else if (local == "title" && !st->fallback_title) {
    st->fallback_title = RssHtml(node, ctx);  // the item's title when it has none
  }
}

void FeedBuilder::YandexEntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st) {
  std::string_view local = ctx.name.local;
  Entry& e = st->entry;
  // The whole article, for Yandex.News, Rambler and Turbo pages: many RU/KZ outlets give only
  // a lead in <description> and the text here (yandex:full-text, rambler:fulltext). The daemon
  // keeps the longest body.
  if (local == "full-text" || local == "fulltext") {
    // Written as markup (<p>, <b>, <br/>): the markup is kept, as content:encoded's is.
    if (HasElementChildren(node)) {
      e.content.push_back(Content{RssHtml(node, ctx), "text/html", {}});
    } else {
      e.content.push_back(Content{Plain(node), "text/plain", {}});
    }
  } else if (local == "content") {
    e.content.push_back(Content{RssHtml(node, ctx), "text/html", {}});
  } else if (local == "topic" && !st->fallback_title) {
    // A Turbo item's headline, which Yandex's format lets stand for <title>.
    st->fallback_title = RssHtml(node, ctx);
  }
}

void FeedBuilder::ItunesEntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st) {
  std::string_view local = ctx.name.local;
  Entry& e = st->entry;
  if (local == "author" && !e.author) {
    e.author = NameText(node);
    e.author_detail = ParsePerson(*e.author);
  } else if (local == "summary" && !st->fallback_summary) {
    st->fallback_summary = RssHtml(node, ctx);
  } else if (local == "keywords") {
    AddKeywords(Plain(node), &e.tags);
  } else if (local == "category") {
    AddItunesCategory(node, &e.tags);
  }
}

}  // namespace newsd::parse
