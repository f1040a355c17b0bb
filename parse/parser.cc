#include "parse/parser.h"

#include <algorithm>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "parse/ascii.h"
#include "parse/builder.h"
#include "parse/encoding.h"
#include "parse/json_feed.h"
#include "parse/mojibake.h"
#include "parse/name_case.h"
#include "parse/url.h"
#include "parse/xml_prep.h"

namespace newsd::parse {
namespace {

constexpr unsigned kFeedPugiFlags = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol |
                                    pugi::parse_wconv_attribute | pugi::parse_ws_pcdata;

// The document as pugixml will see it: UTF-8, prepared. Owns its bytes only when decoding or
// preparing had to change them; otherwise it views the caller's input (no copy).
struct XmlText {
  std::string owned;
  std::string_view view;
  bool is_owned = false;
};

XmlText PrepareText(const Input& input, Decoded* decoded, XmlIssues* issues) {
  XmlText t;
  std::string_view utf8 = decoded->Text(input.body);
  if (PrepareXml(utf8, &t.owned, issues)) {
    t.is_owned = true;
  } else if (!decoded->borrowed) {
    t.owned = std::move(decoded->utf8);
    t.is_owned = true;
  }
  decoded->utf8 = std::string();  // release early: feeds can be large
  t.view = t.is_owned ? std::string_view(t.owned) : utf8;
  return t;
}

// Parses in place when the bytes are ours (pugixml then modifies them), else lets pugixml copy.
bool LoadXml(XmlText* text, pugi::xml_document* doc) {
  pugi::xml_parse_result r = text->is_owned
                                 ? doc->load_buffer_inplace(text->owned.data(), text->owned.size(),
                                                            kFeedPugiFlags, pugi::encoding_utf8)
                                 : doc->load_buffer(text->view.data(), text->view.size(),
                                                    kFeedPugiFlags, pugi::encoding_utf8);
  return static_cast<bool>(r);
}

// RSS 0.91 comes in Netscape's and UserLand's flavours; only the DOCTYPE (which pugixml
// skips) tells Netscape's apart. Looked for in the prolog, before the root element.
bool DeclaresNetscapeRss091(std::string_view doc) {
  const std::string_view prolog = doc.substr(0, std::min(doc.find("<rss"), doc.size()));
  return prolog.find("-//Netscape Communications//DTD RSS 0.91") != std::string_view::npos;
}

// A document that is not well-formed: repaired (RepairXml) into `*text` and parsed again.
// False when even the repaired document is not XML.
bool LoadRepaired(const Input& input, XmlText* text, pugi::xml_document* doc, XmlIssues* issues) {
  issues->Note("document is not well-formed XML");
  // In-place parsing consumed the text: derive it again (rare path), then repair it.
  XmlIssues again;
  Decoded redecoded = DecodeToUtf8(input.body, input.content_type);
  XmlText fresh = PrepareText(input, &redecoded, &again);
  std::string cut_off;
  text->owned = RepairXml(fresh.view, &cut_off, &issues->cut_off);
  text->is_owned = true;
  if (!LoadXml(text, doc)) return false;
  // The likeliest cause when the document ends inside an element: say so first.
  if (!cut_off.empty()) {
    issues->reason = "the document ends inside <" + cut_off + "> (cut off in transfer?)";
  }
  return true;
}

constexpr size_t kShownTitleBytes = 100;  // of an HTML page's title, in NoFeedReason

// Why a document without a feed element is none, for the operator: an HTML page (naming the
// feed it links to, when it does: the feed's address may have moved there), else the plain
// fact.
std::string NoFeedReason(const pugi::xml_document& doc, std::string_view base_url) {
  pugi::xml_node root = doc.document_element();
  if (!EqualsIgnoreCase(root.name(), "html")) return "no rss, RDF or feed element";
  std::string reason = "an HTML page, not a feed";
  for (pugi::xpath_node link : doc.select_nodes("//link[@href]")) {
    const pugi::xml_node node = link.node();
    const std::string_view type = node.attribute("type").value();
    if (EqualsIgnoreCase(node.attribute("rel").value(), "alternate") &&
        (type.find("rss") != std::string_view::npos ||
         type.find("atom") != std::string_view::npos ||
         type.find("feed+json") != std::string_view::npos)) {
      return reason + "; it links to a feed at " +
             ResolveFeedUrl(base_url, node.attribute("href").value()) +
             ": poll that address instead";
    }
  }
  // An error page served as a success ("502 Bad Gateway", a bot check): its title says so.
  // Another server's words go into logs and onto terminals: no control characters (C0, C1)
  // and no bidirectional overrides.
  std::string title;
  const std::string_view page_title = doc.select_node("//title").node().child_value();
  for (size_t i = 0; i < page_title.size(); ++i) {
    const auto c = static_cast<unsigned char>(page_title[i]);
    const auto next = i + 1 < page_title.size() ? static_cast<unsigned char>(page_title[i + 1]) : 0;
    const auto third =
        i + 2 < page_title.size() ? static_cast<unsigned char>(page_title[i + 2]) : 0;
    if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
      ++i;
    } else if (c == 0xE2 && ((next == 0x80 && third >= 0xAA && third <= 0xAE) ||
                             (next == 0x81 && third >= 0xA6 && third <= 0xA9))) {
      i += 2;
    } else if (c <= 0x20 || c == 0x7F) {
      if (!title.empty() && title.back() != ' ') title += ' ';
    } else {
      title += static_cast<char>(c);
    }
  }
  if (!title.empty() && title.back() == ' ') title.pop_back();
  if (TruncateUtf8(&title, kShownTitleBytes)) title += "...";
  if (!title.empty()) reason = "an HTML page titled \"" + title + "\", not a feed";
  return reason + " (the address may have changed: ask the publisher for its feed's address)";
}

// The error for a body that holds no feed: JSON (not a JSON Feed object) is named as such,
// anything else gets `reason`.
Status NotAFeed(std::string_view body, std::string reason) {
  const size_t first = body.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string_view::npos && (body[first] == '{' || body[first] == '[')) {
    return NotAJsonFeed();
  }
  return Status::InvalidArgument(std::move(reason));
}

}  // namespace

Result<Feed> Parse(const Input& input, const Options& options) {
  if (input.body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Err(Status::InvalidArgument("empty document"));
  }
  if (input.body.starts_with("\x1F\x8B")) {  // gzip's magic: compressed, and not said so
    return Err(Status::InvalidArgument(
        "the body is gzip-compressed but was not served with Content-Encoding: gzip (a .gz "
        "file, or a server compressing twice); ask the publisher for the plain feed URL"));
  }
  if (OpensJsonObject(input.body)) {
    if (std::optional<Result<Feed>> json = ParseJsonFeed(input, options)) return std::move(*json);
  }
  Decoded decoded = DecodeToUtf8(input.body, input.content_type);
  Feed feed;
  feed.encoding = decoded.encoding;
  XmlIssues issues;
  if (decoded.bozo) issues.Note(decoded.bozo_reason);
  XmlText text = PrepareText(input, &decoded, &issues);
  const bool netscape = DeclaresNetscapeRss091(text.view);
  pugi::xml_document doc;
  bool repaired = false;
  if (!LoadXml(&text, &doc)) {
    repaired = true;
    if (!LoadRepaired(input, &text, &doc, &issues)) return Err(NotAFeed(input.body, "not XML"));
  }
  RespellVocabularyNames(&doc);
  FeedBuilder builder(options, input.base_url, input.content_language, &feed, &issues);
  if (!builder.Build(doc)) return Err(NotAFeed(input.body, NoFeedReason(doc, input.base_url)));
  UndoDoubleEncoding(&feed);
  if (!repaired) {  // the marker is the repair's: a document's own attribute means nothing
    for (Entry& e : feed.entries) e.cut_off = false;
  }
  if (netscape && feed.version == "rss091u") feed.version = "rss091n";
  feed.bozo = issues.bozo;
  feed.cut_off = issues.cut_off;
  feed.bozo_reason = std::move(issues.reason);
  return feed;
}

}  // namespace newsd::parse
