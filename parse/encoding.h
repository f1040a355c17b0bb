#pragma once

#include <string>
#include <string_view>

#include "core/utf8.h"

namespace newsd::parse {

/// The outcome of turning raw feed bytes into UTF-8.
struct Decoded {
  std::string utf8;         ///< The document in UTF-8, BOM removed (unless `borrowed`).
  bool borrowed = false;    ///< The input was valid UTF-8 already: it is used without a copy.
  size_t bom_size = 0;      ///< Bytes skipped in the input: a byte-order mark, and any junk
                            ///< before the XML declaration (see DecodeToUtf8).
  std::string encoding;     ///< Charset label actually used, lower case ("utf-8", "koi8-r").
  bool bozo = false;        ///< Mis-declared or undecodable bytes were met and recovered.
  std::string bozo_reason;  ///< Why bozo is set.

  /// The UTF-8 text; `body` must be the input given to DecodeToUtf8.
  std::string_view Text(std::string_view body) const {
    return borrowed ? body.substr(bom_size) : std::string_view(utf8);
  }
};

/// Decides the charset of an XML document and transcodes it to UTF-8. Bytes in front of an XML
/// declaration in the first 16 KiB (white space, a server's warning) are skipped with bozo set,
/// unless a feed element comes before it. Precedence: a byte-order mark; then the charset
/// parameter of `content_type`; then UTF-16/32 sniffed from the first bytes; for text/*xml
/// types without a charset, us-ascii when every byte is ASCII (RFC 3023); then the XML
/// declaration; else UTF-8. Charset labels are matched loosely ("win-1251", "cp1251", "1251",
/// "koi8"). Bytes that are valid UTF-8 with at least 8 multi-byte characters are read as UTF-8
/// under a single-byte label too (bozo set), and under a Cyrillic label (windows-1251, KOI8,
/// ...) with fewer when every one is Cyrillic, a Latin-1 letter, « », a no-break space,
/// general punctuation (’ “ ” — …), № or €. Under a Latin-1 or windows-1252 label, a document
/// whose declaration names a Cyrillic code page and whose words of high bytes are many and
/// stand alone (not accented letters in ASCII words) is read as if labelled by its declaration
/// (bozo set: a server's default charset in front of a windows-1251 feed). Otherwise a document
/// labelled Latin-1 or windows-1252 (by HTTP, its declaration or both: an old site's default)
/// whose text is unmistakably Cyrillic (at least 4 words of 3 or more high bytes only, a third
/// of its letters, next to no ASCII words with accented letters, letters as frequent as Russian
/// ones) is read in the code page its letters show: windows-1251 or KOI8-R by their
/// frequencies, KZ-1048 or PTCP154 by the Kazakh letters; bozo set, the reason naming the label
/// and the code page. French, German or Icelandic text keeps its label. A Content-Type that is
/// not an XML type sets bozo. When the chosen charset cannot decode the bytes (or is unknown: the
/// reason says so), bozo is set and these are tried in turn: the declaration's charset, UTF-8,
/// UTF-8 with stray bytes replaced by U+FFFD (RepairMostlyUtf8; labelled when the chosen or
/// declared charset is UTF-8), the chosen then the declared single-byte code page with the bytes it
/// leaves undefined (0x98 in windows-1251) as U+FFFD when they are at most 1 in 20 non-ASCII bytes,
/// a guess from byte statistics of the text outside tags and links (Shift_JIS, EUC-JP, GB2312,
/// EUC-KR, Big5, TIS-620, windows-1255, KOI8-R, windows-1251, KZ-1048, PTCP154), windows-1252,
/// ISO-8859-1. Never fails.
Decoded DecodeToUtf8(std::string_view body, std::string_view content_type);

/// The `charset` parameter of an HTTP Content-Type value, lower case, quotes removed; "" if none.
std::string CharsetFromContentType(std::string_view content_type);

/// The encoding="..." value of an XML declaration at the start of `doc` (ASCII-compatible
/// bytes); "" if there is none.
std::string XmlDeclEncoding(std::string_view doc);

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

/// A document in UTF-8 but for a few stray bytes (a Latin-1 "é" pasted into a Cyrillic feed):
/// when its multi-byte characters are at least 8 and 4 per invalid byte, writes it to `out`
/// with each invalid byte replaced by U+FFFD and returns true; else false (`out` untouched).
/// A run of invalid bytes that reads as Cyrillic text in windows-1251 (a headline a CMS pasted
/// from an old page: 3 bytes or more above ASCII, nearly all of them letters there) is decoded
/// so instead; `*legacy_runs` (when given) counts such runs, `*replaced` the U+FFFD written.
/// `labelled`: the document says it is UTF-8 (HTTP charset or XML declaration), and one
/// multi-byte character per invalid sequence is enough (a legacy text mislabelled UTF-8 has
/// next to none).
bool RepairMostlyUtf8(std::string_view s, std::string* out, bool labelled = false,
                      size_t* legacy_runs = nullptr, size_t* replaced = nullptr);

/// Converts `in` from `charset` (any common label) to UTF-8 into `*out`. Returns false if the
/// charset is unknown or the bytes are invalid in it; `*out` is then unspecified.
bool TranscodeToUtf8(std::string_view in, std::string_view charset, std::string* out);

/// Cuts `s` to at most `max_bytes` without splitting a UTF-8 sequence. Returns true if cut.
bool TruncateUtf8(std::string* s, size_t max_bytes);

}  // namespace newsd::parse
