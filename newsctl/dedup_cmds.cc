#include "newsctl/dedup_cmds.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/config.h"
#include "core/article.h"
#include "core/plural.h"
#include "dedup/dateline.h"
#include "dedup/engine.h"
#include "dedup/explain.h"
#include "dedup/normalize.h"
#include "dedup/shingle.h"
#include "newsctl/backend.h"
#include "newsctl/input.h"
#include "newsctl/render.h"
#include "parse/encoding.h"
#include "storage/archive.h"
#include "storage/archive_window.h"

namespace newsd::newsctl {

namespace {

using nlohmann::json;

/// The archive read-only, and a dedup engine rebuilt from its index families, so fingerprints
/// see the same learned boilerplate the daemon does.
struct Loaded {
  std::unique_ptr<storage::Archive> archive;
  std::unique_ptr<dedup::Engine> engine;
  std::string settings;  ///< Where the engine's [dedup] settings came from.
};

/// Where the archive is (--db, else the running daemon's, asked over the admin socket), and
/// the configuration file the daemon read (empty with --db, or from an older daemon).
struct ArchiveAt {
  std::string data_dir, daemon_config;
};

Result<ArchiveAt> FindArchive(const GlobalArgs& g) {
  if (!g.db.empty()) return ArchiveAt{g.db, ""};
  auto daemon = ConnectSocket(g.socket, g.timeout_seconds);
  if (!daemon) {
    // The connect error already says "start it, or read the archive with --db DATA_DIR".
    return Err(daemon.error());
  }
  auto status = (*daemon)->Call("status", json::object());
  if (!status) return Err(status.error());
  ArchiveAt at{status->value("data_dir", ""), status->value("config", "")};
  if (at.data_dir.empty()) {
    return Err(Status::Unavailable("the daemon did not say where its archive is"));
  }
  return at;
}

/// The [dedup] settings to judge by (see RunExplain): `config` (--config), else the running
/// daemon's file (`daemon_config`), else /etc/newsd/newsd.toml when readable, else the
/// defaults; *from names where they came from.
Result<dedup::Options> DedupOptions(const std::string& config, const std::string& daemon_config,
                                    std::string* from) {
  std::string path = config;
  if (path.empty() && !daemon_config.empty() && ::access(daemon_config.c_str(), R_OK) == 0) {
    path = daemon_config;
  }
  if (path.empty()) {
    if (::access(kServiceConfig, R_OK) != 0) {
      *from = "built-in defaults (no " + std::string(kServiceConfig) + "; give --config FILE)";
      return dedup::Options();
    }
    path = kServiceConfig;
  }
  auto cfg = config::LoadFile(path);
  if (!cfg) {
    return Err(cfg.error().WithContext("reading the [dedup] settings (give --config FILE)"));
  }
  *from = path;
  return cfg->dedup;
}

/// Fails with InvalidArgument when the --config file given cannot be used (a usage error:
/// exit 2), with other codes for the archive.
Result<Loaded> Load(const GlobalArgs& g, const std::string& config) {
  Loaded loaded;
  auto at = FindArchive(g);
  auto dedup_options = DedupOptions(config, at ? at->daemon_config : "", &loaded.settings);
  if (!dedup_options && !config.empty()) {
    return Err(
        Status::InvalidArgument("--config " + config + ": " + dedup_options.error().message()));
  }
  if (!dedup_options) return Err(dedup_options.error());
  if (!at) return Err(at.error());
  storage::Options options;
  options.data_dir = at->data_dir;
  auto archive = storage::OpenArchiveReadOnly(options);
  if (!archive) return Err(archive.error());
  auto engine = std::make_unique<dedup::Engine>(std::move(*dedup_options));
  uint64_t skipped = 0;
  for (std::string_view family : storage::kIndexFamilies) {
    Status s = (*archive)->ForEachIndexRecord(family, [&](std::string_view k, std::string_view v) {
      if (!engine->Restore(family, k, v).ok()) ++skipped;
    });
    if (!s.ok()) return Err(s);
  }
  if (skipped > 0) {
    spdlog::warn("could not read {}: the answer leaves out their items",
                 Counted(skipped, "dedup index record", "dedup index records"));
  }
  loaded.archive = std::move(*archive);
  loaded.engine = std::move(engine);
  return loaded;
}

// Load's failure: a --config that cannot be used is a usage error (exit 2).
int FailLoad(const Status& s, const std::string& config, bool json) {
  const bool bad_option = !config.empty() && s.code() == Status::Code::kInvalidArgument &&
                          s.message().starts_with("--config ");
  return bad_option ? FailUsage(s, json) : Fail(s, json);
}

Result<storage::ItemRecord> GetItem(storage::Archive& archive, const std::string& id) {
  auto item = archive.GetItem(id);
  if (!item) return Err(item.error());
  if (!*item) return Err(Status::NotFound("no item with id \"" + id + "\""));
  return **item;
}

/// The fingerprint `item` was indexed with, while it is in the archive's dedup index (what
/// ingestion compared); else one made now (with the boilerplate learned since). *indexed says
/// which.
dedup::Fingerprint FingerprintOf(const dedup::Engine& engine, const storage::ItemRecord& item,
                                 bool* indexed) {
  const UnixSeconds time = EffectiveTime(item.published, item.arrived);
  dedup::Fingerprint fresh = engine.MakeFingerprint({item.source, item.title, item.text, time});
  if (std::optional<dedup::Fingerprint> fp = engine.IndexedFingerprint(item.id)) {
    *indexed = true;
    // The index keeps sets, not their text order (where an edited copy differs): that comes
    // from the text, for the shingles the index holds.
    fp->ordered = dedup::InTextOrder(fresh.ordered, fp->shingles);
    fp->dropped_lines = fresh.dropped_lines;  // (not kept in the index; the new-opening rule)
    return std::move(*fp);
  }
  *indexed = false;
  return fresh;
}

constexpr size_t kSampleShingles = 5;

json ExplanationJson(const dedup::Explanation& e, const std::vector<std::string>& sample,
                     const storage::ItemRecord& a, const storage::ItemRecord& b) {
  const dedup::Comparison& c = e.comparison;
  return {{"a", {{"id", a.id}, {"story", a.story}, {"path", a.match_path}, {"shingles", c.a_size}}},
          {"b", {{"id", b.id}, {"story", b.story}, {"path", b.match_path}, {"shingles", c.b_size}}},
          {"same_story_in_archive", a.story == b.story},
          {"shared_shingles", c.shared},
          {"shared_shingles_sample", sample},
          {"resemblance", c.resemblance},
          {"containment", c.containment},
          {"prefix_set_aside", c.prefix_unmatched},
          {"containment_after_prefix", dedup::TrimmedContainment(c)},
          {"estimated_resemblance", e.estimated_resemblance},
          {"shared_lsh_bands", e.shared_bands},
          {"shared_lead_shingles", e.shared_lead},
          {"larger_lead",
           {{"shingles", c.larger_lead_size}, {"not_in_smaller", c.larger_lead_unmatched}}},
          {"edit_runs", c.edit_runs != SIZE_MAX ? json(c.edit_runs) : json(nullptr)},
          {"titles_match", c.titles_match},
          {"dateline_a", dedup::DatelineName(e.a_dateline)},
          {"dateline_b", dedup::DatelineName(e.b_dateline)},
          {"other_filing", c.other_filing},
          {"title_only", c.title_only},
          {"set_aside", c.set_aside ? json{{"rest_shingles", c.rest_size},
                                           {"rest_shared", c.rest_shared},
                                           {"header_and_footer", c.frames},
                                           {"other_rest_shingles", c.other_rest_size}}
                                    : json(nullptr)},
          {"number_overlap", c.number_overlap},
          {"time_gap_seconds", e.time_gap},
          {"within_window", e.within_window},
          {"candidate", e.candidate},
          {"verdict", std::string(dedup::VerdictName(e.verdict))},
          {"accepted", e.accepted},
          {"reason", e.reason}};
}

// The two items compared: ids, stories, shingles and where they are stored.
void PrintSides(const json& j) {
  auto side = [](const json& s) {
    return Str(s, "id") + "  (story " + Str(s, "story") + ", " +
           std::to_string(s["shingles"].get<size_t>()) + " shingles " +
           (s.value("indexed", false) ? "as indexed" : "made now: no longer in the index") +
           ", stored as \"" + s["path"].get<std::string>() + "\")";
  };
  std::printf("A: %s\nB: %s\n\n", side(j["a"]).c_str(), side(j["b"]).c_str());
}

// How much the two items' shingles overlap.
void PrintOverlap(const json& j) {
  std::printf("  resemblance (Jaccard)   %.3f   (MinHash estimate %.3f)\n",
              j["resemblance"].get<double>(), j["estimated_resemblance"].get<double>());
  std::printf("  containment             %.3f   (%zu shared shingles)\n",
              j["containment"].get<double>(), j["shared_shingles"].get<size_t>());
  for (const json& s : j["shared_shingles_sample"]) {
    std::printf("      \"%s\"\n", s.get<std::string>().c_str());
  }
  if (const auto prefix = j["prefix_set_aside"].get<size_t>(); prefix > 0) {
    std::printf("  after a prefix          %.3f   (%zu unmatched leading shingles set aside)\n",
                j["containment_after_prefix"].get<double>(), prefix);
  }
  std::printf("  shared LSH bands        %zu\n", j["shared_lsh_bands"].get<size_t>());
  std::printf("  shared lead shingles    %zu\n", j["shared_lead_shingles"].get<size_t>());
  std::printf("  the larger's opening    its first %zu of %zu lead shingles not in the smaller\n",
              j["larger_lead"]["not_in_smaller"].get<size_t>(),
              j["larger_lead"]["shingles"].get<size_t>());
  if (!j["edit_runs"].is_null()) {
    std::printf("  places that differ      %zu   (runs of the newer text's shingles)\n",
                j["edit_runs"].get<size_t>());
  }
}

void PrintExplanation(const json& j) {
  PrintSides(j);
  PrintOverlap(j);
  std::printf("  same title              %s\n", j["titles_match"].get<bool>() ? "yes"
                                                : j.value("titles_compared", true)
                                                    ? "no"
                                                    : "not compared (a title too short, or none)");
  std::printf("  numbers in common       %.0f%%\n", 100 * j["number_overlap"].get<double>());
  const std::string day_a = Str(j, "dateline_a"), day_b = Str(j, "dateline_b");
  if (!day_a.empty() || !day_b.empty()) {
    std::printf("  dateline days           %s / %s%s\n", day_a.empty() ? "none" : day_a.c_str(),
                day_b.empty() ? "none" : day_b.c_str(),
                j["other_filing"].get<bool>() ? " (one source's filings of other days)" : "");
  }
  std::printf("  time gap                %.1f h (%s the window)\n",
              j["time_gap_seconds"].get<double>() / 3600,
              j["within_window"].get<bool>() ? "within" : "outside");
  std::printf("  found by the index      %s\n", j["candidate"].get<bool>() ? "yes" : "no");
  std::printf("  verdict                 %s: %s\n",
              j["accepted"].get<bool>() ? "SAME" : "DIFFERENT",
              j["reason"].get<std::string>().c_str());
  std::printf("  in the archive          %s\n",
              j["same_story_in_archive"].get<bool>() ? "one story" : "different stories");
  std::printf("  [dedup] settings        %s\n", j["settings"].get<std::string>().c_str());
}

// The title, source and copy count of story `story`'s canonical item, into *j (when stored).
void AddCanonical(storage::Archive& archive, const StoryId& story_id, json* j) {
  if (auto story = archive.GetStory(story_id); story && *story) {
    if (auto canon = archive.GetItem((*story)->canonical); canon && *canon) {
      (*j)["title"] = (*canon)->title;
      (*j)["source"] = (*canon)->source;
      (*j)["copies"] = (*story)->copies;
    }
  }
}

// The oldest item time from which the restored index holds every archived item: its newest
// time less window and late (what the daemon let go of is older, as ingest counts it at
// start-up), or its oldest record when that is later. An item dated further back that came
// later (a wrong date, an old article listed again) is still held a while: it does not mean
// the index holds its days.
UnixSeconds HeldFrom(const dedup::Engine& engine) {
  const UnixSeconds newest = engine.NewestRestored();
  if (newest == INT64_MIN) return INT64_MAX;  // an empty index holds nothing
  return std::max(engine.OldestRestored(), newest - engine.options().kept_seconds());
}

// Adds to `engine` the archive's items within its window of `time` that the restored index
// no longer holds (older than HeldFrom: they expired with the daemon's window; one it still
// holds is added again, which changes no answer), fingerprinted and inserted in time order as
// ingestion did (so the boilerplate of those days is learned from them), so that `check` of
// an older text compares it with the stories of its days. Returns how many were added.
Result<size_t> AddArchivedWindow(storage::Archive& archive, dedup::Engine* engine,
                                 UnixSeconds time) {
  const UnixSeconds window = engine->options().window_seconds;
  const UnixSeconds from = time - window;
  const UnixSeconds to = std::min(time + window, HeldFrom(*engine) - 1);
  if (to < from) return size_t{0};
  auto span = storage::ItemsDatedWithin(archive, {.from = from, .to = to, .window = window});
  if (!span) return Err(span.error());
  for (const storage::ItemRecord& item : span->items) {
    const UnixSeconds t = EffectiveTime(item.published, item.arrived);
    const dedup::Fingerprint fp = engine->MakeFingerprint({item.source, item.title, item.text, t});
    engine->Insert(item.id, item.story, item.source, fp);
  }
  return span->items.size();
}

// `newsctl check`'s verdict for people: the story copied, or new (`j` holds the match as JSON).
void PrintCheck(const dedup::Match& m, size_t shingles, const json& j, const std::string& settings,
                bool dated) {
  if (m.is_copy) {
    std::printf(
        "COPY of story %s (%s: %s, %u %s)\n  matched %s by %s: resemblance %.3f, "
        "containment %.3f\n",
        Printable(m.story).c_str(), Str(j, "source", "?").c_str(), Str(j, "title", "?").c_str(),
        j.value("copies", 0u), j.value("copies", 0u) == 1 ? "copy" : "copies",
        Printable(m.matched_item).c_str(), dedup::PathName(m.path).data(), m.resemblance,
        m.containment);
  } else {
    std::printf(
        "NEW: no archived story within the window matches (%zu candidates checked, %zu "
        "shingles)\n",
        m.candidates, shingles);
    if (!dated) {
      std::printf(
          "  compared as published now, with the stories of the window around now: for an "
          "older text give its date (--published YYYY-MM-DD)\n");
    }
  }
  if (const size_t archived = j.value("archived_items_compared", size_t{0}); archived > 0) {
    std::printf(
        "  the dedup index no longer holds items of that date: compared with the archive's %zu "
        "item%s within the window, fingerprinted now in time order\n",
        archived, archived == 1 ? "" : "s");
  }
  std::printf("  [dedup] settings: %s\n", settings.c_str());
}

}  // namespace

int RunExplain(const GlobalArgs& g, const std::string& item_a, const std::string& item_b,
               const std::string& config) {
  auto loaded = Load(g, config);
  if (!loaded) return FailLoad(loaded.error(), config, g.json);
  auto a = GetItem(*loaded->archive, item_a);
  if (!a) return Fail(a.error(), g.json);
  auto b = GetItem(*loaded->archive, item_b);
  if (!b) return Fail(b.error(), g.json);
  bool a_indexed = false, b_indexed = false;
  const dedup::Fingerprint fa = FingerprintOf(*loaded->engine, *a, &a_indexed);
  const dedup::Fingerprint fb = FingerprintOf(*loaded->engine, *b, &b_indexed);
  const dedup::Options& options = loaded->engine->options();
  json j = ExplanationJson(
      dedup::Explain(fa, fb, options),
      dedup::SharedShingleSample(a->title, a->text, fa, fb, options, kSampleShingles), *a, *b);
  j["settings"] = loaded->settings;
  // A title that is all prefix ("Срочно:") or too short has no title key to compare.
  j["titles_compared"] = !fa.titles.empty() && !fb.titles.empty();
  j["a"]["indexed"] = a_indexed;
  j["b"]["indexed"] = b_indexed;
  if (g.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    PrintExplanation(j);
  }
  return kExitOk;
}

namespace {

// `check`'s time: --published, else now; nullopt when --published is no ISO-8601 time or
// date (a date alone is its 00:00 UTC, as for an import and `export --since`).
std::optional<UnixSeconds> CheckTime(const std::string& published) {
  if (published.empty()) return std::time(nullptr);
  return ParseIso8601DateOrTime(published);
}

}  // namespace

int RunCheck(const GlobalArgs& g, const CheckArgs& args) {
  std::string text;
  if (!ReadInput(args.file, &text)) {
    return FailUsage(
        Status::InvalidArgument("cannot read " + args.file + " (a file, or - for stdin)"), g.json);
  }
  // A legacy code page's letters are no UTF-8: they would read as no words, or as others.
  if (!parse::IsValidUtf8(args.title)) {
    return FailUsage(Status::InvalidArgument("--title is not UTF-8 text"), g.json);
  }
  if (!parse::IsValidUtf8(text)) {
    const bool stdin_input = args.file == "-";
    return FailUsage(
        Status::InvalidArgument(
            (stdin_input ? std::string("the standard input") : args.file) +
            " is not UTF-8 text: convert it first, e.g. iconv -f windows-1251 -t utf-8 " +
            (stdin_input ? std::string("FILE") : args.file) + " | newsctl check -"),
        g.json);
  }
  if (dedup::NormalizeForSearch(args.title + "\n" + text).empty()) {
    return FailUsage(Status::InvalidArgument("nothing to check: " + args.file +
                                             " has no words (give the text of an article)"),
                     g.json);
  }
  const std::optional<UnixSeconds> published = CheckTime(args.published);
  if (!published) {
    return FailUsage(Status::InvalidArgument("--published must be an ISO-8601 time or date, "
                                             "e.g. 2026-11-30T08:00:00Z, 2026-11-30T11:00:00+03:00 "
                                             "or 2026-11-30"),
                     g.json);
  }
  const UnixSeconds time = *published;
  auto loaded = Load(g, args.config);
  if (!loaded) return FailLoad(loaded.error(), args.config, g.json);
  auto archived = AddArchivedWindow(*loaded->archive, loaded->engine.get(), time);
  if (!archived) return Fail(archived.error(), g.json);
  dedup::Fingerprint fp = loaded->engine->MakeFingerprint({args.source, args.title, text, time});
  dedup::Match m = loaded->engine->FindMatch(fp);
  json j = {{"is_copy", m.is_copy},
            {"story", m.story},
            {"matched_item", m.matched_item},
            {"resemblance", m.resemblance},
            {"containment", m.containment},
            {"path", std::string(dedup::PathName(m.path))},
            {"candidates", m.candidates},
            {"shingles", fp.shingles.size()},
            {"archived_items_compared", *archived},
            {"settings", loaded->settings}};
  if (m.is_copy) AddCanonical(*loaded->archive, m.story, &j);
  if (g.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    PrintCheck(m, fp.shingles.size(), j, loaded->settings, !args.published.empty());
  }
  return kExitOk;
}

}  // namespace newsd::newsctl
