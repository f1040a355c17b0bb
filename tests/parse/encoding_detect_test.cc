#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "parse/encoding.h"
#include "tests/parse/encoding_test_util.h"
#include "tests/parse/parse_test_util.h"

namespace newsd::parse {
namespace {

using testing::Cp1251;
using testing::FeedFixture;
using testing::kKzItem;
using testing::kRuItem;
using testing::kRuTitle;
using testing::MustParse;
using testing::RssWithItem;

// A feed of short headlines under long links, windows-1251 served as UTF-8: the guess looks
// at the text, not at the markup, so the headlines come out readable.
TEST(EncodingDetectTest, HeadlinesAreJudgedWithoutTheirMarkup) {
  std::string doc = "<rss version=\"2.0\"><channel><title>" + Cp1251("Лента") + "</title>";
  const char* headlines[] = {"Курс тенге", "Погода в Астане", "Новый аэропорт", "Цены на бензин"};
  for (int i = 0; i < 12; ++i) {
    doc += "<item><title>" + Cp1251(headlines[i % 4]) +
           "</title><link>https://www.example-news-agency.kz/ru/news/politics/2026/12/02/"
           "article-with-a-long-slug-" +
           std::to_string(i) + ".html?utm_source=rss&amp;utm_medium=feed</link></item>";
  }
  doc += "</channel></rss>";
  Feed f = MustParse(doc, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(f.encoding, "windows-1251");
  ASSERT_EQ(f.entries.size(), 12u);
  EXPECT_EQ(f.entries[1].title, "Погода в Астане");
}

// Kazakh in KZ-1048 with no label anywhere: its letters that windows-1251 would show as
// Macedonian and Ukrainian ones ("Ќазаќстан") tell the code page.
TEST(EncodingDetectTest, UndeclaredKazakhIsReadAsKz1048) {
  std::string doc = FeedFixture("kz_kz1048.xml");
  doc.erase(0, doc.find("<rss"));
  Feed f = MustParse(doc);
  EXPECT_EQ(f.encoding, "kz-1048");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kKzItem);
  // Russian text in windows-1251 stays windows-1251.
  Feed r = MustParse(FeedFixture("ru_undeclared_windows1251.xml"));
  EXPECT_EQ(r.encoding, "windows-1251");
}

// A label naming a code page the text is not in, which lacks a few of its bytes (Қ and қ in
// windows-1252, я in windows-1253): the bytes' own guess wins over the label read with U+FFFD.
TEST(EncodingDetectTest, AWrongLabelLackingAFewOfTheBytesIsStillGuessed) {
  std::string kz = FeedFixture("kz_kz1048.xml");
  kz.erase(0, kz.find("<rss"));
  Feed f = MustParse("<?xml version=\"1.0\" encoding=\"windows-1252\"?>" + kz);
  EXPECT_EQ(f.encoding, "kz-1048");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kKzItem);
  std::string ru = FeedFixture("ru_undeclared_windows1251.xml");
  ru.erase(0, ru.find("<rss"));
  Feed r = MustParse("<?xml version=\"1.0\" encoding=\"windows-1253\"?>" + ru);
  EXPECT_EQ(r.encoding, "windows-1251");
}

// `utf8` in the single-byte code page `charset`, through the code page's table as
// TranscodeToUtf8 reads it; characters it lacks become '?'.
std::string EncodeSingleByte(std::string_view utf8, std::string_view charset) {
  std::map<std::string, char> bytes;
  for (int b = 0x80; b <= 0xFF; ++b) {
    std::string ch;
    if (TranscodeToUtf8(std::string(1, static_cast<char>(b)), charset, &ch)) {
      bytes.emplace(ch, static_cast<char>(b));
    }
  }
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string ch(utf8.substr(i, len));
    auto it = bytes.find(ch);
    out += len == 1 ? ch : it != bytes.end() ? std::string(1, it->second) : "?";
    i += len;
  }
  return out;
}

// A feed of one short Kazakh or Russian headline, no label anywhere: too few bytes for the
// statistics, but its words of Cyrillic letters are no Latin-1 text ("¯ê³ìåò øåø³ì³").
TEST(EncodingDetectTest, AShortUndeclaredCyrillicFeedIsNotReadAsLatin1) {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"Қазақ жаңалықтары", "Үкімет шешімі.", "kz-1048"},
      {"Решение правительства", "Астана, 5 марта.", "windows-1251"}};
  for (const auto& [title, text, charset] : cases) {
    SCOPED_TRACE(charset);
    const std::string utf8 = RssWithItem(std::string("<title>") + title + "</title><description>" +
                                         text + "</description>");
    Feed f = MustParse(EncodeSingleByte(utf8, charset));
    EXPECT_EQ(f.encoding, charset);
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, title);
  }
}

// A Kazakh feed in KZ-1048 or PT154 whose server or declaration says windows-1251 decodes
// without error by the label, as "Ќазаќстан Їкіметі": its letters tell the code page.
TEST(EncodingDetectTest, KazakhLabelledWindows1251IsReadInItsCodePage) {
  const std::string utf8 = RssWithItem(
      "<title>" + std::string(kKzItem) +
      "</title><description>Үкімет өңірлерді дамытудың жаңа бағдарламасын бекітті. Құжатқа "
      "сәйкес жұмыс үш жылға созылады, деп хабарлады министрлік.</description>");
  for (const char* charset : {"kz-1048", "ptcp154"}) {
    SCOPED_TRACE(charset);
    const std::string doc = EncodeSingleByte(utf8, charset);
    Feed in_decl = MustParse("<?xml version=\"1.0\" encoding=\"windows-1251\"?>" + doc);
    Feed in_header = MustParse(doc, "application/rss+xml; charset=cp1251");
    for (const Feed* f : {&in_decl, &in_header}) {
      EXPECT_EQ(f->encoding, charset);
      EXPECT_TRUE(f->bozo);
      EXPECT_NE(f->bozo_reason.find("letters are Kazakh"), std::string::npos) << f->bozo_reason;
      ASSERT_EQ(f->entries.size(), 1u);
      EXPECT_EQ(f->entries[0].title, kKzItem);
    }
  }
}

// Texts in windows-1251 with letters of one of those kinds only, or one of each, keep the
// label: Ukrainian (ї є ґ), Serbian (ј љ њ), a Russian item naming "Києва" and "Јовановић",
// Serbian naming "Київ" and "Україна", and Serbian and Macedonian with a sign next to a letter.
TEST(EncodingDetectTest, UkrainianOrSerbianInWindows1251KeepTheLabel) {
  for (const char* title :
       {"Київ готує реформу: уряд схвалив ґрунтовні зміни, єдині для всіх",
        "Влада Србије је најавила нове мере, рекао је Јовановић у Београду",
        "Вучич и Јовановић встретились с мэром Києва в Белграде",
        "Делегација из Київ (Україна) стигла је у Београд, где је Влада Србије најавила нове мере "
        "за јачање сарадње и размену искустава о развоју",
        "Вести¦Србија: Влада је најавила нове мере за јачање привреде",
        "Водата во Скопје содржи 5 µг/л олово, а ќерката на министерот ќе ја отвори новата "
        "пречистителна станица"}) {
    SCOPED_TRACE(title);
    const std::string doc =
        EncodeSingleByte("<?xml version=\"1.0\" encoding=\"windows-1251\"?>" +
                             RssWithItem("<title>" + std::string(title) + "</title>"),
                         "windows-1251");
    Feed f = MustParse(doc);
    EXPECT_EQ(f.encoding, "windows-1251");
    EXPECT_FALSE(f.bozo) << f.bozo_reason;
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, title);
  }
}

// `doc` with the encoding its XML declaration names replaced by `label`, or dropped for "".
std::string Redeclared(std::string doc, std::string_view label) {
  const size_t at = doc.find(" encoding=\"");
  const size_t end = doc.find('"', at + 11);
  EXPECT_NE(at, std::string::npos);
  doc.replace(at, end + 1 - at, label.empty() ? "" : " encoding=\"" + std::string(label) + "\"");
  return doc;
}

// An old Russian site whose feed says it is Latin-1 (its declaration, only its server's
// charset=, or both) while its bytes are windows-1251: read in windows-1251, not as
// "Ïðàâèòåëüñòâî", bozo set, saying what was declared and what was used.
TEST(CyrillicFeedTest, Windows1251DeclaringLatin1IsReadInItsCodePage) {
  const std::string doc = FeedFixture("ru_windows1251.xml");
  struct Case {
    std::string body;
    const char* content_type;
    const char* reason;
  } cases[] = {
      {Redeclared(doc, "iso-8859-1"), "", "declared as iso-8859-1"},
      {Redeclared(doc, "ISO-8859-1"), "application/rss+xml", "declared as iso-8859-1"},
      {Redeclared(doc, "windows-1252"), "", "declared as windows-1252"},
      {Redeclared(doc, ""), "text/xml; charset=latin1", "served as latin1"},
      {Redeclared(doc, "iso-8859-1"), "application/rss+xml; charset=ISO-8859-1",
       "served as iso-8859-1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    Feed f = MustParse(c.body, c.content_type);
    EXPECT_EQ(f.encoding, "windows-1251");
    EXPECT_TRUE(f.bozo);
    EXPECT_NE(f.bozo_reason.find(c.reason), std::string::npos) << f.bozo_reason;
    EXPECT_NE(f.bozo_reason.find("read as windows-1251"), std::string::npos) << f.bozo_reason;
    EXPECT_EQ(f.feed.title, kRuTitle);
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, kRuItem);
    EXPECT_NE(f.entries[0].summary->find("Ёлки, щи, ъ и ё"), std::string::npos);
  }
  // A byte windows-1251 leaves undefined (0x98, half a UTF-8 "И" pasted in) is U+FFFD.
  std::string pasted = Redeclared(doc, "iso-8859-1");
  pasted.insert(pasted.find("</title>"), "\x98");
  Feed f = MustParse(pasted);
  EXPECT_EQ(f.encoding, "windows-1251");
  EXPECT_NE(f.bozo_reason.find("U+FFFD"), std::string::npos) << f.bozo_reason;
  EXPECT_EQ(f.feed.title, kRuTitle + std::string("\uFFFD"));
}

// The same in KOI8-R: the letters' frequencies tell the code page, not a fixed windows-1251.
TEST(CyrillicFeedTest, Koi8rDeclaringLatin1IsReadAsKoi8r) {
  Feed f = MustParse(Redeclared(FeedFixture("ru_koi8r.xml"), "iso-8859-1"));
  EXPECT_EQ(f.encoding, "koi8-r");
  EXPECT_TRUE(f.bozo);
  EXPECT_NE(f.bozo_reason.find("read as koi8-r"), std::string::npos) << f.bozo_reason;
  EXPECT_EQ(f.feed.title, kRuTitle);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kRuItem);
}

// Ukrainian in KOI8-U declared iso-8859-1: its letters і ї є ґ (where KOI8-R draws boxes) read
// as such; and the word count goes on past an escaped tag left open ("&lt;img" with no "&gt;").
TEST(CyrillicFeedTest, Koi8uDeclaringLatin1IsReadAsKoi8u) {
  const std::string title = "У Києві відбулися збори громади щодо ремонту їхньої школи";
  const std::string summary =
      "&lt;img src=x Депутати міської ради підтримали проєкт, який передбачає ремонт "
      "шкільного їдальні та спортивного залу, повідомили у міській раді.";
  Feed f = MustParse(EncodeSingleByte(
      "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" +
          RssWithItem("<title>" + title + "</title><description>" + summary + "</description>"),
      "koi8-u"));
  EXPECT_EQ(f.encoding, "koi8-u");
  EXPECT_TRUE(f.bozo);
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, title);
}

// A short feed of one headline in capitals: windows-1251's capitals (0xC0-0xDF) are KOI8-R's
// small letters, yet the letters' frequencies still say windows-1251; and the reverse.
TEST(CyrillicFeedTest, OneHeadlineInCapitalsDeclaringLatin1IsReadInItsCodePage) {
  const std::string headline = "СРОЧНО: ПРАВИТЕЛЬСТВО УТВЕРДИЛО НОВЫЙ БЮДЖЕТ";
  for (const char* charset : {"windows-1251", "koi8-r"}) {
    SCOPED_TRACE(charset);
    Feed f = MustParse(EncodeSingleByte("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" +
                                            RssWithItem("<title>" + headline + "</title>"),
                                        charset));
    EXPECT_EQ(f.encoding, charset);
    EXPECT_TRUE(f.bozo);
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, headline);
  }
}

// A Kazakh feed in KZ-1048 or PT154 declared iso-8859-1: its Kazakh letters (at 0x80-0xBF,
// signs and controls in Latin-1) are read as such, not as windows-1251's "Ќазаќстан".
TEST(CyrillicFeedTest, KazakhDeclaringLatin1IsReadInItsCodePage) {
  const std::string utf8 =
      "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" +
      RssWithItem("<title>" + std::string(kKzItem) +
                  "</title><description>Үкімет өңірлерді дамытудың жаңа бағдарламасын бекітті. "
                  "Құжатқа сәйкес жұмыс үш жылға созылады, деп хабарлады министрлік."
                  "</description>");
  for (const char* charset : {"kz-1048", "ptcp154"}) {
    SCOPED_TRACE(charset);
    Feed f = MustParse(EncodeSingleByte(utf8, charset));
    EXPECT_EQ(f.encoding, charset);
    EXPECT_TRUE(f.bozo);
    EXPECT_NE(f.bozo_reason.find("declared as iso-8859-1"), std::string::npos) << f.bozo_reason;
    ASSERT_EQ(f.entries.size(), 1u);
    EXPECT_EQ(f.entries[0].title, kKzItem);
  }
}

// Latin-1 text keeps its label, without a warning, however many of its letters are 0xC0-0xFF:
// French, German, Icelandic and Faroese (þ ð æ ö ø), short words of accented letters only, an
// English text naming a Russian in windows-1251 bytes, and Greek in windows-1253.
TEST(CyrillicFeedTest, Latin1TextDeclaringLatin1KeepsItsLabel) {
  const char* texts[] = {
      "L'été à Paris: les cafés et les théâtres préparent la fête. Le président a déclaré "
      "mercredi que la réforme serait présentée à l'Assemblée après les élections régionales.",
      "Die Größe der Städte wächst schnell, sagte der Bürgermeister. Für die Übergangszeit "
      "müssen die Bürger höhere Gebühren zahlen. Außerdem wird die Straße gesperrt.",
      "Það er mikið að gerast á Íslandi í dag. Ríkisstjórnin hefur ákveðið að hækka skatta á "
      "þá sem eiga mest. Þjóðin er óánægð með þetta, sagði ráðherra. Tað er gott veður í "
      "Føroyum í dag, og Løgtingið hevur samtykt nýggja lóg. Øll eru boðin á Ólavsøku.",
      "À É Ó Á Í Ú Ý Æ Ø Ö Ä Ü. Ó, á í ú! Æ ø å ö. Í á ó ú ý. Ég á. Þú ó. À où é ó? Él é à í.",
      "ÉTÉ À PARIS: LES CAFÉS ET LES THÉÂTRES PRÉPARENT LA FÊTE. GRÖSSERE ÄNDERUNGEN FÜR "
      "ÜBERGRÖßE"};
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    for (const char* charset : {"iso-8859-1", "windows-1252"}) {
      const std::string doc = "<?xml version=\"1.0\" encoding=\"" + std::string(charset) + "\"?>" +
                              RssWithItem("<title>" + std::string(text) + "</title><description>" +
                                          text + "</description>");
      Feed f = MustParse(EncodeSingleByte(doc, "windows-1252"));
      EXPECT_EQ(f.encoding, charset);
      EXPECT_FALSE(f.bozo) << f.bozo_reason;
      ASSERT_EQ(f.entries.size(), 1u);
      EXPECT_EQ(f.entries[0].summary, text);
    }
  }
  // An English feed naming Vladimir Putin in windows-1251 bytes, however often: a name in
  // Cyrillic letters is no Cyrillic text. Nor is Greek, whose words are runs of high bytes too,
  // nor a French item under a Russian headline: its accented words are Latin-1's.
  const std::string name = Cp1251("Владимир Путин");
  const std::string english =
      RssWithItem("<title>" + name + " meets the press</title><description>President " + name +
                  " said on Tuesday that talks would resume next week. " + name +
                  " spoke to reporters after the meeting in the Kremlin, where " + name +
                  " and his guests discussed trade, energy and security.</description>");
  const std::string greek = EncodeSingleByte(
      RssWithItem("<title>Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία</title>"),
      "windows-1253");
  const std::string french = RssWithItem(
      "<title>" +
      EncodeSingleByte("Владимир Путин заявил: «Мы никогда не отступим»", "windows-1251") +
      "</title><description>R\xE9"
      "action tr\xE8s vive \xE0 l'\xE9tranger, \xE9"
      "crit Le Monde."
      "</description>");
  for (const std::string& body : {english, greek, french}) {
    Feed f = MustParse("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" + body);
    EXPECT_EQ(f.encoding, "iso-8859-1");
    EXPECT_FALSE(f.bozo) << f.bozo_reason;
  }
}

TEST(EncodingDetectTest, UndeclaredKazakhInPtcp154IsToldFromKz1048) {
  Feed f = MustParse(FeedFixture("kz_undeclared_ptcp154.xml"));
  EXPECT_EQ(f.encoding, "ptcp154");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, kKzItem);
}

TEST(EncodingDetectTest, UndeclaredCjkAndThaiAreDetected) {
  struct Case {
    const char* file;
    const char* encoding;
    const char* title;
  } cases[] = {
      {"ja_undeclared_shift_jis.xml", "shift_jis",
       "ゲーム三昧な正月を過ごしました。今年もよろしくお願いします。"},
      {"ko_undeclared_euc_kr.xml", "euc-kr",
       "대한민국 정부는 새로운 정책을 발표했습니다. 경제 성장률이 증가했습니다."},
      {"zh_undeclared_big5.xml", "big5",
       "不歸移民漫畫系列：專業工作。台灣經濟快速發展，人民生活水平提高。"},
      {"th_undeclared_tis620.xml", "tis-620", "รัฐบาลไทยประกาศนโยบายใหม่เกี่ยวกับเศรษฐกิจและการศึกษา"},
  };
  for (const Case& c : cases) {
    Feed f = MustParse(FeedFixture(c.file));
    EXPECT_EQ(f.encoding, c.encoding) << c.file;
    EXPECT_TRUE(f.bozo) << c.file;  // undeclared and not UTF-8
    ASSERT_EQ(f.entries.size(), 1u) << c.file;
    EXPECT_EQ(f.entries[0].title, c.title) << c.file;
  }
}

// Feeds with no charset anywhere and bytes that are not UTF-8: the code page is guessed from
// the text's high bytes.
TEST(EncodingDetectTest, UndeclaredWindows1251IsFoundInMostlyEnglishText) {
  // One Russian sentence after two English ones: its letters are a fifth of the text's.
  const std::string text =
      "Markets closed higher on Tuesday as investors weighed new data on inflation and jobs. "
      "Analysts expect the central bank to hold rates steady next month. \xD0\xFB\xED\xEA\xE8 "
      "\xE7\xE0\xEA\xF0\xFB\xEB\xE8\xF1\xFC \xF0\xEE\xF1\xF2\xEE\xEC \xE2\xEE "
      "\xE2\xF2\xEE\xF0\xED\xE8\xEA.";
  Feed f = MustParse("<rss><channel><item><title>" + text + "</title></item></channel></rss>");
  EXPECT_EQ(f.encoding, "windows-1251");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_NE(f.entries[0].title->find("Рынки закрылись ростом во вторник."), std::string::npos)
      << *f.entries[0].title;
}

TEST(EncodingDetectTest, ShortLowerCaseRussianIsNotReadAsHebrew) {
  // Lower case only and none of ы ь э ю я: bytes 0xE0-0xFA, where windows-1255 has Hebrew.
  Feed f =
      MustParse(std::string("<rss><channel><item><title>") +
                "\xE2 \xE3\xEE\xF0\xEE\xE4\xE5 \xEF\xF0\xEE\xF8\xE5\xEB \xEC\xE8\xF2\xE8\xED\xE3" +
                "</title></item></channel></rss>");
  EXPECT_EQ(f.encoding, "windows-1251");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].title, "в городе прошел митинг");
}

TEST(EncodingDetectTest, UndeclaredLatinTextWithAccentsStaysWindows1252) {
  const std::string text =
      "Die Gr\xF6\xDF"
      "e der St\xE4"
      "dte w\xE4"
      "chst schnell, sagte der B\xFCrgermeister. Le caf\xE9 \xE9tait tr\xE8s pr\xE8s de "
      "l\x92\xE9glise o\xF9 nous \xE9tions d\xE9j\xE0 all\xE9s. S\xE3o Paulo e a popula\xE7\xE3o "
      "n\xE3o param de crescer.";
  Feed f = MustParse("<rss><channel><item><title>" + text + "</title></item></channel></rss>");
  EXPECT_EQ(f.encoding, "windows-1252");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_NE(f.entries[0].title->find("Die Größe der Städte wächst"), std::string::npos);
  EXPECT_NE(f.entries[0].title->find("São Paulo e a população não param"), std::string::npos);
}

// A short Latin text's accented letters sit inside ASCII words: they are not Big5 pairs
// ("\xC4nderungen") nor a Cyrillic text ("caf\xE9 cr\xE8me" has more accents than letters
// around them).
TEST(EncodingDetectTest, ShortUndeclaredLatinTextIsNeitherCjkNorCyrillic) {
  Feed de = MustParse(std::string("<rss><channel><item><title>") +
                      "Gr\xF6\xDF"
                      "ere \xC4nderungen f\xFCr \xDC"
                      "bergr\xF6\xDF"
                      "e" +
                      "</title></item></channel></rss>");
  EXPECT_EQ(de.encoding, "windows-1252");
  ASSERT_EQ(de.entries.size(), 1u);
  EXPECT_EQ(de.entries[0].title, "Größere Änderungen für Übergröße");
  Feed fr = MustParse(std::string("<rss><channel><item><title>") +
                      "Le caf\xE9 cr\xE8me br\xFBl\xE9"
                      "e \xE0 c\xF4t\xE9 de l'h\xF4tel, o\xF9 \xE9t\xE9" +
                      "</title></item></channel></rss>");
  EXPECT_EQ(fr.encoding, "windows-1252");
  ASSERT_EQ(fr.entries.size(), 1u);
  EXPECT_EQ(fr.entries[0].title, "Le café crème brûlée à côté de l'hôtel, où été");
  // windows-1252's curly quotes inside English words are no Shift_JIS pairs either.
  Feed en = MustParse(std::string("<rss><channel><item><title>") +
                      "Trump\x92s allies say it\x92s time; she\x92s sure they\x92re right" +
                      "</title></item></channel></rss>");
  EXPECT_EQ(en.encoding, "windows-1252");
  ASSERT_EQ(en.entries.size(), 1u);
  EXPECT_EQ(en.entries[0].title, "Trump’s allies say it’s time; she’s sure they’re right");
}

// Said to be UTF-8 (charset= or the declaration), a text with as many UTF-8 characters as
// invalid bytes is UTF-8 with U+FFFD for those, as feedparser reads it; a text guessed to be
// another code page would be mojibake throughout.
TEST(EncodingDetectTest, LabelledUtf8WithAFewInvalidBytesStaysUtf8) {
  const std::string body = std::string("<rss><channel><item><description>") +
                           "\xC3\xA9\xC3\xA9\xC3\xA9 x \xE9\xE9\xE9" +
                           "</description></item></channel></rss>";
  Feed f = MustParse(body, "application/rss+xml; charset=utf-8");
  EXPECT_TRUE(f.bozo);
  EXPECT_EQ(f.encoding, "utf-8");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].summary, "ééé x \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  // A windows-1251 text mislabelled UTF-8 has next to no UTF-8 characters: still guessed.
  Feed ru = MustParse(std::string("<rss><channel><item><title>") +
                          "\xC2 \xE3\xEE\xF0\xEE\xE4\xE5 \xEF\xF0\xEE\xF8\xE5\xEB "
                          "\xEC\xE8\xF2\xE8\xED\xE3 \xAB\xD2\xC0\xD1\xD1\xBB" +
                          "</title></item></channel></rss>",
                      "application/rss+xml; charset=utf-8");
  EXPECT_EQ(ru.encoding, "windows-1251");
  ASSERT_EQ(ru.entries.size(), 1u);
  EXPECT_EQ(ru.entries[0].title, "В городе прошел митинг «ТАСС»");
}

}  // namespace
}  // namespace newsd::parse
