// Photos over HTTP: upload as a raw body or multipart, type sniffed whatever the client
// claims, the size limit, and fetching only for the uploader and those who may see the
// photo's event — on both databases.
#include <gtest/gtest.h>

#include <cstdlib>

#include "events/events.h"
#include "events/service.h"
#include "fixture.h"
#include "intake/photos.h"
#include "open311_client.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class PhotoApiTest : public ApiTest {
 protected:
  void SetUp() override {
    // [photos]: a temporary folder and a 1 MiB limit.
    settings_.set("photos", "dir", wangge::testing::temp_dir("photo-api").string());
    settings_.set("photos", "max_mb", "1");
    ApiTest::SetUp();
    store::migrate(*db_, events::migrations());
  }

  testing::Reply upload(const std::string& user, const std::string& bytes,
                        const std::string& type = "image/jpeg",
                        const testing::HeaderList& extra = {}) {
    testing::HeaderList h = {{"Authorization", "Bearer " + token(user)}, {"Content-Type", type}};
    h.insert(h.end(), extra.begin(), extra.end());
    return testing::send_raw(port_, "POST", "/api/v1/photos", h, bytes);
  }
  int64_t user_id(const std::string& name) {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int("SELECT id FROM users WHERE username = ?", {name});
  }
  // grid_a reports a water event in its grid with the photo attached.
  int64_t report_with(const std::string& photo) {
    events::Actor a;
    a.user_id = user_id("grid_a");
    a.name = "grid_a";
    a.role = auth::Role::grid_worker;
    a.org_code = "530621101201001";
    a.can_report = true;
    events::NewEvent e;
    e.category = "infra.water";
    e.title = "龙井村水管破裂";
    e.grid_code = "530621101201001";
    e.attachments = {photo};
    return db_->transact([&](store::Tx& tx) { return events::report(tx, a, e, wangge::now()).id; });
  }
  int64_t photo_rows() {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM photos");
  }

  static std::string jpeg(const std::string& tail) { return "\xFF\xD8\xFF\xE0" + tail; }
};

TEST_P(PhotoApiTest, UploadGivesTheContentAddressAndTheSameBytesTheSameId) {
  auto r = upload("grid_a", jpeg("现场照片"));
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id = r.json()["id"];
  EXPECT_EQ(r.json()["sha256"], id);
  EXPECT_EQ(r.json()["mime"], "image/jpeg");
  EXPECT_TRUE(events::is_photo_id(id));
  // The client's Content-Type does not matter: the bytes decide.
  auto again = upload("grid_a", jpeg("现场照片"), "application/octet-stream");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json()["id"], id);
  EXPECT_EQ(photo_rows(), 1);
  auto got = get_as("grid_a", "/api/v1/photos/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, jpeg("现场照片"));
  EXPECT_EQ(got.header("Content-Type"), "image/jpeg");
  EXPECT_EQ(got.header("X-Content-Type-Options"), "nosniff");
}

TEST_P(PhotoApiTest, RefusesWhatIsNoImageEvenWhenTheTypeLies) {
  auto r = upload("grid_a", "<svg onload=alert(1)>", "image/jpeg");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.error_code(), "unsupported_photo_type");
  EXPECT_NE(r.error_message().find("JPEG"), std::string::npos);
  EXPECT_NE(r.error_message().find("只接受"), std::string::npos);
  auto en = upload("grid_a", "GIF89a....", "image/png", {{"Accept-Language", "en"}});
  EXPECT_EQ(en.status, 415);
  EXPECT_NE(en.error_message().find("only JPEG"), std::string::npos);
  EXPECT_EQ(upload("grid_a", "", "image/png").status, 400);
  auto big = upload("grid_a", jpeg(std::string(1024 * 1024, 'x')));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.error_code(), "photo_too_large");
  EXPECT_EQ(photo_rows(), 0);
}

TEST_P(PhotoApiTest, AcceptsTheFirstFileOfAMultipartForm) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n井盖\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
      "Content-Type: image/png\r\n\r\n" +
      std::string("\x89PNG\r\n\x1A\n", 8) + "pixels\r\n--XyZ--\r\n";
  auto r = upload("grid_a", body, "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["mime"], "image/png");
  auto got = get_as("grid_a", "/api/v1/photos/" + r.json()["id"].get<std::string>());
  EXPECT_EQ(got.body, std::string("\x89PNG\r\n\x1A\n", 8) + "pixels");
  auto no_file =
      upload("grid_a", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--",
             "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(no_file.status, 400);
  EXPECT_EQ(no_file.error_code(), "invalid_multipart");
}

TEST_P(PhotoApiTest, OnlyTheUploaderAndThoseWhoSeeItsEventMayFetchIt) {
  auto r = upload("grid_a", jpeg("破裂的水管"));
  ASSERT_EQ(r.status, 201) << r.body;
  std::string path = "/api/v1/photos/" + r.json()["id"].get<std::string>();
  EXPECT_EQ(get_as("grid_a", path).status, 200);
  EXPECT_EQ(get_as("op_ludian", path).status, 404);  // tied to no event yet
  report_with(r.json()["id"]);
  EXPECT_EQ(get_as("op_ludian", path).status, 200);   // the event's county
  EXPECT_EQ(get_as("op_qiaojia", path).status, 404);  // the neighbouring county
  EXPECT_EQ(call("GET", path).status, 401);
  EXPECT_EQ(get_as("op_ludian", "/api/v1/photos/" + std::string(64, 'a')).status, 404);
  EXPECT_EQ(get_as("op_ludian", "/api/v1/photos/..%2Fetc%2Fpasswd").status, 404);
}

TEST_P(PhotoApiTest, RolesWithoutEventPermissionsMayNotUpload) {
  auto r = upload("auditor", jpeg("x"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(photo_rows(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PhotoApiTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
