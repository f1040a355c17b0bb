// items.export --since over a real archive: the first page starts where the items that arrived
// since begin, not at the archive's first item, and paging still yields exactly those items.

#include "admin/queries.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "admin/export_query.h"
#include "admin/search_query.h"
#include "tests/storage/archive_test_util.h"

namespace newsd::admin {
namespace {

using storage::Batch;
using storage::MakeItem;
using storage::Must;

constexpr UnixSeconds kBase = 1700000000;
constexpr UnixSeconds kGap = 60;  // one item a minute
constexpr int kItems = 3000;

class ExportSinceTest : public ::testing::Test {
 protected:
  void SetUp() override { archive_ = Must(impl_.Open()); }
  // kItems items, one a minute, stored in that order; item `late` (if any) arrived 5 s after
  // item `late_as` but was stored in its own place (fetched, then committed after a slow commit).
  void Fill(int late = -1, int late_as = -1) {
    Batch batch;
    for (int n = 0; n < kItems; ++n) {
      storage::ItemRecord item = MakeItem("i" + std::to_string(n), "s" + std::to_string(n), n);
      item.arrived = n == late ? ArrivalOf(late_as) + 5 : ArrivalOf(n);
      batch.PutNewItem(item);
      if (batch.items().size() == 100) {
        ASSERT_TRUE(archive_->Commit(batch).ok());
        batch.Clear();
      }
    }
  }
  UnixSeconds ArrivalOf(int n) const { return kBase + n * kGap; }
  // Every page from cursor 0 until "more" is false: the ids, and how many pages it took.
  std::vector<std::string> ExportAll(UnixSeconds since, int* pages) {
    std::vector<std::string> ids;
    ExportCursor from;
    *pages = 0;
    for (;;) {
      nlohmann::json page = Must(QueryExport(*archive_, from, 500, since));
      ++*pages;
      for (const auto& line : page["items"]) ids.push_back(line["id"].get<std::string>());
      from = Must(ParseCursor(page["cursor"].get<std::string>()));
      if (!page["more"].get<bool>()) break;
      EXPECT_LT(*pages, 20) << "export does not end";
      if (*pages >= 20) break;
    }
    return ids;
  }
  storage::RocksImpl impl_;
  std::unique_ptr<storage::Archive> archive_;
};

// A cursor this archive never gave out (another archive's, or one taken before a restore of an
// older backup) is refused, not answered with nothing for ever while the items stored under
// lower numbers go unseen; a caught-up cursor still gets an empty page.
TEST_F(ExportSinceTest, ACursorPastTheEndIsRefused) {
  Fill();
  const std::string end = CursorText(kItems, Must(archive_->ArchiveId()));
  nlohmann::json caught_up = Must(QueryExport(*archive_, {kItems, ""}, 500, std::nullopt));
  EXPECT_TRUE(caught_up["items"].empty());
  EXPECT_EQ(caught_up["cursor"], end);
  EXPECT_FALSE(caught_up["more"].get<bool>());
  Result<nlohmann::json> past = QueryExport(*archive_, {kItems + 240, ""}, 500, std::nullopt);
  ASSERT_FALSE(past.has_value()) << "a cursor past the end answered " << past->dump();
  EXPECT_EQ(past.error().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(past.error().message().find("the last cursor it gave out is " + end), std::string::npos)
      << past.error().ToString();
}

// A cursor carries the id of the archive that gave it out: another archive's cursor is
// refused, even where its number is one this archive gave out too (resuming at it would skip
// or repeat items unseen); a cursor of an earlier newsd (a plain number) is still taken.
TEST_F(ExportSinceTest, AnotherArchivesCursorIsRefused) {
  Fill();
  const std::string id = Must(archive_->ArchiveId());
  ASSERT_EQ(id.size(), 8u) << "a new archive has an id";
  nlohmann::json first = Must(QueryExport(*archive_, {}, 10, std::nullopt));
  const std::string cursor = first["items"][4]["cursor"].get<std::string>();
  EXPECT_EQ(cursor, "5-" + id);
  EXPECT_EQ(first["cursor"], "10-" + id);

  storage::RocksImpl other_impl;
  std::unique_ptr<storage::Archive> other = Must(other_impl.Open());
  const std::string other_id = Must(other->ArchiveId());
  ASSERT_NE(other_id, id) << "two archives drew the same id";
  Result<nlohmann::json> refused =
      QueryExport(*archive_, Must(ParseCursor("5-" + other_id)), 10, std::nullopt);
  ASSERT_FALSE(refused.has_value()) << "another archive's cursor answered " << refused->dump();
  EXPECT_EQ(refused.error().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(refused.error().message().rfind("export cursor 5-" + other_id, 0), 0u)
      << refused.error().ToString();
  EXPECT_NE(refused.error().message().find("another archive"), std::string::npos);

  nlohmann::json resumed = Must(QueryExport(*archive_, Must(ParseCursor(cursor)), 1, {}));
  EXPECT_EQ(resumed["items"][0]["id"], "i5");
  nlohmann::json plain = Must(QueryExport(*archive_, Must(ParseCursor("5")), 1, {}));
  EXPECT_EQ(plain["items"][0]["id"], "i5") << "a cursor without an id is taken as it is";
}

// The id survives the archive's reopening: its cursors stay good across restarts.
TEST_F(ExportSinceTest, TheArchiveIdIsKeptAcrossReopening) {
  const std::string id = Must(archive_->ArchiveId());
  archive_.reset();
  archive_ = Must(impl_.Open());
  EXPECT_EQ(Must(archive_->ArchiveId()), id);
}

TEST(ExportCursorTest, ParsesWhatExportsGiveOutAndRefusesTheRest) {
  EXPECT_EQ(Must(ParseCursor("0")).seq, 0u);
  const ExportCursor with_id = Must(ParseCursor("41-3fa9c2d1"));
  EXPECT_EQ(with_id.seq, 41u);
  EXPECT_EQ(with_id.archive, "3fa9c2d1");
  EXPECT_EQ(CursorText(with_id.seq, with_id.archive), "41-3fa9c2d1");
  EXPECT_EQ(Must(ParseCursor("41")).archive, "");
  for (const char* bad : {"", "-", "-3fa9c2d1", "41-", "41-3FA9C2D1", "41-3fa9c2d", "41-3fa9c2d1x",
                          "abc", "4x1", "12345678901234567890"}) {
    EXPECT_FALSE(ParseCursor(bad).has_value()) << bad;
  }
}

TEST_F(ExportSinceTest, FirstPageStartsAtTheItemsThatArrivedSince) {
  Fill();
  nlohmann::json page = Must(QueryExport(*archive_, {}, 500, ArrivalOf(2000)));
  ASSERT_FALSE(page["items"].empty()) << "the first page skipped nothing but early items";
  EXPECT_EQ(page["items"][0]["id"], "i2000");
  int pages = 0;
  std::vector<std::string> ids = ExportAll(ArrivalOf(2000), &pages);
  ASSERT_EQ(ids.size(), 1000u);
  for (int n = 0; n < 1000; ++n) EXPECT_EQ(ids[n], "i" + std::to_string(2000 + n));
  EXPECT_LE(pages, 3);  // 1,000 items and the skew margin, 500 a page: not six pages of nothing
}

TEST_F(ExportSinceTest, SinceBeforeTheFirstItemExportsAllAndAfterTheLastNothing) {
  Fill();
  int pages = 0;
  EXPECT_EQ(ExportAll(kBase - 10, &pages).size(), static_cast<size_t>(kItems));
  EXPECT_TRUE(ExportAll(ArrivalOf(kItems) + 1, &pages).empty());
  EXPECT_EQ(pages, 1);
}

TEST_F(ExportSinceTest, ItemsStoredOutOfArrivalOrderAreStillExported) {
  // Item 1950 arrived after item 2000 (storage order and arrival order disagree by 50 minutes,
  // within the skew an export allows for): an export since item 2000's arrival has it too.
  Fill(/*late=*/1950, /*late_as=*/2000);
  int pages = 0;
  std::vector<std::string> ids = ExportAll(ArrivalOf(2000), &pages);
  ASSERT_EQ(ids.size(), 1001u);
  EXPECT_EQ(ids.front(), "i1950");
  EXPECT_EQ(ids[1], "i2000");
}

// A search reply stays a line newsctl reads: it stops at about max_bytes of text and says
// that more may match.
TEST_F(ExportSinceTest, SearchStopsAtItsByteBudget) {
  Batch batch;
  for (int n = 0; n < 300; ++n) {
    const std::string story = "s" + std::to_string(n);
    batch.PutNewItem(MakeItem("i" + std::to_string(n), story, n));
    batch.PutNewStory(storage::MakeStory(story, kBase + n));
  }
  ASSERT_TRUE(archive_->Commit(batch).ok());
  auto same = [](std::string_view t) { return std::string(t); };
  nlohmann::json all = Must(QuerySearch(*archive_, "Title", 10000, 100000, same));
  ASSERT_GT(all["items"].size(), 100u);
  EXPECT_TRUE(all["complete"].get<bool>());
  nlohmann::json cut = Must(QuerySearch(*archive_, "Title", 10000, 100000, same, 100 * 512));
  EXPECT_GT(cut["items"].size(), 50u);
  EXPECT_LE(cut["items"].size(), 100u);
  EXPECT_FALSE(cut["complete"].get<bool>());
  EXPECT_EQ(cut["stopped"], "bytes");
  nlohmann::json few = Must(QuerySearch(*archive_, "Title", 10, 100000, same));
  EXPECT_EQ(few["stopped"], "limit");
}

// A query's words are all wanted, in any order, in the title or the text; a quoted phrase as
// written; a word that normalises to several ("AT&T") stays a phrase.
TEST_F(ExportSinceTest, SearchWantsEveryWordAndQuotedPhrasesAsWritten) {
  auto lower = [](std::string_view t) {
    std::string out;
    for (char c : t) {
      if (c == '&' || c == ',') {
        out.push_back(' ');
      } else if (c != '"') {
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
    }
    return out;
  };
  EXPECT_EQ(SearchTerms("tenge  dollar", lower), (std::vector<std::string>{"tenge", "dollar"}));
  EXPECT_EQ(SearchTerms("\"wheat exports\" Kazakhstan", lower),
            (std::vector<std::string>{"wheat exports", "kazakhstan"}));
  EXPECT_EQ(SearchTerms("AT&T", lower), (std::vector<std::string>{"at t"}));
  EXPECT_TRUE(SearchTerms(" \"\" ", lower).empty());
  // A ticker as wire texts write it: the brackets are punctuation, not markup.
  EXPECT_EQ(SearchTerms("British Petroleum <BP>", lower),
            (std::vector<std::string>{"british", "petroleum", "bp"}));
  // Words the normaliser reads together (number words) are taken as it reads them.
  auto numbers = [&](std::string_view t) {
    std::string out = lower(t);
    for (size_t at; (at = out.find("twenty five")) != std::string::npos;) out.replace(at, 11, "25");
    return out;
  };
  EXPECT_EQ(SearchTerms("twenty five tonnes", numbers), (std::vector<std::string>{"25", "tonnes"}));
  EXPECT_EQ(SearchTerms("AT&T five", numbers), (std::vector<std::string>{"at t", "five"}));

  Batch batch;
  const std::pair<const char*, const char*> items[] = {
      {"Tenge steady", "The tenge traded at 520 per US dollar."},
      {"Dollar falls", "The dollar fell against the euro."},
      {"Wheat", "Kazakhstan raised its exports of wheat."}};
  int n = 0;
  for (const auto& [title, text] : items) {
    const std::string id = "i" + std::to_string(n);
    storage::ItemRecord item = MakeItem(id, "s" + id, n);
    item.title = title;
    item.text = text;
    batch.PutNewItem(item);
    batch.PutNewStory(storage::MakeStory("s" + id, kBase + n++));
  }
  ASSERT_TRUE(archive_->Commit(batch).ok());
  auto ids = [&](std::string_view query) {
    std::vector<std::string> out;
    const nlohmann::json found = Must(QuerySearch(*archive_, query, 10, 100, lower));
    for (const auto& item : found["items"]) out.push_back(item["id"]);
    return out;
  };
  EXPECT_EQ(ids("dollar tenge"), (std::vector<std::string>{"i0"}));
  EXPECT_EQ(ids("dollar"), (std::vector<std::string>{"i1", "i0"}));
  EXPECT_EQ(ids("wheat exports"), (std::vector<std::string>{"i2"}));
  EXPECT_TRUE(ids("\"wheat exports\"").empty());
  EXPECT_EQ(ids("\"exports of wheat\""), (std::vector<std::string>{"i2"}));
}

TEST_F(ExportSinceTest, StoryShowTakesAnItemIdForItsStory) {
  Batch batch;
  batch.PutNewItem(MakeItem("first", "story-1", 0));
  batch.PutNewItem(MakeItem("copy", "story-1", 1));
  batch.PutNewStory(storage::MakeStory("story-1", kBase));
  ASSERT_TRUE(archive_->Commit(batch).ok());
  nlohmann::json by_item = Must(QueryStory(*archive_, "copy"));
  EXPECT_EQ(by_item["story"]["id"], "story-1") << by_item;
  Result<nlohmann::json> none = QueryStory(*archive_, "nothing");
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code(), Status::Code::kNotFound);
}

TEST(HostsTest, FileFeedsHaveNoHostRow) {
  storage::HostStats web, file;
  web.host = "example.com:443";
  web.requests = 3;
  file.requests = 5;  // file:// feeds: counted under no host
  nlohmann::json report = HostsJson(std::vector<storage::HostStats>{web, file}, kBase);
  ASSERT_EQ(report["hosts"].size(), 1u) << report;
  EXPECT_EQ(report["hosts"][0]["host"], "example.com:443");
}

// A host's Retry-After hold shows while it lasts; once it ended the host is blocked no more
// (the counters keep its history).
TEST(HostsTest, AHoldThatEndedBlocksNothing) {
  storage::HostStats host;
  host.host = "example.com:443";
  host.requests = 4;
  host.throttled = 1;
  host.blocked_until = kBase + 600;
  const auto blocked_until = [&](UnixSeconds now) {
    return HostsJson(std::vector<storage::HostStats>{host}, now)["hosts"][0]["blocked_until"];
  };
  EXPECT_EQ(blocked_until(kBase), FormatIso8601(kBase + 600));
  EXPECT_EQ(blocked_until(kBase + 600), "");
  EXPECT_EQ(blocked_until(kBase + 86400), "");
}

TEST(SearchTest, MatchesFromTheStartOfAWordAndNumbersWhole) {
  EXPECT_TRUE(ContainsAtWordStart("в казахстане выросло", "казах"));
  EXPECT_TRUE(ContainsAtWordStart("казахстан", "казахстан"));
  EXPECT_FALSE(ContainsAtWordStart("рыночная стоимость", "стоим ость"));
  EXPECT_FALSE(ContainsAtWordStart("мы в казахстане", "захст"));
  // Numbers (and number words, which normalise to digits) match whole numbers only.
  EXPECT_TRUE(ContainsAtWordStart("на 20 мест", "20"));
  EXPECT_TRUE(ContainsAtWordStart("on 1 may 20", "20"));
  EXPECT_FALSE(ContainsAtWordStart("in 2025 and 2030", "20"));
  EXPECT_FALSE(ContainsAtWordStart("сад на 320 мест", "20"));
  EXPECT_TRUE(ContainsAtWordStart("ends in\n20 lines", "20 lines"));
  // So do words of one or two letters: "US" is no start of "user", "AT&T" (at t) none of
  // "at the"; from three letters on, a word is a start ("в алм" finds "в алматы").
  EXPECT_TRUE(ContainsAtWordStart("us sanctions", "us"));
  EXPECT_FALSE(ContainsAtWordStart("every user", "us"));
  EXPECT_TRUE(ContainsAtWordStart("shares of at t rose", "at t"));
  EXPECT_FALSE(ContainsAtWordStart("shares rose at the close", "at t"));
  EXPECT_FALSE(ContainsAtWordStart("ел ордасы", "ел о"));
  EXPECT_TRUE(ContainsAtWordStart("офис в алматыда", "в алм"));
  EXPECT_TRUE(ContainsAtWordStart("ел ор", "ел ор"));
}

}  // namespace
}  // namespace newsd::admin
