// Small helpers shared by the core tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>

#include "core/error.h"
#include "core/time.h"

namespace wangge::testing_core {

inline Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// Runs f, which must throw Error(bad_input); returns it for further checks.
template <typename F>
Error expect_bad_input(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    return e;
  }
  ADD_FAILURE() << "no Error thrown";
  return Error(ErrorKind::internal, "none", "", "");
}

}  // namespace wangge::testing_core
