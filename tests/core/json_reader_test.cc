// The JSON reader behind `newsd import` lines and JSON Feed documents.
#include "core/json_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newsd {
namespace {

// Records the events as one line of text: {k:v,[...]}.
class Recorder final : public JsonEvents {
 public:
  bool OnScalar(Kind kind, std::string& text) override {
    static constexpr const char* kNames[] = {"s", "n", "t", "f", "0"};
    out += std::string(kNames[static_cast<int>(kind)]) + "(" + text + ")";
    return true;
  }
  bool OnKey(std::string& key) override {
    out += key + ":";
    return true;
  }
  bool OnOpen(bool object) override {
    out += object ? "{" : "[";
    return true;
  }
  bool OnClose(bool object) override {
    out += object ? "}" : "]";
    return true;
  }
  std::string out;
};

std::string Events(std::string_view text, bool* ok = nullptr, size_t* stop = nullptr) {
  JsonReader in(text);
  Recorder r;
  const bool read = ReadJsonEvents(&in, &r) && in.AtEnd();
  if (ok) *ok = read;
  if (stop) *stop = in.Offset();
  return r.out;
}

TEST(JsonReaderTest, EventsComeInDocumentOrder) {
  bool ok = false;
  EXPECT_EQ(Events(R"( {"a": [1, -2.5e3, true, false, null], "b": {}, "c": []} )", &ok),
            "{a:[n(1)n(-2.5e3)t(true)f(false)0(null)]b:{}c:[]}");
  EXPECT_TRUE(ok);
  EXPECT_EQ(Events(R"("x")", &ok), "s(x)");
  EXPECT_TRUE(ok);
}

TEST(JsonReaderTest, EscapesAreDecoded) {
  bool ok = false;
  EXPECT_EQ(Events(R"(["a\"b\\c\/d\n\t", "\u0416\ud83d\ude00", "\ud83d x"])", &ok),
            "[s(a\"b\\c/d\n\t)s(Ж😀)s(\xEF\xBF\xBD x)]");  // a lone surrogate is U+FFFD
  EXPECT_TRUE(ok);
}

TEST(JsonReaderTest, MalformedTextStopsWhereItStopsFitting) {
  const char* bad[] = {R"({"a":1,})", R"([1 2])",    R"({"a" 1})", R"([01])",
                       R"(["a)",      "[\"a\x01\"]", R"([tru])",   R"({"a":1}})"};
  for (const char* text : bad) {
    bool ok = true;
    Events(text, &ok);
    EXPECT_FALSE(ok) << text;
  }
  size_t stop = 0;
  bool ok = true;
  Events("{\"a\": 1,\n  \"b\": ,}", &ok, &stop);
  EXPECT_FALSE(ok);
  EXPECT_EQ(JsonPlace("{\"a\": 1,\n  \"b\": ,}", stop), "line 2, column 8");
}

// A text cut anywhere inside a value stops at its end (a response cut off in transfer).
TEST(JsonReaderTest, ATextCutInsideAValueStopsAtItsEnd) {
  for (const char* text : {R"({"a": nu)", R"({"a": "x\u00)", R"({"a": "x\)", R"({"a": -)",
                           R"({"a": 1.)", R"({"a": "abc)", R"({"a)", "[tr"}) {
    JsonReader in(text);
    Recorder r;
    EXPECT_FALSE(ReadJsonEvents(&in, &r)) << text;
    EXPECT_TRUE(in.AtEnd()) << text;
  }
  JsonReader in(R"({"a": nul})");  // a wrong word is no cut
  Recorder r;
  EXPECT_FALSE(ReadJsonEvents(&in, &r));
  EXPECT_FALSE(in.AtEnd());
}

TEST(JsonReaderTest, DeepNestingDoesNotRecurse) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  bool ok = false;
  EXPECT_EQ(Events(deep, &ok).size(), 2000000u);
  EXPECT_TRUE(ok);
}

TEST(JsonReaderTest, AHandlerCanStopTheReading) {
  class StopAtB final : public JsonEvents {
   public:
    bool OnScalar(Kind, std::string&) override { return true; }
    bool OnKey(std::string& key) override { return key != "b"; }
    bool OnOpen(bool) override { return true; }
    bool OnClose(bool) override { return true; }
  } stop_at_b;
  const std::string text = R"({"a": 1, "b": 2})";
  JsonReader in(text);
  EXPECT_FALSE(ReadJsonEvents(&in, &stop_at_b));
  EXPECT_EQ(text.substr(in.Offset()), "2}");
}

}  // namespace
}  // namespace newsd
