#pragma once

// Texts and a code page shared by the encoding tests (encoding_*_test.cc).

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace newsd::parse::testing {

inline constexpr char kRuTitle[] = "Новости дня";
inline constexpr char kRuItem[] = "Правительство утвердило бюджет — «ключевые» решения";
inline constexpr char kKzItem[] = "Қазақстан Үкіметі жаңа бағдарламаны бекітті";

// Russian text (ASCII, А-я, Ёё) in windows-1251.
inline std::string Cp1251(std::string_view utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    const auto c2 = static_cast<unsigned char>(utf8[++i]);
    const unsigned cp = ((c & 0x1Fu) << 6) | (c2 & 0x3Fu);
    if (cp == 0x401) {
      out += '\xA8';
    } else if (cp == 0x451) {
      out += '\xB8';
    } else {
      EXPECT_TRUE(cp >= 0x410 && cp <= 0x44F) << cp;
      out += static_cast<char>(cp - 0x410 + 0xC0);
    }
  }
  return out;
}

}  // namespace newsd::parse::testing
