// Record and key encodings: exact round trips, and damaged bytes give Corruption, not a crash.

#include "storage/codec.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "tests/storage/archive_test_util.h"

namespace newsd::storage::codec {
namespace {

TEST(CodecTest, ItemRoundTripsAndRejectsEveryTruncation) {
  for (int n : {0, 1, 2}) {
    const ItemRecord item = MakeItem("id", "story", n);
    const ItemPlace place{1ull << 50, 1ull << 50};
    const std::string bytes = EncodeItem(item, place);
    ItemRecord decoded;
    ItemPlace got;
    ASSERT_TRUE(DecodeItem("id", bytes, &decoded, &got).ok());
    EXPECT_EQ(decoded, item);
    EXPECT_EQ(got, place);
    for (size_t len = 0; len < bytes.size(); ++len) {
      EXPECT_EQ(DecodeItem("id", bytes.substr(0, len), &decoded, &got).code(),
                Status::Code::kCorruption);
    }
    EXPECT_FALSE(DecodeItem("id", bytes + "x", &decoded, &got).ok());
  }
}

// A revised item keeps its time and the export key it moved to; the record without them is
// the older layout, read as never revised (archives written before revisions were kept).
TEST(CodecTest, RevisedItemRoundTripsAndItsOlderLayoutStillReads) {
  ItemRecord item = MakeItem("id", "story", 1);
  const std::string plain = EncodeItem(item, ItemPlace{7, 7});
  item.revised = 1'800'000'000;
  const ItemPlace moved{7, 4242};
  const std::string bytes = EncodeItem(item, moved);
  ASSERT_GT(bytes.size(), plain.size());
  ItemRecord decoded;
  ItemPlace got;
  ASSERT_TRUE(DecodeItem("id", bytes, &decoded, &got).ok());
  EXPECT_EQ(decoded, item);
  EXPECT_EQ(got, moved);
  ASSERT_TRUE(DecodeItem("id", bytes.substr(0, plain.size()), &decoded, &got).ok());
  EXPECT_EQ(decoded.revised, 0);
  EXPECT_EQ(got, (ItemPlace{7, 7}));
  for (size_t len = plain.size() + 1; len < bytes.size(); ++len) {
    EXPECT_EQ(DecodeItem("id", bytes.substr(0, len), &decoded, &got).code(),
              Status::Code::kCorruption);
  }
  EXPECT_EQ(ExportedOfStoryItemsValue(StoryItemsValue(moved), 7), 4242u);
  EXPECT_EQ(StoryItemsValue(ItemPlace{7, 7}), "");
  EXPECT_EQ(ExportedOfStoryItemsValue("", 7), 7u);
}

// An item whose guid its feed reused names the latest such story's item (extension 2), with
// or without a revision of its own; records of the older layouts read as never reused.
TEST(CodecTest, ReusedGuidItemRoundTripsAndOlderLayoutsStillRead) {
  ItemRecord item = MakeItem("id", "story", 1);
  const std::string plain = EncodeItem(item, ItemPlace{7, 7});
  item.reused_by = "agency-next-bulletin";
  for (UnixSeconds revised : {UnixSeconds{0}, UnixSeconds{1'800'000'000}}) {
    item.revised = revised;
    const std::string bytes = EncodeItem(item, ItemPlace{7, 7});
    ItemRecord decoded;
    ItemPlace got;
    ASSERT_TRUE(DecodeItem("id", bytes, &decoded, &got).ok());
    EXPECT_EQ(decoded, item);
    EXPECT_EQ(got, (ItemPlace{7, 7}));
    for (size_t len = plain.size() + 1; len < bytes.size(); ++len) {
      const Status s = DecodeItem("id", bytes.substr(0, len), &decoded, &got);
      EXPECT_TRUE(!s.ok() || decoded.reused_by.empty()) << len;  // ends after extension 1
    }
  }
  ItemRecord decoded;
  ItemPlace got;
  ASSERT_TRUE(DecodeItem("id", plain, &decoded, &got).ok());
  EXPECT_EQ(decoded.reused_by, "");
}

TEST(CodecTest, StoryAndFeedRoundTrip) {
  const StoryRecord story{"s", "c", -42, 7};
  StoryRecord s2;
  ASSERT_TRUE(DecodeStory("s", EncodeStory(story), &s2).ok());
  EXPECT_EQ(s2, story);
  const StoryRecord with_newest{"s", "c", -42, 7, 1'800'000'000};
  ASSERT_TRUE(DecodeStory("s", EncodeStory(with_newest), &s2).ok());
  EXPECT_EQ(s2, with_newest);
  FeedState feed = MakeFeed("f", 3);
  feed.config_url = "https://old.example/feed";
  feed.status = FeedStatus::kBackoff;
  feed.status_reason = "HTTP 503, Retry-After 10m";
  feed.retry_until = 1'800'000'000;
  feed.interval = 5400;
  feed.skip_hours = 0b111;
  feed.moved_to = "https://new.example/feed";
  feed.moved_seen = 2;
  feed.url_history.push_back(UrlMove{1'700'000'000, "https://a/", "https://b/", 3});
  feed.last_warning = "limit hit: max_items: 5000 of 100000 items kept";
  feed.body_hash = 0xfedcba9876543210ULL;
  feed.base_interval = 900;
  feed.hint_interval = 7200;
  feed.fresh_interval = 600;
  feed.answered_by = "cdn.example:443";
  feed.sent_encoding = "UTF-8";
  FeedState f2;
  const std::string bytes = EncodeFeed(feed);
  ASSERT_TRUE(DecodeFeed("f", bytes, &f2).ok());
  EXPECT_EQ(f2, feed);
  // Every truncation is refused, except the six that end where older records ended (before
  // the polling-health fields, before the parse warning, before the body hash, before the base
  // interval, before the redirect target, before the sent encoding): those decode with
  // defaults.
  std::vector<size_t> legacy_lengths;
  for (size_t len = 0; len < bytes.size(); ++len) {
    if (!DecodeFeed("f", bytes.substr(0, len), &f2).ok()) continue;
    legacy_lengths.push_back(len);
    EXPECT_EQ(f2.url, feed.url);
    EXPECT_EQ(f2.items_new, feed.items_new);
    EXPECT_TRUE(f2.sent_encoding.empty());
    if (legacy_lengths.size() < 6) {
      EXPECT_TRUE(f2.answered_by.empty());
    }
    if (legacy_lengths.size() < 5) {
      EXPECT_EQ(f2.base_interval, 0);
      EXPECT_EQ(f2.fresh_interval, 0);
    }
    if (legacy_lengths.size() < 4) {
      EXPECT_EQ(f2.body_hash, 0u);
    }
    if (legacy_lengths.size() < 3) {
      EXPECT_TRUE(f2.last_warning.empty());
    }
    if (legacy_lengths.size() == 1) {
      EXPECT_EQ(f2.status, FeedStatus::kActive);
      EXPECT_TRUE(f2.config_url.empty());
      EXPECT_TRUE(f2.url_history.empty());
    } else {
      EXPECT_EQ(f2.url_history, feed.url_history);
    }
  }
  EXPECT_EQ(legacy_lengths.size(), 6u);
  if (legacy_lengths.size() == 6) {
    ASSERT_TRUE(DecodeFeed("f", bytes.substr(0, legacy_lengths[2]), &f2).ok());
    EXPECT_EQ(f2.last_warning, feed.last_warning);
    ASSERT_TRUE(DecodeFeed("f", bytes.substr(0, legacy_lengths[3]), &f2).ok());
    EXPECT_EQ(f2.body_hash, feed.body_hash);
    ASSERT_TRUE(DecodeFeed("f", bytes.substr(0, legacy_lengths[4]), &f2).ok());
    EXPECT_EQ(f2.fresh_interval, feed.fresh_interval);
    ASSERT_TRUE(DecodeFeed("f", bytes.substr(0, legacy_lengths[5]), &f2).ok());
    EXPECT_EQ(f2.answered_by, feed.answered_by);
  }
}

TEST(CodecTest, RawBodyRoundTripsAndRejectsTruncation) {
  const RawBody raw{"f", -3, "https://example.com/f.xml", "text/xml; charset=koi8-r",
                    std::string("<rss>\0\xff</rss>", 13)};
  const std::string value = codec::EncodeRawBody(raw);
  RawBody back;
  ASSERT_TRUE(codec::DecodeRawBody("f", value, &back).ok());
  EXPECT_EQ(back, raw);
  for (size_t n = 0; n < value.size(); ++n) {
    EXPECT_EQ(codec::DecodeRawBody("f", value.substr(0, n), &back).code(),
              Status::Code::kCorruption);
  }
  EXPECT_LT(codec::RawBodyKey("f", 1), codec::RawBodyKey("f", 2));
  EXPECT_EQ(codec::SeqOfRawBodyKey(codec::RawBodyKey("f", 258), 2), 258u);
}

TEST(CodecTest, FeedControlRoundTripsAndRejectsTruncation) {
  const FeedControl c{"wire", true, "https://example.com/w.xml", "Wire \xd0\xa2", 900, true, -5,
                      7,      {}};
  const std::string value = codec::EncodeFeedControl(c);
  FeedControl back;
  ASSERT_TRUE(codec::DecodeFeedControl("wire", value, &back).ok());
  EXPECT_EQ(back, c);
  for (size_t n = 0; n < value.size(); ++n) {
    EXPECT_EQ(codec::DecodeFeedControl("wire", value.substr(0, n), &back).code(),
              Status::Code::kCorruption);
  }
  EXPECT_EQ(codec::DecodeFeedControl("wire", value + "x", &back).code(), Status::Code::kCorruption);

  // An added feed's zoneless_dates rides after the fields; a record without it (as written
  // before it existed) reads as unset.
  FeedControl zoned = c;
  zoned.zoneless_offset = -(3 * 3600 + 1800);
  const std::string zoned_value = codec::EncodeFeedControl(zoned);
  ASSERT_TRUE(codec::DecodeFeedControl("wire", zoned_value, &back).ok());
  EXPECT_EQ(back, zoned);
  EXPECT_EQ(zoned_value.substr(0, value.size()), value);
  for (size_t n = value.size() + 1; n < zoned_value.size(); ++n) {
    EXPECT_EQ(codec::DecodeFeedControl("wire", zoned_value.substr(0, n), &back).code(),
              Status::Code::kCorruption);
  }
  zoned.zoneless_offset = 15 * 3600;  // beyond any zone
  EXPECT_EQ(codec::DecodeFeedControl("wire", codec::EncodeFeedControl(zoned), &back).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(codec::SeqOfStoryItemsKey(codec::StoryItemsKey("s", 513, "i"), 2), 513u);
}

TEST(CodecTest, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  ItemRecord item;
  StoryRecord story;
  FeedState feed;
  ItemPlace place;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(rng() % 64, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    if (!bytes.empty() && i % 2) bytes[0] = kRecordFormat;
    DecodeItem("x", bytes, &item, &place).IgnoreError();
    DecodeStory("x", bytes, &story).IgnoreError();
    DecodeFeed("x", bytes, &feed).IgnoreError();
  }
  // A huge length prefix is refused, not allocated.
  EXPECT_FALSE(DecodeStory("x", std::string("\x01\xff\xff\xff\xff\x0f", 6), &story).ok());
}

TEST(CodecTest, TimeKeysSortNewestFirst) {
  const std::vector<UnixSeconds> times = {INT64_MAX, 1LL << 40, 1, 0, -1, -(1LL << 40), INT64_MIN};
  for (size_t i = 1; i < times.size(); ++i) {
    EXPECT_LT(TimeKey(times[i - 1], "s"), TimeKey(times[i], "s")) << times[i];
  }
  EXPECT_EQ(StoryOfTimeKey(TimeKey(-5, "story:1")), "story:1");
  EXPECT_EQ(StoryOfTimeKey("short"), std::nullopt);
}

TEST(CodecTest, StoryItemsKeysOrderBySeq) {
  EXPECT_LT(StoryItemsKey("s", 2, "zzz"), StoryItemsKey("s", 10, "aaa"));
  EXPECT_LT(StoryItemsKey("s", 1ull << 60, "a"), StoryItemsKey("s:", 0, "a"));
  const std::string prefix = StoryItemsPrefix("s");
  EXPECT_EQ(ItemOfStoryItemsKey(StoryItemsKey("s", 3, "item"), prefix.size()), "item");
  EXPECT_EQ(DecodeBe64(EncodeBe64(0x0102030405060708ull)), 0x0102030405060708ull);
}

}  // namespace
}  // namespace newsd::storage::codec
