#pragma once

// Declarations shared by the files of DecodeToUtf8 (encoding.cc: choosing a charset and
// decoding; encoding_labels.cc: charset labels; encoding_guess.cc: guessing a charset from byte
// statistics; encoding_latin1.cc: Cyrillic words or Latin-1 ones; encoding_utf8.cc: UTF-8
// checks). Not part of the module's API. All are pure and thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace newsd::parse {

/// Maps a charset label (any case, "_" for "-", an "x-" prefix) to a name glibc iconv knows, or
/// to the name of one of parse/single_byte.cc's own tables. Other labels come back lower-cased,
/// with "-" for "_" and no "x-" prefix; sloppy spellings of windows-125x and KOI8 ("win-1251",
/// "cp-1251", "1251", "koi8") become their usual names.
std::string IconvName(std::string_view label);

/// True for a lower-case label of UTF-16 or UTF-32 ("utf-16le", "ucs-2", "u32", "unicode").
bool IsUtf16Or32(std::string_view canon);

/// True for an iconv name (IconvName) of a code page of one byte per character.
bool IsSingleByteLabel(std::string_view name);

/// True for an iconv name of a Cyrillic single-byte code page (Russian, Kazakh, Ukrainian).
bool IsCyrillicLabel(std::string_view name);

/// What a Content-Type value says of the body: no type (kNone), an XML type (kXml, kTextXml
/// under text/), or another type (kOther).
enum class MediaKind { kNone, kXml, kTextXml, kOther };

/// The MediaKind of an HTTP Content-Type value (parameters ignored, any case).
MediaKind ClassifyMedia(std::string_view content_type);

/// Lead bytes of multi-byte characters in `s` (valid UTF-8).
size_t MultiByteCharacters(std::string_view s);

/// True when valid UTF-8 `s` has multi-byte characters and every one is one a text in Russian,
/// Kazakh or English holds beside ASCII (see encoding_utf8.cc).
bool AllMultiByteCharactersPlausible(std::string_view s);

/// Guesses a double-byte encoding (CJK) from lead/trail byte patterns: a label whose
/// TranscodeToUtf8 of `s` succeeds, or nullptr.
const char* GuessDoubleByte(std::string_view s);

/// For a text labelled windows-1251: "kz-1048" or "ptcp154" when its bytes (outside tags and
/// links) are the Kazakh letters of that code page, else nullptr. KZ-1048: ә қ ң, which
/// windows-1251 reads as Macedonian and Serbian ј ќ ѕ, and ғ ү ұ ө, read as Ukrainian and
/// Belarusian є ї ў ґ, at least two of each kind, within a factor of 4 of each other, and no
/// Serbian or Macedonian letter KZ-1048 keeps (љ њ ђ џ ѓ: a Serbian text naming "Київ" has
/// them, and one kind of those letters by dozens). PT154: қ (ќ), ә (є) and two of ү ұ ө,
/// which windows-1251 reads as signs (‰ ± µ), inside words, with more of PT154's letter bytes
/// than of KZ-1048's. Either way at least 1 % of the non-ASCII bytes.
const char* GuessKazakhUnderWindows1251(std::string_view s);

/// For a Cyrillic text in windows-1251's layout that no Cyrillic label speaks for (undeclared,
/// or labelled Latin-1): "kz-1048" or "ptcp154" when its bytes (outside tags and links) hold
/// at least one of each kind of Kazakh letters GuessKazakhUnderWindows1251 counts (the one
/// code page by more of its own letter bytes than the other's), as GuessSingleByte judges
/// them; else nullptr.
const char* GuessKazakhCodePage(std::string_view s);

/// For a text labelled (iconv name, IconvName) windows-1251 or KOI8-R/U whose Cyrillic letters
/// read with their cases swapped under that label ("лХТУ ФЕОЗЕ" for "Курс тенге": KOI8-R text
/// read as windows-1251, or the reverse): the other code page's label; else nullptr. Judged on
/// the first 64 KiB. At least
/// 16 letters, more capitals than small letters, and at least two words of three letters or
/// more that are a small letter then capitals, more than twice as many as capitalised words.
const char* GuessCaseSwappedCyrillic(std::string_view s, std::string_view label);

/// Where a scan of a document's text resumes when the byte at `i` of `s` opens markup that is
/// no text (a tag, a CDATA section's opening, an http:// or https:// link): the index of the
/// last byte to skip (the scan steps past it), npos when the markup runs to the end of `s`, or
/// `i` itself when the byte is text.
size_t SkipNonText(std::string_view s, size_t i);

/// The Russian code page, "windows-1251" or "koi8-r", in which `letters` (how often each byte
/// 0xC0-0xFF occurs in a text's words: [0] for 0xC0) read likelier as Russian or Kazakh letters,
/// by the Russian letter frequencies, case ignored (a text in capitals is still told apart).
/// nullptr when neither reads as such: their letters average less than 0.08 nats likelier than
/// with all 32 letters alike (Greek, Hebrew, Arabic or Thai letters, CJK bytes), or none.
const char* GuessRussianCodePage(const std::array<uint32_t, 64>& letters);

/// True when `s` (ASCII-compatible bytes) reads as Cyrillic in a single-byte code page rather
/// than as Latin-1 text: its words of letters (ASCII ones and bytes 0xC0-0xFF, outside tags,
/// links and escaped markup) made only of three or more bytes 0xC0-0xFF ("Ïðàâèòåëüñòâî" in
/// Latin-1) are at least 3, and more than 4 times the words mixing those bytes with ASCII
/// letters: French or German puts its accented letters inside ASCII words ("été").
bool LooksCyrillicNotLatin(std::string_view s);

/// For a text labelled Latin-1 or windows-1252 that is unmistakably Cyrillic: the code page its
/// letters are from ("windows-1251", "koi8-r", "kz-1048", "ptcp154"); else nullptr. At least 4
/// words of three or more bytes 0xC0-0xFF (see LooksCyrillicNotLatin), more than 8 times the
/// words of ASCII letters with no more accented letters than ASCII ones among them ("café",
/// "Größe"; not a Kazakh "бiлiм" with a Latin "i"); words of only such bytes hold a third of
/// the letters or more (an English text naming "Ïóòèí" keeps its label); and their letters read
/// as Russian or Kazakh in windows-1251 or KOI8-R (GuessRussianCodePage). A windows-1251 text is
/// then checked for Kazakh letters (GuessKazakhCodePage).
const char* GuessCyrillicUnderLatin1(std::string_view s);

/// Guesses a legacy single-byte code page (Cyrillic, Hebrew, Thai) from the byte statistics of
/// the text outside tags and links: a label, or nullptr when the text does not look like one.
const char* GuessSingleByte(std::string_view s);

}  // namespace newsd::parse
