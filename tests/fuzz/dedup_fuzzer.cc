// Fuzzes the dedup normaliser, tokeniser and the engine's fingerprint/match/insert path on
// arbitrary (often invalid UTF-8) text. The input's first line is also the title (title keys,
// the title path), the rest the text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dedup/engine.h"
#include "dedup/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  newsd::dedup::NormalizeForMatching(text);
  // Every all-digit token has its digits recorded (Fingerprint::figures reads them in step).
  static newsd::dedup::TokenizedText tokens;
  newsd::dedup::Tokenize(text, &tokens);
  size_t next = 0;
  for (size_t k = 0; k < tokens.tokens.size(); ++k) {
    if (!tokens.is_number[k]) continue;
    if (next >= tokens.digits.size() || tokens.digits[next++].token != k) __builtin_trap();
  }
  if (next != tokens.digits.size()) __builtin_trap();
  static newsd::dedup::Engine engine{newsd::dedup::Options()};
  static int64_t n = 0;
  // An hour between documents keeps the 72 h window (and so memory) small.
  const int64_t time = 1'000'000 + n * 3600;
  const size_t eol = text.find('\n');
  const std::string_view title = text.substr(0, eol);
  const std::string_view body = eol == std::string_view::npos ? "" : text.substr(eol + 1);
  auto fp = engine.MakeFingerprint({"fuzz", title, body, time});
  auto match = engine.FindMatch(fp);
  std::string id = "doc-" + std::to_string(n++);
  engine.Insert(id, match.is_copy ? match.story : id, "fuzz", fp);
  if (n % 64 == 0) engine.Expire(time - 7 * 24 * 3600);
  return 0;
}
