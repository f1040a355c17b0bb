// Deciding the charset of a document (byte-order mark, HTTP charset, XML declaration) and
// decoding it to UTF-8, with the fallbacks for mislabelled and undecodable bytes.
#include "parse/encoding.h"

#include <iconv.h>

#include <cerrno>
#include <optional>

#include "parse/ascii.h"
#include "parse/encoding_internal.h"
#include "parse/single_byte.h"

namespace newsd::parse {
namespace {

// "<?xm" in EBCDIC (XML 1.0 appendix F): the declaration names the code page.
constexpr const char* kEbcdic = "cp037";

struct Sniffed {
  const char* encoding = nullptr;  // nullptr: ASCII-compatible
  size_t bom_size = 0;
};

Sniffed Sniff(std::string_view b) {
  auto at = [&](size_t i) { return i < b.size() ? static_cast<unsigned char>(b[i]) : 0x100u; };
  if (at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return {"utf-8", 3};
  if (at(0) == 0x00 && at(1) == 0x00 && at(2) == 0xFE && at(3) == 0xFF) return {"utf-32be", 4};
  if (at(0) == 0xFF && at(1) == 0xFE && at(2) == 0x00 && at(3) == 0x00) return {"utf-32le", 4};
  if (at(0) == 0xFE && at(1) == 0xFF) return {"utf-16be", 2};
  if (at(0) == 0xFF && at(1) == 0xFE) return {"utf-16le", 2};
  if (at(0) == 0x00 && at(1) == 0x00 && at(2) == 0x00 && at(3) == 0x3C) return {"utf-32be", 0};
  if (at(0) == 0x3C && at(1) == 0x00 && at(2) == 0x00 && at(3) == 0x00) return {"utf-32le", 0};
  if (at(0) == 0x00 && at(1) == 0x3C && at(2) == 0x00) return {"utf-16be", 0};
  if (at(0) == 0x3C && at(1) == 0x00 && at(2) == 0x3F && at(3) == 0x00) return {"utf-16le", 0};
  if (at(0) == 0x4C && at(1) == 0x6F && at(2) == 0xA7 && at(3) == 0x94) return {kEbcdic, 0};
  return {};
}

// How far into a document an XML declaration is looked for behind junk.
constexpr size_t kJunkWindow = size_t{16} * 1024;

// True when `s` holds the start tag of a namespace-prefixed element ("<atom:feed").
bool HasPrefixedElement(std::string_view s) {
  auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  };
  for (size_t lt = s.find('<'); lt != std::string_view::npos; lt = s.find('<', lt + 1)) {
    size_t i = lt + 1;
    while (i < s.size() && name_char(s[i])) ++i;
    if (i > lt + 1 && i < s.size() && s[i] == ':') return true;
  }
  return false;
}

// Bytes in front of the XML declaration that are no part of the document: white space, or
// a server's warning printed ahead of the feed (PHP's "<br />\n<b>Notice</b>: ..."). 0 when
// the document starts with its declaration, has none in its first kJunkWindow bytes, or has
// a feed element in front of it (then "<?xml" is text inside the feed).
size_t JunkBeforeDeclaration(std::string_view doc) {
  if (doc.starts_with("<?xml")) return 0;
  const size_t pos = doc.substr(0, kJunkWindow).find("<?xml");
  if (pos == std::string_view::npos || pos + 5 >= doc.size()) return 0;
  const char after = doc[pos + 5];  // "<?xml-stylesheet" is no declaration
  if (after != ' ' && after != '\t' && after != '\r' && after != '\n') return 0;
  const std::string_view before = doc.substr(0, pos);
  for (std::string_view root : {"<rss", "<feed", "<rdf", "<RDF", "<channel", "<item", "<entry"}) {
    if (before.find(root) != std::string_view::npos) return 0;
  }
  if (HasPrefixedElement(before)) return 0;  // "<atom:feed": a feed, not a server's warning
  return pos;
}

// Multi-byte UTF-8 characters that make a single-byte label a mistake (see DecodeToUtf8).
constexpr size_t kMinUtf8Evidence = 8;

bool IsAscii(std::string_view s) {
  unsigned char any = 0;
  for (char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

// True when `label` names a charset newsd can decode.
bool KnownCharset(std::string_view label) {
  std::string probe;
  return TranscodeToUtf8("", label, &probe);
}

// DecodeWithFewUndefined: at most one byte the code page leaves undefined per this many
// non-ASCII bytes. (Bytes of another code page under its label hit those slots far more.)
constexpr size_t kHighBytesPerUndefined = 20;

// Decodes `in` from the single-byte code page `label` with each byte it leaves undefined
// (0x98 in windows-1251) as U+FFFD, when such bytes are few (a headline pasted in UTF-8 into
// a windows-1251 feed). False for other charsets, or when they are many.
bool DecodeWithFewUndefined(std::string_view in, std::string_view label, std::string* out) {
  std::string text;
  const std::optional<size_t> undefined = DecodeSingleByte(in, IconvName(label), &text);
  if (!undefined) return false;
  size_t high = 0;
  for (char c : in) high += static_cast<unsigned char>(c) >= 0x80 ? 1 : 0;
  if (*undefined * kHighBytesPerUndefined > high) return false;
  *out = std::move(text);
  return true;
}

// Converts `in` from the iconv charset `name` to UTF-8 with iconv itself; false when iconv
// does not know `name` or the bytes are invalid in it.
bool IconvToUtf8(std::string_view in, const std::string& name, std::string* out) {
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;  // NOLINT(performance-no-int-to-ptr)
  out->clear();
  out->resize(in.size() * 2 + 16);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  size_t used = 0;
  bool ok = true;
  while (src_left > 0) {
    char* dst = out->data() + used;
    size_t dst_left = out->size() - used;
    size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    used = out->size() - dst_left;
    if (r != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      out->resize(out->size() * 2);
    } else {
      ok = false;  // EILSEQ or EINVAL (truncated sequence)
      break;
    }
  }
  iconv_close(cd);
  out->resize(used);
  return ok && IsValidUtf8(*out);
}

// The charset the Content-Type names: "" when it names none, or UTF-16 or UTF-32 over bytes
// that plainly are not (bozo set). A type that is not XML sets bozo too.
std::string HttpCharset(MediaKind media, std::string_view content_type, const Sniffed& sniff,
                        std::string_view rest, Decoded* d) {
  std::string http_charset = media == MediaKind::kNone ? "" : CharsetFromContentType(content_type);
  if (media == MediaKind::kOther) {
    d->bozo = true;
    d->bozo_reason = "Content-Type is not an XML media type";
  }
  if (IsUtf16Or32(http_charset) && sniff.encoding == nullptr && !rest.empty() && rest[0] == '<') {
    d->bozo = true;  // the bytes are plainly ASCII-compatible
    d->bozo_reason = "served as " + http_charset + " but is not";
    http_charset.clear();
  }
  // The reverse: "<" and "?" with zero bytes beside them are UTF-16 or UTF-32 whatever the
  // header says (XML 1.0, appendix F); read by an ASCII-compatible charset they are not XML.
  if (!http_charset.empty() && !IsUtf16Or32(http_charset) && sniff.encoding != nullptr &&
      sniff.bom_size == 0 && IsUtf16Or32(sniff.encoding)) {
    d->bozo = true;
    d->bozo_reason = "served as " + http_charset + " but is " + sniff.encoding;
    http_charset.clear();
  }
  return http_charset;
}

// An encoding whose bytes are all ASCII but whose text is not: ISO-2022-*, HZ, UTF-7.
bool IsSevenBitEscaped(std::string_view name) {
  const std::string n = AsciiLower(name);
  return n.starts_with("iso-2022") || n.starts_with("csiso2022") || n == "hz-gb-2312" ||
         n == "hz" || n == "utf-7" || n == "unicode-1-1-utf-7" || n == "csunicode11utf7";
}

// A text/ type that is no XML type (text/plain, text/html).
bool IsTextMedia(MediaKind media, std::string_view content_type) {
  const size_t start = content_type.find_first_not_of(" \t");
  return media == MediaKind::kOther && start != std::string_view::npos &&
         AsciiLower(content_type.substr(start, 5)) == "text/";
}

// The charset of the XML declaration of `rest` (ASCII-compatible bytes), else UTF-8. A declared
// UTF-16 or UTF-32 is ignored, with bozo set.
std::string DeclaredOrUtf8(std::string_view rest, Decoded* d) {
  std::string chosen = XmlDeclEncoding(rest);
  if (IsUtf16Or32(chosen)) {  // declared UTF-16 but the bytes are ASCII-compatible
    d->bozo = true;
    d->bozo_reason = "document declared as " + chosen + " but is not";
    chosen.clear();
  }
  if (chosen.empty()) chosen = "utf-8";
  return chosen;
}

// The charset to decode `rest` (the document after its BOM and junk) by, in DecodeToUtf8's
// order of precedence.
std::string ChooseCharset(const Sniffed& sniff, std::string_view rest,
                          std::string_view content_type, Decoded* d) {
  MediaKind media = ClassifyMedia(content_type);
  std::string http_charset = HttpCharset(media, content_type, sniff, rest, d);
  if (!http_charset.empty() && sniff.bom_size == 0) return http_charset;
  if (sniff.encoding == kEbcdic) {
    // Every EBCDIC code page writes the declaration's characters alike: read it as cp037.
    std::string chosen;
    std::string head;
    if (TranscodeToUtf8(rest.substr(0, 256), kEbcdic, &head)) chosen = XmlDeclEncoding(head);
    if (chosen.empty()) chosen = kEbcdic;
    return chosen;
  }
  if (sniff.encoding != nullptr) return sniff.encoding;  // a BOM, or UTF-16/32 sniffed from "<?"
  if ((media == MediaKind::kTextXml || IsTextMedia(media, content_type)) && IsAscii(rest)) {
    // RFC 3023's text/xml default, as feedparser applies it to any text/ type (text/plain,
    // text/html: bozo already). RFC 7303 dropped it: a text/xml feed with other bytes (nginx
    // serves .xml as text/xml) is read by its declaration, not flagged. Nor is one declared in
    // a 7-bit encoding that is no ASCII (ISO-2022-JP): its escapes would stay in the text.
    std::string declared = XmlDeclEncoding(rest);
    return IsSevenBitEscaped(declared) ? declared : "us-ascii";
  }
  return DeclaredOrUtf8(rest, d);
}

// Sets bozo for `junk`, the bytes skipped in front of the XML declaration.
void NoteJunk(std::string_view junk, Decoded* d) {
  const bool blank = junk.find_first_not_of(" \t\r\n") == std::string_view::npos;
  d->bozo = true;
  d->bozo_reason = std::to_string(junk.size()) + (junk.size() == 1 ? " byte" : " bytes") +
                   " before the XML declaration ignored" +
                   (blank ? "" : " (a server warning printed ahead of the feed?)");
}

// True when `rest` is used as it is, as UTF-8: valid UTF-8 under a UTF-8 label, or under a
// single-byte label it plainly is not in (bozo set).
bool BorrowUtf8(std::string_view rest, const std::string& chosen, Decoded* d) {
  std::string iconv_name = IconvName(chosen);
  if ((iconv_name == "utf-8" || iconv_name == "UTF-8") && IsValidUtf8(rest)) {
    d->borrowed = true;
    d->encoding = chosen;
    return true;
  }
  // A single-byte label over bytes that are UTF-8 throughout, with many multi-byte characters
  // (a site moved to UTF-8, its server still saying windows-1251): read as UTF-8. Legacy text
  // is next to never valid UTF-8; decoded by the label, the same feed came out as "РџСЂР°"
  // or, when a headline held a byte that code page lacks, as UTF-8, poll by poll.
  // Fewer such characters are enough under a Cyrillic label when each is one such a site writes
  // (’ “ ” — « » Cyrillic): "вЂ™" is what windows-1251 makes of a ’.
  if (IsSingleByteLabel(iconv_name) && IsValidUtf8(rest) &&
      (MultiByteCharacters(rest) >= kMinUtf8Evidence ||
       (IsCyrillicLabel(iconv_name) && AllMultiByteCharactersPlausible(rest)))) {
    d->borrowed = true;
    d->encoding = "utf-8";
    d->bozo = true;
    if (d->bozo_reason.empty()) d->bozo_reason = "declared as " + chosen + " but is UTF-8";
    return true;
  }
  return false;
}

// The first fallbacks of DecodeByFallbacks: the declared charset, UTF-8, UTF-8 with a few
// stray bytes replaced. False when none decodes `rest`.
bool DecodeAsDeclaredOrUtf8(std::string_view rest, const std::string& chosen,
                            const std::string& declared, Decoded* d) {
  for (const std::string& f : {declared, std::string("utf-8")}) {
    if (f.empty() || IconvName(f) == IconvName(chosen)) continue;
    if (TranscodeToUtf8(rest, f, &d->utf8)) {
      d->encoding = f;
      return true;
    }
  }
  auto utf8 = [](const std::string& name) {
    const std::string n = IconvName(name);
    return n == "utf-8" || n == "UTF-8";
  };
  size_t legacy_runs = 0, replaced = 0;
  if (RepairMostlyUtf8(rest, &d->utf8, utf8(chosen) || utf8(declared), &legacy_runs, &replaced)) {
    d->encoding = "utf-8";
    if (legacy_runs > 0) {
      d->bozo_reason +=
          "; " + std::to_string(legacy_runs) + " stretches not in UTF-8 read as windows-1251";
    }
    if (replaced > 0 || legacy_runs == 0) d->bozo_reason += "; invalid bytes replaced with U+FFFD";
    return true;
  }
  return false;
}

// The last fallbacks of DecodeByFallbacks, of which the final one always decodes.
void DecodeByGuess(std::string_view rest, const std::string& chosen, const std::string& declared,
                   Decoded* d) {
  // What the bytes say first (KZ-1048 or Shift_JIS under a wrong label); then the label's
  // code page with its few undefined bytes as U+FFFD (a headline pasted in UTF-8 into a
  // windows-1251 feed); then the generic Latin code pages.
  auto transcode = [&](const char* f) {
    if (f == nullptr || chosen == f || !TranscodeToUtf8(rest, f, &d->utf8)) return false;
    d->encoding = f;
    return true;
  };
  if (transcode(GuessDoubleByte(rest)) || transcode(GuessSingleByte(rest))) return;
  for (const std::string* f : {&chosen, &declared}) {
    if (f->empty() || (f == &declared && declared == chosen)) continue;
    if (DecodeWithFewUndefined(rest, *f, &d->utf8)) {
      d->encoding = *f;
      d->bozo_reason += "; bytes undefined in " + *f + " replaced with U+FFFD";
      return;
    }
  }
  // A short Cyrillic text (a feed of a headline or two) says too little for GuessSingleByte;
  // its words of letters 0xC0-0xFF that read as Russian or Kazakh still tell it, as under a
  // Latin-1 label.
  if (transcode(GuessCyrillicUnderLatin1(rest))) return;
  if (transcode("windows-1252") || transcode("iso-8859-1")) return;
  d->encoding = "iso-8859-1";
  if (!TranscodeToUtf8(rest, "iso-ir-100", &d->utf8)) d->utf8.clear();
}

// A Kazakh feed in KZ-1048 or PT154 labelled windows-1251 decodes without error as windows-1251,
// with Macedonian and Ukrainian letters in place of ә қ ң ғ ү ұ ө ("Ќазаќстан"). Decodes such a
// text by the code page its letters are from, bozo set; false for any other text or label.
bool DecodeKazakhUnderWindows1251(std::string_view rest, const std::string& chosen, Decoded* d) {
  const std::string name = IconvName(chosen);
  if (name != "windows-1251" && name != "cp1251") return false;
  const char* kazakh = GuessKazakhUnderWindows1251(rest);
  if (kazakh == nullptr || !TranscodeToUtf8(rest, kazakh, &d->utf8)) return false;
  d->encoding = kazakh;
  d->bozo = true;
  if (!d->bozo_reason.empty()) d->bozo_reason += "; ";
  d->bozo_reason += "labelled " + chosen + ", but its letters are Kazakh in " + kazakh;
  return true;
}

// A Russian text in KOI8-R labelled windows-1251, or the reverse, decodes without error, with
// every letter's case swapped ("лХТУ ФЕОЗЕ"). Decodes such a text by the other code page, bozo
// set; false for any other text or label.
bool DecodeCaseSwappedCyrillic(std::string_view rest, const std::string& chosen, Decoded* d) {
  const char* other = GuessCaseSwappedCyrillic(rest, IconvName(chosen));
  if (other == nullptr || !TranscodeToUtf8(rest, other, &d->utf8)) return false;
  d->encoding = other;
  d->bozo = true;
  if (!d->bozo_reason.empty()) d->bozo_reason += "; ";
  d->bozo_reason += "labelled " + chosen + ", but its letters read as " + other;
  return true;
}

// True for the iconv name (IconvName) of Latin-1 or windows-1252, a server's or CMS's default.
bool IsLatin1Name(std::string_view name) { return name == "LATIN1" || name == "windows-1252"; }

// A Cyrillic feed that declares its code page ("windows-1251") behind a server that labels
// everything Latin-1 (Apache's AddDefaultCharset ISO-8859-1): the HTTP label wins by the
// rules, and every letter came out as "Ïðàâèòåëüñòâî", without a warning. For such a text,
// makes *chosen its declaration (decoded from then on as if labelled so: a Kazakh or
// case-swapped text, a few undefined bytes, are read as under that label), bozo set.
void TrustCyrillicDeclarationOverLatin1(std::string_view rest, std::string* chosen, Decoded* d) {
  if (!IsLatin1Name(IconvName(*chosen))) return;
  const std::string declared = XmlDeclEncoding(rest);
  if (declared.empty() || !IsCyrillicLabel(IconvName(declared)) || !LooksCyrillicNotLatin(rest)) {
    return;
  }
  d->bozo = true;
  if (!d->bozo_reason.empty()) d->bozo_reason += "; ";
  d->bozo_reason += "labelled " + *chosen + " by HTTP, but the document declares " + declared +
                    " and its letters are Cyrillic";
  *chosen = declared;
}

// A Cyrillic feed that itself says it is Latin-1 (its declaration, the server's charset= or
// both: a CMS's or an old site's default) while its bytes are windows-1251, KOI8-R or a Kazakh
// code page decodes without error, every letter as "Ïðàâèòåëüñòâî". Decodes an unmistakably
// Cyrillic text (GuessCyrillicUnderLatin1) in the code page its letters are from, a few bytes
// that page leaves undefined as U+FFFD, bozo set; false for any other text or label.
bool DecodeCyrillicUnderLatin1(std::string_view rest, const std::string& chosen,
                               std::string_view content_type, Decoded* d) {
  const std::string name = IconvName(chosen);
  if (!IsLatin1Name(name)) return false;
  const char* cyrillic = GuessCyrillicUnderLatin1(rest);
  if (cyrillic == nullptr) return false;
  const bool strict = TranscodeToUtf8(rest, cyrillic, &d->utf8);
  if (!strict && !DecodeWithFewUndefined(rest, cyrillic, &d->utf8)) return false;
  d->encoding = cyrillic;
  d->bozo = true;
  if (!d->bozo_reason.empty()) d->bozo_reason += "; ";
  const bool served = IconvName(CharsetFromContentType(content_type)) == name;
  d->bozo_reason += (served ? "served as " : "declared as ") + chosen +
                    ", but its words are Cyrillic: read as " + cyrillic;
  if (!strict) {
    d->bozo_reason += "; bytes undefined in " + std::string(cyrillic) + " replaced with U+FFFD";
  }
  return true;
}

// Decodes `rest`, which the `chosen` charset could not, with bozo set.
void DecodeByFallbacks(std::string_view rest, const std::string& chosen, Decoded* d) {
  d->bozo = true;
  if (d->bozo_reason.empty()) {
    d->bozo_reason = KnownCharset(chosen) ? "document is not valid " + chosen
                                          : "unknown charset \"" + chosen + "\"";
  }
  // The document's own declaration first (a server's default text/xml, or a wrong charset=,
  // in front of a windows-1251 feed), then UTF-8, strict, then with a few stray bytes
  // replaced, before any guess: one bad byte must not turn a UTF-8 feed into mojibake.
  std::string declared = XmlDeclEncoding(rest);
  if (IsUtf16Or32(declared)) declared.clear();
  if (DecodeAsDeclaredOrUtf8(rest, chosen, declared, d)) return;
  DecodeByGuess(rest, chosen, declared, d);
}

}  // namespace

bool TranscodeToUtf8(std::string_view in, std::string_view charset, std::string* out) {
  std::string name = IconvName(charset);
  if (name == "utf-8" || name == "UTF-8") {
    if (!IsValidUtf8(in)) return false;
    out->assign(in);
    return true;
  }
  // Latin-1 labels are read as windows-1252, as browsers do, falling back to true Latin-1 for
  // the five bytes windows-1252 leaves undefined.
  if (name == "ASCII") {  // strict: a high byte means the declaration is wrong
    for (char c : in) {
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    out->assign(in);
    return true;
  }
  if (name == "LATIN1") {
    return TranscodeToUtf8(in, "cp1252", out) || TranscodeToUtf8(in, "iso-ir-100", out);
  }
  if (std::optional<size_t> invalid = DecodeSingleByte(in, name, out)) return *invalid == 0;
  return IconvToUtf8(in, name, out);
}

Decoded DecodeToUtf8(std::string_view body, std::string_view content_type) {
  Decoded d;
  Sniffed sniff = Sniff(body);
  std::string_view rest = body.substr(sniff.bom_size);
  size_t junk = 0;
  if (sniff.encoding == nullptr || sniff.bom_size == 3) {  // ASCII-compatible bytes
    junk = JunkBeforeDeclaration(rest);
    rest.remove_prefix(junk);
  }
  std::string chosen = ChooseCharset(sniff, rest, content_type, &d);
  d.bom_size = sniff.bom_size + junk;
  if (junk > 0 && !d.bozo) NoteJunk(body.substr(sniff.bom_size, junk), &d);
  if (BorrowUtf8(rest, chosen, &d)) return d;
  TrustCyrillicDeclarationOverLatin1(rest, &chosen, &d);
  if (DecodeCyrillicUnderLatin1(rest, chosen, content_type, &d)) return d;
  if (DecodeKazakhUnderWindows1251(rest, chosen, &d)) return d;
  if (DecodeCaseSwappedCyrillic(rest, chosen, &d)) return d;
  if (TranscodeToUtf8(rest, chosen, &d.utf8)) {
    // Report what was really used where a label is decoded as its superset.
    d.encoding = IconvName(chosen) == "GB18030" ? "gb18030" : chosen;
    return d;
  }
  DecodeByFallbacks(rest, chosen, &d);
  return d;
}

}  // namespace newsd::parse
