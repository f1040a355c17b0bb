// Guessing a legacy charset from byte statistics, for documents no label decodes: double-byte
// CJK encodings by their lead and trail bytes, single-byte code pages by their letters' bytes;
// Kazakh code pages under a windows-1251 label, which decodes them without error; and the
// Russian code page of a text's letters by their frequencies.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "parse/ascii.h"
#include "parse/encoding.h"
#include "parse/encoding_internal.h"

namespace newsd::parse {
namespace {

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
  // PT154's ү Ү ұ Ұ ө Ө, which windows-1251 reads as signs (‰ ‡ ± ¦ µ ¤), next to a letter at
  // 0xC0 and above: a sign inside a Cyrillic word is a Kazakh letter ("‡кіметі" = "Үкіметі").
  size_t pt154_signs_in_words = 0;
  // қ and Қ (bytes 0x9D, 0x8D in both Kazakh code pages; ќ Ќ in windows-1251): among
  // kk_macedonian, the one letter PT154 shares with KZ-1048 (its ә ң sit elsewhere).
  size_t kk_qa = 0;
  // љ њ ђ џ ѓ and their capitals: Serbian and Macedonian letters that KZ-1048 keeps (it
  // replaces only ќ ћ ј ѕ ў and the Ukrainian letters), so a text in KZ-1048 has none.
  size_t south_slavic = 0;
  // Bytes of runs of 3 or more letters at 0xC0 and above: the words of a Cyrillic (or Hebrew)
  // text in its code page. A Latin-1 text's accented letters come one or two inside ASCII
  // words, so a mostly English feed with a Russian sentence still shows what it is.
  size_t in_runs = 0;
  // High bytes with an ASCII letter on both sides: the accented letters of a Latin text
  // ("caf\xe9s", "Gr\xf6\xdfe" has one), which a Cyrillic or Hebrew text's words, runs of
  // high bytes, seldom have.
  size_t inside_ascii_words = 0;
  std::array<uint32_t, 32> e0_ff{};  ///< How often each byte 0xE0-0xFF occurs.
};

// KZ-1048's қ Қ ә Ә ң Ң, which windows-1251 reads as Macedonian and Serbian ќ Ќ ј Ј ѕ Ѕ.
bool IsKazakhAsMacedonian(unsigned char c) {
  return c == 0x8D || c == 0x9D || c == 0xA3 || (c >= 0xBC && c <= 0xBE);
}

// KZ-1048's Ұ ұ Ө Ғ Ү ө ғ ү, which windows-1251 reads as Ukrainian and Belarusian Ў ў Ґ Є Ї ґ є ї.
bool IsKazakhAsUkrainian(unsigned char c) {
  switch (c) {
    case 0xA1:
    case 0xA2:
    case 0xA5:
    case 0xAA:
    case 0xAF:
    case 0xB4:
    case 0xBA:
    case 0xBF:
      return true;
    default:
      return false;
  }
}

// Counts the Kazakh letters of KZ-1048 that windows-1251 reads as other languages' letters
// (HighByteStats::kk_macedonian, kk_ukrainian) among the non-ASCII bytes.
void CountKazakhAsOtherLetters(unsigned char c, HighByteStats* st) {
  if (IsKazakhAsMacedonian(c)) ++st->kk_macedonian;
  if (IsKazakhAsUkrainian(c)) ++st->kk_ukrainian;
}

// Counts the bytes that only one of the two Kazakh code pages uses for its letters
// (HighByteStats::kz1048_only, pt154_only) among the non-ASCII bytes.
void CountKazakhCodePageBytes(unsigned char c, HighByteStats* st) {
  switch (c) {
    case 0xA2:
    case 0xA3:
    case 0xAF:
    case 0xB4:
    case 0xBC:
    case 0xBD:
    case 0xBE:
    case 0xBF:
      ++st->kz1048_only;
      break;
    case 0x81:
    case 0x83:
    case 0x87:
    case 0x89:
    case 0x8C:
    case 0x9C:
    case 0xB1:
    case 0xB5:
      ++st->pt154_only;
      break;
    default:
      break;
  }
}

// Counts one byte 0x80-0xFF of the text.
void CountHighByte(unsigned char c, HighByteStats* st) {
  ++st->high;
  if (c >= 0xA1 && c <= 0xBF) ++st->a1_bf;
  if (c >= 0xC0 && c <= 0xDF) ++st->c0_df;
  if (c >= 0xE0 && c <= 0xFA) ++st->e0_fa;
  if (c >= 0xFB) ++st->fb_ff;
  if (c >= 0xE0) ++st->e0_ff[c - 0xE0];
  CountKazakhAsOtherLetters(c, st);
  CountKazakhCodePageBytes(c, st);
  if (c == 0x8D || c == 0x9D) ++st->kk_qa;
  switch (c) {
    case 0x80:
    case 0x83:
    case 0x8A:
    case 0x8C:
    case 0x8F:
    case 0x90:
    case 0x9A:
    case 0x9C:
    case 0x9F:
      ++st->south_slavic;
      break;
    default:
      break;
  }
}

// True when the byte at `i` is one of PT154's Kazakh letters that windows-1251 reads as a sign
// (HighByteStats::pt154_signs_in_words) and a letter at 0xC0 or above is next to it.
bool IsPt154SignInWord(std::string_view s, size_t i) {
  switch (static_cast<unsigned char>(s[i])) {
    case 0x87:
    case 0x89:
    case 0xA4:
    case 0xA6:
    case 0xB1:
    case 0xB5:
      break;
    default:
      return false;
  }
  auto letter = [&](size_t j) { return j < s.size() && static_cast<unsigned char>(s[j]) >= 0xC0; };
  return (i > 0 && letter(i - 1)) || letter(i + 1);
}

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
    const size_t skip_to = SkipNonText(s, i);
    if (skip_to == std::string_view::npos) break;
    if (skip_to != i) {
      i = skip_to;
      continue;
    }
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      ++st.ascii_letters;
    } else if (c >= 0x80) {
      CountHighByte(c, &st);
      if (IsPt154SignInWord(s, i)) ++st.pt154_signs_in_words;
      if (i > 0 && i + 1 < s.size() && IsAsciiAlpha(s[i - 1]) && IsAsciiAlpha(s[i + 1])) {
        ++st.inside_ascii_words;
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

// KOI8-R's letters in byte order (0xC0-0xDF small, 0xE0-0xFF the same in capitals) as indexes
// into kRussian1251's alphabet а … я: "юабцдефгхийклмнопярстужвьызшэщчъ".
constexpr std::array<uint8_t, 32> kKoi8Alphabet = {30, 0,  1,  22, 4,  5,  20, 3,  21, 8,  9,
                                                   10, 11, 12, 13, 14, 15, 31, 16, 17, 18, 19,
                                                   6,  2,  28, 27, 7,  24, 29, 25, 23, 26};

// GuessRussianCodePage: how much likelier, in nats per letter, the letters must be under the
// Russian letter frequencies than with all 32 letters alike. Russian and Kazakh texts in their
// code page score 0.12 or more (the dev corpus's 1,738 texts, whole or as one headline, in
// capitals too); Greek, Hebrew, Arabic, Thai and CJK text read so 0.05 at most.
constexpr double kMinRussianLogOdds = 0.08;

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

// The Kazakh code page of a text whose bytes hold at least `min_each` of both kinds of
// HighByteStats' Kazakh letters (kk_macedonian, kk_ukrainian), else nullptr.
const char* KazakhCodePage(const HighByteStats& st, size_t min_each) {
  if (st.kk_macedonian < min_each || st.kk_ukrainian < min_each) return nullptr;
  return st.pt154_only > st.kz1048_only ? "ptcp154" : "kz-1048";
}

// GuessKazakhUnderWindows1251: letters of each kind needed to overrule a windows-1251 label.
// Two, not one, so that one foreign name of each kind in a Russian text ("Київ", "Јовановић")
// keeps its letters; Kazakh text has dozens of each in a paragraph.
constexpr size_t kMinKazakhLettersUnderLabel = 2;

// True when `kazakh` letters are at least 1 % of the `high` bytes: Kazakh letters are about
// a tenth of a Kazakh text's (a Russian feed naming "Київ" and "Јовановић" has a few among
// thousands).
bool KazakhShare(size_t kazakh, size_t high) { return kazakh * 100 >= high; }

// True when the two kinds of KZ-1048's letters (kk_macedonian, kk_ukrainian) are within a
// factor of 4 of each other (2.6 at the 95th percentile of the dev corpus's Kazakh texts,
// 5.5 at most in one short text), and the text has no Serbian or Macedonian letter that
// KZ-1048 keeps: a Serbian text has dozens of ј and њ, and may name "Київ" or "Україна".
bool KazakhBalance(const HighByteStats& st) {
  return st.kk_macedonian <= 4 * st.kk_ukrainian && st.kk_ukrainian <= 4 * st.kk_macedonian &&
         st.south_slavic * 20 < st.kk_macedonian + st.kk_ukrainian;
}

// GuessSingleByte: letters in runs (HighByteStats::in_runs) enough to judge a mostly ASCII
// text by; about three short words.
constexpr size_t kMinRunBytes = 12;

}  // namespace

size_t SkipNonText(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == '<') {
    if (s.compare(i, 9, "<![CDATA[") == 0) return i + 8;
    return s.find('>', i);
  }
  if (c == 'h' && (s.compare(i, 7, "http://") == 0 || s.compare(i, 8, "https://") == 0)) {
    const size_t end = s.find_first_of(" \t\r\n<\"'", i);  // links are no text either
    return end == std::string_view::npos ? end : end - 1;
  }
  return i;
}

// Guesses a double-byte encoding (CJK) from lead/trail byte patterns; nullptr if the high
// bytes do not pair up like one.
const char* GuessDoubleByte(std::string_view s) {
  size_t pairs = 0, low_trail = 0, sjis_lead = 0, kana_lead = 0, gb_only_lead = 0;
  // Pairs read inside an ASCII word: an ASCII letter as the trail, and another before the
  // lead (not a pair's trail) or after the trail.
  size_t inside_ascii_words = 0;
  size_t after_pair = 0;  // the index after the last pair's trail
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) continue;
    if (i + 1 >= s.size()) return nullptr;
    unsigned char t = static_cast<unsigned char>(s[i + 1]);
    if (t < 0x40 || t == 0x7F || t == 0xFF) return nullptr;
    ++pairs;
    // (Not Big5's commonest leads, 0xA1-0xBF, which are signs in Latin-1; 0x80-0xA0 are
    // windows-1252's quotes and dashes: "it\x92s".)
    const bool letter_before = i > after_pair && IsAsciiAlpha(s[i - 1]);
    const bool letter_after = i + 2 < s.size() && IsAsciiAlpha(s[i + 2]);
    if ((c < 0xA1 || c >= 0xC0) && IsAsciiAlpha(s[i + 1]) && (letter_before || letter_after)) {
      ++inside_ascii_words;
    }
    after_pair = i + 2;
    if (t < 0xA1) ++low_trail;
    if (c >= 0x81 && c <= 0x9F) ++sjis_lead;
    if (c == 0xA4 || c == 0xA5) ++kana_lead;
    if (c >= 0xC9 && c <= 0xF7) ++gb_only_lead;
    ++i;
  }
  // Accented letters inside ASCII words ("\xc4nderungen f\xfcr") pair up with the letter
  // after them like Big5's or Shift_JIS's low trail bytes; CJK text has runs of pairs.
  if (pairs < 4 || inside_ascii_words * 3 >= pairs) return nullptr;
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

// Guesses a legacy single-byte code page (Cyrillic, Hebrew, Thai) from which byte ranges the
// letters fall in, or returns nullptr when the text does not look like one of them.
const char* GuessSingleByte(std::string_view s) {
  HighByteStats st = CountHighBytes(s);
  if (st.high < 8) return nullptr;
  // A Latin text's accented letters sit inside ASCII words ("caf\xe9 cr\xe8me"): left to the
  // Latin fallbacks, however many there are in a short text.
  if (st.inside_ascii_words * 3 >= st.high) return nullptr;
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
  const char* kazakh = KazakhCodePage(st, 1);
  return kazakh != nullptr ? kazakh : "windows-1251";
}

const char* GuessRussianCodePage(const std::array<uint32_t, 64>& letters) {
  double cp1251 = 0, koi8 = 0;
  size_t n = 0;
  for (size_t b = 0; b < letters.size(); ++b) {
    if (letters[b] == 0) continue;
    // Both code pages put a letter's capital 32 bytes from its small letter: case is ignored.
    const size_t low = b % 32;
    cp1251 += letters[b] * std::log(kRussian1251[low] / 10000.0);
    koi8 += letters[b] * std::log(kRussian1251[kKoi8Alphabet[low]] / 10000.0);
    n += letters[b];
  }
  const double uniform = static_cast<double>(n) * std::log(1.0 / 32);
  if (n == 0 || std::max(cp1251, koi8) - uniform < kMinRussianLogOdds * static_cast<double>(n)) {
    return nullptr;
  }
  return cp1251 >= koi8 ? "windows-1251" : "koi8-r";
}

const char* GuessCaseSwappedCyrillic(std::string_view s, std::string_view label) {
  const bool koi8 = label == "koi8-r" || label == "koi8-u";
  if (!koi8 && label != "windows-1251" && label != "cp1251") return nullptr;
  // A swap is the whole text's: its first 64 KiB show it as well as the rest.
  constexpr size_t kSample = size_t{64} * 1024;
  s = s.substr(0, kSample);
  // Under windows-1251 C0-DF are capitals and E0-FF small letters; under KOI8 the reverse.
  // A text read rightly has more small letters than capitals: one quick count (it vectorises)
  // says so for nearly every document, before the word shapes are looked at.
  size_t c0_df = 0, e0_ff = 0;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    c0_df += (c >= 0xC0) & (c < 0xE0);
    e0_ff += c >= 0xE0;
  }
  if ((koi8 ? e0_ff <= c0_df : c0_df <= e0_ff)) return nullptr;
  auto capital = [koi8](unsigned char c) { return koi8 ? c >= 0xE0 : c >= 0xC0 && c < 0xE0; };
  // Words of three letters or more, by shape: a small letter then only capitals ("лХТУ"), and
  // a capital then only small letters ("Курс").
  size_t capitals = 0, small = 0, swapped_words = 0, capitalised_words = 0;
  size_t length = 0;
  bool first_capital = false, rest_capital = true, rest_small = true;
  auto end_word = [&] {
    if (length >= 3) {
      if (!first_capital && rest_capital) ++swapped_words;
      if (first_capital && rest_small) ++capitalised_words;
    }
    length = 0;
  };
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0xC0) {
      end_word();
      continue;
    }
    const bool cap = capital(c);
    cap ? ++capitals : ++small;
    if (length == 0) {
      first_capital = cap;
      rest_capital = rest_small = true;
    } else {
      rest_capital &= cap;
      rest_small &= !cap;
    }
    ++length;
  }
  end_word();
  // Swapped, a text reads mostly in capitals, its capitalised words turned into a small letter
  // before capitals: at least two such words, more than twice as many as capitalised ones.
  // A text read rightly has capitalised words and none of that shape, however much of it is in
  // capitals ("СРОЧНО", "110 кВ").
  constexpr size_t kMinLetters = 16;
  if (capitals + small < kMinLetters || capitals <= small || swapped_words < 2 ||
      swapped_words <= 2 * capitalised_words) {
    return nullptr;
  }
  return koi8 ? "windows-1251" : "koi8-r";
}

const char* GuessKazakhCodePage(std::string_view s) { return KazakhCodePage(CountHighBytes(s), 1); }

const char* GuessKazakhUnderWindows1251(std::string_view s) {
  // Both code pages need қ; a Russian feed has none of its bytes, and one quick pass says so.
  if (std::none_of(s.begin(), s.end(),
                   [](char c) { return IsKazakhAsMacedonian(static_cast<unsigned char>(c)); })) {
    return nullptr;
  }
  const HighByteStats st = CountHighBytes(s);
  // A sign inside a word is no letter of windows-1251's; two of them with қ and ә (ќ and є
  // there: Macedonian has the one, Ukrainian the other), and more of PT154's own letter bytes
  // than of KZ-1048's (a Serbian text's ј are KZ-1048's ә), make the text Kazakh in PT154.
  if (st.pt154_signs_in_words >= 2 && st.kk_qa > 0 && st.kk_ukrainian > 0 &&
      st.pt154_only > st.kz1048_only && KazakhShare(st.pt154_signs_in_words + st.kk_qa, st.high)) {
    return "ptcp154";
  }
  const char* kazakh = KazakhCodePage(st, kMinKazakhLettersUnderLabel);
  return kazakh != nullptr && KazakhBalance(st) &&
                 KazakhShare(st.kk_macedonian + st.kk_ukrainian, st.high)
             ? kazakh
             : nullptr;
}

}  // namespace newsd::parse
