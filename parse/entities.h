#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace newsd::parse {

/// The code point of an HTML 4 named entity ("eacute" -> U+00E9), including the five XML ones;
/// nullopt for unknown names. Case-sensitive, as in HTML.
std::optional<char32_t> LookupHtmlEntity(std::string_view name);

/// Decodes a character reference body such as "#233", "#xE9" or "eacute" (without '&' and
/// ';'); nullopt when it is not a valid reference.
std::optional<char32_t> DecodeCharRef(std::string_view ref);

/// Appends `in` to `*out` with HTML character references decoded; unknown or malformed
/// references are kept literally.
void AppendHtmlUnescaped(std::string_view in, std::string* out);

/// Appends `in` to `*out` escaped for HTML/XML text (& < >), and '"' too for an `attribute`
/// value.
void AppendHtmlEscaped(std::string_view in, bool attribute, std::string* out);

}  // namespace newsd::parse
