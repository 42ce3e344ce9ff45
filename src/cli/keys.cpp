#include "cli/keys.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "auth/audit.h"
#include "core/error.h"
#include "core/files.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void refuse(const std::string& code, const std::string& zh, const std::string& en) {
  throw Error(ErrorKind::unavailable, code, zh, en);
}

struct Binding {
  std::string check, next;  // next: the new key's check value while a rotation is unfinished
  std::string rotated_upto;
};

std::optional<Binding> binding(store::Tx& tx) {
  auto r = tx.query_one("SELECT check_value, next_check, rotated_upto FROM data_keys WHERE id = 1");
  if (!r) return std::nullopt;
  return Binding{r->text(0), r->is_null(1) ? std::string() : r->text(1), r->text(2)};
}

[[noreturn]] void wrong_key(const fs::path& file, const Vault& v, const std::string& expected) {
  std::string want = expected.empty() ? "" : expected.substr(0, 8);
  refuse("wrong_key",
         fmt::format("数据密钥文件 {}（密钥编号 {}）不是这个数据库的密钥{}。拒绝启动：用错误的密钥"
                     "无法解密已有的身份证号和电话，新数据也会被加密成无法读取的样子。请找回原来的"
                     "密钥文件，或用环境变量 WANGGE_KEY_FILE 指向它。",
                     file.string(), v.key_id(), want.empty() ? "" : "（应为 " + want + "）"),
         fmt::format("the data key file {} (key id {}) is not this database's key{}. Refusing to "
                     "start: a wrong key cannot open the ID numbers and phones stored, and new "
                     "data would be sealed unreadably. Find the original key file, or point "
                     "WANGGE_KEY_FILE at it.",
                     file.string(), v.key_id(), want.empty() ? "" : " (expected " + want + ")"));
}

// True when each sealed column's first value (if any) opens with the key.
bool opens_sealed_values(store::Tx& tx, const Vault& v) {
  for (const auto& c : sealed_columns()) {
    auto r = tx.query_one(fmt::format("SELECT {} FROM {} WHERE {} IS NOT NULL ORDER BY id LIMIT 1",
                                      c.column, c.table, c.column));
    std::string ignored;
    if (r && !r->blob(0).empty() && !v.try_decrypt(r->blob(0), ignored)) return false;
  }
  return true;
}

}  // namespace

const std::vector<SealedColumn>& sealed_columns() {
  static const std::vector<SealedColumn> list{
      {"residents", "id_enc", "id_hash"}, {"residents", "phone_enc", ""},
      {"staff", "phone_enc", ""},         {"open311_requests", "contact_enc", ""},
      {"idempotency_keys", "body", ""},   {"notify_webhooks", "secret_enc", ""},
      {"notify_webhooks", "url_enc", ""},
  };
  return list;
}

void bind_key(store::Database& db, const Vault& vault, const fs::path& key_file) {
  db.transact([&](store::Tx& tx) {
    auto b = binding(tx);
    if (b && !b->next.empty()) {
      refuse("key_rotation_unfinished",
             fmt::format("数据密钥轮换尚未完成（新密钥编号 {}）。请先用同样的参数再次运行 wangge "
                         "key rotate 完成它，再启动。",
                         b->next.substr(0, 8)),
             fmt::format("a data key rotation is unfinished (new key id {}): run wangge key "
                         "rotate again with the same files to finish it before starting.",
                         b->next.substr(0, 8)));
    }
    if (b) {
      if (b->check != vault.check_value()) wrong_key(key_file, vault, b->check);
      return;
    }
    // A database made before key checks: the key must open what is sealed in it already.
    if (!opens_sealed_values(tx, vault)) wrong_key(key_file, vault, "");
    tx.exec(
        "INSERT INTO data_keys (id, check_value, bound_at) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO NOTHING",
        {vault.check_value(), to_unix_ms(now())});
    if (auto again = binding(tx); !again || again->check != vault.check_value()) {
      wrong_key(key_file, vault, again ? again->check : "");
    }
  });
  auth::audit::set_mac_key(vault.audit_key());
  db.transact([](store::Tx& tx) { auth::audit::start_mac(tx); });
}

RotateResult rotate_key(store::Database& db, const RotateOptions& o, const std::string& actor) {
  if (fs::exists(o.new_key_file) && fs::exists(o.key_file) &&
      fs::equivalent(o.key_file, o.new_key_file)) {
    throw_bad_input("same_key_file", "新旧密钥文件不能相同", "the new key file is the old one",
                    "--new-key-file");
  }
  const Vault old_key = Vault::from_key_file(o.key_file, false);
  const Vault new_key = Vault::from_key_file(o.new_key_file, true);
  if (old_key.check_value() == new_key.check_value()) {
    throw_bad_input("same_key", "新密钥与旧密钥相同", "the new key is the old key",
                    "--new-key-file");
  }
  RotateResult result;
  // Start, resume, or find it finished (then only the files are left to move).
  bool finished = db.transact([&](store::Tx& tx) {
    auto b = binding(tx);
    if (b && b->check == new_key.check_value() && b->next.empty()) return true;
    if (!b) {
      if (!opens_sealed_values(tx, old_key)) wrong_key(o.key_file, old_key, "");
      tx.exec("INSERT INTO data_keys (id, check_value, bound_at) VALUES (1, ?, ?)",
              {old_key.check_value(), to_unix_ms(now())});
      b = Binding{old_key.check_value(), "", ""};
    }
    if (b->check != old_key.check_value()) wrong_key(o.key_file, old_key, b->check);
    if (!b->next.empty() && b->next != new_key.check_value()) {
      refuse("other_rotation",
             fmt::format("另一次密钥轮换（新密钥编号 {}）尚未完成，请用那个新密钥文件完成它",
                         b->next.substr(0, 8)),
             fmt::format("another rotation (new key id {}) is unfinished: finish it with that "
                         "new key file",
                         b->next.substr(0, 8)));
    }
    tx.exec("UPDATE data_keys SET next_check = ? WHERE id = 1", {new_key.check_value()});
    return false;
  });
  if (!finished) {
    for (const auto& c : sealed_columns()) {
      const std::string select =
          fmt::format("SELECT id, {} FROM {} WHERE id > ? AND {} IS NOT NULL ORDER BY id LIMIT ?",
                      c.column, c.table, c.column);
      const std::string hash = *c.lookup_hash ? fmt::format(", {} = ?", c.lookup_hash) : "";
      const std::string update =
          fmt::format("UPDATE {} SET {} = ?{} WHERE id = ?", c.table, c.column, hash);
      for (int64_t after = 0;;) {
        bool more = db.transact([&](store::Tx& tx) {
          auto rows = tx.query(select, {after, o.batch});
          for (const auto& r : rows) {
            after = r.i64(0);
            std::string plain;
            if (new_key.try_decrypt(r.blob(1), plain)) continue;  // done by an earlier run
            if (!old_key.try_decrypt(r.blob(1), plain)) {
              throw Error(
                  ErrorKind::internal, "undecryptable",
                  fmt::format("{}.{} 第 {} 行用新旧密钥都无法解密", c.table, c.column, after),
                  fmt::format("{}.{} row {} opens with neither key", c.table, c.column, after));
            }
            store::Params p{new_key.encrypt(plain)};
            if (*c.lookup_hash) p.emplace_back(new_key.lookup_hash(plain));
            p.emplace_back(after);
            tx.exec(update, p);
            ++result.resealed;
          }
          tx.exec("UPDATE data_keys SET rotated_upto = ? WHERE id = 1",
                  {fmt::format("{}.{}:{}", c.table, c.column, after)});
          return static_cast<int>(rows.size()) == o.batch;
        });
        if (!more) break;
      }
    }
    for (int64_t after = 0;;) {
      auto last = db.transact([&](store::Tx& tx) {
        return auth::audit::remac_rows(tx, old_key.audit_key(), new_key.audit_key(), after, o.batch,
                                       result.remaced);
      });
      if (!last) break;
      after = *last;
    }
    db.transact([&](store::Tx& tx) {
      auth::audit::remac_head(tx, old_key.audit_key(), new_key.audit_key());
      tx.exec(
          "UPDATE data_keys SET check_value = ?, next_check = NULL, rotated_upto = '' "
          "WHERE id = 1",
          {new_key.check_value()});
      auth::audit::set_mac_key(new_key.audit_key());
      nlohmann::json detail{{"old_key_id", old_key.key_id()},
                            {"new_key_id", new_key.key_id()},
                            {"resealed", result.resealed},
                            {"remaced", result.remaced}};
      auth::audit::append(tx, actor, "key.rotate", "data_key", detail.dump());
    });
  }
  auth::audit::set_mac_key(new_key.audit_key());
  // The files: the old key aside (old backups need it), the new one in its place.
  Vault current = Vault::from_key_file(o.key_file, false);
  if (current.check_value() != new_key.check_value()) {
    fs::path retired = o.key_file;
    retired += ".retired-" + old_key.key_id();
    std::error_code ec;
    if (!fs::exists(retired)) fs::rename(o.key_file, retired, ec);
    if (!ec) fs::rename(o.new_key_file, o.key_file, ec);
    if (!ec) {
      // The renames must reach the disk: after a power cut the old name holding the old key
      // would no longer open the resealed data.
      try {
        sync_directory(o.key_file.parent_path());
        if (o.new_key_file.parent_path() != o.key_file.parent_path()) {
          sync_directory(o.new_key_file.parent_path());
        }
      } catch (const Error&) {
        ec = std::make_error_code(std::errc::io_error);
      }
    }
    if (ec) {
      refuse("key_install",
             fmt::format("数据已用新密钥重新加密，但无法把新密钥文件 {} 移到 {}：{}。请手工移动后"
                         "再启动。",
                         o.new_key_file.string(), o.key_file.string(), ec.message()),
             fmt::format("the data is sealed with the new key, but {} could not be moved to {}: "
                         "{}. Move it by hand before starting.",
                         o.new_key_file.string(), o.key_file.string(), ec.message()));
    }
    result.installed = true;
    result.retired = retired.string();
  }
  return result;
}

}  // namespace wangge::cli
