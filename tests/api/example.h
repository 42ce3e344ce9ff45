// A tiny programme that exists only in the tests, built the way docs/adding-a-programme.md says
// a real one is: its schema, a record kind, a permission pair with grants, two routes, an entity
// of the analytics index with three dictionary fields, a form, and a demo step. Registered with
// every module of wangge in test_registry(), it shows up in the API, in the route × role matrix
// and in a report; nothing outside this file, example.cpp and example/ names it except the
// tests that check it (fixture.h, matrix_test.cpp, example_test.cpp).
#pragma once

#include "app/registry.h"
#include "store/database.h"

namespace wangge::example {

// Changes of example items reach the analytics index (entity "example_item").
inline constexpr store::RecordKind kItem{"example_item"};

// The module: "example", after org.
app::Module module();

// Every module of wangge (cli::modules()) and this one.
const app::Registry& test_registry();

}  // namespace wangge::example
