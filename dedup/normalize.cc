#include "dedup/normalize.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "core/utf8.h"
#include "dedup/fold_table.h"
#include "dedup/html.h"
#include "dedup/number_words.h"

namespace newsd::dedup {
namespace {

bool IsCyrillic(char32_t cp) { return cp >= 0x400 && cp <= 0x52F; }
// 1 for ASCII letters, 2 for digits, 0 otherwise.
constexpr std::array<uint8_t, 256> kAsciiAlnum = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = 2;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 'a' + 'A'] = 1;
  return t;
}();
bool IsLatin(char32_t cp) { return (cp >= 'a' && cp <= 'z') || cp == 0x259; }

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// High bit of each byte of `word` in [lo, hi]; valid for bytes below 0x80.
constexpr uint64_t BytesInRange(uint64_t word, uint8_t lo, uint8_t hi) {
  const uint64_t w = word | kHighBits;  // No borrow crosses a byte below.
  return (w - lo * kOnes) & ~(w - (hi + 1) * kOnes) & kHighBits;
}

// High bit of each ASCII letter byte of `word`; *digits gets those of the ASCII digits.
inline uint64_t AsciiLetters(uint64_t word, uint64_t* digits) {
  const uint64_t ascii = ~word & kHighBits;
  *digits = BytesInRange(word, '0', '9') & ascii;
  return BytesInRange(word | 0x2020202020202020ULL, 'a', 'z') & ascii;
}

// Number of bytes of `bits` (only high bits set) whose high bit is set; no popcnt needed.
inline size_t CountHighBits(uint64_t bits) {
  return static_cast<size_t>(((bits >> 7) * kOnes) >> 56);
}

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

// Decodes one UTF-8 sequence at s[*pos]; returns U+FFFD-like separator (0) when invalid.
char32_t DecodeUtf8(std::string_view s, size_t* pos) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(*pos);
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || *pos + len > s.size()) {
    ++*pos;
    return 0;
  }
  char32_t cp = c & (0x7F >> len);
  for (int i = 1; i < len; ++i) {
    unsigned char cc = b(*pos + i);
    if ((cc & 0xC0) != 0x80) {
      ++*pos;
      return 0;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *pos += len;
  return cp;
}

constexpr size_t kMaxTokenBytes = size_t{64} * 4;

// The hash of the `n` bytes at `p`, reading whole 8-byte words: the 7 bytes after them must be
// readable (they do not change the result). A multiply-xorshift per word and the murmur3
// finaliser: token hashes need to be distinct and uniform, not keyed.
[[gnu::always_inline]] inline uint64_t HashPadded(const uint8_t* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xC2B2AE3D27D4EB4FULL);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 29;
  }
  if (i < n) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    w &= ~uint64_t{0} >> (64 - 8 * (n - i));  // Little-endian: keep the first n - i bytes.
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
  }
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

// Wire-service abbreviations and the words they stand for read as one token, the short form:
// Reuters' "mln", "dlrs", "Shr", "Revs", "stg" match "million", "dollars", "Share",
// "Revenues", "sterling" in a rewritten copy, and AP-style month abbreviations the names.
constexpr std::pair<std::string_view, std::string_view> kAbbreviations[] = {
    {"million", "mln"},    {"billion", "bln"},  {"trillion", "trln"}, {"thousand", "thous"},
    {"percent", "pct"},    {"dollars", "dlrs"}, {"dollar", "dlr"},    {"cents", "cts"},
    {"share", "shr"},      {"shares", "shrs"},  {"revenues", "revs"}, {"revenue", "rev"},
    {"sterling", "stg"},   {"quarter", "qtr"},  {"months", "mths"},   {"average", "avg"},
    {"operating", "oper"}, {"january", "jan"},  {"february", "feb"},  {"march", "mar"},
    {"april", "apr"},      {"june", "jun"},     {"july", "jul"},      {"august", "aug"},
    {"september", "sep"},  {"sept", "sep"},     {"october", "oct"},   {"november", "nov"},
    {"december", "dec"},
};

// kAbbreviations by the hash of the spelled-out form: an open-addressed table indexed by the
// hash's top bits, so that a word that is none of them costs one load and compare.
class Abbreviations {
 public:
  struct Entry {
    uint64_t full = 0;      // HashToken of the spelled-out form; 0 for an empty slot.
    uint64_t hash = 0;      // HashToken of the short form.
    std::string_view text;  // The short form.
  };

  static const Abbreviations& Get() {
    static const Abbreviations kTable;
    return kTable;
  }

  /// The entry of the word whose token hash is `hash`, or null.
  [[gnu::always_inline]] const Entry* Find(uint64_t hash) const {
    for (size_t i = hash >> kShift;; i = (i + 1) & kMask) {
      const Entry& e = slots_[i];
      if (e.full == hash) return &e;
      if (e.full == 0) return nullptr;
    }
  }

 private:
  static constexpr int kBits = 8;  // 256 slots: at most an eighth used.
  static constexpr int kShift = 64 - kBits;
  static constexpr size_t kMask = (size_t{1} << kBits) - 1;

  Abbreviations() {
    for (const auto& [full, abbreviation] : kAbbreviations) {
      const uint64_t hash = HashToken(full);
      size_t i = hash >> kShift;
      while (slots_[i].full != 0) i = (i + 1) & kMask;
      slots_[i] = Entry{hash, HashToken(abbreviation), abbreviation};
    }
  }
  std::array<Entry, size_t{1} << kBits> slots_{};
};

// Which letters a token counts, to decide on homoglyph folding.
enum Script : uint8_t { kOtherScript = 0, kCyrillicScript = 1, kLatinScript = 2 };

Script ScriptOf(char32_t cp) {
  return IsCyrillic(cp) ? kCyrillicScript : IsLatin(cp) ? kLatinScript : kOtherScript;
}

// The fold of every two-byte code point (U+0080..U+07FF: Latin-1, Greek, Cyrillic) whose
// folded form is one code point that also fits in two bytes: the inner loop of Cyrillic text.
struct TwoByteEntry {
  uint8_t bytes[2];
  uint8_t length;  // 0: not simple, take the general path.
  CharClass cls;
  Script script;
};

class TwoByteTable {
 public:
  TwoByteTable() {
    const FoldTable& table = FoldTable::Get();
    for (char32_t cp = 0x80; cp < 0x800; ++cp) {
      FoldedChar folded;
      TwoByteEntry& e = entries_[cp];
      e = TwoByteEntry{{0, 0}, 0, CharClass::kSeparator, kOtherScript};
      if (!table.FoldSingle(cp, &folded) || folded.cp >= 0x800) continue;
      e.cls = folded.cls;
      e.script = ScriptOf(folded.cp);
      e.length = static_cast<uint8_t>(EncodeUtf8(folded.cp, reinterpret_cast<char*>(e.bytes)));
    }
  }
  const TwoByteEntry& operator[](char32_t cp) const { return entries_[cp]; }

 private:
  std::array<TwoByteEntry, 0x800> entries_;
};

// "%", "percent", "pct", "процент(ов)" and Kazakh "процент(ке)" read as one token, so that
// "10%" and "10 percent" match.
constexpr std::string_view kPercentToken = "pct";
constexpr std::string_view kPercentWord = "процент";  // Russian and Kazakh, folded.
// Russian noun endings of "процент": dropped ("10 процентов" reads as "10%").
constexpr std::array<std::string_view, 10> kRussianPercentEndings = {"",    "а",  "у", "ов", "ам",
                                                                     "ами", "ах", "ы", "ом", "е"};

bool StartsWithPercentWord(std::string_view token) {
  return token.substr(0, kPercentWord.size()) == kPercentWord;
}

// The first 8 bytes of kPercentWord ("проц") as a little-endian word.
constexpr uint64_t kPercentHead = [] {
  uint64_t w = 0;
  for (size_t i = 0; i < 8; ++i) w |= uint64_t{static_cast<uint8_t>(kPercentWord[i])} << (8 * i);
  return w;
}();

// An attribution is at most this many tokens: "according to a Reuters report", "деп
// хабарлайды Tengrinews.kz тілшісі", "Об этом сообщает «Интерфакс»".
constexpr size_t kMaxAttribution = 6;

// The hashes of the reporting words that mark an attribution (folded forms).
class ReportingWords {
 public:
  static const ReportingWords& Get() {
    static const ReportingWords kWords;
    return kWords;
  }
  bool Contains(uint64_t hash) const {
    if ((filter_ >> (hash >> 58) & 1) == 0) return false;  // Most tokens stop here.
    return std::find(hashes_.begin(), hashes_.end(), hash) != hashes_.end();
  }

 private:
  ReportingWords() {
    static constexpr std::string_view kWords[] = {
        // English
        "said", "says", "reported", "reports", "according", "told",
        // Russian
        "сообщает", "сообщил", "сообщила", "сообщили", "сообщило", "сообщается", "сообщают",
        "передает", "передал", "передала", "передают", "пишет", "пишут", "заявил", "заявила",
        "заявили", "говорится", "информирует", "отмечается",
        // Kazakh (folded: мәлімдеді → малимдеди, деді → деди, дереккөз → дереккоз)
        "хабарлайды", "хабарлады", "жазады", "малимдеди", "деди", "дереккоз"};
    for (std::string_view w : kWords) {
      hashes_.push_back(HashToken(w));
      filter_ |= uint64_t{1} << (hashes_.back() >> 58);
    }
  }
  std::vector<uint64_t> hashes_;
  uint64_t filter_ = 0;  // Bit h >> 58 set for each hash h.
};

// The words that open a line linking to another story ("Read also: …", "Читайте также: …",
// "Толығырақ: …"; folded forms): such a line is no part of the text it follows.
class RelatedLinkMarkers {
 public:
  static const RelatedLinkMarkers& Get() {
    static const RelatedLinkMarkers kMarkers;
    return kMarkers;
  }
  /// True when tokens[0, count) open with a marker.
  bool Opens(const uint64_t* tokens, size_t count) const {
    if (count == 0 || (first_filter_ >> (tokens[0] >> 58) & 1) == 0) return false;  // Most lines.
    for (const std::vector<uint64_t>& marker : markers_) {
      if (marker.size() <= count && std::equal(marker.begin(), marker.end(), tokens)) return true;
    }
    return false;
  }

 private:
  RelatedLinkMarkers() {
    static constexpr std::array<std::array<std::string_view, 3>, 17> kMarkers = {{
        // English
        {"read", "also"},
        {"also", "read"},
        {"read", "more"},
        {"see", "also"},
        // Russian
        {"читайте", "также"},
        {"читай", "также"},
        {"читать", "также"},
        {"также", "читайте"},
        {"смотрите", "также"},
        {"подробнее"},
        {"по", "теме"},
        // Kazakh (folded: толығырақ → толыгырак, оқыңыз → окыныз, тағы → тагы)
        {"толыгырак"},
        {"сондай", "ак", "окыныз"},
        {"тагы", "окыныз"},
        {"окыныз"},
        {"толык", "окыныз"},
        {"кара", "сондай"},
    }};
    for (const auto& words : kMarkers) {
      std::vector<uint64_t> marker;
      for (std::string_view w : words) {
        if (!w.empty()) marker.push_back(HashToken(w));
      }
      first_filter_ |= uint64_t{1} << (marker.front() >> 58);
      markers_.push_back(std::move(marker));
    }
  }
  std::vector<std::vector<uint64_t>> markers_;
  uint64_t first_filter_ = 0;  // Bit h >> 58 set for the first word h of each marker.
};

// Builds tokens from folded code points (kept as UTF-8) and appends their hashes to a
// TokenizedText.
class TokenBuilder {
 public:
  TokenBuilder(TokenizedText* out, bool keep_text, Attributions attributions)
      : out_(out),
        abbreviations_(Abbreviations::Get()),
        keep_text_(keep_text),
        drop_attributions_(attributions == Attributions::kDrop) {}

  // One folded code point of any class.
  void Add(char32_t cp, CharClass cls) {
    switch (cls) {
      case CharClass::kLetter: {
        const Script script = ScriptOf(cp);
        cyrillic_ += script == kCyrillicScript;
        latin_ += script == kLatinScript;
        Append(cp);
        return;
      }
      case CharClass::kDigit:
        ++digits_;
        Append(cp);
        return;
      case CharClass::kIgnore:
        return;
      case CharClass::kSeparator:
        EndToken();
        return;
    }
  }

  // The run of ASCII letters and digits at text[pos] (the common case), lower-cased eight
  // bytes at a time; returns the position after it.
  size_t AddAsciiRun(std::string_view text, size_t pos) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const size_t size = text.size();
    size_t n = 0, digits = 0;
    while (pos + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, p + pos, 8);
      uint64_t digit_bits = 0;
      const uint64_t letter_bits = AsciiLetters(word, &digit_bits);
      const uint64_t stop = ~(letter_bits | digit_bits) & kHighBits;
      const size_t run = stop == 0 ? 8 : static_cast<size_t>(std::countr_zero(stop)) / 8;
      const uint64_t lower = word | (letter_bits >> 2);  // 0x80 >> 2 = 0x20: lower case.
      const uint64_t keep = run == 8 ? ~uint64_t{0} : (uint64_t{1} << (run * 8)) - 1;
      digits += CountHighBits(digit_bits & keep);
      AppendAscii(lower, run);
      n += run;
      pos += run;
      if (run < 8) break;
    }
    if (pos + 8 > size) {  // The tail, one byte at a time.
      for (; pos < size; ++pos, ++n) {
        const unsigned char c = p[pos];
        const uint8_t cls = kAsciiAlnum[c];  // 0 other, 1 letter, 2 digit.
        if (cls == 0) break;
        AppendAscii(c | (c >= 'A' ? 0x20 : 0), 1);  // Digits are below 'A'.
        digits += cls >> 1;
      }
    }
    digits_ += digits;
    latin_ += n - digits;
    total_ += n;
    return pos;
  }

  // The run of two-byte UTF-8 sequences at text[pos] with a simple fold (Cyrillic text);
  // returns the position after it.
  size_t AddTwoByteRun(const TwoByteTable& table, std::string_view text, size_t pos) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const size_t size = text.size();
    for (;;) {
      // Letters and digits, with the token's state in locals (stores to buffer_ may alias
      // members, which would otherwise be reloaded after every byte).
      size_t bytes = bytes_, chars = chars_, total = total_;
      size_t cyrillic = cyrillic_, latin = latin_, digits = digits_;
      uint8_t* buffer = buffer_;
      const TwoByteEntry* stop = nullptr;
      while (pos + 1 < size) {
        const unsigned char b0 = p[pos], b1 = p[pos + 1];
        if (b0 < 0xC2 || b0 >= 0xE0 || (b1 & 0xC0) != 0x80) break;
        const TwoByteEntry& e = table[(static_cast<char32_t>(b0 & 0x1F) << 6) | (b1 & 0x3F)];
        if (e.length == 0 || (e.cls != CharClass::kLetter && e.cls != CharClass::kDigit)) {
          stop = &e;
          break;
        }
        pos += 2;
        cyrillic += e.script == kCyrillicScript;
        latin += e.script == kLatinScript;
        digits += e.cls == CharClass::kDigit;
        ++total;
        const bool room = chars < kMaxToken;
        std::memcpy(buffer + bytes, e.bytes, 2);  // The buffer has spare bytes.
        bytes += room ? e.length : 0;
        chars += room;
      }
      bytes_ = bytes;
      chars_ = chars;
      total_ = total;
      cyrillic_ = cyrillic;
      latin_ = latin;
      digits_ = digits;
      if (stop == nullptr || stop->length == 0) return pos;  // Not a simple two-byte character.
      pos += 2;  // A separator, or a character to ignore.
      if (stop->cls == CharClass::kSeparator) EndToken();
    }
  }

  // The next token, when all digits and right after a token of digits, continues that
  // number ("12.35" is one figure for the number guard): TokenizedText::kNumberPart.
  void JoinNextNumber() { join_at_ = out_->tokens.size(); }

  // A '%' sign: reads as the word "percent".
  [[gnu::noinline]] void AddPercentSign() {
    EndToken();
    FlushNumber();
    EmitWord(kPercentToken);
  }

  void EndLine() {
    EndToken();
    FlushNumber();
    join_at_ = SIZE_MAX;
    if (line_open_ && drop_attributions_ && !DropAttribution()) DropMetaLine();
    line_open_ = false;
    clause_start_ = kNoClause;
    previous_clause_ = kNoClause;
  }

  // A dash ends the token and any number being read: "төрт жүз – бес жүз" is the range
  // "400 – 500", not one number.
  [[gnu::noinline]] void EndNumber() {
    EndToken();
    FlushNumber();
  }

  // A ',' ends the token and any number being read; the next token starts a clause.
  void EndClause() {
    EndToken();
    FlushNumber();
    if (line_open_) {
      previous_clause_ = clause_start_;
      clause_start_ = out_->tokens.size();
    }
  }

  [[gnu::always_inline]] void EndToken() {
    if (bytes_ == 0) return;
    // The common case: no homoglyphs, number word or pending number.
    const bool plain =
        (latin_ == 0 || cyrillic_ == 0) && !numbers_.pending() &&
        (cyrillic_ == 0 || digits_ > 0 || (!NumberWords::MayStart(View()) && !MayBePercentWord()));
    if (plain) [[likely]] {
      uint64_t hash = HashPadded(buffer_, bytes_);
      std::string_view view = View();
      if (cyrillic_ == 0 && digits_ == 0) {
        if (const Abbreviations::Entry* a = abbreviations_.Find(hash)) {
          hash = a->hash;
          view = a->text;
        }
      }
      Emit(hash, digits_ == total_, view);
      if (digits_ == total_) NoteDigits(hash);
      Reset();
      return;
    }
    EndUnusualToken();
  }

 private:
  std::string_view View() const { return {reinterpret_cast<const char*>(buffer_), bytes_}; }

  void Reset() {
    bytes_ = chars_ = total_ = 0;
    cyrillic_ = latin_ = digits_ = 0;
  }

  [[gnu::noinline]] void EndUnusualToken() {
    if (latin_ > 0 && cyrillic_ > 0) FoldMixedScripts();
    std::string_view view(reinterpret_cast<const char*>(buffer_), bytes_);
    if (cyrillic_ == 0 && digits_ == 0) {
      if (const Abbreviations::Entry* a = abbreviations_.Find(HashPadded(buffer_, bytes_))) {
        view = a->text;
      }
    }
    std::string_view suffix;
    // Each branch's work is in its condition; the empty ones differ in what they called.
    // NOLINTNEXTLINE(bugprone-branch-clone)
    if (cyrillic_ > 0 && digits_ == 0 && AddPercentWord(view)) {
      // Done: "pct" and any Kazakh ending were emitted.
    } else if (cyrillic_ > 0 && digits_ == 0 && numbers_.OfferConjunction(view)) {
      // Held: the next token says whether it is a decimal comma or a word.
    } else if (cyrillic_ > 0 && digits_ == 0 && FollowsDigits() &&
               numbers_.OfferScaleAfter(digits_value_, view, &suffix)) {
      DropLastToken();  // The digits are now the start of a run ("34 мың" = 34000).
      if (!suffix.empty()) {
        FlushNumber();
        EmitWord(suffix);
      }
    } else if (cyrillic_ > 0 && digits_ == 0 && numbers_.Offer(view, &suffix)) {
      if (std::string digits; numbers_.TakeCompleted(&digits)) {
        Emit(HashToken(digits), true, digits);
      }
      if (!suffix.empty()) {
        FlushNumber();
        EmitWord(suffix);
      }
    } else {
      FlushNumber();
      const uint64_t hash =
          view.data() == View().data() ? HashPadded(buffer_, bytes_) : HashToken(view);
      Emit(hash, digits_ == total_, view);
      if (digits_ == total_) NoteDigits(hash);
    }
    Reset();
  }

  // A cheap test on the token's first 8 bytes; AddPercentWord decides.
  bool MayBePercentWord() const {
    uint64_t head;
    std::memcpy(&head, buffer_, 8);  // The buffer is longer than 8 bytes.
    return head == kPercentHead;
  }

  // "процент" with a Russian noun ending or a Kazakh one: emits "pct" (and the Kazakh
  // ending) and returns true; false for any other word ("процентный").
  bool AddPercentWord(std::string_view token) {
    if (!StartsWithPercentWord(token)) return false;
    const std::string_view ending = token.substr(kPercentWord.size());
    const bool russian = std::find(kRussianPercentEndings.begin(), kRussianPercentEndings.end(),
                                   ending) != kRussianPercentEndings.end();
    if (!russian && !IsKazakhNumeralEnding(ending)) return false;
    FlushNumber();
    EmitWord(kPercentToken);
    if (!russian) EmitWord(ending);
    return true;
  }

  // A first line of at least this many numbers alone is a date and time ("27.02.1987 23:26").
  static constexpr size_t kMinStampTokens = 3;
  // Tokens longer than this (URLs, junk) are matched on their first kMaxToken code points.
  static constexpr size_t kMaxToken = 64;
  static constexpr size_t kNoClause = SIZE_MAX;
  static constexpr size_t kNoDigits = SIZE_MAX;
  // Digits a following scale word may multiply: at most this many (no overflow).
  static constexpr size_t kMaxScaledDigits = 9;

  // Drops the line's attribution (see Tokenize): its last clause, when short and holding a
  // reporting word (and the clause before it, when that is one too), or the whole line, when it is
  // a short sentence holding one and not the first line of the text. True when the whole line
  // went.
  bool DropAttribution() {
    const size_t end = out_->tokens.size();
    const size_t line = out_->line_starts.back();
    size_t from = end;
    if (clause_start_ != kNoClause && clause_start_ > line && IsAttribution(clause_start_, end)) {
      from = clause_start_;
      // Two of them: "..., a government spokesman said today, Reuters reported."
      if (previous_clause_ != kNoClause && previous_clause_ > line &&
          IsAttribution(previous_clause_, from)) {
        from = previous_clause_;
      }
    } else if (out_->line_starts.size() > 1 && IsAttribution(line, end)) {
      from = line;
    }
    if (from == end) return false;
    DropFrom(from);
    return from == line;
  }

  // Drops tokens [from, end), and the line when they are all of it.
  void DropFrom(size_t from) {
    const size_t line = out_->line_starts.back();
    out_->tokens.resize(from);
    out_->is_number.resize(from);
    while (!out_->digits.empty() && out_->digits.back().token >= from) out_->digits.pop_back();
    if (keep_text_) out_->text.resize(from);
    if (from == line) out_->line_starts.pop_back();
  }

  // A line that is no part of the story (see Tokenize): a link to another story after the
  // first line is dropped now; a first line of numbers alone (a date and time above the text)
  // once another line follows it (DropStampLine), so that a text of numbers keeps them.
  [[gnu::noinline]] void DropMetaLine() {
    const size_t line = out_->line_starts.back();
    const size_t count = out_->tokens.size() - line;
    if (out_->line_starts.size() == 1) {
      stamp_line_ =
          count >= kMinStampTokens && std::all_of(out_->is_number.begin(), out_->is_number.end(),
                                                  [](uint8_t n) { return n != 0; });
    } else if (RelatedLinkMarkers::Get().Opens(out_->tokens.data() + line, count)) {
      DropFrom(line);
    }
  }

  [[gnu::noinline]] void DropStampLine() {
    stamp_line_ = false;
    DropFrom(0);
  }

  // Tokens [begin, end) read as an attribution: short, with a reporting word, and no number
  // (", 12 workers were reported injured" is news, and its figure counts for the guard).
  bool IsAttribution(size_t begin, size_t end) const {
    if (end - begin > kMaxAttribution || !HasReportingWord(begin, end)) return false;
    return std::all_of(out_->is_number.begin() + static_cast<std::ptrdiff_t>(begin),
                       out_->is_number.begin() + static_cast<std::ptrdiff_t>(end),
                       [](uint8_t n) { return n == 0; });
  }

  bool HasReportingWord(size_t begin, size_t end) const {
    const ReportingWords& words = ReportingWords::Get();
    for (size_t i = begin; i < end; ++i) {
      if (words.Contains(out_->tokens[i])) return true;
    }
    return false;
  }

  // Appends the first `count` (≤ 8) bytes of `bytes` (ASCII code points, little-endian).
  void AppendAscii(uint64_t bytes, size_t count) {
    const size_t room = kMaxToken - std::min(chars_, kMaxToken);
    std::memcpy(buffer_ + bytes_, &bytes, 8);  // The buffer has 8 spare bytes.
    count = std::min(count, room);
    bytes_ += count;
    chars_ += count;
  }

  void Append(char32_t cp) {
    ++total_;
    if (chars_ >= kMaxToken) return;
    bytes_ += EncodeUtf8(cp, reinterpret_cast<char*>(buffer_ + bytes_));
    ++chars_;
  }

  // A token of Latin and Cyrillic letters is one word typed with look-alikes ("iрi" for
  // "ірі", "Rеuters" with a Cyrillic "е"): it is rewritten in Cyrillic when each of its Latin
  // letters has a Cyrillic look-alike, else in Latin when each Cyrillic one has a Latin
  // look-alike, else (letters of both scripts without one) as far as it can in the script of
  // most of its letters, Cyrillic on a tie.
  [[gnu::noinline]] void FoldMixedScripts() {
    bool latin_only = false, cyrillic_only = false;  // A letter without a look-alike.
    ForEachCodePoint([&](char32_t cp) {
      latin_only |= IsLatin(cp) && CyrillicLookalike(cp) == cp;
      cyrillic_only |= IsCyrillic(cp) && LatinLookalike(cp) == cp;
    });
    const bool to_cyrillic = !latin_only || (cyrillic_only && cyrillic_ >= latin_);
    const bool to_latin = !to_cyrillic && !cyrillic_only;
    if (!to_cyrillic && !to_latin) return;
    uint8_t folded[sizeof(buffer_)];
    size_t n = 0;
    size_t cyrillic = 0, latin = 0;
    ForEachCodePoint([&](char32_t cp) {
      cp = to_cyrillic ? CyrillicLookalike(cp) : LatinLookalike(cp);
      cyrillic += IsCyrillic(cp);
      latin += IsLatin(cp);
      n += EncodeUtf8(cp, reinterpret_cast<char*>(folded + n));
    });
    std::copy(folded, folded + n, buffer_);
    bytes_ = n;
    cyrillic_ = cyrillic;
    latin_ = latin;
  }

  template <class Visit>
  void ForEachCodePoint(Visit visit) const {
    const std::string_view token = View();
    for (size_t pos = 0; pos < token.size();) {
      const auto c = static_cast<unsigned char>(token[pos]);
      visit(c < 0x80 ? static_cast<char32_t>(token[pos++]) : DecodeUtf8(token, &pos));
    }
  }

  void FlushNumber() {
    if (!numbers_.pending()) return;
    std::string_view conjunction;
    const std::string digits = numbers_.Flush(&conjunction);
    Emit(HashToken(digits), true, digits);
    if (!conjunction.empty()) EmitWord(conjunction);
  }

  // Remembers the token just emitted, all digits, for a scale word that may follow.
  [[gnu::noinline]] void NoteDigits(uint64_t hash) {
    digits_token_ = kNoDigits;
    if (digits_ > kMaxScaledDigits || bytes_ != digits_) return;
    uint64_t value = 0;
    for (size_t i = 0; i < bytes_; ++i) value = value * 10 + (buffer_[i] - '0');
    digits_value_ = value;
    digits_hash_ = hash;
    digits_token_ = out_->tokens.size() - 1;
  }

  // True when the last token emitted is the one NoteDigits saw, in the same clause.
  bool FollowsDigits() const {
    const size_t n = out_->tokens.size();
    return line_open_ && n > 0 && digits_token_ == n - 1 && out_->tokens.back() == digits_hash_ &&
           (clause_start_ == kNoClause || clause_start_ <= digits_token_);
  }

  void DropLastToken() {
    out_->tokens.pop_back();
    out_->is_number.pop_back();
    if (!out_->digits.empty() && out_->digits.back().token == out_->tokens.size()) {
      out_->digits.pop_back();
    }
    if (keep_text_) out_->text.pop_back();
    if (out_->line_starts.back() == out_->tokens.size()) {
      out_->line_starts.pop_back();  // It opened the line: the next token opens it again.
      line_open_ = false;
    }
    digits_token_ = kNoDigits;
  }

  // Out of line: the rare tokens' path, kept out of the hot loop's inlining budget.
  [[gnu::noinline]] void EmitWord(std::string_view word) { Emit(HashToken(word), false, word); }

  [[gnu::always_inline]] void Emit(uint64_t hash, bool is_number, std::string_view token) {
    if (!line_open_) {
      if (stamp_line_) DropStampLine();
      out_->line_starts.push_back(static_cast<uint32_t>(out_->tokens.size()));
      line_open_ = true;
    }
    const bool part = is_number && join_at_ == out_->tokens.size() && !out_->tokens.empty() &&
                      out_->is_number.back() != 0;
    join_at_ = SIZE_MAX;  // only the token right after the separator joins
    out_->tokens.push_back(hash);
    out_->is_number.push_back(part ? TokenizedText::kNumberPart : is_number ? 1 : 0);
    if (is_number) AddDigits(token);
    if (keep_text_) out_->text.emplace_back(token);
  }

  [[gnu::noinline]] void AddDigits(std::string_view token) {
    uint64_t value = 0;
    for (char c : token) value = value * 10 + static_cast<uint8_t>(c - '0');
    out_->digits.push_back({static_cast<uint32_t>(out_->tokens.size() - 1),
                            static_cast<uint32_t>(token.size()), value});
  }

  TokenizedText* out_;
  const Abbreviations& abbreviations_;
  NumberWords numbers_;
  bool keep_text_;
  bool drop_attributions_;
  bool line_open_ = false;
  bool stamp_line_ = false;             // The first line is numbers alone (DropMetaLine).
  size_t clause_start_ = kNoClause;     // Token index after the line's last ',', if any.
  size_t previous_clause_ = kNoClause;  // The clause_start_ before it, if any.
  size_t digits_token_ = kNoDigits;     // See NoteDigits.
  size_t join_at_ = SIZE_MAX;           // See JoinNextNumber.
  uint64_t digits_value_ = 0, digits_hash_ = 0;
  // Folded UTF-8 bytes of the token: at most kMaxToken code points of up to 4 bytes (2 after
  // homoglyph folding of a 1-byte letter), plus a spare cell for AddAsciiRun.
  uint8_t buffer_[kMaxToken * 4 + 16];
  size_t bytes_ = 0, chars_ = 0, total_ = 0;
  size_t cyrillic_ = 0, latin_ = 0, digits_ = 0;
};

// True when a '.', '!' or '?' just before `next` ends a sentence: followed by white space or
// the end of the text (so "3.5", "e.g.x" and URLs do not split).
bool EndsSentence(std::string_view text, size_t next) {
  if (next == text.size()) return true;
  const char c = text[next];
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// True when text[pos] (a '.' or ',') has an ASCII digit on both sides: a decimal point or a
// thousands separator.
bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool BetweenDigits(std::string_view text, size_t pos) {
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  return pos > 0 && digit(pos - 1) && digit(pos + 1);
}

// GroupsThousands (below) for white space that follows a digit.
[[gnu::noinline]] bool GroupsThousandsAfterDigit(std::string_view text, size_t pos, size_t length) {
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  size_t before = 0;
  while (before < 4 && before < pos && digit(pos - 1 - before)) ++before;
  if (before == 0 || before > 3) return false;
  if (pos > before) {
    const char c = text[pos - 1 - before];
    if (c == '.' || c == ',' || IsAsciiAlnum(static_cast<unsigned char>(c))) return false;
  }
  const size_t after = pos + length;
  if (!digit(after) || !digit(after + 1) || !digit(after + 2)) return false;
  if (after + 3 == text.size()) return true;
  // After the group: ASCII punctuation or space, or a no-break space, dash or quote (UTF-8
  // lead bytes C2 and E2); not a letter.
  const auto next = static_cast<unsigned char>(text[after + 3]);
  return next < 0x80 ? !IsAsciiAlnum(next) && next != '-' : next == 0xC2 || next == 0xE2;
}

// True when the `length` bytes of white space at `pos` group thousands: 1 to 3 digits before
// them (not part of a longer number), exactly 3 after, and no digit, letter or '-' after those
// ("164 000", "1 234 567" as Russian and Kazakh write them; not "2019 300" or "5 100-метровых").
// The common case, white space after a word, is decided inline.
inline bool GroupsThousands(std::string_view text, size_t pos, size_t length) {
  if (pos == 0 || text[pos - 1] < '0' || text[pos - 1] > '9') [[likely]]
    return false;
  return GroupsThousandsAfterDigit(text, pos, length);
}

// The length of the space at `pos` that may group digits: U+00A0, U+2009 or U+202F; else 0.
size_t GroupSpaceLength(std::string_view text, size_t pos) {
  if (pos > 0 && (text[pos - 1] < '0' || text[pos - 1] > '9')) return 0;  // after a digit only
  const std::string_view rest = text.substr(pos, 3);
  if (rest.starts_with("\xC2\xA0")) return 2;
  if (rest == "\xE2\x80\x89" || rest == "\xE2\x80\xAF") return 3;
  return 0;
}

// What the main loop of Tokenize does with a byte.
enum class ByteKind : uint8_t {
  kAlnum,      // ASCII letter or digit: a run of them.
  kSeparator,  // ASCII separator (space, punctuation other than below).
  kHigh,       // Start (or stray continuation) of a multi-byte UTF-8 sequence.
  kNewline,    // '\n': ends the line.
  kStop,       // '.', '!', '?': may end a sentence.
  kComma,      // ',': ends a clause (see TokenBuilder::EndClause).
  kTag,        // '<': maybe an HTML tag.
  kAmpersand,  // '&': maybe an entity or an escaped tag.
  kOther,      // Anything else (control characters, '%'): the general path.
};

struct AsciiTable {
  std::array<char32_t, 128> folded;
  std::array<CharClass, 128> cls;
  std::array<ByteKind, 256> kind;
  AsciiTable() {
    for (char32_t c = 0; c < 128; ++c) {
      folded[c] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
      cls[c] = ClassifyCodePoint(c);
      kind[c] = cls[c] == CharClass::kLetter || cls[c] == CharClass::kDigit ? ByteKind::kAlnum
                : cls[c] == CharClass::kSeparator                           ? ByteKind::kSeparator
                                                                            : ByteKind::kOther;
    }
    for (int c = 128; c < 256; ++c) kind[c] = ByteKind::kHigh;
    kind['\n'] = ByteKind::kNewline;
    kind['.'] = kind['!'] = kind['?'] = ByteKind::kStop;
    kind[','] = ByteKind::kComma;
    kind['%'] = ByteKind::kOther;  // Read as a word: see Tokenize.
    kind['<'] = ByteKind::kTag;
    kind['&'] = ByteKind::kAmpersand;
  }
};

void AddCodePoint(const FoldTable& table, char32_t cp, TokenBuilder* builder) {
  FoldedChar one;
  if (table.FoldSingle(cp, &one)) [[likely]] {
    builder->Add(one.cp, one.cls);
    return;
  }
  FoldedChar folded[4];
  int n = table.Fold(cp, folded);
  for (int i = 0; i < n; ++i) builder->Add(folded[i].cp, folded[i].cls);
}

// A hyphen or dash (U+2010-U+2015) ends any number being read, as in a range "400 – 500";
// any other code point is added.
void AddCodePointOrDash(const FoldTable& table, char32_t cp, TokenBuilder* builder) {
  if (cp >= 0x2010 && cp <= 0x2015) {
    builder->EndNumber();
    return;
  }
  AddCodePoint(table, cp, builder);
}

// Where a link or hashtag may begin: not inside a word, a number or another link.
bool StartsSpan(std::string_view text, size_t pos, std::string_view glue) {
  if (pos == 0) return true;
  const auto prev = static_cast<unsigned char>(text[pos - 1]);
  return !IsAsciiAlnum(prev) && glue.find(static_cast<char>(prev)) == std::string_view::npos;
}

// The end of a link starting at `pos`: white space, markup, quotes or a non-ASCII byte stop
// it, and punctuation that ends it belongs to the sentence ("see http://x.com/a.").
size_t LinkEnd(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size()) {
    const auto c = static_cast<unsigned char>(text[end]);
    if (c <= ' ' || c >= 0x80 || c == '<' || c == '>' || c == '"' || c == '\'') break;
    ++end;
  }
  while (end > pos && std::string_view(".,;:!?)").find(text[end - 1]) != std::string_view::npos) {
    --end;
  }
  return end;
}

// The end of a hashtag (or a chain of them, "#спорт#хоккей") starting at `pos`: letters,
// digits, '_' and '#'. Bytes from 0x80 count as letters, but for the lead bytes C2 and E2
// (no-break space, dashes, quotes, '«»').
size_t HashtagEnd(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size()) {
    const auto c = static_cast<unsigned char>(text[end]);
    const bool word =
        c == '#' || c == '_' || IsAsciiAlnum(c) || (c >= 0x80 && c != 0xC2 && c != 0xE2);
    if (!word) break;
    ++end;
  }
  return end;
}

// Links ("https://t.me/x", "www.site.kz/a") and hashtags ("#news", not "#1" or "&#39;") are
// outlets' own additions, not the story: they are replaced by a space before tokenising.
// Returns `text` itself when it has none (the common case), else the cleaned copy in *buffer.
// True when the '#' at `pos` may start a hashtag: after white space, a tag or '('.
bool HashtagStart(std::string_view text, size_t pos) {
  return pos == 0 || std::string_view(" \t\r\n>(").find(text[pos - 1]) != std::string_view::npos;
}

std::string_view WithoutLinksAndHashtags(std::string_view text, std::string* buffer) {
  bool maybe =
      text.find("://") != std::string_view::npos || text.find("www.") != std::string_view::npos;
  for (size_t at = text.find('#'); !maybe && at != std::string_view::npos;
       at = text.find('#', at + 1)) {
    maybe = HashtagStart(text, at);  // not "&#39;" or "color:#f00"
  }
  if (!maybe) return text;
  buffer->clear();
  size_t copied = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = pos;
    const char c = text[pos];
    if (c == 'h' || c == 'H' || c == 'w' || c == 'W') {
      const std::string_view rest = text.substr(pos);
      auto starts = [&](std::string_view prefix) {
        return rest.size() > prefix.size() &&
               std::equal(prefix.begin(), prefix.end(), rest.begin(), [](char a, char b) {
                 return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
               });
      };
      if ((starts("http://") || starts("https://") || starts("www.")) &&
          StartsSpan(text, pos, "./@-_")) {
        end = LinkEnd(text, pos);
      }
    } else if (c == '#' && pos + 1 < text.size() && HashtagStart(text, pos)) {
      // After white space or a tag only: never "color:#f00", href="#top" or "&#39;".
      const auto next = static_cast<unsigned char>(text[pos + 1]);
      const bool word = next >= 0x80 || next == '_' || (IsAsciiAlnum(next) && next > '9');
      if (word) end = HashtagEnd(text, pos);
    }
    if (end == pos) {
      ++pos;
      continue;
    }
    buffer->append(text.substr(copied, pos - copied));
    buffer->push_back(' ');
    copied = pos = end;
  }
  if (copied == 0) return text;
  buffer->append(text.substr(copied));
  return *buffer;
}

}  // namespace

void TokenizedText::Clear() {
  tokens.clear();
  is_number.clear();
  digits.clear();
  line_starts.clear();
  text.clear();
}

uint64_t HashToken(std::string_view token) {
  uint8_t padded[kMaxTokenBytes + 8];
  if (token.size() > kMaxTokenBytes) {  // Not made by Tokenize: hash a padded copy.
    std::string copy(token);
    copy.append(8, '\0');
    return HashPadded(reinterpret_cast<const uint8_t*>(copy.data()), token.size());
  }
  std::memcpy(padded, token.data(), token.size());
  return HashPadded(padded, token.size());
}

void Tokenize(std::string_view text, TokenizedText* out, bool keep_text,
              Attributions attributions) {
  static const AsciiTable kAscii;
  static const TwoByteTable kTwoByte;
  const FoldTable& table = FoldTable::Get();
  thread_local std::string cleaned;
  if (attributions == Attributions::kDrop) text = WithoutLinksAndHashtags(text, &cleaned);
  out->Clear();
  TokenBuilder builder(out, keep_text, attributions);
  size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    switch (kAscii.kind[c]) {
      case ByteKind::kAlnum:
        pos = builder.AddAsciiRun(text, pos);
        // Words apart by one separator (a space, mostly) without going round the switch.
        while (pos + 1 < text.size() &&
               kAscii.kind[static_cast<unsigned char>(text[pos])] == ByteKind::kSeparator &&
               kAscii.kind[static_cast<unsigned char>(text[pos + 1])] == ByteKind::kAlnum) {
          builder.EndToken();
          if (text[pos] == ' ' && GroupsThousands(text, pos, 1)) builder.JoinNextNumber();
          pos = builder.AddAsciiRun(text, pos + 1);
        }
        continue;
      case ByteKind::kSeparator:
        c == '-' ? builder.EndNumber() : builder.EndToken();
        if (c == ' ' && GroupsThousands(text, pos, 1)) builder.JoinNextNumber();  // "164 000"
        ++pos;
        continue;
      case ByteKind::kHigh: {
        // A no-break or thin space between digit groups ("164\u00a0000", "164\u2009000").
        if (const size_t n = GroupSpaceLength(text, pos); n > 0 && GroupsThousands(text, pos, n)) {
          builder.EndToken();
          builder.JoinNextNumber();
          pos += n;
          continue;
        }
        // Two-byte sequences (Cyrillic, Latin-1) are the common case: decode them inline.
        const size_t end = builder.AddTwoByteRun(kTwoByte, text, pos);
        if (end != pos) {
          pos = end;
          continue;
        }
        AddCodePointOrDash(table, DecodeUtf8(text, &pos), &builder);
        continue;
      }
      case ByteKind::kNewline:
        builder.EndLine();
        ++pos;
        continue;
      case ByteKind::kStop:
        // Sentences count as lines (boilerplate is learned per line).
        EndsSentence(text, pos + 1) ? builder.EndLine() : builder.EndToken();
        if (BetweenDigits(text, pos)) builder.JoinNextNumber();  // "12.35"
        ++pos;
        continue;
      case ByteKind::kComma:
        builder.EndClause();
        if (BetweenDigits(text, pos)) builder.JoinNextNumber();  // "448,5", "1,234"
        ++pos;
        continue;
      case ByteKind::kTag: {
        bool line_break = false;
        if (SkipHtmlTag(text, &pos, &line_break)) {
          line_break ? builder.EndLine() : builder.EndToken();
          continue;
        }
        break;
      }
      case ByteKind::kAmpersand: {
        bool line_break = false;
        if (SkipEscapedHtmlTag(text, &pos, &line_break)) {
          line_break ? builder.EndLine() : builder.EndToken();
          continue;
        }
        char32_t cp = 0;
        if (DecodeHtmlEntity(text, &pos, &cp)) {
          AddCodePointOrDash(table, cp, &builder);  // "&ndash;" is a dash too
          continue;
        }
        break;
      }
      case ByteKind::kOther:
        break;
    }
    c == '%' ? builder.AddPercentSign() : builder.Add(kAscii.folded[c], kAscii.cls[c]);
    ++pos;
  }
  builder.EndLine();
}

namespace {

std::string Normalize(std::string_view text, Attributions attributions) {
  TokenizedText tokens;
  Tokenize(text, &tokens, /*keep_text=*/true, attributions);
  std::string result;
  size_t line = 0;
  for (size_t i = 0; i < tokens.text.size(); ++i) {
    if (i > 0) {
      bool new_line = line + 1 < tokens.LineCount() && tokens.LineBegin(line + 1) == i;
      if (new_line) ++line;
      result += new_line ? '\n' : ' ';
    }
    result += tokens.text[i];
  }
  return result;
}

}  // namespace

std::string NormalizeForMatching(std::string_view text) {
  return Normalize(text, Attributions::kDrop);
}

std::string NormalizeForSearch(std::string_view text) {
  return Normalize(text, Attributions::kKeep);
}

}  // namespace newsd::dedup
