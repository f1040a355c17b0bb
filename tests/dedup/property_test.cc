// Property tests of the engine: for many random stories (seeded, so failures replay), the four
// promises of issue 4 hold — identical text is a copy, disjoint texts are new stories, a snippet
// of a story joins it, and two copies arriving back to back end in one story.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "dedup/engine.h"

namespace newsd::dedup {
namespace {

constexpr int kRounds = 150;
constexpr UnixSeconds kStart = 1700000000;

// Random "news" text: sentences of words drawn from a vocabulary, with a few numbers.
class TextGenerator {
 public:
  explicit TextGenerator(uint64_t seed) : rng_(seed) {
    std::uniform_int_distribution<int> length(3, 9), letter(0, 25);
    for (int i = 0; i < 5000; ++i) {
      std::string w;
      for (int n = length(rng_); n > 0; --n) w.push_back(static_cast<char>('a' + letter(rng_)));
      vocabulary_.push_back(w);
    }
  }

  std::vector<std::string> Sentences(int count) {
    std::vector<std::string> out;
    std::uniform_int_distribution<int> words(10, 22), pick(0, 4999), number(10, 9999), odds(0, 3);
    for (int s = 0; s < count; ++s) {
      std::string sentence;
      for (int n = words(rng_); n > 0; --n) {
        if (!sentence.empty()) sentence += ' ';
        sentence +=
            odds(rng_) == 0 && n % 7 == 0 ? std::to_string(number(rng_)) : vocabulary_[pick(rng_)];
      }
      sentence[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sentence[0])));
      out.push_back(sentence + ".");
    }
    return out;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  std::vector<std::string> vocabulary_;
};

std::string Join(const std::vector<std::string>& sentences, size_t count) {
  std::string text;
  for (size_t i = 0; i < count && i < sentences.size(); ++i) {
    text += sentences[i];
    text += (i % 3 == 2) ? "\n\n" : " ";
  }
  return text;
}

class PropertyTest : public ::testing::Test {
 protected:
  Match Offer(const std::string& id, const std::string& source, const std::string& text,
              UnixSeconds time) {
    const Fingerprint fp = engine_.MakeFingerprint({source, "", text, time});
    const Match m = engine_.FindMatch(fp);
    engine_.Insert(id, m.is_copy ? m.story : id, source, fp);
    return m;
  }

  Engine engine_{Options{}};
  TextGenerator gen_{20261128};
};

TEST_F(PropertyTest, IdenticalTextIsACopyOfItsStory) {
  for (int i = 0; i < kRounds; ++i) {
    const std::string text = Join(gen_.Sentences(8), 8);
    const std::string id = "a:" + std::to_string(i);
    ASSERT_FALSE(Offer(id, "a", text, kStart + i * 60).is_copy) << text;
    const Match copy = Offer("b:" + std::to_string(i), "b", text, kStart + i * 60 + 30);
    ASSERT_TRUE(copy.is_copy) << text;
    EXPECT_EQ(copy.story, id);
    EXPECT_DOUBLE_EQ(copy.resemblance, 1.0);
  }
}

TEST_F(PropertyTest, DisjointTextsAreNewStories) {
  for (int i = 0; i < kRounds; ++i) {
    const Match m = Offer("a:" + std::to_string(i), "a", Join(gen_.Sentences(6), 6), kStart + i);
    ASSERT_FALSE(m.is_copy) << "item " << i << " joined " << m.story;
  }
}

TEST_F(PropertyTest, SnippetOfAStoryJoinsIt) {
  std::uniform_int_distribution<size_t> lead_sentences(1, 3);
  for (int i = 0; i < kRounds; ++i) {
    const std::vector<std::string> sentences = gen_.Sentences(10);
    const std::string id = "full:" + std::to_string(i);
    ASSERT_FALSE(Offer(id, "agency", Join(sentences, 10), kStart + i * 600).is_copy);
    const std::string snippet = Join(sentences, lead_sentences(gen_.rng())) + "...";
    const Match m =
        Offer("snip:" + std::to_string(i), "aggregator", snippet, kStart + i * 600 + 60);
    ASSERT_TRUE(m.is_copy) << snippet;
    EXPECT_EQ(m.story, id);
  }
}

TEST_F(PropertyTest, BackToBackCopiesEndInOneStory) {
  for (int i = 0; i < kRounds; ++i) {
    const std::vector<std::string> sentences = gen_.Sentences(7);
    const std::string text = Join(sentences, 7);
    const UnixSeconds t = kStart + i * 600;
    const std::string first = "x:" + std::to_string(i);
    ASSERT_FALSE(Offer(first, "agency", "(Agency) - " + text, t).is_copy);
    // A second outlet's copy with its own footer, and a third's with one sentence dropped.
    const Match second =
        Offer("y:" + std::to_string(i), "outlet", text + "\nRead more on Outlet.", t + 1);
    const Match third = Offer("z:" + std::to_string(i), "portal", Join(sentences, 6), t + 2);
    ASSERT_TRUE(second.is_copy && third.is_copy) << text;
    EXPECT_EQ(second.story, first);
    EXPECT_EQ(third.story, first);
  }
}

}  // namespace
}  // namespace newsd::dedup
