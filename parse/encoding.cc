#include "parse/encoding.h"

#include <iconv.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>

#include "parse/single_byte.h"

namespace newsd::parse {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                        s.front() == '\n' || s.front() == '"' || s.front() == '\''))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n' || s.back() == '"' || s.back() == '\''))
    s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Maps a charset label to a name glibc iconv knows. Labels iconv already accepts pass through.
// Labels that servers and CMSs write for the windows-125x and KOI8 code pages and no
// registry knows ("win-1251", "windows1251", "cp-1251", "1251", "koi8"): their usual names,
// else `n` unchanged.
std::string SloppyWindowsName(const std::string& n) {
  std::string bare;
  for (char c : n) {
    if (c != '-' && c != ' ') bare += c;
  }
  if (bare == "koi8") return "koi8-r";
  for (std::string_view prefix : {"windows", "win", "cp", ""}) {
    if (!StartsWith(bare, prefix)) continue;
    std::string_view digits = std::string_view(bare).substr(prefix.size());
    if (digits.size() == 4 && StartsWith(digits, "125") && digits[3] >= '0' && digits[3] <= '8') {
      return "windows-" + std::string(digits);
    }
  }
  return n;
}

std::string IconvName(std::string_view label) {
  std::string n = ToLower(label);
  for (char& c : n) {
    if (c == '_') c = '-';
  }
  if (StartsWith(n, "x-")) n.erase(0, 2);
  static constexpr std::pair<const char*, const char*> kAliases[] = {
      {"kz1048", "RK1048"},
      {"kz-1048", "RK1048"},
      {"strk1048-2002", "RK1048"},
      {"ptcp154", "PT154"},
      {"pt154", "PT154"},
      {"cp154", "PT154"},
      {"cyrillic-asian", "PT154"},
      {"csptcp154", "PT154"},
      {"mac-cyrillic", "MAC-CYRILLIC"},
      {"maccyrillic", "MAC-CYRILLIC"},
      {"gb2312", "GB18030"},
      {"gbk", "GB18030"},
      {"gb-2312-80", "GB18030"},
      {"cp936", "GB18030"},
      {"euc-cn", "GB18030"},
      {"us-ascii", "ASCII"},
      {"ascii", "ASCII"},
      {"iso-8859-1", "LATIN1"},
      {"latin1", "LATIN1"},
      {"latin-1", "LATIN1"},
      {"iso8859-1", "LATIN1"},
      {"l1", "LATIN1"},
      {"sjis", "SHIFT_JIS"},
      {"ms-kanji", "CP932"},
      {"windows-31j", "CP932"},
      {"ibm866", "CP866"},
      {"csibm866", "CP866"},
      {"866", "CP866"},
      {"mac-roman", "MACINTOSH"},
      {"macroman", "MACINTOSH"},
      {"unicode-1-1-utf-8", "UTF-8"},
      {"utf8", "UTF-8"},
      {"u8", "UTF-8"},
      {"cp65001", "UTF-8"},
      {"tis620", "TIS-620"},
      {"windows-874", "CP874"},
      {"ks-c-5601-1987", "CP949"},
      {"euc-kr", "CP949"},
      {"big5", "BIG5-HKSCS"},
      // Names Python (feedparser) knows and glibc's iconv does not.
      {"cp-is", "IBM861"},
      {"csibm861", "IBM861"},
      {"ibm039", "IBM037"},
      {"maccentraleurope", "MAC-CENTRALEUROPE"},
      {"maclatin2", "MAC-CENTRALEUROPE"},
      {"mac-latin2", "MAC-CENTRALEUROPE"},
      {"macgreek", "MACGREEK"},  // the three below: parse/single_byte.cc's own tables
      {"mac-greek", "MACGREEK"},
      {"macturkish", "MACTURKISH"},
      {"mac-turkish", "MACTURKISH"},
      {"maciceland", "MACICELAND"},
      {"mac-iceland", "MACICELAND"},
  };
  for (const auto& [from, to] : kAliases) {
    if (n == from) return to;
  }
  return SloppyWindowsName(n);
}

bool IsUtf16Or32(std::string_view canon) {
  return StartsWith(canon, "utf-16") || StartsWith(canon, "utf-32") || canon == "u16" ||
         canon == "u32" || StartsWith(canon, "ucs-2") || StartsWith(canon, "ucs-4") ||
         canon == "unicode";
}

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

enum class MediaKind { kNone, kXml, kTextXml, kOther };

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
  if (StartsWith(doc, "<?xml")) return 0;
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

// Lead bytes of multi-byte characters in `s` (valid UTF-8).
size_t MultiByteCharacters(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) == 0xC0 ? 1 : 0;
  return n;
}

// True for an iconv name (IconvName) of a code page of one byte per character.
bool IsSingleByteLabel(std::string_view name) {
  std::string lower = ToLower(name);
  for (std::string_view p : {"windows-125", "cp125", "koi8", "iso-8859", "iso8859", "latin",
                             "cp866", "rk1048", "pt154", "mac-cyrillic", "maccyrillic"}) {
    if (lower.starts_with(p)) return true;
  }
  return false;
}

// True for an iconv name of a Cyrillic single-byte code page (Russian, Kazakh, Ukrainian).
bool IsCyrillicLabel(std::string_view name) {
  std::string lower = ToLower(name);
  for (std::string_view p : {"windows-1251", "cp1251", "koi8", "iso-8859-5", "iso8859-5", "cp866",
                             "rk1048", "pt154", "mac-cyrillic", "maccyrillic"}) {
    if (lower.starts_with(p)) return true;
  }
  return false;
}

// A character a text in Russian, Kazakh or English holds beside ASCII: Cyrillic (without the
// historic letters U+0460-U+048F), Latin-1 letters, « » and the no-break space, general
// punctuation (’ “ ” — … U+2000-U+206F), № and €.
bool IsPlausibleCharacter(char32_t cp) {
  return (cp >= 0x400 && cp <= 0x45F) || (cp >= 0x490 && cp <= 0x4FF) ||
         (cp >= 0xC0 && cp <= 0xFF) || cp == 0xAB || cp == 0xBB || cp == 0xA0 ||
         (cp >= 0x2000 && cp <= 0x206F) || cp == 0x2116 || cp == 0x20AC;
}

// True when valid UTF-8 `s` has multi-byte characters and every one is plausible: the
// text of a site in UTF-8 whose server names a Cyrillic code page. (Legacy Cyrillic text is
// valid UTF-8 only in rare pairs like "Ві" (C2 B3: ³), none of which decodes so.)
bool AllMultiByteCharactersPlausible(std::string_view s) {
  bool any = false;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + n > s.size()) return false;
    char32_t cp = c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    if (!IsPlausibleCharacter(cp)) return false;
    any = true;
    i += n;
  }
  return any;
}

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

MediaKind ClassifyMedia(std::string_view content_type) {
  std::string_view type = Trim(content_type.substr(0, content_type.find(';')));
  if (type.empty()) return MediaKind::kNone;
  std::string t = ToLower(type);
  bool xml = t.find("xml") != std::string::npos;
  if (!xml) return MediaKind::kOther;
  return StartsWith(t, "text/") ? MediaKind::kTextXml : MediaKind::kXml;
}

// Byte statistics of the non-ASCII part of a document.
struct HighByteStats {
  size_t ascii_letters = 0, high = 0;
  size_t a1_bf = 0, c0_df = 0, e0_fa = 0, fb_ff = 0;
  // Kazakh letters in KZ-1048 that windows-1251 reads as other languages' letters: қ ә ң
  // (Macedonian and Serbian ќ ј ѕ there) and ү ұ ғ ө (Ukrainian and Belarusian ї ў є ґ).
  // Kazakh text has both kinds; no other language has letters of both.
  size_t kk_macedonian = 0, kk_ukrainian = 0;
  // The two Kazakh code pages place ң ә ү ұ ө (and capitals) apart: bytes only one uses so.
  size_t kz1048_only = 0, pt154_only = 0;
  // Bytes of runs of 3 or more letters at 0xC0 and above: the words of a Cyrillic (or Hebrew)
  // text in its code page. A Latin-1 text's accented letters come one or two inside ASCII
  // words, so a mostly English feed with a Russian sentence still shows what it is.
  size_t in_runs = 0;
  std::array<uint32_t, 32> e0_ff{};  ///< How often each byte 0xE0-0xFF occurs.
};

// Counts text bytes only: tags (names, attributes) and links are skipped, so a feed of short
// headlines is judged by its headlines, not by its markup. CDATA content counts.
HighByteStats CountHighBytes(std::string_view s) {
  HighByteStats st;
  size_t run = 0;  // letters at 0xC0 and above just before i
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xC0) {
      ++run;
    } else {
      if (run >= 3) st.in_runs += run;
      run = 0;
    }
    if (c == '<') {
      if (s.compare(i, 9, "<![CDATA[") == 0) {
        i += 8;
        continue;
      }
      const size_t close = s.find('>', i);
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    if (c == 'h' && (s.compare(i, 7, "http://") == 0 || s.compare(i, 8, "https://") == 0)) {
      const size_t end = s.find_first_of(" \t\r\n<\"'", i);  // links are no text either
      if (end == std::string_view::npos) break;
      i = end - 1;
      continue;
    }
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      ++st.ascii_letters;
    } else if (c >= 0x80) {
      ++st.high;
      if (c >= 0xA1 && c <= 0xBF) ++st.a1_bf;
      if (c >= 0xC0 && c <= 0xDF) ++st.c0_df;
      if (c >= 0xE0 && c <= 0xFA) ++st.e0_fa;
      if (c >= 0xFB) ++st.fb_ff;
      if (c >= 0xE0) ++st.e0_ff[c - 0xE0];
      switch (c) {
        case 0x8D:
        case 0x9D:
        case 0xA3:
        case 0xBC:
        case 0xBD:
        case 0xBE:
          ++st.kk_macedonian;
          break;
        case 0xA1:
        case 0xA2:
        case 0xA5:
        case 0xAA:
        case 0xAF:
        case 0xB4:
        case 0xBA:
        case 0xBF:
          ++st.kk_ukrainian;
          break;
        default:
          break;
      }
      switch (c) {
        case 0xA2:
        case 0xA3:
        case 0xAF:
        case 0xB4:
        case 0xBC:
        case 0xBD:
        case 0xBE:
        case 0xBF:
          ++st.kz1048_only;
          break;
        case 0x81:
        case 0x83:
        case 0x87:
        case 0x89:
        case 0x8C:
        case 0x9C:
        case 0xB1:
        case 0xB5:
          ++st.pt154_only;
          break;
        default:
          break;
      }
    }
  }
  if (run >= 3) st.in_runs += run;
  return st;
}

// Letters per 10,000 of Russian text in windows-1251 (lower case, 0xE0-0xFF: а … я) and of
// Hebrew text in windows-1255 (0xE0-0xFA: א … ת; 0xFD-0xFE are direction marks), from the
// usual published letter frequencies. Both code pages put their most frequent letters in
// 0xE0-0xFA, so a short lower-case Russian text without ы ь э ю я reads as either.
constexpr std::array<uint16_t, 32> kRussian1251 = {
    800, 160, 450, 170, 300, 850, 90, 160, 740, 120, 350, 440, 320, 670, 1100, 280,
    470, 550, 630, 260, 30,  100, 50, 140, 70,  40,  10,  190, 170, 30,  60,   200};
constexpr std::array<uint16_t, 32> kHebrew1255 = {
    600, 480, 100, 270, 900, 1000, 70, 220, 120, 1100, 50,  250, 700, 250, 500, 150,
    350, 120, 250, 20,  150, 20,   80, 200, 550, 400,  500, 0,   0,   10,  10,  0};

// True when the bytes 0xE0-0xFF of `st` are likelier Hebrew (windows-1255) than Russian
// (windows-1251): the log-likelihood ratio of the two letter distributions.
bool LikelierHebrew(const HighByteStats& st) {
  double ratio = 0;
  for (size_t i = 0; i < st.e0_ff.size(); ++i) {
    if (st.e0_ff[i] == 0) continue;
    // Half a letter per 10,000 for letters one language never uses.
    const double hebrew = std::max(0.5, static_cast<double>(kHebrew1255[i]));
    const double russian = std::max(0.5, static_cast<double>(kRussian1251[i]));
    ratio += st.e0_ff[i] * std::log(hebrew / russian);
  }
  return ratio > 0;
}

// Guesses a double-byte encoding (CJK) from lead/trail byte patterns; nullptr if the high
// bytes do not pair up like one.
const char* GuessDoubleByte(std::string_view s) {
  size_t pairs = 0, low_trail = 0, sjis_lead = 0, kana_lead = 0, gb_only_lead = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) continue;
    if (i + 1 >= s.size()) return nullptr;
    unsigned char t = static_cast<unsigned char>(s[i + 1]);
    if (t < 0x40 || t == 0x7F || t == 0xFF) return nullptr;
    ++pairs;
    if (t < 0xA1) ++low_trail;
    if (c >= 0x81 && c <= 0x9F) ++sjis_lead;
    if (c == 0xA4 || c == 0xA5) ++kana_lead;
    if (c >= 0xC9 && c <= 0xF7) ++gb_only_lead;
    ++i;
  }
  if (pairs < 4) return nullptr;
  const char* guess;
  if (sjis_lead > 0) {
    guess = "shift_jis";
  } else if (low_trail > 0) {
    guess = "big5";
  } else if (kana_lead * 5 >= pairs) {
    guess = "euc-jp";
  } else if (gb_only_lead * 10 >= pairs) {
    guess = "gb2312";
  } else {
    guess = "euc-kr";
  }
  std::string probe;
  return TranscodeToUtf8(s, guess, &probe) ? guess : nullptr;
}

// GuessSingleByte: letters in runs (HighByteStats::in_runs) enough to judge a mostly ASCII
// text by; about three short words.
constexpr size_t kMinRunBytes = 12;

// Guesses a legacy single-byte code page (Cyrillic, Hebrew, Thai) from which byte ranges the
// letters fall in, or returns nullptr when the text does not look like one of them.
const char* GuessSingleByte(std::string_view s) {
  HighByteStats st = CountHighBytes(s);
  if (st.high < 8) return nullptr;
  const bool mostly_high = st.high * 10 >= (st.ascii_letters + st.high) * 3;
  // A mostly ASCII text (English, markup words) with words of another script in it.
  const bool script_words = st.in_runs >= kMinRunBytes && st.in_runs * 2 >= st.high;
  if (!mostly_high && !script_words) return nullptr;
  if (mostly_high && st.a1_bf * 5 >= st.high) return "tis-620";  // Thai consonants: A1-CE
  if (st.c0_df + st.e0_fa + st.fb_ff < st.high * 8 / 10) return nullptr;
  if (st.fb_ff == 0 && st.c0_df * 10 < st.high && LikelierHebrew(st)) {
    return "windows-1255";  // Hebrew: E0-FA
  }
  if (st.c0_df > st.e0_fa + st.fb_ff) return "koi8-r";
  if (st.kk_macedonian == 0 || st.kk_ukrainian == 0) return "windows-1251";
  return st.pt154_only > st.kz1048_only ? "ptcp154" : "kz-1048";
}

}  // namespace

namespace {

// Checks the 8 bytes at `p` (with p[8] readable) in one go when they hold only ASCII and whole
// two-byte sequences (Latin, Greek, Cyrillic text); returns the bytes they span (8, or 9 when
// the last one opens a sequence), or 0 when the bytes need the one-character-at-a-time check.
size_t AsciiOrTwoByteRun(const unsigned char* p) {
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  uint64_t x;
  std::memcpy(&x, p, 8);
  uint64_t high = x & kHigh;
  if (high == 0) return 8;
  uint64_t bit6 = (x << 1) & kHigh, bit5 = (x << 2) & kHigh;
  uint64_t lead = high & bit6, cont = high & ~bit6;
  if ((lead & bit5) != 0 || cont != (lead << 8)) return 0;  // 3/4-byte leads, stray bytes
  uint64_t t = x & 0x1E1E1E1E1E1E1E1Eull;                   // C0 and C1 are overlong leads
  if ((((t - 0x0101010101010101ull) & ~t & kHigh) & lead) != 0) return 0;
  if ((lead >> 63) == 0) return 8;
  return (p[8] & 0xC0) == 0x80 ? 9 : 0;
}

}  // namespace

#if defined(__SSE2__)
// AsciiOrTwoByteRun for the 16 bytes at `p` (with p[16] readable): 16, 17 or 0.
size_t AsciiOrTwoByteRun16(const unsigned char* p) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  auto high = static_cast<unsigned>(_mm_movemask_epi8(v));
  if (high == 0) return 16;
  __m128i c0 = _mm_set1_epi8(static_cast<char>(0xC0));
  __m128i lead = _mm_cmpeq_epi8(_mm_max_epu8(v, c0), v);  // >= C0
  __m128i lead3 = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(static_cast<char>(0xE0))), v);
  __m128i overlong = _mm_and_si128(
      lead, _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(static_cast<char>(0xC1))), v));
  if (_mm_movemask_epi8(_mm_or_si128(lead3, overlong)) != 0) return 0;
  auto leads = static_cast<unsigned>(_mm_movemask_epi8(lead));
  if ((high & ~leads) != ((leads << 1) & 0xFFFF)) return 0;  // continuation bytes
  if ((leads & 0x8000) == 0) return 16;
  return (p[16] & 0xC0) == 0x80 ? 17 : 0;
}
#endif

namespace {

// RepairMostlyUtf8: at least this many multi-byte characters, and this many per replaced
// sequence. (A legacy single-byte text read as UTF-8 has a bad sequence per non-ASCII letter
// and next to no valid multi-byte characters.)
constexpr size_t kMinUtf8ForRepair = 8;
constexpr size_t kUtf8PerBadSequence = 4;

// Length of the UTF-8 character at p (1 to 4), or 0 when it is not one. The range checks on
// the second byte reject overlongs (E0, F0), surrogates (ED) and code points past U+10FFFF (F4).
size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = *p;
  if (c < 0x80) return 1;
  if (c < 0xE0) return c >= 0xC2 && end - p >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c < 0xF0) {
    if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
    return (c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) ? 0 : 3;
  }
  if (c >= 0xF5 || end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
      (p[3] & 0xC0) != 0x80) {
    return 0;
  }
  return (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90) ? 0 : 4;
}

// Bytes at p (not a UTF-8 character) that one U+FFFD replaces: the maximal subpart of a
// character, as Unicode (and Python's errors="replace") counts it: a cut-off sequence is one.
size_t BadSequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = *p;
  const size_t need = c >= 0xC2 && c <= 0xDF   ? 2
                      : c >= 0xE0 && c <= 0xEF ? 3
                      : c >= 0xF0 && c <= 0xF4 ? 4
                                               : 0;
  size_t i = 1;
  for (; i < need && p + i < end; ++i) {
    unsigned char lo = 0x80, hi = 0xBF;
    if (i == 1) {
      lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : lo;
      hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : hi;
    }
    if (p[i] < lo || p[i] > hi) break;
  }
  return i;
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

}  // namespace

bool RepairMostlyUtf8(std::string_view s, std::string* out) {
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = begin + s.size();
  size_t multibyte = 0;
  size_t bad = 0;
  for (const unsigned char* p = begin; p < end;) {
    const size_t n = Utf8SequenceLength(p, end);
    multibyte += n > 1 ? 1 : 0;
    bad += n == 0 ? 1 : 0;
    p += n == 0 ? BadSequenceLength(p, end) : n;
  }
  if (bad == 0 || multibyte < kMinUtf8ForRepair || bad * kUtf8PerBadSequence > multibyte) {
    return false;
  }
  out->clear();
  out->reserve(s.size() + 2 * bad);
  for (const unsigned char* p = begin; p < end;) {
    const size_t n = Utf8SequenceLength(p, end);
    if (n == 0) {
      out->append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
      p += BadSequenceLength(p, end);
    } else {
      out->append(reinterpret_cast<const char*>(p), n);
      p += n;
    }
  }
  return true;
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  while (p < end) {
#if defined(__SSE2__)
    if (end - p >= 17) {
      if (size_t run = AsciiOrTwoByteRun16(p)) {
        p += run;
        continue;
      }
    }
#endif
    if (end - p >= 9) {
      if (size_t run = AsciiOrTwoByteRun(p)) {
        p += run;
        continue;
      }
    }
    const size_t n = Utf8SequenceLength(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

bool TruncateUtf8(std::string* s, size_t max_bytes) {
  if (s->size() <= max_bytes) return false;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>((*s)[cut]) & 0xC0) == 0x80) --cut;
  s->resize(cut);
  return true;
}

std::string CharsetFromContentType(std::string_view content_type) {
  size_t pos = 0;
  while ((pos = content_type.find(';', pos)) != std::string_view::npos) {
    ++pos;
    size_t end = content_type.find(';', pos);
    std::string_view param =
        content_type.substr(pos, end == std::string_view::npos ? end : end - pos);
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (ToLower(Trim(param.substr(0, eq))) == "charset") return ToLower(Trim(param.substr(eq + 1)));
  }
  return "";
}

std::string XmlDeclEncoding(std::string_view doc) {
  if (!StartsWith(doc, "<?xml")) return "";
  size_t end = doc.find("?>");
  std::string_view decl = doc.substr(0, end == std::string_view::npos ? 200 : end);
  size_t pos = decl.find("encoding");
  if (pos == std::string_view::npos) return "";
  pos = decl.find_first_of("\"'", pos);
  if (pos == std::string_view::npos) return "";
  size_t close = decl.find(decl[pos], pos + 1);
  if (close == std::string_view::npos) return "";
  return ToLower(Trim(decl.substr(pos + 1, close - pos - 1)));
}

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

Decoded DecodeToUtf8(std::string_view body, std::string_view content_type) {
  Decoded d;
  Sniffed sniff = Sniff(body);
  std::string_view rest = body.substr(sniff.bom_size);
  size_t junk = 0;
  if (sniff.encoding == nullptr || sniff.bom_size == 3) {  // ASCII-compatible bytes
    junk = JunkBeforeDeclaration(rest);
    rest.remove_prefix(junk);
  }
  MediaKind media = ClassifyMedia(content_type);
  std::string http_charset = media == MediaKind::kNone ? "" : CharsetFromContentType(content_type);
  if (media == MediaKind::kOther) {
    d.bozo = true;
    d.bozo_reason = "Content-Type is not an XML media type";
  }
  if (IsUtf16Or32(http_charset) && sniff.encoding == nullptr && !rest.empty() && rest[0] == '<') {
    d.bozo = true;  // the bytes are plainly ASCII-compatible
    d.bozo_reason = "served as " + http_charset + " but is not";
    http_charset.clear();
  }
  std::string chosen;
  if (!http_charset.empty() && sniff.bom_size == 0) {
    chosen = http_charset;
  } else if (sniff.encoding == kEbcdic) {
    // Every EBCDIC code page writes the declaration's characters alike: read it as cp037.
    std::string head;
    if (TranscodeToUtf8(rest.substr(0, 256), kEbcdic, &head)) chosen = XmlDeclEncoding(head);
    if (chosen.empty()) chosen = kEbcdic;
  } else if (sniff.encoding != nullptr) {  // a BOM, or UTF-16/32 sniffed from "<?"
    chosen = sniff.encoding;
  } else if (media == MediaKind::kTextXml && IsAscii(rest)) {
    // RFC 3023's text/xml default. RFC 7303 dropped it: a text/xml feed with other bytes
    // (nginx serves .xml as text/xml) is read by its declaration, not flagged.
    chosen = "us-ascii";
  } else {
    chosen = XmlDeclEncoding(rest);
    if (IsUtf16Or32(chosen)) {  // declared UTF-16 but the bytes are ASCII-compatible
      d.bozo = true;
      d.bozo_reason = "document declared as " + chosen + " but is not";
      chosen.clear();
    }
    if (chosen.empty()) chosen = "utf-8";
  }
  d.bom_size = sniff.bom_size + junk;
  if (junk > 0 && !d.bozo) {
    const bool blank =
        body.substr(sniff.bom_size, junk).find_first_not_of(" \t\r\n") == std::string_view::npos;
    d.bozo = true;
    d.bozo_reason = std::to_string(junk) + (junk == 1 ? " byte" : " bytes") +
                    " before the XML declaration ignored" +
                    (blank ? "" : " (a server warning printed ahead of the feed?)");
  }
  std::string iconv_name = IconvName(chosen);
  if ((iconv_name == "utf-8" || iconv_name == "UTF-8") && IsValidUtf8(rest)) {
    d.borrowed = true;
    d.encoding = chosen;
    return d;
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
    d.borrowed = true;
    d.encoding = "utf-8";
    d.bozo = true;
    if (d.bozo_reason.empty()) d.bozo_reason = "declared as " + chosen + " but is UTF-8";
    return d;
  }
  if (TranscodeToUtf8(rest, chosen, &d.utf8)) {
    // Report what was really used where a label is decoded as its superset.
    d.encoding = IconvName(chosen) == "GB18030" ? "gb18030" : chosen;
    return d;
  }
  d.bozo = true;
  if (d.bozo_reason.empty()) {
    d.bozo_reason = KnownCharset(chosen) ? "document is not valid " + chosen
                                         : "unknown charset \"" + chosen + "\"";
  }
  // The document's own declaration first (a server's default text/xml, or a wrong charset=,
  // in front of a windows-1251 feed), then UTF-8, strict, then with a few stray bytes
  // replaced, before any guess: one bad byte must not turn a UTF-8 feed into mojibake.
  std::string declared = XmlDeclEncoding(rest);
  if (IsUtf16Or32(declared)) declared.clear();
  for (const std::string& f : {declared, std::string("utf-8")}) {
    if (f.empty() || IconvName(f) == IconvName(chosen)) continue;
    if (TranscodeToUtf8(rest, f, &d.utf8)) {
      d.encoding = f;
      return d;
    }
  }
  if (RepairMostlyUtf8(rest, &d.utf8)) {
    d.encoding = "utf-8";
    d.bozo_reason += "; invalid bytes replaced with U+FFFD";
    return d;
  }
  // What the bytes say first (KZ-1048 or Shift_JIS under a wrong label); then the label's
  // code page with its few undefined bytes as U+FFFD (a headline pasted in UTF-8 into a
  // windows-1251 feed); then the generic Latin code pages.
  auto transcode = [&](const char* f) {
    if (f == nullptr || chosen == f || !TranscodeToUtf8(rest, f, &d.utf8)) return false;
    d.encoding = f;
    return true;
  };
  if (transcode(GuessDoubleByte(rest)) || transcode(GuessSingleByte(rest))) return d;
  for (const std::string* f : {&chosen, &declared}) {
    if (f->empty() || (f == &declared && declared == chosen)) continue;
    if (DecodeWithFewUndefined(rest, *f, &d.utf8)) {
      d.encoding = *f;
      d.bozo_reason += "; bytes undefined in " + *f + " replaced with U+FFFD";
      return d;
    }
  }
  if (transcode("windows-1252") || transcode("iso-8859-1")) return d;
  d.encoding = "iso-8859-1";
  if (!TranscodeToUtf8(rest, "iso-ir-100", &d.utf8)) d.utf8.clear();
  return d;
}

}  // namespace newsd::parse
