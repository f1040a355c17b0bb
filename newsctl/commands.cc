#include "newsctl/commands.h"

#include <iostream>

#include "newsctl/backend.h"
#include "newsctl/render.h"

namespace newsd::newsctl {

namespace {

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kUnavailable:
      return kExitNotRunning;
    case Status::Code::kNotFound:
      return kExitNotFound;
    default:
      return kExitFailed;
  }
}

Result<std::unique_ptr<Backend>> Open(const GlobalArgs& g) {
  return g.db.empty() ? ConnectSocket(g.socket) : OpenDirect(g.db);
}

}  // namespace

int Fail(const Status& s, bool json) {
  if (json) {
    nlohmann::json err = {
        {"error", {{"code", Status::CodeName(s.code())}, {"message", s.message()}}}};
    std::cout << err.dump() << "\n";
  }
  std::cerr << "newsctl: " << s.message() << "\n";
  return ExitCodeFor(s);
}

int RunCall(const GlobalArgs& g, const std::string& cmd, const nlohmann::json& args,
            Printer printer) {
  auto backend = Open(g);
  if (!backend) return Fail(backend.error(), g.json);
  auto result = (*backend)->Call(cmd, args);
  if (!result) return Fail(result.error(), g.json);
  if (g.json) {
    std::cout << result->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  switch (printer) {
    case Printer::kStatus:
      PrintStatus(*result, std::cout);
      break;
    case Printer::kFeeds:
      PrintFeeds(*result, std::cout);
      break;
    case Printer::kHosts:
      PrintHosts(*result, std::cout);
      break;
    case Printer::kStories:
      PrintStories(*result, std::cout);
      break;
    case Printer::kStory:
      PrintStory(*result, std::cout);
      break;
    case Printer::kReparse:
      PrintReparse(*result, std::cout);
      break;
    case Printer::kReload:
      PrintReload(*result, std::cout);
      break;
    case Printer::kFeed:
      PrintFeed(*result, std::cout);
      break;
  }
  return kExitOk;
}

int RunExport(const GlobalArgs& g) {
  auto backend = Open(g);
  if (!backend) return Fail(backend.error(), false);
  std::ios::sync_with_stdio(false);
  Status s = (*backend)->Export([](const nlohmann::json& line) {
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  });
  std::cout.flush();
  if (!s.ok()) return Fail(s, false);
  return kExitOk;
}

}  // namespace newsd::newsctl
