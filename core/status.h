#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace newsd {

/// The outcome of a fallible operation: a code and a human-readable message.
/// Statuses cross module boundaries; exceptions never do. A Status must be looked at:
/// discard one deliberately with IgnoreError() so swallowed errors stay greppable.
class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,           ///< The thing asked for does not exist.
    kInvalidArgument,    ///< The caller's input is wrong (bad config, bad request, bad data).
    kCorruption,         ///< Stored data is damaged or undecodable.
    kIOError,            ///< The OS or a storage engine failed.
    kUnavailable,        ///< A peer or resource is not reachable now (network, daemon, disk full).
    kResourceExhausted,  ///< A configured limit was hit.
    kAborted,            ///< Cancelled (shutdown).
    kInternal,           ///< A bug: an invariant did not hold.
    kPermissionDenied,   ///< Refused by policy (a private address without allow_private).
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status IOError(std::string msg) { return {Code::kIOError, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) {
    return {Code::kResourceExhausted, std::move(msg)};
  }
  static Status Aborted(std::string msg) { return {Code::kAborted, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) {
    return {Code::kPermissionDenied, std::move(msg)};
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }

  /// "NotFound: story x" style text for logs and CLI errors ("OK" when ok).
  std::string ToString() const;
  /// The short name of a code, e.g. "InvalidArgument".
  static std::string_view CodeName(Code code);
  /// The status whose code is named `name` (as CodeName gives it) with `msg`; an unknown name
  /// (a newer peer's) gives kInternal with the name before the message. "OK" is not an error:
  /// it gives kInternal too.
  static Status FromCodeName(std::string_view name, std::string msg);

  /// Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

  /// Marks an error as deliberately ignored.
  void IgnoreError() const {}

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

/// A value or the Status explaining why there is none. Lookups that may find nothing
/// return Result<std::optional<T>> so "absent" and "failed" stay distinct.
template <class T>
using Result = tl::expected<T, Status>;

/// Wraps a non-OK Status for returning from a function that yields Result<T>.
inline tl::unexpected<Status> Err(Status s) { return tl::unexpected<Status>(std::move(s)); }

}  // namespace newsd
