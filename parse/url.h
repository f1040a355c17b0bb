#pragma once

#include <string>
#include <string_view>

namespace newsd::parse {

/// Resolves `ref` against `base` per RFC 3986 section 5 (dot segments removed). An absolute
/// `ref` is returned trimmed and otherwise unchanged; with an empty or relative `base` the
/// result is `ref` itself.
std::string ResolveUrl(std::string_view base, std::string_view ref);

/// ResolveUrl for a URL-valued feed field (a link, an enclosure's or media item's url, an
/// href): the ampersands of a CMS that escaped twice ("&amp;amp;" in the XML, still "&amp;"
/// once it is decoded) are unescaped once first, no-break spaces around it are trimmed and
/// tabs and line breaks inside it dropped (as a browser reads it). Not for HTML, where
/// "&amp;" is the escape.
std::string ResolveFeedUrl(std::string_view base, std::string_view ref);

/// What two links to one article page share, however a feed tags them: for an http(s) URL
/// with a host, the host lower-cased without user info, without "www.", "m.", "mobile." or
/// "amp." in front and without the scheme or its default port; the path without an "amp"
/// segment at either end (not a page "/amp" itself) or a trailing '/'; the query without
/// tracking parameters (utm_*, fbclid, gclid, yclid, ysclid, dclid, gbraid, wbraid, msclkid,
/// mc_cid, mc_eid, _openstat, igshid, ref_src) or an AMP flag ("amp", "amp=1"), the rest in
/// order; the fragment unless it is a tracking tag ("#utm_...", "#xtor=...") or empty. Any
/// other URL is returned as given. For telling an article met again from another copy of its
/// story, never for fetching.
std::string ArticleUrlKey(std::string_view url);

/// True when `url` starts with a scheme ("http:", "mailto:", "tag:").
bool HasScheme(std::string_view url);

/// True for a link that runs code where a reader clicks it ("javascript:alert(1)", "data:",
/// "vbscript:"), any case, after spaces and tabs: no article's address.
bool IsScriptUrl(std::string_view url);

/// True when `url` is an absolute http: or https: URL (any case) with a host and no white
/// space: a web page a link may point to.
bool IsHttpUrl(std::string_view url);

/// Rewrites relative URLs in the URL-valued attributes (href, src, cite, poster, ...) of an
/// HTML fragment against `base`; everything else is copied byte for byte. Returns `html`
/// unchanged when `base` is empty.
std::string ResolveHtmlUrls(std::string_view html, std::string_view base);

/// ResolveHtmlUrls on a string the caller owns; copies nothing when no URL needs resolving.
void ResolveHtmlUrlsInPlace(std::string* html, std::string_view base);

/// The HTML of a feed's text made safe to handle as XML and absolute, in place:
/// * the '<' of a "<!" that opens no declaration, comment or CDATA section ("<!' <a>") is
///   escaped: an HTML parser would read it as a bogus comment and swallow the markup after it;
/// * its URLs are resolved against `base` (ResolveHtmlUrlsInPlace);
/// * when `foreign`, SVG and MathML markup gets the namespace declarations an HTML5 parser would
///   imply (xmlns on <svg>/<math>, xmlns:xlink where xlink: attributes are used), so the
///   fragment stays meaningful as XML. Other markup is unchanged.
/// One walk over the text's '<'s finds which of these have anything to do.
void PrepareHtml(std::string* html, std::string_view base, bool foreign);

}  // namespace newsd::parse
