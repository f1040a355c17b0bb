// Look-alike letters of the Latin and Cyrillic scripts, and the two-byte fold table.
#include "dedup/token_chars.h"

#include "core/utf8.h"

namespace newsd::dedup {

// Latin letters that look like (folded) Cyrillic ones.
char32_t CyrillicLookalike(char32_t cp) {
  switch (cp) {
    case 'a':
      return U'а';
    case 'b':
      return U'в';
    case 'c':
      return U'с';
    case 'e':
      return U'е';
    case 'h':
      return U'н';
    case 'i':
      return U'и';  // і (folded to и) written as Latin i.
    case 'k':
      return U'к';
    case 'm':
      return U'м';
    case 'o':
      return U'о';
    case 'p':
      return U'р';
    case 't':
      return U'т';
    case 'x':
      return U'х';
    case 'y':
      return U'у';
    case 0x259:
      return U'а';  // ə for ә (folded to а).
    case 0x275:
      return U'о';  // ɵ (barred o) for ө (folded to о).
    case 0x131:
      return U'и';  // ı (a Turkish keyboard's dotless i) for і (folded to и).
    default:
      return cp;
  }
}

// The Latin letter a (folded) Cyrillic one looks like, else the letter itself.
char32_t LatinLookalike(char32_t cp) {
  switch (cp) {
    case U'а':
      return 'a';
    case U'в':
      return 'b';
    case U'с':
      return 'c';
    case U'е':
      return 'e';
    case U'н':
      return 'h';
    case U'и':
      return 'i';
    case U'к':
      return 'k';
    case U'м':
      return 'm';
    case U'о':
      return 'o';
    case U'р':
      return 'p';
    case U'т':
      return 't';
    case U'х':
      return 'x';
    case U'у':
      return 'y';
    default:
      return cp;
  }
}

TwoByteTable::TwoByteTable() {
  const FoldTable& table = FoldTable::Get();
  for (char32_t cp = 0x80; cp < 0x800; ++cp) {
    FoldedChar folded;
    TwoByteEntry& e = entries_[cp];
    e = TwoByteEntry{{0, 0}, 0, CharClass::kSeparator, kOtherScript, false};
    if (!table.FoldSingle(cp, &folded) || folded.cp >= 0x800) continue;
    e.cls = folded.cls;
    e.script = ScriptOf(folded.cp);
    e.upper = folded.cls == CharClass::kLetter && IsUpperCaseLetter(cp);
    e.length = static_cast<uint8_t>(EncodeUtf8(folded.cp, reinterpret_cast<char*>(e.bytes)));
  }
  lower_cyrillic_kept_ = true;
  for (char32_t cp = 0x430; cp <= 0x44F; ++cp) {
    const TwoByteEntry& e = entries_[cp];
    const uint8_t utf8[2] = {static_cast<uint8_t>(0xC0 | (cp >> 6)),
                             static_cast<uint8_t>(0x80 | (cp & 0x3F))};
    lower_cyrillic_kept_ &= e.length == 2 && e.bytes[0] == utf8[0] && e.bytes[1] == utf8[1] &&
                            e.cls == CharClass::kLetter && e.script == kCyrillicScript;
  }
}

}  // namespace newsd::dedup
