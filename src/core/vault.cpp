#include "core/vault.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

#include "core/error.h"

namespace wangge {
namespace {

void init_sodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

[[noreturn]] void key_error(const std::filesystem::path& path, const char* why) {
  throw Error(ErrorKind::unavailable, "key_file",
              std::string("无法读取数据密钥文件 ") + path.string() + "：" + why,
              std::string("cannot read the data key file ") + path.string() + ": " + why);
}

}  // namespace

Vault::Vault(const Key& master) {
  init_sodium();
  crypto_kdf_derive_from_key(enc_key_.data(), enc_key_.size(), 1, "wanggeEN", master.data());
  crypto_kdf_derive_from_key(hash_key_.data(), hash_key_.size(), 2, "wanggeHS", master.data());
}

Vault Vault::from_key_file(const std::filesystem::path& path, bool create) {
  init_sodium();
  Key key{};
  if (!std::filesystem::exists(path)) {
    if (!create) key_error(path, "文件不存在 (missing)");
    randombytes_buf(key.data(), key.size());
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      if (!out) key_error(path, "无法创建 (cannot create)");
      out.write(reinterpret_cast<const char*>(key.data()), key.size());
    }
    ::chmod(path.c_str(), 0600);
    return Vault(key);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) key_error(path, "无法打开 (cannot open)");
  in.read(reinterpret_cast<char*>(key.data()), key.size());
  if (in.gcount() != static_cast<std::streamsize>(key.size()) || in.get() != EOF) {
    key_error(path, "长度不是32字节 (not 32 bytes)");
  }
  return Vault(key);
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

std::string Vault::decrypt(const Bytes& ciphertext) const {
  constexpr size_t nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr size_t tag_len = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (ciphertext.size() < nonce_len + tag_len) {
    throw Error(ErrorKind::internal, "decrypt", "加密数据已损坏", "ciphertext too short");
  }
  std::string out(ciphertext.size() - nonce_len - tag_len, '\0');
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()),
                                                 &mlen, nullptr, ciphertext.data() + nonce_len,
                                                 ciphertext.size() - nonce_len, nullptr, 0,
                                                 ciphertext.data(), enc_key_.data()) != 0) {
    throw Error(ErrorKind::internal, "decrypt", "加密数据已损坏或密钥不符",
                "ciphertext tampered with or wrong key");
  }
  out.resize(mlen);
  return out;
}

std::string Vault::lookup_hash(std::string_view plaintext) const {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(plaintext.data()),
                     plaintext.size(), hash_key_.data(), hash_key_.size());
  static const char* hex = "0123456789abcdef";
  std::string out(32, '0');
  for (size_t i = 0; i < sizeof h; ++i) {
    out[2 * i] = hex[h[i] >> 4];
    out[2 * i + 1] = hex[h[i] & 15];
  }
  return out;
}

}  // namespace wangge
