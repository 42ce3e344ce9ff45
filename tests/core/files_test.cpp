// Durable file replacement: the new content in place, no temporary left, a clear error when
// the disk refuses.
#include "core/files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/error.h"
#include "testing/testing.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WriteFileDurably, ReplacesTheFileAndLeavesNoTemporary) {
  fs::path dir = testing::temp_dir("files") / "forms";  // created on the way
  write_file_durably(dir / "a.toml", "first");
  write_file_durably(dir / "a.toml", "second, longer than the first");
  EXPECT_EQ(slurp(dir / "a.toml"), "second, longer than the first");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1);
  EXPECT_EQ((fs::status(dir / "a.toml").permissions() & fs::perms::others_all), fs::perms::none);
}

TEST(WriteFileDurably, AFolderThatCannotBeMadeIsAClearError) {
  fs::path dir = testing::temp_dir("files");
  std::ofstream(dir / "plain") << "a file where a folder should be";
  try {
    write_file_durably(dir / "plain" / "a.toml", "x");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
    EXPECT_EQ(e.code(), "io_error");
    EXPECT_NE(e.message(Lang::zh).find("无法保存文件"), std::string::npos) << e.message(Lang::zh);
  }
  EXPECT_EQ(slurp(dir / "plain"), "a file where a folder should be");
}

TEST(SyncDirectory, AMissingFolderIsAClearError) {
  EXPECT_THROW(sync_directory(testing::temp_dir("files") / "nowhere"), Error);
  EXPECT_NO_THROW(sync_directory(testing::temp_dir("files")));
}

}  // namespace
}  // namespace wangge
