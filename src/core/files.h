// Files that must survive a power cut once a command or request has said they are saved:
// written to a temporary name, synced, renamed into place, and the folder synced so that the
// new name is on disk too (a rename is only as durable as its directory entry).
#pragma once

#include <filesystem>
#include <string_view>

namespace wangge {

// Replaces path with bytes atomically and durably: a reader sees the old file or the new one,
// and after a power cut the new one is there if this returned. Creates the folder if needed.
// Throws Error(unavailable, "io_error") naming the file when the disk refuses (full, read-only).
void write_file_durably(const std::filesystem::path& path, std::string_view bytes);

// create_directories, with each folder it makes synced into its parent: a new folder's name
// is only as durable as its parent's entry. Throws Error(unavailable, "io_error").
void create_directories_durably(const std::filesystem::path& dir);

// Syncs a file already written (its bytes and size) to disk. Throws Error(unavailable,
// "io_error") when it cannot be opened or synced.
void sync_file(const std::filesystem::path& file);

// Syncs a folder so that the files created, renamed or removed in it so far stay so after a
// power cut. Throws Error(unavailable, "io_error") when it cannot be opened or synced.
void sync_directory(const std::filesystem::path& dir);

}  // namespace wangge
