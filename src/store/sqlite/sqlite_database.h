// The embedded backend: one SQLite file in WAL mode behind a pool of connections.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace wangge::store::sqlite {

// Opens (creating when missing) the SQLite database at path; url is what Database::url()
// reports. Throws Error(unavailable) when the file cannot be opened as a database.
std::unique_ptr<Database> open_database(const std::string& path, const std::string& url,
                                        const OpenOptions& opts);

}  // namespace wangge::store::sqlite
