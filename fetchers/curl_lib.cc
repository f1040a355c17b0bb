#include "fetchers/curl_lib.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace newsd::fetchers::internal {
namespace {

constexpr const char* kLibrary = "libcurl.so.4";

// Resolves `name` in `lib` into `*fn`; appends the name to `missing` when it is not there.
template <class Fn>
void Resolve(void* lib, const char* name, Fn* fn, std::string* missing) {
  void* symbol = dlsym(lib, name);
  if (symbol == nullptr) {
    missing->append(missing->empty() ? "" : ", ").append(name);
    return;
  }
  *fn = reinterpret_cast<Fn>(symbol);  // NOLINT: dlsym's documented use for functions.
}

Status Load(CurlLib* curl) {
  // RTLD_LAZY, as when linked: libcurl binds its own calls on first use. RTLD_LOCAL: nothing
  // else in the process resolves symbols against it.
  void* lib = dlopen(kLibrary, RTLD_LAZY | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    return Status::Unavailable(std::string("cannot load ") + kLibrary + " (" +
                               (why != nullptr ? why : "unknown error") +
                               "): install the libcurl4 package");
  }
  std::string missing;
  Resolve(lib, "curl_global_init", &curl->global_init, &missing);
  Resolve(lib, "curl_easy_init", &curl->easy_init, &missing);
  Resolve(lib, "curl_easy_setopt", &curl->easy_setopt, &missing);
  Resolve(lib, "curl_easy_getinfo", &curl->easy_getinfo, &missing);
  Resolve(lib, "curl_easy_cleanup", &curl->easy_cleanup, &missing);
  Resolve(lib, "curl_easy_strerror", &curl->easy_strerror, &missing);
  Resolve(lib, "curl_multi_init", &curl->multi_init, &missing);
  Resolve(lib, "curl_multi_setopt", &curl->multi_setopt, &missing);
  Resolve(lib, "curl_multi_add_handle", &curl->multi_add_handle, &missing);
  Resolve(lib, "curl_multi_remove_handle", &curl->multi_remove_handle, &missing);
  Resolve(lib, "curl_multi_socket_action", &curl->multi_socket_action, &missing);
  Resolve(lib, "curl_multi_info_read", &curl->multi_info_read, &missing);
  Resolve(lib, "curl_multi_cleanup", &curl->multi_cleanup, &missing);
  Resolve(lib, "curl_multi_strerror", &curl->multi_strerror, &missing);
  Resolve(lib, "curl_slist_append", &curl->slist_append, &missing);
  Resolve(lib, "curl_slist_free_all", &curl->slist_free_all, &missing);
  Resolve(lib, "curl_url", &curl->url, &missing);
  Resolve(lib, "curl_url_set", &curl->url_set, &missing);
  Resolve(lib, "curl_url_get", &curl->url_get, &missing);
  Resolve(lib, "curl_url_cleanup", &curl->url_cleanup, &missing);
  Resolve(lib, "curl_free", &curl->free, &missing);
  Resolve(lib, "curl_getdate", &curl->getdate, &missing);
  if (!missing.empty()) {
    return Status::Unavailable(std::string(kLibrary) + " lacks " + missing +
                               ": it is not the libcurl newsd was built for; install Debian 12's "
                               "libcurl4");
  }
  return Status::Ok();  // The handle stays open for the process's life.
}

struct Loaded {
  CurlLib curl{};
  Status status;
};

const Loaded& LoadOnce() {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded.status = Load(&loaded.curl); });
  return loaded;
}

}  // namespace

Status LoadCurl() { return LoadOnce().status; }

const CurlLib& Curl() {
  const Loaded& loaded = LoadOnce();
  if (!loaded.status.ok()) {
    std::fprintf(stderr, "newsd: %s\n", loaded.status.ToString().c_str());
    std::abort();
  }
  return loaded.curl;
}

}  // namespace newsd::fetchers::internal
