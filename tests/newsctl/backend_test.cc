// The "newsd is not running" advice: where the service's archive and socket are.
#include "newsctl/backend.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/test_util.h"

namespace newsd::newsctl {
namespace {

using testing::TempDir;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(NotRunningMessageTest, WithoutTheServiceFileItNamesTheDefaultArchive) {
  TempDir dir;
  const std::string message =
      NotRunningMessage("/run/newsd/admin.sock", "cannot connect", dir.str() + "/none.toml");
  EXPECT_TRUE(Has(message, "newsd is not running (cannot connect;")) << message;
  EXPECT_TRUE(Has(message, std::string(kStartOrReadHint) +
                               " (the service's: /var/lib/newsd by default, as there is no " +
                               dir.str() + "/none.toml"))
      << message;
  EXPECT_FALSE(Has(message, "gives")) << message;
}

// A data_dir that is not there is said to be so: no archive to read with --db there.
TEST(NotRunningMessageTest, ADataDirThatDoesNotExistIsSaidToBeSo) {
  TempDir dir;
  const std::string file = dir.str() + "/newsd.toml";
  testing::WriteFile(file, "[daemon]\ndata_dir = \"" + dir.str() + "/none\"\n");
  std::string message = NotRunningMessage("/run/newsd/admin.sock", "refused", file);
  EXPECT_TRUE(Has(message, "says: " + dir.str() + "/none, which does not exist)")) << message;
  testing::WriteFile(file, "[daemon]\ndata_dir = \"" + dir.str() + "\"\n");
  message = NotRunningMessage("/run/newsd/admin.sock", "refused", file);
  EXPECT_FALSE(Has(message, "does not exist")) << message;
}

// An operator who moved the archive and the socket in the service's file is told where they
// are, not the packaged defaults.
TEST(NotRunningMessageTest, TheServiceFileSaysWhereTheArchiveAndSocketAre) {
  TempDir dir;
  const std::string file = dir.str() + "/newsd.toml";
  testing::WriteFile(file,
                     "[daemon]\ndata_dir = \"/srv/news\"\nadmin_socket = \"/srv/news.sock\"\n");
  std::string message = NotRunningMessage("/run/newsd/admin.sock", "cannot connect", file);
  EXPECT_TRUE(Has(message, "(" + file + " gives /srv/news.sock)")) << message;
  EXPECT_TRUE(Has(message, " (the service's, as " + file + " says: /srv/news")) << message;
  EXPECT_FALSE(Has(message, "/var/lib/newsd")) << message;
  // The socket it gives is the one tried: nothing to add about it.
  message = NotRunningMessage("/srv/news.sock", "cannot connect", file);
  EXPECT_FALSE(Has(message, "gives")) << message;
}

// A file that does not load is most likely why the service is down: said, with its error.
TEST(NotRunningMessageTest, ABrokenServiceFileIsNamedWithItsError) {
  TempDir dir;
  const std::string file = dir.str() + "/newsd.toml";
  testing::WriteFile(file, "[daemon]\ndata_dir = \n");
  const std::string message = NotRunningMessage("/run/newsd/admin.sock", "refused", file);
  // Before the hint that commands needing the daemon replace: they keep it too.
  const size_t broken = message.find(file +
                                     " does not load, which keeps the service from "
                                     "starting (newsd --check-config): " +
                                     file + ":2: ");
  EXPECT_LT(broken, message.find(kStartOrReadHint)) << message;
  EXPECT_TRUE(Has(message, " (the service's: /var/lib/newsd, unless " + file + " says otherwise)"))
      << message;
}

// A file that leaves data_dir to its default says so; relative paths are the service's, from /.
TEST(NotRunningMessageTest, TheDefaultAndRelativePathsAreSaidAsTheServiceSeesThem) {
  TempDir dir;
  const std::string file = dir.str() + "/newsd.toml";
  testing::WriteFile(file, "[daemon]\nlog_level = \"debug\"\n");
  std::string message = NotRunningMessage("/run/newsd/admin.sock", "refused", file);
  EXPECT_TRUE(Has(message, " (the service's: /var/lib/newsd, the default")) << message;
  testing::WriteFile(file, "[daemon]\ndata_dir = \"srv/news\"\nadmin_socket = \"run/a.sock\"\n");
  message = NotRunningMessage("/run/newsd/admin.sock", "refused", file);
  EXPECT_TRUE(Has(message, "says: /srv/news")) << message;
  EXPECT_TRUE(Has(message, "gives /run/a.sock)")) << message;
}

}  // namespace
}  // namespace newsd::newsctl
