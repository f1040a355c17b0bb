#include "fetchers/transfer.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "fetchers/address_policy.h"
#include "fetchers/curl_lib.h"

namespace newsd::fetchers::internal {
namespace {

constexpr char kDefaultUserAgent[] = "newsd/" NEWSD_VERSION " (+https://github.com/newsd/newsd)";
constexpr char kAccept[] =
    "Accept: application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8";

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// "HTTP/1.1 301 Moved" -> 301; 0 when there is no status code.
long StatusOfLine(std::string_view line) {
  const size_t sp = line.find(' ');
  if (sp == std::string_view::npos || line.size() < sp + 4) return 0;
  long code = 0;
  for (size_t i = sp + 1; i < sp + 4; ++i) {
    if (line[i] < '0' || line[i] > '9') return 0;
    code = code * 10 + (line[i] - '0');
  }
  return code;
}

// `location` resolved against `base` by libcurl's URL parser, with the flags curl uses when it
// follows a redirect (white space and other bytes a URL cannot hold are percent-encoded): the
// URL curl asks next. nullopt when curl could not follow it either.
std::optional<std::string> ResolveLocation(const std::string& base, const std::string& location) {
  CURLU* u = Curl().url();
  if (u == nullptr) return std::nullopt;
  std::optional<std::string> out;
  char* full = nullptr;
  if (Curl().url_set(u, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
      Curl().url_set(u, CURLUPART_URL, location.c_str(), CURLU_URLENCODE | CURLU_ALLOW_SPACE) ==
          CURLUE_OK &&
      Curl().url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK) {
    out = full;
  }
  Curl().free(full);
  Curl().url_cleanup(u);
  return out;
}

// True when `url` is an http or https URL (its scheme in any case).
bool IsHttpUrl(const std::string& url) {
  std::string scheme = url.substr(0, url.find(':'));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return (scheme == "http" || scheme == "https") && url.compare(scheme.size(), 3, "://") == 0;
}

Status RefusedStatus(const std::string& url, const std::string& target) {
  return Status::PermissionDenied(url + ": refused to connect to " + target +
                                  ", a private or loopback address (set [fetch] allow_private "
                                  "= true to allow it)");
}

// curl reads a file:// feed on the loop thread, blocking: only a regular file ends. Opening a
// FIFO waits for a writer, and a device may never end, which froze every other feed and the
// admin socket; those are refused. (A path that does not exist is left to curl to report.)
Status CheckLocalFile(const std::string& url) {
  CURLU* u = Curl().url();
  if (u == nullptr) return Status::Internal("curl_url failed");
  char* path = nullptr;
  const bool parsed = Curl().url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
                      Curl().url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) == CURLUE_OK;
  const std::string decoded = parsed && path != nullptr ? path : "";
  Curl().free(path);
  Curl().url_cleanup(u);
  struct stat st {};
  if (decoded.empty() || ::stat(decoded.c_str(), &st) != 0 || S_ISREG(st.st_mode)) {
    return Status::Ok();
  }
  return Status::InvalidArgument(url + ": " + decoded +
                                 " is not a regular file (a FIFO, device or directory would "
                                 "block every feed while it is read): point the feed at a file");
}

// What curl follows when the answer carries a Location: any 3xx but 304 (300 and 305 too).
bool IsRedirectStatus(long code) { return code >= 300 && code < 400 && code != 304; }

// Sets options on a curl handle until one fails: rc() is that failure, else CURLE_OK.
class OptionSetter {
 public:
  explicit OptionSetter(CURL* easy) : easy_(easy) {}
  template <class T>
  void operator()(CURLoption opt, T value) {
    if (rc_ == CURLE_OK) rc_ = Curl().easy_setopt(easy_, opt, value);
  }
  CURLcode rc() const { return rc_; }

 private:
  CURL* easy_;
  CURLcode rc_ = CURLE_OK;
};

// The time and size limits of a transfer.
void SetLimits(OptionSetter& set, const Options& options) {
  if (options.connect_timeout_ms > 0) set(CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  if (options.total_timeout_ms > 0) set(CURLOPT_TIMEOUT_MS, options.total_timeout_ms);
  if (options.low_speed_bytes > 0 && options.low_speed_seconds > 0) {
    set(CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes);
    set(CURLOPT_LOW_SPEED_TIME, options.low_speed_seconds);
  }
  // Only effective when the size is announced up front; OnWrite enforces the decoded size.
  if (options.max_body_bytes > 0) {
    set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes));
  }
}

}  // namespace

Transfer::Transfer(FetchRequest request, const Options& options,
                   const std::vector<Endpoint>& proxies)
    : request_(std::move(request)),
      is_file_(StartsWithIgnoreCase(request_.url, "file:")),
      max_body_bytes_(options.max_body_bytes),
      allow_private_(options.allow_private),
      proxies_(proxies) {}

Transfer::~Transfer() {
  if (easy_ != nullptr) Curl().easy_cleanup(easy_);
  Curl().slist_free_all(headers_);
}

Result<std::unique_ptr<Transfer>> Transfer::Create(FetchRequest request, const Options& options,
                                                   const std::vector<Endpoint>& proxies) {
  if (request.url.empty()) return Err(Status::InvalidArgument("empty URL"));
  if (!IsSafeHeaderValue(request.url)) {
    return Err(Status::InvalidArgument("URL contains CR, LF or NUL: " + request.url));
  }
  if (!options.allow_private && !HasPublicHost(request.url)) {
    return Err(RefusedStatus(request.url, request.url));
  }
  // A validator that cannot go out byte-exact (stored before such values were refused) is left
  // out: the request is unconditional, and its answer replaces it.
  if (!IsSafeHeaderValue(request.etag)) request.etag.clear();
  if (!IsSafeHeaderValue(request.last_modified)) request.last_modified.clear();
  if (StartsWithIgnoreCase(request.url, "file:")) {
    if (Status s = CheckLocalFile(request.url); !s.ok()) return Err(std::move(s));
  }
  std::unique_ptr<Transfer> t(new Transfer(std::move(request), options, proxies));
  if (Status s = t->Configure(options); !s.ok()) return Err(std::move(s));
  return t;
}

Status Transfer::BuildHeaderList() {
  // Validators go out as raw headers, byte-exact (never CURLOPT_TIMECONDITION, which would
  // re-serialise the date).
  std::vector<std::string> lines = {kAccept};
  if (!request_.etag.empty()) lines.push_back("If-None-Match: " + request_.etag);
  if (!request_.last_modified.empty())
    lines.push_back("If-Modified-Since: " + request_.last_modified);
  for (const std::string& line : lines) {
    curl_slist* next = Curl().slist_append(headers_, line.c_str());
    if (next == nullptr) return Status::Internal("curl_slist_append failed");
    headers_ = next;
  }
  return Status::Ok();
}

Status Transfer::Configure(const Options& options) {
  easy_ = Curl().easy_init();
  if (easy_ == nullptr) return Status::Internal("curl_easy_init failed");

  if (Status s = BuildHeaderList(); !s.ok()) return s;

  const std::string& ua = options.user_agent.empty() ? kDefaultUserAgent : options.user_agent;
  OptionSetter set(easy_);
  set(CURLOPT_URL, request_.url.c_str());
  set(CURLOPT_PRIVATE, static_cast<void*>(this));
  set(CURLOPT_ERRORBUFFER, error_.data());
  set(CURLOPT_NOSIGNAL, 1L);
  if (!request_.as_sent) {
    set(CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
  } else {
    set(CURLOPT_HTTP_CONTENT_DECODING, 0L);
  }
  set(CURLOPT_USERAGENT, ua.c_str());
  set(CURLOPT_HTTPHEADER, headers_);
  set(CURLOPT_FOLLOWLOCATION, 1L);
  set(CURLOPT_MAXREDIRS, options.max_redirects);
  // file:// only when asked for directly; a redirect can never lead to a local file.
  set(CURLOPT_PROTOCOLS_STR, is_file_ ? "file" : "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  SetLimits(set, options);
  set(CURLOPT_WRITEFUNCTION, &Transfer::OnWrite);
  set(CURLOPT_WRITEDATA, static_cast<void*>(this));
  set(CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
  set(CURLOPT_HEADERDATA, static_cast<void*>(this));
  // The address policy runs on every resolved address curl connects to, redirects included.
  set(CURLOPT_OPENSOCKETFUNCTION, &Transfer::OnOpenSocket);
  set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(this));
  if (!options.proxy.empty()) set(CURLOPT_PROXY, options.proxy.c_str());
  if (set.rc() != CURLE_OK) {
    return Status::Internal(std::string("curl_easy_setopt: ") + Curl().easy_strerror(set.rc()));
  }
  return Status::Ok();
}

size_t Transfer::OnWrite(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  if (n > t->max_body_bytes_ - t->body_.size()) {
    t->body_over_cap_ = true;
    return 0;  // != n: curl aborts with CURLE_WRITE_ERROR
  }
  t->body_.append(data, n);
  return n;
}

size_t Transfer::OnHeader(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  const std::string_view line(data, n);
  if (StartsWithIgnoreCase(line, "HTTP/")) {
    t->captured_ = CapturedHeaders{};  // a new response (redirect hop, 1xx, proxy CONNECT)
    t->captured_.status = StatusOfLine(line);
    return n;
  }
  if (line == "\r\n" || line == "\n") {
    return t->EndOfResponse() ? n : 0;  // 0: curl aborts (CURLE_WRITE_ERROR)
  }
  std::string_view name;
  std::string_view value;
  if (!SplitHeaderLine(line, &name, &value)) return n;
  t->Capture(name, value);
  return n;
}

void Transfer::Capture(std::string_view name, std::string_view value) {
  CapturedHeaders& c = captured_;
  // A validator that could not be sent back (a bare CR or a NUL in it) is not kept: the next
  // poll is unconditional instead of failing before its request, for good.
  if (EqualsIgnoreCase(name, "ETag")) {
    if (IsSafeHeaderValue(value)) c.etag = value;
  } else if (EqualsIgnoreCase(name, "Last-Modified")) {
    if (IsSafeHeaderValue(value)) c.last_modified = value;
  } else if (EqualsIgnoreCase(name, "Content-Type")) {
    c.content_type = value;
  } else if (EqualsIgnoreCase(name, "Content-Encoding")) {
    if (!c.content_encoding.empty()) c.content_encoding += ", ";
    c.content_encoding.append(value);
  } else if (EqualsIgnoreCase(name, "Retry-After")) {
    c.retry_after = value;
    c.has_retry_after = true;
  } else if (EqualsIgnoreCase(name, "Cache-Control")) {
    if (!c.cache_control.empty()) c.cache_control += ", ";
    c.cache_control.append(value);
  } else if (EqualsIgnoreCase(name, "Age")) {
    c.age = value;
  } else if (EqualsIgnoreCase(name, "Expires")) {
    c.expires = value;
  } else if (EqualsIgnoreCase(name, "Date")) {
    c.date = value;
  } else if (EqualsIgnoreCase(name, "Location")) {
    if (c.location.empty()) c.location = value;  // curl follows the first one
  } else if (EqualsIgnoreCase(name, "Content-Length")) {
    ReserveBody(value);
  }
}

void Transfer::ReserveBody(std::string_view content_length) {
  // A hint only (it may be the compressed size, or a redirect's): saves regrowing the body.
  size_t n = 0;
  for (char ch : content_length) {
    if (ch < '0' || ch > '9' || n > max_body_bytes_) return;
    n = n * 10 + static_cast<size_t>(ch - '0');
  }
  if (n <= max_body_bytes_ && n > body_.capacity()) body_.reserve(n);
}

bool Transfer::EndOfResponse() {
  if (!IsRedirectStatus(captured_.status) || captured_.location.empty()) return true;
  std::string from = redirects_.empty() ? request_.url : redirects_.back().to;
  std::optional<std::string> resolved = ResolveLocation(from, captured_.location);
  if (!resolved) {
    // Never followed blind: its host could not be checked, held or counted.
    bad_location_ = captured_.location;
    return false;
  }
  std::string to = std::move(*resolved);
  // Redirects go to http and https only (CURLOPT_REDIR_PROTOCOLS_STR): said here, by name,
  // rather than as libcurl's "not supported or disabled".
  if (!IsHttpUrl(to)) {
    other_scheme_ = std::move(to);
    return false;
  }
  // Through a proxy no socket is opened to the next hop: its host is checked here.
  const bool refused = !allow_private_ && !HasPublicHost(to);
  if (refused) refused_address_ = to;
  if (!refused && request_.may_follow) {
    // Checked here, not when the next request is sent: once this returns, curl asks the target.
    std::string host = HostKey(to);
    if (!host.empty() && !request_.may_follow(host)) {
      held_at_ = std::move(host);
      return false;  // not followed: not listed among the hops
    }
  }
  redirects_.push_back(Redirect{captured_.status, std::move(from), std::move(to)});
  return !refused;
}

curl_socket_t Transfer::OnOpenSocket(void* self, curlsocktype /*purpose*/, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(self);
  const auto* sa = reinterpret_cast<const sockaddr*>(&address->addr);
  // A proxy the operator named is trusted wherever it is; the target behind it was checked by
  // name (Create, EndOfResponse).
  if (!t->allow_private_ && !IsPublicAddress(sa, address->addrlen) &&
      !IsEndpoint(sa, address->addrlen, t->proxies_)) {
    t->refused_address_ = AddressText(sa, address->addrlen);
    return CURL_SOCKET_BAD;
  }
  // A plain socket: curl owns it and closes it (no CLOSESOCKETFUNCTION, FETCHER.md §6.5).
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

int64_t Transfer::ElapsedMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start_)
      .count();
}

FetchResult Transfer::Fail(Status status) const {
  FetchResult r;
  r.status = std::move(status);
  r.effective_url = request_.url;
  r.elapsed_ms = ElapsedMs();
  return r;
}

bool Transfer::AnsweredByPublicHost(const std::string& effective_url) const {
  char* ip = nullptr;
  long port = 0;
  if (Curl().easy_getinfo(easy_, CURLINFO_PRIMARY_IP, &ip) != CURLE_OK || ip == nullptr)
    return false;
  Curl().easy_getinfo(easy_, CURLINFO_PRIMARY_PORT, &port);
  sockaddr_storage ss{};
  const socklen_t len = AddressFromText(ip, static_cast<uint16_t>(port), &ss);
  if (len == 0) return false;
  const auto* sa = reinterpret_cast<const sockaddr*>(&ss);
  // Through a proxy, the server is the one the URL names.
  if (IsEndpoint(sa, len, proxies_)) return HasPublicHost(effective_url);
  return IsPublicAddress(sa, len);
}

std::string Transfer::UnknownEncoding() const {
  // The compressions this libcurl may decode (br and zstd when built with them: a body so
  // compressed cannot be read as sent either way).
  static constexpr std::string_view kCompressions[] = {"gzip", "x-gzip", "deflate", "br", "zstd"};
  bool unknown = false;
  std::string_view rest = captured_.content_encoding;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view coding = TrimHeaderValue(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (coding.empty() || EqualsIgnoreCase(coding, "identity")) continue;
    if (std::any_of(std::begin(kCompressions), std::end(kCompressions),
                    [&](std::string_view c) { return EqualsIgnoreCase(coding, c); })) {
      return "";
    }
    unknown = true;
  }
  return unknown ? captured_.content_encoding.substr(0, 64) : "";
}

FetchResult Transfer::Finish(CURLcode code) {
  FetchResult r;
  r.elapsed_ms = ElapsedMs();
  char* effective = nullptr;
  if (Curl().easy_getinfo(easy_, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != nullptr) {
    r.effective_url = effective;
  } else {
    r.effective_url = request_.url;
  }
  long http = 0;
  Curl().easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &http);
  r.http_status = http;
  r.status = ToStatus(code);
  // The hops followed are known even when the fetch failed (a timeout at the target, say):
  // each was a request the politeness report counts. A redirect answered but not followed
  // (one too many, or to a refused address) is left out.
  long followed = 0;
  if (Curl().easy_getinfo(easy_, CURLINFO_REDIRECT_COUNT, &followed) == CURLE_OK && followed >= 0 &&
      static_cast<size_t>(followed) < redirects_.size()) {
    redirects_.resize(static_cast<size_t>(followed));
  }
  r.redirects = std::move(redirects_);
  r.held_at = held_at_;
  if (!r.status.ok()) return r;  // no usable response: body and validators stay empty

  if (is_file_ && http == 0) r.http_status = 200;  // curl reports no code for file://
  r.body = std::move(body_);
  r.etag = std::move(captured_.etag);
  r.last_modified = std::move(captured_.last_modified);
  r.content_type = std::move(captured_.content_type);
  const int64_t now = std::time(nullptr);
  if (captured_.has_retry_after) {
    r.retry_after_seconds = ParseRetryAfter(captured_.retry_after, captured_.date, now);
    if (!r.retry_after_seconds) {
      constexpr size_t kShown = 64;
      r.retry_after_unread = captured_.retry_after.substr(0, kShown);
    }
  }
  r.fresh_for_seconds = FreshnessSeconds(captured_.cache_control, captured_.age, captured_.expires,
                                         captured_.date, now);
  r.public_address = AnsweredByPublicHost(r.effective_url);
  return r;
}

Status Transfer::ToStatus(CURLcode code) const {
  if (code == CURLE_OK) return Status::Ok();
  if (!refused_address_.empty()) return RefusedStatus(request_.url, refused_address_);
  if (!bad_location_.empty()) {
    return Status::InvalidArgument(request_.url + ": redirect to \"" + bad_location_ +
                                   "\" not followed: not a URL (the publisher's Location is "
                                   "broken; give the feed its new url by hand if it moved)");
  }
  if (!other_scheme_.empty()) {
    return Status::InvalidArgument(request_.url + ": redirect to \"" + other_scheme_ +
                                   "\" refused: newsd follows redirects to http and https only "
                                   "(give the feed its new url by hand if it moved)");
  }
  if (!held_at_.empty()) {
    return Status::Unavailable(request_.url + ": redirect to " + held_at_ +
                               " not followed: that host asked to be left alone (Retry-After)");
  }
  const std::string_view what = Curl().easy_strerror(code);
  std::string msg = request_.url + ": " + std::string(what);
  if (error_[0] != '\0' && what != error_.data()) msg += std::string(" (") + error_.data() + ")";
  switch (code) {
    case CURLE_WRITE_ERROR:
      if (body_over_cap_) {
        return Status::ResourceExhausted(request_.url + ": body larger than " +
                                         std::to_string(max_body_bytes_) +
                                         " bytes ([fetch] max_body_bytes)");
      }
      return Status::IOError(std::move(msg));
    case CURLE_FILESIZE_EXCEEDED:
      return Status::ResourceExhausted(request_.url + ": body larger than " +
                                       std::to_string(max_body_bytes_) + " bytes ([fetch] " +
                                       "max_body_bytes; its Content-Length said so)");
    case CURLE_FILE_COULDNT_READ_FILE:
      return Status::NotFound(std::move(msg));
    case CURLE_READ_ERROR:
      return Status::IOError(std::move(msg));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return Status::InvalidArgument(std::move(msg));
    case CURLE_ABORTED_BY_CALLBACK:
      return Status::Aborted(std::move(msg));
    case CURLE_OPERATION_TIMEDOUT:
      // Which limit ended it, by the key that sets it: libcurl's words for the stall ("Operation
      // too slow. Less than 64 bytes/sec transferred the last 20 seconds") and the whole
      // request ("Operation timed out after 30001 milliseconds").
      msg += std::string_view(error_.data()).find("too slow") != std::string_view::npos
                 ? " ([fetch] stall_timeout)"
                 : " ([fetch] timeout)";
      return Status::Unavailable(std::move(msg));
    case CURLE_OUT_OF_MEMORY:  // also what libcurl says of response headers over its limit
      return Status::ResourceExhausted(request_.url + ": " + std::string(what) +
                                       " in libcurl: most likely the server's response headers "
                                       "are larger than libcurl accepts (100 KB)");
    case CURLE_BAD_CONTENT_ENCODING:  // name what the server said
      if (!captured_.content_encoding.empty()) {
        msg += " (Content-Encoding \"" + captured_.content_encoding.substr(0, 64) + "\")";
      }
      return Status::Unavailable(std::move(msg));
    default:  // DNS, connect, TLS, timeouts, too many redirects, broken transfers
      return Status::Unavailable(std::move(msg));
  }
}

}  // namespace newsd::fetchers::internal
