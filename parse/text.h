#pragma once

#include <string>
#include <string_view>

namespace newsd::parse {

/// Plain text of an HTML fragment: tags removed, entities decoded, block elements
/// (p, br, div, li, h1-h6, blockquote) turned into paragraph breaks "\n\n", other whitespace
/// collapsed. Used to derive an article's text for display and matching; the HTML itself is
/// stored untouched.
std::string HtmlToText(std::string_view html);

/// Whether `text` reads as HTML rather than plain text: it holds a tag of an HTML element
/// ("<p>", "</div>", "<br/>", "<a href=...>") or a character reference ("&amp;", "&#8212;").
/// A wire story's ticker ("<BP>", "<SRD>") or a "<" of prose is no tag. For display: an
/// import's plain text keeps its own line breaks, which HtmlToText would collapse.
bool LooksLikeHtml(std::string_view text);

}  // namespace newsd::parse
