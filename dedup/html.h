#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace newsd::dedup {

/// The raw-text elements (script, style, ...) whose end tag a text was found not to have past
/// some point: no later start tag of theirs searches for it again, so a text of thousands of
/// unclosed "<script>" is read in linear time. One per text, starting empty.
struct RawTextMisses {
  uint32_t missing = 0;  ///< Bit per element name and form (plain, escaped once).
};

/// If `s[*pos]` starts an HTML tag, comment or declaration ("<p>", "</div>", "<br/>", "<!--"),
/// advances *pos past it, sets *line_break for block-level tags and returns true. Otherwise
/// returns false and leaves *pos unchanged (a lone '<' is ordinary text). A start tag of
/// script, style, noscript, template or iframe is skipped with its content and end tag (code
/// and markup, not text), or alone when no end tag follows.
bool SkipHtmlTag(std::string_view s, size_t* pos, bool* line_break, RawTextMisses* misses);

/// The same for a tag escaped once, as RSS descriptions often carry them ("&lt;p&gt;",
/// "&lt;BP&gt;"), so that an escaped copy reads like its unescaped original.
bool SkipEscapedHtmlTag(std::string_view s, size_t* pos, bool* line_break, RawTextMisses* misses);

/// If `s[*pos]` starts a character entity ("&amp;", "&#171;", "&#xAB;", "&nbsp;"), advances
/// *pos past it, stores the code point and returns true. Unknown entities return false.
bool DecodeHtmlEntity(std::string_view s, size_t* pos, char32_t* cp);

}  // namespace newsd::dedup
