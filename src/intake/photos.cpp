// Content-addressed photo files and their rows.
#include "intake/photos.h"

#include <sodium.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/digest.h"
#include "core/error.h"
#include "core/files.h"

namespace wangge::intake {
namespace {

namespace fs = std::filesystem;

// In the name of a file being written (write_file_durably): "<final name>.tmp<pid>.<n>".
constexpr std::string_view kTempMark = ".tmp";

bool starts_with_bytes(std::string_view bytes, size_t at, std::string_view magic) {
  return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

// An ISO-BMFF "ftyp" box naming a HEIC brand, as major brand or (for the generic HEIF
// brands mif1/msf1) among the compatible brands.
bool is_heic(std::string_view b) {
  if (!starts_with_bytes(b, 4, "ftyp") || b.size() < 16) return false;
  auto is_heic_brand = [](std::string_view brand) {
    for (std::string_view h : {"heic", "heix", "heim", "heis", "hevc", "hevx"}) {
      if (brand == h) return true;
    }
    return false;
  };
  std::string_view major = b.substr(8, 4);
  if (is_heic_brand(major)) return true;
  if (major != "mif1" && major != "msf1") return false;
  const auto box = static_cast<size_t>(
      (static_cast<unsigned char>(b[0]) << 24) | (static_cast<unsigned char>(b[1]) << 16) |
      (static_cast<unsigned char>(b[2]) << 8) | static_cast<unsigned char>(b[3]));
  for (size_t at = 16; at + 4 <= std::min(box, b.size()); at += 4) {
    if (is_heic_brand(b.substr(at, 4))) return true;
  }
  return false;
}

// Writes the photo's file durably (core/files.h: a temporary "<name>.tmp<pid>.<n>", fsync,
// rename, fsync of the folder and of each folder made): without the folder's sync, a power
// cut after the answer could keep the row and lose the file's name.
void write_file(const fs::path& path, std::string_view bytes) {
  try {
    write_file_durably(path, bytes);
  } catch (const Error& e) {
    throw Error(ErrorKind::unavailable, "photo_write_failed",
                "照片保存失败（存储空间不足或照片目录不可写），请稍后重试或联系管理员",
                "the photo could not be saved (disk full or photo folder not writable): " +
                    e.message(Lang::en));
  }
}

}  // namespace

std::optional<std::string> sniff_image(std::string_view b) {
  if (starts_with_bytes(b, 0, "\xFF\xD8\xFF")) return "image/jpeg";
  if (starts_with_bytes(b, 0, "\x89PNG\r\n\x1A\n")) return "image/png";
  if (starts_with_bytes(b, 0, "RIFF") && starts_with_bytes(b, 8, "WEBP")) return "image/webp";
  if (is_heic(b)) return "image/heic";
  return std::nullopt;
}

fs::path photo_dir(std::string_view configured, std::string_view db_url) {
  if (!configured.empty()) return fs::path(std::string(configured));
  if (db_url.starts_with("postgres")) return "wangge.files";
  if (db_url.starts_with("sqlite:")) db_url.remove_prefix(7);
  return fs::path(std::string(db_url) + ".files");
}

PhotoStore::PhotoStore(fs::path dir, size_t max_bytes)
    : dir_(std::move(dir)), max_bytes_(max_bytes) {}

fs::path PhotoStore::path_of(std::string_view sha256) const {
  return dir_ / std::string(sha256.substr(0, 2)) / std::string(sha256.substr(2));
}

PhotoStore::Checked PhotoStore::store_file(std::string_view bytes) const {
  if (bytes.empty()) {
    throw_bad_input("empty_photo", "照片内容为空", "the photo is empty", "body");
  }
  if (bytes.size() > max_bytes_) {
    const auto mb = std::to_string(max_bytes_ / (1024 * 1024));
    throw Error(ErrorKind::too_large, "photo_too_large", "照片不能超过 " + mb + " MB",
                "a photo may not exceed " + mb + " MiB", "body");
  }
  auto mime = sniff_image(bytes);
  if (!mime) {
    throw_bad_input("unsupported_photo_type", "只接受 JPEG、PNG、WebP 或 HEIC 格式的照片",
                    "only JPEG, PNG, WebP or HEIC photos are accepted", "body");
  }
  std::string sha = sha256_hex(bytes);
  fs::path path = path_of(sha);
  std::error_code ec;
  if (!fs::exists(path, ec) || fs::file_size(path, ec) != bytes.size()) write_file(path, bytes);
  if (stored_hook_) stored_hook_();
  return {sha, *mime};
}

events::Photo PhotoStore::record(store::Tx& tx, const Checked& c, size_t size, int64_t uploaded_by,
                                 Instant now) {
  // ON CONFLICT DO NOTHING: concurrent uploads of the same bytes both succeed, one row.
  tx.exec(
      "INSERT INTO photos (sha256, mime, size, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (sha256) DO NOTHING",
      {c.sha, c.mime, static_cast<int64_t>(size), uploaded_by, to_unix_ms(now)});
  return *events::find_photo(tx, c.sha);
}

events::Photo PhotoStore::put(store::Database& db, std::string_view bytes, int64_t uploaded_by,
                              Instant now) const {
  Checked c = store_file(bytes);  // outside the write: hashing and fsync take their time
  return db.transact([&](store::Tx& tx) { return record(tx, c, bytes.size(), uploaded_by, now); });
}

events::Photo PhotoStore::put(store::Tx& tx, std::string_view bytes, int64_t uploaded_by,
                              Instant now) const {
  return record(tx, store_file(bytes), bytes.size(), uploaded_by, now);
}

PhotoStore::Cleanup PhotoStore::remove_orphans(store::Database& db) const {
  Cleanup out;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return out;
  auto tx = db.begin(store::TxMode::read);
  for (const auto& sub : fs::directory_iterator(dir_)) {
    const std::string prefix = sub.path().filename().string();
    if (!sub.is_directory() || prefix.size() != 2) continue;
    // One folder's rows at a time (the UNIQUE index on sha256): memory stays 1/256 of them.
    std::set<std::string> rows;
    tx->each("SELECT sha256 FROM photos WHERE sha256 >= ? AND sha256 < ?", {prefix, prefix + "g"},
             [&](const store::Row& r) { rows.insert(r.text(0)); });
    for (const auto& f : fs::directory_iterator(sub.path())) {
      if (!f.is_regular_file()) continue;
      ++out.files;
      const std::string name = f.path().filename().string();
      if (name.find(kTempMark) == std::string::npos && rows.count(prefix + name)) continue;
      if (fs::remove(f.path(), ec)) ++out.removed;
    }
  }
  return out;
}

std::string PhotoStore::read(std::string_view sha256) const {
  std::ifstream in(path_of(sha256), std::ios::binary);
  if (!in) throw_not_found("照片文件不存在", "the photo file is missing");
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

}  // namespace wangge::intake
