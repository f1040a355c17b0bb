#include "dedup/codec.h"

#include <gtest/gtest.h>

namespace newsd::dedup {
namespace {

TEST(CodecTest, DocRoundTrips) {
  StoredDoc doc{"feed:1",
                "story-7",
                543000000,
                42,
                {3, 17, 1U << 30, ~0U},
                {17, 3},
                {99, 100},
                {0xABCDEF01, 7},
                {5, 1U << 31},
                0xFEDCBA9876543210,
                {3, ~0U},
                true,
                {0x12345678, 0xFFFFF001}};
  StoredDoc back;
  ASSERT_TRUE(DecodeDoc(EncodeDocKey(doc, 3600), EncodeDocValue(doc), &back));
  EXPECT_EQ(back.item, doc.item);
  EXPECT_EQ(back.story, doc.story);
  EXPECT_EQ(back.time, doc.time);
  EXPECT_EQ(back.token_count, doc.token_count);
  EXPECT_EQ(back.shingles, doc.shingles);
  EXPECT_EQ(back.lead, doc.lead);
  EXPECT_EQ(back.numbers, doc.numbers);
  EXPECT_EQ(back.titles, doc.titles);
  EXPECT_EQ(back.figures, doc.figures);
  EXPECT_EQ(back.filing, doc.filing);
  EXPECT_EQ(back.aside, doc.aside);
  EXPECT_TRUE(back.title_only);
  EXPECT_EQ(back.names, doc.names);
  EXPECT_FALSE(back.correction);
  doc.correction = true;
  ASSERT_TRUE(DecodeDoc(EncodeDocKey(doc, 3600), EncodeDocValue(doc), &back));
  EXPECT_TRUE(back.correction);
  EXPECT_TRUE(back.title_only);
  EXPECT_FALSE(back.aside_frames);
  doc.aside_frames = true;
  ASSERT_TRUE(DecodeDoc(EncodeDocKey(doc, 3600), EncodeDocValue(doc), &back));
  EXPECT_TRUE(back.aside_frames);
  EXPECT_TRUE(back.correction);
}

TEST(CodecTest, RecordsWrittenBeforeNamesStillDecode) {
  // A version-6 record is version 7 without the count of names at the end.
  StoredDoc doc{"feed:1", "story-7", 543000000, 42,  {3, 17}, {17, 3}, {99},
                {8},      {4},       9,         {5}, true,    {}};
  std::string old = EncodeDocValue(doc);
  ASSERT_EQ(old.back(), '\0');  // no names
  old.resize(old.size() - 1);
  old[0] = 6;
  StoredDoc back;
  back.names = {1, 2};
  ASSERT_TRUE(DecodeDoc(EncodeDocKey(doc, 3600), old, &back));
  EXPECT_EQ(back.aside, doc.aside);
  EXPECT_TRUE(back.title_only);
  EXPECT_TRUE(back.names.empty());
}

TEST(CodecTest, RecordsWrittenBeforeSetAsideShinglesStillDecode) {
  // A version-5 record is version 7 without the count of shingles set aside and the flags
  // byte at the end.
  StoredDoc doc{"feed:1", "story-7", 543000000, 42, {3, 17}, {17, 3}, {99},
                {8},      {4},       9,         {}, false,   {}};
  std::string old = EncodeDocValue(doc);
  ASSERT_EQ(old.substr(old.size() - 3), std::string(3, '\0'));  // nothing aside, no flag, name
  old.resize(old.size() - 3);
  old[0] = 5;
  StoredDoc back;
  back.aside = {1, 2};
  back.title_only = true;
  ASSERT_TRUE(DecodeDoc(EncodeDocKey(doc, 3600), old, &back));
  EXPECT_EQ(back.filing, 9u);
  EXPECT_TRUE(back.aside.empty());
  EXPECT_FALSE(back.title_only);
}

TEST(CodecTest, RecordsWrittenBeforeFilingKeysStillDecode) {
  // A version-4 record is version 7 without the 8-byte filing key, the count of shingles set
  // aside and the flags byte at the end.
  StoredDoc doc{"feed:1", "story-7", 543000000, 42, {3, 17}, {17, 3}, {99},
                {8},      {4},       0,         {}, false,   {}};
  std::string old = EncodeDocValue(doc);
  ASSERT_EQ(old.substr(old.size() - 11), std::string(11, '\0'));  // filing key 0, none aside
  old.resize(old.size() - 11);
  old[0] = 4;
  StoredDoc back;
  back.filing = 77;
  ASSERT_TRUE(DecodeDoc(EncodeDocKey(doc, 3600), old, &back));
  EXPECT_EQ(back.figures, doc.figures);
  EXPECT_EQ(back.filing, 0u);
}

TEST(CodecTest, RecordsWrittenBeforeFiguresStillDecode) {
  // A version-3 record is version 7 without the figure count, the filing key, the count of
  // shingles set aside and the flags byte at the end.
  StoredDoc doc{"feed:1", "story-7", 543000000, 42, {3, 17}, {17, 3}, {99},
                {8},      {},        0,         {}, false,   {}};
  std::string old = EncodeDocValue(doc);
  ASSERT_EQ(old.substr(old.size() - 12), std::string(12, '\0'));  // no figures, filing key 0
  old.resize(old.size() - 12);
  old[0] = 3;
  StoredDoc back;
  back.figures = {1, 2};
  ASSERT_TRUE(DecodeDoc(EncodeDocKey(doc, 3600), old, &back));
  EXPECT_EQ(back.titles, doc.titles);
  EXPECT_TRUE(back.figures.empty());
}

TEST(CodecTest, RecordsWrittenBeforeTitleKeysStillDecode) {
  // A version-2 record (archives written before title keys) is version 7 without the
  // title-key and figure counts, the filing key, the count of shingles set aside and the flags.
  StoredDoc doc{"feed:1", "story-7", 543000000, 42, {3, 17}, {17, 3}, {99},
                {},       {},        0,         {}, false,   {}};
  std::string old = EncodeDocValue(doc);
  ASSERT_EQ(old.substr(old.size() - 13), std::string(13, '\0'));  // the empty lists, no filing
  old.resize(old.size() - 13);
  old[0] = 2;
  StoredDoc back;
  back.titles = {1, 2};
  ASSERT_TRUE(DecodeDoc(EncodeDocKey(doc, 3600), old, &back));
  EXPECT_EQ(back.shingles, doc.shingles);
  EXPECT_EQ(back.numbers, doc.numbers);
  EXPECT_TRUE(back.titles.empty());
}

TEST(CodecTest, RejectsDamagedRecords) {
  StoredDoc doc{"x", "y", 10, 1, {1, 2, 3}, {1}, {}, {}, {}, 0, {2}, false, {}};
  std::string key = EncodeDocKey(doc, 3600), value = EncodeDocValue(doc);
  StoredDoc back;
  EXPECT_FALSE(DecodeDoc(key, value.substr(0, value.size() - 1), &back));
  EXPECT_FALSE(DecodeDoc(key.substr(0, 8), value, &back));
  EXPECT_FALSE(DecodeDoc(key, "\x07garbage", &back));
  EXPECT_FALSE(DecodeDoc(key, value + "x", &back));
}

TEST(CodecTest, BucketKeysSortByTimeIncludingNegative) {
  EXPECT_LT(EncodeBucket(-5), EncodeBucket(-1));
  EXPECT_LT(EncodeBucket(-1), EncodeBucket(0));
  EXPECT_LT(EncodeBucket(0), EncodeBucket(1));
  EXPECT_LT(EncodeBucket(1), EncodeBucket(1 << 20));
  int64_t b = 0;
  ASSERT_TRUE(DecodeBucket(EncodeBucket(-77), &b));
  EXPECT_EQ(b, -77);
  EXPECT_EQ(TimeBucket(-1, 10), -1);
  EXPECT_EQ(TimeBucket(0, 10), 0);
  EXPECT_EQ(TimeBucket(19, 10), 1);
}

}  // namespace
}  // namespace newsd::dedup
