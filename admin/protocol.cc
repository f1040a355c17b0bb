#include "admin/protocol.h"

#include <algorithm>

namespace newsd::admin {

using nlohmann::json;

Reply Reply::Error(uint64_t id, const Status& status) {
  Reply r;
  r.id = id;
  r.ok = false;
  r.error_code = std::string(Status::CodeName(status.code()));
  r.error_message = status.message();
  return r;
}

std::string Encode(const Request& request) {
  json j = {
      {"v", request.version}, {"id", request.id}, {"cmd", request.cmd}, {"args", request.args}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Encode(const Reply& reply) {
  json j = {{"v", reply.version}, {"id", reply.id}, {"ok", reply.ok}};
  if (reply.ok) {
    j["result"] = reply.result;
  } else {
    j["error"] = {{"code", reply.error_code}, {"message", reply.error_message}};
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// Deepest nesting of arrays and objects in a JSON text (brackets inside strings skipped).
size_t NestingDepth(std::string_view text) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Result<json> ParseObject(std::string_view line, size_t max_bytes) {
  if (line.size() > max_bytes) {
    return Err(Status::InvalidArgument("line longer than " + std::to_string(max_bytes) + " bytes"));
  }
  // Copying and freeing a JSON value recurse once per level: a request nested 150,000 deep
  // overflowed the daemon's stack.
  if (NestingDepth(line) > kMaxDepth) {
    return Err(Status::InvalidArgument("request nested deeper than " + std::to_string(kMaxDepth) +
                                       " levels"));
  }
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Err(Status::InvalidArgument("malformed JSON"));
  if (!j.is_object()) return Err(Status::InvalidArgument("expected a JSON object"));
  return j;
}

Status CheckVersion(const json& j, int* version) {
  auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer()) {
    return Status::InvalidArgument("missing protocol version \"v\"");
  }
  const auto given = v->get<int64_t>();
  if (given != kVersion) {
    return Status::InvalidArgument("unsupported protocol version " + std::to_string(given) +
                                   " (this side speaks " + std::to_string(kVersion) + ")");
  }
  *version = kVersion;
  return Status::Ok();
}

uint64_t IdOf(const json& j) {
  auto id = j.find("id");
  return id != j.end() && id->is_number_unsigned() ? id->get<uint64_t>() : 0;
}

}  // namespace

Result<Request> DecodeRequest(std::string_view line) {
  auto j = ParseObject(line, kMaxLineBytes);
  if (!j) return Err(j.error());
  Request r;
  r.id = IdOf(*j);
  if (Status s = CheckVersion(*j, &r.version); !s.ok()) return Err(s);
  auto cmd = j->find("cmd");
  if (cmd == j->end() || !cmd->is_string()) {
    return Err(Status::InvalidArgument("missing command \"cmd\""));
  }
  r.cmd = cmd->get<std::string>();
  if (auto args = j->find("args"); args != j->end()) {
    if (!args->is_object()) return Err(Status::InvalidArgument("\"args\" must be an object"));
    r.args = *args;
  }
  return r;
}

uint64_t RequestIdOf(std::string_view line) {
  auto j = ParseObject(line, kMaxLineBytes);
  return j ? IdOf(*j) : 0;
}

Result<Reply> DecodeReply(std::string_view line) {
  auto j = ParseObject(line, kMaxReplyBytes);
  if (!j) return Err(j.error());
  Reply r;
  r.id = IdOf(*j);
  if (Status s = CheckVersion(*j, &r.version); !s.ok()) return Err(s);
  auto ok = j->find("ok");
  if (ok == j->end() || !ok->is_boolean()) return Err(Status::InvalidArgument("missing \"ok\""));
  r.ok = ok->get<bool>();
  if (r.ok) {
    if (auto res = j->find("result"); res != j->end()) r.result = *res;
    return r;
  }
  const json& err = (*j)["error"];
  if (!err.is_object()) return Err(Status::InvalidArgument("error reply without \"error\""));
  // A peer's reply is untrusted: a field of the wrong type counts as absent (json::value
  // would throw).
  auto text = [&err](const char* key, const char* fallback) {
    auto it = err.find(key);
    return it != err.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
  };
  r.error_code = text("code", "Internal");
  r.error_message = text("message", "");
  return r;
}

}  // namespace newsd::admin
