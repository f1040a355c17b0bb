#include "core/status.h"

namespace newsd {

std::string_view Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kNotFound:
      return "NotFound";
    case Code::kInvalidArgument:
      return "InvalidArgument";
    case Code::kCorruption:
      return "Corruption";
    case Code::kIOError:
      return "IOError";
    case Code::kUnavailable:
      return "Unavailable";
    case Code::kResourceExhausted:
      return "ResourceExhausted";
    case Code::kAborted:
      return "Aborted";
    case Code::kPermissionDenied:
      return "PermissionDenied";
    case Code::kInternal:
      return "Internal";
  }
  return "Unknown";
}

Status Status::FromCodeName(std::string_view name, std::string msg) {
  for (Code code : {Code::kNotFound, Code::kInvalidArgument, Code::kCorruption, Code::kIOError,
                    Code::kUnavailable, Code::kResourceExhausted, Code::kAborted, Code::kInternal,
                    Code::kPermissionDenied}) {
    if (CodeName(code) == name) return {code, std::move(msg)};
  }
  return Internal(std::string(name) + ": " + msg);
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += message_;
  return Status(code_, std::move(msg));
}

}  // namespace newsd
