#pragma once

// The mapping of JSON Feed objects to Feed fields (json_feed_item.cc), shared with the reader
// of the document (json_feed.cc). Not part of the module's API.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/feed.h"
#include "parse/options.h"

namespace newsd::parse {

/// What the mapping of one document's objects needs and what it notes on the way.
struct JsonFeedContext {
  const Options* options = nullptr;
  Feed* feed = nullptr;
  std::string base_url;        ///< The document's address.
  size_t dates_checked = 0;    ///< For ReadFeedDate.
  bool field_limited = false;  ///< For LimitField.
};

// The readers below move the strings they return out of the objects they read: each member
// is read once.

/// The string at `object[key]`, trimmed of surrounding white space and cut to max_field_bytes;
/// a number (an integer; the reader keeps any other number as its text); nullopt for other
/// types or when absent.
std::optional<std::string> JsonText(nlohmann::json& object, const char* key, JsonFeedContext* ctx);

/// The people of `object`: its "authors" array (1.1), else its "author" object (1.0), each
/// {name, url → href}; persons with neither are left out.
std::vector<Person> JsonPeople(nlohmann::json& object, JsonFeedContext* ctx);

/// A link {href, rel, type (none when null)}.
Link MakeLink(std::string href, const char* rel, const char* type);

/// Sets `author` (the first person's name, else its url), `detail` and `authors`.
void SetAuthors(std::vector<Person> people, std::optional<std::string>* author,
                std::optional<Person>* detail, std::vector<Person>* authors);

/// Whether the mapping reads member `key` of the feed object (`item` false) or of an item: the
/// reader keeps no other member, whatever it holds.
bool JsonFeedMemberRead(std::string_view key, bool item);

/// The Entry of one element of "items" (an object).
Entry JsonFeedEntry(nlohmann::json& item, JsonFeedContext* ctx);

}  // namespace newsd::parse
