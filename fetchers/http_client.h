#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fetchers/options.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace newsd::fetchers {

/// One conditional GET. Validators are opaque strings sent back byte-exact
/// (If-None-Match: <etag>, If-Modified-Since: <last_modified>); empty means "not sent".
struct FetchRequest {
  std::string url;  ///< http://, https:// or file://
  std::string etag;
  std::string last_modified;
  /// Asked before each redirect is followed, with the HostKey of the hop's target, on the
  /// client's thread (from inside the transfer: it must not call the client). False stops the
  /// fetch there, before the target is asked anything (FetchResult::held_at). Empty: every
  /// hop within the limits is followed.
  std::function<bool(const std::string& host)> may_follow;
  /// Ask without compression (no Accept-Encoding) and take the body as sent: for a server
  /// known to send a Content-Encoding libcurl does not decode (FetchResult::undecoded_encoding).
  bool as_sent = false;
};

/// One redirect hop as it was answered: `status` (a 3xx but 304: 301, 302, 303, 307, 308, and
/// the 300 or 305 curl follows too) sent by `from`,
/// pointing at `to` (the Location resolved against `from`).
struct Redirect {
  long status = 0;
  std::string from;
  std::string to;
};

/// What came back. `status` is non-OK only when no HTTP response was obtained at all (DNS,
/// connect, TLS, timeout, body cap, unreadable file; PermissionDenied when the server's
/// address is private and Options::allow_private is off); any HTTP code, 4xx/5xx included, is an
/// OK status with `http_status` set. file:// URLs report 200 (or a non-OK status).
struct FetchResult {
  Status status;
  long http_status = 0;
  std::string body;           ///< Decoded (gzip/deflate/br removed), at most max_body_bytes.
  std::string content_type;   ///< Content-Type header of the final response, as sent.
  std::string effective_url;  ///< URL after redirects.
  std::string etag;           ///< ETag of the final response, byte-exact; empty if none.
  std::string last_modified;  ///< Last-Modified of the final response, byte-exact; empty if none.
  std::optional<int64_t> retry_after_seconds;  ///< From Retry-After (429/503), seconds from now.
  /// A Retry-After that names no time ("soon", "-5"), as sent (its first 64 bytes); empty
  /// when there was none or it was read.
  std::string retry_after_unread;
  /// How long the final response says it stays fresh (Cache-Control max-age minus Age, else
  /// Expires minus Date); nullopt when it says nothing.
  std::optional<int64_t> fresh_for_seconds;
  /// Every hop followed, in order (empty: none), whether the fetch succeeded or not (a
  /// redirect that was not followed, one too many or to a refused address, is not listed).
  std::vector<Redirect> redirects;
  bool public_address = false;  ///< The last server connected to has a public address.
  /// The HostKey of the redirect target FetchRequest::may_follow refused: the fetch stopped at
  /// that redirect (`status` Unavailable; `redirects` lists only the hops followed before it).
  std::string held_at;
  /// The Content-Encoding the server sent when it names no compression, only codings libcurl
  /// does not decode ("UTF-8", "aws-chunked": a misconfigured server, the body is plain): the
  /// request was then made a second time, as_sent, and this result is that second request's
  /// (whatever became of it). Empty otherwise.
  std::string undecoded_encoding;
  int64_t elapsed_ms = 0;
};

/// "host:port" of an http(s) URL, host lower-cased and without a trailing dot, default port
/// filled in (the unit of per-host politeness); "" for file:// and unparsable URLs.
std::string HostKey(const std::string& url);

/// True when a request with these stored validators goes out conditional: one of them is
/// non-empty and can be sent (a value holding CR, LF or NUL, stored before such values were
/// refused, is left out of the request).
bool SendsValidators(std::string_view etag, std::string_view last_modified);

/// Asynchronous HTTP client. Not thread-safe: every call, and every completion, happens on the
/// io_context the client was built with.
class HttpClient {
 public:
  using Callback = std::function<void(FetchResult)>;
  /// Aborts transfers still in flight WITHOUT invoking their callbacks (their owners may be
  /// gone too); call CancelAll() first to have them delivered with an Aborted status.
  virtual ~HttpClient() = default;
  /// Starts a fetch; `done` is invoked exactly once, later, on the io_context (never inline).
  virtual void Fetch(FetchRequest request, Callback done) = 0;
  /// Number of transfers started and not yet completed.
  virtual size_t InFlight() const = 0;
  /// Aborts every transfer in flight; their callbacks run with an Aborted status.
  virtual void CancelAll() = 0;
};

/// libcurl multi_socket driven by Asio on `io` (FETCHER.md §6): one thread does all network I/O.
/// `io` must outlive the client.
Result<std::unique_ptr<HttpClient>> MakeCurlClient(boost::asio::io_context& io,
                                                   const Options& options);

}  // namespace newsd::fetchers
