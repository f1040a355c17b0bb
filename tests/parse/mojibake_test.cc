#include "parse/mojibake.h"

#include <gtest/gtest.h>

#include <string>

#include "parse/parser.h"

namespace newsd::parse {
namespace {

std::string Undo(std::string s) {
  UndoDoubleEncoding(&s);
  return s;
}

// UTF-8 read as windows-1251 and written as UTF-8 again, as some Russian CMSs publish it.
TEST(UndoDoubleEncodingTest, RestoresUtf8ReadAsWindows1251) {
  EXPECT_EQ(Undo("РџСѓС‚РёРЅ РїСЂРѕРІРµР» РІСЃС‚СЂРµС‡Сѓ СЃ РўРѕРєР°РµРІС‹Рј"),
            "Путин провел встречу с Токаевым");
  EXPECT_EQ(Undo("РџСЂРµР·РёРґРµРЅС‚ РљР°Р·Р°С…СЃС‚Р°РЅР° вЂ” РІ РњРѕСЃРєРІРµ"),
            "Президент Казахстана — в Москве");
  // Kazakh letters, and a no-break space standing for byte 0xA0.
  EXPECT_EQ(Undo("ТљР°Р·Р°Т›СЃС‚Р°РЅ Р\u00a0РµСЃРїСѓР±Р»РёРєР°СЃС‹"), "Қазақстан Республикасы");
  // "И" is 0xD0 0x98, and 0x98 is undefined in windows-1251: kept as U+0098.
  EXPECT_EQ(Undo("Р\u0098Р»СЊРёРЅ Рё Р\u0098РІР°РЅРѕРІ"), "Ильин и Иванов");
  // Currency signs, arrows, the minus sign and emoji in the text.
  EXPECT_EQ(Undo("Р¦РµРЅР° Р±РµРЅР·РёРЅР° РґРѕ 250 в‚ё, РєСѓСЂСЃ в†’ 90 в‚Ѕ, в€’5В°"),
            "Цена бензина до 250 ₸, курс → 90 ₽, −5°");
  // Byte 0xA0 (the no-break space) made a plain space on its way: "Р" of "России" is 0xD0 0xA0.
  EXPECT_EQ(Undo("Р РѕСЃСЃРёРё Рё Р\u00a0РѕСЃСЃРёСЏ"), "России и Россия");
}

TEST(UndoDoubleEncodingTest, RestoresUtf8ReadAsWindows1252OrLatin1) {
  EXPECT_EQ(Undo("ÐŸÑƒÑ‚Ð¸Ð½ Ð¿Ñ€Ð¾Ð²ÐµÐ»"), "Путин провел");
  EXPECT_EQ(Undo("CafÃ© dÃ©jÃ\u00a0 vu Ã\u00a0 Paris"), "Café déjà vu à Paris");
  // Latin-1's reading: U+009F where windows-1252 has Ÿ.
  EXPECT_EQ(Undo("Ð\u009fÑ\u0083Ñ\u0082Ð¸Ð½"), "Путин");
}

TEST(UndoDoubleEncodingTest, LeavesOrdinaryTextAlone) {
  for (const char* text :
       {"Путин провел встречу с Токаевым", "Қазақстан Республикасы", "Сёмга, ёлка и № 5",
        "Café déjà vu à Paris", "Zürich — 5 €", "plain ASCII text", "", "Р", "РџР", "東京 – Tokyo",
        // Letters and spaces that read back as UTF-8 ("ß " as DF A0, NKo).
        "Der Spaß ist groß und der Fuß tut weh", "Pelé – Café – José – story"}) {
    EXPECT_EQ(Undo(text), text);
  }
  // Garbled in part only: left as it is (which half is right cannot be told in general).
  EXPECT_EQ(Undo("РџСѓС‚РёРЅ и Токаев"), "РџСѓС‚РёРЅ и Токаев");
  // Fewer than three characters would come back: too little to tell.
  EXPECT_EQ(Undo("Рђ Р‘"), "Рђ Р‘");
}

// Through the parser: the feed's and the item's fields come back, the other item is untouched.
TEST(UndoDoubleEncodingTest, ParsedFeedsComeBackReadable) {
  Input in;
  in.body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
      "<title>РќРѕРІРѕСЃС‚Рё</title><item><title>РџСѓС‚РёРЅ РїСЂРѕРІРµР» "
      "РІСЃС‚СЂРµС‡Сѓ</title><description>&lt;p&gt;РџСЂРµР·РёРґРµРЅС‚ "
      "Р РѕСЃСЃРёРё&lt;/p&gt;</description></item><item><title>Нормальный заголовок</title>"
      "</item></channel></rss>";
  auto feed = Parse(in, Options{});
  ASSERT_TRUE(feed.has_value()) << feed.error().ToString();
  EXPECT_EQ(feed->feed.title.value_or(""), "Новости");
  ASSERT_EQ(feed->entries.size(), 2u);
  EXPECT_EQ(feed->entries[0].title.value_or(""), "Путин провел встречу");
  EXPECT_EQ(feed->entries[0].summary.value_or(""), "<p>Президент России</p>");
  EXPECT_EQ(feed->entries[1].title.value_or(""), "Нормальный заголовок");
}

}  // namespace
}  // namespace newsd::parse
