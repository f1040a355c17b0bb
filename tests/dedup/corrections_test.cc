#include "dedup/corrections.h"

#include <gtest/gtest.h>

namespace newsd::dedup {
namespace {

TEST(AnnouncesCorrectionTest, TitlesOpeningWithACorrectionWord) {
  EXPECT_TRUE(AnnouncesCorrection("CORRECTED - GM <GM> TO IDLE SIX PLANTS"));
  EXPECT_TRUE(AnnouncesCorrection("  Correction: Oil prices rise"));
  EXPECT_TRUE(AnnouncesCorrection("ИСПРАВЛЕНО: Нефть подорожала"));
  EXPECT_TRUE(AnnouncesCorrection("Исправленная версия. Нефть подорожала"));
  EXPECT_TRUE(AnnouncesCorrection("ТҮЗЕТІЛДІ: Мұнай қымбаттады"));
  EXPECT_TRUE(AnnouncesCorrection("CORRECTED-Oil prices rise"));
  EXPECT_TRUE(AnnouncesCorrection("Correction (Refiled): Oil prices rise"));
  EXPECT_TRUE(AnnouncesCorrection("CORRECTED — Oil prices rise"));
  EXPECT_TRUE(AnnouncesCorrection("ИСПРАВЛЕНО\u00a0— Нефть подорожала"));
  EXPECT_TRUE(AnnouncesCorrection("CORRECTED\u00a0- GM TO IDLE SIX PLANTS"));
  EXPECT_TRUE(AnnouncesCorrection("CORRECTED «GM TO IDLE SIX PLANTS»"));
  EXPECT_TRUE(AnnouncesCorrection("Corrected version: GM to idle six plants"));
  EXPECT_TRUE(AnnouncesCorrection("CORRECTED \"GM TO IDLE SIX PLANTS\""));
}

TEST(AnnouncesCorrectionTest, OtherTitlesAreNone) {
  EXPECT_FALSE(AnnouncesCorrection("Court corrects ruling on GM plants"));
  EXPECT_FALSE(AnnouncesCorrection("GM corrected its forecast"));
  EXPECT_FALSE(AnnouncesCorrection("Исправительная колония закрыта"));
  EXPECT_FALSE(AnnouncesCorrection("Correctional officers strike"));
  // A headline that opens with the word is no notice.
  EXPECT_FALSE(AnnouncesCorrection("Correction deepens as tech stocks slide 10%"));
  EXPECT_FALSE(AnnouncesCorrection("CORRECTION DEEPENS AS TECH STOCKS SLIDE"));
  EXPECT_FALSE(AnnouncesCorrection("Исправление ошибок в законе отложили"));
  EXPECT_FALSE(AnnouncesCorrection("\"Corrected\" figures"));
  EXPECT_FALSE(AnnouncesCorrection(""));
  EXPECT_FALSE(AnnouncesCorrection("   "));
}

}  // namespace
}  // namespace newsd::dedup
