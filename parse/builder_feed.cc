// FeedBuilder's elements at feed level: the channel or feed element, its RSS/Atom children and
// extension elements.
#include <algorithm>
#include <string>

#include "parse/builder.h"
#include "parse/builder_internal.h"
#include "parse/dates.h"
#include "parse/fields.h"
#include "parse/url.h"
#include "parse/xml_util.h"

namespace newsd::parse {

// What a longer <ttl> reads as: about 190 years, far above any poll interval.
constexpr long kMaxTtlMinutes = 99'999'999;

namespace {

// An RSS <ttl> (`v`, trimmed), in minutes.
void ReadTtl(const std::string& v, FeedMeta* meta) {
  if (!v.empty() && std::all_of(v.begin(), v.end(), ::isdigit)) {
    // A huge ttl still asks for rare polls: saturate (the poller clamps to max_interval).
    const size_t start = std::min(v.find_first_not_of('0'), v.size());
    meta->ttl_minutes = v.size() - start < 9 ? std::stol(v) : kMaxTtlMinutes;
  }
}

}  // namespace

void FeedBuilder::FeedElement(pugi::xml_node node, const Ctx& ctx) {
  Fam fam = FamilyOf(ctx.name, atom_doc_, atom03_doc_, root_uri_);
  std::string_view local = ctx.name.local;
  bool rss = fam == Fam::kRss;
  bool atom = fam == Fam::kAtom || fam == Fam::kAtom03;
  // An entry whichever of the two names it has, as feedparser reads them: an Atom feed of
  // <item>s is an Atom feed all the same.
  if ((rss || atom) && (local == "item" || local == "entry")) {
    StartEntry(node, ctx);
    return;
  }
  if ((rss && (local == "rss" || local == "channel")) || (fam == Fam::kRdf && local == "RDF") ||
      (atom && local == "feed")) {
    Ctx inner = ctx;  // inner.base keeps viewing ctx's strings, which outlive it
    // The feed's own element; one nested in an unknown element inside its channel (a CMS's
    // "related" channel) only gives its entries, not its title or schedule.
    inner.wrapper = ctx.wrapper && ctx.in_feed;
    inner.in_feed = ctx.in_feed || local != "rss";  // <rss><result><channel>: still the feed
    Children(node, inner);
    return;
  }
  if (ctx.wrapper) {
    if (HasElementChildren(node)) Children(node, ctx);
    return;
  }
  if (rss || atom) {
    CoreFeedElement(node, ctx, atom);
  } else {
    ExtensionFeedElement(node, ctx, fam);
  }
}

// RSS channel and Atom feed elements.
void FeedBuilder::CoreFeedElement(pugi::xml_node node, const Ctx& ctx, bool atom) {
  std::string_view local = ctx.name.local;
  bool rss = !atom;
  FeedMeta& meta = feed_->feed;
  if (local == "title") {
    meta.title = atom ? TextConstruct(node, ctx).value : RssHtml(node, ctx);
  } else if (local == "link" && atom) {
    AtomLink(node, ctx, &meta.links, &meta.link, nullptr);
  } else if (local == "link") {
    RssFeedLink(node, ctx);
  } else if ((rss && local == "description") ||
             (atom && (local == "subtitle" || local == "tagline" ||
                       (local == "description" && !meta.subtitle)))) {
    meta.subtitle = atom ? TextConstruct(node, ctx).value : RssHtml(node, ctx);
  } else if (local == "language") {
    meta.language = Plain(node);
  } else if (local == "pubDate" || local == "published" || local == "issued") {
    if (auto t = Date(node)) meta.published = t;
  } else if (local == "lastBuildDate" || local == "updated" || local == "modified") {
    if (auto t = Date(node)) meta.updated = t;
  } else if (local == "id" && atom) {
    std::string id = Plain(node);
    meta.id = !HasScheme(id) && !id.empty() ? ResolveUrl(ctx.base, id) : id;
  } else if (local == "author" && atom) {
    Author(node, ctx, &meta.author, &meta.author_detail, &meta.authors);
  } else if (local == "managingEditor" || local == "author") {
    RssAuthor(node, &meta.author, &meta.author_detail, &meta.authors);
  } else if (local == "category") {
    AddTag(Category(node, ctx, atom), &meta.tags);
  } else if (local == "ttl") {
    ReadTtl(Plain(node), &meta);
  } else if (local == "skipHours" && rss) {
    meta.skip_hours = SkipHours(node);
  } else if (local == "skipDays" && rss) {
    meta.skip_days = SkipDays(node);
  } else if (HasElementChildren(node)) {
    // Any other element (RSS 1.0's <items> around its rdf:Seq, <image>, a CMS's own <items>
    // around the <item>s): entries may hide inside, as feedparser finds them at any depth.
    Ctx inner = ctx;
    inner.wrapper = true;
    Children(node, inner);
  }
}

// An RSS channel's <link>: its text, else its href attribute, resolved.
void FeedBuilder::RssFeedLink(pugi::xml_node node, const Ctx& ctx) {
  FeedMeta& meta = feed_->feed;
  std::string text = Plain(node);
  if (TrimXml(text).empty()) text = Attr(node, "href").value_or("");
  if (TrimXml(text).empty()) return;  // an empty <link> is no link, not the base
  std::string href = ResolveFeedUrl(ctx.base, text);
  if (href.empty()) return;
  meta.link = href;
  meta.links.push_back(
      Link{href, "alternate", "text/html", std::nullopt, std::nullopt, std::nullopt});
}

// Extension elements at feed level: dc:, dcterms:, itunes:, and unknown wrappers.
void FeedBuilder::ExtensionFeedElement(pugi::xml_node node, const Ctx& ctx, Fam fam) {
  if (fam == Fam::kDc || fam == Fam::kDcTerms) {
    DcFeedElement(node, ctx);
    return;
  }
  if (fam == Fam::kSy) {
    SyFeedElement(node, ctx);
    return;
  }
  if (fam == Fam::kItunes) {
    ItunesFeedElement(node, ctx);
    return;
  }
  if (fam == Fam::kRdf || fam == Fam::kOther) {
    // Unknown extension element: entries may still hide inside (odd wrappers).
    if (HasElementChildren(node)) {
      Ctx inner = ctx;
      inner.wrapper = true;
      Children(node, inner);
    }
  }
}

void FeedBuilder::DcFeedElement(pugi::xml_node node, const Ctx& ctx) {
  std::string_view local = ctx.name.local;
  FeedMeta& meta = feed_->feed;
  if (local == "title" && !meta.title) {
    meta.title = Plain(node);
  } else if ((local == "creator" || local == "author") && !meta.author) {
    meta.author = NameText(node);
    Person p = ParsePerson(*meta.author);
    meta.author_detail = p;
    meta.authors.push_back(std::move(p));
  } else if (local == "date" || local == "modified") {
    if (auto t = Date(node)) meta.updated = t;
  } else if (local == "issued") {
    if (auto t = Date(node)) meta.published = t;
  } else if (local == "language") {
    meta.language = Plain(node);
  } else if (local == "subject") {
    AddTag(Tag{Plain(node), std::nullopt, std::nullopt}, &meta.tags);
  } else if (local == "description") {
    meta.subtitle = RssHtml(node, ctx);  // the last of the feed's descriptions, as feedparser
  }
}

// sy:updatePeriod and sy:updateFrequency, which together give the update period.
void FeedBuilder::SyFeedElement(pugi::xml_node node, const Ctx& ctx) {
  std::string_view local = ctx.name.local;
  FeedMeta& meta = feed_->feed;
  if (local == "updatePeriod") {
    sy_period_ = SyPeriodSeconds(Plain(node));
  } else if (local == "updateFrequency") {
    sy_frequency_ = SyFrequency(Plain(node));
  }
  if (sy_period_ > 0) meta.update_period_seconds = sy_period_ / std::max<int64_t>(1, sy_frequency_);
}

void FeedBuilder::ItunesFeedElement(pugi::xml_node node, const Ctx& ctx) {
  std::string_view local = ctx.name.local;
  FeedMeta& meta = feed_->feed;
  if (local == "subtitle") {
    // A podcast's tagline: the feed's subtitle, the last of it, <description> and
    // <dc:description> winning (feedparser reads them into one field).
    meta.subtitle = RssHtml(node, ctx);
  } else if (local == "author" && !meta.author) {
    meta.author = NameText(node);
    meta.author_detail = ParsePerson(*meta.author);
  } else if (local == "keywords") {
    AddKeywords(Plain(node), &meta.tags);
  } else if (local == "category") {
    AddItunesCategory(node, &meta.tags);
  }
}

}  // namespace newsd::parse
