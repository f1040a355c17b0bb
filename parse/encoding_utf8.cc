// UTF-8 checks: validation (with fast paths for ASCII and two-byte text), repair of a few stray
// bytes, truncation, and the multi-byte characters DecodeToUtf8 weighs as evidence.
#include "parse/encoding.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "parse/encoding_internal.h"

namespace newsd::parse {
namespace {

// A character a text in Russian, Kazakh or English holds beside ASCII: Cyrillic (without the
// historic letters U+0460-U+048F), Latin-1 letters, « » and the no-break space, general
// punctuation (’ “ ” — … U+2000-U+206F), № and €.
bool IsPlausibleCharacter(char32_t cp) {
  return (cp >= 0x400 && cp <= 0x45F) || (cp >= 0x490 && cp <= 0x4FF) ||
         (cp >= 0xC0 && cp <= 0xFF) || cp == 0xAB || cp == 0xBB || cp == 0xA0 ||
         (cp >= 0x2000 && cp <= 0x206F) || cp == 0x2116 || cp == 0x20AC;
}

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

}  // namespace

// Lead bytes of multi-byte characters in `s` (valid UTF-8).
size_t MultiByteCharacters(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) == 0xC0 ? 1 : 0;
  return n;
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

namespace {

// The end of the run of invalid sequences at `p`: they and what stands between them when that
// is a few ASCII bytes of text (" ", ", "; no markup), so that the words of a sentence pasted
// in another encoding make one run.
const unsigned char* EndOfBadRun(const unsigned char* p, const unsigned char* end) {
  constexpr ptrdiff_t kMaxGap = 3;
  const unsigned char* run_end = p;
  while (p < end) {
    const size_t n = Utf8SequenceLength(p, end);
    // Two windows-1251 bytes can make a valid pair by chance ("Д»" is "Ļ"): one right after an
    // invalid byte, and before another or ASCII, is the run's too (a UTF-8 word goes on in
    // pairs).
    const bool chance_pair = n == 2 && p == run_end &&
                             (p + 2 == end || p[2] < 0x80 || Utf8SequenceLength(p + 2, end) == 0);
    if (n == 0 || chance_pair) {
      p += n == 0 ? BadSequenceLength(p, end) : 2;
      run_end = p;
      continue;
    }
    const unsigned char* q = p;
    while (q < end && q - p < kMaxGap && *q < 0x80 && *q != '<' && *q != '>' && *q != '&') ++q;
    if (q == p || q == end) break;
    const size_t next = Utf8SequenceLength(q, end);
    const bool pair_then_bad = next == 2 && q + 2 < end && Utf8SequenceLength(q + 2, end) == 0;
    if (next != 0 && !pair_then_bad) break;
    p = pair_then_bad ? q + 2 : q;
    run_end = p;
  }
  return run_end;
}

// A run of invalid UTF-8 (EndOfBadRun) that is a stretch of windows-1251 text (a fragment a
// CMS pasted from an old page into a UTF-8 feed): at least 3 bytes above ASCII, 4 in 5 of them
// Cyrillic letters (C0-FF, Ё, ё) that read as Russian or Kazakh there (GuessRussianCodePage:
// not Latin-1's "ééé"). Appends it decoded and returns true; else false.
bool AppendWindows1251Run(const unsigned char* run, const unsigned char* end, std::string* out) {
  size_t high = 0, letters = 0;
  std::array<uint32_t, 64> counts{};
  for (const unsigned char* q = run; q < end; ++q) {
    high += *q >= 0x80 ? 1 : 0;
    letters += *q >= 0xC0 || *q == 0xA8 || *q == 0xB8 ? 1 : 0;
    if (*q >= 0xC0) ++counts[*q - 0xC0];
  }
  if (high < 3 || letters * 5 < high * 4) return false;
  const char* russian = GuessRussianCodePage(counts);
  if (russian == nullptr || std::string_view(russian) != "windows-1251") return false;
  std::string decoded;
  const std::string_view bytes(reinterpret_cast<const char*>(run), static_cast<size_t>(end - run));
  if (!TranscodeToUtf8(bytes, "windows-1251", &decoded)) return false;
  out->append(decoded);
  return true;
}

}  // namespace

bool RepairMostlyUtf8(std::string_view s, std::string* out, bool labelled, size_t* legacy_runs,
                      size_t* replaced) {
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
  const bool mostly =
      labelled ? multibyte >= bad
               : multibyte >= kMinUtf8ForRepair && bad * kUtf8PerBadSequence <= multibyte;
  if (bad == 0 || !mostly) return false;
  out->clear();
  out->reserve(s.size() + 2 * bad);
  if (legacy_runs != nullptr) *legacy_runs = 0;
  if (replaced != nullptr) *replaced = 0;
  for (const unsigned char* p = begin; p < end;) {
    const size_t n = Utf8SequenceLength(p, end);
    // A chance pair right before an invalid byte ("Пё" of "Пётр") may open the run.
    const bool opens_run = n == 2 && p + 2 < end && Utf8SequenceLength(p + 2, end) == 0;
    if (n != 0 && !opens_run) {
      out->append(reinterpret_cast<const char*>(p), n);
      p += n;
      continue;
    }
    const unsigned char* run = p;
    p = EndOfBadRun(opens_run ? p + 2 : p, end);
    if (AppendWindows1251Run(run, p, out)) {
      if (legacy_runs != nullptr) ++*legacy_runs;
      continue;
    }
    for (const unsigned char* q = run; q < p;) {
      const size_t m = Utf8SequenceLength(q, p);
      if (m == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        if (replaced != nullptr) ++*replaced;
        q += BadSequenceLength(q, p);
      } else {
        out->append(reinterpret_cast<const char*>(q), m);
        q += m;
      }
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

}  // namespace newsd::parse
