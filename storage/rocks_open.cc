// Opening the RocksDB archive: families, schema version, secondary instances. Closing is in
// storage/rocks_close.cc; the checks of data_dir before an open in storage/data_dir.cc.

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <system_error>

#include "storage/codec.h"
#include "storage/crc32c.h"
#include "storage/rocks_archive.h"

namespace newsd::storage {
namespace {

namespace fs = std::filesystem;

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The families already in the database (empty when there is none yet).
// The column families of the archive in `dir`; none when it has no archive yet.
// PermissionDenied when its files may not be read (a backup copied as root, say): not taken
// for an archive without families, which a reader would call "not a newsd archive".
Result<std::vector<std::string>> ExistingFamilies(const rocksdb::DBOptions& db,
                                                  const std::string& dir) {
  std::vector<std::string> names;
  const rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db, dir, &names);
  if (s.ok()) return names;
  const Status status = FromRocks(s, "reading its column families", dir);
  if (status.code() == Status::Code::kPermissionDenied) return Err(status);
  // An archive (its CURRENT there) whose CURRENT or MANIFEST does not read is damaged, not
  // "no archive" (a reader would call it not a newsd archive, and advise waiting).
  if (HoldsArchive(dir)) {
    // (Gone, not unreadable for a while: an open-file limit or a read error is no damage.)
    if ((s.IsPathNotFound() || s.ToString().find("No such file") != std::string::npos) &&
        s.ToString().find("MANIFEST-") != std::string::npos) {
      return Err(Status::Corruption(
          "archive at '" + dir + "': the MANIFEST its CURRENT file names cannot be read (" +
          s.ToString() + ") -- the archive is damaged: restore it from a backup"));
    }
    if (s.IsCorruption()) return Err(status);
  }
  return std::vector<std::string>();
}

// InvalidArgument when `dir` is a file, not a directory.
Status NotAFile(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec) || fs::is_directory(dir, ec)) return Status::Ok();
  return Status::InvalidArgument("archive directory " + dir +
                                 " is a file: give the path of a directory (newsd creates it) "
                                 "for data_dir / --db");
}

// PermissionDenied when `dir` exists but this user may not look into it (an archive's own
// directory is 0700, its owner newsd's): not "no archive there". InvalidArgument when it is
// a file (NotAFile).
Status CheckSearchable(const std::string& dir) {
  if (Status s = NotAFile(dir); !s.ok()) return s;
  if (::access(dir.c_str(), X_OK) == 0 || errno != EACCES) return Status::Ok();
  return Status::PermissionDenied(
      "cannot read the archive at '" + dir + "': permission denied -- run this as the user " +
      "newsd runs as (sudo -u newsd ...) or as root, or give this user access to it");
}

constexpr std::string_view kSecondaryPrefix = "newsd-secondary-";

// Removes the secondary directories in `tmp` that processes which have ended left behind
// (killed, say: Ctrl-C on `newsctl --db D search`, which cannot clean up in a signal
// handler). Their names hold the pid that made them; only this user's are touched.
void RemoveAbandonedSecondaryDirs(const fs::path& tmp) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(tmp, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(kSecondaryPrefix, 0) != 0) continue;
    const std::string_view rest = std::string_view(name).substr(kSecondaryPrefix.size());
    pid_t pid = 0;
    const auto [end, err] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    if (err != std::errc() || end == rest.data() || *end != '-' || pid <= 0) continue;
    struct stat st {};
    if (pid == ::getpid() || ::lstat(e.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != ::geteuid()) {
      continue;
    }
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // still running (or not ours to ask)
    std::error_code removed;
    fs::remove_all(e.path(), removed);
  }
}

// A fresh private directory for a secondary instance's info LOG and state, named after this
// process ("newsd-secondary-PID-XXXXXX"), after removing those that ended processes left.
Result<fs::path> MakeSecondaryDir() {
  std::error_code ec;
  const fs::path tmp = fs::temp_directory_path(ec);
  if (!ec) RemoveAbandonedSecondaryDirs(tmp);
  std::string tmpl =
      (tmp / (std::string(kSecondaryPrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (ec || ::mkdtemp(tmpl.data()) == nullptr) {
    return Err(
        Status::IOError("cannot create a temporary directory for the read-only archive "
                        "instance: set TMPDIR to a writable directory"));
  }
  return fs::path(tmpl);
}

std::optional<int> ParseVersion(std::string_view text) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

// Refuses a directory that holds an archive's data but no CURRENT file: a restore or a copy
// cut short. RocksDB would take it for no archive at all, create an empty one, and delete the
// table files it does not know. MANIFEST-000001 alone is not data: RocksDB writes it first
// when it creates an archive, before CURRENT, and every completed open writes a newer
// manifest (so no archive or backup ends at 000001); a daemon killed during its very first
// open leaves just that, and must start again, not be refused for ever.
Status CheckNotAHalfArchive(const std::string& data_dir) {
  std::error_code ec;
  if (HoldsArchive(data_dir)) return Status::Ok();
  for (const fs::directory_entry& e : fs::directory_iterator(data_dir, ec)) {
    // RocksDB's own names only (000123.sst, 000124.log, MANIFEST-000125): any other *.log in
    // a directory given by mistake (--db /tmp) is not an archive's.
    const fs::path ext = e.path().extension();
    const std::string stem = e.path().stem().string();
    const bool numbered = !stem.empty() && std::all_of(stem.begin(), stem.end(),
                                                       [](char c) { return c >= '0' && c <= '9'; });
    const bool data = (numbered && ext == ".sst") ||
                      (numbered && ext == ".log" && e.file_size(ec) > 0) ||
                      (e.path().filename().string().starts_with("MANIFEST-") &&
                       e.path().filename() != "MANIFEST-000001");
    if (data && e.is_regular_file(ec)) {
      std::string message = data_dir;
      message.append(" holds archive files (")
          .append(e.path().filename().string())
          .append(
              ") but no CURRENT file: a restore or a copy was cut short. Nothing was "
              "changed. Empty the directory and run `newsctl --db ")
          .append(data_dir)
          .append(" restore BACKUP_DIR` again, or point data_dir at a complete archive");
      return Status::Corruption(message);
    }
  }
  return Status::Ok();
}

}  // namespace

RocksArchive::RocksArchive(Options options, bool read_only)
    : options_(std::move(options)), read_only_(read_only) {}

RocksArchive::~RocksArchive() { Close().IgnoreError(); }  // (logged)

Result<std::unique_ptr<RocksArchive>> RocksArchive::OpenPrimary(const Options& options,
                                                                std::unique_ptr<rocksdb::Env> env) {
  if (options.data_dir.empty()) return Err(Status::InvalidArgument("archive data_dir is empty"));
  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec) {
    if (Status s = NotAFile(options.data_dir); !s.ok()) return Err(std::move(s));
    return Err(Status::IOError("cannot create archive directory " + options.data_dir + ": " +
                               ec.message() + " -- check its parent's permissions"));
  }
  if (Status s = CheckNotAHalfArchive(options.data_dir); !s.ok()) return Err(std::move(s));
  // Said in the log: a data_dir mistyped after a move or a restore starts an empty archive.
  const bool created = !HoldsArchive(options.data_dir);
  std::unique_ptr<RocksArchive> archive(new RocksArchive(options, /*read_only=*/false));
  Status s = archive->OpenDb(std::move(env));
  if (struct stat dir{}; s.ok() && ::stat(options.data_dir.c_str(), &dir) == 0) {
    archive->dir_device_ = static_cast<uint64_t>(dir.st_dev);
    archive->dir_inode_ = static_cast<uint64_t>(dir.st_ino);
  }
  if (struct stat lock{}; s.ok() && ::stat((options.data_dir + "/LOCK").c_str(), &lock) == 0) {
    archive->lock_device_ = static_cast<uint64_t>(lock.st_dev);
    archive->lock_inode_ = static_cast<uint64_t>(lock.st_ino);
  }
  if (s.ok()) s = archive->CheckSchema(/*may_initialise=*/true);
  if (s.ok()) s = archive->LoadSequence();
  if (s.ok()) s = archive->EnsureArchiveId();
  if (s.ok()) s = archive->FinishRestore();
  if (s.ok()) s = archive->DropRawBodiesWhenOff();
  if (!s.ok()) return Err(std::move(s));
  Log().info("archive opened dir={}{} sync_writes={} crc32c={}", options.data_dir,
             created ? " (created: a new, empty archive)" : "", options.sync_writes,
             Crc32cImplementation());
  return archive;
}

Result<std::unique_ptr<RocksArchive>> RocksArchive::OpenSecondary(const Options& options) {
  if (!options.data_dir.empty()) {
    if (Status s = CheckSearchable(options.data_dir); !s.ok()) return Err(std::move(s));
    if (Status s = CheckNotAHalfArchive(options.data_dir); !s.ok()) return Err(std::move(s));
  }
  if (options.data_dir.empty() || !HoldsArchive(options.data_dir)) {
    return Err(Status::NotFound("no archive at '" + options.data_dir +
                                "': check data_dir (newsd creates the archive on its first run)"));
  }
  if (Status s = CheckIdleArchiveTables(options.data_dir); !s.ok()) return Err(std::move(s));
  Result<fs::path> dir = MakeSecondaryDir();
  if (!dir) return Err(dir.error());
  std::unique_ptr<RocksArchive> archive(new RocksArchive(options, /*read_only=*/true));
  archive->secondary_dir_ = *dir;  // removed by Close() whatever happens next
  Status s = archive->OpenDb(nullptr);
  if (s.ok()) s = archive->CheckSchema(/*may_initialise=*/false);
  if (!s.ok()) return Err(std::move(s));
  return archive;
}

Status RocksArchive::OpenDb(std::unique_ptr<rocksdb::Env> env) {
  rocksdb::DBOptions db_options = MakeDbOptions(options_, read_only_);
  env_ = std::move(env);
  if (env_) db_options.env = env_.get();
  Result<std::vector<std::string>> existing = ExistingFamilies(db_options, options_.data_dir);
  if (!existing) return existing.error();
  std::vector<std::string>& names = *existing;
  if (names.empty()) names.emplace_back(rocksdb::kDefaultColumnFamilyName);
  std::vector<std::string> missing;
  for (size_t index = 0; index < kFamilyCount; ++index) {
    const std::string_view known = kFamilyNames[index];
    if (Contains(names, known)) continue;
    // Families of later schemas: the writer adds them at its next start.
    if (read_only_ && AddedAfterSchema1(index)) continue;
    if (read_only_) {
      return Status::NotFound("archive at '" + options_.data_dir + "' has no column family '" +
                              std::string(known) +
                              "': not a newsd archive, or one whose creation is under way or was "
                              "interrupted (newsd completes it when it starts)");
    }
    missing.emplace_back(known);
  }
  FamilyOptions family_options(options_);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(names.size());
  for (const std::string& name : names) descriptors.emplace_back(name, family_options.For(name));

  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  const rocksdb::Status s =
      read_only_ ? rocksdb::DB::OpenAsSecondary(db_options, options_.data_dir,
                                                secondary_dir_.string(), descriptors, &handles, &db)
                 : rocksdb::DB::Open(db_options, options_.data_dir, descriptors, &handles, &db);
  if (!s.ok()) return Rocks(s, read_only_ ? "opening read-only" : "opening");
  db_.reset(db);
  all_handles_ = handles;
  if (Status created = CreateFamilies(missing, family_options); !created.ok()) return created;
  if (Status mapped = MapHandles(all_handles_); !mapped.ok()) return mapped;
  return read_only_ ? Refresh() : Status::Ok();
}

// Creates the families of `names` in one call: RocksDB rewrites (and re-reads, to verify) its
// OPTIONS file once per call, which is most of the time spent creating a fresh archive.
Status RocksArchive::CreateFamilies(const std::vector<std::string>& names,
                                    const FamilyOptions& family_options) {
  if (names.empty()) return Status::Ok();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(names.size());
  for (const std::string& name : names) descriptors.emplace_back(name, family_options.For(name));
  std::vector<rocksdb::ColumnFamilyHandle*> created;
  const rocksdb::Status s = db_->CreateColumnFamilies(descriptors, &created);
  all_handles_.insert(all_handles_.end(), created.begin(), created.end());
  return Rocks(s, "creating column families");
}

Status RocksArchive::MapHandles(const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
  for (size_t i = 0; i < kFamilyCount; ++i) {
    for (rocksdb::ColumnFamilyHandle* h : handles) {
      if (h->GetName() == kFamilyNames[i]) handles_[i] = h;
    }
    // A read-only view of an older archive lacks later families (reads treat them as empty).
    if (handles_[i] == nullptr && !(read_only_ && AddedAfterSchema1(i))) {
      return Status::Internal("column family " + std::string(kFamilyNames[i]) + " not opened");
    }
  }
  return Status::Ok();
}

Status RocksArchive::CheckSchema(bool may_initialise) {
  Result<std::optional<std::string>> stored = GetRaw(kMetaFamily, kSchemaVersionKey);
  if (!stored) return stored.error();
  if (!stored->has_value()) {
    if (!may_initialise) {
      return Status::NotFound("archive at '" + options_.data_dir +
                              "' has no schema version: not a newsd archive, or one whose "
                              "creation is under way or was interrupted (newsd completes it "
                              "when it starts)");
    }
    rocksdb::WriteBatch wb;
    wb.Put(Cf(kMetaFamily), kSchemaVersionKey, std::to_string(kSchemaVersion));
    return Write(&wb);
  }
  const std::optional<int> version = ParseVersion(**stored);
  if (!version)
    return Status::Corruption("archive schema version is unreadable: '" + **stored +
                              "' -- the archive is damaged: restore it from a backup");
  if (*version < kSchemaVersion && *version >= 1 && may_initialise) return Migrate(*version);
  if (*version > kSchemaVersion) {
    return Status::InvalidArgument(
        "archive at '" + options_.data_dir + "' has schema version " + std::to_string(*version) +
        ", newer than this newsd understands (" + std::to_string(kSchemaVersion) +
        "): run a newer newsd, or point data_dir at another directory");
  }
  return Status::Ok();
}

Status RocksArchive::Migrate(int version) {
  // 1 -> 2 added the "seen" family, 2 -> 3 the "raw_bodies" family: OpenDb has just created
  // the missing ones, and empty is right (no story was removed by retention, no body kept
  // before). 3 -> 4 added "item_seq", filled from the items, and "feed_controls" (empty).
  // The version changes last, so an interrupted migration runs again at the next open.
  if (version < 4) {
    if (Status s = BuildItemSeqIndex(); !s.ok()) return s;
  }
  rocksdb::WriteBatch wb;
  wb.Put(Cf(kMetaFamily), kSchemaVersionKey, std::to_string(kSchemaVersion));
  if (Status s = Write(&wb); !s.ok()) return s;
  Log().info("archive dir={} migrated from schema version {} to {}", options_.data_dir, version,
             kSchemaVersion);
  return Status::Ok();
}

Status RocksArchive::BuildItemSeqIndex() {
  constexpr size_t kChunk = 100000;
  rocksdb::WriteBatch wb;
  size_t in_chunk = 0, total = 0;
  Status written;
  Status s = Scan(
      kItemsFamily, "", "",
      [&](std::string_view id, std::string_view value) {
        ItemRecord item;
        codec::ItemPlace place;
        if (!codec::DecodeItem(id, value, &item, &place).ok()) return true;  // as ItemsFrom skips
        wb.Put(Cf(kItemSeqFamily), codec::EncodeBe64(place.exported),
               rocksdb::Slice(id.data(), id.size()));
        ++total;
        if (++in_chunk < kChunk) return true;
        written = Write(&wb);
        wb.Clear();
        in_chunk = 0;
        Log().info("archive dir={}: export index built for {} items so far", options_.data_dir,
                   total);
        return written.ok();
      },
      /*whole=*/true);
  if (!written.ok()) return written;
  if (!s.ok()) return s;
  if (in_chunk > 0) {
    if (Status w = Write(&wb); !w.ok()) return w;
  }
  Log().info("archive dir={}: export index built for {} items", options_.data_dir, total);
  return Status::Ok();
}

Status RocksArchive::FinishRestore() {
  const fs::path marker = fs::path(options_.data_dir) / kRenumberMarker;
  std::error_code ec;
  if (!fs::exists(marker, ec)) return Status::Ok();
  if (Status s = SkipItemSeqs(static_cast<UnixSeconds>(std::time(nullptr))); !s.ok()) return s;
  // Left behind, the next open would move the numbering on again: harmless.
  fs::remove(marker, ec);
  Log().info("archive dir={}: restored; new items are numbered from {}", options_.data_dir,
             next_seq_);
  return Status::Ok();
}

Status RocksArchive::LoadSequence() {
  Result<std::optional<std::string>> stored = GetRaw(kMetaFamily, kNextItemSeqKey);
  if (!stored) return stored.error();
  if (!stored->has_value()) return Status::Ok();
  const std::optional<uint64_t> seq = codec::DecodeBe64(**stored);
  if (!seq) return Status::Corruption("archive item sequence counter is unreadable");
  next_seq_ = *seq;
  return Status::Ok();
}

Status RocksArchive::EnsureArchiveId() {
  Result<std::optional<std::string>> stored = GetRaw(kMetaFamily, kArchiveIdKey);
  if (!stored) return stored.error();
  if (stored->has_value()) return Status::Ok();
  std::random_device random;
  char id[9];
  std::snprintf(id, sizeof id, "%08x", static_cast<unsigned>(random()));
  rocksdb::WriteBatch wb;
  wb.Put(Cf(kMetaFamily), kArchiveIdKey, std::string_view(id, 8));
  return Write(&wb);
}

Result<std::unique_ptr<Archive>> OpenArchive(const Options& options) {
  Result<std::unique_ptr<RocksArchive>> archive = RocksArchive::OpenPrimary(options);
  if (!archive) return Err(archive.error());
  return std::unique_ptr<Archive>(std::move(*archive));
}

Result<std::unique_ptr<Archive>> OpenArchiveReadOnly(const Options& options) {
  Result<std::unique_ptr<RocksArchive>> archive = RocksArchive::OpenSecondary(options);
  if (!archive) return Err(archive.error());
  return std::unique_ptr<Archive>(std::move(*archive));
}

}  // namespace newsd::storage
