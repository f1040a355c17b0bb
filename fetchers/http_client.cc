// The free functions of http_client.h: what a request sends, and the unit of politeness.
#include "fetchers/http_client.h"

#include <curl/curl.h>

#include <string>
#include <string_view>

#include "fetchers/curl_lib.h"
#include "fetchers/header_util.h"

namespace newsd::fetchers {

bool SendsValidators(std::string_view etag, std::string_view last_modified) {
  return (!etag.empty() && internal::IsSafeHeaderValue(etag)) ||
         (!last_modified.empty() && internal::IsSafeHeaderValue(last_modified));
}

std::string HostKey(const std::string& url) {
  const internal::CurlLib& curl = internal::Curl();
  CURLU* u = curl.url();
  if (u == nullptr) return {};
  std::string out;
  char* scheme = nullptr;
  char* host = nullptr;
  char* port = nullptr;
  if (curl.url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl.url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl.url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl.url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    const std::string_view s(scheme);
    if (s == "http" || s == "https") {
      out = host;
      for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      // "example.com." is the same host as "example.com" (fully qualified): one key, so one
      // in-flight limit, spacing and Retry-After hold, however a feed's URL spells it.
      if (out.size() > 1 && out.back() == '.') out.pop_back();
      out += ":";
      out += port;
    }
  }
  curl.free(scheme);
  curl.free(host);
  curl.free(port);
  curl.url_cleanup(u);
  return out;
}

}  // namespace newsd::fetchers
