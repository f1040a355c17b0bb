#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace newsd::parse {

/// Decodes `in` from the single-byte charset `iconv_name` (windows-125x, KOI8, ISO-8859-x;
/// an IconvName result) to UTF-8 in `*out` with a 256-entry table read once from iconv, giving
/// exactly iconv's result at a fraction of its cost. Returns nullopt when `iconv_name` is not
/// such a charset (the caller then uses iconv), else whether every byte was valid in it (if not,
/// `*out` is unspecified). Thread-safe.
std::optional<bool> DecodeSingleByte(std::string_view in, std::string_view iconv_name,
                                     std::string* out);

}  // namespace newsd::parse
