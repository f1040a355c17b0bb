#pragma once

// Internal to fetchers/: one HTTP/file transfer (a configured CURL easy handle plus what its
// callbacks collect). Only curl_client.cc uses it.

#include <curl/curl.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "fetchers/address_policy.h"
#include "fetchers/header_util.h"
#include "fetchers/http_client.h"
#include "fetchers/options.h"

namespace newsd::fetchers::internal {

/// Headers of the response currently being received. Reset at every status line, so after a
/// redirect chain (or a 100 Continue / proxy CONNECT) it holds the final response's headers.
struct CapturedHeaders {
  long status = 0;  ///< From the status line.
  std::string etag;
  std::string last_modified;
  std::string content_type;
  std::string retry_after;
  bool has_retry_after = false;
  std::string cache_control, age, expires, date, location;
  std::string content_encoding;  ///< Every Content-Encoding header, joined with ", ".
};

/// A CURL easy handle configured for one FetchRequest, and the state its callbacks fill.
/// Not thread-safe; lives on the client's io_context thread. Owns `easy` and the header list.
class Transfer {
 public:
  /// Builds and configures the easy handle. `proxies` (ResolveProxyEndpoints) must outlive the
  /// transfer. Errors: InvalidArgument (empty URL, CR/LF/NUL in it), PermissionDenied (its host
  /// is a private or loopback literal and options.allow_private is off), Internal (curl refused
  /// an option or could not allocate).
  static Result<std::unique_ptr<Transfer>> Create(FetchRequest request, const Options& options,
                                                  const std::vector<Endpoint>& proxies);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_; }
  const std::string& url() const { return request_.url; }
  const FetchRequest& request() const { return request_; }
  /// The response's Content-Encoding when it names codings libcurl does not decode and no
  /// compression it does (gzip, deflate, br, zstd): a plain body, most likely, under a wrong
  /// header. "" otherwise (none sent, or a compression listed: a body asked for again without
  /// compression would still be compressed).
  std::string UnknownEncoding() const;

  /// The result once curl reported `code` for this transfer (reads CURLINFO_*).
  FetchResult Finish(CURLcode code);
  /// The result of a transfer that did not run to completion (cancelled, or never started).
  FetchResult Fail(Status status) const;

  /// The completion callback: stored here, handed back to the client to invoke exactly once.
  void SetCallback(HttpClient::Callback done) { done_ = std::move(done); }
  HttpClient::Callback TakeCallback() { return std::move(done_); }

 private:
  Transfer(FetchRequest request, const Options& options, const std::vector<Endpoint>& proxies);
  Status Configure(const Options& options);
  Status BuildHeaderList();
  Status ToStatus(CURLcode code) const;
  int64_t ElapsedMs() const;
  /// Whether the server that answered has a public address (through a proxy: whether
  /// `effective_url` names a public host).
  bool AnsweredByPublicHost(const std::string& effective_url) const;

  static size_t OnWrite(char* data, size_t size, size_t count, void* self);
  static size_t OnHeader(char* data, size_t size, size_t count, void* self);
  static curl_socket_t OnOpenSocket(void* self, curlsocktype purpose, curl_sockaddr* address);
  /// Records the response whose headers just ended when it was a redirect. False when the
  /// redirect leads to a refused host, or to one FetchRequest::may_follow refuses, or its
  /// Location is no URL curl could follow (the transfer must stop).
  bool EndOfResponse();
  /// Keeps what captured_ holds of one header line of the current response.
  void Capture(std::string_view name, std::string_view value);
  /// Reserves room for an announced body (Content-Length), up to the body cap.
  void ReserveBody(std::string_view content_length);

  FetchRequest request_;
  HttpClient::Callback done_;
  CURL* easy_ = nullptr;
  curl_slist* headers_ = nullptr;
  bool is_file_ = false;
  size_t max_body_bytes_ = 0;
  bool body_over_cap_ = false;
  bool allow_private_ = false;
  const std::vector<Endpoint>& proxies_;  ///< Sockets to these skip the address check.
  std::string refused_address_;           ///< Set when a private address or host was refused.
  std::string held_at_;                   ///< Set when may_follow refused a redirect's host.
  std::string bad_location_;              ///< Set when a redirect's Location is no URL.
  std::string other_scheme_;              ///< Set when a redirect leads to neither http nor https.
  std::vector<Redirect> redirects_;
  std::string body_;
  CapturedHeaders captured_;
  std::array<char, CURL_ERROR_SIZE> error_{};
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace newsd::fetchers::internal
