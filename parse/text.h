#pragma once

#include <string>
#include <string_view>

namespace newsd::parse {

/// Plain text of an HTML fragment: tags removed, entities decoded, block elements
/// (p, br, div, li, h1-h6, blockquote) turned into paragraph breaks "\n\n", other whitespace
/// collapsed. Used to derive an article's text for display and matching; the HTML itself is
/// stored untouched.
std::string HtmlToText(std::string_view html);

}  // namespace newsd::parse
