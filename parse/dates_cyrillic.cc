#include "parse/dates_cyrillic.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "parse/dates.h"

namespace newsd::parse {
namespace {

// Lower case of a Cyrillic code point: А-Я, Ѐ-Џ, and the paired letters of U+0490-U+04FF
// (Kazakh Ғ Қ Ң Ү Ұ Һ Ә Ө) whose capitals are even.
char32_t LowerCyrillic(char32_t cp) {
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  const bool paired = (cp >= 0x490 && cp <= 0x4BF) || (cp >= 0x4D0 && cp <= 0x4FF);
  return paired && cp % 2 == 0 ? cp + 1 : cp;
}

// `word` with ASCII and two-byte (Cyrillic) letters lower-cased and a trailing dot removed.
std::string LowerWord(std::string_view word) {
  if (!word.empty() && word.back() == '.') word.remove_suffix(1);
  std::string out;
  for (size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    const auto next = i + 1 < word.size() ? static_cast<unsigned char>(word[i + 1]) : 0;
    if (c >= 0xC2 && c < 0xE0 && (next & 0xC0) == 0x80) {
      const char32_t cp = LowerCyrillic(((c & 0x1Fu) << 6) | (next & 0x3Fu));
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
      ++i;
    } else {
      out += c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c);
    }
  }
  return out;
}

// The English abbreviation of a Russian or Kazakh month name; "" if `w` (lower case) is none.
std::string_view EnglishMonth(std::string_view w) {
  static constexpr std::pair<std::string_view, std::string_view> kMonths[] = {
      {"январь", "Jan"},
      {"января", "Jan"},
      {"янв", "Jan"},
      {"қаңтар", "Jan"},
      {"февраль", "Feb"},
      {"февраля", "Feb"},
      {"фев", "Feb"},
      {"февр", "Feb"},
      {"ақпан", "Feb"},
      {"март", "Mar"},
      {"марта", "Mar"},
      {"мар", "Mar"},
      {"наурыз", "Mar"},
      {"апрель", "Apr"},
      {"апреля", "Apr"},
      {"апр", "Apr"},
      {"сәуір", "Apr"},
      {"май", "May"},
      {"мая", "May"},
      {"мамыр", "May"},
      {"июнь", "Jun"},
      {"июня", "Jun"},
      {"июн", "Jun"},
      {"маусым", "Jun"},
      {"июль", "Jul"},
      {"июля", "Jul"},
      {"июл", "Jul"},
      {"шілде", "Jul"},
      {"август", "Aug"},
      {"августа", "Aug"},
      {"авг", "Aug"},
      {"тамыз", "Aug"},
      {"сентябрь", "Sep"},
      {"сентября", "Sep"},
      {"сен", "Sep"},
      {"сент", "Sep"},
      {"қыркүйек", "Sep"},
      {"октябрь", "Oct"},
      {"октября", "Oct"},
      {"окт", "Oct"},
      {"қазан", "Oct"},
      {"ноябрь", "Nov"},
      {"ноября", "Nov"},
      {"ноя", "Nov"},
      {"қараша", "Nov"},
      {"декабрь", "Dec"},
      {"декабря", "Dec"},
      {"дек", "Dec"},
      {"желтоқсан", "Dec"},
      {"нояб", "Nov"},
      // Kazakh abbreviations: the first three letters.
      {"қаң", "Jan"},
      {"ақп", "Feb"},
      {"нау", "Mar"},
      {"сәу", "Apr"},
      {"мам", "May"},
      {"мау", "Jun"},
      {"шіл", "Jul"},
      {"там", "Aug"},
      {"қыр", "Sep"},
      {"қаз", "Oct"},
      {"қар", "Nov"},
      {"жел", "Dec"},
  };
  for (const auto& [name, english] : kMonths) {
    if (w == name) return english;
  }
  return "";
}

// Weekdays (Russian and Kazakh, names and abbreviations) and the words around a date that
// carry nothing: "г."/"года"/"ж." after the year, "в" before the time.
bool IsIgnoredWord(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "пн",      "вт",          "ср",       "чт",       "пт",       "сб",
      "вс",      "понедельник", "вторник",  "среда",    "четверг",  "пятница",
      "суббота", "воскресенье", "дс",       "сс",       "бс",       "жм",
      "жс",      "дүйсенбі",    "сейсенбі", "сәрсенбі", "бейсенбі", "жұма",
      "сенбі",   "жексенбі",    "г",        "год",      "года",     "ж",
      "жыл",     "жылғы",       "жылы",     "в",        "сағат",    "сағ"};
  for (std::string_view k : kWords) {
    if (w == k) return true;
  }
  return false;
}

// The offset a Cyrillic zone name stands for ("МСК", Moscow time); "" if `w` is none.
std::string_view CyrillicZone(std::string_view w) { return w == "мск" ? "+0300" : ""; }

bool IsEnglishMonth(std::string_view w) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return std::find(std::begin(kMonths), std::end(kMonths), w) != std::end(kMonths);
}

// `words` as "day month year clock rest" when they hold one of each but the clock (at most
// one) in another order: "12:00 6 Dec 2026" and, from Kazakh's year-first order, "2026 6 Dec
// 12:00". "" when they do not.
std::string DayMonthYearOrder(const std::vector<std::string_view>& words) {
  std::string_view day, month, year, clock;
  std::string rest;
  for (std::string_view w : words) {
    std::string_view* slot = nullptr;
    if (IsEnglishMonth(w)) {
      slot = &month;
    } else if (w.find(':') != std::string_view::npos) {
      slot = &clock;
    } else if (w.find_first_not_of("0123456789") == std::string_view::npos) {
      slot = w.size() <= 2 ? &day : w.size() == 4 ? &year : nullptr;
      if (slot == nullptr) return "";
    } else {
      rest.append(" ").append(w);
      continue;
    }
    if (!slot->empty()) return "";
    *slot = w;
  }
  if (day.empty() || month.empty() || year.empty()) return "";
  std::string out;
  out.append(day).append(" ").append(month).append(" ").append(year);
  if (!clock.empty()) out.append(" ").append(clock);
  return out + rest;
}

bool IsAsciiWord(std::string_view w) {
  for (char c : w) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::optional<UnixSeconds> ParseCyrillicDate(std::string_view s, int zoneless) {
  std::string english;
  std::vector<std::string_view> words;  // of `s`, or the English words standing for them
  bool dated = false;                   // a month name or a zone name was read
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = s.find_first_not_of(" \t\r\n,", i);
    if (start == std::string_view::npos) break;
    i = std::min(s.find_first_of(" \t\r\n,", start), s.size());
    const std::string_view word = s.substr(start, i - start);
    std::string_view out = word;
    if (!IsAsciiWord(word)) {
      const std::string lower = LowerWord(word);
      out = EnglishMonth(lower);
      if (out.empty()) out = CyrillicZone(lower);
      dated |= !out.empty();
      if (out.empty() && !IsIgnoredWord(lower)) return std::nullopt;
    }
    if (!out.empty()) {
      english.append(out).push_back(' ');
      words.push_back(out);
    }
  }
  // A month name, or a date in digits with a Cyrillic zone name ("05.12.2026 10:00 МСК").
  if (!dated) return std::nullopt;
  if (auto t = ParseRfc822Date(english, zoneless)) return t;
  const std::string reordered = DayMonthYearOrder(words);
  if (reordered.empty()) return std::nullopt;
  return ParseRfc822Date(reordered, zoneless);
}

}  // namespace newsd::parse
