#include "auth/audit.h"

#include <algorithm>
#include <map>

#include "auth/crypto.h"
#include "core/error.h"

namespace wangge::auth::audit {
namespace {

// Canonical form: every field as "<byte length>:<bytes>;" so no two rows encode alike.
void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

Entry entry_of(const store::Row& r) {
  return {r.i64(0), from_unix_ms(r.i64(1)), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6),
          r.text(7)};
}

constexpr std::string_view kColumns =
    "SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ";

}  // namespace

std::string chain_hash(const Entry& e) {
  std::string data = e.prev_hash;
  put(data, std::to_string(e.id));
  put(data, std::to_string(to_unix_ms(e.at)));
  put(data, e.actor);
  put(data, e.action);
  put(data, e.subject);
  put(data, e.detail);
  return detail::sha256_hex(data);
}

int64_t append(store::Tx& tx, std::string_view actor, std::string_view action,
               std::string_view subject, std::string_view detail, Instant at) {
  // Taking the head row's lock first: on PostgreSQL a second appender waits here until the
  // first commits, and its next statement (a fresh READ COMMITTED snapshot) sees the new tip.
  // On SQLite write transactions already run one at a time.
  tx.exec("UPDATE audit_head SET last_id = last_id WHERE id = 1");
  auto head = tx.query_one("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
  if (!head) throw Error(ErrorKind::internal, "audit_head", "审计链头缺失", "audit_head missing");
  Entry e{head->i64(0) + 1,     at,
          std::string(actor),   std::string(action),
          std::string(subject), std::string(detail),
          head->text(1),        {}};
  e.hash = chain_hash(e);
  tx.exec(
      "INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {e.id, to_unix_ms(e.at), e.actor, e.action, e.subject, e.detail, e.prev_hash, e.hash});
  tx.exec("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", {e.id, e.hash});
  return e.id;
}

std::optional<int64_t> verify(store::Tx& tx) {
  auto head = tx.query_one("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
  int64_t head_id = head ? head->i64(0) : 0;
  std::string prev(64, '0');
  int64_t expected_id = 1;
  std::optional<int64_t> broken;
  tx.each(std::string(kColumns) + "ORDER BY id", {}, [&](const store::Row& r) {
    if (broken) return;
    Entry e = entry_of(r);
    if (e.id != expected_id) {
      broken = std::min(e.id, expected_id);  // a removed row: the gap's first id
    } else if (e.prev_hash != prev || chain_hash(e) != e.hash) {
      broken = e.id;
    }
    prev = e.hash;
    ++expected_id;
  });
  if (broken) return broken;
  int64_t last = expected_id - 1;
  if (last < head_id) return last + 1;                         // the tail was cut off
  if (last > head_id) return head_id + 1;                      // rows beyond the recorded tip
  if (head && last > 0 && head->text(1) != prev) return last;  // the tip row was rewritten
  return std::nullopt;
}

Page search(store::Tx& tx, const Filter& f) {
  std::string where = " WHERE 1 = 1";
  store::Params params;
  if (f.from) {
    where += " AND at >= ?";
    params.emplace_back(to_unix_ms(*f.from));
  }
  if (f.to) {
    where += " AND at < ?";
    params.emplace_back(to_unix_ms(*f.to));
  }
  if (!f.actor.empty()) {
    where += " AND actor = ?";
    params.emplace_back(f.actor);
  }
  if (!f.action.empty()) {
    where += " AND action = ?";
    params.emplace_back(f.action);
  }
  Page out;
  out.total = tx.query_int("SELECT COUNT(*) FROM audit_log" + where, params);
  params.emplace_back(f.size);
  params.emplace_back((f.page - 1) * f.size);
  std::string sql = std::string(kColumns) + where.substr(1) + " ORDER BY id DESC LIMIT ? OFFSET ?";
  for (const auto& r : tx.query(sql, params)) out.items.push_back({entry_of(r), false});
  if (out.items.empty()) return out;
  // Each row's link: its own hash, and the hash of the row before it (fetched in one query).
  std::string prev_sql = "SELECT id, hash FROM audit_log WHERE id IN (";
  store::Params ids;
  for (const auto& l : out.items) {
    prev_sql += ids.empty() ? "?" : ", ?";
    ids.emplace_back(l.entry.id - 1);
  }
  std::map<int64_t, std::string> prev;
  for (const auto& r : tx.query(prev_sql + ")", ids)) prev[r.i64(0)] = r.text(1);
  for (auto& l : out.items) {
    const Entry& e = l.entry;
    std::string expected_prev = e.id == 1 ? std::string(64, '0') : std::string();
    if (auto it = prev.find(e.id - 1); it != prev.end()) expected_prev = it->second;
    l.link_ok = !expected_prev.empty() && e.prev_hash == expected_prev && chain_hash(e) == e.hash;
  }
  return out;
}

std::vector<Entry> entries(store::Tx& tx, int64_t after_id, int limit) {
  std::vector<Entry> out;
  for (const auto& r :
       tx.query(std::string(kColumns) + "WHERE id > ? ORDER BY id LIMIT ?", {after_id, limit})) {
    out.push_back(entry_of(r));
  }
  return out;
}

}  // namespace wangge::auth::audit
