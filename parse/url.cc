#include "parse/url.h"

#include "parse/ascii.h"
#include "parse/entities.h"

namespace newsd::parse {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

struct UrlParts {
  std::string_view scheme, authority, path, query;  // scheme without ':', query with '?'
  bool has_authority = false;
};

UrlParts Split(std::string_view u) {
  UrlParts p;
  if (size_t f = u.find('#'); f != std::string_view::npos) u = u.substr(0, f);
  if (HasScheme(u)) {
    size_t colon = u.find(':');
    p.scheme = u.substr(0, colon);
    u.remove_prefix(colon + 1);
  }
  if (u.substr(0, 2) == "//") {
    p.has_authority = true;
    size_t end = u.find_first_of("/?", 2);
    p.authority = u.substr(2, end == std::string_view::npos ? end : end - 2);
    u.remove_prefix(end == std::string_view::npos ? u.size() : end);
  }
  size_t q = u.find('?');
  p.path = u.substr(0, q);
  if (q != std::string_view::npos) p.query = u.substr(q);
  return p;
}

std::string RemoveDotSegments(std::string_view path) {
  std::string out;
  while (!path.empty()) {
    if (path.substr(0, 3) == "../") {
      path.remove_prefix(3);
    } else if (path.substr(0, 2) == "./" || path.substr(0, 3) == "/./") {
      path.remove_prefix(2);
    } else if (path == "/.") {
      path = "/";
    } else if (path.substr(0, 4) == "/../" || path == "/..") {
      path = path.size() == 3 ? std::string_view("/") : path.substr(3);
      size_t cut = out.rfind('/');
      out.resize(cut == std::string::npos ? 0 : cut);
    } else if (path == "." || path == "..") {
      path = {};
    } else {
      size_t next = path.find('/', 1);
      if (next == std::string_view::npos) next = path.size();
      out.append(path.substr(0, next));
      path.remove_prefix(next);
    }
  }
  return out;
}

bool IsUrlAttribute(std::string_view name) {
  static constexpr std::string_view kNames[] = {"href",   "src",      "cite",    "background",
                                                "action", "longdesc", "usemap",  "codebase",
                                                "poster", "profile",  "classid", "data"};
  for (auto n : kNames) {
    if (name.size() == n.size()) {
      bool eq = true;
      for (size_t i = 0; i < n.size() && eq; ++i) eq = (name[i] | 0x20) == n[i];
      if (eq) return true;
    }
  }
  return false;
}

bool IsSrcset(std::string_view name) {
  constexpr std::string_view kSrcset = "srcset";
  if (name.size() != kSrcset.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if ((name[i] | 0x20) != kSrcset[i]) return false;
  }
  return true;
}

}  // namespace

bool HasScheme(std::string_view url) {
  if (url.empty() || !IsAsciiAlpha(url[0])) return false;
  for (size_t i = 1; i < url.size(); ++i) {
    char c = url[i];
    if (c == ':') return true;
    if (!IsAsciiAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
      return false;
  }
  return false;
}

std::string ResolveFeedUrl(std::string_view base, std::string_view ref) {
  // No-break spaces around the URL (a CMS's "&nbsp;" after it) go, as white space does.
  constexpr std::string_view kNbsp = "\xC2\xA0";
  for (bool trimmed = true; trimmed;) {
    ref = Trim(ref);
    trimmed = false;
    if (ref.starts_with(kNbsp)) ref.remove_prefix(kNbsp.size()), trimmed = true;
    if (ref.ends_with(kNbsp)) ref.remove_suffix(kNbsp.size()), trimmed = true;
  }
  constexpr std::string_view kEscaped = "&amp;";
  size_t at = ref.find(kEscaped);
  if (at == std::string_view::npos && ref.find_first_of("\t\r\n") == std::string_view::npos) {
    return ResolveUrl(base, ref);
  }
  std::string once;
  once.reserve(ref.size());
  size_t from = 0;
  for (; at != std::string_view::npos; at = ref.find(kEscaped, from)) {
    once.append(ref.substr(from, at - from)).push_back('&');
    from = at + kEscaped.size();
  }
  once.append(ref.substr(from));
  // Tabs and line breaks inside are dropped, as a browser does (the WHATWG URL standard): a
  // URL wrapped by the feed's generator.
  std::erase_if(once, [](char c) { return c == '\t' || c == '\r' || c == '\n'; });
  return ResolveUrl(base, once);
}

bool IsScriptUrl(std::string_view url) {
  while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
  const size_t colon = url.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view scheme = url.substr(0, colon);
  return EqualsIgnoreCase(scheme, "javascript") || EqualsIgnoreCase(scheme, "vbscript") ||
         EqualsIgnoreCase(scheme, "data");
}

bool IsHttpUrl(std::string_view url) {
  size_t host = 0;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.size() <= scheme.size()) continue;
    bool match = true;
    for (size_t i = 0; i < scheme.size(); ++i) match &= (url[i] | 0x20) == scheme[i];
    if (match) host = scheme.size();
  }
  if (host == 0 || url[host] == '/' || url[host] == '?' || url[host] == '#') return false;
  return !HasXmlSpace(url);
}

std::string ResolveUrl(std::string_view base, std::string_view ref) {
  ref = Trim(ref);
  base = Trim(base);
  if (HasScheme(ref) || base.empty() || !HasScheme(base)) return std::string(ref);
  UrlParts b = Split(base);
  std::string out(b.scheme);
  out += ':';
  if (ref.substr(0, 2) == "//") return out + std::string(ref);
  if (b.has_authority) {
    out += "//";
    out += b.authority;
  }
  std::string_view frag;
  if (size_t f = ref.find('#'); f != std::string_view::npos) {
    frag = ref.substr(f);
    ref = ref.substr(0, f);
  }
  std::string_view query;
  if (size_t q = ref.find('?'); q != std::string_view::npos) {
    query = ref.substr(q);
    ref = ref.substr(0, q);
  }
  if (ref.empty()) {
    out += b.path;
    out += query.empty() ? b.query : query;
  } else if (ref[0] == '/') {
    out += RemoveDotSegments(ref);
    out += query;
  } else {
    std::string merged;
    if (b.has_authority && b.path.empty()) {
      merged = "/";
    } else {
      size_t slash = b.path.rfind('/');
      if (slash != std::string_view::npos) merged = b.path.substr(0, slash + 1);
    }
    merged += ref;
    out += RemoveDotSegments(merged);
    out += query;
  }
  out += frag;
  return out;
}

namespace {

// A srcset list ("a.png, b.png 2x, c.png 640w") with each candidate's URL resolved against
// `base`; separators and descriptors are kept as they were. A URL runs to the next white space
// (commas at its end end the candidate); its descriptors run to the next comma.
std::string ResolveSrcset(std::string_view base, std::string_view list) {
  std::string out;
  size_t pos = 0;
  while (pos < list.size()) {
    const size_t start = pos;
    while (pos < list.size() && (IsAsciiWhitespace(list[pos]) || list[pos] == ',')) ++pos;
    out.append(list.substr(start, pos - start));
    const size_t url_start = pos;
    while (pos < list.size() && !IsAsciiWhitespace(list[pos])) ++pos;
    size_t url_end = pos;
    while (url_end > url_start && list[url_end - 1] == ',') --url_end;
    if (url_end > url_start) out += ResolveUrl(base, list.substr(url_start, url_end - url_start));
    out.append(list.substr(url_end, pos - url_end));
    if (url_end == pos) {  // descriptors, up to the comma (outside parentheses) that ends it
      const size_t d = pos;
      int depth = 0;
      for (; pos < list.size() && (depth > 0 || list[pos] != ','); ++pos) {
        depth += list[pos] == '(' ? 1 : list[pos] == ')' && depth > 0 ? -1 : 0;
      }
      out.append(list.substr(d, pos - d));
    }
  }
  return out;
}

// The bounds [*vstart, *vend) of the attribute value at html[*pos] (quoted or not); *pos
// moves past it.
void ReadAttributeValue(std::string_view html, size_t* pos, size_t* vstart, size_t* vend) {
  if (*pos < html.size() && (html[*pos] == '"' || html[*pos] == '\'')) {
    char q = html[*pos];
    *vstart = *pos + 1;
    *vend = html.find(q, *vstart);
    if (*vend == std::string_view::npos) *vend = html.size();
    *pos = *vend + 1;
  } else {
    *vstart = *pos;
    while (*pos < html.size() && !IsAsciiWhitespace(html[*pos]) && html[*pos] != '>') ++*pos;
    *vend = *pos;
  }
}

// The value `raw` (HTML-escaped) of the attribute `name` with its URLs resolved against `base`;
// nullopt when `name` holds no URL or the value stays as it is.
std::optional<std::string> ResolvedUrlAttribute(std::string_view name, std::string_view raw,
                                                std::string_view base) {
  const bool srcset = IsSrcset(name);
  if (!srcset && !IsUrlAttribute(name)) return std::nullopt;
  std::string value;
  AppendHtmlUnescaped(raw, &value);
  if (srcset) {
    std::string resolved = ResolveSrcset(base, value);
    if (resolved == value) return std::nullopt;
    return resolved;
  }
  if (HasScheme(Trim(value))) return std::nullopt;
  return ResolveUrl(base, value);
}

// Writes the rewritten fragment to *out only when some URL changed; returns whether it did.
bool RewriteHtmlUrls(std::string_view html, std::string_view base, std::string* out) {
  if (base.empty() || html.find('<') == std::string_view::npos) return false;
  bool changed = false;
  size_t copied = 0, pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    ++pos;
    if (pos >= html.size() || !IsAsciiAlpha(html[pos])) continue;
    while (pos < html.size() && !IsAsciiWhitespace(html[pos]) && html[pos] != '>' &&
           html[pos] != '/')
      ++pos;
    // Attributes until '>'.
    while (pos < html.size() && html[pos] != '>') {
      while (pos < html.size() && (IsAsciiWhitespace(html[pos]) || html[pos] == '/')) ++pos;
      size_t name_start = pos;
      while (pos < html.size() && !IsAsciiWhitespace(html[pos]) && html[pos] != '=' &&
             html[pos] != '>' && html[pos] != '/')
        ++pos;
      std::string_view name = html.substr(name_start, pos - name_start);
      while (pos < html.size() && IsAsciiWhitespace(html[pos])) ++pos;
      if (pos >= html.size() || html[pos] != '=') {
        if (name.empty() && pos < html.size() && html[pos] != '>') ++pos;
        continue;
      }
      ++pos;
      while (pos < html.size() && IsAsciiWhitespace(html[pos])) ++pos;
      size_t vstart, vend;
      ReadAttributeValue(html, &pos, &vstart, &vend);
      std::optional<std::string> resolved =
          ResolvedUrlAttribute(name, html.substr(vstart, vend - vstart), base);
      if (!resolved) continue;
      if (!changed) out->reserve(html.size() + 64);
      changed = true;
      out->append(html.substr(copied, vstart - copied));
      AppendHtmlEscaped(*resolved, /*attribute=*/true, out);
      copied = vend;
    }
  }
  if (changed) out->append(html.substr(copied));
  return changed;
}

}  // namespace

std::string ResolveHtmlUrls(std::string_view html, std::string_view base) {
  std::string out;
  return RewriteHtmlUrls(html, base, &out) ? out : std::string(html);
}

namespace {

void EscapeBogusDeclarations(std::string* html) {
  // Copied once with the escapes in place (a replace per "<!" moved the rest of the text each
  // time: quadratic on a text of many).
  std::string out;
  const std::string_view in = *html;
  size_t copied = 0;
  for (size_t at = in.find("<!"); at != std::string_view::npos; at = in.find("<!", at + 1)) {
    const char next = at + 2 < in.size() ? in[at + 2] : '\0';
    const bool letter = (next | 0x20) >= 'a' && (next | 0x20) <= 'z';
    if (letter || next == '-' || next == '[') continue;
    if (out.empty()) out.reserve(in.size() + 16);
    out.append(in.substr(copied, at - copied)).append("&lt;");
    copied = at + 1;
  }
  if (copied == 0) return;
  out.append(in.substr(copied));
  *html = std::move(out);
}

// The namespace declarations of PrepareHtml's `foreign`, wherever they are missing.
void AddForeignNamespaces(std::string* html) {
  std::string out;
  std::string_view in = *html;
  size_t copied = 0, pos = 0;
  while ((pos = in.find('<', pos)) != std::string_view::npos) {
    size_t name_start = ++pos;
    while (pos < in.size() && (IsAsciiAlpha(in[pos]) || in[pos] == ':')) ++pos;
    std::string_view name = in.substr(name_start, pos - name_start);
    size_t gt = in.find('>', pos);
    if (gt == std::string_view::npos) break;  // no tag closes any more: done (stays linear)
    if (name.empty()) continue;
    std::string_view attrs = in.substr(pos, gt - pos);
    std::string add;
    if (attrs.find("xmlns=") == std::string_view::npos) {
      if (name == "svg") add += " xmlns=\"http://www.w3.org/2000/svg\"";
      if (name == "math") add += " xmlns=\"http://www.w3.org/1998/Math/MathML\"";
    }
    if (attrs.find("xlink:") != std::string_view::npos &&
        attrs.find("xmlns:xlink") == std::string_view::npos) {
      add += " xmlns:xlink=\"http://www.w3.org/1999/xlink\"";
    }
    if (!add.empty()) {
      out.append(in.substr(copied, pos - copied));
      out.append(add);
      copied = pos;
    }
    pos = gt;
  }
  if (copied == 0) return;
  out.append(in.substr(copied));
  html->swap(out);
}

}  // namespace

void ResolveHtmlUrlsInPlace(std::string* html, std::string_view base) {
  std::string out;
  if (RewriteHtmlUrls(*html, base, &out)) html->swap(out);
}

void PrepareHtml(std::string* html, std::string_view base, bool foreign) {
  // A memchr for each '<', not a search of the whole text for each of "<!", "<svg" and "<math"
  // (std::string::find restarts a memchr at every '<' for each of them).
  bool declaration = false, svg_or_math = false;
  const std::string_view s = *html;
  for (size_t at = s.find('<'); at != std::string_view::npos; at = s.find('<', at + 1)) {
    const std::string_view next = s.substr(at + 1, 4);
    declaration |= next.starts_with('!');
    svg_or_math |= next.starts_with("svg") || next.starts_with("math");
  }
  if (declaration) EscapeBogusDeclarations(html);
  ResolveHtmlUrlsInPlace(html, base);
  // Resolving escapes what it writes, so it adds no "<svg" (an extra walk would change nothing).
  if (foreign && (svg_or_math || html->find("xlink:") != std::string::npos)) {
    AddForeignNamespaces(html);
  }
}

}  // namespace newsd::parse
