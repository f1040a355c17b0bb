#pragma once

// Passwords out of what operators see. A feed URL may carry credentials
// ("https://user:secret@host/feed.xml", sent by curl as HTTP basic authentication); logs,
// `newsctl feeds` output, stored failure reasons and OPML exports show it as
// "https://user:***@host/feed.xml". Only the configuration (and the feed record the daemon
// fetches with) holds the password itself.

#include <string>
#include <string_view>

namespace newsd {

/// `text` with the password of every URL in it ("scheme://user:password@host...") replaced
/// by "***"; the user name stays, so an operator can tell which account. A URL's authority
/// runs from "://" to the first '/', '?', '#' or white space (quotes and '<' '>' do not end
/// it: a password may hold them, and masking too much is the safe side); its user info is
/// what comes before the authority's last '@', and the password what follows the user info's
/// first ':'. Text without such a URL comes back unchanged.
std::string RedactPasswords(std::string_view text);

/// `url` without its user info ("https://user:pw@host/x" -> "https://host/x"): the base that
/// a feed's relative links resolve against, so that item links carry no credentials.
std::string WithoutUserInfo(std::string_view url);

/// The user info of `url` ("user:pw" of "https://user:pw@host/x"), without its '@'; empty
/// when it has none.
std::string_view UserInfo(std::string_view url);

}  // namespace newsd
