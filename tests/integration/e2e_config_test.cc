// End to end: configurations newsd refuses (exit 78) or warns of, --check-config.
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/support/test_util.h"

namespace newsd {
namespace {

using testing::Bin;
using testing::RunCommand;
using testing::TempDir;

// An admin socket whose directory does not exist cannot work: --check-config warns, and the
// service refuses to start with 78 (systemd does not restart it) instead of failing with 1.
TEST(EndToEndTest, AnAdminSocketWithoutItsDirectoryIsAConfigurationError) {
  TempDir dir;
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 dir.str() + "/nodir/admin.sock\"\n");
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config --config " + config + " 2>&1", &out), 0)
      << out;
  EXPECT_NE(out.find("nodir does not exist; the service needs it to start: create it"),
            std::string::npos)
      << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --config " + config + " 2>&1", &out), 78) << out;
  EXPECT_NE(out.find("admin_socket"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data")) << "refused before the archive opens";
}

// An admin_socket naming a file that is no socket (a typo, or the archive's own CURRENT) is
// refused, never deleted: newsd used to unlink whatever was there.
TEST(EndToEndTest, AnAdminSocketPathHoldingAFileIsRefusedAndKept) {
  TempDir dir;
  const std::string precious = dir.str() + "/precious.txt";
  testing::WriteFile(precious, "keep me\n");
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 precious + "\"\n");
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config --config " + config + " 2>&1", &out), 78)
      << out;
  EXPECT_NE(out.find("exists and is no socket"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --config " + config + " 2>&1", &out), 78) << out;
  EXPECT_NE(out.find("will not delete it"), std::string::npos) << out;
  EXPECT_EQ(testing::ReadFile(precious), "keep me\n");
}

// A relative data_dir is read from the working directory, which for the service is /: said,
// with the directory it names here, by --check-config and at start-up.
TEST(EndToEndTest, ARelativeDataDirIsNamedInFull) {
  TempDir dir;
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"archive\"\nadmin_socket = \"" + dir.str() +
                                 "/admin.sock\"\n");
  std::string out;
  EXPECT_EQ(RunCommand("cd " + dir.str() + " && " + Bin("newsd") + " --check-config --config " +
                           config + " 2>&1",
                       &out),
            0)
      << out;
  EXPECT_NE(out.find("newsd.toml:2: [daemon] data_dir \"archive\" is relative: it is read from "
                     "the working directory, here " +
                     dir.str() + "/archive"),
            std::string::npos)
      << out;
}

TEST(EndToEndTest, BadConfigIsRefusedWithExit78) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/bad.toml", "[daemon]\ndata_dir = \"/x\"\nbogus = 1\n");
  std::string out;
  int rc =
      RunCommand(Bin("newsd") + " --check-config --config " + dir.str() + "/bad.toml 2>&1", &out);
  EXPECT_EQ(rc, 78);
  EXPECT_NE(out.find("bad.toml:3: unknown key [daemon] bogus"), std::string::npos) << out;
}

// A data_dir under a file system where no directory can be made (/proc): refused by the check
// as by the daemon, and nothing is left behind where the check tried.
TEST(EndToEndTest, ADataDirThatCannotBeCreatedIsAConfigurationError) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/newsd.toml", "[daemon]\ndata_dir = \"/proc/newsd-nope\"\n");
  std::string out;
  EXPECT_EQ(
      RunCommand(Bin("newsd") + " --check-config --config " + dir.str() + "/newsd.toml 2>&1", &out),
      78)
      << out;
  EXPECT_NE(out.find("cannot create a directory there"), std::string::npos) << out;
  // Where directories can be made, the check leaves none of its own.
  testing::WriteFile(dir.str() + "/ok.toml", "[daemon]\ndata_dir = \"" + dir.str() +
                                                 "/new/data\"\nadmin_socket = \"" + dir.str() +
                                                 "/admin.sock\"\n");
  std::filesystem::create_directory(dir.path() / "new");
  out.clear();
  EXPECT_EQ(
      RunCommand(Bin("newsd") + " --check-config --config " + dir.str() + "/ok.toml 2>&1", &out), 0)
      << out;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "new")) << "the probe is removed";
}

// A feed interval below [politeness] min_interval is polled at that floor: the check says so.
TEST(EndToEndTest, CheckConfigWarnsOfAnIntervalBelowTheFloor) {
  TempDir dir;
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + dir.str() + "/data\"\nadmin_socket = \"" +
                                 dir.str() +
                                 "/admin.sock\"\n[[feed]]\nid = \"fast\"\n"
                                 "url = \"http://127.0.0.1:1/x\"\ninterval = \"5m\"\n");
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config --config " + config + " 2>&1", &out), 0)
      << out;
  EXPECT_NE(out.find("1 feed sets an interval below [politeness] min_interval (15m): polled "
                     "every 15m (fast)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("OK, 1 feed\n"), std::string::npos) << out;
}

TEST(EndToEndTest, UnusableDataDirIsAConfigurationError) {
  TempDir dir;
  testing::WriteFile(dir.str() + "/file", "not a directory\n");
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"" + dir.str() + "/file/archive\"\n");
  const std::string config = " --config " + dir.str() + "/newsd.toml 2>&1";
  std::string out;
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config" + config, &out), 78) << out;
  EXPECT_NE(out.find("/file is not a directory"), std::string::npos) << out;
  // The line that sets data_dir is named, as for every other bad value.
  EXPECT_NE(out.find("newsd.toml:2: data_dir "), std::string::npos) << out;
  // The daemon refuses to start the same way (systemd does not restart on 78).
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --once" + config, &out), 78) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "file" / "archive"));
  // A symlink to nothing cannot be created as a directory either.
  std::filesystem::create_symlink(dir.path() / "nowhere" / "x", dir.path() / "dangling");
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"" + dir.str() + "/dangling\"\n");
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config" + config, &out), 78) << out;
  EXPECT_NE(out.find("symlink to nothing"), std::string::npos) << out;
  // A data_dir that does not exist yet but can be created is fine.
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"" + dir.str() + "/new/archive\"\n");
  out.clear();
  EXPECT_EQ(RunCommand(Bin("newsd") + " --check-config" + config, &out), 0) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "new")) << "--check-config creates nothing";
}

// --check-config run by the user newsd will run as (no `newsd` service user here: cron, a
// container, by hand) refuses a data_dir that user may not write, as the start would; it only
// warns when the service runs as another user (the unit's User=newsd).
TEST(EndToEndTest, CheckConfigRefusesADataDirTheRunningUserMayNotWrite) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run newsd as another user";
  if (::getpwnam("newsd") != nullptr) GTEST_SKIP() << "a newsd user exists: only a warning";
  std::string out;
  if (RunCommand("runuser -u nobody -- " + Bin("newsd") + " --version 2>&1", &out) != 0) {
    GTEST_SKIP() << "nobody cannot run " << Bin("newsd") << ": " << out;
  }
  TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
  std::filesystem::create_directory(dir.path() / "archive");  // root's, 0755
  testing::WriteFile(dir.str() + "/newsd.toml",
                     "[daemon]\ndata_dir = \"" + dir.str() + "/archive\"\n");
  std::filesystem::permissions(dir.path() / "newsd.toml", std::filesystem::perms(0644));
  const std::string as_nobody =
      "runuser -u nobody -- " + Bin("newsd") + " --config " + dir.str() + "/newsd.toml";
  out.clear();
  EXPECT_EQ(RunCommand(as_nobody + " --check-config 2>&1", &out), 78) << out;
  EXPECT_NE(out.find("archive"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(as_nobody + " --once 2>&1", &out), 78) << out;
}

// newsd reparse with the daemon stopped reads the archive it names: a data_dir holding none
// is refused, and left as it was (no empty archive is made there).
TEST(EndToEndTest, ReparseRefusesADataDirWithoutAnArchive) {
  TempDir dir;
  const std::string config = dir.str() + "/newsd.toml";
  const std::string data = dir.str() + "/data";
  testing::WriteFile(config, "[daemon]\ndata_dir = \"" + data +
                                 "\"\n[[feed]]\nid = \"f1\"\nurl = \"file:///dev/null\"\n");
  for (const char* flags : {"--dry-run", ""}) {
    std::string out;
    const int rc =
        RunCommand(Bin("newsd") + " reparse f1 " + flags + " --config " + config + " 2>&1", &out);
    EXPECT_NE(rc, 0) << out;
    EXPECT_NE(out.find("no archive at '" + data + "'"), std::string::npos) << out;
    EXPECT_FALSE(std::filesystem::exists(data)) << flags;
  }
}

// log_level = "off" silences the log, never the reason newsd refuses to start.
TEST(EndToEndTest, ARefusedStartIsSaidEvenWithLoggingOff) {
  TempDir dir;
  const std::string config = dir.str() + "/newsd.toml";
  testing::WriteFile(dir.str() + "/afile", "x");
  testing::WriteFile(config, "[daemon]\nlog_level = \"off\"\ndata_dir = \"" + dir.str() +
                                 "/afile\"\nadmin_socket = \"" + dir.str() + "/admin.sock\"\n");
  for (const char* mode : {"--check-config", "--once", ""}) {
    std::string out;
    EXPECT_EQ(RunCommand(Bin("newsd") + " " + mode + " --config " + config + " 2>&1", &out), 78)
        << mode;
    EXPECT_NE(out.find("is not a directory"), std::string::npos) << mode << ": " << out;
  }
}

}  // namespace
}  // namespace newsd
