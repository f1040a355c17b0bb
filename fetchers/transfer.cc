#include "fetchers/transfer.h"

#include <cctype>
#include <ctime>
#include <string_view>
#include <utility>
#include <vector>

namespace newsd::fetchers::internal {
namespace {

constexpr char kDefaultUserAgent[] = "newsd/0.1 (+https://github.com/newsd/newsd)";
constexpr char kAccept[] =
    "Accept: application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8";

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// A validator goes out byte-exact inside a header line, so it must not be able to end that line.
bool IsSafeHeaderValue(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace

Transfer::Transfer(FetchRequest request, const Options& options)
    : request_(std::move(request)),
      is_file_(StartsWithIgnoreCase(request_.url, "file:")),
      max_body_bytes_(options.max_body_bytes) {}

Transfer::~Transfer() {
  if (easy_ != nullptr) curl_easy_cleanup(easy_);
  curl_slist_free_all(headers_);
}

Result<std::unique_ptr<Transfer>> Transfer::Create(FetchRequest request, const Options& options) {
  if (request.url.empty()) return Err(Status::InvalidArgument("empty URL"));
  if (!IsSafeHeaderValue(request.url) || !IsSafeHeaderValue(request.etag) ||
      !IsSafeHeaderValue(request.last_modified)) {
    return Err(Status::InvalidArgument("URL or validator contains CR, LF or NUL: " + request.url));
  }
  std::unique_ptr<Transfer> t(new Transfer(std::move(request), options));
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
    curl_slist* next = curl_slist_append(headers_, line.c_str());
    if (next == nullptr) return Status::Internal("curl_slist_append failed");
    headers_ = next;
  }
  return Status::Ok();
}

Status Transfer::Configure(const Options& options) {
  easy_ = curl_easy_init();
  if (easy_ == nullptr) return Status::Internal("curl_easy_init failed");

  if (Status s = BuildHeaderList(); !s.ok()) return s;

  const std::string& ua = options.user_agent.empty() ? kDefaultUserAgent : options.user_agent;
  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption opt, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy_, opt, value);
  };
  set(CURLOPT_URL, request_.url.c_str());
  set(CURLOPT_PRIVATE, static_cast<void*>(this));
  set(CURLOPT_ERRORBUFFER, error_.data());
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
  set(CURLOPT_USERAGENT, ua.c_str());
  set(CURLOPT_HTTPHEADER, headers_);
  set(CURLOPT_FOLLOWLOCATION, 1L);
  set(CURLOPT_MAXREDIRS, options.max_redirects);
  // file:// only when asked for directly; a redirect can never lead to a local file.
  set(CURLOPT_PROTOCOLS_STR, is_file_ ? "file" : "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
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
  set(CURLOPT_WRITEFUNCTION, &Transfer::OnWrite);
  set(CURLOPT_WRITEDATA, static_cast<void*>(this));
  set(CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
  set(CURLOPT_HEADERDATA, static_cast<void*>(this));
  if (rc != CURLE_OK) {
    return Status::Internal(std::string("curl_easy_setopt: ") + curl_easy_strerror(rc));
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
    return n;
  }
  std::string_view name;
  std::string_view value;
  if (!SplitHeaderLine(line, &name, &value)) return n;
  CapturedHeaders& c = t->captured_;
  if (EqualsIgnoreCase(name, "ETag")) {
    c.etag = value;
  } else if (EqualsIgnoreCase(name, "Last-Modified")) {
    c.last_modified = value;
  } else if (EqualsIgnoreCase(name, "Content-Type")) {
    c.content_type = value;
  } else if (EqualsIgnoreCase(name, "Retry-After")) {
    c.retry_after = value;
    c.has_retry_after = true;
  }
  return n;
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

FetchResult Transfer::Finish(CURLcode code) {
  FetchResult r;
  r.elapsed_ms = ElapsedMs();
  char* effective = nullptr;
  if (curl_easy_getinfo(easy_, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != nullptr) {
    r.effective_url = effective;
  } else {
    r.effective_url = request_.url;
  }
  long http = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &http);
  r.http_status = http;
  r.status = ToStatus(code);
  if (!r.status.ok()) return r;  // no usable response: body and validators stay empty

  if (is_file_ && http == 0) r.http_status = 200;  // curl reports no code for file://
  r.body = std::move(body_);
  r.etag = std::move(captured_.etag);
  r.last_modified = std::move(captured_.last_modified);
  r.content_type = std::move(captured_.content_type);
  if (captured_.has_retry_after) {
    r.retry_after_seconds = ParseRetryAfter(captured_.retry_after, std::time(nullptr));
  }
  return r;
}

Status Transfer::ToStatus(CURLcode code) const {
  if (code == CURLE_OK) return Status::Ok();
  std::string msg = request_.url + ": " + curl_easy_strerror(code);
  if (error_[0] != '\0') msg += std::string(" (") + error_.data() + ")";
  switch (code) {
    case CURLE_WRITE_ERROR:
      if (body_over_cap_) {
        return Status::ResourceExhausted(request_.url + ": body larger than " +
                                         std::to_string(max_body_bytes_) + " bytes");
      }
      return Status::IOError(std::move(msg));
    case CURLE_FILESIZE_EXCEEDED:
      return Status::ResourceExhausted(std::move(msg));
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
    case CURLE_OUT_OF_MEMORY:
      return Status::ResourceExhausted(std::move(msg));
    default:  // DNS, connect, TLS, timeouts, too many redirects, broken transfers
      return Status::Unavailable(std::move(msg));
  }
}

}  // namespace newsd::fetchers::internal
