// PrepareXml: makes a UTF-8 document digestible by pugixml (characters, prolog, markup); its
// references and entities are fixed by xml_references.cc.
#include "parse/xml_prep.h"

#include <string>
#include <string_view>

#include "parse/ascii.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "parse/encoding.h"
#include "parse/xml_prep_internal.h"

namespace newsd::parse {

bool IsNameStart(char c) {
  return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

namespace {

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!IsXmlSpace(c)) return false;
  }
  return true;
}

// windows-1252 meanings of the C1 range, which feeds use by mistake for curly quotes and
// dashes ("demoronizing"). 0 marks bytes windows-1252 leaves undefined.
constexpr char16_t kCp1252C1[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

}  // namespace

char32_t Demoronize(char32_t cp) {
  if (cp >= 0x80 && cp <= 0x9F && kCp1252C1[cp - 0x80] != 0) return kCp1252C1[cp - 0x80];
  return cp;
}

// Length of the construct starting at `doc[pos]` ('<!' or '<?'), up to and including its end
// marker, or npos when unterminated.
size_t SpecialLength(std::string_view doc, size_t pos, std::string_view* kind) {
  std::string_view rest = doc.substr(pos);
  size_t end;
  if (rest.substr(0, 4) == "<!--") {
    *kind = "comment";
    end = rest.find("-->", 4);
    return end == std::string_view::npos ? end : end + 3;
  }
  if (rest.substr(0, 9) == "<![CDATA[") {
    *kind = "cdata";
    end = rest.find("]]>", 9);
    return end == std::string_view::npos ? end : end + 3;
  }
  if (rest.substr(0, 2) == "<?") {
    *kind = "pi";
    end = rest.find("?>", 2);
    return end == std::string_view::npos ? end : end + 2;
  }
  *kind = "doctype";
  int depth = 0;
  char quote = 0;
  for (size_t i = 2; i < rest.size(); ++i) {
    char c = rest[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']') {
      --depth;
    } else if (c == '>' && depth <= 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

namespace {

// Copy-on-write output of PrepareXml: nothing is copied until the first change.
class Editor {
 public:
  Editor(std::string_view doc, std::string* out) : doc_(doc), out_(out) {}
  void Replace(size_t from, size_t to, std::string_view with) {
    if (!changed_) {
      out_->clear();
      out_->reserve(doc_.size() + doc_.size() / 64);
      changed_ = true;
    }
    out_->append(doc_.substr(flushed_, from - flushed_));
    out_->append(with);
    flushed_ = to;
  }
  bool Finish() {
    if (changed_) out_->append(doc_.substr(flushed_));
    return changed_;
  }

 private:
  std::string_view doc_;
  std::string* out_;
  size_t flushed_ = 0;
  bool changed_ = false;
};

// Bytes that end a run of ordinary text: '&', '<', C0 controls other than tab/CR/LF, and the
// lead bytes of U+0080-U+009F (0xC2) and U+FFFE/U+FFFF (0xEF).
struct StopTable {
  bool stop[256] = {};
  constexpr StopTable() {
    for (int c = 0; c < 0x20; ++c) stop[c] = c != '\t' && c != '\n' && c != '\r';
    stop[static_cast<int>('&')] = stop[static_cast<int>('<')] = true;
    stop[0xC2] = stop[0xEF] = true;
  }
};
constexpr StopTable kStops;

// The first stop byte at or after `pos` (or `n`). Documents are mostly ordinary text, so it is
// looked for 16 bytes at a time where SSE2 is available.
size_t NextStop(const unsigned char* bytes, size_t pos, size_t n) {
#if defined(__SSE2__)
  const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<');
  const __m128i c2 = _mm_set1_epi8(static_cast<char>(0xC2));
  const __m128i ef = _mm_set1_epi8(static_cast<char>(0xEF));
  const __m128i x1f = _mm_set1_epi8(0x1F), tab = _mm_set1_epi8('\t');
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  for (; pos + 16 <= n; pos += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + pos));
    __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, x1f), v);  // v <= 0x1F
    __m128i allowed = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)),
                                   _mm_cmpeq_epi8(v, cr));
    __m128i marks = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, lt)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, ef)));
    int mask = _mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(allowed, control), marks));
    if (mask != 0) return pos + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (pos < n && !kStops.stop[bytes[pos]]) ++pos;
  return pos;
}

// What PrepareXml's scan knows of the document so far.
struct Prolog {
  explicit Prolog(size_t document_bytes) : declared(document_bytes) {}
  DeclaredEntities declared;  // entities of the internal DTD subset
  bool seen_element = false;
  size_t prolog_text = 0;  // start of the text since the last construct before the root
  size_t quoted_ends = 0;  // "]]>" inside comments, CDATA sections (their ends), PIs, DOCTYPE
};

// How often `what` occurs in `s` (not overlapping).
size_t CountOf(std::string_view s, std::string_view what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string_view::npos;
       at = s.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

// False when the XML declaration `decl` gives standalone a value other than yes or no.
bool StandaloneIsYesOrNo(std::string_view decl) {
  const size_t at = decl.find("standalone");
  if (at == std::string_view::npos) return true;
  size_t q = decl.find_first_of("\"'", at);
  if (q == std::string_view::npos) return false;
  const size_t close = decl.find(decl[q], q + 1);
  if (close == std::string_view::npos) return false;
  const std::string_view value = decl.substr(q + 1, close - q - 1);
  return value == "yes" || value == "no";
}

// How often `what` occurs inside the quoted attribute values of the tags of `doc` (comments,
// CDATA sections, PIs and DOCTYPEs skipped). One pass.
size_t InAttributeValues(std::string_view doc, std::string_view what) {
  size_t n = 0;
  for (size_t pos = doc.find('<'); pos != std::string_view::npos; pos = doc.find('<', pos)) {
    if (pos + 1 < doc.size() && (doc[pos + 1] == '!' || doc[pos + 1] == '?')) {
      std::string_view kind;
      const size_t len = SpecialLength(doc, pos, &kind);
      if (len == std::string_view::npos) break;
      pos += len;
      continue;
    }
    // A tag: to its '>' outside quotes (or the next '<', where a broken tag ends).
    char quote = 0;
    size_t value_start = 0;
    for (++pos; pos < doc.size(); ++pos) {
      const char c = doc[pos];
      if (quote != 0) {
        if (c != quote) continue;
        n += CountOf(doc.substr(value_start, pos - value_start), what);
        quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
        value_start = pos + 1;
      } else if (c == '>' || c == '<') {
        break;
      }
    }
  }
  return n;
}

// Notes the problems of a comment, processing instruction or DOCTYPE (`chunk`, of `kind`, at
// `pos`) and reads the DOCTYPE's entity declarations.
void CheckSpecial(std::string_view chunk, std::string_view kind, size_t pos, Prolog* prolog,
                  XmlIssues* issues) {
  if (kind == "pi" && chunk.size() > 5 && chunk.substr(0, 5) == "<?xml" && IsXmlSpace(chunk[5]) &&
      pos != 0) {
    issues->Note("XML declaration not at start of document");
  } else if (kind == "doctype" && !prolog->seen_element) {
    size_t open = chunk.find('[');
    if (open != std::string_view::npos)
      ReadEntityDecls(chunk.substr(open), &prolog->declared.values);
  } else if (kind == "pi" && pos == 0 && chunk.substr(0, 5) == "<?xml" &&
             !StandaloneIsYesOrNo(chunk)) {
    issues->Note("standalone neither \"yes\" nor \"no\" in the XML declaration");
  } else if (kind == "cdata" && !prolog->seen_element) {
    issues->Note("CDATA section before the root element");
  } else if (kind == "comment" && chunk.size() >= 7 &&
             chunk.substr(4, chunk.size() - 7).find("--") != std::string_view::npos) {
    issues->Note("'--' inside a comment");
  }
}

// For the CDATA section `chunk` at doc[pos] that holds another's opening "<![CDATA[": its
// "]]>" was forgotten, and the next item's section ended it (well-formed, two items read as
// one). The offset in `chunk` of its element's end tag before that opening, where it should
// have ended; npos when there is none (a text about XML quoting CDATA, say).
size_t ForgottenCdataEnd(std::string_view doc, size_t pos, std::string_view chunk) {
  constexpr std::string_view kOpen = "<![CDATA[";
  const size_t nested = chunk.find(kOpen, kOpen.size());
  if (nested == std::string_view::npos || pos == 0) return std::string_view::npos;
  const size_t tag = doc.rfind('<', pos - 1);  // the start tag the section is in
  if (tag == std::string_view::npos || tag + 1 >= pos || !IsNameStart(doc[tag + 1])) {
    return std::string_view::npos;
  }
  size_t name_end = tag + 1;
  while (name_end < pos && IsNameChar(doc[name_end])) ++name_end;
  std::string end_tag = "</";
  end_tag += doc.substr(tag + 1, name_end - tag - 1);
  end_tag += '>';
  const size_t at = chunk.find(end_tag);
  return at < nested ? at : std::string_view::npos;
}

// Handles the '<' at doc[pos]: a tag, or a whole comment, CDATA section, processing
// instruction or DOCTYPE. Returns the bytes consumed (1 for a tag: its name and attributes are
// scanned as text).
size_t CheckMarkup(std::string_view doc, size_t pos, Prolog* prolog, XmlIssues* issues,
                   Editor* ed) {
  const size_t n = doc.size();
  if (!prolog->seen_element &&
      !IsBlank(doc.substr(prolog->prolog_text, pos - prolog->prolog_text))) {
    issues->Note("text before the root element");
  }
  if (pos + 1 < n && (doc[pos + 1] == '!' || doc[pos + 1] == '?')) {
    std::string_view kind;
    size_t len = SpecialLength(doc, pos, &kind);
    if (len == std::string_view::npos) len = n - pos;
    if (kind == "cdata") {
      if (const size_t end = ForgottenCdataEnd(doc, pos, doc.substr(pos, len));
          end != std::string_view::npos) {
        issues->Note("a CDATA section not closed before its element's end tag");
        ed->Replace(pos + end, pos + end, "]]>");
        prolog->prolog_text = pos + end;
        return end;
      }
    }
    CheckSpecial(doc.substr(pos, len), kind, pos, prolog, issues);
    prolog->quoted_ends += CountOf(doc.substr(pos, len), "]]>");
    prolog->prolog_text = pos + len;
    return len;
  }
  prolog->seen_element = true;
  return 1;
}

// The 0xC2 at bytes[pos]: a C1 control (U+0080-U+009F) that windows-1252 gives a meaning is
// replaced by that character. Returns the bytes consumed.
size_t DemoronizeC1(const unsigned char* bytes, size_t pos, size_t n, std::string* repl,
                    Editor* ed) {
  unsigned char next = pos + 1 < n ? bytes[pos + 1] : 0;
  char32_t fixed = Demoronize(next);
  if (next >= 0x80 && next <= 0x9F && fixed != next) {
    repl->clear();
    AppendUtf8(fixed, repl);
    ed->Replace(pos, pos + 2, *repl);
  }
  return 2;
}

// The 0xEF at bytes[pos]: U+FFFE / U+FFFF are not XML characters. Returns the bytes consumed.
size_t ReplaceNonCharacter(const unsigned char* bytes, size_t pos, size_t n, Editor* ed,
                           XmlIssues* issues) {
  if (pos + 2 < n && bytes[pos + 1] == 0xBF && (bytes[pos + 2] & 0xFE) == 0xBE) {
    issues->Note("invalid XML character");
    ed->Replace(pos, pos + 3, " ");
    return 3;
  }
  return 1;
}

}  // namespace

bool PrepareXml(std::string_view doc, std::string* out, XmlIssues* issues) {
  Editor ed(doc, out);
  Prolog prolog(doc.size());
  std::string repl;
  size_t pos = 0;
  const size_t n = doc.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(doc.data());
  while (pos < n) {
    pos = NextStop(bytes, pos, n);
    if (pos >= n) break;
    unsigned char c = bytes[pos];
    if (c == '&') {
      repl.clear();
      bool keep = false;
      size_t len = FixReference(doc, pos, &prolog.declared, &repl, &keep, issues, /*depth=*/0);
      if (!keep) ed.Replace(pos, pos + len, repl);
      pos += len;
    } else if (c == '<') {
      pos += CheckMarkup(doc, pos, &prolog, issues, &ed);
    } else if (c == 0xC2) {
      pos += DemoronizeC1(bytes, pos, n, &repl, &ed);
    } else if (c == 0xEF) {
      pos += ReplaceNonCharacter(bytes, pos, n, &ed, issues);
    } else {
      issues->Note("invalid XML character");
      ed.Replace(pos, pos + 1, " ");
      ++pos;
    }
  }
  // "]]>" may only end a CDATA section (a CMS that wraps CDATA in CDATA leaves one in the
  // text): counted, not located; the rare document with more is searched for attribute
  // values that hold one (allowed there).
  if (const size_t ends = CountOf(doc, "]]>");
      ends > prolog.quoted_ends && ends > prolog.quoted_ends + InAttributeValues(doc, "]]>")) {
    issues->Note("']]>' in text");
  }
  size_t last_tag = doc.rfind('>');
  if (last_tag != std::string_view::npos && !IsBlank(doc.substr(last_tag + 1))) {
    issues->Note("text after the root element");
  }
  return ed.Finish();
}

}  // namespace newsd::parse
