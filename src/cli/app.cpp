#include "cli/app.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/keys.h"
#include "core/error.h"
#include "core/text.h"

namespace wangge::cli {

std::unique_ptr<store::Database> open_database(const std::string& url,
                                               const store::OpenOptions& opts) {
  auto db = store::Database::open(url, opts);
  registry().migrate(*db);
  return db;
}

std::unique_ptr<store::Database> open_existing_database(const std::string& url) {
  if (url.empty()) {
    throw_bad_input("missing_db", "须用 --db 指定数据库", "--db is required", "db");
  }
  if (!url.starts_with("postgres")) {
    std::string file = url.starts_with("sqlite:") ? url.substr(7) : url;
    if (!std::filesystem::exists(file)) {
      throw_bad_input("no_database", "数据库文件不存在：" + file, "no database file at " + file,
                      "db");
    }
  }
  return open_database(url);
}

Vault open_vault(store::Database& db, const std::string& url, bool create) {
  const auto file = Vault::default_key_file(url);
  Vault vault = Vault::from_key_file(file, create);
  bind_key(db, vault, file);
  return vault;
}

std::optional<Vault> open_vault_if_any(store::Database& db, const std::string& url) {
  const auto file = Vault::default_key_file(url);
  if (!std::filesystem::exists(file)) {
    auto tx = db.begin(store::TxMode::read);
    if (!tx->query_one("SELECT 1 FROM data_keys")) return std::nullopt;
  }
  return open_vault(db, url, false);
}

std::string os_user() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name) return pw->pw_name;
  if (const char* u = std::getenv("USER"); u && *u) return u;
  return "unknown";
}

std::string audit_actor(const std::string& as) {
  if (as.empty()) return "os:" + os_user();
  bool ok = utf8_length(as) <= 64;
  for (unsigned char c : as) ok = ok && c >= 0x20 && c != 0x7f;
  if (!ok) {
    throw_bad_input("invalid_actor", "--as 须为 1–64 个可见字符",
                    "--as must be 1-64 visible characters", "--as");
  }
  return as;
}

bool interactive() { return isatty(fileno(stderr)) != 0; }

void ProgressBar::update(int64_t done, int64_t total, const std::string& what) {
  if (!interactive()) return;
  int permille = total > 0 ? static_cast<int>(done * 1000 / total) : 1000;
  if (permille == last_permille_ && what == last_what_) return;
  last_permille_ = permille;
  last_what_ = what;
  constexpr int kWidth = 30;
  int filled = permille * kWidth / 1000;
  fmt::print(stderr, "\r[{}{}] {:5.1f}%  {}\033[K", std::string(filled, '#'),
             std::string(kWidth - filled, ' '), permille / 10.0, what);
  if (permille >= 1000 && what.empty()) fmt::print(stderr, "\n");
  std::fflush(stderr);
}

}  // namespace wangge::cli
