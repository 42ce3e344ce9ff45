#include "core/vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "core/error.h"
#include "core/files.h"

namespace wangge {
namespace {

void init_sodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

[[noreturn]] void key_error(const std::filesystem::path& path, const std::string& why) {
  throw Error(ErrorKind::unavailable, "key_file",
              std::string("无法读取数据密钥文件 ") + path.string() + "：" + why,
              std::string("cannot read the data key file ") + path.string() + ": " + why);
}

std::string hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[p[i] >> 4];
    out[2 * i + 1] = kHex[p[i] & 15];
  }
  return out;
}

// Closes a file descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Vault::Vault(const Key& master) {
  init_sodium();
  crypto_kdf_derive_from_key(enc_key_.data(), enc_key_.size(), 1, "wanggeEN", master.data());
  crypto_kdf_derive_from_key(hash_key_.data(), hash_key_.size(), 2, "wanggeHS", master.data());
  crypto_kdf_derive_from_key(audit_key_.data(), audit_key_.size(), 3, "wanggeAU", master.data());
  std::array<std::uint8_t, 32> check_key{};
  crypto_kdf_derive_from_key(check_key.data(), check_key.size(), 4, "wanggeCK", master.data());
  static constexpr std::string_view kLabel = "wangge data key check v1";
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(kLabel.data()),
                     kLabel.size(), check_key.data(), check_key.size());
  check_ = hex(h, sizeof h);
  sodium_memzero(check_key.data(), check_key.size());
}

Vault Vault::create_key_file(const std::filesystem::path& path) {
  init_sodium();
  Key key{};
  randombytes_buf(key.data(), key.size());
  // O_EXCL: never overwrite a key (that would lose every encrypted value made with it), and
  // never follow a link planted where the key is to be written.
  Fd f{::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)};
  if (f.fd < 0) {
    if (errno == EEXIST) key_error(path, "文件已存在，不会覆盖 (exists; never overwritten)");
    key_error(path, std::string("无法创建 (cannot create): ") + std::strerror(errno));
  }
  ::fchmod(f.fd, 0600);  // whatever the umask was
  if (::write(f.fd, key.data(), key.size()) != static_cast<ssize_t>(key.size()) ||
      ::fsync(f.fd) != 0) {
    key_error(path, std::string("无法写入 (cannot write): ") + std::strerror(errno));
  }
  // The key's name must survive a power cut as well as its bytes: the database it is bound to
  // cannot be read without it.
  try {
    sync_directory(path.parent_path());
  } catch (const Error& e) {
    key_error(path, e.message(Lang::zh));
  }
  Vault v(key);
  sodium_memzero(key.data(), key.size());
  return v;
}

Vault Vault::from_key_file(const std::filesystem::path& path, bool create) {
  init_sodium();
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    if (errno == ENOENT && create) {
      try {
        return create_key_file(path);
      } catch (const Error&) {
        if (!std::filesystem::exists(path)) throw;
        return from_key_file(path, false);  // made meanwhile by another process
      }
    }
    if (errno == ENOENT) key_error(path, "文件不存在 (missing)");
    key_error(path, std::string("无法打开 (cannot open): ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) key_error(path, "不是普通文件 (not a file)");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw Error(ErrorKind::unavailable, "key_file_mode",
                "数据密钥文件 " + path.string() + " 的权限为 " + mode +
                    "，同组或其他用户可以读写，拒绝使用。请执行：chmod 600 " + path.string(),
                "the data key file " + path.string() + " has mode " + mode +
                    ": group or others may read or write it, so it is refused. Run: chmod 600 " +
                    path.string());
  }
  Key key{};
  ssize_t n = ::read(f.fd, key.data(), key.size());
  char extra = 0;
  if (n != static_cast<ssize_t>(key.size()) || ::read(f.fd, &extra, 1) != 0) {
    key_error(path, "长度不是32字节 (not 32 bytes)");
  }
  Vault v(key);
  sodium_memzero(key.data(), key.size());
  return v;
}

std::filesystem::path Vault::default_key_file(const std::string& db_url) {
  if (const char* env = std::getenv("WANGGE_KEY_FILE"); env && *env) return env;
  if (db_url.starts_with("postgres")) return "wangge.key";
  std::string file = db_url.starts_with("sqlite:") ? db_url.substr(7) : db_url;
  return file + ".key";
}

Bytes Vault::encrypt(std::string_view plaintext) const {
  constexpr size_t nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  Bytes out(nonce_len + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(out.data(), nonce_len);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + nonce_len, &clen, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), nullptr, 0, nullptr, out.data(), enc_key_.data());
  out.resize(nonce_len + clen);
  return out;
}

bool Vault::try_decrypt(const Bytes& ciphertext, std::string& out) const {
  constexpr size_t nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr size_t tag_len = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (ciphertext.size() < nonce_len + tag_len) return false;
  out.assign(ciphertext.size() - nonce_len - tag_len, '\0');
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()),
                                                 &mlen, nullptr, ciphertext.data() + nonce_len,
                                                 ciphertext.size() - nonce_len, nullptr, 0,
                                                 ciphertext.data(), enc_key_.data()) != 0) {
    out.clear();
    return false;
  }
  out.resize(mlen);
  return true;
}

std::string Vault::decrypt(const Bytes& ciphertext) const {
  std::string out;
  if (!try_decrypt(ciphertext, out)) {
    throw Error(ErrorKind::internal, "decrypt", "加密数据已损坏或密钥不符",
                "ciphertext tampered with or wrong key");
  }
  return out;
}

std::string Vault::lookup_hash(std::string_view plaintext) const {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(plaintext.data()),
                     plaintext.size(), hash_key_.data(), hash_key_.size());
  return hex(h, sizeof h);
}

}  // namespace wangge
