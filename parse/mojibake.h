#pragma once

// Text that was UTF-8, read by a publisher's software as windows-1251, windows-1252 or Latin-1
// and written out as UTF-8 again ("РџСѓС‚РёРЅ" and "ÐŸÑƒÑ‚Ð¸Ð½" for "Путин"). Part of Parse
// (parser.h).

#include <string>

#include "parse/feed.h"

namespace newsd::parse {

/// Restores `*s` when every non-ASCII character of it is a character of windows-1251 or of
/// windows-1252 (C1 controls standing for the bytes a code page leaves undefined) and those
/// bytes, in place of the characters, are valid UTF-8 with at least 3 multi-byte characters
/// (a space where a continuation byte must come stands for 0xA0, a no-break space that later
/// software made a space: "Р РѕСЃСЃРёРё" is "России").
/// Returns true if `*s` changed. Ordinary text in any language is left alone: its letters
/// read back as lead bytes without their continuation bytes, so the test fails at once (most
/// often at the second non-ASCII character). Text part garbled and part not stays as it is.
bool UndoDoubleEncoding(std::string* s);

/// UndoDoubleEncoding on the feed's title and subtitle and each entry's title, summary and
/// contents. Returns how many fields were restored.
size_t UndoDoubleEncoding(Feed* feed);

}  // namespace newsd::parse
