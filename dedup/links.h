#pragma once

#include <string>
#include <string_view>

namespace newsd::dedup {

/// Links ("https://t.me/x", "www.site.kz/a") and hashtags ("#news", not "#1" or "&#39;") are
/// outlets' own additions, not the story: they are replaced by a space before tokenising.
/// Returns `text` itself when it has none (the common case), else the cleaned copy, which
/// lives in *buffer. Internal to dedup/ (Tokenize).
std::string_view WithoutLinksAndHashtags(std::string_view text, std::string* buffer);

}  // namespace newsd::dedup
