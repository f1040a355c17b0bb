#include "parse/entities.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <iterator>

#include "parse/encoding.h"

namespace newsd::parse {
namespace {

struct NamedEntity {
  std::string_view name;
  char32_t code_point;
};

constexpr NamedEntity kEntities[] = {
#include "parse/entity_table.inc"
};

}  // namespace

std::optional<char32_t> LookupHtmlEntity(std::string_view name) {
  if (name == "apos") return U'\'';
  const auto* it =
      std::lower_bound(std::begin(kEntities), std::end(kEntities), name,
                       [](const NamedEntity& e, std::string_view n) { return e.name < n; });
  if (it == std::end(kEntities) || it->name != name) return std::nullopt;
  return it->code_point;
}

std::optional<char32_t> DecodeCharRef(std::string_view ref) {
  if (ref.empty()) return std::nullopt;
  if (ref[0] != '#') return LookupHtmlEntity(ref);
  bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
  size_t i = hex ? 2 : 1;
  if (i >= ref.size() || ref.size() - i > 8) return std::nullopt;
  char32_t cp = 0;
  for (; i < ref.size(); ++i) {
    char c = ref[i];
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      v = (c | 0x20) - 'a' + 10;
    } else {
      return std::nullopt;
    }
    cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(v);
  }
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return U'\uFFFD';
  return cp;
}

void AppendHtmlUnescaped(std::string_view in, std::string* out) {
  // A reference is never shorter than the UTF-8 it stands for: one allocation at most.
  out->reserve(out->size() + in.size());
  constexpr size_t kMaxReference = 32;  // '&' to ';'
  size_t pos = 0;
  while (pos < in.size()) {
    size_t amp = in.find('&', pos);
    if (amp == std::string_view::npos) break;
    out->append(in.substr(pos, amp - pos));
    // Only as far as the longest reference: a text of many '&' and no ';' stays linear.
    const size_t semi = in.substr(0, amp + 1 + kMaxReference).find(';', amp + 1);
    std::optional<char32_t> cp;
    if (semi != std::string_view::npos) {
      cp = DecodeCharRef(in.substr(amp + 1, semi - amp - 1));
    }
    if (cp) {
      AppendUtf8(*cp, out);
      pos = semi + 1;
    } else {
      out->push_back('&');
      pos = amp + 1;
    }
  }
  out->append(in.substr(pos));
}

namespace {

// The first '&', '<', '>' (or, in attributes, '"') of s at or after `i`; s.size() if none.
size_t NextToEscape(std::string_view s, size_t i, bool attribute) {
  const size_t n = s.size();
#if defined(__SSE2__)
  const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>');
  const __m128i quot = _mm_set1_epi8(attribute ? '"' : '&');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, lt)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, gt), _mm_cmpeq_epi8(v, quot)));
    if (int mask = _mm_movemask_epi8(hit)) {
      return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  for (; i < n; ++i) {
    char c = s[i];
    if (c == '&' || c == '<' || c == '>' || (attribute && c == '"')) return i;
  }
  return n;
}

}  // namespace

void AppendHtmlEscaped(std::string_view s, bool attribute, std::string* out) {
  size_t run = 0;  // start of the bytes not yet appended
  for (size_t i; (i = NextToEscape(s, run, attribute)) < s.size(); run = i + 1) {
    out->append(s.data() + run, i - run);
    switch (s[i]) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      default:
        out->append("&quot;");
    }
  }
  out->append(s.data() + run, s.size() - run);
}

}  // namespace newsd::parse
