// The photo store: type sniffing from the bytes, content addressing, the size limit,
// idempotence and nothing written for a refused photo — on both databases.
#include "intake/photos.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/digest.h"
#include "core/error.h"
#include "org/service.h"
#include "store/migrations.h"
#include "testing/testing.h"

namespace wangge::intake {
namespace {

namespace fs = std::filesystem;

std::string jpeg(const std::string& tail = "jpeg body") { return "\xFF\xD8\xFF\xE0" + tail; }
std::string png() { return std::string("\x89PNG\r\n\x1A\n", 8) + "IHDR....."; }
std::string webp() { return std::string("RIFF\x10\0\0\0WEBPVP8 ", 16) + "data"; }
std::string box(std::string_view major, std::string_view compat) {
  std::string body = std::string(major) + std::string(4, '\0') + std::string(compat);
  uint32_t size = static_cast<uint32_t>(8 + body.size());
  std::string out;
  for (int shift : {24, 16, 8, 0}) out += static_cast<char>((size >> shift) & 0xff);
  return out + "ftyp" + body + "meta....";
}

TEST(Sniff, RecognisesTheFourTypesByTheirBytes) {
  EXPECT_EQ(sniff_image(jpeg()), "image/jpeg");
  EXPECT_EQ(sniff_image(png()), "image/png");
  EXPECT_EQ(sniff_image(webp()), "image/webp");
  EXPECT_EQ(sniff_image(box("heic", "mif1heic")), "image/heic");
  EXPECT_EQ(sniff_image(box("mif1", "mif1heic")), "image/heic");
}

TEST(Sniff, RefusesEverythingElse) {
  EXPECT_EQ(sniff_image(""), std::nullopt);
  EXPECT_EQ(sniff_image("\xFF\xD8"), std::nullopt);  // too short for JPEG
  EXPECT_EQ(sniff_image("GIF89a......"), std::nullopt);
  EXPECT_EQ(sniff_image("<svg xmlns='http://www.w3.org/2000/svg'/>"), std::nullopt);
  EXPECT_EQ(sniff_image("%PDF-1.7\n"), std::nullopt);
  EXPECT_EQ(sniff_image(std::string("RIFF\x10\0\0\0WAVEfmt ", 16)), std::nullopt);
  EXPECT_EQ(sniff_image(box("avif", "mif1avif")), std::nullopt);
  EXPECT_EQ(sniff_image(box("mif1", "mif1avif")), std::nullopt);
  EXPECT_EQ(sniff_image(box("isom", "isommp41")), std::nullopt);  // an MP4 video
}

TEST(PhotoDir, BesideTheSqliteFileOrConfigured) {
  EXPECT_EQ(photo_dir("", "/data/wangge.db"), fs::path("/data/wangge.db.files"));
  EXPECT_EQ(photo_dir("", "sqlite:/data/w.db"), fs::path("/data/w.db.files"));
  EXPECT_EQ(photo_dir("", "postgresql://u@h/db"), fs::path("wangge.files"));
  EXPECT_EQ(photo_dir("/srv/photos", "postgresql://u@h/db"), fs::path("/srv/photos"));
  EXPECT_EQ(photo_dir("/srv/photos", "/data/wangge.db"), fs::path("/srv/photos"));
}

class PhotoStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = wangge::testing::fresh_database(GetParam());
    // The photo tables come with the events' (photos 2 reads events and steps).
    std::vector<store::Migration> all = org::migrations();
    all.insert(all.end(), events::migrations().begin(), events::migrations().end());
    store::migrate(*db_, all);
    dir_ = wangge::testing::temp_dir("photos") / "files";
  }
  int64_t rows() {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM photos");
  }
  size_t files() {
    if (!fs::exists(dir_)) return 0;
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) n += e.is_regular_file();
    return n;
  }
  events::Photo put(const PhotoStore& s, const std::string& bytes, int64_t by = 7) {
    return db_->transact([&](store::Tx& tx) { return s.put(tx, bytes, by, t0_); });
  }
  // The error code put() throws, and checks that it wrote nothing.
  std::string refused(const PhotoStore& s, const std::string& bytes, ErrorKind kind) {
    try {
      put(s, bytes);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), kind);
      EXPECT_FALSE(e.message(Lang::zh).empty());
      EXPECT_EQ(rows(), 0);
      EXPECT_EQ(files(), 0u);
      return e.code();
    }
    ADD_FAILURE() << "accepted";
    return {};
  }

  std::unique_ptr<store::Database> db_;
  fs::path dir_;
  Instant t0_ = parse_instant("2026-03-02T09:00:00+08:00");
};

TEST_P(PhotoStoreTest, StoresContentAddressedAndReadsBack) {
  PhotoStore s(dir_);
  std::string bytes = jpeg(std::string(1000, 'x'));
  events::Photo p = put(s, bytes);
  EXPECT_TRUE(events::is_photo_id(p.sha256));
  EXPECT_EQ(p.mime, "image/jpeg");
  EXPECT_EQ(p.size, 1004);
  EXPECT_EQ(p.uploaded_by, 7);
  EXPECT_EQ(p.created_at, t0_);
  EXPECT_FALSE(p.event_id);
  fs::path expected = dir_ / p.sha256.substr(0, 2) / p.sha256.substr(2);
  EXPECT_EQ(s.path_of(p.sha256), expected);
  ASSERT_TRUE(fs::exists(expected));
  EXPECT_EQ(s.read(p.sha256), bytes);
  events::Photo q = put(s, png());
  // The digest python's hashlib gives for the same bytes.
  EXPECT_EQ(q.sha256, "7f15db1f6dcc0f945ea4487c9a83448cb070d27202df828bea65cb7956239fd7");
  EXPECT_NE(p.sha256, q.sha256);
  EXPECT_EQ(q.mime, "image/png");
  EXPECT_EQ(rows(), 2);
  EXPECT_EQ(files(), 2u);
}

TEST_P(PhotoStoreTest, SameBytesSameIdOneRowOneFile) {
  PhotoStore s(dir_);
  events::Photo a = put(s, webp(), 7);
  events::Photo b = put(s, webp(), 8);
  EXPECT_EQ(a.sha256, b.sha256);
  EXPECT_EQ(b.uploaded_by, 7);  // the first upload's row is kept
  EXPECT_EQ(rows(), 1);
  EXPECT_EQ(files(), 1u);
}

TEST_P(PhotoStoreTest, ConcurrentUploadsOfTheSameBytesLeaveOneRow) {
  PhotoStore s(dir_);
  std::string bytes = box("heic", "mif1heic") + std::string(5000, 'h');
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::vector<std::string> ids(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { ids[i] = put(s, bytes, 10 + i).sha256; });
  }
  for (auto& t : threads) t.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(rows(), 1);
  EXPECT_EQ(files(), 1u);
  EXPECT_EQ(s.read(ids[0]), bytes);
}

TEST_P(PhotoStoreTest, RefusesWrongTypesEmptyAndOversizedWritingNothing) {
  PhotoStore s(dir_, 1024);
  EXPECT_EQ(refused(s, "", ErrorKind::bad_input), "empty_photo");
  EXPECT_EQ(refused(s, "GIF89a.....", ErrorKind::bad_input), "unsupported_photo_type");
  EXPECT_EQ(refused(s, "<html><script>alert(1)</script>", ErrorKind::bad_input),
            "unsupported_photo_type");
  EXPECT_EQ(refused(s, jpeg(std::string(1021, 'x')), ErrorKind::too_large), "photo_too_large");
  put(s, jpeg(std::string(1020, 'x')));  // exactly at the limit
  EXPECT_EQ(rows(), 1);
}

TEST_P(PhotoStoreTest, AttachTiesUntiedPhotosToAnEvent) {
  PhotoStore s(dir_);
  events::Photo a = put(s, jpeg("a"));
  events::Photo b = put(s, jpeg("b"));
  db_->transact([&](store::Tx& tx) { events::attach_photos(tx, 41, {a.sha256, "unknown"}); });
  db_->transact([&](store::Tx& tx) { events::attach_photos(tx, 42, {a.sha256, b.sha256}); });
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(events::find_photo(*tx, a.sha256)->event_id, 41);  // the first event keeps it
  EXPECT_EQ(events::find_photo(*tx, b.sha256)->event_id, 42);
  EXPECT_FALSE(events::find_photo(*tx, std::string(64, '0')));
  // Every tie is in the link table that photo access reads (indexed by photo).
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM event_photos WHERE sha256 = ?", {a.sha256}), 2);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM event_photos"), 3);
}

// A database that counts the write transactions open through it.
class CountingDatabase : public store::Database {
 public:
  explicit CountingDatabase(store::Database& inner) : inner_(inner) {}
  store::Dialect dialect() const override { return inner_.dialect(); }
  std::unique_ptr<store::Tx> begin(store::TxMode mode) override {
    if (mode == store::TxMode::write) ++writes_begun;
    return inner_.begin(mode);
  }
  void write_transaction(const std::function<void(store::Tx&)>& fn) override {
    ++writes_begun;
    ++open_writes;
    try {
      inner_.write_transaction(fn);
    } catch (...) {
      --open_writes;
      throw;
    }
    --open_writes;
  }
  const std::string& url() const override { return inner_.url(); }
  std::atomic<int> writes_begun{0}, open_writes{0};

 private:
  store::Database& inner_;
};

// Issue 14: an upload hashes, checks and writes+fsyncs its file before any write begins, so
// other writers are not held behind up to 8 MiB of disk; then one short write adds the row.
TEST_P(PhotoStoreTest, TheFileIsStoredOutsideTheWriteAndTheRowAfterIt) {
  CountingDatabase counted(*db_);
  PhotoStore s(dir_);
  std::string bytes = jpeg(std::string(64 * 1024, 'p'));
  std::string sha = sha256_hex(bytes);
  bool hooked = false;
  s.set_stored_hook([&] {
    hooked = true;
    EXPECT_EQ(counted.writes_begun.load(), 0);
    EXPECT_EQ(counted.open_writes.load(), 0);
    EXPECT_TRUE(fs::exists(s.path_of(sha)));  // file first …
    EXPECT_EQ(rows(), 0);                     // … row after
    // Another writer goes ahead while the upload is under way.
    db_->transact([&](store::Tx& tx) {
      tx.exec(
          "INSERT INTO photos (sha256, mime, size, uploaded_by, created_at) "
          "VALUES ('other', 'image/png', 1, 9, 0)");
    });
  });
  events::Photo p = s.put(counted, bytes, 7, t0_);
  EXPECT_TRUE(hooked);
  EXPECT_EQ(p.sha256, sha);
  EXPECT_EQ(counted.writes_begun.load(), 1);  // the row's, and only after the file
  EXPECT_EQ(rows(), 2);
}

TEST_P(PhotoStoreTest, AMissingFileIsNotFound) {
  PhotoStore s(dir_);
  events::Photo p = put(s, png());
  fs::remove(s.path_of(p.sha256));
  try {
    s.read(p.sha256);
    ADD_FAILURE() << "read a missing file";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
  }
}

// What a crash leaves (a temporary file of a write cut short, a file whose row never
// committed) is removed at the next start; photos with their rows stay.
TEST_P(PhotoStoreTest, RemoveOrphansKeepsPhotosWithRowsOnly) {
  PhotoStore s(dir_);
  EXPECT_EQ(s.remove_orphans(*db_).files, 0);  // no folder yet
  events::Photo kept = put(s, png());
  const std::string orphan = sha256_hex(jpeg("never recorded"));
  fs::create_directories(s.path_of(orphan).parent_path());
  std::ofstream(s.path_of(orphan)) << jpeg("never recorded");
  fs::path tmp = s.path_of(kept.sha256);
  tmp += ".tmp123.4";
  std::ofstream(tmp) << "half a photo";
  EXPECT_EQ(files(), 3u);
  PhotoStore::Cleanup c = s.remove_orphans(*db_);
  EXPECT_EQ(c.files, 3);
  EXPECT_EQ(c.removed, 2);
  EXPECT_EQ(files(), 1u);
  EXPECT_EQ(s.read(kept.sha256), png());
  EXPECT_EQ(s.remove_orphans(*db_).removed, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PhotoStoreTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::intake
