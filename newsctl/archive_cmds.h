#pragma once

#include <string>

#include "newsctl/commands.h"

namespace newsd::newsctl {

/// `newsctl backup DIR`: the running daemon writes a consistent copy of its archive into the
/// new directory DIR (a RocksDB checkpoint: hard links on the same file system). With --db
/// DATA_DIR (the daemon stopped) newsctl opens the archive itself and does the same. Prints
/// where, how many files and bytes; exit 1 when DIR exists or cannot be written.
int RunBackup(const GlobalArgs& g, const std::string& dir);

/// `newsctl --db DATA_DIR restore BACKUP_DIR`: checks that the backup opens, then copies it
/// into DATA_DIR, which must be absent or empty (stop newsd and move the old archive aside
/// first). Shows progress on a terminal (stderr), nothing when piped.
int RunRestore(const GlobalArgs& g, const std::string& backup_dir);

}  // namespace newsd::newsctl
