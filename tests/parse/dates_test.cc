#include "parse/dates.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace newsd::parse {
namespace {

std::string Rfc(std::string_view s) {
  auto t = ParseRfc822Date(s);
  return t ? FormatIso8601(*t) : "none";
}

std::string W3c(std::string_view s) {
  auto t = ParseW3cDate(s);
  return t ? FormatIso8601(*t) : "none";
}

std::string Any(std::string_view s) {
  auto t = ParseFeedDate(s);
  return t ? FormatIso8601(*t) : "none";
}

TEST(ParseRfc822DateTest, StandardForms) {
  EXPECT_EQ(Rfc("Thu, 01 Jan 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z");
  EXPECT_EQ(Rfc("09 Feb 2006 23:59:45 +0000"), "2006-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("Thu, 9 Feb 2006 23:59:45 +0000"), "2006-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("Thu, 09 Feb 2006 23:59 +0000"), "2006-02-09T23:59:00Z");
  EXPECT_EQ(Rfc("Thu, 01 Jan 2004 00:00 GMT"), "2004-01-01T00:00:00Z");
}

// A field of more digits than an int holds is no date (before, the year's digits overflowed: a
// fault under UBSan, some year or other without it).
TEST(ParseFeedDateTest, FieldsTooLongForAnyDateAreNoDate) {
  EXPECT_EQ(Rfc("Mon, 01 Jan 123456789012 10:00:00 GMT"), "none");
  EXPECT_EQ(Any("2006/09/123456789012"), "none");
  EXPECT_EQ(Any("123456789012/09/15"), "none");
  EXPECT_EQ(W3c("2006-09-123456789012"), "none");
  EXPECT_EQ(Any("Mon, 01 Jan 99999999999999999999 10:00:00 GMT"), "none");
}

// A CMS's database timestamp written as the date: seconds (PHP) or milliseconds (JavaScript)
// since 1970, read when in 2001-2099; other runs of digits are no date.
TEST(ParseFeedDateTest, AUnixTimestampIsRead) {
  EXPECT_EQ(Any("1709625780"), "2024-03-05T08:03:00Z");
  EXPECT_EQ(Any(" 1709625780123 "), "2024-03-05T08:03:00Z");
  EXPECT_EQ(Any("0000000001"), "none");
  EXPECT_EQ(Any("9999999999"), "none");
  EXPECT_EQ(Any("17096257801"), "none");
}

TEST(ParseRfc822DateTest, TwoDigitYears) {
  EXPECT_EQ(Rfc("Thu, 09 Feb 06 23:59:45 +0000"), "2006-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("Fri, 09 Feb 96 23:59:45 +0000"), "1996-02-09T23:59:45Z");
  // Four digits are the year as written: Hugo's unset date is year 1, not 2001 (newsd files
  // such an item undated: KnownDate).
  EXPECT_EQ(Rfc("Mon, 01 Jan 0001 00:00:00 +0000").substr(0, 4), "0001");
  EXPECT_NE(Rfc("Mon, 01 Jan 0001 00:00:00 +0000"), "2001-01-01T00:00:00Z");
}

TEST(ParseRfc822DateTest, ZonesAreConvertedToUtc) {
  EXPECT_EQ(Rfc("31 Dec 2002 14:20:20 EST"), "2002-12-31T19:20:20Z");
  EXPECT_EQ(Rfc("31 Dec 2002 14:20:20 EDT"), "2002-12-31T18:20:20Z");
  EXPECT_EQ(Rfc("Thu, 09 Feb 2006 16:59:45 pDt"), "2006-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("31 Dec 2002 14:20:20 -0234"), "2002-12-31T16:54:20Z");
  EXPECT_EQ(Rfc("Mon, 21 Oct 2002 14:04:23 -05:00"), "2002-10-21T19:04:23Z");
  EXPECT_EQ(Rfc("Thu, 30 Apr 2015 08:57:00 MET"), "2015-04-30T07:57:00Z");
  EXPECT_EQ(Rfc("Wed, 19 Aug 2009 18:28:00 Etc/GMT"), "2009-08-19T18:28:00Z");
  EXPECT_EQ(Rfc("Wed, 19 Feb 2012 22:40:00 GMT-01:01"), "2012-02-19T23:41:00Z");
  EXPECT_EQ(Rfc("Mon, 26 January 2004 16:31:00 PT"), "2004-01-27T00:31:00Z");
}

TEST(ParseRfc822DateTest, MilitaryZones) {
  EXPECT_EQ(Rfc("Thu, 09 Feb 2006 23:59:45 Z"), "2006-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("Thu, 09 Feb 2006 16:59:45 G"), "2006-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("Fri, 10 Feb 2006 03:59:45 Q"), "2006-02-09T23:59:45Z");
}

TEST(ParseRfc822DateTest, CommentsAndWhitespace) {
  EXPECT_EQ(Rfc("Thu(oh how I hate thursdays), 9(th) Feb(ruary) 2006 23:59:45 +0000(GMT r0x0rz)"),
            "2006-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("Thu, 09 (nested (comment) Mar)Feb(escaped comment\\) 2005) 2006()23:59:45 +0000"),
            "2006-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("\tThu , \t 09  Feb\t2006  23:59:45\t +0000"), "2006-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("\n Thu,\n 09 Feb 2006\n 23:59:45 +0000\n"), "2006-02-09T23:59:45Z");
}

TEST(ParseRfc822DateTest, AsctimeAndSlashes) {
  EXPECT_EQ(Rfc("Sun Jan  4 16:29:06 2004"), "2004-01-04T16:29:06Z");
  EXPECT_EQ(Rfc("Fri, 2006/09/15 08:19:53 EDT"), "2006-09-15T12:19:53Z");
}

TEST(ParseRfc822DateTest, DatesOutsideUnixRange) {
  EXPECT_EQ(Rfc("Sun, 09 Feb 1806 23:59:45 +0000"), "1806-02-09T23:59:45Z");
  EXPECT_EQ(Rfc("Tue, 09 Feb 2106 23:59:45 +0000"), "2106-02-09T23:59:45Z");
}

// Zone names feedparser knows ("AT") apply; ones nobody lists (CHOT, WITA) read as UTC rather
// than losing the date; a zone name after a numeric offset changes nothing.
TEST(ParseRfc822DateTest, UnknownAndDoubledZones) {
  EXPECT_EQ(Rfc("Mon, 26 January 2004 16:31:00 AT"), "2004-01-26T20:31:00Z");
  EXPECT_EQ(Rfc("Thu, 01 Jan 2004 19:48:21 CHOT"), "2004-01-01T19:48:21Z");
  EXPECT_EQ(Rfc("Thu, 01 Jan 2004 19:48:21 WITA"), "2004-01-01T19:48:21Z");
  EXPECT_EQ(Rfc("Thu, 01 Jan 2004 19:48:21 +0000 GMT"), "2004-01-01T19:48:21Z");
  EXPECT_EQ(Rfc("Thu, 01 Jan 2004 19:48:21 +0300 MSK"), "2004-01-01T16:48:21Z");
  EXPECT_EQ(Rfc("Thu, 01 Jan 2004 19:48:21 Moscowtime"), "none");
  // An offset given twice (a template appending the zone again): the first stands.
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 +0300 +0300"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 +0300 +0500"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 +0300 +03zz"), "none");
  // An offset that lost a digit: "+030" as feedparser reads it, "+530" as India's +05:30.
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 +030"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 +530"), "2026-12-06T04:30:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 +200"), "2026-12-06T08:00:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 +100"), "2026-12-06T09:00:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 -330"), "2026-12-06T13:30:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 +035"), "2026-12-06T06:55:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 10:00:00 +990"), "none");
  // A 12-hour clock is not a zone.
  EXPECT_EQ(Rfc("Tue, 10 Jun 2003 04:00:00 PM GMT"), "2003-06-10T16:00:00Z");
  EXPECT_EQ(Rfc("Tue, 10 Jun 2003 12:30:00 am +0100"), "2003-06-09T23:30:00Z");
  EXPECT_EQ(Rfc("Tue, 10 Jun 2003 16:00:00 PM GMT"), "none");
}

// Russian and Central Asian zones, as RU/KZ feeds write them.
TEST(ParseRfc822DateTest, RussianAndCentralAsianZones) {
  const std::pair<const char*, const char*> kZones[] = {
      {"MSK", "07"},  {"MSD", "06"},  {"SAMT", "06"}, {"YEKT", "05"}, {"OMST", "04"},
      {"NOVT", "03"}, {"KRAT", "03"}, {"IRKT", "02"}, {"YAKT", "01"}, {"VLAT", "00"},
      {"AQTT", "05"}, {"ORAT", "05"}, {"UZT", "05"},  {"KGT", "04"},  {"TJT", "05"},
  };
  for (const auto& [zone, utc_hour] : kZones) {
    EXPECT_EQ(Rfc(std::string("Thu, 03 Dec 2026 10:00:00 ") + zone),
              std::string("2026-12-03T") + utc_hour + ":00:00Z")
        << zone;
  }
  EXPECT_EQ(Rfc("Thu, 03 Dec 2026 10:00:00 MAGT"), "2026-12-02T23:00:00Z");
}

// Kazakhstan moved to UTC+5 on 2024-03-01, Qyzylorda on 2018-12-21: the date decides.
TEST(ParseRfc822DateTest, ZonesThatChangedFollowTheDate) {
  EXPECT_EQ(Rfc("Thu, 03 Dec 2026 10:00:00 ALMT"), "2026-12-03T05:00:00Z");
  EXPECT_EQ(Rfc("Fri, 01 Mar 2024 10:00:00 ALMT"), "2024-03-01T05:00:00Z");
  EXPECT_EQ(Rfc("Thu, 29 Feb 2024 10:00:00 ALMT"), "2024-02-29T04:00:00Z");
  EXPECT_EQ(Rfc("Thu, 03 Dec 2026 10:00:00 QYZT"), "2026-12-03T05:00:00Z");
  EXPECT_EQ(Rfc("Fri, 21 Dec 2018 10:00:00 QYZT"), "2018-12-21T05:00:00Z");
  EXPECT_EQ(Rfc("Thu, 20 Dec 2018 10:00:00 QYZT"), "2018-12-20T04:00:00Z");
  EXPECT_EQ(Rfc("Sun Jan  4 16:29:06 ALMT 2004"), "2004-01-04T10:29:06Z");
  // "KZT", as Kazakh sites write Almaty's time, follows it (it read as UTC: 5 hours late).
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 12:00:00 KZT"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Rfc("Thu, 29 Feb 2024 10:00:00 KZT"), "2024-02-29T04:00:00Z");
}

// The tz database's Etc/GMT-5 is five hours east of UTC (POSIX signs), the other way round
// from "GMT-5"; a zone no table knows is a date without a zone (the feed's zoneless offset).
TEST(ParseRfc822DateTest, EtcZonesHavePosixSignsAndUnknownZonesAreZoneless) {
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 12:00:00 Etc/GMT-5"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 12:00:00 Etc/GMT+3"), "2026-12-06T15:00:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 12:00:00 GMT-5"), "2026-12-06T17:00:00Z");
  EXPECT_EQ(Rfc("Sun, 06 Dec 2026 12:00:00 WITA"), "2026-12-06T12:00:00Z");
  const auto at = ParseRfc822Date("Sun, 06 Dec 2026 12:00:00 WITA", 5 * 3600);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(FormatIso8601(*at), "2026-12-06T07:00:00Z");
}

// Russia's zones were an hour ahead from 2011-03-27 to 2014-10-26; Novosibirsk (2016-07-24)
// and Magadan (2016-04-24) moved again later.
TEST(ParseRfc822DateTest, RussianZonesFollowTheirHistory) {
  EXPECT_EQ(Rfc("Sun, 01 Jul 2012 12:00:00 MSK"), "2012-07-01T08:00:00Z");
  EXPECT_EQ(Rfc("Sat, 26 Mar 2011 12:00:00 MSK"), "2011-03-26T09:00:00Z");
  EXPECT_EQ(Rfc("Sun, 26 Oct 2014 12:00:00 MSK"), "2014-10-26T09:00:00Z");
  EXPECT_EQ(Rfc("Sun, 01 Jul 2012 12:00:00 YEKT"), "2012-07-01T06:00:00Z");
  EXPECT_EQ(Rfc("Wed, 01 Jul 2015 12:00:00 NOVT"), "2015-07-01T06:00:00Z");
  EXPECT_EQ(Rfc("Mon, 01 Aug 2016 12:00:00 NOVT"), "2016-08-01T05:00:00Z");
  EXPECT_EQ(Rfc("Wed, 01 Jul 2015 12:00:00 MAGT"), "2015-07-01T02:00:00Z");
  EXPECT_EQ(Rfc("Sun, 01 Jul 2012 12:00:00 MAGT"), "2012-07-01T00:00:00Z");
}

TEST(ParseRfc822DateTest, InvalidDatesAreNotGuessed) {
  EXPECT_EQ(Rfc("Sun, 16 zzz 2012 11:47:32 GMT"), "none");
  EXPECT_EQ(Rfc("Sun, 16 Dec 2012 11:47:32 +zz:00"), "none");
  EXPECT_EQ(Rfc("Sun, 16 Dec 2012 11:47:32 +00:zz"), "none");
  EXPECT_EQ(Rfc("Sun, 31 Feb 2012 11:47:32 GMT"), "none");
  EXPECT_EQ(Rfc("Sun, 16 Dec 2012 25:47:32 GMT"), "none");
  EXPECT_EQ(Rfc(""), "none");
  EXPECT_EQ(Rfc("yesterday"), "none");
}

// Dates in one token: RFC 850's (HTTP's obsolete form) and the day-first dotted forms.
TEST(ParseRfc822DateTest, JoinedDates) {
  EXPECT_EQ(Rfc("Saturday, 05-Dec-26 10:00:00 GMT"), "2026-12-05T10:00:00Z");
  EXPECT_EQ(Rfc("Sat, 05-Dec-2026 10:00:00 +0300"), "2026-12-05T07:00:00Z");
  EXPECT_EQ(Rfc("05.12.2026 10:00 +0300"), "2026-12-05T07:00:00Z");
  EXPECT_EQ(Rfc("05.12.2026, 10:00:30"), "2026-12-05T10:00:30Z");
  EXPECT_EQ(Rfc("5.1.2026"), "2026-01-05T00:00:00Z");
  EXPECT_EQ(Rfc("13.13.2026 10:00"), "none");
  EXPECT_EQ(Rfc("31.02.2026"), "none");
  // Two-digit years as in RFC 822 (<50 is 20xx), day first as RU/KZ sites write them.
  EXPECT_EQ(Rfc("05.12.26 10:00"), "2026-12-05T10:00:00Z");
  EXPECT_EQ(Rfc("05.12.026 10:00"), "none");
  EXPECT_EQ(Rfc("05-Foo-2026 10:00"), "none");
  EXPECT_EQ(Rfc("1.2.3"), "none");
}

TEST(ParseW3cDateTest, Forms) {
  EXPECT_EQ(W3c("2003"), "2003-01-01T00:00:00Z");
  EXPECT_EQ(W3c("2003-12"), "2003-12-01T00:00:00Z");
  EXPECT_EQ(W3c("2003-12-31"), "2003-12-31T00:00:00Z");
  EXPECT_EQ(W3c("2003-12-31T10:14:55Z"), "2003-12-31T10:14:55Z");
  EXPECT_EQ(W3c("2003-12-31T10:14:55.1234Z"), "2003-12-31T10:14:55Z");
  EXPECT_EQ(W3c("2003-02-28T18:14:55-08:00"), "2003-03-01T02:14:55Z");
  EXPECT_EQ(W3c("2000-02-28T18:14:55-08:00"), "2000-02-29T02:14:55Z");
  EXPECT_EQ(W3c("2004-07-08 23:56:58 -00:20"), "2004-07-09T00:16:58Z");
  EXPECT_EQ(W3c("2004-07-08 23:56:58"), "2004-07-08T23:56:58Z");
  EXPECT_EQ(W3c("2004-07-08 23:56:58.0"), "2004-07-08T23:56:58Z");
  EXPECT_EQ(W3c("20031231T101455Z"), "2003-12-31T10:14:55Z");
}

TEST(ParseW3cDateTest, OrdinalAndShortYears) {
  EXPECT_EQ(W3c("03335"), "2003-12-01T00:00:00Z");
  EXPECT_EQ(W3c("-03-12"), "2003-12-01T00:00:00Z");
  EXPECT_EQ(W3c("2003-335"), "2003-12-01T00:00:00Z");
  EXPECT_EQ(W3c("031231"), "2003-12-31T00:00:00Z");
  EXPECT_EQ(W3c("03-12-31"), "2003-12-31T00:00:00Z");
  EXPECT_EQ(W3c("971231"), "1997-12-31T00:00:00Z");
  EXPECT_EQ(W3c("03-12"), "none");
  EXPECT_EQ(W3c("031331"), "none");
}

TEST(ParseW3cDateTest, InvalidDatesAreNotGuessed) {
  EXPECT_EQ(W3c("9999-12-31T23:59:59-99:99"), "none");
  EXPECT_EQ(W3c("2003-12-31T10:14:61Z"), "none");
  EXPECT_EQ(W3c("2013-01-28T11:30:00-06:00Textra"), "none");
  EXPECT_EQ(W3c("2013-xx-27"), "none");
  EXPECT_EQ(W3c("2013-01-28T09:xx:00Z"), "none");
  EXPECT_EQ(W3c("2013-13-01"), "none");
}

TEST(ParseFeedDateTest, AcceptsBothFamilies) {
  EXPECT_EQ(Any("2026-02-03T04:05:06Z"), "2026-02-03T04:05:06Z");
  EXPECT_EQ(Any("Tue, 03 Feb 2026 04:05:06 GMT"), "2026-02-03T04:05:06Z");
  EXPECT_EQ(Any("not a date"), "none");
}

TEST(ParseFeedDateTest, LocalizedForms) {
  EXPECT_EQ(Any("2004년 05월 28일  01:31:15"), "2004-05-27T16:31:15Z");
  EXPECT_EQ(Any("2004-05-25 오후 11:23:17"), "2004-05-25T14:23:17Z");
  EXPECT_EQ(Any("Κυρ, 11 Ιούλ 2004 12:00:00 EST"), "2004-07-11T17:00:00Z");
  EXPECT_EQ(Any("2004-július-13T9:15-05:00"), "2004-07-13T14:15:00Z");
}

// "GMT" followed by an offset: the offset is the zone.
TEST(ParseRfc822DateTest, GmtFollowedByAnOffset) {
  EXPECT_EQ(Rfc("Thu, 03 Dec 2026 10:00:00 GMT +0300"), "2026-12-03T07:00:00Z");
  EXPECT_EQ(Rfc("Thu, 03 Dec 2026 10:00:00 UTC -05:00"), "2026-12-03T15:00:00Z");
  EXPECT_EQ(Rfc("Thu, 03 Dec 2026 10:00:00 +0300 GMT"), "2026-12-03T07:00:00Z");
}

TEST(ParseFeedDateTest, NoBreakSpacesSeparateFields) {
  EXPECT_EQ(Any("Thu, 03 Dec 2026\u00a010:00:00 +0300"), "2026-12-03T07:00:00Z");
  EXPECT_EQ(Any("2026-12-03\u00a010:00:00+03:00"), "2026-12-03T07:00:00Z");
}

// Java's ZonedDateTime (and RFC 9557) name the zone in brackets after the offset.
TEST(ParseFeedDateTest, AZoneIdInBracketsAfterTheOffset) {
  EXPECT_EQ(ParseFeedDate("2023-01-02T10:00:00+03:00[Europe/Moscow]"), 1672642800);
  EXPECT_EQ(ParseFeedDate("Mon, 02 Jan 2023 10:00:00 +0300 [Europe/Moscow]"), 1672642800);
  EXPECT_FALSE(ParseFeedDate("[Europe/Moscow]").has_value());
  EXPECT_FALSE(ParseFeedDate("tomorrow [Europe/Moscow]").has_value());
  // One suffix, a zone's name: no more is taken off.
  EXPECT_FALSE(ParseFeedDate("Mon, 02 Jan 2023 10:00:00 GMT[][]").has_value());
  EXPECT_FALSE(ParseFeedDate("Mon, 02 Jan 2023 10:00:00 GMT[a][b]").has_value());
}

TEST(ParseFeedDateTest, IsoDateWithAZoneName) {
  EXPECT_EQ(Any("2026-12-03T10:00:00 MSK"), "2026-12-03T07:00:00Z");
  EXPECT_EQ(Any("2026-12-03 10:00:00 ALMT"), "2026-12-03T05:00:00Z");
  EXPECT_EQ(Any("2013-01-28T11:30:00-06:00Textra"), "none");
}

TEST(ParseFeedDateTest, RussianAndKazakhDates) {
  EXPECT_EQ(Any("3 декабря 2026 10:00 +0300"), "2026-12-03T07:00:00Z");
  EXPECT_EQ(Any("Чт, 03 дек 2026 10:00:00 +0300"), "2026-12-03T07:00:00Z");
  EXPECT_EQ(Any("чт, 03 Дек. 2026 10:00:00 +0300"), "2026-12-03T07:00:00Z");
  EXPECT_EQ(Any("Четверг, 3 Декабрь 2026 г. 10:00 +0300"), "2026-12-03T07:00:00Z");
  EXPECT_EQ(Any("1 мая 2026 10:00 +0300"), "2026-05-01T07:00:00Z");
  EXPECT_EQ(Any("03 желтоқсан 2026 10:00 +0500"), "2026-12-03T05:00:00Z");
  EXPECT_EQ(Any("Бс, 03 Желтоқсан 2026 10:00 +0500"), "2026-12-03T05:00:00Z");
  EXPECT_EQ(Any("12 қыркүйек 2025 ж. 09:30 +0500"), "2025-09-12T04:30:00Z");
  // Abbreviations and the zone of Moscow time, Kazakh 3-letter months, dates in digits.
  EXPECT_EQ(Any("5 нояб. 2026 г. 10:00 +0300"), "2026-11-05T07:00:00Z");
  EXPECT_EQ(Any("05 декабря 2026 10:00 МСК"), "2026-12-05T07:00:00Z");
  EXPECT_EQ(Any("Сенбі, 05 Жел 2026 10:00:00 +0500"), "2026-12-05T05:00:00Z");
  EXPECT_EQ(Any("05 қаз 2026 10:00 +0500"), "2026-10-05T05:00:00Z");
  EXPECT_EQ(Any("05.12.2026 10:00 МСК"), "2026-12-05T07:00:00Z");
  EXPECT_EQ(Any("3 декабрьский 2026 10:00 +0300"), "none");
  EXPECT_EQ(Any("вчера в 10:00 МСК"), "none");
  EXPECT_EQ(Any("вчера в 10:00"), "none");
}

std::string In(int offset, std::string_view s) {
  auto t = ParseFeedDate(s, offset);
  return t ? FormatIso8601(*t) : "none";
}

constexpr int kHour = 3600;

// Orders and words RU/KZ sites write besides "6 декабря 2026 12:00": the time first, the
// Kazakh year first ("2026 жылғы"), "сағат" (o'clock), a two-digit year in digits.
TEST(ParseFeedDateTest, RussianAndKazakhDatesInOtherOrders) {
  EXPECT_EQ(Any("12:00, 6 декабря 2026"), "2026-12-06T12:00:00Z");
  EXPECT_EQ(Any("12:00 06 декабря 2026 МСК"), "2026-12-06T09:00:00Z");
  EXPECT_EQ(Any("2026 жылғы 6 желтоқсан 12:00"), "2026-12-06T12:00:00Z");
  EXPECT_EQ(Any("2026 жылғы 6 желтоқсан, сағат 12:00 +0500"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Any("6 декабря 2026 года, 12:00"), "2026-12-06T12:00:00Z");
  EXPECT_EQ(Any("06.12.26 12:00"), "2026-12-06T12:00:00Z");
  EXPECT_EQ(Any("06.12.99 12:00"), "1999-12-06T12:00:00Z");
  // Two days, or two years, are no date.
  EXPECT_EQ(Any("12:00, 6 декабря 7 2026"), "none");
  EXPECT_EQ(Any("2026 2025 6 желтоқсан 12:00"), "none");
}

// Day and month slashed before the year: .NET's US format is month first with a 12-hour clock;
// a field over 12 can only be the day; on a 24-hour clock both orders are written.
TEST(ParseFeedDateTest, SlashedDayAndMonth) {
  EXPECT_EQ(Any("12/6/2026 12:00:00 PM"), "2026-12-06T12:00:00Z");
  EXPECT_EQ(Any("12/6/2026 1:05:00 AM"), "2026-12-06T01:05:00Z");
  EXPECT_EQ(Any("06/12/2026 14:00"), "none");  // 24-hour clock: both orders are written
  EXPECT_EQ(Any("12/06/2026 14:00:00"), "none");
  EXPECT_EQ(Any("05/05/2026 14:00:00"), "2026-05-05T14:00:00Z");  // either way the same
  EXPECT_EQ(Any("25/12/2026 10:00 +0300"), "2026-12-25T07:00:00Z");
  EXPECT_EQ(Any("12/25/2026 10:00"), "2026-12-25T10:00:00Z");
  EXPECT_EQ(Any("25/12/2026 10:00:00 PM"), "2026-12-25T22:00:00Z");
  EXPECT_EQ(Any("13/13/2026 10:00"), "none");
  EXPECT_EQ(Any("1/2/3/2026 10:00"), "none");
  EXPECT_EQ(Any("2006/09/15 08:19:53 EDT"), "2006-09-15T12:19:53Z");
}

// Zones as some engines write them: a one-digit hour, "GMT+0500" after an ISO date, tz database
// names (known ones by their offset, others as zoneless).
TEST(ParseFeedDateTest, ZonesWrittenOtherwise) {
  EXPECT_EQ(Any("Sun, 06 Dec 2026 12:00:00 +5:00"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Any("Sun, 06 Dec 2026 12:00:00 -3:30"), "2026-12-06T15:30:00Z");
  EXPECT_EQ(Any("2026-12-06T12:00:00 GMT+0500"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Any("2026-12-06T12:00:00 UTC+05:00"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Any("Sun, 06 Dec 2026 12:00:00 Asia/Almaty"), "2026-12-06T07:00:00Z");
  EXPECT_EQ(Any("Fri, 06 Dec 2019 12:00:00 Asia/Almaty"), "2019-12-06T06:00:00Z");
  EXPECT_EQ(Any("2026-12-06T12:00:00 Europe/Moscow"), "2026-12-06T09:00:00Z");
  EXPECT_EQ(Any("2013-12-06T12:00:00 Europe/Moscow"), "2013-12-06T08:00:00Z");
  EXPECT_EQ(Any("2026-12-06 12:00:00 Asia/Kolkata"), "2026-12-06T06:30:00Z");
  EXPECT_EQ(In(3 * kHour, "2026-12-06T12:00:00 Europe/Berlin"), "2026-12-06T09:00:00Z");
  EXPECT_EQ(In(3 * kHour, "Sun, 06 Dec 2026 12:00:00 America/New_York"), "2026-12-06T09:00:00Z");
  EXPECT_EQ(Any("2026-12-06T12:00:00 Asia/"), "none");
  EXPECT_EQ(Any("2026-12-06T12:00:00 /Almaty"), "none");
  EXPECT_EQ(Any("Sun, 06 Dec 2026 12:00:00 and/or"), "none");
  EXPECT_EQ(In(3 * kHour, "2026-12-06 12:00:00 US/Eastern"), "2026-12-06T09:00:00Z");
  EXPECT_EQ(Any("Sun, 06 Dec 2026 12:00:00 +0:530"), "none");
}

// A feed whose dates name no zone is read in the offset its operator gives; a written zone
// always wins, and no offset given is UTC, as before.
TEST(ParseFeedDateTest, DatesWithoutAZoneTakeTheConfiguredOffset) {
  EXPECT_EQ(In(5 * kHour, "Thu, 03 Dec 2026 14:05:00"), "2026-12-03T09:05:00Z");
  EXPECT_EQ(In(3 * kHour, "2026-12-03 14:05"), "2026-12-03T11:05:00Z");
  EXPECT_EQ(In(3 * kHour, "2026-12-03T14:05:00"), "2026-12-03T11:05:00Z");
  EXPECT_EQ(In(5 * kHour, "2026-12-03"), "2026-12-02T19:00:00Z");
  EXPECT_EQ(In(3 * kHour, "3 декабря 2026 14:05"), "2026-12-03T11:05:00Z");
  EXPECT_EQ(In(5 * kHour, "03 желтоқсан 2026 14:05"), "2026-12-03T09:05:00Z");
  EXPECT_EQ(In(-(3 * kHour + 1800), "Thu, 03 Dec 2026 14:05:00"), "2026-12-03T17:35:00Z");
  // Written zones win, names and GMT included.
  EXPECT_EQ(In(5 * kHour, "Thu, 03 Dec 2026 14:05:00 +0300"), "2026-12-03T11:05:00Z");
  EXPECT_EQ(In(5 * kHour, "Thu, 03 Dec 2026 14:05:00 GMT"), "2026-12-03T14:05:00Z");
  EXPECT_EQ(In(5 * kHour, "2026-12-03T14:05:00Z"), "2026-12-03T14:05:00Z");
  EXPECT_EQ(In(5 * kHour, "2026-12-03T14:05:00 MSK"), "2026-12-03T11:05:00Z");
  EXPECT_EQ(Any("Thu, 03 Dec 2026 14:05:00"), "2026-12-03T14:05:00Z");
}

}  // namespace
}  // namespace newsd::parse
