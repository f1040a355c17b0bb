#include "parse/entities.h"

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
  size_t pos = 0;
  while (pos < in.size()) {
    size_t amp = in.find('&', pos);
    if (amp == std::string_view::npos) break;
    out->append(in.substr(pos, amp - pos));
    size_t semi = in.find(';', amp + 1);
    std::optional<char32_t> cp;
    if (semi != std::string_view::npos && semi - amp <= 32) {
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

void AppendHtmlEscaped(std::string_view in, std::string* out) {
  for (char c : in) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      case '"':
        out->append("&quot;");
        break;
      default:
        out->push_back(c);
    }
  }
}

}  // namespace newsd::parse
