// The data key file: made 0600 whatever the umask, never overwritten, refused when others may
// read it; the key's check value tells keys apart without revealing them.
#include "core/vault.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "core/error.h"
#include "testing/testing.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 07777;
}

std::string code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code() + " " + e.message(Lang::zh) + " | " + e.message(Lang::en);
  }
  return "";
}

TEST(VaultKeyFile, IsCreated0600UnderAnyUmaskAndNeverOverwritten) {
  const fs::path key = testing::temp_dir("vault") / "data.key";
  const mode_t old = ::umask(0);  // the loosest umask: the file must still be 0600
  Vault made = Vault::from_key_file(key, true);
  ::umask(old);
  EXPECT_EQ(mode_of(key), 0600u);
  EXPECT_EQ(fs::file_size(key), 32u);
  EXPECT_NE(code_of([&] { Vault::create_key_file(key); }).find("key_file"), std::string::npos);
  Vault again = Vault::from_key_file(key, true);  // exists: read, not replaced
  EXPECT_EQ(again.check_value(), made.check_value());
  EXPECT_EQ(again.decrypt(made.encrypt("530621199001011234")), "530621199001011234");
}

TEST(VaultKeyFile, ALooseModeIsRefusedNamingTheChmod) {
  const fs::path key = testing::temp_dir("vault-mode") / "data.key";
  Vault::from_key_file(key, true);
  for (unsigned mode : {0644u, 0640u, 0604u, 0660u}) {
    ::chmod(key.c_str(), mode);
    std::string got = code_of([&] { Vault::from_key_file(key, false); });
    EXPECT_NE(got.find("key_file_mode"), std::string::npos) << std::oct << mode;
    EXPECT_NE(got.find("chmod 600 " + key.string()), std::string::npos) << got;
  }
  ::chmod(key.c_str(), 0400);
  EXPECT_EQ(code_of([&] { Vault::from_key_file(key, false); }), "");
}

TEST(VaultKeyFile, AWrongLengthOrALinkTargetIsRefused) {
  const fs::path dir = testing::temp_dir("vault-bad");
  { std::ofstream(dir / "short.key") << "too short"; }
  ::chmod((dir / "short.key").c_str(), 0600);
  EXPECT_NE(code_of([&] { Vault::from_key_file(dir / "short.key", false); }).find("32"),
            std::string::npos);
  fs::create_symlink(dir / "elsewhere.key", dir / "planted.key");
  EXPECT_NE(code_of([&] { Vault::create_key_file(dir / "planted.key"); }), "");
  EXPECT_FALSE(fs::exists(dir / "elsewhere.key"));
}

TEST(Vault, TheCheckValueTellsKeysApartAndOtherKeysDoNotOpen) {
  Vault::Key a{}, b{};
  a.fill(1);
  b.fill(2);
  Vault va(a), vb(b), va2(a);
  EXPECT_EQ(va.check_value(), va2.check_value());
  EXPECT_NE(va.check_value(), vb.check_value());
  EXPECT_EQ(va.check_value().size(), 32u);
  EXPECT_NE(va.audit_key(), a);  // derived, not the data key itself
  std::string out;
  EXPECT_FALSE(vb.try_decrypt(va.encrypt("13812345678"), out));
  EXPECT_TRUE(va2.try_decrypt(va.encrypt("13812345678"), out));
  EXPECT_EQ(out, "13812345678");
}

}  // namespace
}  // namespace wangge
