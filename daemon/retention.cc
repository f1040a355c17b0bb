// Retention: stories past [storage] retention removed in chunks, hourly in the service and
// as a whole pass before a --once round.
#include <spdlog/spdlog.h>

#include "core/plural.h"
#include "core/time.h"
#include "daemon/daemon.h"

namespace newsd::daemon {

namespace {

constexpr auto kRetentionPeriod = std::chrono::hours(1);
constexpr auto kRetentionNextChunk = std::chrono::milliseconds(100);
constexpr size_t kRetentionChunk = 2000;  // stories per write

}  // namespace

void Daemon::ArmRetention(std::chrono::milliseconds delay) {
  retention_timer_.expires_after(clock_.RealSpan(delay));
  retention_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) RunRetention();
  });
}

Result<bool> Daemon::RetentionChunk() {
  const UnixSeconds now = clock_.NowSeconds();
  const UnixSeconds cutoff = now - config_.storage.retention_seconds;
  auto chunk =
      archive_->ExpireStories(cutoff, now + config_.storage.seen_grace_seconds, kRetentionChunk);
  if (!chunk) {
    retention_pass_ = {};
    return Err(chunk.error());
  }
  retention_pass_.stories += chunk->stories;
  retention_pass_.items += chunk->items;
  if (chunk->more) return true;
  if (retention_pass_.stories > 0) {
    spdlog::info("retention: removed {} ({}) last updated before {}",
                 Counted(retention_pass_.stories, "story", "stories"),
                 Counted(retention_pass_.items, "item", "items"), FormatIso8601(cutoff));
  }
  retention_pass_ = {};
  return false;
}

void Daemon::RunRetention() {
  if (stopping_) return;
  // Retention writes outside the ingestor's batches: never while one is being written, nor
  // while one is staged (an item it re-puts, a story it updates, must not be deleted between).
  if (Paused() || ingestor_->committing() || ingestor_->pending() > 0 || restoring_) {
    return ArmRetention(std::chrono::seconds(1));
  }
  Result<bool> more = RetentionChunk();
  if (!more && more.error().code() == Status::Code::kIOError) {
    // The archive refuses writes (a full disk): ingest pauses as for a failed commit, and
    // retention goes on once a test write succeeds.
    PauseIngest(more.error().WithContext("retention"));
    return ArmRetention(std::chrono::seconds(1));
  }
  if (!more) {
    spdlog::error("retention failed, tried again in an hour: {}", more.error().ToString());
    return ArmRetention(kRetentionPeriod);
  }
  ArmRetention(*more ? kRetentionNextChunk : kRetentionPeriod);
}

void Daemon::RetainOnce() {
  for (;;) {
    Result<bool> more = RetentionChunk();
    if (!more) {
      spdlog::error("retention failed, tried again next round: {}", more.error().ToString());
      return;
    }
    if (!*more) return;
  }
}

}  // namespace newsd::daemon
