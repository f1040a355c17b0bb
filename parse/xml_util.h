#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace newsd::parse {

/// Namespace families the parser understands, identified by namespace URI (never by prefix).
enum class Ns {
  kNone,  ///< No namespace: interpreted by the document's format.
  kRss,   ///< RSS 0.90 / 1.0 / UserLand RSS 2.0 namespaces.
  kAtom10,
  kAtom03,
  kRdf,
  kContent,  ///< http://purl.org/rss/1.0/modules/content/
  kDc,
  kDcTerms,
  kMedia,
  kXhtml,
  kItunes,
  kSy,      ///< http://purl.org/rss/1.0/modules/syndication/
  kYandex,  ///< http://news.yandex.ru, http://turbo.yandex.ru and http://news.rambler.ru (RU/KZ
            ///< outlets' full texts)
  kXml,     ///< The built-in xml: namespace.
  kOther,
};

/// Maps a namespace URI to its family (case-insensitive, trailing '/' tolerated).
Ns NsFromUri(std::string_view uri);

/// The in-scope prefix declarations of one element, chained to its parent's. Lives on the
/// stack of the tree walk; `parent` must outlive it.
class NsScope {
 public:
  /// Reads the xmlns / xmlns:p attributes of `node`.
  NsScope(const NsScope* parent, pugi::xml_node node);

  /// The URI bound to `prefix` ("" for the default namespace); nullptr if undeclared.
  const char* Lookup(std::string_view prefix) const;

  /// Like Lookup, also giving the family of the URI (computed once per declaration).
  const char* Lookup(std::string_view prefix, Ns* ns) const;

 private:
  struct Decl {
    std::string_view prefix;
    const char* uri;
    Ns ns;
  };
  const NsScope* parent_;
  std::vector<Decl> decls_;
};

/// An element or attribute name resolved against a scope.
struct QName {
  Ns ns = Ns::kNone;
  const char* uri = "";  ///< The namespace URI ("" for none).
  std::string_view local;
  bool undeclared = false;  ///< The prefix was not declared (resolved by convention).
};

/// Resolves `name` ("p:local" or "local"); attributes pass is_attribute so that unprefixed
/// names stay in no namespace.
QName ResolveName(const NsScope& scope, std::string_view name, bool is_attribute);

/// Why the declaration `xmlns:prefix="uri"` (`prefix` null: `xmlns="uri"`) breaks the
/// Namespaces in XML rules a namespace-aware XML parser enforces (expat, which feedparser's
/// strict pass uses, refuses the document), or null when it is good: a prefix undeclared
/// with "", the xml and xmlns prefixes or their URIs bound otherwise, a space in the URI.
const char* BadNamespaceDeclaration(const char* prefix, std::string_view uri);

/// Concatenated character data (PCDATA and CDATA) of the direct children of `node`.
std::string DirectText(pugi::xml_node node);

/// The character data of `node` and its descendants down to `max_depth` levels, in document
/// order, with each run of XML white space made one space and none at either end.
std::string CollapsedText(pugi::xml_node node, size_t max_depth);

/// True when `node` has element children.
bool HasElementChildren(pugi::xml_node node);

/// Serializes the children of `node` (whose declarations are `scope`) as markup: XHTML
/// elements lose their prefixes and xmlns attributes, foreign ones (SVG, MathML) get an xmlns
/// where their namespace starts, text is re-escaped, empty void elements are written as
/// "<br />". Stops descending below `max_depth` levels and then sets `*cut` (if given).
std::string InnerXml(pugi::xml_node node, const NsScope& scope, size_t max_depth,
                     bool* cut = nullptr);

/// Decodes base64 (whitespace ignored); invalid input gives "".
std::string DecodeBase64(std::string_view in);

/// `s` without leading and trailing XML whitespace.
std::string_view TrimXml(std::string_view s);

/// A qualified name's local part: "dc:date" -> "date"; a name without a prefix as it is.
std::string_view LocalName(std::string_view qualified);

}  // namespace newsd::parse
