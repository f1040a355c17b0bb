// Feeds changed at run time: `newsctl feeds add|remove|pause|resume|poll` (feed_controls.h has
// the rule). Each change is written to the archive first, then applied like a reload.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "admin/queries.h"
#include "core/ids.h"
#include "core/plural.h"
#include "core/redact.h"
#include "core/time.h"
#include "daemon/daemon.h"
#include "daemon/poll_policy.h"

namespace newsd::daemon {

namespace {

// A gone or dead feed polled again from now on, as if new failures began.
void Revive(storage::FeedState* s) {
  s->status = storage::FeedStatus::kActive;
  s->status_reason.clear();
  s->consecutive_failures = 0;
  s->failing_since = 0;
  s->next_fetch = 0;
}

using nlohmann::json;

bool Declares(const std::vector<config::FeedConfig>& declared, const FeedId& id) {
  return std::any_of(declared.begin(), declared.end(),
                     [&](const config::FeedConfig& f) { return f.id == id; });
}

Result<FeedId> IdArg(const json& args) {
  auto it = args.find("id");
  if (it == args.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Err(Status::InvalidArgument("needs \"id\": the feed's id (newsctl feeds list)"));
  }
  return it->get<std::string>();
}

// A feeds.add entry (its "url" checked to be a string) as the control to store; `refused`
// gets why a field cannot be taken ("" when all can).
storage::FeedControl ControlOf(const json& entry, UnixSeconds now, std::string* refused) {
  storage::FeedControl c;
  c.added = true;
  c.added_at = now;
  c.url = entry["url"].get<std::string>();
  c.id = entry.value("id", "");
  c.name = entry.value("name", "");
  c.interval = entry.value("interval", int64_t{0});
  c.paused = entry.value("paused", false);
  if (c.paused) c.paused_at = now;
  if (auto zone = entry.find("zoneless_dates"); zone != entry.end()) {
    const std::string text = zone->is_string() ? zone->get<std::string>() : zone->dump();
    c.zoneless_offset = ParseUtcOffset(text);
    if (!c.zoneless_offset) *refused = "zoneless_dates \"" + text + "\" must be " + kUtcOffsetHint;
  }
  return c;
}

// Why feed `c` cannot be added at run time (its URL's scheme lower-cased first), or "".
std::string Unaddable(storage::FeedControl* c) {
  // The scheme first: "ftp://x" is told what run-time feeds take (file:// is for the
  // configuration file only), not what the configuration file would.
  const size_t scheme_end = c->url.find("://");  // "HTTP://" as the configuration takes it
  if (scheme_end != std::string::npos) {
    std::transform(
        c->url.begin(), c->url.begin() + static_cast<std::ptrdiff_t>(scheme_end), c->url.begin(),
        [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; });
  }
  constexpr char kWebOnly[] =
      "feeds added at run time need an http:// or https:// URL (file:// only in the "
      "configuration file)";
  if (!c->url.empty() && !c->url.starts_with("http://") && !c->url.starts_with("https://")) {
    return kWebOnly;
  }
  if (std::string problem = config::FeedUrlProblem(c->url); !problem.empty()) return problem;
  if (!AddableUrl(c->url)) return kWebOnly;
  if (c->interval < 0 || c->interval > admin::kMaxAddedFeedInterval) {
    return "the interval must be at most 30 days (0: the default)";
  }
  if (!c->id.empty() && !IsValidFeedId(c->id)) {
    return "not a valid feed id (letters, digits, '-', '_', '.', at most 64)";
  }
  return "";
}

// The archive's change for a pause or resume of feed `c.id`: its control, and the state
// `revived` (a gone or dead feed resumed) when not null.
void PauseBatch(const storage::FeedControl& c, const storage::FeedState* revived,
                storage::Batch* batch) {
  if (c.added || c.paused) {
    batch->PutFeedControl(c);
  } else {
    batch->DeleteFeedControl(c.id);  // a declared feed resumed: nothing left to remember
  }
  if (revived != nullptr) {
    // `gone` (410) and `dead` feeds are polled again from now on, as if new failures began.
    storage::FeedState fresh = *revived;
    Revive(&fresh);
    batch->PutFeed(fresh);
  }
}

}  // namespace

Status Daemon::LoadControls() {
  auto controls = archive_->ListFeedControls();
  if (!controls) return controls.error();
  for (storage::FeedControl& c : *controls) {
    const FeedId id = c.id;
    controls_[id] = std::move(c);
  }
  declared_ = config_.feeds;
  std::vector<Shadowed> shadowed;
  config_.feeds = EffectiveFeeds(declared_, controls_, &shadowed);
  WarnShadowed(shadowed, config_.path);
  return Status::Ok();
}

Status Daemon::StoreControls(const storage::Batch& batch, ReloadReport* report) {
  if (Paused()) {
    return Status::Unavailable("ingest is paused (" + storage_error_.message() +
                               "): nothing was changed; try again once it resumes");
  }
  if (Status s = archive_->Commit(batch); !s.ok()) {
    return s.WithContext("the feed change was not stored, nothing was changed");
  }
  for (const FeedId& id : batch.control_deletes()) controls_.erase(id);
  for (const storage::FeedControl& c : batch.controls()) controls_[c.id] = c;
  ApplyFeeds(EffectiveFeeds(declared_, controls_), report);
  Dispatch();
  return Status::Ok();
}

// One feeds.add call's progress through its list.
struct Daemon::Adding {
  storage::Batch batch;
  json added = json::array(), skipped = json::array();
  std::set<FeedId> taking;
  std::map<std::string, FeedId> taking_urls;  // SameUrlKey of the feeds this call adds
  std::map<std::string, FeedId> polled_urls;  // see AddFeeds
};

Result<json> Daemon::AddFeeds(const json& args) {
  auto list = args.find("feeds");
  if (list == args.end() || !list->is_array() || list->empty()) {
    return Err(
        Status::InvalidArgument("feeds.add needs \"feeds\": [{url, id?, name?, interval?, "
                                "paused?, zoneless_dates?}]"));
  }
  Adding adding;
  // The feeds polled now, by SameUrlKey of their configured and current URLs: made once per
  // call, not once per entry of the list (an OPML import of thousands onto thousands).
  for (const config::FeedConfig& f : config_.feeds) {
    adding.polled_urls.emplace(config::SameUrlKey(f.url), f.id);
    adding.polled_urls.emplace(config::SameUrlKey(UrlOf(f)), f.id);
    // As `feeds export` shows it, password masked: re-importing an export adds nothing.
    adding.polled_urls.emplace(config::SameUrlKey(RedactPasswords(f.url)), f.id);
  }
  const UnixSeconds now = clock_.NowSeconds();
  for (const json& entry : *list) {
    if (!entry.is_object() || !entry.contains("url") || !entry["url"].is_string()) {
      return Err(Status::InvalidArgument("each feed needs a \"url\" string"));
    }
    std::string refused;
    storage::FeedControl control = ControlOf(entry, now, &refused);
    AddEntry(std::move(control), refused, &adding);
  }
  ReloadReport report;
  if (!adding.batch.empty()) {
    if (Status s = StoreControls(adding.batch, &report); !s.ok()) return Err(s);
    // The ids, not every field: an OPML list of thousands made log lines journald splits.
    std::string ids;
    for (size_t i = 0; i < adding.added.size() && i < 20; ++i) {
      ids += (i ? ", " : "") + adding.added[i].value("id", std::string());
    }
    if (adding.added.size() > 20) ids += ", ...";
    spdlog::info("{} added with newsctl: {}", Counted(adding.added.size(), "feed", "feeds"), ids);
  }
  return json{{"added", adding.added}, {"skipped", adding.skipped}};
}

void Daemon::AddEntry(storage::FeedControl c, const std::string& refused, Adding* adding) {
  // A list (an OPML import) goes on past the entries it cannot add; each says why.
  // `already`: the URL is polled (or added by this list) already; nothing is refused, so
  // importing the same list again is no failure.
  auto skip = [&](const std::string& reason, bool already = false) {
    adding->skipped.push_back(
        {{"url", RedactPasswords(c.url)}, {"id", c.id}, {"reason", reason}, {"already", already}});
  };
  auto taken = [&](const FeedId& id) {
    return FindFeed(id) != nullptr || adding->taking.count(id) != 0;
  };
  const std::string url_key = config::SameUrlKey(c.url);
  // Under another id than the one asked for, the feed the operator named does not exist:
  // refused, so a script that goes on to use that id learns it here.
  auto other_id = [&](const FeedId& polled) {
    return c.id.empty() || c.id == polled
               ? std::string()
               : " (not added as " + c.id + ": a URL is polled once; use feed " + polled + ")";
  };
  if (auto same_url = adding->polled_urls.find(url_key); same_url != adding->polled_urls.end()) {
    const std::string other = other_id(same_url->second);
    return skip("already polled as feed " + same_url->second + other, other.empty());
  }
  if (auto earlier = adding->taking_urls.find(url_key); earlier != adding->taking_urls.end()) {
    const std::string other = other_id(earlier->second);
    return skip("the same URL as feed " + earlier->second + ", earlier in this list" + other,
                other.empty());
  }
  if (!refused.empty()) return skip(refused);
  if (const std::string_view info = UserInfo(c.url); info.ends_with(":***")) {
    return skip("its password shows as *** (exports hide passwords): give the feed's real URL");
  }
  if (std::string why = Unaddable(&c); !why.empty()) return skip(why);
  if (c.id.empty()) c.id = DeriveFeedId(c.url, taken);
  if (taken(c.id)) return skip("feed id " + c.id + " is taken (give another with --id)");
  adding->taking.insert(c.id);
  adding->taking_urls.emplace(url_key, c.id);
  // Added again after a removal: its old record's gone or dead state is not this feed's
  // (reload's ApplyFeeds takes a returning feed's state from the archive).
  if (FindFeed(c.id) == nullptr) {
    Result<std::optional<storage::FeedState>> old = archive_->GetFeed(c.id);
    if (old && *old &&
        ((*old)->status == storage::FeedStatus::kGone ||
         (*old)->status == storage::FeedStatus::kDead)) {
      storage::FeedState fresh = **old;
      Revive(&fresh);
      adding->batch.PutFeed(fresh);
    }
  }
  json added = {{"id", c.id}, {"url", RedactPasswords(c.url)}};
  if (const int64_t floor = config_.politeness.min_interval; c.interval > 0 && c.interval < floor) {
    added["note"] = "interval " + FormatDuration(c.interval) +
                    " is below [politeness] min_interval: polled every " + FormatDuration(floor);
  }
  adding->added.push_back(std::move(added));
  adding->batch.PutFeedControl(std::move(c));
}

Result<json> Daemon::RemoveFeed(const json& args) {
  auto id = IdArg(args);
  if (!id) return Err(id.error());
  auto control = controls_.find(*id);
  if (Declares(declared_, *id) && control != controls_.end() && control->second.added) {
    // Added with newsctl, then declared in the file under the same id: the file's entry is
    // the one polled; forget the added one (what the start-up warning advises).
    // A pause given with newsctl stays (it pauses the declared feed too).
    storage::Batch batch;
    if (control->second.paused) {
      storage::FeedControl kept;
      kept.id = *id;
      kept.paused = true;
      kept.paused_at = control->second.paused_at;
      batch.PutFeedControl(std::move(kept));
    } else {
      batch.DeleteFeedControl(*id);
    }
    ReloadReport report;
    if (Status s = StoreControls(batch, &report); !s.ok()) return Err(s);
    spdlog::info("feed={} added with newsctl forgotten; {} declares it", *id, config_.path);
    return json{
        {"removed", *id}, {"declared_in", config_.path}, {"paused", control->second.paused}};
  }
  if (Declares(declared_, *id)) {
    return Err(Status::InvalidArgument("feed " + *id + " is declared in " + config_.path +
                                       ": remove it there and run `newsctl reload` (or pause it: "
                                       "`newsctl feeds pause " +
                                       *id + "`)"));
  }
  if (control == controls_.end() || !control->second.added) {
    return Err(Status::NotFound("no feed " + *id + ": `newsctl feeds list` shows the feeds"));
  }
  storage::Batch batch;
  batch.DeleteFeedControl(*id);
  ReloadReport report;
  if (Status s = StoreControls(batch, &report); !s.ok()) return Err(s);
  spdlog::info("feed={} removed with newsctl (its stories stay in the archive)", *id);
  return json{{"removed", *id}};
}

Result<json> Daemon::SetPaused(const json& args, bool paused) {
  auto id = IdArg(args);
  if (!id) return Err(id.error());
  const config::FeedConfig* feed = FindFeed(*id);
  if (feed == nullptr) {
    return Err(Status::NotFound("no feed " + *id + ": `newsctl feeds list` shows the feeds"));
  }
  auto declared = std::find_if(declared_.begin(), declared_.end(),
                               [&](const config::FeedConfig& f) { return f.id == *id; });
  if (!paused && declared != declared_.end() && !declared->enabled) {
    return Err(Status::InvalidArgument("feed " + *id + " has enabled = false in " + config_.path +
                                       ": change it there and run `newsctl reload`"));
  }
  storage::FeedControl c;
  if (auto it = controls_.find(*id); it != controls_.end()) c = it->second;
  c.id = *id;
  const bool was_paused = c.paused;
  c.paused = paused;
  c.paused_at = paused ? (was_paused ? c.paused_at : clock_.NowSeconds()) : 0;
  storage::FeedState& state = states_[*id];
  const bool revive = !paused && (state.status == storage::FeedStatus::kGone ||
                                  state.status == storage::FeedStatus::kDead);
  if (was_paused == paused && !revive) {  // nothing to do: said, not stored or logged again
    return json{{"id", *id}, {"paused", paused}, {"revived", false}, {"unchanged", true}};
  }
  storage::Batch batch;
  PauseBatch(c, revive ? &state : nullptr, &batch);
  if (revive && in_hand_.count(*id) != 0) {
    // Its poll's state, about to be stored, would undo the revival.
    return Err(Status::Unavailable("feed " + *id +
                                   " is being polled right now: run `newsctl feeds resume " + *id +
                                   "` again in a moment"));
  }
  const storage::FeedStatus before = state.status;
  ReloadReport report;
  if (Status s = StoreControls(batch, &report); !s.ok()) return Err(s);
  if (revive) ScheduleRevived(*id);
  spdlog::info(
      "feed={} {} with newsctl{}", *id, paused ? "paused" : "resumed",
      revive ? std::string(" (it was ") + std::string(storage::FeedStatusName(before)) + ")" : "");
  return json{{"id", *id}, {"paused", paused}, {"revived", revive}};
}

void Daemon::ScheduleRevived(const FeedId& id) {
  storage::FeedState& now = states_[id];
  Revive(&now);
  const config::FeedConfig* f = FindFeed(id);
  if (f != nullptr && in_hand_.count(id) == 0) {
    scheduler_.Set(id, FirstPollTime(*f, config_.politeness, now, clock_.NowSeconds(), 0));
  }
  Dispatch();
}

Status Daemon::CheckPollable(const FeedId& id) {
  if (stopping_) return Status::Unavailable("newsd is stopping: no poll starts now");
  const config::FeedConfig* feed = FindFeed(id);
  if (feed == nullptr) {
    return Status::NotFound("no feed " + id + ": `newsctl feeds list` shows the feeds");
  }
  if (Paused()) {  // nothing is polled while ingest cannot store what it fetches
    return Status::Unavailable("ingest is paused (" + storage_error_.message() +
                               "): feeds are polled again once it resumes; `newsctl "
                               "status` says what to do");
  }
  const storage::FeedState& state = states_[id];
  const bool declared_off =
      std::any_of(declared_.begin(), declared_.end(),
                  [&](const config::FeedConfig& f) { return f.id == id && !f.enabled; });
  if (declared_off) {  // only the file can change it (newsctl feeds resume refuses)
    return Status::InvalidArgument("feed " + id + " is declared with enabled = false in " +
                                   config_.path + ": change it there and `newsctl reload`");
  }
  if (!feed->enabled || state.status == storage::FeedStatus::kDisabled ||
      state.status == storage::FeedStatus::kGone) {
    // The reason may name the resume already (a pause with newsctl): it is not said twice.
    const std::string resume = "`newsctl feeds resume " + id + "`";
    const bool named = state.status_reason.find(resume) != std::string::npos;
    return Status::InvalidArgument(
        "feed " + id + " is " + std::string(storage::FeedStatusName(state.status)) +
        (state.status_reason.empty() ? "" : " (" + state.status_reason + ")") +
        (named ? std::string() : ": " + resume + " first"));
  }
  return Status::Ok();
}

Result<json> Daemon::PollNow(const json& args) {
  auto id = IdArg(args);
  if (!id) return Err(id.error());
  if (Status s = CheckPollable(*id); !s.ok()) return Err(s);
  const storage::FeedState& state = states_[*id];
  const UnixSeconds now = clock_.NowSeconds();
  if (in_hand_.count(*id) != 0) {  // its poll under way is the one asked for
    return json{{"id", *id}, {"at", FormatIso8601(now)}, {"held_by", ""}, {"under_way", true}};
  }
  // Politeness still holds: the floor since the last poll, and a Retry-After in force.
  // last_fetch is rounded down to the second: the floor starts a second later (as in
  // FirstPollTime), so a poll never follows the last one by less than min_interval.
  const UnixSeconds floor = state.last_fetch ? state.last_fetch + config_.politeness.min_interval +
                                                   (config_.politeness.min_interval > 0 ? 1 : 0)
                                             : 0;
  const auto [host, host_hold] = LongestHold(*id);
  const UnixSeconds when = std::max({now, floor, state.retry_until, host_hold});
  std::string held;
  if (when > now) {
    held = when == state.retry_until ? "the publisher's Retry-After"
           : when == host_hold       ? "the Retry-After of host " + host
                                     : "[politeness] min_interval since the last poll";
  } else if (restoring_) {
    held = "newsd starting (the dedup index is being restored; the poll follows)";
  }
  scheduler_.Set(*id, when);
  if (!restoring_) {  // (once restored, the loop polls what is due and arms the timer)
    if (when <= now) {
      PollDue();
    } else {
      ArmTimer();  // the timer may wait for a later wake-up than this poll's
    }
  }
  return json{{"id", *id}, {"at", FormatIso8601(when)}, {"held_by", held}};
}

Result<nlohmann::json> Daemon::NotPolledFeed(const FeedId& id) {
  std::vector<Shadowed> shadowed;
  EffectiveFeeds(declared_, controls_, &shadowed);
  const auto by = std::find_if(shadowed.begin(), shadowed.end(),
                               [&](const Shadowed& s) { return s.id == id && s.by != id; });
  // Its stored state (say "active", with a next fetch) is not what happens to it now.
  Result<nlohmann::json> stored = admin::QueryFeed(*archive_, id, storage::FeedStatusName);
  if (by == shadowed.end()) {
    if (stored && stored->contains("feed")) {
      nlohmann::json& feed = (*stored)["feed"];
      feed["state"] = "removed";
      feed["state_reason"] =
          "not in " + config_.path + " nor added with newsctl: not polled; its stories stay";
      feed.erase("next_fetch");
      feed.erase("retry_until");
    }
    return stored;
  }
  if (!stored && !stored.error().IsNotFound()) return stored;
  nlohmann::json feed = stored ? (*stored)["feed"] : nlohmann::json{{"id", id}};
  const auto control = controls_.find(id);
  if (control != controls_.end()) feed["url"] = control->second.url;
  feed["state"] = "shadowed";
  feed["state_reason"] = "added with newsctl, but " + config_.path + " declares its URL as feed " +
                         by->by + ": only " + by->by + " is polled (`newsctl feeds remove " + id +
                         "` forgets the added one)";
  feed.erase("next_fetch");
  feed.erase("retry_until");
  return nlohmann::json{{"feed", std::move(feed)}};
}

}  // namespace newsd::daemon
