#include "fetchers/header_util.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "fetchers/address_policy.h"
#include "fetchers/http_client.h"

namespace newsd::fetchers::internal {
namespace {

TEST(HeaderUtilTest, TrimKeepsInnerBytes) {
  EXPECT_EQ(TrimHeaderValue("  W/\"a b\" \r\n"), "W/\"a b\"");
  EXPECT_EQ(TrimHeaderValue("\t x\ty \t"), "x\ty");
  EXPECT_EQ(TrimHeaderValue(" \r\n"), "");
}

TEST(HeaderUtilTest, SplitHeaderLine) {
  std::string_view name;
  std::string_view value;
  ASSERT_TRUE(SplitHeaderLine("ETag:  \"x:y\"\r\n", &name, &value));
  EXPECT_EQ(name, "ETag");
  EXPECT_EQ(value, "\"x:y\"");
  EXPECT_FALSE(SplitHeaderLine("HTTP/1.1 200 OK\r\n", &name, &value));
  EXPECT_FALSE(SplitHeaderLine("\r\n", &name, &value));
  EXPECT_FALSE(SplitHeaderLine(" folded: x\r\n", &name, &value));
}

TEST(HeaderUtilTest, EqualsIgnoreCase) {
  EXPECT_TRUE(EqualsIgnoreCase("etag", "ETag"));
  EXPECT_FALSE(EqualsIgnoreCase("etag", "etags"));
}

TEST(HeaderUtilTest, RetryAfterSecondsAndDates) {
  EXPECT_EQ(ParseRetryAfter("120", "", 1000), 120);
  EXPECT_EQ(ParseRetryAfter(" 0 ", "", 1000), 0);
  // Sun, 06 Nov 1994 08:49:37 GMT == 784111777 (RFC 9110 example).
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", "", 784111777 - 60), 60);
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", "", 784111777 - 5), 5);
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", "", 784111777 - 7), 7);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", "", 784111777 + 60), 0);
  EXPECT_EQ(ParseRetryAfter("soon", "", 1000), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", "", 1000), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", "", 1000), std::nullopt);
  // A date counts from the server's Date when its clock is behind ours (it asked for 10 min).
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:59:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT",
                            784111777 + 3600),
            600);
  // From ours when it is ahead: never shorter than our clock says.
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:59:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT",
                            784111777 - 3600),
            600 + 3600);
  EXPECT_EQ(ParseRetryAfter("120", "Sun, 06 Nov 1994 08:49:37 GMT", 0), 120);
}

TEST(HeaderUtilTest, CacheControlMaxAge) {
  EXPECT_EQ(CacheControlMaxAge("max-age=600"), 600);
  EXPECT_EQ(CacheControlMaxAge("public, MAX-AGE = \"90\" , must-revalidate"), 90);
  EXPECT_EQ(CacheControlMaxAge("no-cache"), 0);
  EXPECT_EQ(CacheControlMaxAge("no-store, max-age=60"), 60);
  EXPECT_EQ(CacheControlMaxAge("public"), std::nullopt);
  EXPECT_EQ(CacheControlMaxAge("max-age=soon"), std::nullopt);
}

TEST(HeaderUtilTest, FreshnessPrefersMaxAgeThenExpires) {
  const std::string date = "Sun, 06 Nov 1994 08:49:37 GMT";  // 784111777
  EXPECT_EQ(FreshnessSeconds("max-age=600", "100", "", "", 0), 500);
  EXPECT_EQ(FreshnessSeconds("max-age=60", "100", "", "", 0), 0) << "never negative";
  EXPECT_EQ(FreshnessSeconds("max-age=60", "", "Sun, 06 Nov 1994 09:49:37 GMT", date, 0), 60)
      << "Expires is ignored when max-age is given";
  EXPECT_EQ(FreshnessSeconds("", "", "Sun, 06 Nov 1994 09:49:37 GMT", date, 0), 3600);
  EXPECT_EQ(FreshnessSeconds("", "", "Sun, 06 Nov 1994 09:49:37 GMT", "", 784111777 + 600), 3000)
      << "no Date: from now";
  EXPECT_EQ(FreshnessSeconds("", "", "0", date, 0), 0) << "Expires: 0 means stale";
  EXPECT_EQ(FreshnessSeconds("", "", "", date, 0), std::nullopt);
}

sockaddr_storage V4(const char* ip) {
  sockaddr_storage ss{};
  auto* in = reinterpret_cast<sockaddr_in*>(&ss);
  in->sin_family = AF_INET;
  inet_pton(AF_INET, ip, &in->sin_addr);
  return ss;
}

sockaddr_storage V6(const char* ip) {
  sockaddr_storage ss{};
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
  in6->sin6_family = AF_INET6;
  inet_pton(AF_INET6, ip, &in6->sin6_addr);
  return ss;
}

bool Public4(const char* ip) {
  sockaddr_storage ss = V4(ip);
  return IsPublicAddress(reinterpret_cast<sockaddr*>(&ss), sizeof(sockaddr_in));
}

bool Public6(const char* ip) {
  sockaddr_storage ss = V6(ip);
  return IsPublicAddress(reinterpret_cast<sockaddr*>(&ss), sizeof(sockaddr_in6));
}

TEST(AddressPolicyTest, PrivateLoopbackAndSpecialRangesAreNotPublic) {
  for (const char* ip :
       {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.10", "198.18.0.1"}) {
    EXPECT_FALSE(Public4(ip)) << ip;
  }
  for (const char* ip :
       {"::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "2001:db8::1", "64:ff9b::a00:1", "2002:0a00:0001::1"}) {
    EXPECT_FALSE(Public6(ip)) << ip;
  }
}

TEST(AddressPolicyTest, PublicAddressesPass) {
  for (const char* ip : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1"}) {
    EXPECT_TRUE(Public4(ip)) << ip;
  }
  for (const char* ip : {"2a00:1450:4001::1", "::ffff:8.8.8.8", "2606:4700::1111"}) {
    EXPECT_TRUE(Public6(ip)) << ip;
  }
  EXPECT_FALSE(IsPublicAddress(nullptr, 0));
}

TEST(AddressPolicyTest, HostsThatNameAPrivateAddressByThemselves) {
  for (const char* url :
       {"http://127.0.0.1/", "http://10.0.0.1:8080/a", "http://[::1]/", "http://[fe80::1%25eth0]/",
        "http://localhost/", "http://LocalHost./", "http://feeds.localhost/", "http://0177.0.0.1/",
        "http://2130706433/", "https://[::ffff:192.168.1.1]/",
        // International forms that curl sends as loopback (IDNA mapping).
        "http://\u2460\u2461\u2466.0.0.1/",
        "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/",
        "http://127\u30020\u30020\u30021/"}) {
    EXPECT_FALSE(HasPublicHost(url)) << url;
  }
  EXPECT_TRUE(HasPublicHost("http://\u0430\u0441\u0442\u0430\u043d\u0430.kz/"));  // астана.kz
  for (const char* url :
       {"http://news.example.com/", "http://8.8.8.8/", "http://[2001:4860::8888]/",
        "http://notlocalhost/", "http://localhost.example.com/", "file:///tmp/a", "not a url"}) {
    EXPECT_TRUE(HasPublicHost(url)) << url;
  }
}

TEST(AddressPolicyTest, ProxyEndpointsMatchAddressAndPort) {
  const auto endpoints = ResolveProxyEndpoints("http://127.0.0.1:3128");
  ASSERT_EQ(endpoints.size(), 1u);
  sockaddr_storage ss{};
  socklen_t len = AddressFromText("127.0.0.1", 3128, &ss);
  EXPECT_TRUE(IsEndpoint(reinterpret_cast<sockaddr*>(&ss), len, endpoints));
  len = AddressFromText("127.0.0.1", 8080, &ss);
  EXPECT_FALSE(IsEndpoint(reinterpret_cast<sockaddr*>(&ss), len, endpoints));
  const auto socks = ResolveProxyEndpoints("socks5h://[::1]");  // no port: libcurl's 1080
  ASSERT_EQ(socks.size(), 1u);
  len = AddressFromText("::1", 1080, &ss);
  EXPECT_TRUE(IsEndpoint(reinterpret_cast<sockaddr*>(&ss), len, socks));
}

TEST(AddressPolicyTest, HostKey) {
  EXPECT_EQ(HostKey("https://News.Example.com/rss"), "news.example.com:443");
  EXPECT_EQ(HostKey("http://example.com:8080/a?b"), "example.com:8080");
  EXPECT_EQ(HostKey("http://example.com/"), "example.com:80");
  // A fully qualified name is the same host: one limit, spacing and Retry-After hold.
  EXPECT_EQ(HostKey("https://Example.COM./x"), "example.com:443");
  EXPECT_EQ(HostKey("file:///var/feeds/x.xml"), "");
  EXPECT_EQ(HostKey("not a url"), "");
}

}  // namespace
}  // namespace newsd::fetchers::internal
