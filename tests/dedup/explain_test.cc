#include "dedup/explain.h"

#include <gtest/gtest.h>

#include "dedup/engine.h"
#include "tests/dedup/stories.h"

namespace newsd::dedup {
namespace {

TEST(ExplainTest, ReportsWhyPairsMatchOrNot) {
  Engine engine{Options{}};
  Fingerprint a = engine.MakeFingerprint({"s", "", testing::kHarbour, 1000});
  Fingerprint b = engine.MakeFingerprint({"s", "", testing::kHarbour, 2000});
  Fingerprint c = engine.MakeFingerprint({"s", "", testing::kVaccine, 2000});
  Explanation same = Explain(a, b, engine.options());
  EXPECT_TRUE(same.accepted);
  EXPECT_EQ(same.verdict, Verdict::kResemblance);
  EXPECT_DOUBLE_EQ(same.comparison.resemblance, 1.0);
  EXPECT_EQ(same.comparison.shared, a.shingles.size());
  EXPECT_EQ(same.shared_bands, kSignatureSize / 4);
  EXPECT_EQ(same.time_gap, 1000);
  Explanation different = Explain(a, c, engine.options());
  EXPECT_FALSE(different.accepted);
  EXPECT_EQ(different.verdict, Verdict::kDifferent);
  EXPECT_EQ(different.reason.rfind("below the thresholds — resemblance", 0), 0u)
      << different.reason;
}

TEST(ExplainTest, CountsFiguresUnderTheSameWords) {
  Engine engine{Options{}};
  auto rates = [&](const char* usd, const char* eur, const char* day) {
    const std::string text = std::string("The central bank set the official dollar rate at ") +
                             usd + " roubles for November " + day +
                             ", up from the previous day. The euro rate was set at " + eur +
                             " roubles. Analysts expect the rouble to stay within the current "
                             "range this week as oil prices remain stable.";
    return engine.MakeFingerprint({"cb", "", text, 1000});
  };
  Explanation e =
      Explain(rates("63.74", "71.97", "01"), rates("64.10", "71.97", "02"), engine.options());
  EXPECT_EQ(e.comparison.figures_agree, 1u);   // the euro
  EXPECT_EQ(e.comparison.figures_differ, 2u);  // the dollar and the day
  EXPECT_FALSE(e.accepted);
  EXPECT_EQ(e.verdict, Verdict::kNumbersDiffer);
  EXPECT_NE(e.reason.find("1 alike, 2 differ"), std::string::npos) << e.reason;
}

// The engine's rule that a title joins items at most 12 h apart holds in explain too.
TEST(ExplainTest, NamesTheFigureGuardWhenTheNumbersAgreeEnough) {
  Engine engine{Options{}};
  auto market = [&](const char* up, const char* index, const char* down) {
    const std::string text =
        std::string("The KASE index rose ") + up + " points to " + index +
        " on Tuesday as oil producers gained, traders said. Kazatomprom shares fell " + down +
        " percent to 200 tenge after the company cut its output forecast for the year. Trading "
        "volume was 7 billion tenge, and 9 of the listed companies ended the session higher, "
        "the exchange said in its daily market review.";
    return engine.MakeFingerprint({"kase", "", text, 1000});
  };
  // Half the numbers agree (the number guard passes); three figures differ under the same
  // words: the figure guard refuses, and says so.
  Explanation e = Explain(market("3", "100", "4"), market("5", "102", "6"), engine.options());
  EXPECT_FALSE(e.accepted);
  EXPECT_EQ(e.verdict, Verdict::kFiguresDiffer) << e.reason;
  EXPECT_EQ(VerdictName(e.verdict), "figures-differ");
}

TEST(ExplainTest, NamesTheNameGuardForReportsAboutOtherPlaces) {
  Engine engine{Options{}};
  auto fire = [&](const char* city) {
    const std::string text =
        std::string("A fire broke out in a warehouse in ") + city +
        " on Tuesday night, the emergency situations department said. Firefighters put out the "
        "fire on an area of 300 square metres within two hours, and nobody was hurt. The cause "
        "of the fire is being established.";
    return engine.MakeFingerprint({"dchs", "", text, 1000});
  };
  Explanation e = Explain(fire("Almaty"), fire("Taraz"), engine.options());
  EXPECT_FALSE(e.accepted);
  EXPECT_EQ(e.verdict, Verdict::kNamesDiffer) << e.reason;
  // The city differs; "Tuesday", keyed by the words around it but the city ("in", "on",
  // "night"), agrees: no more agree than differ.
  EXPECT_NE(e.reason.find("names under the same words: 1 alike, 1 differ"), std::string::npos)
      << e.reason;
  // The same place, its name declined in a copy: a copy.
  Explanation same = Explain(fire("Almaty"), fire("Almaty's"), engine.options());
  EXPECT_TRUE(same.accepted) << same.reason;
}

// A storm warning for another region, word for word: the region differs, the agency's and
// the service's names agree. One differing name in a handful is another report; a copy keeps
// its names (or misspells or declines them, which reads alike).
TEST(ExplainTest, TheNameGuardRefusesOneOtherPlaceAmongFewNames) {
  Engine engine{Options{}};
  auto storm = [&](const char* region) {
    const std::string text =
        std::string("Штормовое предупреждение объявлено в ") + region +
        " области на 6 декабря. По данным РГП «Казгидромет», ночью и утром ожидается туман, "
        "гололед, днем – усиление ветра до 15-20 метров в секунду.\n\nСиноптики просят "
        "водителей соблюдать осторожность на дорогах. Жителей призывают по возможности не "
        "выходить из дома во время непогоды и следить за сообщениями ДЧС.";
    return engine.MakeFingerprint({"kazhydromet", "", text, 1000});
  };
  Explanation e = Explain(storm("Алматинской"), storm("Жамбылской"), engine.options());
  EXPECT_FALSE(e.accepted) << e.reason;
  EXPECT_EQ(e.verdict, Verdict::kNamesDiffer) << e.reason;
  EXPECT_NE(e.reason.find("names under the same words: 2 alike, 1 differ"), std::string::npos)
      << e.reason;
  Explanation same = Explain(storm("Алматинской"), storm("Алматинскои"), engine.options());
  EXPECT_TRUE(same.accepted) << same.reason;
}

// A warning for one city that names another elsewhere ("flights from Shymkent") is not the
// warning for that other city: a name agrees only under the same words. Several pairs, so
// that no one hash of a name decides the test.
TEST(ExplainTest, ANameElsewhereInTheTextDoesNotAgree) {
  Engine engine{Options{}};
  auto storm = [&](const std::string& city, const std::string& other) {
    const std::string text =
        "A storm warning has been issued for " + city +
        " for December 7, Kazhydromet said. Strong wind gusting to 15-20 metres per second, "
        "black ice and fog are expected at night and during the day. Night temperatures will "
        "be between minus 8 and minus 10 degrees. Drivers are urged to take extra care on the "
        "roads." +
        (other.empty() ? "" : " Some flights from " + other + " may be delayed.");
    return engine.MakeFingerprint({"kazhydromet", "", text, 1000});
  };
  const std::pair<const char*, const char*> pairs[] = {
      {"Shymkent", "Taraz"}, {"Almaty", "Aktobe"},        {"Pavlodar", "Semey"},
      {"Oral", "Turkestan"}, {"Zhezkazgan", "Ekibastuz"}, {"Taldykorgan", "Kyzylorda"}};
  for (const auto& [city, other] : pairs) {
    Explanation e = Explain(storm(city, ""), storm(other, city), engine.options());
    EXPECT_FALSE(e.accepted) << city << " / " << other << ": " << e.reason;
    EXPECT_EQ(e.verdict, Verdict::kNamesDiffer) << city << " / " << other << ": " << e.reason;
  }
}

// Names side by side share their key: a phone call with another president is another story,
// though "Президентом" (one name of the run) is in both; a copy that adds a title to a name
// ("President Tokayev" for "Tokayev") still agrees.
TEST(ExplainTest, ANameRunAgreesOnlyWhenTheShorterIsInTheLonger) {
  Engine engine{Options{}};
  auto call = [&](const std::string& partner) {
    const std::string text =
        "Глава государства Касым-Жомарт Токаев провел телефонный разговор с Президентом " +
        partner +
        ".\n\nСтороны обсудили актуальные вопросы двустороннего сотрудничества в "
        "торгово-экономической, транспортно-логистической и культурно-гуманитарной сферах.\n\n"
        "Лидеры двух стран договорились продолжить контакты на высшем уровне.";
    return engine.MakeFingerprint({"akorda", "", text, 1000});
  };
  Explanation e = Explain(call("Узбекистана Шавкатом Мирзиёевым"),
                          call("Кыргызстана Садыром Жапаровым"), engine.options());
  EXPECT_FALSE(e.accepted) << e.reason;
  EXPECT_EQ(e.verdict, Verdict::kNamesDiffer) << e.reason;
  auto said = [&](const std::string& who) {
    const std::string text =
        "The government will raise the minimum wage from January, said " + who +
        " on Tuesday in the capital. The increase follows a year of high inflation and "
        "protests by teachers and doctors in several regions of the country.";
    return engine.MakeFingerprint({"wire", "", text, 1000});
  };
  Explanation copy = Explain(said("Tokayev"), said("President Tokayev"), engine.options());
  EXPECT_TRUE(copy.accepted) << copy.reason;
}

// A copy that writes a country's abbreviation for its name («РК» for «Казахстана») is still
// a copy; another country's abbreviation or name is another announcement.
TEST(ExplainTest, ACountrysAbbreviationAgreesWithItsName) {
  Engine engine{Options{}};
  auto vaccine = [&](const std::string& country) {
    const std::string text =
        "Министерство здравоохранения " + country +
        " с 1 декабря начинает бесплатную вакцинацию против гриппа в поликлиниках. Прививку в "
        "первую очередь получат дети, беременные женщины, пожилые люди и "
        "медицинские работники.\n\nВсего закуплено 2,1 млн доз вакцины, они уже поступили в "
        "регионы. Записаться можно в своей поликлинике или через приложение eGov.";
    return engine.MakeFingerprint({"wire", "", text, 1000});
  };
  Explanation abbreviated = Explain(vaccine("Казахстана"), vaccine("РК"), engine.options());
  EXPECT_TRUE(abbreviated.accepted) << abbreviated.reason;
  for (const char* other : {"РФ", "России"}) {
    Explanation e = Explain(vaccine("РК"), vaccine(other), engine.options());
    EXPECT_FALSE(e.accepted) << other << ": " << e.reason;
    EXPECT_EQ(e.verdict, Verdict::kNamesDiffer) << other << ": " << e.reason;
  }
}

TEST(ExplainTest, ATitleDoesNotDecideForItemsADayApart) {
  Engine engine{Options{}};
  const char title[] = "Harbour workers end strike after pay deal";
  Fingerprint story = engine.MakeFingerprint({"s", title, testing::kHarbour, 1000});
  Fingerprint byline = engine.MakeFingerprint({"s", title, "By Reuters Staff.", 1000 + 86400});
  Explanation e = Explain(byline, story, engine.options());
  EXPECT_FALSE(e.accepted);
  EXPECT_NE(e.verdict, Verdict::kTitle);
}

TEST(ExplainTest, SaysWhenTheTitleAloneDecides) {
  Engine engine{Options{}};
  const char title[] = "Harbour workers end strike after pay deal";
  Fingerprint story = engine.MakeFingerprint({"s", title, testing::kHarbour, 1000});
  Fingerprint byline = engine.MakeFingerprint({"s", title, "By Reuters Staff.", 2000});
  Explanation e = Explain(byline, story, engine.options());
  EXPECT_TRUE(e.candidate);
  EXPECT_TRUE(e.accepted);
  EXPECT_EQ(e.verdict, Verdict::kTitle);
  EXPECT_TRUE(e.comparison.titles_match);
  EXPECT_NE(e.reason.find("titles are the same"), std::string::npos);
  // The same two texts under other titles: nothing in common.
  Fingerprint untitled = engine.MakeFingerprint({"s", "", "By Reuters Staff.", 2000});
  EXPECT_FALSE(Explain(untitled, story, engine.options()).accepted);
}

TEST(ExplainTest, SaysWhenOneSourceFiledTheTextOnAnotherDay) {
  Engine engine{Options{}};
  const std::string text = testing::kHarbour;
  Fingerprint a = engine.MakeFingerprint({"wire", "", "LONDON, March 11 - " + text, 1000});
  Fingerprint b = engine.MakeFingerprint({"wire", "", "LONDON, March 12 - " + text, 90000});
  Explanation e = Explain(a, b, engine.options());
  EXPECT_FALSE(e.accepted);
  EXPECT_EQ(e.verdict, Verdict::kOtherFiling);
  EXPECT_NE(e.reason.find("datelines of other days (Mar 11 and Mar 12)"), std::string::npos)
      << e.reason;
  EXPECT_EQ(e.a_dateline, 3 * 32 + 11);
  EXPECT_EQ(e.b_dateline, 3 * 32 + 12);
  Fingerprint c = engine.MakeFingerprint({"outlet", "", "LONDON, March 12 - " + text, 90000});
  EXPECT_TRUE(Explain(a, c, engine.options()).accepted);  // another source: a copy
}

TEST(ExplainTest, SamplesSharedShinglesAsText) {
  Engine engine{Options{}};
  const std::string a_text = "Alpha beta gamma delta epsilon. Zeta eta theta iota kappa.";
  const std::string b_text = "Other words here. Alpha beta gamma delta epsilon and more.";
  Fingerprint a = engine.MakeFingerprint({"s", "", a_text, 1000});
  Fingerprint b = engine.MakeFingerprint({"s", "", b_text, 1000});
  std::vector<std::string> sample = SharedShingleSample("", a_text, a, b, engine.options(), 5);
  EXPECT_EQ(sample,
            (std::vector<std::string>{"alpha beta gamma delta", "beta gamma delta epsilon"}));
  EXPECT_EQ(SharedShingleSample("", a_text, a, b, engine.options(), 1).size(), 1u);
  Fingerprint c = engine.MakeFingerprint({"s", "", testing::kVaccine, 1000});
  EXPECT_TRUE(SharedShingleSample("", a_text, a, c, engine.options(), 5).empty());
}

TEST(ExplainTest, SaysWhenAPrefixWasSetAside) {
  Engine engine{Options{}};
  Fingerprint story = engine.MakeFingerprint({"s", "", testing::kKazakh, 1000});
  Fingerprint snippet = engine.MakeFingerprint(
      {"s", "",
       "Қарағанды. 6 наурыз. DKnews.kz – Қарағанды облысында жаңа мектептің құрылысы аяқталды.",
       1060});
  Explanation e = Explain(snippet, story, engine.options());
  EXPECT_TRUE(e.accepted);
  EXPECT_GT(e.comparison.prefix_unmatched, 0u);
  EXPECT_LT(e.comparison.containment, engine.options().min_containment);
  EXPECT_DOUBLE_EQ(TrimmedContainment(e.comparison), 1.0);
  EXPECT_NE(e.reason.find("prefix of " + std::to_string(e.comparison.prefix_unmatched) +
                          " shingles set aside: 1.000"),
            std::string::npos)
      << e.reason;
}

TEST(ExplainTest, CountsThePlacesWhereAnEditedCopyDiffers) {
  Engine engine{Options{}};
  // The copy drops the third paragraph and adds a sentence of its own at the end.
  std::string copy = testing::kVaccine;
  const size_t third = copy.find("The company plans");
  copy.erase(third, copy.find("\n\n", third) + 2 - third);
  copy += " Analysts said the company would need to raise more money before the larger study.";
  const Fingerprint a = engine.MakeFingerprint({"wire", "", testing::kVaccine, 1000});
  const Fingerprint b = engine.MakeFingerprint({"paper", "", copy, 2000});
  EXPECT_EQ(EditRuns(b.ordered, a.shingles), 2u);  // the seam of the cut, the added sentence
  EXPECT_EQ(EditRuns(a.ordered, b.shingles), 1u);  // the paragraph cut
  EXPECT_EQ(EditRuns(a.ordered, a.shingles), 0u);
  // Thresholds that this pair (resemblance 0.54, containment 0.77) does not meet by words.
  Options strict;
  strict.min_resemblance = 0.9;
  strict.min_containment = 0.9;
  strict.max_edit_runs = 1;
  const Explanation refused = Explain(a, b, strict);
  EXPECT_EQ(refused.comparison.edit_runs, 2u) << refused.reason;
  EXPECT_FALSE(refused.accepted) << refused.reason;
  EXPECT_NE(refused.reason.find("differs from the other in 2 places"), std::string::npos)
      << refused.reason;
  strict.max_edit_runs = 2;
  const Explanation accepted = Explain(a, b, strict);
  EXPECT_EQ(accepted.verdict, Verdict::kEdited) << accepted.reason;
  EXPECT_TRUE(accepted.accepted);
  EXPECT_EQ(VerdictName(accepted.verdict), "edited");
}

TEST(ExplainTest, OutsideWindowIsNotAccepted) {
  Engine engine{Options{}};
  Fingerprint a = engine.MakeFingerprint({"s", "", testing::kHarbour, 0});
  Fingerprint b = engine.MakeFingerprint({"s", "", testing::kHarbour, 10 * 86400});
  Explanation e = Explain(a, b, engine.options());
  EXPECT_FALSE(e.within_window);
  EXPECT_FALSE(e.accepted);
}

}  // namespace
}  // namespace newsd::dedup
