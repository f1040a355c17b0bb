#include "daemon/import_order.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>
#include <utility>

#include "core/article.h"
#include "daemon/jsonl_article.h"

namespace newsd::daemon {

namespace {

constexpr uint64_t kProgressEvery = 4096;  // lines between ScanProgress calls

bool IsBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Notes `line` (at `time`, `dated` or not) on `plan`; false once it is too long to sort.
class Scan {
 public:
  Scan(ImportPlan* plan, int64_t late_seconds, size_t max_lines)
      : plan_(plan), late_(late_seconds), max_lines_(max_lines) {}

  /// `id_hash`: KeysOfLine's (nullopt: no id).
  void Add(const PlannedLine& entry, bool dated, std::optional<size_t> id_hash) {
    if (dated) {
      if (newest_line_ != 0 && entry.time < newest_ - late_ && plan_->late_line == 0) {
        plan_->late_line = entry.number;
        plan_->late_time = entry.time;
        plan_->ahead_line = newest_line_;
        plan_->ahead_time = newest_;
      }
      if (entry.time > newest_) {
        newest_ = entry.time;
        newest_line_ = entry.number;
      }
    }
    if (full_) return;
    if (plan_->lines.size() < max_lines_) {
      plan_->lines.push_back(entry);
      if (id_hash) ids_.push_back({*id_hash, plan_->lines.size() - 1});
    } else {  // too long to sort: what was noted goes at once, not at the end of the scan
      full_ = true;
      plan_->lines = {};
      ids_ = {};
    }
  }
  /// Gives each line whose id an earlier line of the file has too that line's time, so that
  /// sorted by time it still comes after it: the import keeps the first line of an id, in the
  /// published order as in the file's (`newsd import` says so), and skips the others as stored
  /// before. (Two ids sharing a hash only move a line next to the other: nothing is skipped
  /// for it.)
  void TimeRepeatedIdsAsTheFirst() {
    std::sort(ids_.begin(), ids_.end());  // by hash, then by line (lines are in file order)
    for (size_t i = 1; i < ids_.size(); ++i) {
      if (ids_[i].first != ids_[i - 1].first) continue;
      plan_->lines[ids_[i].second].time = plan_->lines[ids_[i - 1].second].time;
    }
    ids_ = {};
  }
  /// Out of order, and too long to sort: nothing more to learn.
  bool Done() const { return full_ && plan_->late_line != 0; }
  bool full() const { return full_; }

 private:
  ImportPlan* plan_;
  int64_t late_;
  size_t max_lines_;
  UnixSeconds newest_ = INT64_MIN;
  uint64_t newest_line_ = 0;
  bool full_ = false;
  std::vector<std::pair<size_t, size_t>> ids_;  ///< Id hash, index in plan_->lines.
};

}  // namespace

Result<ImportPlan> PlanImport(LineReader& reader, UnixSeconds now, int64_t late_seconds,
                              size_t max_lines, const ScanProgress& progress) {
  ImportPlan plan;
  Scan scan(&plan, late_seconds, max_lines);
  UnixSeconds above = INT64_MIN;  // the time of the last dated line
  uint64_t number = 0;
  uint64_t bytes = 0;
  std::string_view line;
  for (;;) {
    Result<bool> more = reader.Next(&line);
    if (!more) return Err(more.error());
    if (!*more) break;
    ++number;
    bytes += line.size() + 1;
    if (number % kProgressEvery == 0 && progress && !progress(number, bytes)) {
      return Err(Status::Aborted("stopped while checking the order of its lines"));
    }
    if (IsBlankLine(line)) continue;
    const LineKeys keys = KeysOfLine(line);
    const UnixSeconds time = EffectiveTime(keys.published, now);
    const bool dated = keys.published && *keys.published == time;
    if (dated) above = time;
    scan.Add({dated ? time : above, reader.LineOffset(), number, static_cast<uint32_t>(line.size()),
              reader.LastLineCut()},
             dated, keys.id_hash);
    if (scan.Done()) break;
  }
  if (plan.late_line == 0 || scan.full()) {
    plan.too_long = plan.late_line != 0;
    plan.lines.clear();
    plan.lines.shrink_to_fit();
  } else {
    scan.TimeRepeatedIdsAsTheFirst();
    // Stable by line number, without stable_sort's buffer as large as the plan.
    std::sort(plan.lines.begin(), plan.lines.end(), [](const PlannedLine& a, const PlannedLine& b) {
      return a.time != b.time ? a.time < b.time : a.number < b.number;
    });
    plan.total_lines = number;
  }
  if (Status s = reader.Rewind(); !s.ok()) return Err(s);
  return plan;
}

PlannedLineReader::PlannedLineReader(int fd, std::string path, std::vector<PlannedLine> lines)
    : fd_(fd), path_(std::move(path)), lines_(std::move(lines)) {}

Result<bool> PlannedLineReader::Next(std::string_view* line, const PlannedLine** entry) {
  if (next_ == lines_.size()) return false;
  const PlannedLine& at = lines_[next_++];
  buffer_.resize(at.length);
  size_t done = 0;
  while (done < at.length) {
    const ssize_t n =
        ::pread(fd_, buffer_.data() + done, at.length - done, static_cast<off_t>(at.offset + done));
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n == 0) {
      return Err(Status::IOError(path_ + ": line " + std::to_string(at.number) +
                                 " is no longer there: the file was cut short while it was "
                                 "imported (run the same import again)"));
    } else if (errno != EINTR) {
      return Err(Status::IOError(path_ + ": read error: " + std::strerror(errno)));
    }
  }
  *line = buffer_;
  *entry = &at;
  return true;
}

Status ImportLines::PlanOrder(const std::string& path, UnixSeconds now, int64_t late_seconds,
                              const ScanProgress& progress) {
  if (!reader_.IsRegularFile()) return Status::Ok();
  if (struct stat st{}; ::fstat(reader_.fd(), &st) == 0) file_size_ = st.st_size;
  Result<ImportPlan> plan = PlanImport(reader_, now, late_seconds, kMaxPlannedLines, progress);
  if (!plan) return plan.error();
  if (plan->late_line == 0) return Status::Ok();
  const std::string why = fmt::format(
      "{}: line {} is dated {}, {} before line {} ({}): the file is not in published order", path,
      plan->late_line, FormatIso8601(plan->late_time),
      FormatDuration(plan->ahead_time - plan->late_time), plan->ahead_line,
      FormatIso8601(plan->ahead_time));
  if (plan->too_long) {
    spdlog::warn(
        "{}, and it has more than {} lines, too many to sort here: taken in its own order. "
        "Sort it by \"published\" first, or split it, so that copies are found",
        why, kMaxPlannedLines);
    return Status::Ok();
  }
  spdlog::info(
      "{}; its {} article lines are taken in published order, so that each meets "
      "the stories it may copy",
      why, plan->lines.size());
  lines_ = plan->total_lines;
  planned_count_ = plan->lines.size();
  planned_ = std::make_unique<PlannedLineReader>(reader_.fd(), path, std::move(plan->lines));
  return Status::Ok();
}

double ImportLines::Done() const {
  if (planned_) {
    return planned_count_ == 0
               ? 1.0
               : static_cast<double>(planned_given_) / static_cast<double>(planned_count_);
  }
  if (file_size_ <= 0) return file_size_ == 0 ? 1.0 : -1.0;
  // A file that grew since is at 100 % until its end.
  return std::min(1.0, static_cast<double>(read_to_) / static_cast<double>(file_size_));
}

Result<bool> ImportLines::Next(std::string_view* line, uint64_t* number, bool* cut) {
  if (planned_) {
    const PlannedLine* entry = nullptr;
    Result<bool> more = planned_->Next(line, &entry);
    if (more && *more) {
      *number = entry->number;
      *cut = entry->cut;
      ++planned_given_;
    }
    return more;
  }
  for (;;) {
    Result<bool> more = reader_.Next(line);
    if (!more || !*more) return more;
    ++lines_;
    read_to_ = reader_.LineOffset() + line->size() + 1;
    if (IsBlankLine(*line)) continue;
    *number = lines_;
    *cut = reader_.LastLineCut();
    return true;
  }
}

}  // namespace newsd::daemon
