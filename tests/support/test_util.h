#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace newsd::testing {

/// A fresh directory under $TMPDIR, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

/// The shared corpora folder: $NEWSD_SHARED, else ../shared beside the source tree.
/// nullopt when it does not exist (tests then GTEST_SKIP with a message).
std::optional<std::filesystem::path> SharedDir();

/// Source tree root and build tree root.
std::filesystem::path SourceDir();
std::filesystem::path BinaryDir();

/// Path of the built binary `name` (newsd, newsctl) as a string for a command line.
std::string Bin(const char* name);

/// Whole file as a string (empty when unreadable).
std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& data);

/// Runs a shell command, returns its exit status and captures stdout into *out (if given).
int RunCommand(const std::string& command, std::string* out = nullptr);

/// Starts `args[0]` (a path) with `args`, the environment plus `extra_env` ("K=V", first wins);
/// returns its pid, or -1.
pid_t Spawn(const std::vector<std::string>& args, const std::vector<std::string>& extra_env);

/// Waits until `path` exists or `timeout` passes; true if it exists.
bool WaitForPath(const std::string& path, std::chrono::milliseconds timeout);

/// Waits until a Unix socket at `path` accepts a connection or `timeout` passes; true if it
/// did. The socket file exists from bind(), before the server listens: a client that only
/// waited for the file could be refused.
bool WaitForSocket(const std::string& path, std::chrono::milliseconds timeout);

}  // namespace newsd::testing
