#include "fetchers/curl_lib.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace newsd::fetchers::internal {
namespace {

// Whether libcurl is mapped into this process (/proc/self/maps names every mapped file).
bool CurlMapped() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find("/libcurl.so") != std::string::npos) return true;
  }
  return false;
}

TEST(CurlLibTest, LibcurlIsLoadedOnFirstUseNotAtExec) {
  if (CurlMapped()) {
    GTEST_SKIP() << "another test in this process loaded libcurl already; run this one alone "
                    "(ctest does)";
  }
  ASSERT_TRUE(LoadCurl().ok()) << LoadCurl().ToString();
  EXPECT_TRUE(CurlMapped());
}

TEST(CurlLibTest, EveryEntryPointIsResolvedAndWorks) {
  ASSERT_TRUE(LoadCurl().ok()) << LoadCurl().ToString();
  const CurlLib& curl = Curl();
  const void* entries[] = {
      reinterpret_cast<const void*>(curl.global_init),
      reinterpret_cast<const void*>(curl.easy_init),
      reinterpret_cast<const void*>(curl.easy_setopt),
      reinterpret_cast<const void*>(curl.easy_getinfo),
      reinterpret_cast<const void*>(curl.easy_cleanup),
      reinterpret_cast<const void*>(curl.easy_strerror),
      reinterpret_cast<const void*>(curl.multi_init),
      reinterpret_cast<const void*>(curl.multi_setopt),
      reinterpret_cast<const void*>(curl.multi_add_handle),
      reinterpret_cast<const void*>(curl.multi_remove_handle),
      reinterpret_cast<const void*>(curl.multi_socket_action),
      reinterpret_cast<const void*>(curl.multi_info_read),
      reinterpret_cast<const void*>(curl.multi_cleanup),
      reinterpret_cast<const void*>(curl.multi_strerror),
      reinterpret_cast<const void*>(curl.slist_append),
      reinterpret_cast<const void*>(curl.slist_free_all),
      reinterpret_cast<const void*>(curl.url),
      reinterpret_cast<const void*>(curl.url_set),
      reinterpret_cast<const void*>(curl.url_get),
      reinterpret_cast<const void*>(curl.url_cleanup),
      reinterpret_cast<const void*>(curl.free),
      reinterpret_cast<const void*>(curl.getdate),
  };
  static_assert(sizeof(entries) / sizeof(entries[0]) * sizeof(void*) == sizeof(CurlLib),
                "a CurlLib entry point is missing from this list");
  for (const void* entry : entries) EXPECT_NE(entry, nullptr);
  EXPECT_EQ(curl.getdate("Sun, 06 Nov 1994 08:49:37 GMT", nullptr), 784111777);
  EXPECT_STREQ(curl.easy_strerror(CURLE_OK), "No error");
}

}  // namespace
}  // namespace newsd::fetchers::internal
