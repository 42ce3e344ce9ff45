// Copies of a live SQLite database for backups (cli/backup.h).
#pragma once

#include <string>

namespace wangge::store {

// Writes the SQLite database at `path` (a file name, not a URL) into the new file `dest` from
// one read snapshot (VACUUM INTO on a connection of its own), while other connections keep
// writing: the copy holds exactly the transactions committed when it began. `dest` must not
// exist. The copy is not synced: the caller fsyncs it. Throws Error(unavailable) when the
// database cannot be read and Error(internal) with SQLite's message otherwise.
void sqlite_snapshot(const std::string& path, const std::string& dest);

}  // namespace wangge::store
