#pragma once

#include <string>
#include <vector>

#include "core/article.h"
#include "parse/feed.h"

namespace newsd::daemon {

/// Turns parsed entries into Articles of feed `feed` (outlet name `source`), arrived at
/// `arrived`. Item ids follow core/ids.h: the entry's id (guid/atom:id) unless another entry of
/// the response has it with another link or title, else its link (unless another entry has it
/// with another title), else its title and date, else its text and date;
/// entries with none of these, and entries cut off by the end of a truncated document
/// (parse::Entry::cut_off), are skipped. The body is the longest of the
/// entry's content values and its summary, as received. The title and body are moved out of
/// the entries turned into articles (*parsed keeps its feed fields and entry count): a cold
/// round's texts are 115 MB, copied for nothing. Ids and links that are URLs lose their
/// session parameters first ("?PHPSESSID=...", ";jsessionid=...", ASPSESSIONID..., CFID,
/// CFTOKEN, sessionid, session_id): they change at every request, not with the item.
std::vector<Article> ToArticles(parse::Feed* parsed, const FeedId& feed, const std::string& source,
                                UnixSeconds arrived);

}  // namespace newsd::daemon
