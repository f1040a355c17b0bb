#pragma once

#include <filesystem>
#include <optional>
#include <string>

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

/// Whole file as a string (empty when unreadable).
std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& data);

/// Runs a shell command, returns its exit status and captures stdout into *out (if given).
int RunCommand(const std::string& command, std::string* out = nullptr);

}  // namespace newsd::testing
