#pragma once

// Internal to fetchers/: libcurl, loaded when the process first needs it.
//
// newsd is one binary for the service, a poll round, and batch modes that never fetch (`newsd
// import`, `--check-config`, `--version`). Linked the usual way, libcurl and the ~30 libraries
// it needs (TLS, LDAP, Kerberos, SSH, IDN, ...) are mapped, relocated and initialised at every
// exec: about 4 ms, 2 % of an import of the dev corpus. fetchers/ therefore calls libcurl only
// through the table below, which dlopen()s libcurl.so.4 on first use (the library package
// `libcurl4`, a declared dependency of the .deb; the headers come from libcurl4-openssl-dev).

#include <curl/curl.h>

#include "core/status.h"

namespace newsd::fetchers::internal {

/// The libcurl entry points fetchers/ calls, with libcurl's own signatures; call them as the
/// functions they name (`Curl().url_set(u, CURLUPART_URL, s, 0)` for `curl_url_set(...)`).
struct CurlLib {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_setopt) multi_setopt;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_socket_action) multi_socket_action;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_multi_strerror) multi_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_url) url;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_url_get) url_get;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_free) free;
  decltype(&::curl_getdate) getdate;
};

/// Loads libcurl.so.4 and resolves every entry point of CurlLib, once per process; later calls
/// return the first call's outcome. Thread-safe. Error: Unavailable, naming the library, what
/// the dynamic loader said, and the package to install.
Status LoadCurl();

/// The loaded entry points. Loads them first when LoadCurl() has not run; if that fails, the
/// process prints LoadCurl()'s error and aborts. Callers that can report the failure (the HTTP
/// client's creation) call LoadCurl() first, so only a broken installation gets there.
const CurlLib& Curl();

}  // namespace newsd::fetchers::internal
