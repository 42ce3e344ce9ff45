// Opening a database that cannot be opened says where, in Chinese, and never shows a password.
#include <gtest/gtest.h>

#include "core/error.h"
#include "store/database.h"
#include "store/internal.h"

namespace wangge::store {
namespace {

Error open_error(const std::string& url) {
  try {
    Database::open(url, {.pool_size = 1, .busy_timeout_ms = 1000});
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "opened " << url;
  return Error(ErrorKind::internal, "", "", "");
}

TEST(OpenDatabase, AMissingFolderNamesThePath) {
  Error e = open_error("/nonexistent-wangge-dir/x.db");
  EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  EXPECT_NE(e.message(Lang::zh).find("/nonexistent-wangge-dir/x.db"), std::string::npos);
  EXPECT_NE(e.message(Lang::en).find("unable to open"), std::string::npos);
}

TEST(OpenDatabase, AnUnreachableServerNamesTheUrlWithoutThePassword) {
  Error e = open_error("postgresql://bob:s3cret@127.0.0.1:1/x?connect_timeout=2");
  EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  for (Lang lang : {Lang::zh, Lang::en}) {
    EXPECT_EQ(e.message(lang).find("s3cret"), std::string::npos);
    EXPECT_NE(e.message(lang).find("bob@127.0.0.1:1"), std::string::npos);
  }
}

TEST(OpenDatabase, RedactUrl) {
  EXPECT_EQ(detail::redact_url("postgresql://u:p@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(detail::redact_url("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(detail::redact_url("postgresql://h:5432/db"), "postgresql://h:5432/db");
  EXPECT_EQ(detail::redact_url("/var/lib/wangge.db"), "/var/lib/wangge.db");
}

}  // namespace
}  // namespace wangge::store
