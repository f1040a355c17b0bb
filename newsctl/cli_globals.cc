// newsctl's global options and what main() does around a command: a failed parse, the
// output's last flush.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "newsctl/cli.h"
#include "newsctl/render.h"

namespace newsd::newsctl {

void AddGlobalOptions(CLI::App& app, GlobalArgs* g, std::string* timeout) {
  if (const char* env = std::getenv("NEWSD_SOCKET"); env != nullptr && *env != '\0') {
    g->socket = env;
  }
  app.add_option("--socket", g->socket, "admin socket ($NEWSD_SOCKET)")->capture_default_str();
  app.add_option("--db", g->db,
                 "open the archive in this data_dir directly, without the daemon: read-only, "
                 "but for backup, which first moves the archive's log into a table there");
  app.add_flag("--json", g->json, "JSON output for scripts");
  app.add_option("--timeout", *timeout,
                 "how long to wait for the daemon's answer, e.g. 30s or 5m; 0 = no limit "
                 "(default 60s; no limit for backup and reparse)");
}

int ParseFailed(CLI::App& app, const CLI::ParseError& e, const std::vector<std::string>& args) {
  // With --json, a bad option value or an unknown command is an error object on standard
  // output too, as every other error is (--help and --version are no errors: exit code 0); but
  // export's standard output holds items only (RunExport).
  const bool json = std::find(args.begin(), args.end(), "--json") != args.end() &&
                    std::find(args.begin(), args.end(), "export") == args.end();
  if (std::optional<std::string> why = ExplainUnknownCommand(app, args)) {
    if (json) {  // the message without "newsctl feeds: ", as the other error objects have it
      const size_t colon = why->find(": ");
      PrintErrorObject(
          Status::InvalidArgument(colon == std::string::npos ? *why : why->substr(colon + 2)));
    }
    std::cerr << *why << "\n";
    return kExitUsage;
  }
  if (json && e.get_exit_code() != 0) {
    return FailUsage(Status::InvalidArgument(e.what()), /*json=*/true);
  }
  return app.exit(e) == 0 ? 0 : kExitUsage;
}

int OutputWritten(int code) {
  errno = 0;  // (the flush may do the write that fails)
  std::cout.flush();
  const bool failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed || code != kExitOk) return code;  // (a failed command said why)
  const int error = errno;
  pollfd out{STDOUT_FILENO, 0, 0};
  const bool reader_gone =
      error == EPIPE || (::poll(&out, 1, 0) == 1 && (out.revents & (POLLERR | POLLHUP)) != 0);
  if (reader_gone) return code;
  std::fprintf(stderr, "newsctl: writing the output failed (%s): what was written is cut short\n",
               error != 0 ? std::strerror(error) : "a full disk, or a file closed");
  return kExitFailed;
}

std::optional<int> ApplyTimeout(const std::string& timeout, GlobalArgs* g) {
  if (timeout.empty()) return std::nullopt;
  const std::optional<int64_t> seconds =
      timeout == "0" ? std::optional<int64_t>(0) : ParseDuration(timeout);
  if (!seconds || *seconds < 0) {
    return FailUsage(Status::InvalidArgument("--timeout \"" + timeout +
                                             "\": give a duration such as 30s or "
                                             "5m, or 0 for no limit"),
                     g->json);
  }
  g->timeout_seconds = *seconds;
  return std::nullopt;
}

}  // namespace newsd::newsctl
