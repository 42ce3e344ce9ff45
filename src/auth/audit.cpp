#include "auth/audit.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

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
  return {r.i64(0),
          from_unix_ms(r.i64(1)),
          r.text(2),
          r.text(3),
          r.text(4),
          r.text(5),
          r.text(6),
          r.text(7),
          r.is_null(8) ? std::string() : r.text(8),
          r.is_null(9) ? std::string() : r.text(9)};
}

constexpr std::string_view kColumns =
    "SELECT id, at, actor, action, subject, detail, prev_hash, hash, client_addr, mac "
    "FROM audit_log ";

// The process's MAC key: set once at start, read by every append.
std::mutex key_mu;
std::shared_ptr<const MacKey> mac_key;

std::shared_ptr<const MacKey> key_now() {
  std::lock_guard lock(key_mu);
  return mac_key;
}

thread_local std::string origin;

// Each MAC has its own label, so one can never stand in for another.
std::string mac_of(const MacKey& key, std::string_view label, std::string_view data) {
  std::string msg(label);
  msg += '\n';
  msg += data;
  return detail::hmac_sha256_hex(
      std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), msg);
}

std::string row_mac(const MacKey& key, const Entry& e) {
  return mac_of(key, "row", std::to_string(e.id) + ":" + e.hash);
}

std::string head_mac(const MacKey& key, int64_t last_id, std::string_view last_hash) {
  return mac_of(key, "head", std::to_string(last_id) + ":" + std::string(last_hash));
}

std::string switch_tag(const MacKey& key, int64_t from) {
  return mac_of(key, "mac_from", std::to_string(from));
}

struct Head {
  int64_t last_id = 0;
  std::string last_hash;
  std::optional<int64_t> mac_from;
  std::string mac_from_tag, head_mac;
};

std::optional<Head> read_head(store::Tx& tx) {
  auto r = tx.query_one(
      "SELECT last_id, last_hash, mac_from, mac_from_tag, head_mac FROM audit_head WHERE id = 1");
  if (!r) return std::nullopt;
  Head h{r->i64(0), r->text(1), {}, {}, {}};
  if (!r->is_null(2)) h.mac_from = r->i64(2);
  if (!r->is_null(3)) h.mac_from_tag = r->text(3);
  if (!r->is_null(4)) h.head_mac = r->text(4);
  return h;
}

}  // namespace

void set_mac_key(const std::optional<MacKey>& key) {
  std::lock_guard lock(key_mu);
  mac_key = key ? std::make_shared<const MacKey>(*key) : nullptr;
}

bool has_mac_key() { return key_now() != nullptr; }

OriginScope::OriginScope(std::string client_addr) : saved_(std::move(origin)) {
  origin = std::move(client_addr);
}

OriginScope::~OriginScope() { origin = std::move(saved_); }

void set_origin(std::string client_addr) { origin = std::move(client_addr); }

const std::string& current_origin() { return origin; }

std::optional<int64_t> mac_from(store::Tx& tx) {
  auto h = read_head(tx);
  return h ? h->mac_from : std::nullopt;
}

std::optional<int64_t> start_mac(store::Tx& tx) {
  auto key = key_now();
  tx.exec("UPDATE audit_head SET last_id = last_id WHERE id = 1");
  auto h = read_head(tx);
  if (!h) throw Error(ErrorKind::internal, "audit_head", "审计链头缺失", "audit_head missing");
  if (h->mac_from || !key) return h->mac_from;
  const int64_t from = h->last_id + 1;
  tx.exec("UPDATE audit_head SET mac_from = ?, mac_from_tag = ?, head_mac = ? WHERE id = 1",
          {from, switch_tag(*key, from), head_mac(*key, h->last_id, h->last_hash)});
  return from;
}

std::string chain_hash(const Entry& e) {
  std::string data = e.prev_hash;
  put(data, std::to_string(e.id));
  put(data, std::to_string(to_unix_ms(e.at)));
  put(data, e.actor);
  put(data, e.action);
  put(data, e.subject);
  put(data, e.detail);
  if (!e.client_addr.empty()) put(data, e.client_addr);
  return detail::sha256_hex(data);
}

int64_t append(store::Tx& tx, std::string_view actor, std::string_view action,
               std::string_view subject, std::string_view detail, Instant at) {
  // Taking the head row's lock first: on PostgreSQL a second appender waits here until the
  // first commits, and its next statement (a fresh READ COMMITTED snapshot) sees the new tip.
  // On SQLite write transactions already run one at a time.
  tx.exec("UPDATE audit_head SET last_id = last_id WHERE id = 1");
  auto head = read_head(tx);
  if (!head) throw Error(ErrorKind::internal, "audit_head", "审计链头缺失", "audit_head missing");
  Entry e{head->last_id + 1,    at,
          std::string(actor),   std::string(action),
          std::string(subject), std::string(detail),
          head->last_hash,      {},
          current_origin(),     {}};
  e.hash = chain_hash(e);
  const auto key = key_now();
  std::optional<std::string> mac, tip_mac;
  if (key) {
    if (!head->mac_from) {  // the first row with a MAC: the switch point
      tx.exec("UPDATE audit_head SET mac_from = ?, mac_from_tag = ? WHERE id = 1",
              {e.id, switch_tag(*key, e.id)});
    }
    mac = row_mac(*key, e);
    tip_mac = head_mac(*key, e.id, e.hash);
  } else if (head->mac_from) {
    // Without the key the row could not carry its MAC and verify would report it as forged.
    throw Error(ErrorKind::internal, "audit_key_missing",
                "审计日志需要数据密钥文件才能写入（链已启用密钥校验）",
                "the audit chain is keyed: appending needs the data key file");
  }
  store::Value client =
      e.client_addr.empty() ? store::Value() : store::Value(std::string(e.client_addr));
  tx.exec(
      "INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash, "
      "client_addr, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.id, to_unix_ms(e.at), e.actor, e.action, e.subject, e.detail, e.prev_hash, e.hash, client,
       mac ? store::Value(*mac) : store::Value()});
  tx.exec("UPDATE audit_head SET last_id = ?, last_hash = ?, head_mac = ? WHERE id = 1",
          {e.id, e.hash, tip_mac ? store::Value(*tip_mac) : store::Value()});
  return e.id;
}

std::optional<int64_t> verify(store::Tx& tx) {
  auto head = read_head(tx);
  int64_t head_id = head ? head->last_id : 0;
  const auto key = key_now();
  // The switch point must be the one the key marked: moving it to pass forged rows off as
  // old ones (checked by SHA-256 only) breaks its tag.
  std::optional<int64_t> from = head ? head->mac_from : std::nullopt;
  if (key && from && head->mac_from_tag != switch_tag(*key, *from)) return int64_t{1};
  std::string prev(64, '0');
  int64_t expected_id = 1;
  std::optional<int64_t> broken;
  tx.each(std::string(kColumns) + "ORDER BY id", {}, [&](const store::Row& r) {
    if (broken) return;
    Entry e = entry_of(r);
    if (e.id != expected_id) {
      broken = std::min(e.id, expected_id);  // a removed row: the gap's first id
    } else {
      const bool link_ok = e.prev_hash == prev && chain_hash(e) == e.hash;
      // A row rewritten by someone without the key, its SHA-256 chain recomputed, fails here.
      const bool mac_ok = !key || !from || e.id < *from || e.mac == row_mac(*key, e);
      if (!link_ok || !mac_ok) broken = e.id;
    }
    prev = e.hash;
    ++expected_id;
  });
  if (broken) return broken;
  int64_t last = expected_id - 1;
  if (last < head_id) return last + 1;                           // the tail was cut off
  if (last > head_id) return head_id + 1;                        // rows beyond the recorded tip
  if (head && last > 0 && head->last_hash != prev) return last;  // the tip row was rewritten
  // The tip, as the key last wrote it: a tail cut off with the head moved back shows here.
  if (key && from && head->head_mac != head_mac(*key, head_id, head->last_hash)) {
    return std::max<int64_t>(head_id, 1);
  }
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
  const auto key = key_now();
  const auto from = key ? mac_from(tx) : std::nullopt;
  for (auto& l : out.items) {
    const Entry& e = l.entry;
    std::string expected_prev = e.id == 1 ? std::string(64, '0') : std::string();
    if (auto it = prev.find(e.id - 1); it != prev.end()) expected_prev = it->second;
    l.link_ok = !expected_prev.empty() && e.prev_hash == expected_prev && chain_hash(e) == e.hash;
    if (key && from && e.id >= *from) l.link_ok = l.link_ok && e.mac == row_mac(*key, e);
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

std::optional<int64_t> remac_rows(store::Tx& tx, const MacKey& old_key, const MacKey& new_key,
                                  int64_t after_id, int limit, int64_t& changed) {
  std::optional<int64_t> last;
  for (const auto& r :
       tx.query(std::string(kColumns) + "WHERE id > ? ORDER BY id LIMIT ?", {after_id, limit})) {
    Entry e = entry_of(r);
    last = e.id;
    if (e.mac.empty() || e.mac == row_mac(new_key, e)) continue;
    if (e.mac != row_mac(old_key, e) || chain_hash(e) != e.hash) {
      throw Error(ErrorKind::internal, "audit_forged",
                  "审计日志第 " + std::to_string(e.id) + " 条校验失败，拒绝轮换密钥",
                  "audit entry " + std::to_string(e.id) + " fails its MAC: not rotating");
    }
    changed += tx.exec("UPDATE audit_log SET mac = ? WHERE id = ?", {row_mac(new_key, e), e.id});
  }
  return last;
}

void remac_head(store::Tx& tx, const MacKey& old_key, const MacKey& new_key) {
  tx.exec("UPDATE audit_head SET last_id = last_id WHERE id = 1");
  auto h = read_head(tx);
  if (!h || !h->mac_from) return;
  if (h->mac_from_tag != switch_tag(old_key, *h->mac_from) ||
      h->head_mac != head_mac(old_key, h->last_id, h->last_hash)) {
    throw Error(ErrorKind::internal, "audit_forged", "审计链头校验失败，拒绝轮换密钥",
                "the audit chain's head fails its MAC: not rotating");
  }
  tx.exec("UPDATE audit_head SET mac_from_tag = ?, head_mac = ? WHERE id = 1",
          {switch_tag(new_key, *h->mac_from), head_mac(new_key, h->last_id, h->last_hash)});
}

store::Migration key_migration() {
  // client_addr and mac stay NULL on rows written before; mac_from marks where MACs begin.
  return {"auth", 6, R"sql(
ALTER TABLE audit_log ADD COLUMN client_addr TEXT;
ALTER TABLE audit_log ADD COLUMN mac TEXT;
ALTER TABLE audit_head ADD COLUMN mac_from BIGINT;
ALTER TABLE audit_head ADD COLUMN mac_from_tag TEXT;
ALTER TABLE audit_head ADD COLUMN head_mac TEXT;
CREATE TABLE data_keys (
  id INTEGER PRIMARY KEY,
  check_value TEXT NOT NULL,
  next_check TEXT,
  rotated_upto TEXT NOT NULL DEFAULT '',
  bound_at BIGINT NOT NULL
);
)sql"};
}

}  // namespace wangge::auth::audit
