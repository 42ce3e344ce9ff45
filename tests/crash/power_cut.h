// A power cut, as the disk would hold it: the folder of the database and photos rebuilt from
// what the sync_shadow.c shim recorded at each fsync (synced content by inode, synced folder
// listings). What was never synced is gone; the page cache is not the disk.
#pragma once

#include <filesystem>

namespace wangge::crash {

// Records the folder as it is now as fully synced (no process may be writing to it).
void power_baseline(const std::filesystem::path& folder, const std::filesystem::path& shadow);

// Replaces the folder with what the disk would hold after the power went off now, then takes
// that as the new baseline. REQUIRES: the process that wrote under the shim is dead.
void power_cut(const std::filesystem::path& folder, const std::filesystem::path& shadow);

}  // namespace wangge::crash
