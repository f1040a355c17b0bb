// PrepareXml's references: entities declared in the internal DTD subset (expanded within
// bounds), character references (C1 controls demoronized, double-encoded UTF-8 joined) and
// HTML named entities, and bare '&'.
#include <string>
#include <string_view>

#include "parse/ascii.h"
#include "parse/entities.h"
#include "parse/xml_prep.h"
#include "parse/xml_prep_internal.h"

namespace newsd::parse {

void ReadEntityDecls(std::string_view dtd, EntityMap* map) {
  size_t pos = 0;
  while ((pos = dtd.find("<!ENTITY", pos)) != std::string_view::npos) {
    pos += 8;
    while (pos < dtd.size() && IsXmlSpace(dtd[pos])) ++pos;
    if (pos < dtd.size() && dtd[pos] == '%') continue;  // parameter entity
    size_t name_start = pos;
    while (pos < dtd.size() && IsNameChar(dtd[pos])) ++pos;
    std::string name(dtd.substr(name_start, pos - name_start));
    while (pos < dtd.size() && IsXmlSpace(dtd[pos])) ++pos;
    if (pos >= dtd.size() || (dtd[pos] != '"' && dtd[pos] != '\'')) continue;
    size_t close = dtd.find(dtd[pos], pos + 1);
    if (close == std::string_view::npos) return;
    if (!name.empty() && map->size() < 1000) {
      (*map)[name] = std::string(dtd.substr(pos + 1, close - pos - 1));
    }
    pos = close + 1;
  }
}

namespace {

// Entities expand entities they name in turn, up to this depth.
constexpr int kMaxEntityDepth = 8;

// Reads a character reference ("&#N;", "&eacute;") at doc[pos]; returns its length, or 0.
size_t NumericRefAt(std::string_view doc, size_t pos, char32_t* cp) {
  if (doc.substr(pos, 1) != "&") return 0;
  // Within 12 bytes: an unbounded search went on to the text's next ';' for every '&'.
  size_t semi = doc.substr(0, pos + 13).find(';', pos);
  if (semi == std::string_view::npos) return 0;
  auto v = DecodeCharRef(doc.substr(pos + 1, semi - pos - 1));
  if (!v) return 0;
  *cp = *v;
  return semi - pos + 1;
}

// UTF-8 bytes written as one reference per byte ("&#226;&#128;&#166;" for U+2026): returns the
// total length and the code point, or 0.
size_t DoubleEncodedAt(std::string_view doc, size_t pos, char32_t* out) {
  char32_t lead;
  size_t len = NumericRefAt(doc, pos, &lead);
  if (len == 0 || lead < 0xC2 || lead > 0xF4) return 0;
  int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
  char32_t cp = lead & (extra == 1 ? 0x1F : extra == 2 ? 0x0F : 0x07);
  size_t total = len;
  for (int i = 0; i < extra; ++i) {
    char32_t cont;
    size_t l = NumericRefAt(doc, pos + total, &cont);
    if (l == 0 || cont < 0x80 || cont > 0xBF) return 0;
    cp = (cp << 6) | (cont & 0x3F);
    total += l;
  }
  if (cp < 0x80 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *out = cp;
  return total;
}

void AppendNumericRef(char32_t cp, std::string* out) {
  out->append("&#");
  out->append(std::to_string(static_cast<uint32_t>(cp)));
  out->push_back(';');
}

bool IsXmlChar(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF);
}

// UTF-8 bytes written as one reference per byte at doc[pos]: appends the one reference to
// the character they spell to *out and returns the bytes consumed, or 0 when there are none.
size_t FixDoubleEncoded(std::string_view doc, size_t pos, std::string* out, XmlIssues* issues) {
  char32_t joined;
  size_t len = DoubleEncodedAt(doc, pos, &joined);
  if (len == 0) return 0;
  std::string_view seq = doc.substr(pos, len);
  for (size_t a = seq.find('&'); a != std::string_view::npos; a = seq.find('&', a + 1)) {
    if (seq[a + 1] != '#') issues->Note("undefined entity in double-encoded text");
  }
  AppendNumericRef(joined, out);
  return len;
}

// A character reference (`name` is "#N" or "#xN", the reference `consumed` bytes long): sets
// *keep when it is fine as it is, else appends its replacement to *out. Returns the bytes
// consumed.
size_t FixCharRef(std::string_view name, size_t consumed, std::string* out, bool* keep,
                  XmlIssues* issues) {
  auto cp = DecodeCharRef(name);
  // "&#X41;": XML's hexadecimal references take a lower-case x; HTML's either (feedparser
  // reads it so when it recovers).
  const bool upper_x = cp && name[1] == 'X';
  if (upper_x) issues->Note("character reference with an upper-case X");
  if (cp && *cp >= 0x80 && *cp <= 0x9F) {
    AppendNumericRef(Demoronize(*cp), out);
  } else if (cp && IsXmlChar(*cp) && *cp != 0xFFFD) {
    upper_x ? AppendNumericRef(*cp, out) : void(*keep = true);
  } else {
    issues->Note("invalid character reference");
    out->append(cp ? "&#xFFFD;" : "&amp;");
    return cp ? consumed : 1;
  }
  return consumed;
}

// Appends the replacement text of a declared entity (`depth` levels deep) to *out, its
// references resolved as the document's are: an entity it names is expanded in turn (XML 1.0
// section 4.4.5). Past the limits above the rest is left out, as a well-formedness error.
void ExpandEntity(std::string_view value, DeclaredEntities* declared, int depth, std::string* out,
                  XmlIssues* issues) {
  if (depth >= kMaxEntityDepth ||
      declared->expanded_bytes + value.size() > declared->max_expanded_bytes) {
    issues->Note("entity expansion too deep or too large");
    return;
  }
  declared->expanded_bytes += value.size();
  for (size_t pos = 0; pos < value.size();) {
    const size_t amp = value.find('&', pos);
    out->append(value.substr(pos, amp == std::string_view::npos ? amp : amp - pos));
    if (amp == std::string_view::npos) break;
    bool keep = false;
    const size_t len = FixReference(value, amp, declared, out, &keep, issues, depth + 1);
    if (keep) out->append(value.substr(amp, len));
    pos = amp + len;
  }
}

}  // namespace

size_t FixReference(std::string_view doc, size_t pos, DeclaredEntities* declared, std::string* out,
                    bool* keep, XmlIssues* issues, int depth) {
  size_t end = pos + 1;
  while (end < doc.size() && end - pos < 40 && (IsNameChar(doc[end]) || doc[end] == '#')) ++end;
  std::string_view name = doc.substr(pos + 1, end - pos - 1);
  if (end >= doc.size() || doc[end] != ';' || name.empty()) {
    issues->Note("unescaped '&' in text");
    out->append("&amp;");
    return 1;
  }
  size_t consumed = end - pos + 1;
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") {
    *keep = true;
    return consumed;
  }
  if (size_t len = FixDoubleEncoded(doc, pos, out, issues)) return len;
  if (name[0] == '#') return FixCharRef(name, consumed, out, keep, issues);
  if (auto it = declared->values.find(std::string(name)); it != declared->values.end()) {
    ExpandEntity(it->second, declared, depth, out, issues);
    return consumed;
  }
  if (auto cp = LookupHtmlEntity(name)) {
    issues->Note("undefined entity &" + std::string(name) + ";");
    AppendNumericRef(*cp, out);
    return consumed;
  }
  issues->Note("undefined entity &" + std::string(name) + ";");
  out->append("&amp;");
  return 1;
}

}  // namespace newsd::parse
