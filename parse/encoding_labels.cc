// Charset labels: the Content-Type and XML declaration parameters that name them, the names glibc
// iconv knows them by, and the families DecodeToUtf8 treats alike.
#include <string>
#include <utility>

#include "parse/ascii.h"
#include "parse/encoding.h"
#include "parse/encoding_internal.h"

namespace newsd::parse {
namespace {

std::string_view TrimSpaceAndQuotes(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                        s.front() == '\n' || s.front() == '"' || s.front() == '\''))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n' || s.back() == '"' || s.back() == '\''))
    s.remove_suffix(1);
  return s;
}

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
    if (!bare.starts_with(prefix)) continue;
    std::string_view digits = std::string_view(bare).substr(prefix.size());
    if (digits.size() == 4 && digits.starts_with("125") && digits[3] >= '0' && digits[3] <= '8') {
      return "windows-" + std::string(digits);
    }
  }
  return n;
}

// Labels IconvName maps to other names.
constexpr std::pair<const char*, const char*> kAliases[] = {
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

}  // namespace

std::string IconvName(std::string_view label) {
  std::string n = AsciiLower(label);
  for (char& c : n) {
    if (c == '_') c = '-';
  }
  if (n.starts_with("x-")) n.erase(0, 2);
  for (const auto& [from, to] : kAliases) {
    if (n == from) return to;
  }
  return SloppyWindowsName(n);
}

bool IsUtf16Or32(std::string_view canon) {
  return canon.starts_with("utf-16") || canon.starts_with("utf-32") || canon == "u16" ||
         canon == "u32" || canon.starts_with("ucs-2") || canon.starts_with("ucs-4") ||
         canon == "unicode";
}

// True for an iconv name (IconvName) of a code page of one byte per character.
bool IsSingleByteLabel(std::string_view name) {
  std::string lower = AsciiLower(name);
  for (std::string_view p : {"windows-125", "cp125", "koi8", "iso-8859", "iso8859", "latin",
                             "cp866", "rk1048", "pt154", "mac-cyrillic", "maccyrillic"}) {
    if (lower.starts_with(p)) return true;
  }
  return false;
}

// True for an iconv name of a Cyrillic single-byte code page (Russian, Kazakh, Ukrainian).
bool IsCyrillicLabel(std::string_view name) {
  std::string lower = AsciiLower(name);
  for (std::string_view p : {"windows-1251", "cp1251", "koi8", "iso-8859-5", "iso8859-5", "cp866",
                             "rk1048", "pt154", "mac-cyrillic", "maccyrillic"}) {
    if (lower.starts_with(p)) return true;
  }
  return false;
}

MediaKind ClassifyMedia(std::string_view content_type) {
  std::string_view type = TrimSpaceAndQuotes(content_type.substr(0, content_type.find(';')));
  if (type.empty()) return MediaKind::kNone;
  std::string t = AsciiLower(type);
  bool xml = t.find("xml") != std::string::npos;
  if (!xml) return MediaKind::kOther;
  return t.starts_with("text/") ? MediaKind::kTextXml : MediaKind::kXml;
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
    if (AsciiLower(TrimSpaceAndQuotes(param.substr(0, eq))) == "charset")
      return AsciiLower(TrimSpaceAndQuotes(param.substr(eq + 1)));
  }
  return "";
}

std::string XmlDeclEncoding(std::string_view doc) {
  if (!doc.starts_with("<?xml")) return "";
  size_t end = doc.find("?>");
  std::string_view decl = doc.substr(0, end == std::string_view::npos ? 200 : end);
  size_t pos = decl.find("encoding");
  if (pos == std::string_view::npos) return "";
  pos = decl.find_first_of("\"'", pos);
  if (pos == std::string_view::npos) return "";
  size_t close = decl.find(decl[pos], pos + 1);
  if (close == std::string_view::npos) return "";
  return AsciiLower(TrimSpaceAndQuotes(decl.substr(pos + 1, close - pos - 1)));
}

}  // namespace newsd::parse
