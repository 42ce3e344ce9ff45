// The schema the demo generator writes into: org, people, auth and events, in order.
#pragma once

#include <vector>

#include "auth/auth.h"
#include "events/events.h"
#include "org/org.h"
#include "people/people.h"
#include "store/migrations.h"

namespace wangge::demo::testing_demo {

inline std::vector<store::Migration> schema() {
  std::vector<store::Migration> all = org::migrations();
  for (const auto* m : {&people::migrations(), &auth::migrations(), &events::migrations()}) {
    all.insert(all.end(), m->begin(), m->end());
  }
  return all;
}

}  // namespace wangge::demo::testing_demo
