#pragma once

// Decoding one JSON Lines record of `newsd import` into an Article, without building a DOM.

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/article.h"
#include "core/status.h"
#include "core/time.h"

namespace newsd::daemon {

/// Decodes one line of an import file: a JSON object whose string fields `id`, `source`,
/// `url`, `title` and `text` fill the Article (a field of another type reads as empty; the
/// last of repeated keys wins; `feed` is the source), `published` is an ISO-8601 time with
/// a zone, a date alone (its 00:00 UTC), or null, and other fields (of any type, nested or not) are
/// validated and skipped. `arrived` is `now`.
///
/// Accepts exactly what a strict RFC 8259 parser accepts (nlohmann::json::parse, which the
/// import used before): full string escapes with \uXXXX surrogate pairs (a lone surrogate
/// reads as U+FFFD), well-formed UTF-8 only, no control characters in strings, numbers of any
/// magnitude, a leading UTF-8 BOM. Errors (InvalidArgument): "not a JSON object" (malformed,
/// or valid JSON of another type), "missing \"id\"" (absent, empty or not a string), an id
/// longer than kMaxIdBytes, kPublishedForms.
/// Reuses the strings of `*article` (overwritten), so a caller decoding many lines allocates
/// little.
Status DecodeArticleLine(std::string_view line, UnixSeconds now, Article* article);

/// The "published" time of one import line as DecodeArticleLine files it (a KnownDate), read
/// in one quick pass that neither decodes nor validates the other members (the last
/// "published" counts). On a line DecodeArticleLine accepts it is that line's published; on
/// another it may be anything (nullopt when no top-level "published" time is found): what is
/// wrong with the line is DecodeArticleLine's to say. For ordering an import.
std::optional<UnixSeconds> PublishedOfLine(std::string_view line);

/// What an import's scan of its lines notes of each (PublishedOfLine's pass).
struct LineKeys {
  std::optional<UnixSeconds> published;  ///< As PublishedOfLine.
  /// A hash (std::hash) of its top-level "id" string, decoded; nullopt without one. Lines
  /// with the same id have the same hash; two ids may share one (rarely).
  std::optional<size_t> id_hash;
};
/// PublishedOfLine, and the line's id's hash, in the same quick pass.
LineKeys KeysOfLine(std::string_view line);

/// The longest id an imported line may have: ids are archive keys, repeated in each index.
inline constexpr size_t kMaxIdBytes = 1024;

/// The error for a "published" DecodeArticleLine cannot read, saying what it can.
inline constexpr std::string_view kPublishedForms =
    "\"published\" is not an ISO-8601 time with a zone nor a date (2024-01-31T12:00:00Z, "
    "2024-01-31T15:00:00+03:00, 2024-01-31) nor null";

}  // namespace newsd::daemon
