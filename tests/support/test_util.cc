#include "tests/support/test_util.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace newsd::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "newsd-test-XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  path_ = made ? fs::path(made) : fs::path(tmpl);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::optional<fs::path> SharedDir() {
  const char* env = std::getenv("NEWSD_SHARED");
  fs::path dir = env && *env ? fs::path(env) : fs::path(NEWSD_SHARED_DEFAULT);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::nullopt;
  return fs::absolute(dir);
}

fs::path SourceDir() { return NEWSD_SOURCE_DIR; }
fs::path BinaryDir() { return NEWSD_BINARY_DIR; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

int RunCommand(const std::string& command, std::string* out) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    if (out) out->append(buf.data(), n);
  }
  int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace newsd::testing
