// The PostgreSQL backend: a pool of libpq connections.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace wangge::store::postgres {

// Connects to the PostgreSQL database named by url (a libpq URI). Throws Error(unavailable)
// when it cannot connect.
std::unique_ptr<Database> open_database(const std::string& url, const OpenOptions& opts);

}  // namespace wangge::store::postgres
