// A photo folder ([photos] dir) that cannot be written: missing with no way to make it (a file
// stands in its place), read-only, or gone after the upload. Each upload gets a clean 503 in
// Chinese, no photo row is left without its file, the server keeps serving, and once the
// folder is fixed uploads work again without a restart. On both databases.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fixture.h"
#include "intake/photos.h"
#include "open311_client.h"

namespace wangge::api {
namespace {

namespace fs = std::filesystem;

class PhotoDirFaultTest : public ApiTest {
 protected:
  void SetUp() override {
    root_ = wangge::testing::temp_dir("photo-dir-faults");
    dir_ = root_ / "blocked" / "photos";
    settings_.set("photos", "dir", dir_.string());
    ApiTest::SetUp();
    bearer_ = token("grid_a");
  }
  testing::Reply upload(const std::string& tag) {
    return testing::send_raw(
        port_, "POST", "/api/v1/photos",
        {{"Authorization", "Bearer " + bearer_}, {"Content-Type", "image/png"}},
        std::string("\x89PNG\r\n\x1A\n", 8) + tag);
  }
  // Every photo row has its file, and how many rows there are.
  int64_t rows_with_files() {
    auto tx = db_->begin(store::TxMode::read);
    intake::PhotoStore store(dir_);
    int64_t n = 0;
    for (const auto& r : tx->query("SELECT sha256 FROM photos")) {
      EXPECT_TRUE(fs::exists(store.path_of(r.text(0)))) << "photo row without its file";
      ++n;
    }
    return n;
  }
  void expect_clean_503(const testing::Reply& r, const std::string& what) {
    EXPECT_EQ(r.status, 503) << what << ": " << r.body;
    EXPECT_EQ(r.error_code(), "photo_write_failed") << what;
    EXPECT_NE(r.error_message().find("照片保存失败"), std::string::npos) << what << r.body;
    EXPECT_FALSE(r.header("Retry-After").empty()) << what;
    // The server keeps serving.
    EXPECT_EQ(get_as("grid_a", "/api/v1/auth/me").status, 200) << what;
  }

  fs::path root_, dir_;
  std::string bearer_;
};

TEST_P(PhotoDirFaultTest, AFolderThatCannotBeMadeFailsCleanlyUntilItCan) {
  std::ofstream(root_ / "blocked") << "a file where the folder's parent should be";
  expect_clean_503(upload("one"), "a file in the folder's place");
  EXPECT_EQ(rows_with_files(), 0);
  // Fixed while the server runs: the folder is made at the next upload.
  fs::remove(root_ / "blocked");
  auto ok = upload("one");
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(rows_with_files(), 1);
}

TEST_P(PhotoDirFaultTest, AReadOnlyFolderFailsCleanlyUntilItIsWritable) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into a read-only folder";
  fs::create_directories(dir_);
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  expect_clean_503(upload("two"), "a read-only folder");
  EXPECT_EQ(rows_with_files(), 0);
  fs::permissions(dir_, fs::perms::owner_all);
  EXPECT_EQ(upload("two").status, 201);
  EXPECT_EQ(rows_with_files(), 1);
}

TEST_P(PhotoDirFaultTest, APhotoWhoseFileIsGoneIsNotFoundNotAnError) {
  auto r = upload("three");
  ASSERT_EQ(r.status, 201) << r.body;
  fs::rename(dir_, root_ / "moved");
  auto got = get_as("grid_a", "/api/v1/photos/" + r.json()["id"].get<std::string>());
  EXPECT_EQ(got.status, 404) << got.body;
  EXPECT_NE(got.error_message().find("照片"), std::string::npos) << got.body;
  EXPECT_EQ(get_as("grid_a", "/api/v1/auth/me").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, PhotoDirFaultTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
