// Shared by the store tests: a fixture with a fresh database per backend, and error capture.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/error.h"
#include "store/database.h"
#include "testing/testing.h"

namespace wangge::store {

// A test run once per backend (testing::backends()), each with an empty database.
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { db_ = testing::fresh_database(GetParam(), options()); }
  virtual OpenOptions options() const { return {}; }

  Database& db() { return *db_; }
  void exec(const std::string& sql) {
    db_->transact([&](Tx& tx) { tx.exec_script(ddl(db_->dialect(), sql)); });
  }
  int64_t count(const std::string& table) {
    auto tx = db_->begin(TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM " + table);
  }

  std::unique_ptr<Database> db_;
};

// The wangge::Error f throws; a test failure (and an internal Error) when it throws none.
template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected a wangge::Error";
  return Error(ErrorKind::internal, "none", "", "");
}

}  // namespace wangge::store

#define WANGGE_INSTANTIATE_BACKENDS(suite)                                 \
  INSTANTIATE_TEST_SUITE_P(                                                \
      Backends, suite, ::testing::ValuesIn(::wangge::testing::backends()), \
      [](const ::testing::TestParamInfo<std::string>& info) { return info.param; })
