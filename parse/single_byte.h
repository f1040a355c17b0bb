#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace newsd::parse {

/// Decodes `in` from the single-byte charset `iconv_name` (windows-125x, KOI8, ISO-8859-x;
/// an IconvName result) to UTF-8 in `*out` with a 256-entry table read once from iconv, giving
/// exactly iconv's result at a fraction of its cost. A byte the charset leaves undefined
/// (0x98 in windows-1251) is written as U+FFFD, as WHATWG decoders do. Returns nullopt when
/// `iconv_name` is not such a charset (the caller then uses iconv), else how many bytes of
/// `in` were undefined in it (0: all valid). Thread-safe.
std::optional<size_t> DecodeSingleByte(std::string_view in, std::string_view iconv_name,
                                       std::string* out);

}  // namespace newsd::parse
