#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace newsd::admin {

// The admin protocol: one JSON object per line over a Unix stream socket. A client sends a
// Request line and reads one Reply line. Versioned by `v`; a server answers a request of an
// unknown version, an unknown command, or a malformed or oversized line with an error reply.
//
//   -> {"v":1,"id":7,"cmd":"stories.show","args":{"id":"dev-000123"}}
//   <- {"v":1,"id":7,"ok":true,"result":{...}}
//   <- {"v":1,"id":7,"ok":false,"error":{"code":"NotFound","message":"no story dev-000123"}}
//
// Commands (args → result):
//   status                         → {version, feeds, items, stories, started, last_round}
//   feeds.list                     → {feeds:[{id,url,name,interval,last_fetch,next_fetch,
//                                     last_http_status,last_error,fetches,items_new}]}
//   stories.recent {limit}         → {stories:[{id,title,source,time,copies}]}
//   stories.show {id}              → {story:{id,time,copies}, items:[{id,source,url,title,
//                                     published,arrived,canonical,similarity,path}]}
//   feeds.show {id}                → {feed:{...everything stored about it}}
//   feeds.add {feeds:[{url,id?,name?,interval?,paused?,zoneless_dates?}]}
//                                  → {added:[{id,url}], skipped:[{url,id,reason}]}
//   feeds.remove|pause|resume {id} → {removed} | {id,paused,revived}
//   feeds.poll {id}                → {id, at, held_by}
//   feeds.reparse {feed,dry_run}   → {bodies,entries,added,updated,unchanged,errors}
//   search {text,limit,max_stories} → {items:[item...], scanned, complete}
//   items.export {cursor,limit,since?,refresh?}
//                                  → {items:[export line + cursor], cursor, more}
//   hosts.politeness, archive.backup {dir}, reload: see daemon/admin_handlers.cc

inline constexpr int kVersion = 1;
inline constexpr size_t kMaxLineBytes = 1u << 20;  ///< Longer requests are refused.
inline constexpr size_t kMaxDepth = 64;  ///< Requests and replies nested deeper are refused.
/// Longer replies are refused. Replies are bigger than requests: an export page holds about
/// 4 MiB of items, and always one item, which may be larger (an imported article of 20 MB).
inline constexpr size_t kMaxReplyBytes = size_t{256} << 20;
/// feeds.add: the longest poll interval of a feed added at run time, seconds (30 days; 0 is
/// the default interval).
inline constexpr int64_t kMaxAddedFeedInterval = int64_t{30} * 86400;

struct Request {
  int version = kVersion;
  uint64_t id = 0;
  std::string cmd;
  nlohmann::json args = nlohmann::json::object();
};

struct Reply {
  int version = kVersion;
  uint64_t id = 0;
  bool ok = true;
  nlohmann::json result = nlohmann::json::object();
  std::string error_code;  ///< Status code name, e.g. "NotFound".
  std::string error_message;

  static Reply Error(uint64_t id, const Status& status);
};

/// One line, without the trailing newline.
std::string Encode(const Request& request);
std::string Encode(const Reply& reply);

/// InvalidArgument for malformed JSON, missing fields, wrong types, or an unsupported version.
Result<Request> DecodeRequest(std::string_view line);
/// The "id" of a request line DecodeRequest refused, so that the error reply names the
/// request it answers: the id when the line is a JSON object with an unsigned integer "id",
/// else 0.
uint64_t RequestIdOf(std::string_view line);
Result<Reply> DecodeReply(std::string_view line);

}  // namespace newsd::admin
