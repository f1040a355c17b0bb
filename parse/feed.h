#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace newsd::parse {

// The parser's output. Field meanings follow the normalized document of the conformance suite
// (../shared/corpus/feeds/README.md). An optional string that is nullopt was absent from the
// feed; "" means present but empty.

struct Person {
  std::optional<std::string> name, email, href;
};

struct Link {
  std::optional<std::string> href, rel, type, title, length, hreflang;
};

struct Tag {
  std::optional<std::string> term, scheme, label;
};

struct Enclosure {
  std::optional<std::string> url, type, length;
};

struct Content {
  std::string value;                ///< HTML as given (entities decoded, CDATA unwrapped).
  std::optional<std::string> type;  ///< "text/html", "text/plain", "application/xhtml+xml", ...
  std::optional<std::string> src;
};

struct Media {
  std::optional<std::string> url, type, medium, width, height, file_size;
};

struct Entry {
  std::optional<std::string> id, link, title, summary, author, comments;
  std::optional<std::string> language;  ///< dc:language or xml:lang of the item.
  /// feedburner:origLink (an absolute http(s) URL): the article's own address where `link` is
  /// FeedBurner's tracking redirect (feedproxy.google.com). `link` stays as the feed gives it
  /// (feedparser's reading), so item identities keyed on it do not change.
  std::optional<std::string> orig_link;
  std::optional<Person> author_detail;
  std::vector<Person> authors;
  std::vector<Content> content;
  std::optional<UnixSeconds> published, updated;
  std::vector<Tag> tags;
  std::vector<Enclosure> enclosures;
  std::vector<Link> links;
  std::vector<Media> media_content, media_thumbnail;
  /// The document ended inside this entry (a truncated response): what it holds may be
  /// partial (a link cut in half, no text), so the daemon does not store it.
  bool cut_off = false;
};

struct FeedMeta {
  std::optional<std::string> title, link, subtitle, id, language, author;
  std::optional<Person> author_detail;
  std::vector<Person> authors;  ///< Every author element, in document order.
  std::optional<UnixSeconds> updated, published;
  std::vector<Link> links;
  std::vector<Tag> tags;
  std::optional<long> ttl_minutes;  ///< RSS <ttl>, a scheduling hint.
  /// sy:updatePeriod / sy:updateFrequency, in seconds between updates (a scheduling hint).
  std::optional<int64_t> update_period_seconds;
  uint32_t skip_hours = 0;  ///< RSS <skipHours>: bit h set = hour h (GMT) is skipped.
  uint8_t skip_days = 0;    ///< RSS <skipDays>: bit d set = day d (0 = Sunday) is skipped.
};

struct Feed {
  bool bozo = false;        ///< Not well-formed or mis-declared, and recovered.
  std::string bozo_reason;  ///< Why bozo is set (first problem found).
  /// The document ended with elements still open, closed to be read (bozo set): a response
  /// cut off in transfer, whose entries after the cut are missing.
  bool cut_off = false;
  std::string encoding;  ///< Charset actually used to decode, e.g. "utf-8", "windows-1251".
  std::string version;   ///< feedparser names: rss090 rss091n rss091u rss092 rss093 rss094
                         ///< rss20 rss10 atom03 atom10; "" if unknown.
  FeedMeta feed;
  std::vector<Entry> entries;
  std::vector<std::string> limits_hit;  ///< e.g. "max_items: 5000 of 100000 items kept".
  /// One of the document's first dates (up to kZoneChecks) named no zone: it was read at
  /// Options::zoneless_offset (UTC when unset). Tells an operator the site may write local time.
  bool dates_without_zone = false;
  /// Dates the parser could not read (their entries or feed keep no date), and the first of
  /// them as written (cut to 80 bytes), for the operator's warning.
  size_t unreadable_dates = 0;
  std::string first_unreadable_date;
};

}  // namespace newsd::parse
