#include "dedup/normalize.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "dedup/fold_table.h"

namespace newsd::dedup {
namespace {

TEST(NormalizeTest, LowercasesAndSplitsOnPunctuation) {
  EXPECT_EQ(NormalizeForMatching("Hello, World, it's 2024"), "hello world it s 2024");
}

TEST(NormalizeTest, SentencesEndLines) {
  EXPECT_EQ(NormalizeForMatching("Hello, World! It's 2024. Rates rose 0.25 to 5.5? Yes."),
            "hello world\nit s 2024\nrates rose 0 25 to 5 5\nyes");
  EXPECT_EQ(NormalizeForMatching("See example.com/a.b now"), "see example com a b now");
  // A '.' closing a scale abbreviation a lower-case word follows ends no sentence.
  EXPECT_EQ(NormalizeForMatching("Пришли 5 тыс. человек. Ушли все."),
            "пришли 5000 человек\nушли все");
  EXPECT_EQ(NormalizeForMatching("Мы так решили. iPhone подорожал."),
            "мы так решили\niphone подорожал");
}

TEST(NormalizeTest, LinksAndHashtagsAreNotTheStory) {
  EXPECT_EQ(NormalizeForMatching("More: https://t.me/kaznews/9931 #жаңалықтар #Қазақстан"), "more");
  EXPECT_EQ(NormalizeForMatching("Read it at www.interfax.ru/presscenter. Then more."),
            "read it at\nthen more");
  EXPECT_EQ(NormalizeForMatching("Tags: #спорт#хоккей#женская, end"), "tags end");
  // Not links or hashtags: numbering, C#, entities, and a link's text inside markup.
  EXPECT_EQ(NormalizeForMatching("ranked #1 in C# &#39;x&#39;"), "ranked 1 in c x");
  EXPECT_EQ(NormalizeForMatching("<a href=\"https://e.com/a\">the report</a> said"),
            "the report said");
  EXPECT_EQ(NormalizeForMatching("see (https://e.com/a), then"), "see then");
  // '#' in markup is no hashtag: the story inside stays.
  EXPECT_EQ(NormalizeForMatching("<span style=\"color:#ff0000\">Закон подписан</span> вчера."),
            "закон подписан вчера");
  EXPECT_EQ(NormalizeForMatching("<font color=#ff0000>Закон</font> <a href=\"#c\">Обсудить</a>"),
            "закон обсудить");
  EXPECT_EQ(NormalizeForMatching("#Новости\u00a0сегодня \u2014 #спорт\u2014итоги"),
            "сегодня итоги");
  // Search keeps them: an operator may look for a hashtag or a link.
  EXPECT_EQ(NormalizeForSearch("#Казахстан t.me/kaznews"), "казахстан t me kaznews");
}

// The words written with a capital (Fingerprint::names): Latin, Cyrillic and Kazakh, not
// digits; a dropped attribution takes its capitals with it.
TEST(NormalizeTest, CapitalsAreNotedWithTheirFirstLetters) {
  TokenizedText t;
  Tokenize(
      "The mayor of Almaty met \xd2\x9a\xd0\xb0\xd1\x81\xd1\x8b\xd0\xbc in 2024 and "
      "\xd0\x90\xd1\x81\xd1\x82\xd0\xb0\xd0\xbd\xd0\xb0, Reuters reported.",
      &t, true, Attributions::kDrop);
  std::vector<std::string> capitals;
  for (const TokenizedText::Capital& c : t.capitals) {
    ASSERT_LT(c.token, t.text.size());
    capitals.push_back(t.text[c.token]);
  }
  // "Қасым" folds to "касым"; "Reuters reported" is gone with its capital; "The" opens the
  // sentence.
  EXPECT_EQ(capitals,
            (std::vector<std::string>{"almaty",
                                      "\xd0\xba\xd0\xb0\xd1\x81\xd1\x8b"
                                      "\xd0\xbc",
                                      "\xd0\xb0\xd1\x81\xd1\x82\xd0\xb0\xd0\xbd\xd0\xb0"}));
  TokenizedText misspelt;
  Tokenize("in Almatty", &misspelt, true, Attributions::kDrop);  // misspelt
  ASSERT_EQ(misspelt.capitals.size(), 1u);
  EXPECT_EQ(misspelt.capitals[0].prefix, t.capitals[0].prefix);  // "al" either way
}

TEST(NormalizeTest, KeepsNumbers) {
  EXPECT_EQ(NormalizeForMatching("Rates rose 0.25 to 5.5"), "rates rose 0 25 to 5 5");
}

// "№123" and "№ 123" are one number: the numero sign is the word "no" on its own (NFKC made
// it "No", which joined the digits after it).
TEST(NormalizeTest, NumeroSignStandsApartFromItsNumber) {
  EXPECT_EQ(NormalizeForMatching("Дело №123, закон №45-ФЗ"), "дело no 123 закон no 45 фз");
  EXPECT_EQ(NormalizeForMatching("Дело № 123, закон № 45-ФЗ"), "дело no 123 закон no 45 фз");
  EXPECT_EQ(NormalizeForMatching("Case No 123"), "case no 123");
}

TEST(NormalizeTest, StripsHtmlAndDecodesEntities) {
  EXPECT_EQ(NormalizeForMatching("<p>Tom &amp; Jerry</p><p>&quot;cat&quot; &#171;dog&#xBB;</p>"),
            "tom jerry\ncat dog");
  EXPECT_EQ(NormalizeForMatching("a <b>bold</b> word"), "a bold word");
  EXPECT_EQ(NormalizeForMatching("1 < 2 and 3 > 2"), "1 2 and 3 2");
}

// A page's share-button script or style sheet is code, not the story: two unrelated articles
// with the same script do not share its words (nor does a search find them by it).
TEST(NormalizeTest, ScriptsAndStylesAreNoText) {
  EXPECT_EQ(NormalizeForMatching("<p>Flood in Semey</p><script type=\"text/javascript\">var "
                                 "w=loadShare(c, \"</p>\");</script><STYLE>p{color:red}</Style>"
                                 "<p>More</p>"),
            "flood in semey\nmore");
  EXPECT_EQ(NormalizeForMatching("Flood&lt;script&gt;var w=loadShare();&lt;/script&gt; rises"),
            "flood\nrises");
  EXPECT_EQ(NormalizeForSearch("a<noscript><img src=x></noscript>b"), "a\nb");
  // Without an end tag only the start tag goes: nothing after it is lost.
  EXPECT_EQ(NormalizeForMatching("a <script> b c"), "a\nb c");
  EXPECT_EQ(NormalizeForMatching("a <script/> b"), "a b");
  // Thousands of start tags without an end: each reads as a line break, nothing is lost (and
  // the text is read once, not once per tag).
  std::string unclosed;
  for (int i = 0; i < 20000; ++i) unclosed += "<script>a</b>&lt;style&gt;b";
  const std::string read = NormalizeForMatching(unclosed + " end");
  EXPECT_EQ(read.substr(0, 7), "a\nb\na\nb");
  EXPECT_EQ(read.substr(read.size() - 5), "b end");
}

TEST(NormalizeTest, EscapedTagsReadLikeTags) {
  EXPECT_EQ(NormalizeForMatching("&lt;p&gt;Oil &lt;BP&gt; rose&lt;/p&gt;&lt;p&gt;More"),
            NormalizeForMatching("<p>Oil <BP> rose</p><p>More"));
  EXPECT_EQ(NormalizeForMatching("&lt;p&gt;a&lt;/p&gt;&lt;p&gt;b"), "a\nb");
  EXPECT_EQ(NormalizeForMatching("x &lt; 3 &gt; y"), "x 3 y");
}

TEST(NormalizeTest, BlockTagsAndNewlinesEndLines) {
  TokenizedText t;
  Tokenize("one two<br>three\n\nfour", &t);
  ASSERT_EQ(t.LineCount(), 3u);
  EXPECT_EQ(t.LineEnd(0) - t.LineBegin(0), 2u);
  EXPECT_EQ(t.LineEnd(2) - t.LineBegin(2), 1u);
}

TEST(NormalizeTest, NfkcAndCaseFold) {
  EXPECT_EQ(NormalizeForMatching("ＡＢＣ ﬁne Straße"), "abc fine strasse");
  EXPECT_EQ(NormalizeForMatching("Москва"), "москва");
}

TEST(NormalizeTest, FoldsYoToYe) { EXPECT_EQ(NormalizeForMatching("Ёлка ещё"), "елка еще"); }

TEST(NormalizeTest, FoldsKazakhLetters) {
  EXPECT_EQ(NormalizeForMatching("әғқңөұүһі"), NormalizeForMatching("агкноуухи"));
  EXPECT_EQ(NormalizeForMatching("Қазақстан"), NormalizeForMatching("Казакстан"));
}

TEST(NormalizeTest, FoldsLatinHomoglyphsInCyrillicWords) {
  // Latin i and ə written for Kazakh і and ә.
  EXPECT_EQ(NormalizeForMatching("бiздiң жəне"), NormalizeForMatching("біздің және"));
  // Latin 'o', 'c' and 'p' inside a Russian word.
  EXPECT_EQ(NormalizeForMatching("прoцесс cпорт"), NormalizeForMatching("процесс спорт"));
  // Latin words stay Latin.
  EXPECT_EQ(NormalizeForMatching("Telegram opec"), "telegram opec");
  // Fewer Cyrillic letters than Latin ones, but every Latin one a look-alike: Kazakh "ірі".
  EXPECT_EQ(NormalizeForMatching("iрi қалалар"), NormalizeForMatching("ірі қалалар"));
  // A Latin word with a Cyrillic look-alike typed into it.
  EXPECT_EQ(NormalizeForMatching("Rеuters"), "reuters");
  // ɵ, ı (a Turkish keyboard's), fita and ї typed for ө and і.
  EXPECT_EQ(NormalizeForMatching("ɵзгерiс ıрı ѳнер їс"),
            NormalizeForMatching("өзгеріс ірі өнер іс"));
  // Letters of both scripts without look-alikes: the majority's script, as far as it goes.
  EXPECT_EQ(NormalizeForMatching("жoлдың"), NormalizeForMatching("жолдың"));
}

TEST(NormalizeTest, FoldsAWordEitherScriptReadsIntoItsMajoritysScript) {
  // English words with a Cyrillic о or е: every letter has a look-alike in the other script.
  EXPECT_EQ(NormalizeForMatching("Kazakhstan's tоp court, thе vote in Tоkyo"),
            NormalizeForMatching("Kazakhstan's top court, the vote in Tokyo"));
  // Russian words with a Latin o or c.
  EXPECT_EQ(NormalizeForMatching("сoк и кoт"), NormalizeForMatching("сок и кот"));
  // Half and half: the script of the words before.
  EXPECT_EQ(NormalizeForMatching("we went tо Almaty"), "we went to almaty");
  EXPECT_EQ(NormalizeForMatching("он пошёл тo"), NormalizeForMatching("он пошёл то"));
  // A Latin i stands for Kazakh і, not for a Latin word: "ipi" stays Kazakh "ірі".
  EXPECT_EQ(NormalizeForMatching("iрi iс"), NormalizeForMatching("ірі іс"));
}

TEST(NormalizeTest, DropsSoftHyphenAndCombiningMarks) {
  EXPECT_EQ(NormalizeForMatching("news\u00ADpaper"), "newspaper");
  EXPECT_EQ(NormalizeForMatching("молоко\u0301"), "молоко");
}

// A text in decomposed form (NFD: "и" and a combining breve for "й") reads as the same text
// composed; a stress mark, which composes with nothing, is still dropped.
TEST(NormalizeTest, ComposesLettersWrittenWithCombiningMarks) {
  EXPECT_EQ(NormalizeForMatching("новый порядок выдачи удостоверений"),
            NormalizeForMatching("новыи\u0306 порядок выдачи удостоверении\u0306"));
  EXPECT_EQ(NormalizeForMatching("НОВЫЙ"), NormalizeForMatching("НОВЫИ\u0306"));
  EXPECT_EQ(NormalizeForMatching("café déjà"), NormalizeForMatching("cafe\u0301 de\u0301ja\u0300"));
  EXPECT_EQ(NormalizeForMatching("ёлка"), NormalizeForMatching("е\u0308лка"));
  EXPECT_EQ(NormalizeForMatching("замо\u0301к"), NormalizeForMatching("замок"));
  EXPECT_NE(NormalizeForMatching("мой"), NormalizeForMatching("мои"));
  // The 64th letter of a token too (kMaxToken): kept, it takes its mark.
  std::string long_word;
  for (int i = 0; i < 63; ++i) long_word += "а";
  EXPECT_EQ(NormalizeForMatching(long_word + "и\u0306"), NormalizeForMatching(long_word + "й"));
}

// A snippet cut mid-sentence (TokenizedText::cut): its ellipsis also under end tags, quotes
// and brackets, and as an entity (WordPress's " [&#8230;]").
TEST(NormalizeTest, NotesATextCutOffByAnEllipsis) {
  for (const char* cut :
       {"At the New York Mercantile …", "At the New York Mercantile...",
        "<p>At the New York Mercantile…</p>", "At the Mercantile [&#8230;]",
        "At the Mercantile &hellip;</a></p>\n", "Он сказал: «Мы…»",
        "At the Mercantile&#x2026;<br/>",
        // A read-more link after the cut.
        "на пересечении улиц Торайгырова и… Подробнее",
        "At the New York Mercantile... <a href=\"/x\">Read more</a>", "Астанада… Толығырақ"}) {
    TokenizedText t;
    Tokenize(cut, &t);
    EXPECT_TRUE(t.cut) << cut;
  }
  for (const char* whole : {"At the New York Mercantile Exchange.", "<p>It ended.</p>", "",
                            "Об этом рассказали подробнее"}) {
    TokenizedText t;
    Tokenize(whole, &t);
    EXPECT_FALSE(t.cut) << whole;
  }
  // Only its end is looked at: a megabyte of closing brackets takes no longer than another
  // text (this ran for minutes when the whole text was searched again for each one).
  TokenizedText t;
  Tokenize("Sentence …" + std::string(1 << 20, ')'), &t);
  EXPECT_FALSE(t.cut);
  Tokenize("Sentence …</strong>" + std::string(100, ' '), &t);
  EXPECT_TRUE(t.cut);
}

TEST(NormalizeTest, NbspAndTypographicQuotesSeparate) {
  EXPECT_EQ(NormalizeForMatching("«Газпром»\u00A0—\u00A0“quote”"), "газпром quote");
}

TEST(NormalizeTest, CanonicalisesWireAbbreviations) {
  EXPECT_EQ(NormalizeForMatching("5 million dollars, 3 percent"),
            NormalizeForMatching("5 mln dlrs, 3 pct"));
  // Reuters earnings tables and their rewritten copies.
  EXPECT_EQ(NormalizeForMatching("Share 47 cents vs 48 cents. Revenues 8.47 billion"),
            NormalizeForMatching("Shr 47 cts vs 48 cts. Revs 8.47 bln"));
  EXPECT_EQ(NormalizeForMatching("472 million sterling in the first quarter"),
            NormalizeForMatching("472 mln stg in the first qtr"));
  // Month names and their AP-style abbreviations.
  EXPECT_EQ(NormalizeForMatching("LONDON, March 20 -"), NormalizeForMatching("LONDON, Mar 20 -"));
  EXPECT_EQ(NormalizeForMatching("Sept 3 and September 4"), "sep 3 and sep 4");
  // Other words are untouched.
  EXPECT_EQ(NormalizeForMatching("shareholders marched"), "shareholders marched");
}

TEST(NormalizeTest, ReadsKazakhNumberWords) {
  EXPECT_EQ(NormalizeForMatching("жүз отыз біріне"), "131 ине");
  EXPECT_EQ(NormalizeForMatching("131-іне"), "131 ине");
  EXPECT_EQ(NormalizeForMatching("жиырма бес процентке"), "25 pct ке");
  EXPECT_EQ(NormalizeForMatching("екі мың он алтыншы"), "2016 ншы");
  EXPECT_EQ(NormalizeForMatching("екі мың он бес жылы"), NormalizeForMatching("2015 жылы"));
  EXPECT_EQ(NormalizeForMatching("бір миллион үш жүз мың"), "1300000");
  // A scale word after digits multiplies them as after number words.
  EXPECT_EQ(NormalizeForMatching("отыз төрт мың адам"), NormalizeForMatching("34000 адам"));
  EXPECT_EQ(NormalizeForMatching("34 мың адам"), NormalizeForMatching("34000 адам"));
  EXPECT_EQ(NormalizeForMatching("отыз – қырық мың болғанда"),
            NormalizeForMatching("30 – 40 мың болғанда"));
  // A dash ends a number: a range of two, as its digits read.
  EXPECT_EQ(NormalizeForMatching("төрт жүз – бес жүз кило"), "400 500 кило");
  EXPECT_EQ(NormalizeForMatching("төрт жүз - бес жүз кило"), "400 500 кило");
  EXPECT_EQ(NormalizeForMatching("төрт жүз &ndash; бес жүз кило"), "400 500 кило");
  EXPECT_EQ(NormalizeForMatching("төрт жүз &#8211; бес жүз кило"), "400 500 кило");
  EXPECT_EQ(NormalizeForMatching("төрт жүз – бес жүз кило"),
            NormalizeForMatching("400 – 500 кило"));
  EXPECT_EQ(NormalizeForMatching("бес мыңнан"), NormalizeForMatching("5 мыңнан"));
  EXPECT_EQ(NormalizeForMatching("5 мыңнан"), "5000 нан");
  // ... but not across a comma or a sentence end.
  EXPECT_EQ(NormalizeForMatching("1, мың"), "1 1000");
  EXPECT_EQ(NormalizeForMatching("Саны 34. Мың адам"), "саны 34\n1000 адам");
  // "да/де/та/те" between number words: a decimal comma, or "and" inside one number.
  EXPECT_EQ(NormalizeForMatching("бір де жеті миллиард теңге"),
            NormalizeForMatching("1, 7 миллиард теңге"));
  EXPECT_EQ(NormalizeForMatching("үш те бес процентке"), NormalizeForMatching("3,5 процентке"));
  EXPECT_EQ(NormalizeForMatching("жүз де он тоғыз вагон"), NormalizeForMatching("119 вагон"));
  EXPECT_EQ(NormalizeForMatching("он да бар"), "10 да бар");  // no number follows: a word
  // A word that cannot continue a number starts the next one: a range, a list.
  EXPECT_EQ(NormalizeForMatching("бес-алты тоннаға"), NormalizeForMatching("5 – 6 тоннаға"));
  EXPECT_EQ(NormalizeForMatching("он жиырма"), "10 20");
  EXPECT_EQ(NormalizeForMatching("жүз жүзге"), "100 100 ге");
  // Ordinals, case endings and approximations after a number word.
  EXPECT_EQ(NormalizeForMatching("бірінші"), "1 инши");
  EXPECT_EQ(NormalizeForMatching("жиырмасыншы"), "20 сыншы");
  EXPECT_EQ(NormalizeForMatching("біріншіден"), NormalizeForMatching("1-іншіден"));
  EXPECT_EQ(NormalizeForMatching("мыңнан жүздеген"), "1000 нан 100 деген");
  // Words that only start like a number word stay words.
  EXPECT_EQ(NormalizeForMatching("бірақ мына жүзеге бірнеше алтын"),
            "бирак мына жузеге бирнеше алтын");
}

// English and Russian number words read as digits, as Kazakh ones do: AP spells out one to nine,
// other outlets write digits, and a copy reads like the story it copies.
TEST(NormalizeTest, EnglishAndRussianNumberWordsReadAsDigits) {
  EXPECT_EQ(NormalizeForMatching("Three people were killed and twelve injured"),
            NormalizeForMatching("3 people were killed and 12 injured"));
  EXPECT_EQ(NormalizeForMatching("forty-two passengers, twenty one, ninety nine"),
            "42 passengers 21 99");
  EXPECT_EQ(NormalizeForMatching("two billion tenge, five hundred tonnes, three thousand"),
            NormalizeForMatching("2 billion tenge, 500 tonnes, 3,000"));
  EXPECT_EQ(NormalizeForMatching("Три человека погибли, двенадцать пострадали"),
            NormalizeForMatching("3 человека погибли, 12 пострадали"));
  EXPECT_EQ(NormalizeForMatching("сорок два пассажира, сто двадцать пять, двести одиннадцать"),
            "42 пассажира 125 211");
  EXPECT_EQ(NormalizeForMatching("пять школ на три тысячи мест, в семи школах, двое"),
            NormalizeForMatching("5 школ на 3 тысячи мест, в 7 школах, 2"));
  EXPECT_EQ(NormalizeForMatching("сто пять, двадцать одна"), "105 21");
  // "one" and "одна" alone are pronouns as often; "ten two" and "2024 two" are two numbers.
  EXPECT_EQ(NormalizeForMatching("one of them, no one, одна из них"),
            "one of them no one одна из них");
  EXPECT_EQ(NormalizeForMatching("ten two, 2024 two, 40 two"), "10 2 2024 2 40 2");
}

// A number written out with its scale words reads as its digits: "one" before a scale is 1,
// hundreds add the tens and units after them and multiply by a larger scale, and Russian
// "полтора" before a scale is 1.5.
TEST(NormalizeTest, NumbersWrittenOutWithScalesReadAsDigits) {
  EXPECT_EQ(NormalizeForMatching("one million people, one hundred days"),
            NormalizeForMatching("1 million people, 100 days"));
  EXPECT_EQ(NormalizeForMatching("two hundred five, one hundred twenty-five"),
            NormalizeForMatching("205, 125"));
  EXPECT_EQ(NormalizeForMatching("two hundred and five, one hundred and one, "
                                 "two hundred and fifty thousand"),
            NormalizeForMatching("205, 101, 250,000"));
  // "and" joins nothing else: "ten and five", "2024 and five", "hundreds and one".
  EXPECT_EQ(NormalizeForMatching("ten and five, 2024 and five, hundreds and one"),
            "10 and 5 2024 and 5 hundreds and one");
  EXPECT_EQ(NormalizeForMatching("three hundred thousand tonnes, five hundred million"),
            NormalizeForMatching("300,000 tonnes, 500,000,000"));
  EXPECT_EQ(NormalizeForMatching("одна тысяча мест, один миллион человек"),
            NormalizeForMatching("1 тысяча мест, 1 млн человек"));
  EXPECT_EQ(NormalizeForMatching("полтора миллиона, полторы тысячи, полутора миллиардов"),
            NormalizeForMatching("1,5 млн, 1,5 тыс, 1,5 млрд"));
  // Not before a scale they stay words: a template's "не менее полутора метров" is no figure
  // for the guard to count (nor "one" a pronoun). A scale in another clause multiplies nothing.
  EXPECT_EQ(NormalizeForMatching("one of them, one, million"), "one of them one mln");
  EXPECT_EQ(NormalizeForMatching("одна из них, одна, тысячи"), "одна из них одна тысячи");
  EXPECT_EQ(NormalizeForMatching("полтора года, не менее полутора метров, полтора, миллиона"),
            "полтора года не менее полутора метров полтора миллиона");
}

// A number written out in parts, a scale and the hundreds, tens and smaller scales below it, is
// one figure, as its digits are: "one thousand two hundred" is "1,200" (until session 66 it
// read "1 000 200", which the figure guard refused against a copy writing "1,200").
TEST(NormalizeTest, NumbersWrittenOutInPartsReadAsOneFigure) {
  EXPECT_EQ(NormalizeForMatching("one thousand two hundred people"),
            NormalizeForMatching("1,200 people"));
  EXPECT_EQ(NormalizeForMatching("two thousand five hundred, three million two hundred thousand"),
            NormalizeForMatching("2,500, 3,200,000"));
  EXPECT_EQ(NormalizeForMatching("one thousand nine hundred eighty-four, one thousand one "
                                 "hundred and one, three million two hundred and fifty thousand"),
            NormalizeForMatching("1,984, 1,101, 3,250,000"));
  EXPECT_EQ(NormalizeForMatching("three hundred million five hundred thousand tonnes"),
            NormalizeForMatching("300,500,000 tonnes"));
  EXPECT_EQ(NormalizeForMatching("одна тысяча двести человек, две тысячи пятьсот рублей"),
            NormalizeForMatching("1 200 человек, 2 500 рублей"));
  EXPECT_EQ(NormalizeForMatching("три миллиона двести тысяч, три миллиона двести пятьдесят тысяч "
                                 "сто двадцать, 3 тысячи пятьсот один"),
            NormalizeForMatching("3 200 000, 3 250 120, 3 501"));
  EXPECT_EQ(NormalizeForMatching("бір мың екі жүз адам"), NormalizeForMatching("1 200 адам"));
  // A tens or unit word right after the scale is a number of its own ("five million two years
  // ago"), and so is what a comma sets apart; "and" between two numbers a scale multiplies is
  // a range's ("between 200 and 300").
  EXPECT_EQ(NormalizeForMatching("five million two years ago, two thousand, five hundred"),
            "5 000 000 2 years ago 2 000 500");
  EXPECT_EQ(NormalizeForMatching("пять миллионов два года назад, две тысячи, пятьсот"),
            "5000000 2 года назад 2000 500");
  EXPECT_EQ(NormalizeForMatching("between two thousand and three thousand, between one thousand "
                                 "two hundred and five thousand, two hundred and three hundred"),
            "between 2 000 and 3 000 between 1 200 and 5 000 200 and 300");
}

// Russian writes a figure's parts with digits too ("1 млн 200 тыс."), and its next part may
// start with a tens or unit word ("три миллиона пятьдесят тысяч"): a part under a thousand with
// a smaller scale than the one before it continues that figure, as "three million fifty
// thousand" does. Without a smaller scale after it the part is a number of its own ("1 млн 200
// человек", as "пять миллионов два года назад").
TEST(NormalizeTest, RussianFigureContinuesWithDigitsOrTensBeforeASmallerScale) {
  EXPECT_EQ(NormalizeForMatching("три миллиона пятьдесят тысяч"), "3050000");
  EXPECT_EQ(NormalizeForMatching("три миллиона пятьдесят две тысячи триста рублей"),
            NormalizeForMatching("3 052 300 рублей"));
  EXPECT_EQ(NormalizeForMatching("три миллиона одна тысяча, 1 млрд пять млн"),
            "3001000 1005000000");
  EXPECT_EQ(NormalizeForMatching("1 млн 200 тыс. рублей"),
            NormalizeForMatching("1 200 000 рублей"));
  EXPECT_EQ(NormalizeForMatching("1 млн 200 тыс. рублей"), "1200000 руб");
  EXPECT_EQ(NormalizeForMatching("2 млрд 300 млн, 2 млрд 300 млн 500 тыс"),
            "2300000000 2300500000");
  EXPECT_EQ(NormalizeForMatching("1 миллион 532 тысячи гривен, 1 млн 532 тыс. гривен"),
            "1532000 гривен 1532000 гривен");
  EXPECT_EQ(NormalizeForMatching("бес миллион 200 мың"), NormalizeForMatching("5 200 000"));
  // No smaller scale after the part, or not a part under a thousand, or a comma, a dash or a
  // sentence end before it: two numbers.
  EXPECT_EQ(NormalizeForMatching("1 млн 200 человек"), "1000000 200 человек");
  EXPECT_EQ(NormalizeForMatching("1 тыс 200 млн, 1 млн 2000 тыс, 1 млн 1,5 тыс"),
            "1000 200000000 1000000 2000000 1000000 1500");
  EXPECT_EQ(
      NormalizeForMatching("От 1 млн, 200 тыс; 2 млн – 500 тыс; три миллиона. Пятьдесят тысяч"),
      "от 1000000 200000 2000000 500000 3000000\n50000");
  EXPECT_EQ(NormalizeForMatching("две тысячи пятьсот 5 тыс, пять миллионов два года назад"),
            "2500 5000 5000000 2 года назад");
}

// "тысяча" and "тысячу" alone are one thousand, as "миллион" and Kazakh "мың" alone are: "тысяча
// человек" reads as "1 тыс. человек" and "1000 человек" do. "тысячи" (as often the plural,
// "тысячи людей", thousands, as the singular, "более тысячи") and "тысяч" ("десятки тысяч") stay
// words: read as 1000 they would give texts about thousands a figure they do not have.
TEST(NormalizeTest, RussianThousandAloneIsAFigure) {
  EXPECT_EQ(NormalizeForMatching("тысяча человек, на тысячу рублей, тысяча двести мест"),
            NormalizeForMatching("1000 человек, на 1 тыс. рублей, 1 200 мест"));
  EXPECT_EQ(NormalizeForMatching("Тысяча человек"), "1000 человек");
  EXPECT_EQ(NormalizeForMatching("тысячи людей, десятки тысяч, тысячный, тыс"),
            "тысячи людей десятки тысяч тысячный тыс");
}

// "a" before a scale word is one: "a million people" are "1 million people", "a hundred and
// fifty" 150. Elsewhere it stays a word.
TEST(NormalizeTest, AScaleAfterTheArticleCountsOne) {
  EXPECT_EQ(NormalizeForMatching("A million people came, a hundred and fifty left"),
            NormalizeForMatching("1 million people came, 150 left"));
  EXPECT_EQ(NormalizeForMatching("a hundred thousand tonnes, a thousand two hundred"),
            NormalizeForMatching("100,000 tonnes, 1,200"));
  EXPECT_EQ(NormalizeForMatching("a few hundred people, a dog, a, million"),
            "a few hundred people a dog a mln");
}

// Thousands grouped by commas before a scale word: the whole number is multiplied.
TEST(NormalizeTest, AScaleMultipliesEveryGroupBeforeIt) {
  EXPECT_EQ(NormalizeForMatching("1,234,500 thousand"), NormalizeForMatching("1,234,500,000"));
  EXPECT_EQ(NormalizeForMatching("1,234,567,890 thousand"), "1 234 567 890 000");
  // Too long to multiply, or a group of other than three digits: as written.
  EXPECT_EQ(NormalizeForMatching("1,000,000,000,000,000 thousand, 1,2345,500 thousand"),
            "1 000 000 000 000 000 thous 1 2345 500 thous");
}

// A decimal point with no digits before it is "0." (".5 million" is half a million).
TEST(NormalizeTest, LeadingDecimalPointReadsAsZeroPoint) {
  EXPECT_EQ(NormalizeForMatching("a .5 million rise, $.75 a share, (.3%)"),
            NormalizeForMatching("a 0.5 million rise, $0.75 a share, (0.3%)"));
  EXPECT_EQ(NormalizeForMatching(".5 million"), "500 000");
  // After a tag, a no-break space, a quote or a sign as well; not inside a number, a word or
  // after an ellipsis.
  EXPECT_EQ(NormalizeForMatching("<p>.5 million, &nbsp;.5 million, “.5 million”"),
            "500 000 500 000 500 000");
  EXPECT_EQ(NormalizeForMatching("-.5 percent, +.25"), NormalizeForMatching("-0.5 percent, +0.25"));
  EXPECT_EQ(NormalizeForMatching("1.2.5, v.5, в.5, wait...5"), "1 2 5 v 5 в 5 wait 5");
}

// A "one" dropped with an attribution ("one analyst said") makes no later word a number.
TEST(NormalizeTest, AOneDroppedWithItsAttributionLeavesNoNumberBehind) {
  EXPECT_EQ(
      NormalizeForMatching("Prices rose, one analyst said. Several million people lost jobs."),
      NormalizeForMatching("Prices rose. Several million people lost jobs."));
  EXPECT_EQ(NormalizeForMatching("Цены выросли, один аналитик сообщил. Несколько миллионов "
                                 "человек потеряли работу."),
            NormalizeForMatching("Цены выросли. Несколько миллионов человек потеряли работу."));
}

// Outlets spell one figure their own way; a copy reads like the story it copies.
TEST(NormalizeTest, ScalesAndPercentReadAlikeHoweverSpelled) {
  // English: "per cent", "£1.5bn", "$200m" and Reuters' abbreviations.
  EXPECT_EQ(NormalizeForMatching("profit rose 12 per cent to $1.5m"),
            NormalizeForMatching("profit rose 12 percent to $1.5 million"));
  EXPECT_EQ(NormalizeForMatching("profit rose 12 per cent to $1.5m"),
            NormalizeForMatching("profit rose 12% to $1.5 mln"));
  EXPECT_EQ(NormalizeForMatching("a £2.3bn deal and a 3tn economy"),
            NormalizeForMatching("a £2.3 billion deal and a 3 trillion economy"));
  EXPECT_EQ(NormalizeForMatching("£2.3 bn, $2 mn"), "2 300 000 000 2 000 000");
  // A scale after a number reads as the product written out in groups ("1,500,000").
  EXPECT_EQ(NormalizeForMatching("a record 1.5 million tonnes"),
            NormalizeForMatching("a record 1,500,000 tonnes"));
  EXPECT_EQ(NormalizeForMatching("26.7 mln tonnes, 3 thousand wagons, $2.4bn"),
            "26 700 000 tonnes 3 000 wagons 2 400 000 000");
  EXPECT_EQ(NormalizeForMatching("£40m, 1.25 billion, 0.5 million"),
            "40 000 000 1 250 000 000 500 000");
  // A comma before three digits groups thousands in English ("12,500 million"); in Russian
  // it is a decimal comma ("1,500 млн" is 1.5 million).
  EXPECT_EQ(NormalizeForMatching("12,500 million, 1,000 million tonnes"),
            "12 500 000 000 1 000 000 000 tonnes");
  EXPECT_NE(NormalizeForMatching("1,200 million pounds"),
            NormalizeForMatching("1.2 million pounds"));
  EXPECT_EQ(NormalizeForMatching("1,500 млн"), "1500000");
  // Where no whole product is written, or no number before: as before.
  EXPECT_EQ(NormalizeForMatching("1.2345 thousand"), "1 2345 thous");
  EXPECT_EQ(NormalizeForMatching("05 million, millions of people, a, million"),
            "05 mln millions of people a mln");
  EXPECT_EQ(NormalizeForMatching("in 2026, million"), "in 2026 mln");
  EXPECT_EQ(NormalizeForMatching("£40million, $2billion"), NormalizeForMatching("£40m, $2bn"));
  // Russian currencies after a number, spelled out or cut short.
  EXPECT_EQ(NormalizeForMatching("Выделят 5 млн руб. в месяц, 10 долл."),
            NormalizeForMatching("Выделят 5 миллионов рублей в месяц, 10 долларов"));
  EXPECT_EQ(NormalizeForMatching("Выделят 5 млн долл. США на ремонт"),
            NormalizeForMatching("Выделят 5 миллионов долларов США на ремонт"));
  EXPECT_EQ(NormalizeForMatching("1 500 рублей, 1,05 рубля"), "1500 руб 1 05 руб");
  // Not after another clause's or sentence's number, nor a name, nor a Kazakh case form.
  EXPECT_EQ(NormalizeForMatching("рубль укрепился"), "рубль укрепился");
  EXPECT_EQ(NormalizeForMatching("Инфляция 7,5. Рубль укрепился"), "инфляция 7 5\nрубль укрепился");
  EXPECT_EQ(NormalizeForMatching("выручка 500, рубль, в 2024 Рублёв"),
            "выручка 500 рубль в 2024 рублев");
  EXPECT_EQ(NormalizeForMatching("100 долларға"), "100 долларга");
  // Other words, and tokens of digits and other letters, stay as they were.
  EXPECT_EQ(NormalizeForMatching("per capita, a cent, per, cent, 1st, g20, covid19, 2b, 24k"),
            "per capita a cent per cent 1st g20 covid19 2b 24k");
  // Russian and Kazakh: abbreviations and the words after digits give the same figure.
  EXPECT_EQ(NormalizeForMatching("2 млн рублей"), NormalizeForMatching("2 миллиона рублей"));
  EXPECT_EQ(NormalizeForMatching("5 млрд тенге"), NormalizeForMatching("5 миллиардов тенге"));
  EXPECT_EQ(NormalizeForMatching("3 тыс человек"), NormalizeForMatching("3 тысячи человек"));
  EXPECT_EQ(NormalizeForMatching("5 тыс. человек"), NormalizeForMatching("5 тысяч человек"));
  EXPECT_EQ(NormalizeForMatching("2 млн теңге"), NormalizeForMatching("екі миллион теңге"));
  EXPECT_EQ(NormalizeForMatching("1,5 трлн"), NormalizeForMatching("1,5 триллиона"));
  EXPECT_EQ(NormalizeForMatching("2 млн теңге"), "2000000 тенге");
  EXPECT_EQ(NormalizeForMatching("бес млрд"), NormalizeForMatching("5 млрд"));
  EXPECT_EQ(NormalizeForMatching("2млн рублей, 1,5млрд"),
            NormalizeForMatching("2 млн рублей, 1,5 млрд"));
  EXPECT_EQ(NormalizeForMatching("5мыңнан"), "5000 нан");
  EXPECT_EQ(NormalizeForMatching("Пришли 5тыс. человек"),
            NormalizeForMatching("Пришли 5 тысяч человек"));
  EXPECT_EQ(NormalizeForMatching("2024ж"), "2024ж");
  EXPECT_EQ(NormalizeForMatching("екі триллион"), NormalizeForMatching("2 трлн"));
  // A fraction times its scale, when that is whole: "1,5 млн" = "1 500 000" = "1500000".
  EXPECT_EQ(NormalizeForMatching("1,5 млн"), NormalizeForMatching("1,5 миллиона"));
  EXPECT_EQ(NormalizeForMatching("1,5 млн тенге"), NormalizeForMatching("1 500 000 тенге"));
  EXPECT_EQ(NormalizeForMatching("1,5 млн"), "1500000");
  EXPECT_EQ(NormalizeForMatching("1,05 млн"), "1050000");
  EXPECT_EQ(NormalizeForMatching("0,5 млрд"), "500000000");
  EXPECT_EQ(NormalizeForMatching("2,0 млн"), "2000000");
  EXPECT_EQ(NormalizeForMatching("1,5млрд"), NormalizeForMatching("1,5 млрд"));
  EXPECT_EQ(NormalizeForMatching("1,5 мың"), "1500");
  // Not whole, or no number of its own before the comma: left as written.
  EXPECT_EQ(NormalizeForMatching("1,2345 тыс"), "1 2345 тыс");
  EXPECT_NE(NormalizeForMatching("05,5 млн"), "5500000");
  EXPECT_NE(NormalizeForMatching("05,5млн"), "5500000");
  EXPECT_EQ(NormalizeForMatching("05,5млн"), "05 5млн");  // as written
  TokenizedText decimal;
  Tokenize("Ущерб 1,5 млн", &decimal);
  ASSERT_EQ(decimal.is_number.size(), 2u);
  EXPECT_EQ(decimal.is_number[1], 1);
  // Alone, they are words ("шекарадан тыс": beyond the border), and so is a plural, "мына"
  // ("this") after digits, and a year before a Russian plural.
  EXPECT_EQ(NormalizeForMatching("шекарадан тыс, более миллиона"), "шекарадан тыс более миллиона");
  EXPECT_EQ(NormalizeForMatching("2 мына"), "2 мына");
  EXPECT_EQ(NormalizeForMatching("В 2022 тысячи уехали"), "в 2022 тысячи уехали");
  // Zero, and a product past 64 bits, are left as written.
  EXPECT_EQ(NormalizeForMatching("0 млн"), "0 млн");
  EXPECT_EQ(NormalizeForMatching("999999999 трлн"), "999999999 трлн");
}

TEST(NormalizeTest, ReadsPercentSignsAsWords) {
  EXPECT_EQ(NormalizeForMatching("Sales rose 10% in May"), "sales rose 10 pct in may");
  EXPECT_EQ(NormalizeForMatching("Sales rose 10 percent in May"), "sales rose 10 pct in may");
  EXPECT_EQ(NormalizeForMatching("Продажи выросли на 10%"),
            NormalizeForMatching("Продажи выросли на 10 процентов"));
  EXPECT_EQ(NormalizeForMatching("Экспорт 10%-ке өсті"),
            NormalizeForMatching("Экспорт он процентке өсті"));
  EXPECT_EQ(NormalizeForMatching("Баға 18%-ға өсті, 40%-ы"),
            NormalizeForMatching("Баға 18 пайызға өсті, 40 пайызы"));
  EXPECT_EQ(NormalizeForMatching("12 пайыз"), "12 pct");
  // Other words that start like it stay words.
  EXPECT_EQ(NormalizeForMatching("процентная ставка, пайыздық мөлшерлеме"),
            "процентная ставка пайыздык молшерлеме");
}

TEST(NormalizeTest, DropsAttributionClauses) {
  // The last clause of a sentence, when short and holding a reporting word.
  EXPECT_EQ(NormalizeForMatching("Profits rose sharply, the company said. Shares fell."),
            "profits rose sharply\nshrs fell");
  EXPECT_EQ(NormalizeForMatching("Exports grew, according to a Reuters report."), "exports grew");
  EXPECT_EQ(NormalizeForMatching("Мектеп ашылды, деп хабарлайды DKnews.kz. Оқу басталды."),
            "мектеп ашылды\nоку басталды");
  EXPECT_EQ(NormalizeForMatching("Мектеп ашылды, - деп хабарлайды ҚазАқпарат тілшісі."),
            "мектеп ашылды");
  EXPECT_EQ(NormalizeForMatching("Поезд ушел, передает ТАСС."), "поезд ушел");
  // A short sentence of its own holding one, after the first.
  EXPECT_EQ(NormalizeForMatching("Мектеп ашылды. Бұл туралы Kazinform хабарлады."),
            "мектеп ашылды");
  EXPECT_EQ(NormalizeForMatching("Поезд ушел. Об этом сообщает «Интерфакс»."), "поезд ушел");
  // Press-office and outlet phrasings.
  EXPECT_EQ(NormalizeForMatching("Поезд ушел. Об этом говорится в сообщении ведомства."),
            "поезд ушел");
  EXPECT_EQ(NormalizeForMatching("Поезд ушел, информирует Tengrinews.kz."), "поезд ушел");
  EXPECT_EQ(NormalizeForMatching("Поезд ушел, отмечается в сообщении."), "поезд ушел");
  EXPECT_EQ(NormalizeForMatching("Поезд ушел, передают РИА Новости."), "поезд ушел");
  EXPECT_EQ(NormalizeForMatching("Мектеп ашылды. Дереккөз: Sputnik Қазақстан."), "мектеп ашылды");
  // Two in a row: the reporter's, then the agency's.
  EXPECT_EQ(NormalizeForMatching(
                "Imports will rise, a government spokesman said today, Reuters reported."),
            "imports will rise");
  EXPECT_EQ(NormalizeForMatching("Мектеп ашылды, деді әкім, деп хабарлайды DKnews.kz."),
            "мектеп ашылды");
  // A clause with a number is news, whatever its verb: its figure counts for the guard.
  EXPECT_EQ(NormalizeForMatching("Output fell, 12 workers were reported injured, officials said."),
            "output fell 12 workers were reported injured");
  EXPECT_EQ(NormalizeForMatching("Cases rose, with 412 new cases reported."),
            "cases rose with 412 new cases reported");
}

// Lines that are no part of the story: a link to another one after the first line, and a date
// and time alone above the text (matching only: search keeps them).
TEST(NormalizeTest, DropsRelatedLinksAndATimestampLine) {
  EXPECT_EQ(NormalizeForMatching("Поезд ушел.\nЧитайте также: Ученые нашли новый способ"),
            "поезд ушел");
  EXPECT_EQ(NormalizeForMatching("Мектеп ашылды.\n\nТолығырақ: Мамандар жаңа жабдық алды"),
            "мектеп ашылды");
  EXPECT_EQ(NormalizeForMatching("Мектеп ашылды.\nСондай-ақ оқыңыз: Жаңа жол ашылды"),
            "мектеп ашылды");
  EXPECT_EQ(NormalizeForMatching("Shares fell.\nRead also: Banks rally on rate hopes"),
            "shrs fell");
  EXPECT_EQ(NormalizeForMatching("Поезд ушел. Подробнее о расписании на сайте"), "поезд ушел");
  EXPECT_EQ(NormalizeForMatching("27.02.1987 23:26\n\nShares fell."), "shrs fell");
  EXPECT_EQ(NormalizeForMatching("02.03.2021 22:43\nМектеп ашылды."), "мектеп ашылды");
  // The first line opens the text whatever its words; numbers alone are kept when they are all
  // of it, or not above it; a short run of numbers is no time stamp.
  EXPECT_EQ(NormalizeForMatching("Read also the chairman's letter."),
            "read also the chairman s letter");
  EXPECT_EQ(NormalizeForMatching("27.02.1987 23:26"), "27 02 1987 23 26");
  EXPECT_EQ(NormalizeForMatching("Shares fell.\n27.02.1987 23:26"), "shrs fell\n27 02 1987 23 26");
  EXPECT_EQ(NormalizeForMatching("1986 1985\nShares fell."), "1986 1985\nshrs fell");
  EXPECT_EQ(NormalizeForSearch("Поезд ушел.\nЧитайте также: Новости"),
            "поезд ушел\nчитайте также новости");
}

TEST(NormalizeTest, SearchKeepsAttributions) {
  EXPECT_EQ(NormalizeForSearch("Поезд ушел, передает ТАСС. Об этом сообщает «Интерфакс»."),
            "поезд ушел передает тасс\nоб этом сообщает интерфакс");
}

// A search reads Latin letters without their accents, whichever side has them; other scripts'
// letters stay what they are (й is no и).
TEST(NormalizeTest, SearchReadsLatinLettersWithoutAccents) {
  EXPECT_EQ(NormalizeForSearch("Nestlé opens a café in São Paulo, Zürich and Şymkent"),
            NormalizeForSearch("Nestle opens a cafe in Sao Paulo, Zurich and Symkent"));
  EXPECT_EQ(NormalizeForSearch("ÉCOLE Ǖ"), "ecole u");
  EXPECT_EQ(NormalizeForSearch("Мой йогурт, ёж"), "мой йогурт еж");
  EXPECT_EQ(NormalizeForSearch("Straße"), NormalizeForMatching("Straße")) << "no decomposition";
}

TEST(NormalizeTest, KeepsClausesThatAreNotAttributions) {
  // No reporting word, or too long to be an attribution, or the text's only sentence.
  EXPECT_EQ(NormalizeForMatching("Profits rose, sales fell."), "profits rose sales fell");
  EXPECT_EQ(NormalizeForMatching("Profits rose, and the chairman said more cuts would come."),
            "profits rose and the chairman said more cuts would come");
  EXPECT_EQ(NormalizeForMatching("The company said."), "the company said");
  // A comma ends a number read from words: "бір, екі" is two numbers, not three.
  EXPECT_EQ(NormalizeForMatching("бір, екі"), "1 2");
}

TEST(NormalizeTest, InvalidUtf8ActsAsSeparator) {
  EXPECT_EQ(NormalizeForMatching("abc\xff\xfe"
                                 "def"),
            "abc def");
  EXPECT_EQ(NormalizeForMatching("abc\xe2\x82"), "abc");
}

TEST(NormalizeTest, LongTokensMatchOnTheirFirst64CodePoints) {
  TokenizedText a, b, c;
  Tokenize(std::string(64, 'x') + "abcdef tail", &a);
  Tokenize(std::string(64, 'X') + "zz tail", &b);
  Tokenize(std::string(64, 'x') + " tail", &c);
  ASSERT_EQ(a.tokens.size(), 2u);
  EXPECT_EQ(a.tokens, b.tokens);
  EXPECT_EQ(a.tokens, c.tokens);
  EXPECT_EQ(a.tokens[0], HashToken(std::string(64, 'x')));
  Tokenize(std::string(60, '1') + "23456", &a);  // All digits: a number, even when cut.
  ASSERT_EQ(a.is_number.size(), 1u);
  EXPECT_EQ(a.is_number[0], 1);
}

// Russian words of every length, at every offset, in either case and with ё among them: the
// tokenizer's run of four lower-case letters at a time (TokenBuilder::AddTwoByteRun) must fold
// and cut them as one letter at a time would.
TEST(NormalizeTest, RussianWordsFoldAndCutAtAnyLength) {
  auto utf8 = [](char32_t cp) {
    return std::string{static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
  };
  std::mt19937 random(20261205);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    std::vector<uint64_t> expected;
    const int words = 1 + static_cast<int>(random() % 12);
    for (int w = 0; w < words; ++w) {
      if (w > 0) text += random() % 4 == 0 ? "\u00a0" : " ";  // a two-byte separator too
      const size_t length = 1 + random() % 70;
      std::string folded;
      for (size_t i = 0; i < length; ++i) {
        const uint32_t pick = random() % 100;
        char32_t cp = 0x430 + random() % 32;                                            // а..я
        if (pick < 15) cp -= 0x20;                                                      // А..Я
        text += utf8(pick >= 97 ? (pick == 99 ? 0x401 : 0x451) : cp);                   // Ё, ё
        if (i < 64) folded += utf8(pick >= 97 ? 0x435 : (pick < 15 ? cp + 0x20 : cp));  // ё: е
      }
      expected.push_back(HashToken(folded));
    }
    TokenizedText t;
    Tokenize(text, &t, /*keep_text=*/false, Attributions::kKeep);
    ASSERT_EQ(t.tokens, expected) << text;
  }
}

TEST(NormalizeTest, MixedScriptRunsSplitOnlyAtSeparators) {
  // № is the word "no" on its own (not NFKC's "No", which would join its neighbours).
  EXPECT_EQ(NormalizeForMatching("Привет,мир café№5 ABCÉ"), "привет мир café no 5 abcé");
  EXPECT_EQ(NormalizeForMatching("2024жыл"), "2024жыл");
}

TEST(FoldTableTest, FoldSingleAgreesWithFold) {
  const FoldTable& table = FoldTable::Get();
  for (char32_t cp = 0; cp < 0x11000; cp += 7) {
    FoldedChar one, out[4];
    const int n = table.Fold(cp, out);
    if (table.FoldSingle(cp, &one)) {
      ASSERT_EQ(n, 1) << static_cast<uint32_t>(cp);
      EXPECT_EQ(one.cp, out[0].cp);
      EXPECT_EQ(one.cls, out[0].cls);
    } else {
      EXPECT_TRUE(n != 1 || cp >= 0x10000) << static_cast<uint32_t>(cp);
    }
  }
}

TEST(FoldTableTest, ClassifiesCodePoints) {
  FoldedChar out[4];
  ASSERT_EQ(FoldTable::Get().Fold(U'Ә', out), 1);
  EXPECT_EQ(out[0].cp, U'а');
  EXPECT_EQ(out[0].cls, CharClass::kLetter);
  ASSERT_EQ(FoldTable::Get().Fold(U'٣', out), 1);  // Arabic-Indic digit three.
  EXPECT_EQ(out[0].cls, CharClass::kDigit);
  ASSERT_EQ(FoldTable::Get().Fold(U'—', out), 1);
  EXPECT_EQ(out[0].cls, CharClass::kSeparator);
}

TEST(NormalizeTest, ADecimalOrThousandsSeparatorJoinsTheFigureForTheNumberGuard) {
  TokenizedText t;
  Tokenize("rate 12.35, then 448,5 and 1,234. Then 7. 8 items", &t);
  ASSERT_EQ(t.tokens.size(), 13u);
  const std::vector<uint8_t> expected = {
      0, 1, TokenizedText::kNumberPart, 0, 1, TokenizedText::kNumberPart,
      0, 1, TokenizedText::kNumberPart, 0, 1, 1,
      0};
  EXPECT_EQ(t.is_number, expected);
  EXPECT_EQ(NormalizeForMatching("12.35"), "12 35") << "matching still sees both parts";
}

// Thousands grouped by a space, as Russian and Kazakh write them, read as the number written
// without ("412 000" = "412000"), so that a copy that groups its digits otherwise, or writes
// "8 тыс.", reads alike.
TEST(NormalizeTest, ThousandsGroupedBySpacesReadAsOneNumber) {
  auto flags = [](std::string_view text) {
    TokenizedText t;
    Tokenize(text, &t);
    return t.is_number;
  };
  EXPECT_EQ(flags("412 000 t"), (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(NormalizeForMatching("412 000 t"), "412000 t");
  EXPECT_EQ(NormalizeForMatching("1\u00a0234\u2009567 t"), "1234567 t");
  EXPECT_EQ(NormalizeForMatching("\u0441 1\u202f000"), "с 1000");
  EXPECT_EQ(NormalizeForMatching("8 000 человек"), NormalizeForMatching("8 тыс. человек"));
  EXPECT_EQ(NormalizeForMatching("8&nbsp;000 и 9&#8239;000"), "8000 и 9000");
  // Not after a word's or a number's end: "топ-5 100 лучших", "12:30 000", "в1 000".
  EXPECT_EQ(NormalizeForMatching("топ-5 100 лучших, 12:30 000, в1 000"),
            "топ 5 100 лучших 12 30 000 в1 000");
  EXPECT_EQ(NormalizeForMatching("1 500 млн"), NormalizeForMatching("1500 миллионов"));
  // Not thousands: a longer first group, another separator, a suffix, a longer group.
  EXPECT_EQ(flags("2019 300 t"), (std::vector<uint8_t>{1, 1, 0}));
  EXPECT_EQ(flags("150\u2013200 t"), (std::vector<uint8_t>{1, 1, 0}));
  EXPECT_EQ(flags("5 100-meter"), (std::vector<uint8_t>{1, 1, 0}));
  EXPECT_EQ(flags("5 1000 t"), (std::vector<uint8_t>{1, 1, 0}));
  EXPECT_EQ(flags("3, 500 t"), (std::vector<uint8_t>{1, 1, 0}));
}

// Every all-digit token has its digits recorded, also when a dropped attribution or a scale
// word took tokens back.
void ExpectDigitsOfEveryNumber(const TokenizedText& t) {
  size_t next = 0;
  for (size_t k = 0; k < t.tokens.size(); ++k) {
    if (!t.is_number[k]) continue;
    ASSERT_LT(next, t.digits.size()) << "token " << k;
    EXPECT_EQ(t.digits[next++].token, k);
  }
  EXPECT_EQ(next, t.digits.size());
}

TEST(NormalizeTest, RecordsTheDigitsOfEachNumber) {
  TokenizedText t;
  Tokenize("Up 2 500 to 164,000 from 0.50", &t);
  ASSERT_EQ(t.digits.size(), 5u);
  EXPECT_EQ(t.digits[0].token, 1u);
  EXPECT_EQ(t.digits[0].value, 2500u);  // "2 500"
  EXPECT_EQ(t.digits[2].count, 3u);     // "000"
  EXPECT_EQ(t.digits[2].value, 0u);
  EXPECT_EQ(t.digits[4].count, 2u);  // "50"
  ExpectDigitsOfEveryNumber(t);
  Tokenize("Прибыль выросла на 12 процентов, сообщает ТАСС 24.\nЕщё 34 мың и отыз төрт мың.", &t);
  ExpectDigitsOfEveryNumber(t);
  Tokenize("The port handled 5 mln tonnes, Reuters reported 2, said 3.", &t);
  ExpectDigitsOfEveryNumber(t);
  Tokenize("Exports hit 1.5 million tonnes, up from 900 thousand, worth $2.4bn.", &t);
  ExpectDigitsOfEveryNumber(t);
}

// A figure with its scale word is the figure written out: the same tokens, the same numbers
// and digits (the number guard compares those).
TEST(NormalizeTest, ScaledFiguresTokenizeAsWrittenOut) {
  TokenizedText scaled, written;
  Tokenize("Kazakhstan exported 1.5 million tonnes, and 26.7 mln more.", &scaled);
  Tokenize("Kazakhstan exported 1,500,000 tonnes, and 26,700,000 more.", &written);
  EXPECT_EQ(scaled.tokens, written.tokens);
  EXPECT_EQ(scaled.is_number, written.is_number);
  ASSERT_EQ(scaled.digits.size(), written.digits.size());
  for (size_t i = 0; i < scaled.digits.size(); ++i) {
    EXPECT_EQ(scaled.digits[i].token, written.digits[i].token);
    EXPECT_EQ(scaled.digits[i].value, written.digits[i].value);
    EXPECT_EQ(scaled.digits[i].count, written.digits[i].count);
  }
}

}  // namespace
}  // namespace newsd::dedup
