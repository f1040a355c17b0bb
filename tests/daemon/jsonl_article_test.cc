#include "daemon/jsonl_article.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "parse/encoding.h"

namespace newsd::daemon {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

Article Decode(std::string_view line, Status* status = nullptr) {
  Article a;
  Status s = DecodeArticleLine(line, kNow, &a);
  if (status) *status = s;
  return a;
}

std::string ErrorOf(std::string_view line) {
  Article a;
  return DecodeArticleLine(line, kNow, &a).message();
}

// The nlohmann-based decoder the import used before: the reference for what is accepted.
std::string StringField(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Status Reference(std::string_view line, Article* a) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    if (!parse::IsValidUtf8(line)) {
      return Status::InvalidArgument(
          "not valid UTF-8: convert the file first (iconv -f windows-1251 -t utf-8, say)");
    }
    return Status::InvalidArgument("not a JSON object");
  }
  for (const char* key : {"id", "source", "url", "title", "text"}) {
    if (auto it = j.find(key); it != j.end() && !it->is_string() && !it->is_null()) {
      return Status::InvalidArgument("\"" + std::string(key) + "\" is not a string (nor null)");
    }
  }
  a->id = StringField(j, "id");
  if (a->id.empty()) {
    return Status::InvalidArgument(
        j.contains("id") ? "\"id\" is empty or null: every line needs one" : "missing \"id\"");
  }
  if (a->id.find('\0') != std::string::npos) {
    return Status::InvalidArgument("\"id\" contains a NUL character (\\u0000)");
  }
  a->source = StringField(j, "source");
  a->feed = a->source;
  a->url = StringField(j, "url");
  a->title = StringField(j, "title");
  a->text = StringField(j, "text");
  a->arrived = kNow;
  if (auto p = j.find("published"); p != j.end() && !p->is_null()) {
    a->published = p->is_string() ? ParseIso8601DateOrTime(p->get<std::string>()) : std::nullopt;
    if (!a->published) return Status::InvalidArgument(std::string(kPublishedForms));
    a->published = KnownDate(a->published);  // an unset timestamp is no date
  }
  return Status::Ok();
}

// Where the decoder accepts what nlohmann refuses, by design: a surrogate escape (a lone one
// reads as U+FFFD) or a number too large for a double (no field newsd reads is a number).
bool AcceptedByDesign(const std::string& line) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t i = 0; i + 3 < line.size(); ++i) {
    const char d = static_cast<char>(line[i + 2] | 0x20);
    if (line[i] == '\\' && line[i + 1] == 'u' && d == 'd' &&
        std::string_view("89abcdefABCDEF").find(line[i + 3]) != std::string_view::npos) {
      return true;  // a surrogate escape
    }
    if (digit(line[i]) && (line[i + 1] | 0x20) == 'e') {  // an exponent of 3 digits or more
      size_t k = i + 2;
      if (k < line.size() && (line[k] == '+' || line[k] == '-')) ++k;
      size_t n = 0;
      while (k + n < line.size() && digit(line[k + n])) ++n;
      if (n >= 3) return true;
    }
  }
  return false;
}

// A syntax error's message says where the line stopped fitting, which the reference does not
// know: compared as "not a JSON object".
std::string Verdict(const Status& s) {
  const std::string& m = s.message();
  return m.starts_with("not valid JSON") || m.starts_with("not a JSON object") ? "not a JSON object"
                                                                               : m;
}

// Same verdict and, when accepted, the same article as the reference.
void ExpectSameAsReference(const std::string& line) {
  Article want, got;
  const Status ws = Reference(line, &want);
  const Status gs = DecodeArticleLine(line, kNow, &got);
  if (!ws.ok() && AcceptedByDesign(line)) return;  // compared by the tests above
  ASSERT_EQ(Verdict(gs), Verdict(ws)) << "line: " << line;
  if (!ws.ok()) return;
  EXPECT_EQ(got.id, want.id) << line;
  EXPECT_EQ(got.source, want.source) << line;
  EXPECT_EQ(got.feed, want.feed) << line;
  EXPECT_EQ(got.url, want.url) << line;
  EXPECT_EQ(got.title, want.title) << line;
  EXPECT_EQ(got.text, want.text) << line;
  EXPECT_EQ(got.published, want.published) << line;
  EXPECT_EQ(got.arrived, want.arrived) << line;
}

TEST(JsonlArticleTest, DecodesTheArticleFields) {
  Status s;
  Article a =
      Decode(R"({"id": "dev-1", "cluster": "c", "source": "reuters", "url": "http://x/1", )"
             R"("title": "T", "text": "Body", "published": "1987-02-26T15:02:20Z", "lang": "en"})",
             &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(a.id, "dev-1");
  EXPECT_EQ(a.source, "reuters");
  EXPECT_EQ(a.feed, "reuters");
  EXPECT_EQ(a.url, "http://x/1");
  EXPECT_EQ(a.title, "T");
  EXPECT_EQ(a.text, "Body");
  EXPECT_EQ(a.published, ParseIso8601("1987-02-26T15:02:20Z"));
  // A date alone is that day's 00:00 UTC (as some exports write it).
  ASSERT_TRUE(DecodeArticleLine(R"({"id": "d", "published": "1987-02-26"})", kNow, &a).ok());
  EXPECT_EQ(a.published, ParseIso8601("1987-02-26T00:00:00Z"));
  EXPECT_EQ(a.arrived, kNow);
}

// An imported line's link that runs code where a reader clicks it is stored as no link, as a
// feed item's is.
TEST(JsonlArticleTest, AScriptLinkIsNotStored) {
  EXPECT_EQ(Decode(R"j({"id": "a", "text": "t", "url": " JavaScript:alert(1)"})j").url, "");
  EXPECT_EQ(Decode(R"({"id": "a", "text": "t", "url": "data:text/html,x"})").url, "");
  EXPECT_EQ(Decode(R"({"id": "a", "text": "t", "url": "https://a.kz/javascript:1"})").url,
            "https://a.kz/javascript:1");
}

// RFC 3339's lower-case 't' and an offset of hours alone are times with a zone too.
TEST(JsonlArticleTest, ReadsOtherSpellingsOfATimeWithAZone) {
  EXPECT_EQ(Decode(R"({"id": "a", "published": "1987-02-26t15:02:20z"})").published,
            ParseIso8601("1987-02-26T15:02:20Z"));
  EXPECT_EQ(Decode(R"({"id": "a", "published": "1987-02-26T18:02:20+03"})").published,
            ParseIso8601("1987-02-26T15:02:20Z"));
  EXPECT_EQ(Decode(R"({"id": "a", "published": "1987-02-26T12:02:20-0300"})").published,
            ParseIso8601("1987-02-26T15:02:20Z"));
  EXPECT_EQ(ErrorOf(R"({"id": "a", "published": "1987-02-26T18:02:20+3"})"), kPublishedForms);
}

TEST(JsonlArticleTest, DecodesEveryStringEscape) {
  Article a =
      Decode(R"({"id": "e", "text": "q\" b\\ s\/ \b\f\n\r\t \u00e9\u20AC \ud83d\ude00 \u0041"})");
  EXPECT_EQ(a.text, "q\" b\\ s/ \b\f\n\r\t \xC3\xA9\xE2\x82\xAC \xF0\x9F\x98\x80 A");
}

// A text cut between the two halves of an emoji (a UTF-16 substring) keeps the rest: each lone
// half reads as U+FFFD, as a UTF-16 decoder gives it.
TEST(JsonlArticleTest, ReadsBrokenSurrogatesAsReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(Decode(R"({"id": "e", "text": "a\ud83d"})").text, "a" + fffd);       // lone high
  EXPECT_EQ(Decode(R"({"id": "e", "text": "\ude00b"})").text, fffd + "b");       // lone low
  EXPECT_EQ(Decode(R"({"id": "e", "text": "\ud83d\u0041"})").text, fffd + "A");  // high + BMP
  EXPECT_EQ(Decode(R"({"id": "e", "text": "\ud83dx\ude00"})").text, fffd + "x" + fffd);  // split
  EXPECT_EQ(Decode(R"({"id": "e", "text": "\ud83d\ud83d\ude00"})").text, fffd + "\xF0\x9F\x98\x80");
}

// Strings are read in runs of many bytes at a time: whatever ends a run (a quote, an escape,
// a control character, a byte that is not UTF-8) is found at every offset within a run.
TEST(JsonlArticleTest, FindsWhatEndsARunAtEveryOffset) {
  const std::string body = "Қазақстан and Russia: 47 bytes of text";  // 2-byte and ASCII
  for (size_t at = 0; at <= body.size(); ++at) {
    if (at < body.size() && (static_cast<unsigned char>(body[at]) & 0xC0) == 0x80) continue;
    const std::string head = body.substr(0, at), tail = body.substr(at);
    const std::string line = R"({"id": "r", "text": ")";
    EXPECT_EQ(Decode(line + head + R"(\"q\\ )" + tail + R"("})").text, head + "\"q\\ " + tail)
        << "escapes at " << at;
    EXPECT_EQ(Decode(line + head + R"(\u00e9)" + tail + R"("})").text, head + "\xC3\xA9" + tail)
        << "\\u escape at " << at;
    EXPECT_EQ(ErrorOf(line + head + "\t" + tail + R"("})"),
              "not valid JSON near byte " + std::to_string(line.size() + head.size() + 1) +
                  " of the line")
        << "raw tab at " << at;
    EXPECT_EQ(ErrorOf(line + head + "\xC3(" + tail + R"("})"),
              "not valid UTF-8: convert the file first (iconv -f windows-1251 -t utf-8, say)")
        << "broken sequence at " << at;
    EXPECT_EQ(ErrorOf(line + head + "\xC3"),
              "not valid UTF-8: convert the file first (iconv -f windows-1251 -t utf-8, say)")
        << "cut sequence at " << at;
    EXPECT_EQ(ErrorOf(line + head), "not valid JSON: the line ends inside its object (cut short?)")
        << "unterminated at " << at;
    EXPECT_EQ(Decode(line + head + R"("})").text, head) << "end at " << at;
  }
}

TEST(JsonlArticleTest, RejectsBrokenEscapes) {
  // Near the bad byte: the reader stops just past it (byte 26 is the G, 23 the x).
  EXPECT_EQ(ErrorOf(R"({"id": "e", "text": "\u12G4"})"), "not valid JSON near byte 27 of the line");
  EXPECT_EQ(ErrorOf(R"({"id": "e", "text": "\x"})"), "not valid JSON near byte 24 of the line");
}

TEST(JsonlArticleTest, SkipsNestedValuesOfOtherFields) {
  Status s;
  Article a =
      Decode(R"({"variant": [1, -2.5e3, {"x": [true, false, null, "s\"}]"]}, [], {}], "id": "n", )"
             R"("meta": {"a": {"b": [[]]}}, "is_original": true, "text": "t"})",
             &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(a.id, "n");
  EXPECT_EQ(a.text, "t");
}

TEST(JsonlArticleTest, LastRepeatedKeyWinsAndOtherTypesAreRefused) {
  EXPECT_EQ(Decode(R"({"id": "a", "id": "b"})").id, "b");
  EXPECT_EQ(ErrorOf(R"({"id": "a", "id": 5})"), "\"id\" is not a string (nor null)");
  EXPECT_EQ(ErrorOf(R"({"id": 5, "id": "a"})"), "");
  // Text given as a list, a number or an object would be lost: the line is refused.
  EXPECT_EQ(ErrorOf(R"({"id": "a", "text": ["para one", "para two"]})"),
            "\"text\" is not a string (nor null)");
  EXPECT_EQ(ErrorOf(R"({"id": "a", "title": 12345})"), "\"title\" is not a string (nor null)");
  EXPECT_EQ(ErrorOf(R"({"id": "a", "source": {"name": "x"}})"),
            "\"source\" is not a string (nor null)");
  EXPECT_EQ(Decode(R"({"id": "a", "title": null})").title, "") << "null: no title";
  EXPECT_EQ(Decode(R"({"id": "a", "published": "bad", "published": null})").published,
            std::nullopt);
}

TEST(JsonlArticleTest, ReportsTheSameErrorsAsBefore) {
  const std::string not_object = "not a JSON object (one {...} article a line)";
  EXPECT_EQ(ErrorOf("not json"), not_object);
  EXPECT_EQ(ErrorOf(R"(["id", "a"])"), not_object);
  EXPECT_EQ(ErrorOf(R"("just a string")"), not_object);
  EXPECT_EQ(ErrorOf(R"({"id": "a"} trailing)"),
            "not valid JSON: more after the object, at byte 13 (one article a line)");
  EXPECT_EQ(ErrorOf(R"({"id": "a",})"), "not valid JSON near byte 12 of the line");
  EXPECT_EQ(ErrorOf(R"({id: "a"})"), "not valid JSON near byte 2 of the line");
  EXPECT_EQ(ErrorOf("{\"id\": \"a\tb\"}"), "not valid JSON near byte 10 of the line");  // raw tab
  EXPECT_EQ(ErrorOf(R"({"id": "a", "title": "cut)"),
            "not valid JSON: the line ends inside its object (cut short?)");
  EXPECT_EQ(ErrorOf(R"({"id": null, "text": "t"})"),
            "\"id\" is empty or null: every line needs one");
  EXPECT_EQ(ErrorOf(R"({"text": "t"})"), "missing \"id\"");
  const std::string not_utf8 =
      "not valid UTF-8: convert the file first (iconv -f windows-1251 -t utf-8, say)";
  EXPECT_EQ(ErrorOf("{\"id\": \"\xC0\x80\"}"), not_utf8);      // overlong UTF-8
  EXPECT_EQ(ErrorOf("{\"id\": \"\xED\xA0\x80\"}"), not_utf8);  // UTF-8 surrogate
  EXPECT_EQ(ErrorOf("{\"id\": \"a\", \"title\": \"\xCF\xF0\xE8\xE2\xE5\xF2\"}"),
            not_utf8);                                      // cp1251
  EXPECT_EQ(Decode(R"({"id": "a", "n": 1e400})").id, "a");  // a field newsd does not read
  EXPECT_EQ(ErrorOf(R"({"id": ")" + std::string(kMaxIdBytes + 1, 'x') + "\"}"),
            "\"id\" is 1025 bytes long: at most 1024");
  EXPECT_EQ(ErrorOf(R"({"id": "a", "n": 01})"), "not valid JSON near byte 19 of the line");
  EXPECT_EQ(ErrorOf(R"({"title": "no id"})"), "missing \"id\"");
  EXPECT_EQ(ErrorOf(R"({"id": ""})"), "\"id\" is empty or null: every line needs one");
  EXPECT_EQ(ErrorOf(R"({"id": "bad\u0000id"})"), "\"id\" contains a NUL character (\\u0000)");
  EXPECT_EQ(ErrorOf(R"({"id": "a", "published": "yesterday"})"), kPublishedForms);
  EXPECT_EQ(ErrorOf(R"({"id": "a", "published": 541350140})"), kPublishedForms);
  EXPECT_EQ(ErrorOf(R"({"id": "a", "published": "1987-02-30"})"), kPublishedForms);
  EXPECT_EQ(ErrorOf(R"({"id": "a", "published": "1987-02-26T15:02:20"})"), kPublishedForms);
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF{\"id\": \"bom\"}"), "");  // a UTF-8 BOM is skipped
}

TEST(JsonlArticleTest, MatchesTheReferenceOnTrickyLines) {
  const std::vector<std::string> lines = {
      "{}",
      " { \"id\" : \"a\" } \r",
      "{\"id\":\"a\",\"n\":-0.0e+5}",
      "{\"id\":\"a\",\"n\":123456789012345678901234567890}",
      "{\"id\":\"a\",\"n\":1e-400}",
      "{\"id\":\"a\",\"n\":-}",
      "{\"id\":\"a\",\"n\":1.}",
      "{\"id\":\"a\",\"n\":.5}",
      "{\"id\":\"a\",\"b\":tru}",
      "{\"id\":\"a\",\"b\":nul}",
      "{\"id\":\"a\\u0000b\"}",
      "{\"id\":\"\xF4\x8F\xBF\xBF\"}",
      "{\"id\":\"\xF4\x90\x80\x80\"}",
      "{\"id\":\"\xF0\x8F\xBF\xBF\"}",
      "{\"id\":\"a\"}{}",
      "{\"id\":\"a\",\"x\":[1,]}",
      "{\"id\":\"a\",\"x\":{\"k\":1,}}",
      "{\"id\":\"a\",\"x\":{\"k\"}}",
      "{\"id\":\"a\",\"x\":[[[[[[[[[[]]]]]]]]]]}",
      "{\"id\":\"a\",\"x\":[[[[[[[[[[]]]]]]]]]}",
      "\xEF\xBB{\"id\":\"a\"}",
      "{\"id\":\"a\", \"published\": \"2024-01-02T03:04:05+02:00\"}",
      "{\"id\":\"a\",\"text\":7,\"title\":[]}",
      "{\"title\":{},\"id\":false}",
  };
  for (const std::string& line : lines) ExpectSameAsReference(line);
}

// Random byte edits of a valid line: the decoder and the reference agree on every result.
// The time an import sorts a line by is the one its decoding files it under.
TEST(JsonlArticleTest, PublishedOfLineReadsWhatDecodingReads) {
  const std::optional<UnixSeconds> feb26 = 541'350'140;
  EXPECT_EQ(PublishedOfLine(R"({"id": "a", "published": "1987-02-26T15:02:20Z"})"), feb26);
  EXPECT_EQ(PublishedOfLine("\xEF\xBB\xBF"
                            R"( {"x": {"published": "2001-01-01"}, "publ\u0069shed": )"
                            R"("1987-02-26T18:02:20+03:00", "text": "a \" \\ b"} )"),
            feb26);
  EXPECT_EQ(PublishedOfLine(R"({"published": "1987-02-26T15:02:20Z", "published": null})"),
            std::nullopt);  // the last counts
  EXPECT_EQ(PublishedOfLine(R"({"published": "1970-01-01T00:00:00Z"})"), std::nullopt);
  EXPECT_EQ(PublishedOfLine(R"({"published": "yesterday"})"), std::nullopt);
  EXPECT_EQ(PublishedOfLine(R"({"published": "1987-02-26T15:02:20Z")"), std::nullopt);
  EXPECT_EQ(PublishedOfLine(R"(["published", "1987-02-26T15:02:20Z"])"), std::nullopt);
}

// The id an import finds repeated lines by: decoded, so that an escaped spelling is the same
// id; none when it is not a string at the top level.
TEST(JsonlArticleTest, KeysOfLineHashTheDecodedId) {
  const LineKeys plain = KeysOfLine(R"({"id": "x1", "published": "1987-02-26T15:02:20Z"})");
  ASSERT_TRUE(plain.id_hash.has_value());
  EXPECT_EQ(plain.published, std::optional<UnixSeconds>(541'350'140));
  EXPECT_EQ(KeysOfLine(R"({"text": "a", "\u0069d": "x\u0031"})").id_hash, plain.id_hash);
  EXPECT_NE(KeysOfLine(R"({"id": "x2"})").id_hash, plain.id_hash);
  EXPECT_FALSE(KeysOfLine(R"({"id": 1})").id_hash.has_value());
  EXPECT_FALSE(KeysOfLine(R"({"x": {"id": "x1"}})").id_hash.has_value());
  EXPECT_FALSE(KeysOfLine(R"({"id": "x1")").id_hash.has_value()) << "not an object";
}

TEST(JsonlArticleTest, MatchesTheReferenceOnMutatedLines) {
  const std::string seed =
      R"({"id": "dev-9", "source": "src", "title": "T\u00e9 \ud83d\ude00", "text": "a\nb \"q\"",)"
      R"( "variant": [1, 2.5, {"k": [true, null]}], "published": "1987-02-26T15:02:20Z"})";
  const std::string alphabet = "{}[]\",:\\u0123456789abcdefeEn.-+ tl\xC3\xA9\xED\xF0\x80\xBF";
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::string line = seed;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t pos = rng() % line.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          line[pos] = c;
          break;
        case 1:
          line.erase(pos, 1);
          break;
        default:
          line.insert(pos, 1, c);
          break;
      }
    }
    ExpectSameAsReference(line);
    Article article;
    if (DecodeArticleLine(line, 0, &article).ok()) {
      EXPECT_EQ(PublishedOfLine(line), article.published) << line;
    }
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace newsd::daemon
