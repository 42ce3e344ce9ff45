// Helpers shared by the tests: throwaway databases on both backends and temporary folders.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/database.h"

namespace wangge::testing {

// The backends a database test runs against: "sqlite" always, "postgres" when the harness
// started a cluster (WANGGE_TEST_PG holds its base URL). When WANGGE_REQUIRE_PG=1 (set by
// scripts/test.sh) a missing cluster fails the test instead of skipping it.
std::vector<std::string> backends();

// A URL of an empty database of that backend that no other test uses: a new SQLite file under
// a fresh temp folder, or a new schema in the test cluster (selected through search_path).
std::string fresh_database_url(const std::string& backend);

// Opens a fresh database of that backend.
std::unique_ptr<store::Database> fresh_database(const std::string& backend,
                                                const store::OpenOptions& opts = {});

// A new empty folder under the system temp folder, removed at process exit.
std::filesystem::path temp_dir(const std::string& prefix = "wangge-test");

// The repository root (WANGGE_SOURCE_DIR), for fixture files.
std::filesystem::path source_dir();

}  // namespace wangge::testing
