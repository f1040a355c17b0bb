#pragma once

#include <cstdint>
#include <pugixml.hpp>
#include <string>

#include "parse/feed.h"
#include "parse/options.h"
#include "parse/xml_prep.h"

namespace newsd::parse {

enum class Fam;

/// Turns a parsed XML tree into a Feed: resolves namespaces, xml:base and xml:lang while
/// walking, and maps RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 elements by namespace URI. Problems met
/// on the way (undeclared prefixes, duplicate attributes, several root elements) are noted in
/// `issues`. Not thread-safe; use one per document.
class FeedBuilder {
 public:
  FeedBuilder(const Options& options, std::string base_url, std::string content_language,
              Feed* feed, XmlIssues* issues);

  /// Fills the feed from `doc`. Returns false when the document has no rss, RDF, feed or
  /// channel element at all.
  bool Build(const pugi::xml_document& doc);

 private:
  struct Ctx;
  struct EntryState;

  void Walk(pugi::xml_node node, const Ctx& parent);
  void FeedElement(pugi::xml_node node, const Ctx& ctx);
  void CoreFeedElement(pugi::xml_node node, const Ctx& ctx, bool atom);
  void ExtensionFeedElement(pugi::xml_node node, const Ctx& ctx, Fam fam);
  // Parts of Build, CoreFeedElement and ExtensionFeedElement (builder.cc, builder_feed.cc).
  void ReadRoot(pugi::xml_node root, const Ctx& top);
  void WalkConcatenated(pugi::xml_node root, const Ctx& top);
  void FinishFeed(pugi::xml_node root);
  void RssFeedLink(pugi::xml_node node, const Ctx& ctx);
  void DcFeedElement(pugi::xml_node node, const Ctx& ctx);
  void SyFeedElement(pugi::xml_node node, const Ctx& ctx);
  void ItunesFeedElement(pugi::xml_node node, const Ctx& ctx);
  void EntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st);
  void CoreEntryElement(pugi::xml_node node, const Ctx& ctx, bool atom, EntryState* st);
  void ExtensionEntryElement(pugi::xml_node node, const Ctx& ctx, Fam fam, EntryState* st);
  // Parts of CoreEntryElement and ExtensionEntryElement (builder_entry.cc).
  void AtomEntrySource(pugi::xml_node node, const Ctx& ctx, EntryState* st);
  void RssEntryLink(pugi::xml_node node, const Ctx& ctx, Entry* e);
  void RssDescription(pugi::xml_node node, const Ctx& ctx, EntryState* st);
  void RssGuid(pugi::xml_node node, const Ctx& ctx, EntryState* st);
  void EntryMetaElement(pugi::xml_node node, const Ctx& ctx, bool atom, Entry* e);
  Content XhtmlContent(pugi::xml_node node, const Ctx& ctx);
  void DcEntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st);
  void MediaEntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st);
  void YandexEntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st);
  void ItunesEntryElement(pugi::xml_node node, const Ctx& ctx, EntryState* st);
  void Children(pugi::xml_node node, const Ctx& ctx);
  void StartEntry(pugi::xml_node node, const Ctx& ctx);
  void FinishEntry(EntryState* st);
  /// Atom: gives entries without an author the feed's (once the whole feed is read).
  void InheritFeedAuthor();
  /// An Atom person construct (name, email, uri), or a bare "name (email)" text: appended to
  /// `authors`; `author` ("name (email)") and `detail` are this one's when it is the first.
  void Author(pugi::xml_node node, const Ctx& ctx, std::optional<std::string>* author,
              std::optional<Person>* detail, std::vector<Person>* authors);
  /// An RSS author (managingEditor): a "name (email)" or "email (name)" string.
  void RssAuthor(pugi::xml_node node, std::optional<std::string>* author,
                 std::optional<Person>* detail, std::vector<Person>* authors);
  /// A category: Atom's term/scheme/label attributes, or RSS's text and domain.
  Tag Category(pugi::xml_node node, const Ctx& ctx, bool atom);
  void AtomLink(pugi::xml_node node, const Ctx& ctx, std::vector<Link>* links,
                std::optional<std::string>* link, std::vector<Enclosure>* enclosures);
  Content TextConstruct(pugi::xml_node node, const Ctx& ctx);
  std::string RssHtml(pugi::xml_node node, const Ctx& ctx);
  std::string Plain(pugi::xml_node node);
  /// The text of `node` and of the elements in it, white space collapsed: a name (an author)
  /// that has markup in it ("Иван <b>Петров</b>").
  std::string NameText(pugi::xml_node node);
  /// The date in `node`'s text, read with Options::zoneless_offset; notes in
  /// Feed::dates_without_zone when one of the first dates names no zone.
  std::optional<UnixSeconds> Date(pugi::xml_node node);
  void Limit(std::string* value);
  void NoteDepthCut(bool cut);
  bool Enter(pugi::xml_node node, const Ctx& parent, Ctx* ctx);
  void DetectVersion(pugi::xml_node root, const Ctx& ctx);

  const Options& options_;
  std::string base_url_;
  std::string content_language_;
  Feed* feed_;
  int64_t sy_period_ = 0;     // sy:updatePeriod in seconds, once seen
  int64_t sy_frequency_ = 1;  // sy:updateFrequency
  XmlIssues* issues_;
  bool atom_doc_ = false;  // root is an Atom feed: no-namespace elements are Atom
  bool atom03_doc_ = false;
  const char* root_uri_ = nullptr;  // unknown root namespace, read as the native one
  size_t items_seen_ = 0;
  size_t dates_checked_ = 0;  // dates checked for a zone (Date)
  bool depth_limited_ = false;
  bool field_limited_ = false;
};

}  // namespace newsd::parse
