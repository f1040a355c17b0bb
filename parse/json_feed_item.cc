// JSON Feed objects to Feed fields: an item's Entry, people, text values.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parse/builder_internal.h"
#include "parse/fields.h"
#include "parse/json_feed_internal.h"
#include "parse/url.h"

namespace newsd::parse {

using nlohmann::json;

namespace {

constexpr std::string_view kSpace = " \t\r\n";

json* Member(json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

// A URL-valued member resolved against `base`; nullopt when absent, not a string or blank.
std::optional<std::string> JsonUrl(json& object, const char* key, std::string_view base,
                                   JsonFeedContext* ctx) {
  std::optional<std::string> text = JsonText(object, key, ctx);
  if (!text || text->empty()) return std::nullopt;
  return ResolveFeedUrl(base, *text);
}

std::optional<UnixSeconds> JsonDate(json& object, const char* key, JsonFeedContext* ctx) {
  json* value = Member(object, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return ReadFeedDate(value->get_ref<const std::string&>(), *ctx->options, ctx->feed,
                      &ctx->dates_checked);
}

Person JsonPerson(json& object, JsonFeedContext* ctx) {
  Person p;
  p.name = JsonText(object, "name", ctx);
  if (p.name && p.name->empty()) p.name.reset();
  p.href = JsonUrl(object, "url", ctx->base_url, ctx);
  return p;
}

void AddContent(json& item, const char* key, const char* type, std::string_view base,
                JsonFeedContext* ctx, Entry* e) {
  json* value = Member(item, key);
  if (value == nullptr || !value->is_string()) return;
  Content c;
  c.value = std::move(value->get_ref<std::string&>());
  // Cut after the links are resolved, which lengthens the text.
  if (std::string_view(type) == "text/html") PrepareHtml(&c.value, base, /*foreign=*/false);
  LimitField(&c.value, *ctx->options, ctx->feed, &ctx->field_limited);
  c.type = type;
  e->content.push_back(std::move(c));
}

void AddTags(json& item, JsonFeedContext* ctx, Entry* e) {
  json* tags = Member(item, "tags");
  if (tags == nullptr || !tags->is_array()) return;
  for (json& t : *tags) {
    if (!t.is_string()) continue;
    Tag tag;
    tag.term = std::move(t.get_ref<std::string&>());
    LimitField(&*tag.term, *ctx->options, ctx->feed, &ctx->field_limited);
    AddTag(std::move(tag), &e->tags);
  }
}

void AddAttachments(json& item, JsonFeedContext* ctx, Entry* e) {
  json* attachments = Member(item, "attachments");
  if (attachments == nullptr || !attachments->is_array()) return;
  for (json& a : *attachments) {
    Enclosure enc;
    enc.url = JsonUrl(a, "url", ctx->base_url, ctx);
    if (!enc.url) continue;  // an attachment without its address is nothing to fetch
    enc.type = JsonText(a, "mime_type", ctx);
    enc.length = JsonText(a, "size_in_bytes", ctx);
    e->enclosures.push_back(std::move(enc));
  }
}

void AddLink(std::optional<std::string> href, const char* rel, const char* type, Entry* e) {
  if (href) e->links.push_back(MakeLink(std::move(*href), rel, type));
}

}  // namespace

bool JsonFeedMemberRead(std::string_view key, bool item) {
  static constexpr std::array<std::string_view, 7> kFeed = {
      "version", "title", "home_page_url", "feed_url", "description", "language", "author"};
  static constexpr std::array<std::string_view, 14> kItem = {
      "id",           "url",          "external_url",   "title",         "summary",
      "content_html", "content_text", "date_published", "date_modified", "author",
      "tags",         "attachments",  "image",          "language"};
  if (key == "authors") return true;
  return item ? std::find(kItem.begin(), kItem.end(), key) != kItem.end()
              : std::find(kFeed.begin(), kFeed.end(), key) != kFeed.end();
}

Link MakeLink(std::string href, const char* rel, const char* type) {
  Link link;
  link.href = std::move(href);
  link.rel = rel;
  if (type != nullptr) link.type = type;
  return link;
}

std::optional<std::string> JsonText(json& object, const char* key, JsonFeedContext* ctx) {
  json* value = Member(object, key);
  if (value == nullptr) return std::nullopt;
  std::string text;
  if (value->is_string()) {
    text = std::move(value->get_ref<std::string&>());  // each member is read once
    text.erase(0, std::min(text.find_first_not_of(kSpace), text.size()));
    text.erase(text.find_last_not_of(kSpace) + 1);
  } else if (value->is_number()) {
    text = value->dump();
  } else {
    return std::nullopt;
  }
  LimitField(&text, *ctx->options, ctx->feed, &ctx->field_limited);
  return text;
}

std::vector<Person> JsonPeople(json& object, JsonFeedContext* ctx) {
  std::vector<Person> people;
  auto add = [&](json& value) {
    if (!value.is_object()) return;
    Person p = JsonPerson(value, ctx);
    if (p.name || p.href) people.push_back(std::move(p));
  };
  if (json* authors = Member(object, "authors"); authors != nullptr && authors->is_array()) {
    for (json& a : *authors) add(a);
  }
  if (json* author = Member(object, "author"); people.empty() && author != nullptr) {
    add(*author);
  }
  return people;
}

void SetAuthors(std::vector<Person> people, std::optional<std::string>* author,
                std::optional<Person>* detail, std::vector<Person>* authors) {
  if (people.empty()) return;
  *author = people.front().name ? people.front().name : people.front().href;
  *detail = people.front();
  *authors = std::move(people);
}

Entry JsonFeedEntry(json& item, JsonFeedContext* ctx) {
  Entry e;
  e.id = JsonText(item, "id", ctx);
  std::optional<std::string> url = JsonUrl(item, "url", ctx->base_url, ctx);
  std::optional<std::string> external = JsonUrl(item, "external_url", ctx->base_url, ctx);
  e.link = url ? url : external;
  AddLink(url, "alternate", "text/html", &e);
  AddLink(external, "related", nullptr, &e);
  e.title = JsonText(item, "title", ctx);
  e.summary = JsonText(item, "summary", ctx);
  // Relative links in the item's HTML are the item page's.
  const std::string content_base = url && IsHttpUrl(*url) ? *url : ctx->base_url;
  AddContent(item, "content_html", "text/html", content_base, ctx, &e);
  AddContent(item, "content_text", "text/plain", content_base, ctx, &e);
  e.published = JsonDate(item, "date_published", ctx);
  e.updated = JsonDate(item, "date_modified", ctx);
  std::vector<Person> people = JsonPeople(item, ctx);
  SetAuthors(std::move(people), &e.author, &e.author_detail, &e.authors);  // else the feed's, later
  AddTags(item, ctx, &e);
  AddAttachments(item, ctx, &e);
  if (std::optional<std::string> image = JsonUrl(item, "image", ctx->base_url, ctx)) {
    Media thumbnail;
    thumbnail.url = std::move(image);
    e.media_thumbnail.push_back(std::move(thumbnail));
  }
  e.language = JsonText(item, "language", ctx);
  if (e.language && e.language->empty()) e.language.reset();
  return e;
}

}  // namespace newsd::parse
