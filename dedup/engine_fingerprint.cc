// The fingerprinting half of Engine (engine.h): Prepare, MakeFingerprint, Finish,
// MarkBoilerplate and SetAside, with the helpers that turn the tokens of the lines kept into
// numbers, figures, names, shingles, lead and signature (SignKept). The index, persistence and
// restore half is engine.cc; the state both use, engine_state.h.
#include "dedup/engine.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>
#include <span>
#include <string_view>
#include <vector>

#include "dedup/boilerplate.h"
#include "dedup/corrections.h"
#include "dedup/dateline.h"
#include "dedup/engine_state.h"
#include "dedup/minhash.h"
#include "dedup/normalize.h"
#include "dedup/shingle.h"

namespace newsd::dedup {
namespace {

// Scratch buffers reused by MakeFingerprint on each thread (no per-document allocation).
struct FingerprintScratch {
  TokenizedText tokens;
  std::vector<uint8_t> dropped;
  std::vector<PendingLine> pending;
  std::vector<uint64_t> kept;
  std::vector<Shingle> titles;
};

FingerprintScratch& ThreadScratch() {
  thread_local FingerprintScratch scratch;
  return scratch;
}

// Adds token k's number to *numbers; a continuation (TokenizedText::kNumberPart: "35" of
// "12.35", "000" of "164,000" or "164 000") is folded into the number before it, so a figure
// counts as one number for the number guard, however its digits are grouped.
void AddNumber(const TokenizedText& t, size_t k, bool continues, std::vector<Shingle>* numbers) {
  const auto value = static_cast<Shingle>(t.tokens[k] >> 32);
  if (continues && !numbers->empty()) {
    numbers->back() = static_cast<Shingle>((numbers->back() * 0x9E3779B1u) ^ (value + 0x7F4A7C15u));
  } else {
    numbers->push_back(value);
  }
}

// The first token of [k, end) that is a number (TokenizedText::is_number), or `end` when
// none is (k may be past it): eight tokens at a time, as most are words.
uint32_t NextNumber(const std::vector<uint8_t>& is_number, uint32_t k, uint32_t end) {
  const uint8_t* flags = is_number.data();
  for (; k + 8 <= end; k += 8) {
    uint64_t eight;
    std::memcpy(&eight, flags + k, sizeof eight);
    if (eight != 0) return k + static_cast<uint32_t>(std::countr_zero(eight)) / 8;  // little-endian
  }
  while (k < end && flags[k] == 0) ++k;
  return std::min(k, end);
}

// Appends to *figures the figure of the number tokens [begin, end) of the line [line_begin,
// line_end) (see Fingerprint::figures). *cursor is the first entry of t.digits not read yet.
void AddFigure(const TokenizedText& t, uint32_t line_begin, uint32_t line_end, uint32_t begin,
               uint32_t end, size_t* cursor, std::vector<Shingle>* figures) {
  // The key: the two words before the figure (other figures skipped) and the token after it,
  // 0 past either end of the line.
  uint64_t words[3] = {0, 0, end < line_end ? t.tokens[end] : 0};
  int found = 0;
  for (uint32_t k = begin; k > line_begin && found < 2;) {
    --k;
    if (!t.is_number[k]) words[1 - found++] = t.tokens[k];
  }
  // The value: all the digits of the run, whatever separated them.
  uint64_t digits[2] = {0, 0};  // value, count
  while (*cursor < t.digits.size() && t.digits[*cursor].token < begin) ++*cursor;
  for (; *cursor < t.digits.size() && t.digits[*cursor].token < end; ++*cursor) {
    const TokenizedText::Digits& d = t.digits[*cursor];
    for (uint32_t i = 0; i < d.count; ++i) digits[0] *= 10;
    digits[0] += d.value;
    digits[1] += d.count;
  }
  const uint64_t figure = XXH3_64bits(digits, sizeof(digits));
  constexpr Shingle kFigureMask = (Shingle{1} << kFigureBits) - 1;
  Shingle key = static_cast<Shingle>(XXH3_64bits(words, sizeof(words)) >> (32 + kFigureBits));
  if (key == kDateKey) key ^= 1;  // the dates' key is theirs
  figures->push_back(key << kFigureBits |
                     (static_cast<Shingle>(figure) & kFigureMask & ~kCompoundFigure) |
                     (digits[1] >= kCompoundDigits ? kCompoundFigure : 0));
}

// Appends to *names the names of the line [begin, end) (see Fingerprint::names): its
// capitals past its first token. *cursor is the first entry of t.capitals not read yet.
// A name is keyed by the words around it that are not names themselves: the two before it
// and the one after it, within the line. Names side by side ("Әуезов ауданы Абай көшесі",
// "in Almaty, Abay street") would otherwise key each other, so that two reports from one
// template naming other places never shared a key to compare them under.
void AddNames(const TokenizedText& t, uint32_t begin, uint32_t end, size_t* cursor,
              std::vector<Shingle>* names) {
  constexpr uint64_t kNameKey = 0x6E616D65;  // Keys apart from the figures' ("name").
  const std::vector<TokenizedText::Capital>& caps = t.capitals;
  while (*cursor < caps.size() && caps[*cursor].token < begin) ++*cursor;
  // Names side by side share their keys: the words around a run of capitalised tokens are
  // found once for the run (a line of thousands of them stays linear).
  size_t c = *cursor;
  while (c < caps.size() && caps[c].token < end) {
    size_t run_end = c + 1;
    while (run_end < caps.size() && caps[run_end].token == caps[run_end - 1].token + 1 &&
           caps[run_end].token < end) {
      ++run_end;
    }
    const uint32_t first = caps[c].token, next = caps[run_end - 1].token + 1;
    // The run a snippet was cut in ("at the New York Mercantile …") may lack its last names
    // and has no word after it: its key would be that of a sentence's last names.
    if (t.cut && next == t.tokens.size()) {
      c = run_end;
      continue;
    }
    uint64_t before[2] = {kNameKey, kNameKey};  // the nearer, the farther
    size_t found = 0, back = c;
    for (uint32_t j = first; found < 2 && j > begin;) {
      --j;
      while (back > 0 && caps[back - 1].token > j) --back;
      if (back > 0 && caps[back - 1].token == j) continue;  // another name
      before[found++] = t.tokens[j];
    }
    // Token hashes are uniform already: a multiply-add of the three and one mix.
    uint64_t key = before[1] * 0x9E3779B97F4A7C15ULL + before[0] * 0xC2B2AE3D27D4EB4FULL +
                   (next < end ? t.tokens[next] : kNameKey) * 0x165667B19E3779F9ULL;
    key ^= key >> 32;
    key *= 0xD6E8FEB86659FD93ULL;
    key ^= key >> 32;
    constexpr Shingle kValueMask = (Shingle{1} << kFigureBits) - 1;
    const Shingle keyed = static_cast<Shingle>(key >> (32 + kFigureBits)) << kFigureBits;
    for (; c < run_end; ++c) {
      const uint32_t k = caps[c].token;
      if (k == begin || t.is_number[k]) continue;  // (A sentence's first word is not noted.)
      names->push_back(keyed | (caps[c].prefix & kValueMask));
    }
  }
  *cursor = c;
}

// The tokens of the lines not dropped, in order (a view of t.tokens when no line was
// dropped, else copied into *kept); the numbers among them, sorted and unique, and their
// figures (Fingerprint::figures) and names (Fingerprint::names), sorted and unique. Always inlined:
// once SetAside called it too, GCC made it a call of its own in SignKept, which runs per item (Warm
// 2-4 % slower).
[[gnu::always_inline]] inline std::span<const uint64_t> KeepTokens(
    const TokenizedText& t, const std::vector<uint8_t>& dropped, size_t dropped_lines,
    std::vector<uint64_t>* kept, std::vector<Shingle>* numbers, std::vector<Shingle>* figures,
    std::vector<Shingle>* names, std::span<const TokenSpan> date_spans = {}) {
  if (dropped_lines > 0) kept->clear();
  // One allocation each (grown item by item they took about five): at most a name per
  // capitalised word, a number per all-digit token, a figure per run of them.
  names->reserve(names->size() + t.capitals.size());
  numbers->reserve(numbers->size() + t.digits.size());
  figures->reserve(figures->size() + t.digits.size());
  size_t cursor = 0, name_cursor = 0;
  for (size_t i = 0; i < t.LineCount(); ++i) {
    if (dropped_lines > 0 && dropped[i]) continue;
    const uint32_t begin = t.LineBegin(i), end = t.LineEnd(i);
    if (dropped_lines > 0)
      kept->insert(kept->end(), t.tokens.begin() + begin, t.tokens.begin() + end);
    if (!t.capitals.empty()) AddNames(t, begin, end, &name_cursor, names);
    for (uint32_t k = NextNumber(t.is_number, begin, end); k < end;
         k = NextNumber(t.is_number, k + 1, end)) {
      uint32_t run_end = k;
      for (; run_end < end && t.is_number[run_end]; ++run_end) {
        // An outlet's own date and time (TextDays' date_spans) are no numbers of the story,
        // but figures still: a wire story's dateline day tells its filings apart.
        while (!date_spans.empty() && date_spans.front().end <= run_end) {
          date_spans = date_spans.subspan(1);
        }
        if (date_spans.empty() || date_spans.front().begin > run_end) {
          AddNumber(t, run_end, t.is_number[run_end] == TokenizedText::kNumberPart, numbers);
        }
      }
      AddFigure(t, begin, end, k, run_end, &cursor, figures);
      k = run_end;  // a word, or the line's end
    }
  }
  SortUnique(numbers);
  SortUnique(figures);
  SortUnique(names);
  return dropped_lines > 0 ? std::span<const uint64_t>(*kept) : std::span<const uint64_t>(t.tokens);
}

// Keeps the first `limit` distinct values of `ordered`, in order.
std::vector<Shingle> DistinctPrefix(const std::vector<Shingle>& ordered, size_t limit) {
  std::vector<Shingle> lead;
  lead.reserve(std::min(limit, ordered.size()));
  for (Shingle s : ordered) {
    if (lead.size() >= limit) break;
    if (std::find(lead.begin(), lead.end(), s) == lead.end()) lead.push_back(s);
  }
  return lead;
}

}  // namespace

PreparedText::PreparedText() = default;
PreparedText::~PreparedText() = default;
PreparedText::PreparedText(PreparedText&&) noexcept = default;
PreparedText& PreparedText::operator=(PreparedText&&) noexcept = default;

namespace {

void TokenizeDocument(std::string_view title, std::string_view text, TokenizedText* out) {
  Tokenize(text, out);
  if (!out->tokens.empty()) return;
  Tokenize(title, out);
  out->from_title = !out->tokens.empty();
}

// The title keys of `title` (Fingerprint::titles), longest title first.
void TitleKeys(std::string_view title, std::vector<Shingle>* out) {
  out->clear();
  thread_local TokenizedText words;
  Tokenize(title, &words);
  const std::vector<uint64_t>& t = words.tokens;
  for (size_t skip = 0; skip <= kTitlePrefixWords && t.size() >= skip + kTitleMinWords; ++skip) {
    const uint64_t h = XXH3_64bits(t.data() + skip, (t.size() - skip) * sizeof(uint64_t));
    out->push_back(static_cast<Shingle>(h ^ (h >> 32)));
  }
}

}  // namespace

namespace {

// The options that shape a fingerprint made ahead (PreparedText::Whole): the shingles and
// lead, and which lines are headers and footers.
struct Shape {
  int shingle_words;
  size_t lead_shingles, head_lines, tail_lines, max_line_tokens, min_line_tokens;
  explicit Shape(const Options& o)
      : shingle_words(o.shingle_words),
        lead_shingles(o.lead_shingles),
        head_lines(o.boilerplate_head_lines),
        tail_lines(o.boilerplate_tail_lines),
        max_line_tokens(o.boilerplate_max_line_tokens),
        min_line_tokens(o.boilerplate_min_line_tokens) {}
  friend bool operator==(const Shape&, const Shape&) = default;
};

// Calls visit(line, hash) for each header and footer line of `t` that boilerplate learning
// counts (its first and last lines, of a length in range).
template <class Visit>
void ForEachCountedLine(const TokenizedText& t, const Shape& shape, Visit visit) {
  const size_t lines = t.LineCount();
  for (size_t i = 0; i < lines; ++i) {
    if (i >= shape.head_lines && i + shape.tail_lines < lines)
      continue;  // Headers and footers only.
    const size_t len = t.LineEnd(i) - t.LineBegin(i);
    if (len > shape.max_line_tokens || len < shape.min_line_tokens) continue;
    visit(i, XXH3_64bits(t.tokens.data() + t.LineBegin(i), len * sizeof(uint64_t)));
  }
}

// The days the text names (TextDays), as date entries of fp->figures (kDateKey), and in
// *date_spans the tokens of its datelines and date lines.
void AddTextDays(const TokenizedText& tokens, const std::vector<uint8_t>& dropped,
                 std::vector<TokenSpan>* date_spans, Fingerprint* fp) {
  thread_local std::vector<uint16_t> days;
  days.clear();
  date_spans->clear();
  static const std::vector<uint8_t> kNoneDropped;
  TextDays(tokens, fp->dropped_lines > 0 ? dropped : kNoneDropped, kMaxDates, &days, date_spans);
  for (const uint16_t day : days) fp->figures.push_back(DateEntry(day));
}

// Everything of a fingerprint that follows from the tokens of the lines kept (`dropped_lines`
// of them marked in `dropped`): numbers, figures, shingles, lead, signature and band keys.
void SignKept(const TokenizedText& tokens, const Shape& shape, const std::vector<uint8_t>& dropped,
              std::vector<uint64_t>* kept_scratch, Fingerprint* fp) {
  fp->numbers.reserve(16);
  thread_local std::vector<TokenSpan> date_spans;
  AddTextDays(tokens, dropped, &date_spans, fp);
  const std::span<const uint64_t> kept =
      KeepTokens(tokens, dropped, fp->dropped_lines, kept_scratch, &fp->numbers, &fp->figures,
                 &fp->names, date_spans);
  fp->token_count = static_cast<uint32_t>(kept.size());
  fp->shingles.reserve(kept.size());
  MakeShingles(kept, shape.shingle_words, &fp->shingles);
  fp->lead = DistinctPrefix(fp->shingles, shape.lead_shingles);
  fp->ordered = fp->shingles;
  SortUnique(&fp->shingles);
  if (fp->shingles.size() > kMaxSetSize) fp->shingles.resize(kMaxSetSize);
  if (fp->numbers.size() > kMaxSetSize) fp->numbers.resize(kMaxSetSize);
  if (fp->figures.size() > kMaxSetSize) fp->figures.resize(kMaxSetSize);
  if (fp->names.size() > kMaxSetSize) fp->names.resize(kMaxSetSize);
  fp->signature = MinHashSignature(fp->shingles);
  fp->band_keys = AllBandKeys(fp->signature);
  fp->dateline = DatelineDay(tokens);
  fp->title_only = tokens.from_title;
}

}  // namespace

struct PreparedText::Whole {
  explicit Whole(const Options& options) : shape(options) {}
  Shape shape;
  Fingerprint fp;  // without the lines in `dropped`; time and titles not set
  // The line hashes of the LearnedLines it was prepared with (sorted): fp was signed without
  // them. Empty: every line kept.
  std::vector<uint64_t> dropped;
};

PreparedText Engine::Prepare(std::string_view title, std::string_view text) {
  PreparedText prepared;
  // Tokenised into this thread's buffers, which have grown to fit long texts already, then
  // copied once at their exact sizes: growing fresh vectors token by token cost more (about
  // twenty allocations and copies per text).
  FingerprintScratch& s = ThreadScratch();
  TokenizeDocument(title, text, &s.tokens);
  prepared.tokens_ = std::make_unique<TokenizedText>(s.tokens);
  TitleKeys(title, &prepared.titles_);
  return prepared;
}

PreparedText Engine::Prepare(std::string_view title, std::string_view text,
                             const Options& options) {
  PreparedText prepared = Prepare(title, text);
  prepared.whole_ = std::make_unique<PreparedText::Whole>(options);
  PreparedText::Whole& whole = *prepared.whole_;
  const TokenizedText& tokens = *prepared.tokens_;
  whole.fp.line_hashes.reserve(options.boilerplate_head_lines + options.boilerplate_tail_lines);
  ForEachCountedLine(tokens, whole.shape,
                     [&](size_t, uint64_t line) { whole.fp.line_hashes.push_back(line); });
  SortUnique(&whole.fp.line_hashes);
  SignKept(tokens, whole.shape, {}, nullptr, &whole.fp);
  return prepared;
}

PreparedText Engine::Prepare(std::string_view title, std::string_view text, const Options& options,
                             std::string_view source, const LearnedLines& learned) {
  PreparedText prepared = Prepare(title, text);
  prepared.whole_ = std::make_unique<PreparedText::Whole>(options);
  PreparedText::Whole& whole = *prepared.whole_;
  const TokenizedText& tokens = *prepared.tokens_;
  const uint64_t source_hash = HashSource(source);
  FingerprintScratch& s = ThreadScratch();
  s.dropped.assign(tokens.LineCount(), 0);
  size_t count = 0;
  // As MarkBoilerplate does with the engine's counters.
  ForEachCountedLine(tokens, whole.shape, [&](size_t i, uint64_t line) {
    whole.fp.line_hashes.push_back(line);
    if (learned.size() == 0 || !learned.Contains(source_hash, line)) return;
    s.dropped[i] = 1;
    whole.dropped.push_back(line);
    ++count;
  });
  if (count == tokens.LineCount()) {  // all boilerplate: the engine keeps every line
    std::fill(s.dropped.begin(), s.dropped.end(), 0);
    whole.dropped.clear();
    count = 0;
  }
  SortUnique(&whole.fp.line_hashes);
  SortUnique(&whole.dropped);
  whole.fp.dropped_lines = static_cast<uint32_t>(count);
  SignKept(tokens, whole.shape, s.dropped, &s.kept, &whole.fp);
  return prepared;
}

Fingerprint Engine::MakeFingerprint(const Document& doc) const {
  FingerprintScratch& s = ThreadScratch();
  TokenizeDocument(doc.title, doc.text, &s.tokens);
  TitleKeys(doc.title, &s.titles);
  return Finish(doc, s.tokens, s.titles);
}

Fingerprint Engine::MakeFingerprint(const Document& doc, const PreparedText& prepared) const {
  if (!prepared.tokens_) return MakeFingerprint(doc);  // nothing prepared
  if (WholeApplies(doc, prepared)) {
    Fingerprint fp = prepared.whole_->fp;
    fp.time = doc.time;
    fp.titles = prepared.titles_;
    fp.filing = FilingKey(doc.source, fp.dateline);
    fp.correction = AnnouncesCorrection(doc.title);
    return fp;
  }
  return Finish(doc, *prepared.tokens_, prepared.titles_);
}

Fingerprint Engine::MakeFingerprint(const Document& doc, PreparedText&& prepared) const {
  if (!prepared.tokens_) return MakeFingerprint(doc);  // nothing prepared
  if (WholeApplies(doc, prepared)) {
    Fingerprint fp = std::move(prepared.whole_->fp);
    fp.time = doc.time;
    fp.titles = std::move(prepared.titles_);
    fp.filing = FilingKey(doc.source, fp.dateline);
    fp.correction = AnnouncesCorrection(doc.title);
    prepared.whole_.reset();
    return fp;
  }
  // The tokens stay for the owner to free: on the thread that made them, that costs less.
  Fingerprint fp = Finish(doc, *prepared.tokens_, prepared.titles_);
  prepared.whole_.reset();
  return fp;
}

bool Engine::WholeApplies(const Document& doc, const PreparedText& prepared) const {
  if (!prepared.whole_ || !(prepared.whole_->shape == Shape(state_->options))) return false;
  const uint64_t source = HashSource(doc.source);
  const Fingerprint& fp = prepared.whole_->fp;
  const std::vector<uint64_t>& dropped = prepared.whole_->dropped;
  for (uint64_t line : fp.line_hashes) {
    const BoilerplateModel::LineState state = state_->boilerplate.Look(source, line, doc.time);
    // The same lines dropped as Finish would drop, and none to set aside.
    if (state.boilerplate != std::binary_search(dropped.begin(), dropped.end(), line)) {
      return false;
    }
    if (state.pending &&
        state.last_content != BoilerplateModel::ContentTag(ContentHash(fp.shingles))) {
      return false;  // Aside.
    }
  }
  return true;
}

Fingerprint Engine::Finish(const Document& doc, const TokenizedText& tokens,
                           std::span<const Shingle> titles) const {
  const Options& options = state_->options;
  FingerprintScratch& s = ThreadScratch();
  Fingerprint fp;
  fp.time = doc.time;
  fp.line_hashes.reserve(options.boilerplate_head_lines + options.boilerplate_tail_lines);
  const uint64_t source = HashSource(doc.source);
  MarkBoilerplate(tokens, source, &fp, &s.dropped, &s.pending);
  SignKept(tokens, Shape(options), s.dropped, &s.kept, &fp);
  fp.titles.assign(titles.begin(), titles.end());
  fp.filing = FilingKey(doc.source, fp.dateline);
  fp.correction = AnnouncesCorrection(doc.title);
  if (!s.pending.empty()) SetAside(tokens, s.pending, &s.dropped, &fp);
  return fp;
}

void Engine::SetAside(const TokenizedText& t, std::span<const PendingLine> pending,
                      std::vector<uint8_t>* dropped, Fingerprint* fp) const {
  // A resend of the item that used the lines last is no new use of them.
  const uint64_t content = BoilerplateModel::ContentTag(ContentHash(fp->shingles));
  const Options& options = state_->options;
  const size_t lines = t.LineCount();
  // The text's first line long enough to count (a header's; shorter ones, such as the outlet's
  // name, are not counted), past any dropped as learned boilerplate.
  size_t head = 0;
  while (head < lines && ((*dropped)[head] != 0 || t.LineEnd(head) - t.LineBegin(head) <
                                                       options.boilerplate_min_line_tokens)) {
    ++head;
  }
  size_t set_aside = 0;
  bool head_aside = false, tail_aside = false;
  for (const PendingLine& p : pending) {
    if (p.last_content == content || (*dropped)[p.line] != 0) continue;
    (*dropped)[p.line] = 1;
    ++set_aside;
    head_aside |= p.line == head;
    tail_aside |= p.line >= std::max(head + 1, options.boilerplate_head_lines) &&
                  p.line + options.boilerplate_tail_lines >= lines;
  }
  if (set_aside == 0 || fp->dropped_lines + set_aside == lines) return;
  fp->aside_frames = head_aside && tail_aside;
  // The shingles of the text without those lines too.
  FingerprintScratch& s = ThreadScratch();
  std::vector<Shingle> numbers, figures, names, rest;
  const std::span<const uint64_t> kept =
      KeepTokens(t, *dropped, fp->dropped_lines + set_aside, &s.kept, &numbers, &figures, &names);
  MakeShingles(kept, state_->options.shingle_words, &rest);
  SortUnique(&rest);
  if (rest.size() > kMaxSetSize) rest.resize(kMaxSetSize);
  std::set_difference(fp->shingles.begin(), fp->shingles.end(), rest.begin(), rest.end(),
                      std::back_inserter(fp->aside));
}

void Engine::MarkBoilerplate(const TokenizedText& t, uint64_t source, Fingerprint* fp,
                             std::vector<uint8_t>* dropped,
                             std::vector<PendingLine>* pending) const {
  const size_t lines = t.LineCount();
  dropped->assign(lines, 0);
  pending->clear();
  size_t count = 0;
  ForEachCountedLine(t, Shape(state_->options), [&](size_t i, uint64_t line) {
    fp->line_hashes.push_back(line);
    const BoilerplateModel::LineState state = state_->boilerplate.Look(source, line, fp->time);
    if (state.boilerplate) {
      (*dropped)[i] = 1;
      ++count;
    } else if (state.pending) {
      pending->push_back({i, state.last_content});
    }
  });
  if (count == lines) {  // All boilerplate: keep everything rather than nothing.
    std::fill(dropped->begin(), dropped->end(), 0);
    count = 0;
  }
  fp->dropped_lines = static_cast<uint32_t>(count);
  SortUnique(&fp->line_hashes);
}

}  // namespace newsd::dedup
