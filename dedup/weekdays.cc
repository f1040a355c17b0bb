#include "dedup/weekdays.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "dedup/normalize.h"
#include "dedup/word_table.h"

namespace newsd::dedup {
namespace {

// What a weekday word needs beside it to name an event's day.
enum class Needs : uint8_t {
  kNothing,
  kAccusativePreposition,  // "в понедельник", "во вторник", "на среду"
  kGenitivePreposition,  // "до пятницы", "с понедельника", "со среды"
  kDayWord,              // "дүйсенбі күні"
};

struct Weekday {
  uint64_t hash;
  uint8_t day;
  Needs needs;
};

class WeekdayNames {
 public:
  static const WeekdayNames& Get() {
    static const WeekdayNames kNames;
    return kNames;
  }
  const WordFilter& filter() const { return words_.filter(); }
  const Weekday* Find(uint64_t hash) const { return words_.Find(hash); }

 private:
  WeekdayNames() {
    // Folded as Tokenize folds them: ё is е, Kazakh letters are their base Cyrillic ones.
    static constexpr std::array<std::string_view, 7> kEnglish = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    static constexpr std::array<std::string_view, 7> kRussianAccusative = {
        "понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"};
    static constexpr std::array<std::string_view, 7> kRussianGenitive = {
        "понедельника", "вторника", "среды", "четверга", "пятницы", "субботы", "воскресенья"};
    // дүйсенбі, сейсенбі, сәрсенбі, бейсенбі, жұма, сенбі, жексенбі.
    static constexpr std::array<std::string_view, 7> kKazakh = {
        "дуйсенби", "сейсенби", "сарсенби", "бейсенби", "жума", "сенби", "жексенби"};
    // The same in the locative; not "жұмада", which is also "in the week".
    static constexpr std::array<std::string_view, 7> kKazakhOn = {
        "дуйсенбиде", "сейсенбиде", "сарсенбиде", "бейсенбиде", "", "сенбиде", "жексенбиде"};
    for (uint8_t d = 0; d < 7; ++d) {
      const auto day = static_cast<uint8_t>(d + 1);
      Add(kEnglish[d], day, Needs::kNothing);
      Add(kRussianAccusative[d], day, Needs::kAccusativePreposition);
      Add(kRussianGenitive[d], day, Needs::kGenitivePreposition);
      Add(kKazakh[d], day, Needs::kDayWord);
      if (!kKazakhOn[d].empty()) Add(kKazakhOn[d], day, Needs::kNothing);
    }
  }
  void Add(std::string_view word, uint8_t day, Needs needs) {
    words_.Add({HashToken(word), day, needs});
  }
  WordTable<Weekday> words_;  // 34 words
};

}  // namespace

const WordFilter& WeekdayFilter() { return WeekdayNames::Get().filter(); }

void FindWeekdays(const TokenizedText& t, std::span<const uint32_t> candidates,
                  std::vector<WeekdayToken>* out) {
  const WeekdayNames& names = WeekdayNames::Get();
  static const uint64_t kV = HashToken("в"), kVo = HashToken("во"), kNa = HashToken("на"),
                        kDo = HashToken("до"), kS = HashToken("с"), kSo = HashToken("со"),
                        kKuni = HashToken("куни");
  const std::span<const uint64_t> tokens = t.tokens;
  for (const size_t k : candidates) {
    const Weekday* w = names.Find(tokens[k]);
    if (w == nullptr) continue;
    const uint64_t before = k > 0 ? tokens[k - 1] : 0;
    bool named = false;
    switch (w->needs) {
      case Needs::kNothing:
        named = true;
        break;
      case Needs::kAccusativePreposition:
        named = before == kV || before == kVo || before == kNa;
        break;
      case Needs::kGenitivePreposition:
        named = before == kDo || before == kS || before == kSo;
        break;
      case Needs::kDayWord:
        named = k + 1 < tokens.size() && tokens[k + 1] == kKuni;
        break;
    }
    if (named) out->push_back({k, w->day});
  }
}

unsigned WeekdayKey(const TokenizedText& t, size_t k, size_t line_begin) {
  static const std::array<uint64_t, 16> kPrepositions = [] {
    std::array<uint64_t, 16> hashes{};
    size_t i = 0;
    for (std::string_view word : {"в", "во", "на", "до", "с", "со", "к", "on", "by", "since",
                                  "until", "from", "last", "next", "this", "late"}) {
      hashes[i++] = HashToken(word);
    }
    return hashes;
  }();
  size_t j = k;
  while (j > line_begin && std::find(kPrepositions.begin(), kPrepositions.end(), t.tokens[j - 1]) !=
                               kPrepositions.end()) {
    --j;
  }
  return j > line_begin ? static_cast<unsigned>(t.tokens[j - 1] >> 57) : 0;
}

}  // namespace newsd::dedup
