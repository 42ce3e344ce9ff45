// The audit log (安全审计): append-only, each row chained to the one before by
// hash = SHA-256(prev_hash ‖ canonical fields), so an edited, removed or inserted row shows.
// Whoever can write the database could recompute that chain, so it is anchored with a key kept
// outside the database: once a MAC key is set (set_mac_key, from the data key file), every new
// row also carries mac = HMAC-SHA256(audit key, id ‖ hash), and audit_head keeps the id of the
// first such row (the switch point, itself MACed) and a MAC of the tip. Rows before the switch
// point are checked by their SHA-256 chain alone.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "store/database.h"
#include "store/migrations.h"

namespace wangge::auth::audit {

struct Entry {
  int64_t id = 0;
  Instant at;
  std::string actor;            // username, or "system"
  std::string action;           // "login", "login_failed", "user.create", "resident.reveal" …
  std::string subject;          // what was acted on ("user:17", "resident:42")
  std::string detail;           // free text or JSON
  std::string prev_hash, hash;  // 64 lowercase hex characters each
  std::string client_addr;      // the IP address of the HTTP client, for API requests
  std::string mac;              // 64 hex characters; empty before the switch point
};

// The key of the chain's MAC for this process (Vault::audit_key()). Set once at start, before
// any thread appends; nullopt (the default) writes and checks the SHA-256 chain only.
using MacKey = std::array<std::uint8_t, 32>;
void set_mac_key(const std::optional<MacKey>& key);
bool has_mac_key();

// The client address that rows appended on this thread record, for the lifetime of the scope
// (the API sets it per request; store writes carried to another thread carry it along).
class OriginScope {
 public:
  explicit OriginScope(std::string client_addr);
  ~OriginScope();
  OriginScope(const OriginScope&) = delete;
  OriginScope& operator=(const OriginScope&) = delete;

 private:
  std::string saved_;
};
// Sets this thread's address until the next set_origin or OriginScope (the API's before hook
// calls it for every request, so a handler thread never keeps a previous request's address).
void set_origin(std::string client_addr);
// The address set by the innermost OriginScope or set_origin of this thread, or "".
const std::string& current_origin();

// Marks the switch point (the next row's id) when a MAC key is set and no row carries a MAC
// yet; a no-op otherwise. Returns the switch point, if any.
std::optional<int64_t> start_mac(store::Tx& tx);
// The switch point recorded in the data (not checked), if any.
std::optional<int64_t> mac_from(store::Tx& tx);

// Appends one entry in the caller's write transaction and returns its id. Appends serialise on
// the chain's head row, so concurrent transactions never fork the chain; the entry exists only
// if the caller commits.
int64_t append(store::Tx& tx, std::string_view actor, std::string_view action,
               std::string_view subject, std::string_view detail, Instant at = now());

// Walks the whole chain. Returns the id of the first entry whose link or hash does not match
// (for a truncated tail, the first missing id), or nullopt when the chain is intact. With a MAC
// key set it also checks the switch point's MAC, each row's MAC from there on and the tip's;
// without one, a chain that carries MACs is checked by its SHA-256 links only.
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
  // The row's hash matches its fields and its prev_hash is the previous row's hash (and its
  // MAC, when it should carry one and the key is set).
  bool link_ok = false;
};
struct Page {
  std::vector<Listed> items;
  int64_t total = 0;  // rows matching the filter
};
Page search(store::Tx& tx, const Filter& filter);

// The hash an entry should carry given its fields and prev_hash (exposed for tests and export
// checkers). The client address takes part only when not empty, so older rows keep their hash.
std::string chain_hash(const Entry& e);

// Key rotation. remac_rows remakes under new_key the MACs of at most `limit` rows with
// id > after_id, each checked first: a row whose MAC is new_key's already is left alone, one
// with neither key's MAC is a forgery (Error(internal) naming it). Returns the last id seen,
// or nullopt when no row was left; `changed` counts the rows rewritten.
std::optional<int64_t> remac_rows(store::Tx& tx, const MacKey& old_key, const MacKey& new_key,
                                  int64_t after_id, int limit, int64_t& changed);
// The switch point's tag and the tip's MAC, checked with old_key and remade with new_key.
void remac_head(store::Tx& tx, const MacKey& old_key, const MacKey& new_key);

// Migration auth 6: audit_log.client_addr and .mac; audit_head.mac_from, .mac_from_tag and
// .head_mac; and data_keys, the data key's check value (cli/keys.h binds and checks it).
store::Migration key_migration();

}  // namespace wangge::auth::audit
