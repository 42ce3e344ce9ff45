// The audit log (安全审计): append-only, each row chained to the one before by
// hash = SHA-256(prev_hash ‖ canonical fields), so an edited, removed or inserted row shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "store/database.h"

namespace wangge::auth::audit {

struct Entry {
  int64_t id = 0;
  Instant at;
  std::string actor;            // username, or "system"
  std::string action;           // "login", "login_failed", "user.create", "resident.reveal" …
  std::string subject;          // what was acted on ("user:17", "resident:42")
  std::string detail;           // free text or JSON
  std::string prev_hash, hash;  // 64 lowercase hex characters each
};

// Appends one entry in the caller's write transaction and returns its id. Appends serialise on
// the chain's head row, so concurrent transactions never fork the chain; the entry exists only
// if the caller commits.
int64_t append(store::Tx& tx, std::string_view actor, std::string_view action,
               std::string_view subject, std::string_view detail, Instant at = now());

// Walks the whole chain. Returns the id of the first entry whose link or hash does not match
// (for a truncated tail, the first missing id), or nullopt when the chain is intact.
std::optional<int64_t> verify(store::Tx& tx);

// Entries with id > after_id, oldest first, at most limit.
std::vector<Entry> entries(store::Tx& tx, int64_t after_id = 0, int limit = 100);

// A page of the log for the audit administrator, newest first.
struct Filter {
  std::optional<Instant> from, to;  // at >= from, at < to
  std::string actor, action;        // exact match when not empty
  int64_t page = 1, size = 50;      // REQUIRES: page >= 1, 1 <= size <= 500
};
struct Listed {
  Entry entry;
  // The row's hash matches its fields and its prev_hash is the previous row's hash.
  bool link_ok = false;
};
struct Page {
  std::vector<Listed> items;
  int64_t total = 0;  // rows matching the filter
};
Page search(store::Tx& tx, const Filter& filter);

// The hash an entry should carry given its fields and prev_hash (exposed for tests and export
// checkers).
std::string chain_hash(const Entry& e);

}  // namespace wangge::auth::audit
