#include "parse/xml_util.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "parse/ascii.h"
#include "parse/entities.h"

namespace newsd::parse {
namespace {

const char* ConventionalUri(std::string_view prefix) {
  static constexpr std::pair<std::string_view, const char*> kKnown[] = {
      {"dc", "http://purl.org/dc/elements/1.1/"},
      {"dcterms", "http://purl.org/dc/terms/"},
      {"content", "http://purl.org/rss/1.0/modules/content/"},
      {"media", "http://search.yahoo.com/mrss/"},
      {"atom", "http://www.w3.org/2005/Atom"},
      {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
      {"xhtml", "http://www.w3.org/1999/xhtml"},
      {"itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"},
      {"sy", "http://purl.org/rss/1.0/modules/syndication/"},
      {"yandex", "http://news.yandex.ru"},
      {"turbo", "http://turbo.yandex.ru"},
      {"rambler", "http://news.rambler.ru"},
  };
  for (const auto& [p, uri] : kKnown) {
    if (p == prefix) return uri;
  }
  return nullptr;
}

bool IsVoid(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"br",    "img",    "hr",    "input", "meta",
                                               "link",  "area",   "base",  "col",   "param",
                                               "embed", "source", "track", "wbr"};
  for (auto v : kVoid) {
    if (EqualsIgnoreCase(v, name)) return true;
  }
  return false;
}

constexpr const char* kXhtmlUri = "http://www.w3.org/1999/xhtml";

constexpr const char* kXlinkUri = "http://www.w3.org/1999/xlink";

// The vocabularies that keep their namespace inside HTML, as HTML5 embeds them.
bool IsSvgOrMathMl(const char* uri) {
  return uri != nullptr && (std::strcmp(uri, "http://www.w3.org/2000/svg") == 0 ||
                            std::strcmp(uri, "http://www.w3.org/1998/Math/MathML") == 0);
}

// The namespace an element of `uri` is written in where `out_ns` is current: SVG and MathML
// keep theirs; XHTML and no namespace are HTML; any other (a feed's dc:title inside SVG, an
// unknown vocabulary) is written in the current one, its prefix dropped, as feedparser does.
const char* OutputNamespace(const char* uri, const char* out_ns) {
  if (IsSvgOrMathMl(uri)) return uri;
  if (uri == nullptr || *uri == '\0' || NsFromUri(uri) == Ns::kXhtml) return kXhtmlUri;
  return out_ns;
}

// Writes element names without prefixes. Elements of SVG or MathML get an xmlns="..." where
// that namespace starts, and XLink attributes (xlink:href) keep their prefix with a
// declaration, so the markup stays self-contained.
void Serialize(pugi::xml_node node, const NsScope& scope, const char* out_ns, size_t depth_left,
               std::string* out, bool* cut);

// The name an attribute of `element` in `scope` is written under, and the XLink prefix to
// declare for it ("" for none): an XLink attribute keeps its prefix, others lose theirs.
std::pair<std::string_view, std::string_view> OutputAttributeName(std::string_view name,
                                                                  const NsScope& scope) {
  const size_t colon = name.find(':');
  if (colon == std::string_view::npos || name.substr(0, colon) == "xml") return {name, {}};
  const char* uri = scope.Lookup(name.substr(0, colon));
  if (uri != nullptr && std::strcmp(uri, kXlinkUri) == 0) return {name, name.substr(0, colon)};
  return {name.substr(colon + 1), {}};
}

// Appends the attributes of `element` in `scope` (its own), namespace declarations left out
// (OutputAttributeName): each XLink prefix declared once. Markup never holds one name twice:
// attributes without a prefix come first and win, then the others (an XLink attribute once per
// local name, whatever its prefix); a name that would read as a declaration ("u:xmlns") is
// left out.
void AppendAttributes(pugi::xml_node element, const NsScope& scope, std::string* out) {
  std::vector<std::string_view> written, declared, xlink_locals;
  auto holds = [](const std::vector<std::string_view>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (const bool prefixed : {false, true}) {
    for (pugi::xml_attribute a = element.first_attribute(); a; a = a.next_attribute()) {
      const std::string_view an = a.name();
      if (an == "xmlns" || an.substr(0, 6) == "xmlns:") continue;
      const bool has_prefix = an.find(':') != std::string_view::npos && an.substr(0, 4) != "xml:";
      if (has_prefix != prefixed) continue;
      const auto [name, xlink] = OutputAttributeName(an, scope);
      if (name == "xmlns" || name.substr(0, 6) == "xmlns:" || holds(written, name)) continue;
      const std::string_view local = xlink.empty() ? name : name.substr(xlink.size() + 1);
      if (!xlink.empty() && holds(xlink_locals, local)) continue;
      written.push_back(name);
      if (!xlink.empty()) xlink_locals.push_back(local);
      out->push_back(' ');
      if (!xlink.empty() && !holds(declared, xlink)) {
        declared.push_back(xlink);
        out->append("xmlns:");
        out->append(xlink);
        out->append("=\"");
        AppendHtmlEscaped(kXlinkUri, true, out);
        out->append("\" ");
      }
      out->append(name);
      out->append("=\"");
      AppendHtmlEscaped(a.value(), true, out);
      out->push_back('"');
    }
  }
}

// Appends the element `child` of `scope` and its content (Serialize); sets *cut instead when
// `depth_left` is 0.
void SerializeElement(pugi::xml_node child, const NsScope& scope, const char* out_ns,
                      size_t depth_left, std::string* out, bool* cut) {
  if (depth_left == 0) {
    *cut = true;
    return;
  }
  NsScope child_scope(&scope, child);
  std::string_view full = child.name();
  size_t colon = full.find(':');
  std::string_view name = LocalName(full);
  const char* uri = child_scope.Lookup(colon == std::string_view::npos ? std::string_view()
                                                                       : full.substr(0, colon));
  const char* child_ns = OutputNamespace(uri, out_ns);
  out->push_back('<');
  out->append(name);
  if (child_ns != out_ns && std::strcmp(child_ns, out_ns) != 0) {
    out->append(" xmlns=\"");
    AppendHtmlEscaped(child_ns, true, out);
    out->push_back('"');
  }
  AppendAttributes(child, child_scope, out);
  if (!child.first_child() && (IsVoid(name) || child_ns != kXhtmlUri)) {
    out->append(" />");
    return;
  }
  out->push_back('>');
  Serialize(child, child_scope, child_ns, depth_left - 1, out, cut);
  out->append("</");
  out->append(name);
  out->push_back('>');
}

void Serialize(pugi::xml_node node, const NsScope& scope, const char* out_ns, size_t depth_left,
               std::string* out, bool* cut) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    switch (child.type()) {
      case pugi::node_pcdata:
      case pugi::node_cdata:
        AppendHtmlEscaped(child.value(), false, out);
        break;
      case pugi::node_element:
        SerializeElement(child, scope, out_ns, depth_left, out, cut);
        break;
      default:
        break;
    }
  }
}

}  // namespace

std::string_view LocalName(std::string_view qualified) {
  const size_t colon = qualified.find(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

Ns NsFromUri(std::string_view uri) {
  while (!uri.empty() && IsXmlSpace(uri.back())) uri.remove_suffix(1);
  std::string_view trimmed = uri;
  if (!trimmed.empty() && trimmed.back() == '/') trimmed.remove_suffix(1);
  static constexpr std::pair<std::string_view, Ns> kUris[] = {
      {"http://purl.org/rss/1.0", Ns::kRss},
      {"http://my.netscape.com/rdf/simple/0.9", Ns::kRss},
      {"http://backend.userland.com/rss2", Ns::kRss},
      {"http://backend.userland.com/rss", Ns::kRss},
      {"http://blogs.law.harvard.edu/tech/rss", Ns::kRss},
      {"http://purl.org/net/rss1.1#", Ns::kRss},
      {"http://www.w3.org/2005/atom", Ns::kAtom10},
      {"http://purl.org/atom/ns#", Ns::kAtom03},
      {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", Ns::kRdf},
      {"http://purl.org/rss/1.0/modules/content", Ns::kContent},
      {"http://purl.org/dc/elements/1.1", Ns::kDc},
      {"http://purl.org/dc/elements/1.0", Ns::kDc},
      {"http://purl.org/dc/terms", Ns::kDcTerms},
      {"http://search.yahoo.com/mrss", Ns::kMedia},
      {"http://video.search.yahoo.com/mrss", Ns::kMedia},
      {"http://www.w3.org/1999/xhtml", Ns::kXhtml},
      {"http://www.itunes.com/dtds/podcast-1.0.dtd", Ns::kItunes},
      {"http://purl.org/rss/1.0/modules/syndication", Ns::kSy},
      {"http://news.yandex.ru", Ns::kYandex},
      {"http://turbo.yandex.ru", Ns::kYandex},
      {"http://news.rambler.ru", Ns::kYandex},
      {"http://www.w3.org/xml/1998/namespace", Ns::kXml},
  };
  if (uri.empty()) return Ns::kNone;
  // Every URI above starts "http://"; "https://" stands for it (a site-wide search-and-replace
  // of http by https reaches the namespace declarations too).
  constexpr std::string_view kHttp = "http://", kHttps = "https://";
  if (trimmed.size() > kHttps.size() &&
      EqualsIgnoreCase(trimmed.substr(0, kHttps.size()), kHttps)) {
    uri.remove_prefix(kHttps.size());
    trimmed.remove_prefix(kHttps.size());
  } else if (trimmed.size() > kHttp.size() &&
             EqualsIgnoreCase(trimmed.substr(0, kHttp.size()), kHttp)) {
    uri.remove_prefix(kHttp.size());
    trimmed.remove_prefix(kHttp.size());
  } else {
    return Ns::kOther;  // no scheme, or another: not one of these
  }
  for (const auto& [u, ns] : kUris) {
    const std::string_view path = u.substr(kHttp.size());
    if (EqualsIgnoreCase(path, trimmed) || EqualsIgnoreCase(path, uri)) return ns;
  }
  return Ns::kOther;
}

NsScope::NsScope(const NsScope* parent, pugi::xml_node node) : parent_(parent) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    const char* name = a.name();
    if (std::strncmp(name, "xmlns", 5) != 0) continue;
    if (name[5] == '\0') {
      decls_.push_back(Decl{std::string_view(), a.value(), NsFromUri(a.value())});
    } else if (name[5] == ':') {
      decls_.push_back(Decl{std::string_view(name + 6), a.value(), NsFromUri(a.value())});
    }
  }
}

const char* BadNamespaceDeclaration(const char* prefix, std::string_view uri) {
  constexpr std::string_view kXmlUri = "http://www.w3.org/XML/1998/namespace";
  constexpr std::string_view kXmlnsUri = "http://www.w3.org/2000/xmlns/";
  const std::string_view p = prefix != nullptr ? prefix : "";
  if (prefix != nullptr && uri.empty()) return "namespace prefix undeclared with an empty URI";
  if (p == "xmlns") return "the xmlns prefix declared";
  if ((p == "xml") != (uri == kXmlUri)) return "the xml prefix or its URI bound otherwise";
  if (uri == kXmlnsUri) return "the xmlns namespace URI bound to a prefix";
  // expat splits names at a space (the separator feedparser gives it): a URI with one is
  // refused.
  if (uri.find(' ') != std::string_view::npos) return "a space in a namespace URI";
  return nullptr;
}

const char* NsScope::Lookup(std::string_view prefix) const {
  Ns ignored;
  return Lookup(prefix, &ignored);
}

const char* NsScope::Lookup(std::string_view prefix, Ns* ns) const {
  for (const NsScope* s = this; s != nullptr; s = s->parent_) {
    for (const Decl& d : s->decls_) {
      if (d.prefix == prefix) {
        *ns = d.ns;
        return d.uri;
      }
    }
  }
  return nullptr;
}

QName ResolveName(const NsScope& scope, std::string_view name, bool is_attribute) {
  QName q;
  size_t colon = name.find(':');
  if (colon == std::string_view::npos) {
    q.local = name;
    if (!is_attribute) {
      Ns ns;
      const char* uri = scope.Lookup("", &ns);
      if (uri != nullptr) {
        q.ns = ns;
        q.uri = uri;
      }
    }
    return q;
  }
  std::string_view prefix = name.substr(0, colon);
  q.local = name.substr(colon + 1);
  if (prefix == "xml") {
    q.ns = Ns::kXml;
    return q;
  }
  Ns ns;
  const char* uri = scope.Lookup(prefix, &ns);
  if (uri == nullptr) {
    q.undeclared = true;
    uri = ConventionalUri(prefix);
    q.ns = uri == nullptr ? Ns::kOther : NsFromUri(uri);
    q.uri = uri == nullptr ? "" : uri;
    return q;
  }
  q.ns = ns;
  q.uri = uri;
  return q;
}

std::string DirectText(pugi::xml_node node) {
  pugi::xml_node first = node.first_child();
  if (first && !first.next_sibling() &&
      (first.type() == pugi::node_pcdata || first.type() == pugi::node_cdata)) {
    return first.value();
  }
  std::string out;
  for (pugi::xml_node c = first; c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

namespace {

// Appends the character data under `node`, each white space run as one space.
void AppendCollapsed(pugi::xml_node node, size_t depth_left, std::string* out) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && depth_left > 0) {
      AppendCollapsed(c, depth_left - 1, out);
      continue;
    }
    if (c.type() != pugi::node_pcdata && c.type() != pugi::node_cdata) continue;
    for (const char* p = c.value(); *p != '\0'; ++p) {
      const bool space = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
      if (!space) {
        out->push_back(*p);
      } else if (!out->empty() && out->back() != ' ') {
        out->push_back(' ');
      }
    }
  }
}

}  // namespace

std::string CollapsedText(pugi::xml_node node, size_t max_depth) {
  std::string out;
  AppendCollapsed(node, max_depth, &out);
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool HasElementChildren(pugi::xml_node node) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return true;
  }
  return false;
}

std::string InnerXml(pugi::xml_node node, const NsScope& scope, size_t max_depth, bool* cut) {
  std::string out;
  bool dummy = false;
  Serialize(node, scope, kXhtmlUri, max_depth, &out, cut != nullptr ? cut : &dummy);
  return out;
}

std::string DecodeBase64(std::string_view in) {
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else if (c == '=' || IsXmlSpace(c)) {
      continue;
    } else {
      return "";
    }
    buf = (buf << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

std::string_view TrimXml(std::string_view s) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace newsd::parse
